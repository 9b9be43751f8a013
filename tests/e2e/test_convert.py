"""Conversion through LibreOffice: fonts in the PDF, the .doc round trip, warm groups, crashes."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from plandoc.cli import main
from plandoc.errors import FontsMissingError
from plandoc.output.libreoffice import Converter
from plandoc.schemas.profile import LineSpacing
from tests.conftest import SAMPLES, TEST_SESSION_VARIABLE, needs_libreoffice, needs_poppler, render_to_bytes
from tests.docx_reading import ReadDocument

TITLE = "示范银行保定分行客户关系维护方案"
HEADINGS = [
    "一、客户关系维护的对象和目的",
    "二、客户关系卡的制作和使用",
    "三、客户关系维护工作开展的方式",
    "四、维护同客户良好关系的措施",
    "五、客户关系评估",
    "六、客户评估结果的使用",
    "附件：客户访问记录",
]


def _started_by_this_session(process: Path) -> bool:
    marker = f"{TEST_SESSION_VARIABLE}={os.environ[TEST_SESSION_VARIABLE]}".encode()
    try:
        return marker in (process / "environ").read_bytes().split(b"\0")
    except OSError:
        return False


def soffice_processes(profile: Path | None = None) -> list[int]:
    """Pids of running LibreOffice processes this test session started (using ``profile``, if given)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if (
            "soffice" in command
            and "plandoc-libreoffice-" in command
            and (profile is None or profile.as_uri() in command)
            and _started_by_this_session(entry)
        ):
            found.append(int(entry.name))
    return found


def copies(folder: Path, sample: str, count: int) -> list[Path]:
    """``count`` copies of a rendered sample, named plan-00.docx, plan-01.docx, …"""
    data = render_to_bytes(SAMPLES / f"{sample}.yaml")
    paths = [folder / f"plan-{index:02d}.docx" for index in range(count)]
    for path in paths:
        path.write_bytes(data)
    return paths


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (.ci/run installs it)")
    folder = tmp_path_factory.mktemp("converted")
    result = CliRunner().invoke(
        main, ["render", str(SAMPLES / "ding-qiang.yaml"), "-o", str(folder / "plan.docx"), "--format", "docx,doc,pdf"]
    )
    assert result.exit_code == 0, result.output
    yield folder


@needs_libreoffice
@needs_poppler
def test_pdf_embeds_cjk_sans_for_titles_and_serif_for_body(converted: Path) -> None:
    listing = subprocess.run(["pdffonts", str(converted / "plan.pdf")], capture_output=True, text=True, check=True)
    rows = [line.split() for line in listing.stdout.splitlines()[2:]]
    names = [row[0].split("+", 1)[-1] for row in rows]
    assert all(row[-5] == "yes" for row in rows), listing.stdout  # every font embedded
    assert any(re.match(r"NotoSansCJK\w*-Bold", name) for name in names), names
    assert any(re.match(r"NotoSerifCJK\w*-Regular", name) for name in names), names
    # Nothing else: Latin text in Liberation (Times New Roman's metric twin), ☑ in DejaVu.
    assert all(name.startswith(("NotoSansCJK", "NotoSerifCJK", "LiberationSerif", "DejaVuSans")) for name in names)


