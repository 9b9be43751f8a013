"""Every message plandoc gives a user is Chinese first, English after.

Read from the code: the message of every plandoc error raised with words of its own, and of
every ValueError the input models raise (pydantic shows it to the user as it is), must hold
Chinese when it holds English words. A message made only of what it passes on (``f"{path}:
{error.reason}"``) is judged where that reason is written.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.test_architecture import Module, package_modules, parse
from tests.typecheck import PACKAGE_FOLDERS

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
MESSAGE_ARGUMENT = {"RegisterRuleError": 1}
"""Errors whose message is not their first argument (a register rule's code comes first)."""


def plandoc_errors() -> set[str]:
    tree = parse(PACKAGE_FOLDERS[""] / "errors.py")
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}


def literal_text(node: ast.expr) -> str | None:
    """The words written in a message expression (placeholders left out); None when it is not literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value for part in node.values if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = literal_text(node.left), literal_text(node.right)
        return None if left is None or right is None else left + right
    return None


def user_messages(module: Module, errors: set[str]) -> list[tuple[int, str]]:
    in_schemas = module.name.startswith("plandoc.schemas")
    found = []
    for node in ast.walk(module.tree()):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        function = node.exc.func
        name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
        if name not in errors and not (in_schemas and name == "ValueError"):
            continue
        position = MESSAGE_ARGUMENT.get(name, 0)
        if len(node.exc.args) > position:
            text = literal_text(node.exc.args[position])
            if text is not None:
                found.append((node.lineno, text))
    return found


def test_every_message_with_english_words_has_chinese_first() -> None:
    errors = plandoc_errors()
    english_only = [
        f"{Path(module.path).relative_to(PACKAGE_FOLDERS[''].parent)}:{line}: {text!r}"
        for module in package_modules()
        for line, text in user_messages(module, errors)
        if ENGLISH_WORD.search(text) and not CHINESE.search(text)
    ]
    assert english_only == [], "write these Chinese first, then ' | ' and the English:\n" + "\n".join(english_only)


def test_the_reader_finds_messages_and_judges_them() -> None:
    # the test above must not pass by finding nothing
    source = 'raise UsageError(f"--pages {text!r}: pages count from 1")\nraise UsageError("页码 | pages")\n'
    module_tree = ast.parse(source)
    texts = [
        literal_text(node.exc.args[0])
        for node in ast.walk(module_tree)
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
    ]
    assert texts == ["--pages : pages count from 1", "页码 | pages"]
    errors = plandoc_errors()
    counted = sum(len(user_messages(module, errors)) for module in package_modules())
    assert counted > 100
