"""Run mypy --strict over the plandoc package as it is installed, from a checkout.

The repository keeps engine/, schemas/ and templates/ at its top level while the installed
package is ``plandoc`` (pyproject's package-dir). mypy cannot follow the editable install's
import hook, so this lays the package out as installed — a folder ``plandoc`` of symbolic
links to the real files — and checks that together with the tests, the benchmarks and the
command-line shim. Run it as ``python -m tests.typecheck``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_FOLDERS = {"": ROOT / "engine", "schemas": ROOT / "schemas", "templates": ROOT / "templates"}


def lay_out_package(view: Path) -> Path:
    """Build ``view/plandoc`` as the wheel lays the package out, from links to the sources."""
    package = view / "plandoc"
    package.mkdir()
    for entry in PACKAGE_FOLDERS[""].iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    for name, folder in PACKAGE_FOLDERS.items():
        if name:
            (package / name).symlink_to(folder)
    return package


def run_mypy() -> subprocess.CompletedProcess[str]:
    """mypy --strict (configured in pyproject.toml) over the package, tests, bench, docs and cli.py."""
    with tempfile.TemporaryDirectory(prefix="plandoc-typecheck-") as folder:
        package = lay_out_package(Path(folder))
        environment = {**os.environ, "MYPYPATH": folder}
        command = [sys.executable, "-m", "mypy", str(package), "tests", "bench", "docs", "cli.py"]
        completed = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False)
    # Point messages at the files a developer edits, not at the temporary links.
    output = completed.stdout
    for name, source in sorted(PACKAGE_FOLDERS.items(), reverse=True):
        output = output.replace(str(package / name) + "/", f"{source.relative_to(ROOT)}/")
    return subprocess.CompletedProcess(completed.args, completed.returncode, output, completed.stderr)


if __name__ == "__main__":
    result = run_mypy()
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    sys.exit(result.returncode)
