"""The staging helper: a private folder, one converter call per format, moves into place, no leftovers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from plandoc.errors import OutputError
from plandoc.output.libreoffice import Conversion
from plandoc.output.staging import StagingFolder
from tests.conftest import SAMPLES, needs_libreoffice, render_to_bytes


class RecordingConverter:
    """Stands in for LibreOffice: 'converts' by prefixing the format, fails the stems it is told to."""

    def __init__(self, failing: frozenset[str] = frozenset()) -> None:
        self.failing = failing
        self.calls: list[tuple[list[str], str, Path]] = []
        self.closed = False

    def convert(self, sources: Sequence[Path], target_format: str, outdir: Path) -> list[Conversion]:
        self.calls.append(([source.name for source in sources], target_format, outdir))
        results = []
        for source in sources:
            if source.stem in self.failing:
                results.append(Conversion(source, None, 1, "broken"))
                continue
            output = outdir / f"{source.stem}.{target_format}"
            output.write_bytes(target_format.encode() + b":" + source.read_bytes())
            results.append(Conversion(source, output, 1))
        return results

    def close(self) -> None:
        self.closed = True


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_documents_are_converted_by_one_call_per_format_and_moved_into_place(tmp_path: Path) -> None:
    converter = RecordingConverter()
    with StagingFolder(tmp_path, converter=lambda: converter) as staging:
        assert staging.path.parent == tmp_path
        assert staging.path.name.startswith(".plandoc-")
        assert staging.path.stat().st_mode & 0o077 == 0, "the staging folder is private"
        staged = staging.stage({"a": b"A", "b": b"B"})
        assert {stem: path.read_bytes() for stem, path in staged.items()} == {"a": b"A", "b": b"B"}
        pdf = staging.convert("pdf")["a"].output
        doc = staging.convert("doc")["b"].output
        assert pdf is not None and doc is not None
        staging.move_into_place({pdf: tmp_path / "a.pdf", doc: tmp_path / "b.doc"})
    both = ["a.docx", "b.docx"]
    assert [(names, fmt) for names, fmt, _ in converter.calls] == [(both, "pdf"), (both, "doc")]
    assert (tmp_path / "a.pdf").read_bytes() == b"pdf:A"
    assert (tmp_path / "b.doc").read_bytes() == b"doc:B"
    assert converter.closed
    assert leftovers(tmp_path) == ["a.pdf", "b.doc"]


def test_a_failed_document_has_no_output_and_the_others_do(tmp_path: Path) -> None:
    with StagingFolder(tmp_path, converter=lambda: RecordingConverter(frozenset({"bad"}))) as staging:
        staging.stage({"good": b"G", "bad": b"X"})
        conversions = staging.convert("pdf")
        assert conversions["bad"].output is None
        assert conversions["bad"].error == "broken"
        assert conversions["good"].output is not None
        assert conversions["good"].output.read_bytes() == b"pdf:G"


def test_the_folder_goes_and_the_converter_stops_when_the_block_raises(tmp_path: Path) -> None:
    converter = RecordingConverter()
    with pytest.raises(KeyError, match="interrupted"), StagingFolder(tmp_path, converter=lambda: converter) as staging:
        staging.stage({"a": b"A"})
        staging.convert("pdf")
        raise KeyError("interrupted")
    assert converter.closed
    assert leftovers(tmp_path) == []


def test_no_converter_is_started_when_nothing_is_converted(tmp_path: Path) -> None:
    started: list[RecordingConverter] = []

    def start() -> RecordingConverter:
        started.append(RecordingConverter())
        return started[-1]

    with StagingFolder(tmp_path, prefix="staging-", converter=start) as staging:
        assert staging.path.name.startswith("staging-")
        staging.stage({"a": b"A"})
    assert started == []
    assert leftovers(tmp_path) == []


def test_a_missing_parent_folder_is_an_output_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(OutputError) as raised, StagingFolder(missing, converter=RecordingConverter):
        pass
    assert str(missing) in str(raised.value)
    assert "does not exist" in str(raised.value)


def test_a_move_onto_a_folder_is_an_output_error_naming_the_target(tmp_path: Path) -> None:
    target = tmp_path / "plan.pdf"
    target.mkdir()
    (target / "keep").write_text("x")
    with pytest.raises(OutputError) as raised, StagingFolder(tmp_path, converter=RecordingConverter) as staging:
        staged = staging.stage({"plan": b"P"})
        staging.move_into_place({staged["plan"]: target})
    assert str(target) in str(raised.value)
    assert leftovers(tmp_path) == ["plan.pdf"]
    assert (target / "keep").read_text() == "x"


def test_the_path_is_only_usable_inside_the_block(tmp_path: Path) -> None:
    staging = StagingFolder(tmp_path, converter=RecordingConverter)
    with pytest.raises(RuntimeError, match="inside a with block"):
        _ = staging.path
    with staging:
        inside = staging.path
    assert not inside.exists()
    with pytest.raises(RuntimeError, match="inside a with block"):
        _ = staging.path


@needs_libreoffice
def test_libreoffice_converts_a_staged_plan_to_pdf(tmp_path: Path) -> None:
    with StagingFolder(tmp_path) as staging:
        staging.stage({"ding-qiang": render_to_bytes(SAMPLES / "ding-qiang.yaml")})
        conversion = staging.convert("pdf")["ding-qiang"]
        assert conversion.output is not None
        staging.move_into_place({conversion.output: tmp_path / "plan.pdf"})
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF-")
    assert leftovers(tmp_path) == ["plan.pdf"]
