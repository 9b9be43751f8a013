"""The shape of the package: imports point downward, modules stay small, no code is pasted twice.

Each allow-list below names what is known to break a rule today and who is removing it.
An entry that no longer breaks the rule fails the test, so the lists only ever shrink.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.typecheck import PACKAGE_FOLDERS

# Layers, lowest first: a module may import its own layer or a lower one, never a higher one.
# The key is the first name under ``plandoc`` ("" is the package's own __init__, the public
# API over the pipeline). vocabulary and diagnostics may not exist yet.
RANKS = {
    "errors": 0,
    "diagnostics": 0,
    "vocabulary": 0,
    "cache": 0,
    "data": 0,
    "templates": 0,
    "input_file": 0,
    "schemas": 1,
    "ooxml": 2,
    "plan": 3,
    "charts": 4,
    "render": 5,
    "output": 6,
    "workbook": 6,
    "pipeline": 7,
    "": 7,
    "check": 8,
    "batch": 9,
    "authoring": 10,
    "register": 10,
    "reporting": 11,
    "web": 12,
    "cli": 13,
    "__main__": 14,
}

# The template build script is run by developers (and copied out by `template export`); it
# builds the template from the style profile with the OOXML helpers.
BUILD_SCRIPT_IMPORTS = {
    ("plandoc.templates.build_template", "ooxml"),
    ("plandoc.templates.build_template", "schemas"),
    ("plandoc.templates.template_builder", "ooxml"),  # the build script's pieces, split off for size
}

# Known upward imports (importing module, imported layer): none; add one only with the reason.
KNOWN_UPWARD_IMPORTS: set[tuple[str, str]] = set()

MAX_LINES = 400
# Modules known to be longer than MAX_LINES: none; split a module rather than list it here.
KNOWN_LONG_MODULES: set[str] = set()

BLOCK = 6
# Blocks of six or more identical lines that are known and being removed elsewhere.
KNOWN_REPEATED_BLOCKS: set[frozenset[str]] = set()

# Subpackages whose __init__ docstring is longer than one line: none.
KNOWN_LONG_DOCSTRINGS: set[str] = set()


@dataclass(frozen=True)
class Module:
    """One source file of the installed package."""

    name: str
    path: Path

    @property
    def layer(self) -> str:
        return layer_of(self.name)

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"

    def tree(self) -> ast.Module:
        return parse(self.path)


@cache
def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def layer_of(module_name: str) -> str:
    parts = module_name.split(".")
    assert parts[0] == "plandoc", module_name
    return parts[1] if len(parts) > 1 else ""


@cache
def package_modules() -> tuple[Module, ...]:
    """Every module of ``plandoc`` as installed (engine/ → plandoc, schemas/ → plandoc.schemas, …)."""
    modules = []
    for subpackage, folder in PACKAGE_FOLDERS.items():
        prefix = "plandoc" + (f".{subpackage}" if subpackage else "")
        for path in sorted(folder.rglob("*.py")):
            relative = path.relative_to(folder).with_suffix("")
            if "__pycache__" in relative.parts:
                continue
            parts = [part for part in relative.parts if part != "__init__"]
            modules.append(Module(".".join([prefix, *parts]), path))
    return tuple(modules)


def imported_modules(module: Module) -> set[str]:
    """The ``plandoc`` modules ``module`` imports anywhere (top level, functions, TYPE_CHECKING)."""
    names: set[str] = set()
    for node in ast.walk(module.tree()):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module.name if module.is_package else module.name.rsplit(".", 1)[0]
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                names.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                names.add(node.module)
    return {name for name in names if name == "plandoc" or name.startswith("plandoc.")}


def upward_imports() -> set[tuple[str, str]]:
    found = set()
    for module in package_modules():
        for imported in imported_modules(module):
            target = layer_of(imported)
            if target != module.layer and RANKS[target] > RANKS[module.layer]:
                found.add((module.name, target))
    return found - BUILD_SCRIPT_IMPORTS


def test_the_package_is_found_whole() -> None:
    names = {module.name for module in package_modules()}
    assert {"plandoc", "plandoc.cli", "plandoc.pipeline", "plandoc.schemas.plan", "plandoc.templates"} <= names
    assert len(names) > 60


def test_every_layer_has_a_rank() -> None:
    unranked = {module.layer for module in package_modules()} - set(RANKS)
    assert not unranked, f"give each new subpackage or top-level module a rank in RANKS: {sorted(unranked)}"


def test_imports_point_only_downward() -> None:
    found = upward_imports()
    new = sorted(found - KNOWN_UPWARD_IMPORTS)
    assert not new, "a module imports a higher layer (see RANKS): " + ", ".join(f"{a} → {b}" for a, b in new)
    gone = sorted(KNOWN_UPWARD_IMPORTS - found)
    assert not gone, f"these no longer import upward; remove them from KNOWN_UPWARD_IMPORTS: {gone}"


def test_an_upward_import_is_caught(tmp_path: Path) -> None:
    module = tmp_path / "probe.py"
    module.write_text("from plandoc.cli import main\nfrom .load import Position\n", encoding="utf-8")
    probe = Module("plandoc.plan.probe", module)
    assert imported_modules(probe) == {"plandoc.cli", "plandoc.plan.load"}
    assert {RANKS[layer_of(name)] for name in imported_modules(probe)} == {RANKS["cli"], RANKS["plan"]}


def line_counts() -> dict[str, int]:
    return {module.name: len(module.path.read_text(encoding="utf-8").splitlines()) for module in package_modules()}


def test_no_module_is_over_400_lines() -> None:
    long = {name for name, count in line_counts().items() if count > MAX_LINES}
    new = sorted(long - KNOWN_LONG_MODULES)
    assert not new, f"split these modules (over {MAX_LINES} lines): " + ", ".join(
        f"{name} ({line_counts()[name]})" for name in new
    )
    gone = sorted(KNOWN_LONG_MODULES - long)
    assert not gone, f"these are short now; remove them from KNOWN_LONG_MODULES: {gone}"


def code_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, whitespace-normalised text) of each non-blank line outside import statements."""
    tree = parse(path)
    imports = {
        number
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for number in range(node.lineno, (node.end_lineno or node.lineno) + 1)
    }
    lines = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        normalised = " ".join(text.split())
        if normalised and number not in imports:
            lines.append((number, normalised))
    return lines


