"""What the web app allows: sizes, times and how many conversions run at once."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

ENVIRONMENT_PREFIX = "PLANDOC_WEB_"


@dataclass(frozen=True)
class WebSettings:
    """Limits of one server process; a uvicorn worker reads them from ``PLANDOC_WEB_*``."""

    max_plan_bytes: int = 2 * 1024 * 1024
    """A plan sent by the form, or a .yaml/.json uploaded: a real one is a few kilobytes."""
    max_upload_bytes: int = 30 * 1024 * 1024
    """All .docx files of one check request together."""
    max_upload_files: int = 40
    request_seconds: float = 120.0
    """A request that takes longer is answered with a readable error."""
    conversion_slots: int = 1
    """LibreOffice processes of this server process (each with its own warm profile)."""
    conversion_queue: int = 8
    """Requests that may wait for a slot; more are told to wait (「请稍候」) and retry."""
    queue_wait_seconds: float = 60.0
    seconds_per_conversion: float = 40.0
    resident: bool = True
    """Keep each slot's LibreOffice running between conversions (needs LibreOffice's UNO bindings)."""
    conversion_niceness: int = 10
    """How much a conversion yields the CPU to the form's requests (0-19, as ``nice``)."""
    preview_resolution: int = 72
    warm: bool = False
    """Start LibreOffice once at start-up, so the first preview is as quick as the rest."""


def settings_from_environment(base: WebSettings | None = None) -> WebSettings:
    """``base`` (or the defaults) with every ``PLANDOC_WEB_<NAME>`` variable applied."""
    settings = base or WebSettings()
    changes: dict[str, object] = {}
    for field in fields(WebSettings):
        raw = os.environ.get(ENVIRONMENT_PREFIX + field.name.upper())
        if raw is None:
            continue
        kind = type(getattr(settings, field.name))
        changes[field.name] = raw.lower() in ("1", "true", "yes") if kind is bool else kind(raw)
    return replace(settings, **changes)  # type: ignore[arg-type]


def settings_to_environment(settings: WebSettings) -> dict[str, str]:
    """The variables that hand ``settings`` to worker processes."""
    return {ENVIRONMENT_PREFIX + f.name.upper(): str(getattr(settings, f.name)) for f in fields(WebSettings)}
