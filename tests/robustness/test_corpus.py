"""The regression corpus: every input that ever broke plandoc, with the outcome it must have.

Each case is ``corpus/NAME.yaml`` (or ``.json``) and ``corpus/NAME.expected``: the first
line says ``ok`` (renders) or ``error`` (exit 1), the other lines are texts the rendered
document or the error output must contain. Adding a case is adding two files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from plandoc.cli import main
from tests.docx_reading import ReadDocument

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".yaml", ".json"))


def test_every_case_has_its_expectation() -> None:
    assert len(CASES) >= 8
    assert sorted(p.stem for p in CORPUS.glob("*.expected")) == sorted(p.stem for p in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_corpus_case(tmp_path: Path, case: Path) -> None:
    outcome, *expected = case.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    output = tmp_path / "plan.docx"
    result = CliRunner().invoke(main, ["render", str(case), "-o", str(output)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr
    if outcome == "ok":
        assert result.exit_code == 0, result.stderr
        text = ReadDocument.from_bytes(output.read_bytes()).full_text()
        for line in expected:
            assert line in text, line
    else:
        assert outcome == "error"
        assert result.exit_code == 1
        assert not output.exists()
        for line in expected:
            assert line in result.stderr, line
