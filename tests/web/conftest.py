"""Fixtures of the web app's tests: an in-process client, the sample plan as the form holds it."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from plandoc.plan.load import load_plan_source
from plandoc.web.app import create_app
from plandoc.web.canonical import canonical_plan
from plandoc.web.form_spec import form_description
from plandoc.web.settings import WebSettings
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "ding-qiang.yaml"


def client_for(settings: WebSettings | None = None, *, raise_server_exceptions: bool = True) -> TestClient:
    """A client of a fresh app (enter it with ``with`` to run the app's start-up)."""
    return TestClient(create_app(settings or WebSettings()), raise_server_exceptions=raise_server_exceptions)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with client_for() as running:
        yield running


@pytest.fixture(scope="session")
def sample_plan_data() -> dict[str, Any]:
    data: dict[str, Any] = canonical_plan(load_plan_source(SAMPLE).data, form_description())
    return data


@pytest.fixture
def sample_plan(sample_plan_data: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy of the sample plan, free to change."""
    return copy.deepcopy(sample_plan_data)
