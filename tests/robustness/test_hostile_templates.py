"""The hostile-template corpus: each template fails with one located line, fast and in little memory.

Every case runs in one child process, which renders the sample plan with each template
through the CLI and records the CPU time of each attempt; the child's peak memory
(``ru_maxrss``) bounds every case's.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLES
from tests.robustness.hostile_templates import (
    R,
    include_picture_field,
    linked_picture,
    rewritten,
    template_with,
    with_relationship,
    zip_bomb,
)

MAX_SECONDS = 5.0
MAX_MEGABYTES = 500

TAG_CODE = {
    "nested-range-loops": (
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
        "more than 1,000,000 steps",
    ),
    "billion-character-string": ("{{ 'a'*10**9 }}", "more than 10,000,000 characters"),
    "huge-power": ("{{ 10**(10**10) }}", "a power too large to compute"),
    "huge-center": ("{{ 'x'|center(10**9) }}", "more than 10,000,000 characters"),
    "huge-percent-width": ("{{ '%0999999999d' % 1 }}", "a width of a million or more"),
    "huge-format-width": ("{{ '{:>999999999}'.format(1) }}", "a width of a million or more"),
    "huge-expandtabs": ("{{ ('\\t' * 1000).expandtabs(10**7) }}", "more than 10,000,000 characters"),
    "huge-replace": ("{{ ('a' * 1000000).replace('a', 'aaaaaaaaaaaaaaaaaaaa') }}", "more than 10,000,000"),
    "huge-join": ("{{ range(100000)|join('x' * 1000) }}", "more than 10,000,000"),
    "doubling-namespace": (
        "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
        "more than 10,000,000 characters",
    ),
    "billion-range": ("{% for i in range(10**9) %}{% endfor %}", "range() of more than 100,000 numbers"),
    "endless-recursion": ("{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}", "calls nested more than 64 deep"),
    "branching-recursion": (
        "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(60) }}",
        "more than 1,000,000 steps",
    ),
    "include": ("{% include 'x' %}", "a template cannot include, import or extend another template"),
    "import": ("{% import 'x' as y %}", "a template cannot include, import or extend another template"),
    "extends": ("{% extends 'x' %}", "a template cannot include, import or extend another template"),
    "pop-from-empty-list": ("{{ [].pop() }}", "the template tried something unsafe and was stopped"),
    "division-by-zero": ("{{ 1 / 0 }}", "the template failed: ZeroDivisionError"),
    "printed-method": ('{{ "".join }}', "prints a function, not a value (missing parentheses?): str.join"),
    "python-internals": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "tried something unsafe"),
    "lipsum": ("{{ lipsum(10**6) }}", "the template uses a value the plan does not provide"),
}


def _external_picture(base: Path, target: Path) -> Path:
    url = "http://127.0.0.1:9/x.png"
    return with_relationship(base, target, f"{R}/image", url, external=True, body=linked_picture(url))


def _part_added(name: str) -> Callable[[Path, Path], Path]:
    return lambda base, target: rewritten(base, target, {name: b"\xd0\xcf\x11\xe0 not really"})


def _relationship(kind: str, to: str, external: bool) -> Callable[[Path, Path], Path]:
    return lambda base, target: with_relationship(base, target, kind, to, external=external)


def _without_document_relationships(base: Path, target: Path) -> Path:
    part = "word/_rels/document.xml.rels"
    with zipfile.ZipFile(base) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in original.namelist():
            if name != part:
                copy.writestr(name, original.read(name))
    return target


def _part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def _main_part_typed_as_a_sheet(base: Path, target: Path) -> Path:
    types = _part(base, "[Content_Types].xml").replace(b"wordprocessingml.document.main", b"spreadsheetml.sheet.main")
    return rewritten(base, target, {"[Content_Types].xml": types})


def _body_under_another_prefix(base: Path, target: Path) -> Path:
    main = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = _part(base, "word/document.xml").replace(b"<w:body>", b'<x:body xmlns:x="' + main + b'">', 1)
    return rewritten(base, target, {"word/document.xml": document.replace(b"</w:body>", b"</x:body>", 1)})


PACKAGES: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "main-part-not-a-word-document": (
        _main_part_typed_as_a_sheet,
        "not a usable .docx template (is not a Word file, content type is",
    ),
    "body-under-another-prefix": (_body_under_another_prefix, "its body must use Word's w: prefix"),
    "no-document-relationships": (
        _without_document_relationships,
        "缺少 word/_rels/document.xml.rels | not a usable .docx template",
    ),
    "zip-bomb": (zip_bomb, "(a zip bomb?)"),
    "external-picture": (_external_picture, "an external reference to http://127.0.0.1:9/x.png"),
    "include-picture-field": (
        lambda base, target: with_relationship(
            base, target, f"{R}/image", "media/none.png", external=False, body=include_picture_field("http://x/y")
        ),
        "the field INCLUDEPICTURE reads other files",
    ),
    "alt-chunk": (_relationship(f"{R}/aFChunk", "chunk.html", False), "altChunk"),
    "attached-template": (_relationship(f"{R}/attachedTemplate", "file:///x.dotm", True), "an attached template"),
    "ole-object": (_relationship(f"{R}/oleObject", "embeddings/oleObject1.bin", False), "an OLE object"),
    "macros": (_part_added("word/vbaProject.bin"), "word/vbaProject.bin: 宏、控件或嵌入对象"),
    "activex": (_part_added("word/activeX/activeX1.bin"), "macros, a control or an embedded object"),
    "file-hyperlink": (_relationship(f"{R}/hyperlink", "file:///etc/passwd", True), "an external reference to file:"),
}

_CHILD = """
import json, resource, sys, time
from click.testing import CliRunner
from plandoc.cli import main
results = {}
for name, arguments in json.loads(sys.argv[1]).items():
    start = time.process_time()
    result = CliRunner().invoke(main, arguments)
    results[name] = {
        "seconds": time.process_time() - start,
        "code": result.exit_code,
        "stderr": result.stderr,
        "exception": repr(result.exception),
        "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def attempts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("hostile")
    base = template_with(folder / "base.docx", "{{ control.number }}")
    templates = {name: template_with(folder / f"{name}.docx", "封面", code) for name, (code, _) in TAG_CODE.items()}
    templates |= {name: build(base, folder / f"{name}.docx") for name, (build, _) in PACKAGES.items()}
    plan = str(SAMPLES / "ding-qiang.yaml")
    (folder / "out").mkdir()
    cases = {
        name: ["render", plan, "-o", str(folder / "out" / f"{name}.docx"), "--template", str(template)]
        for name, template in templates.items()
    }
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(cases)], capture_output=True, text=True, timeout=600, check=True
    )
    results: dict[str, dict[str, Any]] = json.loads(child.stdout)
    for name, result in results.items():
        result["template"] = str(templates[name])
        result["output"] = folder / "out" / f"{name}.docx"
    return results


