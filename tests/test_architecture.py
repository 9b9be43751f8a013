"""The shape of the package: imports point downward, modules stay small, no code is pasted twice.

Each allow-list below names what is known to break a rule today and who is removing it.
An entry that no longer breaks the rule fails the test, so the lists only ever shrink.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections import Counter, defaultdict
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


def upward_imports(modules: tuple[Module, ...] | None = None) -> set[tuple[str, str]]:
    found = set()
    for module in package_modules() if modules is None else modules:
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
    assert upward_imports((probe,)) == {("plandoc.plan.probe", "cli")}
    nested = tmp_path / "nested_probe.py"  # parse() caches by path: a new file for new text
    nested.write_text("def f() -> None:\n    from ...pipeline import render_file\n", encoding="utf-8")
    assert upward_imports((Module("plandoc.ooxml.probe", nested),)) == {("plandoc.ooxml.probe", "pipeline")}


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


# The stages a plan goes through; the layers below them take their inputs as plain values
# (a model, bytes, a ChartSpec) and never reach back into a stage.
STAGE_MODULES = {"plandoc.plan.validate", "plandoc.plan.derive", "plandoc.plan.context", "plandoc.pipeline"}
BELOW_THE_STAGES = {layer for layer, rank in RANKS.items() if rank <= RANKS["output"]} - {"plan"}
# Known stage imports of a lower layer (importing module, stage module), each with its reason.
STAGE_IMPORTS_BY_DESIGN = {
    # the one place charts read the derived plan's typed figures (Decimals, enums), so they
    # are never parsed back from the render context's text
    ("plandoc.charts.spec", "plandoc.plan.derive"),
}


def imported_names(module: Module) -> set[str]:
    """``imported_modules`` plus ``package.name`` for each ``from package import name``."""
    names = set(imported_modules(module))
    for node in ast.walk(module.tree()):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("plandoc"):
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def stage_imports(modules: tuple[Module, ...]) -> set[tuple[str, str]]:
    return {
        (module.name, name)
        for module in modules
        if module.layer in BELOW_THE_STAGES
        for name in imported_names(module)
        if name in STAGE_MODULES
    }


def test_lower_layers_never_import_the_stages() -> None:
    assert {"ooxml", "charts", "render", "output", "workbook", "schemas"} <= BELOW_THE_STAGES
    found = stage_imports(package_modules())
    assert found <= STAGE_IMPORTS_BY_DESIGN, f"a lower layer imports a stage: {sorted(found - STAGE_IMPORTS_BY_DESIGN)}"
    assert found == STAGE_IMPORTS_BY_DESIGN, f"no longer imported; remove: {sorted(STAGE_IMPORTS_BY_DESIGN - found)}"


def test_a_stage_import_is_caught(tmp_path: Path) -> None:
    module = tmp_path / "probe.py"
    module.write_text("from plandoc.plan import context\n", encoding="utf-8")
    assert stage_imports((Module("plandoc.charts.probe", module),)) == {
        ("plandoc.charts.probe", "plandoc.plan.context")
    }


# XML is parsed and written in ooxml/. Outside it, only these adapters touch XML, each the
# XML of the library it wraps or of the file it reads: docxtpl's serialised body (render),
# python-pptx's DrawingML and xlsxwriter's sheet of a chart (charts), the sheets of an input
# workbook, streamed (workbook). Each must still touch XML, so the list only shrinks.
XML_ADAPTERS = {
    "plandoc.render.compiled",
    "plandoc.render.preparation",
    "plandoc.render.template_errors",
    "plandoc.charts.chart_xml",
    "plandoc.charts.workbook",
    "plandoc.workbook.excel_file",
    "plandoc.workbook.plain_sheet",
}
XML_LIBRARIES = {"lxml", "xml", "defusedxml"}
XML_MARKUP = re.compile(r"</?[A-Za-z]\w*:[A-Za-z]\w*|xmlns|</[A-Za-z]\w*>|<[A-Za-z]\w* [\w:]+=\"")
NAMESPACE_URI = re.compile(r"schemas\.openxmlformats\.org|schemas\.microsoft\.com|purl\.org/dc|www\.w3\.org")
NAMESPACES_MODULE = "plandoc.ooxml.namespaces"


def literals(module: Module) -> list[str]:
    """The module's string and bytes literals, docstrings left out."""
    tree = module.tree()
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return [
        node.value if isinstance(node.value, str) else node.value.decode("latin-1")
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str | bytes) and id(node) not in docstrings
    ]


def touches_xml(module: Module) -> bool:
    for node in ast.walk(module.tree()):
        if isinstance(node, ast.Import) and any(alias.name.split(".")[0] in XML_LIBRARIES for alias in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] in XML_LIBRARIES:
            return True
    return any(XML_MARKUP.search(text) for text in literals(module))