@needs_libreoffice
@needs_poppler
def test_pdf_text_has_title_client_and_every_heading(converted: Path) -> None:
    text = subprocess.run(
        ["pdftotext", str(converted / "plan.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in [TITLE, "丁强", *HEADINGS]:
        assert expected in text, expected


@needs_libreoffice
def test_doc_is_ole2_and_keeps_the_title_typography_through_a_round_trip(converted: Path, tmp_path: Path) -> None:
    doc = converted / "plan.doc"
    assert doc.read_bytes()[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    if shutil.which("antiword"):
        text = subprocess.run(["antiword", str(doc)], capture_output=True, check=True).stdout.decode("utf-8", "replace")
        assert "丁强" in text
    with Converter() as libreoffice:
        (back,) = libreoffice.convert([doc], "docx", tmp_path)
    assert back.output is not None
    document = ReadDocument.from_bytes(back.output.read_bytes())
    cover_title = next(p for p in document.paragraphs() if p.text == TITLE)
    assert cover_title.line_spacing == LineSpacing("auto", 1.5)
    assert {(r.east_asian_font, r.size, r.bold) for r in cover_title.runs} == {("黑体", 22, True)}


@needs_libreoffice
def test_twenty_documents_start_libreoffice_once(tmp_path: Path) -> None:
    sources = copies(tmp_path, "huaxin-electric", 20)
    outdir = tmp_path / "out"
    outdir.mkdir()
    with Converter() as libreoffice:
        results = libreoffice.convert(sources, "pdf", outdir)
        assert libreoffice.processes_started == 1
    assert [r.output.name if r.output else None for r in results] == [f"plan-{i:02d}.pdf" for i in range(20)]
    assert all(r.attempts == 1 for r in results)


@needs_libreoffice
def test_killed_libreoffice_is_replaced_and_every_document_converted(tmp_path: Path) -> None:
    sources = copies(tmp_path, "ding-qiang", 8)
    outdir = tmp_path / "out"
    outdir.mkdir()
    killed: list[int] = []

    def kill_after_first_output(profile: Path) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            if any(outdir.glob("*.pdf")):
                for pid in soffice_processes(profile):
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
            time.sleep(0.05)

    with Converter() as libreoffice:
        killer = threading.Thread(target=kill_after_first_output, args=(libreoffice.profile,))
        killer.start()
        results = libreoffice.convert(sources, "pdf", outdir)
        killer.join()
        profile = libreoffice.profile
        assert killed, "the test did not manage to kill LibreOffice mid-batch"
        assert libreoffice.processes_started == 2
    assert all(r.output is not None for r in results), [r.error for r in results]
    assert {r.attempts for r in results} == {1, 2}
    assert soffice_processes(profile) == []
    assert not profile.exists()


@needs_libreoffice
def test_no_chinese_font_is_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?><fontconfig><dir>/nonexistent</dir></fontconfig>')
    source = tmp_path / "plan.docx"
    source.write_bytes(render_to_bytes(SAMPLES / "ding-qiang.yaml"))
    with Converter(fontconfig_file=empty) as libreoffice, pytest.raises(FontsMissingError, match="fonts-noto-cjk"):
        libreoffice.convert([source], "pdf", tmp_path)
    assert not (tmp_path / "plan.pdf").exists()


def test_without_libreoffice_pdf_exits_2_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.delenv("PLANDOC_SOFFICE", raising=False)
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(
        main, ["render", str(SAMPLES / "ding-qiang.yaml"), "-o", str(out / "p.docx"), "--format", "docx,pdf"]
    )
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "apt-get install libreoffice-writer-nogui" in result.stderr
    assert list(out.iterdir()) == []
    # .docx alone keeps working without LibreOffice
    result = CliRunner().invoke(main, ["render", str(SAMPLES / "ding-qiang.yaml"), "-o", str(out / "p.docx")])
    assert result.exit_code == 0
    assert [p.name for p in out.iterdir()] == ["p.docx"]


@needs_libreoffice
def test_preview_writes_png_pages(tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed (.ci/run installs it)")
    result = CliRunner().invoke(
        main, ["preview", str(SAMPLES / "ding-qiang.yaml"), "-o", str(tmp_path), "--pages", "1-2"]
    )
    assert result.exit_code == 0, result.output
    images = sorted(p.name for p in tmp_path.iterdir())
    assert images == ["ding-qiang-1.png", "ding-qiang-2.png"]
    for name in images:
        data = (tmp_path / name).read_bytes()
        assert data.startswith(b"\x89PNG")
        assert len(data) > 10_000  # a drawn page, not a blank one


def test_no_libreoffice_left_running() -> None:
    # soffice_processes counts only what this test session started (its environment carries
    # the session's marker), so other checkouts converting on a shared machine do not count.
    assert soffice_processes() == []
