"""The renderer prints and the checker looks for the same words: the vocabulary's."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from lxml import etree

from plandoc import vocabulary as words
from plandoc.check.elements import classify, compact
from plandoc.check.reading import FormattedDocument, read_document
from plandoc.check.run import check_document
from plandoc.ooxml.document_package import read_zip, write_zip
from plandoc.ooxml.namespaces import qn
from plandoc.ooxml.safe_package import SafePackage
from tests.conftest import ROOT, SAMPLES, VALID_SAMPLES, render_to_bytes
from tests.typecheck import PACKAGE_FOLDERS

PERSON_SAMPLE = SAMPLES / "ding-qiang.yaml"
SUBTITLES = (
    *words.OBJECTS_SUBTITLES,
    *words.CARD_SUBTITLES,
    *words.MEASURE_SUBTITLES,
    *words.RESULT_USE_SUBTITLES,
    *words.APPENDIX_SUBTITLES,
)


def _read(path: Path) -> FormattedDocument:
    return read_document(SafePackage(path))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("vocabulary")
    paths = {}
    for sample in VALID_SAMPLES:
        paths[sample.stem] = folder / f"{sample.stem}.docx"
        paths[sample.stem].write_bytes(render_to_bytes(sample))
    return paths


def test_the_document_prints_every_title_caption_and_heading(rendered: dict[str, Path]) -> None:
    texts = {block.text.strip() for block in _read(rendered["ding-qiang"]).blocks}
    for title in (*words.SECTION_TITLES, *SUBTITLES, words.APPENDIX_TITLE, words.KANBAN_CAPTION):
        assert title in texts
    assert words.EVALUATION_CAPTION in texts
    assert any(text.startswith(f"{words.CARD_CAPTION}（") for text in texts)
    assert any(text.endswith(words.DOCUMENT_KIND) for text in texts)


def test_every_table_label_is_printed_and_read_back_as_a_label(rendered: dict[str, Path]) -> None:
    printed: set[str] = set()
    for path in rendered.values():
        document = _read(path)
        elements = classify(document.blocks)
        for block in document.blocks:
            if elements.get(block.number) == "table_label":
                printed.add(compact(block.text))
    # the two samples are a person and a company client, so between them every fact is printed
    assert {compact(label) for label in words.TABLE_LABELS} <= printed
    assert any(label.startswith(words.AMOUNT_PREFIX) for label in printed)


def test_the_recommendation_row_offers_the_three_options_in_order(rendered: dict[str, Path]) -> None:
    tables = _read(rendered["ding-qiang"]).tables
    row = next(row for table in tables for row in table if compact(row[0]) == words.RECOMMENDATION)
    choices = row[-1]
    positions = [choices.index(option) for option in words.RECOMMENDATIONS]
    assert positions == sorted(positions)
    assert choices.count(words.CHECKED_BOX) == 1
    assert choices.count(words.EMPTY_BOX) == len(words.RECOMMENDATIONS) - 1


def test_the_composition_headings_and_chart_titles_are_the_kinds_names(rendered: dict[str, Path]) -> None:
    texts = [block.text.strip() for block in _read(rendered["ding-qiang"]).blocks]
    for number, kind in enumerate(words.COMPOSITION_KINDS, start=1):
        assert f"{number}．{kind.heading}" in texts
    parts = read_zip(rendered["ding-qiang"].read_bytes())
    titles = []
    for name in sorted(n for n in parts if n.startswith("word/charts/chart")):
        title = etree.fromstring(parts[name]).find(f".//{qn('c:title')}")
        assert title is not None
        titles.append("".join(t.text or "" for t in title.iter(qn("a:t"))))
    assert titles and set(titles) <= {kind.name for kind in words.COMPOSITION_KINDS}


def test_the_checker_passes_the_rendered_structure(rendered: dict[str, Path]) -> None:
    for path in rendered.values():
        rules = {f.rule for f in check_document(path).findings}
        assert not {rule for rule in rules if rule.split(".")[0] in ("structure", "header", "evaluation")}


def _without_text(path: Path, tmp_path: Path, text: str) -> Path:
    """A copy of ``path`` whose paragraphs reading exactly ``text`` read ``已删除`` instead."""
    parts = read_zip(path.read_bytes())
    root = etree.fromstring(parts["word/document.xml"])
    found = 0
    for paragraph in root.iter(qn("w:p")):
        runs = list(paragraph.iter(qn("w:t")))
        if compact("".join(t.text or "" for t in runs)) == compact(text):
            found += 1
            runs[0].text = "已删除"
            for run in runs[1:]:
                run.text = ""
    assert found, text
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    copy = tmp_path / "changed.docx"
    copy.write_bytes(write_zip(parts.items()))
    return copy


@pytest.mark.parametrize("title", words.SECTION_TITLES)
def test_the_checker_finds_each_section_by_its_title(rendered: dict[str, Path], tmp_path: Path, title: str) -> None:
    findings = check_document(_without_text(rendered["ding-qiang"], tmp_path, title)).findings
    assert [f.expected for f in findings if f.rule == "structure.missing-section"] == [title]


@pytest.mark.parametrize("label", words.HEADER_TABLE_LABELS)
def test_the_checker_finds_each_header_label(rendered: dict[str, Path], tmp_path: Path, label: str) -> None:
    findings = check_document(_without_text(rendered["ding-qiang"], tmp_path, label)).findings
    missing = [f.expected for f in findings if f.rule.startswith("header.")]
    # without 文案名称 the header table itself is not found
    assert missing == ([label] if label != words.DOCUMENT_NAME else [f"{words.DOCUMENT_NAME} …"])


def test_the_checker_reads_the_ticks_by_the_options_words(rendered: dict[str, Path], tmp_path: Path) -> None:
    document = _read(rendered["ding-qiang"])
    row = next(row for table in document.tables for row in table if compact(row[0]) == words.RECOMMENDATION)
    # tick every box: the checker must count one tick per option it knows
    all_ticked = row[-1].replace(words.EMPTY_BOX, words.CHECKED_BOX)
    changed = _without_text(rendered["ding-qiang"], tmp_path, row[-1])
    parts = read_zip(changed.read_bytes())
    parts["word/document.xml"] = parts["word/document.xml"].replace("已删除".encode(), all_ticked.encode(), 1)
    changed.write_bytes(write_zip(parts.items()))
    findings = [f for f in check_document(changed).findings if f.rule == "evaluation.recommendation"]
    assert [f.actual for f in findings] == [str(len(words.RECOMMENDATIONS))]


VOCABULARY = PACKAGE_FOLDERS[""] / "vocabulary.py"


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string nodes that are docstrings or bare string statements (not printed)."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    }


def _input_help(tree: ast.AST) -> set[int]:
    """The ids of the strings given to ``labelled``: the Chinese key and help of an input field."""
    return {
        id(argument)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "labelled"
        for argument in node.args
    }


def _document_words(shortest: int) -> set[str]:
    """The vocabulary's words of ``shortest`` or more characters: titles, labels, options, kinds, captions."""
    tree = ast.parse(VOCABULARY.read_text(encoding="utf-8"))
    skipped = _docstrings(tree)
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skipped
        and len(node.value) >= shortest
        and re.search(r"[\u4e00-\u9fff☐☑]", node.value)
    }


