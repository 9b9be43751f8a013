"""A template reaching outside is refused before LibreOffice sees it: no request leaves the machine.

A local HTTP server on 127.0.0.1 counts requests. The control case converts the hostile
template itself with LibreOffice (what plandoc used to copy into every output) and
shows the server sees LibreOffice fetch; through plandoc, the server sees nothing.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from plandoc.cli import main
from plandoc.output.libreoffice import Converter
from tests.conftest import SAMPLES, needs_libreoffice
from tests.robustness.hostile_templates import (
    R,
    include_picture_field,
    linked_picture,
    template_with,
    with_relationship,
)


class _Server(http.server.ThreadingHTTPServer):
    requests: list[str]


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        assert isinstance(self.server, _Server)
        self.server.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[_Server]:
    listening = _Server(("127.0.0.1", 0), _CountingHandler)
    listening.requests = []
    thread = threading.Thread(target=listening.serve_forever, daemon=True)
    thread.start()
    yield listening
    listening.shutdown()
    listening.server_close()


def _url(server: _Server, name: str) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/{name}"


def _linked_picture(tmp_path: Path, url: str) -> Path:
    base = template_with(tmp_path / "base.docx", "{{ control.number }}")
    return with_relationship(base, tmp_path / "linked.docx", f"{R}/image", url, external=True, body=linked_picture(url))


def _include_picture(tmp_path: Path, url: str) -> Path:
    base = template_with(tmp_path / "base.docx", "{{ control.number }}")
    body = include_picture_field(url)
    return with_relationship(base, tmp_path / "field.docx", f"{R}/image", "media/none.png", external=False, body=body)


HOSTILE: dict[str, Callable[[Path, str], Path]] = {
    "linked-picture": _linked_picture,
    "include-picture": _include_picture,
}


@needs_libreoffice
def test_libreoffice_fetches_a_linked_picture_when_nothing_refuses_it(tmp_path: Path, server: _Server) -> None:
    template = _linked_picture(tmp_path, _url(server, "control.png"))
    (tmp_path / "pdf").mkdir()
    with Converter() as converter:
        (conversion,) = converter.convert([template], "pdf", tmp_path / "pdf")
    assert conversion.output is not None
    assert "/control.png" in server.requests  # so the server would see plandoc's outputs fetch too


@needs_libreoffice
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_render_to_pdf_refuses_the_template_and_no_request_is_made(tmp_path: Path, server: _Server, kind: str) -> None:
    template = HOSTILE[kind](tmp_path, _url(server, "plandoc.png"))
    output = tmp_path / "plan.pdf"
    plan = str(SAMPLES / "ding-qiang.yaml")
    result = CliRunner().invoke(main, ["render", plan, "-o", str(output), "--template", str(template)])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"plandoc: {template}: 模板含有外部引用、宏或嵌入对象")
    assert not output.exists()
    assert server.requests == []


@needs_libreoffice
def test_batch_to_pdf_refuses_the_template_and_no_request_is_made(tmp_path: Path, server: _Server) -> None:
    template = _linked_picture(tmp_path, _url(server, "batch.png"))
    outdir = tmp_path / "out"
    arguments = ["batch", str(SAMPLES), "-o", str(outdir), "--template", str(template), "--format", "pdf", "-q"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 1
    assert "the template holds external references, macros or embedded objects" in result.stderr
    assert not outdir.exists()  # refused before anything is made
    assert server.requests == []


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_template_lint_refuses_external_references(tmp_path: Path, kind: str) -> None:
    template = HOSTILE[kind](tmp_path, "http://127.0.0.1:9/lint.png")
    result = CliRunner().invoke(main, ["template", "lint", str(template)])
    assert result.exit_code == 1
    assert "refused: word/" in result.stderr


def test_an_ordinary_web_hyperlink_is_kept(tmp_path: Path) -> None:
    base = template_with(tmp_path / "base.docx", "{{ control.number }}")
    link = '<w:p><w:hyperlink xmlns:r="' + R + '" r:id="rIdHostile"><w:r><w:t>银行</w:t></w:r></w:hyperlink></w:p>'
    template = with_relationship(
        base, tmp_path / "link.docx", f"{R}/hyperlink", "https://www.example.com/", external=True, body=link
    )
    output = tmp_path / "plan.docx"
    plan = str(SAMPLES / "ding-qiang.yaml")
    result = CliRunner().invoke(main, ["render", plan, "-o", str(output), "--template", str(template)])
    assert result.exit_code == 0, result.stderr
    assert output.exists()
