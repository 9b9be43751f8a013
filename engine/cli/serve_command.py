"""The serve command: the browser app for writing one plan and checking coursework."""

from __future__ import annotations

import copy
import os
from typing import Any

import click

from plandoc.web.settings import WebSettings, settings_to_environment

APP_FACTORY = "plandoc.web.app:create_app"


@click.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on; 0.0.0.0 opens it to the network."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes, each with its own LibreOffice.",
)
def serve(host: str, port: int, workers: int) -> None:
    """Start the web app: a form for writing a plan, and a page for checking .docx coursework.

    Open the address it prints in a browser. Nothing is kept on the server: drafts stay in
    the browser, and uploaded files are removed as soon as the answer is sent.

    \b
    Examples:
      plandoc serve
      plandoc serve --port 8080 --workers 2
    """
    import uvicorn

    settings = WebSettings(warm=True)
    os.environ.update(settings_to_environment(settings))
    click.echo(f"plandoc serve: http://{host}:{port}/  (Ctrl-C 停止 to stop)", err=True)
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_level="warning",
        log_config=logging_config(),
    )


def logging_config() -> dict[str, Any]:
    """uvicorn's logging, plus the app's access and error lines on stderr; applied in every worker."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["plain"] = {"format": "%(message)s"}
    config["handlers"]["plandoc"] = {
        "class": "logging.StreamHandler",
        "formatter": "plain",
        "stream": "ext://sys.stderr",
    }
    config["loggers"]["plandoc.web"] = {"handlers": ["plandoc"], "level": "INFO", "propagate": False}
    return config