def _package_sources() -> list[Path]:
    return sorted(path for folder in PACKAGE_FOLDERS.values() for path in folder.rglob("*.py") if path != VOCABULARY)


def _spelled(paths: list[Path], words_found: set[str]) -> list[str]:
    """``file:line: word`` for each literal in ``paths`` that is one of ``words_found``."""
    spelled = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _docstrings(tree) | _input_help(tree)
        spelled += [
            f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in words_found and id(node) not in skipped
        ]
    return spelled


def test_document_words_are_spelled_only_in_the_vocabulary() -> None:
    # anywhere in the package, words of three or more characters (shorter ones, such as 客户,
    # are too common outside the document to police everywhere)
    words_found = _document_words(3)
    assert {words.DOCUMENT_KIND, words.CARD_CAPTION, *words.RECOMMENDATIONS, words.WEEKLY_KANBAN} <= words_found
    spelled = _spelled(_package_sources(), words_found)
    assert spelled == [], "import these words from plandoc.vocabulary: " + "; ".join(spelled)


# The modules that print the document or read it back: here every word of the vocabulary counts.
PRINTING_AND_CHECKING = ("plan/context.py", "plan/derive.py", "plan/composition_layout.py", "check", "charts", "render")


def test_the_printing_and_checking_modules_spell_no_word_of_the_vocabulary() -> None:
    words_found = _document_words(1)
    assert {words.TOTAL, words.SHARE, words.CATEGORY, words.RECOMMENDATION, words.CHECKED_BOX} <= words_found
    engine = PACKAGE_FOLDERS[""]
    paths = sorted(PACKAGE_FOLDERS["templates"].glob("*.py"))
    for place in PRINTING_AND_CHECKING:
        paths += [engine / place] if place.endswith(".py") else sorted((engine / place).glob("*.py"))
    spelled = _spelled(paths, words_found)
    assert spelled == [], "import these words from plandoc.vocabulary: " + "; ".join(spelled)


def _names_used(path: Path) -> set[str]:
    """Every name ``path`` refers to: plain names, attributes and imported names."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.ImportFrom):
            names.update(alias.name for alias in node.names)
    return names


def _names_in(node: ast.AST | None) -> set[str]:
    return {element.id for element in ast.walk(node) if isinstance(element, ast.Name)} if node else set()


def test_every_name_of_the_vocabulary_is_used_by_the_package() -> None:
    tree = ast.parse(VOCABULARY.read_text(encoding="utf-8"))
    parts: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {element.id for target in targets for element in ast.walk(target) if isinstance(element, ast.Name)}
            used = (
                {element.id for element in ast.walk(node.value) if isinstance(element, ast.Name)}
                if node.value
                else set()
            )
            for name in names:
                parts[name] = used
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            parts[node.name] = set()
    outside = set().union(*(_names_used(path) for path in _package_sources()))
    used = {name for name in parts if name in outside}
    # a name used only to build a used name (HEADER_TABLE_LABELS from CONTROL_STATUS …) counts as used
    while grown := {part for name in used for part in parts[name] if part in parts} - used:
        used |= grown
    assert sorted(set(parts) - used) == [], "the package uses none of these; remove them from the vocabulary"