def test_only_ooxml_and_the_named_adapters_touch_xml() -> None:
    found = {module.name for module in package_modules() if module.layer != "ooxml" and touches_xml(module)}
    assert found <= XML_ADAPTERS, f"move this XML into ooxml/: {sorted(found - XML_ADAPTERS)}"
    assert found == XML_ADAPTERS, f"these no longer touch XML; remove them: {sorted(XML_ADAPTERS - found)}"


def test_xml_outside_ooxml_is_caught(tmp_path: Path) -> None:
    sources = ("from lxml import etree\n", "import xml.dom.minidom\n", "X = '<w:p>'\n", "Y = b'</row>'\n")
    for number, source in enumerate(sources):
        module = tmp_path / f"probe{number}.py"  # parse() caches by path
        module.write_text(source, encoding="utf-8")
        assert touches_xml(Module("plandoc.check.probe", module)), source
    module = tmp_path / "clean_probe.py"
    module.write_text("'''A docstring with <w:p>.'''\nZ = '(?P<number>.+)<X>'\n", encoding="utf-8")
    assert not touches_xml(Module("plandoc.check.probe", module))


def test_namespace_uris_are_spelled_only_in_the_namespaces_module() -> None:
    spelled = {
        module.name for module in package_modules() if any(NAMESPACE_URI.search(text) for text in literals(module))
    }
    assert spelled == {NAMESPACES_MODULE}, (
        f"import these from {NAMESPACES_MODULE}: {sorted(spelled - {NAMESPACES_MODULE})}"
    )


def defined_names(module: Module) -> set[str]:
    """The names a module defines at its top level (classes, functions, assignments)."""
    names: set[str] = set()
    for node in module.tree().body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(target.id for target in targets if isinstance(target, ast.Name))
    return names


def test_one_chart_kind_type() -> None:
    defined = [module.name for module in package_modules() if "ChartKind" in defined_names(module)]
    assert defined == ["plandoc.vocabulary"], f"import ChartKind from plandoc.vocabulary instead: {defined}"


CONSTANT = re.compile(r"_?[A-Z][A-Z0-9_]+")


def used_names(tree: ast.Module) -> Counter[str]:
    """The names a module reads in its code (names, attributes, ``__all__`` entries), not in comments or text."""
    used: Counter[str] = Counter()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            used[node.id] += 1
        elif isinstance(node, ast.Attribute):
            used[node.attr] += 1
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            used.update(
                e.value for e in ast.walk(node.value) if isinstance(e, ast.Constant) and isinstance(e.value, str)
            )
    return used


def test_no_constant_is_defined_for_nobody() -> None:
    # A module-level constant (an upper-case name) that nothing reads is dead weight a reader
    # has to check; remove it. A private one (_NAME) must be read in its own module; a public
    # one anywhere in the package, its tests or its benchmarks. Only code counts: a name in a
    # comment or a docstring is no use of it.
    users = [module.path for module in package_modules()]
    users += sorted((ROOT / "tests").rglob("*.py")) + sorted((ROOT / "bench").rglob("*.py"))
    everywhere: Counter[str] = Counter()
    for path in users:
        everywhere.update(used_names(parse(path)))
    unused = sorted(
        f"{module.name}.{name}"
        for module in package_modules()
        for name in defined_names(module)
        if CONSTANT.fullmatch(name) and not (used_names(module.tree()) if name.startswith("_") else everywhere)[name]
    )
    assert unused == [], f"nothing uses these constants; remove them: {unused}"


def defined_twice(names: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: places for name, places in sorted(names.items()) if len(places) > 1}


def test_no_class_name_is_defined_twice() -> None:
    # Two classes of one name (two ``Finding``, two ``ReadDocument``) make a reader, a
    # traceback or an import guess which one is meant.
    classes: dict[str, list[str]] = defaultdict(list)
    for module in package_modules():
        for node in ast.walk(module.tree()):
            if isinstance(node, ast.ClassDef):
                classes[node.name].append(f"{module.name}:{node.lineno}")
    twice = defined_twice(classes)
    assert not twice, f"give these classes distinct names: {twice}"


def test_no_module_name_is_used_twice() -> None:
    # A module's own name is what a traceback, a search or an editor tab shows: two
    # ``package.py`` or two ``rules.py`` in different folders are confused for each other.
    modules: dict[str, list[str]] = defaultdict(list)
    for module in package_modules():
        if not module.is_package:
            modules[module.path.name].append(module.name)
    twice = defined_twice(modules)
    assert not twice, f"give these modules distinct names: {twice}"


def test_docs_architecture_names_every_module() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = {Path(name).stem for name in re.findall(r"[\w./-]*\w\.py\b", text)}
    named |= set(re.findall(r"`(\w+)`", text))
    unnamed = sorted(
        module.name for module in package_modules() if not module.is_package and module.path.stem not in named
    )
    assert not unnamed, f"say in docs/architecture.md what these modules own: {unnamed}"


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
