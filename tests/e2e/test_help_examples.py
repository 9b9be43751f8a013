"""Every example a --help prints runs as printed on a fresh clone (samples/ and nothing else)."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from plandoc.cli import main
from plandoc.output.libreoffice import find_soffice
from tests.conftest import SAMPLES

# In this order, so that a later example finds what an earlier one wrote.
COMMANDS = [
    ["init"],
    ["schema"],
    ["template", "export"],
    ["template", "lint"],
    ["validate"],
    ["render"],
    ["batch"],
    ["check"],
    ["preview"],
]
FINDINGS_ALLOWED = {"check"}
"""Commands whose example may exit 1: it reports findings, as it should."""


def examples(command: list[str]) -> list[str]:
    text = CliRunner().invoke(main, [*command, "--help"]).output
    lines = text.split("Example", 1)[1].splitlines()[1:]
    found = []
    for line in lines:
        if not line.strip():
            break
        found.append(line.strip())
    assert found, f"plandoc {' '.join(command)} --help shows no example"
    return found


def needs_libreoffice(words: list[str]) -> bool:
    return words[1] == "preview" or any(f in " ".join(words) for f in ("pdf", ",doc", "docx,doc"))


def libreoffice_installed() -> bool:
    try:
        find_soffice()
    except Exception:
        return False
    return True


def expand(word: str) -> list[str]:
    """A shell glob's matches, as the shell would pass them."""
    return sorted(str(path) for path in Path().glob(word)) if "*" in word else [word]


def run_example(step: str, command: list[str]) -> None:
    words = shlex.split(step)
    redirect = None
    if ">" in words:
        words, redirect = words[: words.index(">")], words[words.index(">") + 1]
    assert words[0] == "plandoc", step
    if needs_libreoffice(words) and not libreoffice_installed():
        return
    arguments = [match for word in words[1:] for match in expand(word)]
    result = CliRunner().invoke(main, arguments)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    allowed = (0, 1) if words[1] in FINDINGS_ALLOWED else (0,)
    assert result.exit_code in allowed, f"{step}\n{result.stderr}"
    if redirect is not None:
        Path(redirect).write_text(result.stdout, encoding="utf-8")


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("clone")
    shutil.copytree(SAMPLES, folder / "samples")
    return folder


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_help_example_runs(command: list[str], fresh_clone: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(fresh_clone)
    for example in examples(command):
        for step in example.split("&&"):
            run_example(step.strip(), command)