def repeated_blocks(paths: list[tuple[str, Path]], size: int = BLOCK) -> list[list[str]]:
    """Places (``name:line``) where the same ``size`` code lines occur more than once."""
    seen: dict[bytes, list[tuple[str, int, int]]] = defaultdict(list)
    for name, path in paths:
        lines = code_lines(path)
        for start in range(len(lines) - size + 1):
            window = "\n".join(text for _, text in lines[start : start + size])
            seen[hashlib.sha256(window.encode()).digest()].append((name, start, lines[start][0]))
    blocks = []
    for places in seen.values():
        distinct: list[tuple[str, int, int]] = []
        for place in places:
            # A run of one repeated line overlaps itself; count a place once it is a block away.
            if not any(other[0] == place[0] and abs(other[1] - place[1]) < size for other in distinct):
                distinct.append(place)
        if len(distinct) > 1:
            blocks.append([f"{name}:{line}" for name, _, line in distinct])
    return blocks


def test_no_block_of_six_lines_is_repeated() -> None:
    found = repeated_blocks([(module.name, module.path) for module in package_modules()])
    # One copied block of n lines shows as n - 5 overlapping windows; report each place once.
    by_modules: dict[frozenset[str], list[str]] = {}
    for places in found:
        by_modules.setdefault(frozenset(place.rsplit(":", 1)[0] for place in places), places)
    new = {modules: places for modules, places in by_modules.items() if modules not in KNOWN_REPEATED_BLOCKS}
    assert not new, "write these once: " + "; ".join(" = ".join(places) for places in new.values())
    gone = KNOWN_REPEATED_BLOCKS - set(by_modules)
    assert not gone, f"these no longer repeat; remove them from KNOWN_REPEATED_BLOCKS: {gone}"


def test_a_repeated_block_is_caught(tmp_path: Path) -> None:
    block = "\n".join(f"    total += value_{n}" for n in range(6))
    first = tmp_path / "first.py"
    first.write_text(f"import os\n\ndef a():\n{block}\n\n    return total\n", encoding="utf-8")
    second = tmp_path / "second.py"
    second.write_text(f"def b():\n    if True:\n{block.replace('    ', '        ')}\n", encoding="utf-8")
    assert repeated_blocks([("first", first), ("second", second)]) == [["first:4", "second:3"]]
    five = "\n".join(block.splitlines()[:5])
    second.write_text(f"def b():\n{five}\n", encoding="utf-8")
    assert repeated_blocks([("first", first), ("second", second)]) == []


