"""The wheel carries everything: installed elsewhere and run from another folder, it works.

One wheel is built from a copy of the checkout and installed (not editable) into a fresh
environment; every command below runs from a folder that is neither the checkout nor the
environment, so anything the package reads at run time must have come with the wheel.
"""

from __future__ import annotations

import ast
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest

from plandoc import __version__
from tests.conftest import ROOT, SAMPLES
from tests.typecheck import PACKAGE_FOLDERS

_NOT_SOURCE = shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache")


@dataclass(frozen=True)
class Installed:
    """The built wheel's listing and the fresh environment it was installed into."""

    names: frozenset[str]
    metadata: str
    wheel: Path
    venv: Path
    site_packages: Path
    elsewhere: Path

    def run(self, *arguments: str, module: bool = False) -> subprocess.CompletedProcess[str]:
        """``plandoc ARGUMENTS`` (or ``python ARGUMENTS`` with ``module``) run in ``elsewhere``."""
        program = self.venv / "bin" / ("python" if module else "plandoc")
        return subprocess.run(
            [str(program), *arguments], cwd=self.elsewhere, capture_output=True, text=True, check=False
        )

    def read(self, name: str) -> str:
        with zipfile.ZipFile(self.wheel) as archive:
            return archive.read(name).decode("utf-8")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE)
    wheels = work / "wheels"
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels)]
    subprocess.run([*build, str(source)], check=True, capture_output=True)
    (wheel,) = wheels.glob("plandoc-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = frozenset(archive.namelist())
    metadata = next(n.split("/")[0] for n in names if n.endswith(".dist-info/RECORD"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    # the fresh environment sees this one's dependencies (not its editable plandoc)
    (site_packages,) = venv.glob("lib/python*/site-packages")
    (site_packages / "dependencies.pth").write_text("\n".join(p for p in sys.path if p.endswith("site-packages")))
    install = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps", "-q"]
    subprocess.run([*install, str(wheel)], check=True, capture_output=True)
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    yield Installed(names, metadata, wheel, venv, site_packages, elsewhere)


def test_the_wheel_holds_one_package_plandoc(installed: Installed) -> None:
    assert installed.read(f"{installed.metadata}/top_level.txt").split() == ["plandoc"]
    assert "plandoc = plandoc.cli:main" in installed.read(f"{installed.metadata}/entry_points.txt")
    # the wheel holds one package and its metadata, nothing else at the top level
    assert {name.split("/")[0] for name in installed.names} == {"plandoc", installed.metadata}
    assert "plandoc/py.typed" in installed.names


def test_every_file_the_package_reads_is_in_the_wheel(installed: Installed) -> None:
    # every module and data file of the source folders is in the wheel, where package-dir
    # maps it (a subpackage or data file left out of pyproject would only fail for a user)
    shipped = {_installed_name(path) for folder in PACKAGE_FOLDERS.values() for path in _source_files(folder)}
    assert len(shipped) > 150 and shipped <= installed.names, sorted(shipped - installed.names)
    samples = {f"plandoc/data/samples/{path.name}" for path in SAMPLES.glob("*.yaml")}
    assert len(samples) == 2 and samples <= installed.names  # the web page's 「从示例开始」 needs them
    # each file the code finds beside itself (``Path(__file__)``) is there in the installed copy
    probe = """
import plandoc.data, plandoc.templates, plandoc.output.libreoffice as lo, plandoc.output.resident as resident
import plandoc.web.app as web
from plandoc.authoring.starter import sample_names, starter_text
files = [plandoc.templates.DEFAULT_TEMPLATE, lo.FONTCONFIG_FILE, resident.BRIDGE, web.HERE / "static" / "app.js",
         web.HERE / "templates" / "form.html", plandoc.data.SAMPLE_FOLDER / "ding-qiang.yaml"]
assert all(f.is_file() for f in files), [f for f in files if not f.is_file()]
assert sample_names() == ["ding-qiang", "huaxin-electric"] and starter_text("company")
print("\\n".join(str(f) for f in files))
"""
    result = installed.run("-c", probe, module=True)
    assert result.returncode == 0, result.stderr
    found = result.stdout.split()
    assert len(found) == 6 and all(Path(f).is_relative_to(installed.site_packages / "plandoc") for f in found)


def test_the_version_is_written_once_and_reported_everywhere(installed: Installed) -> None:
    assert f"\nVersion: {__version__}\n" in installed.read(f"{installed.metadata}/METADATA")
    assert installed.run("--version").stdout == f"plandoc, version {__version__}\n"
    assert installed.run("-m", "plandoc", "--version", module=True).stdout == f"plandoc, version {__version__}\n"
    written = [
        str(path.relative_to(ROOT))
        for folder in [*PACKAGE_FOLDERS.values(), ROOT / "docs"]
        for path in _source_files(folder)
        if path.suffix in {".py", ".md", ".html", ".js", ".toml"} and __version__ in path.read_text(encoding="utf-8")
    ]
    assert written == ["engine/__init__.py"]
    assert __version__ not in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_the_commands_work_from_another_folder(installed: Installed) -> None:
    output = installed.elsewhere / "plan.docx"
    rendered = installed.run("render", str(SAMPLES / "ding-qiang.yaml"), "-o", str(output))
    assert rendered.returncode == 0, rendered.stderr
    assert docx.Document(str(output)).paragraphs[0].text == "示范银行保定分行客户关系维护方案"
    checked = installed.run("-m", "plandoc", "check", str(output), module=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    started = installed.run("init", "start.yaml", "--kind", "company")
    assert started.returncode == 0, started.stderr
    assert (installed.elsewhere / "plan.schema.json").is_file()
    assert installed.run("validate", "start.yaml").returncode == 0
    assert installed.run("init", "--xlsx", "start.xlsx").returncode == 0
    assert (installed.elsewhere / "start.xlsx").stat().st_size > 0
    # the root cli.py is a shim over the same command line
    shim = installed.run(str(ROOT / "cli.py"), "--version", module=True)
    assert shim.stdout == f"plandoc, version {__version__}\n", shim.stderr
    statements = ast.parse((ROOT / "cli.py").read_text(encoding="utf-8")).body
    assert [type(node).__name__ for node in statements] == ["Expr", "ImportFrom", "If"]
    # it really ran the installed copy, not the checkout
    probe = installed.run("-c", "import plandoc.templates as t; print(t.DEFAULT_TEMPLATE)", module=True)
    assert probe.stdout.strip().startswith(str(installed.site_packages / "plandoc"))


def test_the_template_script_never_writes_into_the_installed_package(installed: Installed) -> None:
    template = installed.site_packages / "plandoc" / "templates" / "default.docx"
    before = _digest(template)
    assert installed.run("template", "export", "mine").returncode == 0
    exported = installed.elsewhere / "mine"
    (exported / "default.docx").unlink()
    # the exported script rebuilds the template beside itself, the same bytes as shipped
    rebuilt = installed.run(str(exported / "build_template.py"), module=True)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert _digest(exported / "default.docx") == before
    # the installed script has no default target: it asks for -o and writes nothing
    refused = installed.run("-m", "plandoc.templates.build_template", module=True)
    assert refused.returncode == 2
    assert "不会改写已安装的 plandoc 所带的模板" in refused.stderr and "-o" in refused.stderr
    assert installed.run("-m", "plandoc.templates.build_template", "--check", module=True).returncode == 0
    named = installed.run("-m", "plandoc.templates.build_template", "-o", "own.docx", module=True)
    assert named.returncode == 0 and _digest(installed.elsewhere / "own.docx") == before
    assert _digest(template) == before


def test_the_installed_reference_and_web_app_find_their_files(installed: Installed) -> None:
    reference = installed.run("-m", "plandoc.authoring.context_reference", module=True)
    assert reference.returncode == 0, reference.stderr
    assert reference.stdout == (ROOT / "docs" / "render-context.md").read_text(encoding="utf-8")
    page = """
from starlette.testclient import TestClient
from plandoc.web.app import create_app
with TestClient(create_app()) as client:
    for path in ["/", "/static/app.js", "/static/style.css", "/api/sample/huaxin-electric", "/api/starter/person"]:
        print(path, client.get(path).status_code)
"""
    served = installed.run("-c", page, module=True)
    assert served.returncode == 0, served.stderr
    assert [line.split()[1] for line in served.stdout.splitlines()] == ["200"] * 5, served.stdout


def _source_files(folder: Path) -> Iterator[Path]:
    """The files of a source folder as the wheel takes them (not caches, not linked folders)."""
    for parent, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if name != "__pycache__"]
        yield from (Path(parent, name) for name in files if not name.endswith(".pyc"))


def _installed_name(path: Path) -> str:
    """Where the wheel puts a source file: ``schemas/plan.py`` → ``plandoc/schemas/plan.py``."""
    for prefix, folder in PACKAGE_FOLDERS.items():
        if prefix and path.is_relative_to(folder):
            return str(Path("plandoc", prefix, path.relative_to(folder)))
    return str(Path("plandoc", path.relative_to(PACKAGE_FOLDERS[""])))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
