"""The wheel carries everything: installed elsewhere and run from another folder, it renders."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx

from tests.conftest import ROOT, SAMPLES
from tests.typecheck import PACKAGE_FOLDERS

_NOT_SOURCE = shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache")


def test_wheel_installs_and_renders_from_another_folder(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("plandoc-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(n.split("/")[0] for n in names if n.endswith(".dist-info/RECORD"))
        assert archive.read(f"{metadata}/top_level.txt").decode().split() == ["plandoc"]
        assert "plandoc = plandoc.cli:main" in archive.read(f"{metadata}/entry_points.txt").decode()
    # the wheel holds one package and its metadata, nothing else at the top level
    assert {name.split("/")[0] for name in names} == {"plandoc", metadata}
    assert {"plandoc/py.typed", "plandoc/templates/default.docx", "plandoc/data/fonts.conf"} <= names
    samples = {f"plandoc/data/samples/{path.name}" for path in SAMPLES.glob("*.yaml")}
    assert len(samples) == 2 and samples <= names  # the web page's 「从示例开始」 needs them
    web = {"templates/form.html", "templates/check.html", "static/form.js", "static/app.js", "static/style.css"}
    assert {f"plandoc/web/{name}" for name in web} <= names
    # every module of the source folders is in the wheel, where package-dir maps it (a
    # subpackage left out of pyproject's list would only fail when a user needs it)
    source_modules = {_installed_name(path) for folder in PACKAGE_FOLDERS.values() for path in folder.rglob("*.py")}
    assert source_modules <= names, sorted(source_modules - names)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    # the fresh environment sees this one's dependencies (not its editable plandoc)
    (site_packages,) = venv.glob("lib/python*/site-packages")
    (site_packages / "dependencies.pth").write_text("\n".join(p for p in sys.path if p.endswith("site-packages")))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    output = elsewhere / "plan.docx"
    rendered = subprocess.run(
        [str(venv / "bin" / "plandoc"), "render", str(SAMPLES / "ding-qiang.yaml"), "-o", str(output)],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert rendered.returncode == 0, rendered.stderr
    assert docx.Document(str(output)).paragraphs[0].text == "示范银行保定分行客户关系维护方案"
    checked = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "plandoc", "check", str(output)],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # it really ran the installed copy, not the checkout
    probe = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import plandoc.templates as t; print(t.DEFAULT_TEMPLATE)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip().startswith(str(site_packages / "plandoc"))


def _installed_name(path: Path) -> str:
    """Where the wheel puts a source file: ``schemas/plan.py`` → ``plandoc/schemas/plan.py``."""
    for prefix, folder in PACKAGE_FOLDERS.items():
        if prefix and path.is_relative_to(folder):
            return str(Path("plandoc", prefix, path.relative_to(folder)))
    return str(Path("plandoc", path.relative_to(PACKAGE_FOLDERS[""])))
