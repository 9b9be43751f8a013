"""Dask with relative paths: every worker writes where the user asked and renders the user's template."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from plandoc.authoring.sample_plans import generated_plan
from plandoc.cli import main
from plandoc.templates import DEFAULT_TEMPLATE

distributed = pytest.importorskip("distributed", reason="Dask is part of the test extra: pip install -e '.[test]'")

pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def test_relative_output_and_template_are_the_clients(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    worker_home = tmp_path / "worker-home"
    (worker_home / "templates").mkdir(parents=True)
    # A file of the same relative name where the workers run: it must not be the one rendered.
    (worker_home / "templates" / "x.docx").write_bytes(b"not the user's template")
    client_home = tmp_path / "client-home"
    (client_home / "templates").mkdir(parents=True)
    (client_home / "templates" / "x.docx").write_bytes(DEFAULT_TEMPLATE.read_bytes())
    (client_home / "plans.jsonl").write_text(
        "".join(json.dumps(generated_plan(seed), ensure_ascii=False) + "\n" for seed in range(6)), encoding="utf-8"
    )
    monkeypatch.chdir(worker_home)  # worker processes start here
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
    ) as cluster:
        monkeypatch.chdir(client_home)
        arguments = ["batch", "plans.jsonl", "-o", "dk6", "--template", "templates/x.docx", "-q"]
        result = CliRunner().invoke(main, [*arguments, "--scheduler", cluster.scheduler_address])
        assert result.exit_code == 0, result.output
    local = CliRunner().invoke(main, ["batch", "plans.jsonl", "-o", "local", "--template", "templates/x.docx", "-q"])
    assert local.exit_code == 0, local.output
    assert not (worker_home / "dk6").exists()
    written = sorted(path.name for path in (client_home / "dk6").glob("*.docx"))
    assert len(written) == 6
    for name in written:  # the same template rendered: the same bytes as the local pool's
        assert (client_home / "dk6" / name).read_bytes() == (client_home / "local" / name).read_bytes()
