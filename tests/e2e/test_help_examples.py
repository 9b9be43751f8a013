"""Every example a --help prints runs as printed on a fresh clone (samples/ alone), or NOT_RUN says why not."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from plandoc.cli import main
from plandoc.errors import LibreOfficeMissingError
from plandoc.output.libreoffice import find_soffice
from tests.conftest import SAMPLES
from tests.test_contract import command_paths

COMMANDS = [
    ["init"],
    ["schema"],
    ["template"],
    ["template", "export"],
    ["template", "lint"],
    ["validate"],
    ["render"],
    ["convert"],
    ["batch"],
    ["check"],
    ["preview"],
]
NOT_RUN = {
    ("serve",): "its example starts a web server that runs until it is stopped",
    ("verify",): "its example names a controlled copy the user was given",
    **{
        ("register", *sub): "its examples name the user's own plan, register and entries"
        for sub in [(), ("export",), ("history",), ("list",), ("show",), ("withdraw",)]
    },
}
"""Commands whose examples cannot run as printed on a fresh clone, and why."""
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
    except LibreOfficeMissingError:
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
        pytest.skip(f"{step}: needs LibreOffice, which is not installed")
    arguments = [match for word in words[1:] for match in expand(word)]
    result = CliRunner().invoke(main, arguments)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    allowed = (0, 1) if words[1] in FINDINGS_ALLOWED else (0,)
    assert result.exit_code in allowed, f"{step}\n{result.stderr}"
    if redirect is not None:
        Path(redirect).write_text(result.stdout, encoding="utf-8")


@pytest.fixture
def fresh_clone(tmp_path: Path) -> Path:
    """A folder holding samples/ only: each command's examples run as if on a fresh clone."""
    shutil.copytree(SAMPLES, tmp_path / "samples")
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_help_example_runs(command: list[str], fresh_clone: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(fresh_clone)
    for example in examples(command):
        for step in example.split("&&"):
            run_example(step.strip(), command)


def test_every_command_is_run_here_or_said_why_not() -> None:
    run = {tuple(command) for command in COMMANDS}
    assert not run & set(NOT_RUN)
    assert run | set(NOT_RUN) == set(command_paths(main))