def packages() -> list[Module]:
    return [module for module in package_modules() if module.is_package]


@pytest.mark.parametrize("package", packages(), ids=lambda module: module.name)
def test_each_package_opens_with_one_line_saying_what_it_owns(package: Module) -> None:
    docstring = ast.get_docstring(package.tree(), clean=True)
    assert docstring, f"{package.path.relative_to(ROOT)}: open with a one-line docstring saying what it owns"
    one_line = "\n" not in docstring.strip()
    if package.name in KNOWN_LONG_DOCSTRINGS:
        assert not one_line, f"{package.name} has one line now; remove it from KNOWN_LONG_DOCSTRINGS"
    else:
        assert one_line, f"{package.path.relative_to(ROOT)}: keep the docstring to one line"


def test_every_file_docs_architecture_names_exists() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"[\w./-]*\w\.(?:py|md|conf)\b", text))
    assert len(named) > 40
    folders = [ROOT, ROOT / "engine", ROOT / "engine" / "data", ROOT / "schemas", ROOT / "templates"]
    missing = sorted(name for name in named if not any((folder / name).is_file() for folder in folders))
    assert not missing, f"docs/architecture.md names files that do not exist: {missing}"


def test_every_plandoc_error_is_defined_in_the_errors_module() -> None:
    # One hierarchy in one place: a PlandocError subclass defined anywhere else is a
    # second home for errors (internal signals that never leave their module may subclass
    # ValueError and be translated at the boundary).
    elsewhere = [
        f"{module.name}.{node.name}"
        for module in package_modules()
        if module.name != "plandoc.errors"
        for node in ast.walk(module.tree())
        if isinstance(node, ast.ClassDef)
        and any(
            isinstance(base, ast.Name) and base.id.endswith("Error") and base.id != "ValueError" for base in node.bases
        )
        and any(isinstance(base, ast.Name) and base.id in PLANDOC_ERRORS for base in node.bases)
    ]
    assert elsewhere == [], f"define these in engine/errors.py: {elsewhere}"


PLANDOC_ERRORS = {
    node.name
    for node in ast.walk(ast.parse((PACKAGE_FOLDERS[""] / "errors.py").read_text(encoding="utf-8")))
    if isinstance(node, ast.ClassDef)
}


# Exception classes outside errors.py that must subclass a library's exception for its protocol.
LIBRARY_PROTOCOL_EXCEPTIONS = {
    "plandoc.render.budget.TemplateBudgetError": "a jinja2 SecurityError, so Jinja treats it as the template's doing",
    "plandoc.render.sandbox.TemplateFailure": "a jinja2 TemplateError carrying the failing template line",
    "plandoc.cli.usage_messages.UsageMistake": "a click UsageError, printed the way click prints usage",
    "plandoc.batch.interrupts.Terminated": "a KeyboardInterrupt, so SIGTERM stops a batch the way Ctrl-C does",
}


def _is_exception_base(base: ast.expr) -> bool:
    name = base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else ""
    return name.endswith(("Error", "Exception", "Interrupt"))


def test_an_exception_class_outside_the_errors_module_is_a_signal_of_its_own_subpackage() -> None:
    # Every error plandoc reports lives in errors.py under PlandocError. Elsewhere a module
    # may define a signal that its own subpackage raises and translates; a class used by
    # another subpackage is an error of the package and belongs in errors.py.
    defined = {
        f"{module.name}.{node.name}": node.name
        for module in package_modules()
        if module.name != "plandoc.errors"
        for node in ast.walk(module.tree())
        if isinstance(node, ast.ClassDef) and any(_is_exception_base(base) for base in node.bases)
    }
    assert set(LIBRARY_PROTOCOL_EXCEPTIONS) <= set(defined), "remove the entries that no longer exist"
    crossing = sorted(
        f"{qualified} (used in {module.name})"
        for qualified, name in defined.items()
        if qualified not in LIBRARY_PROTOCOL_EXCEPTIONS
        for module in package_modules()
        if layer_of(module.name) != layer_of(qualified)
        and re.search(rf"\b{name}\b", module.path.read_text(encoding="utf-8"))
    )
    assert crossing == [], f"define these in engine/errors.py under PlandocError: {crossing}"