def _assert_one_line_refusal(result: dict[str, Any], expected: str) -> None:
    assert result["code"] == 1, result
    lines = result["stderr"].strip().splitlines()
    assert len(lines) == 1, result["stderr"]
    assert lines[0].startswith("plandoc: " + result["template"]), lines[0]
    assert expected in lines[0]
    assert "Traceback" not in result["stderr"]
    assert not result["output"].exists()
    assert result["seconds"] < MAX_SECONDS, result
    assert result["peak_kb"] < MAX_MEGABYTES * 1024, result  # ru_maxrss is in KiB on Linux


@pytest.mark.parametrize("name", sorted(TAG_CODE))
def test_hostile_tag_code_fails_in_one_located_line(attempts: dict[str, dict[str, Any]], name: str) -> None:
    result = attempts[name]
    _assert_one_line_refusal(result, TAG_CODE[name][1])
    assert result["stderr"].startswith(f"plandoc: {result['template']}:3: "), "names the template line"
    if not TAG_CODE[name][1].startswith("a template cannot"):  # refused while compiling: no paragraph yet
        assert "（段落 | paragraph「" in result["stderr"]


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_hostile_packages_are_refused_in_one_line(attempts: dict[str, dict[str, Any]], name: str) -> None:
    _assert_one_line_refusal(attempts[name], PACKAGES[name][1])
