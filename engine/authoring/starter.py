"""Starting points for users: a commented plan file, and a copy of the default template."""

from __future__ import annotations

from pathlib import Path

from plandoc.authoring.json_schema import plan_json_schema_text
from plandoc.data import DATA_FOLDER as DATA
from plandoc.data import SAMPLE_FOLDER
from plandoc.errors import OutputError, UsageError
from plandoc.output.atomic import check_destination, copy_file, write_atomically
from plandoc.templates import DEFAULT_TEMPLATE, TEMPLATE_DIR

SCHEMA_FILE_NAME = "plan.schema.json"
KINDS = ("person", "company")


def starter_text(kind: str) -> str:
    """The commented starting plan for a person or a company client."""
    if kind not in KINDS:
        raise UsageError(f"--kind {kind!r}：请选 person（个人）或 company（公司） | choose person or company")
    return (DATA / f"start-{kind}.yaml").read_text(encoding="utf-8")


def sample_names() -> list[str]:
    """The names of the sample plans shipped with plandoc (``ding-qiang``, ``huaxin-electric``)."""
    return sorted(path.stem for path in SAMPLE_FOLDER.glob("*.yaml"))


def sample_text(name: str) -> str:
    """The text of one shipped sample plan."""
    if name not in sample_names():
        raise UsageError(f"没有名为 {name} 的示例方案 | no sample plan {name!r}; choose one of {sample_names()}")
    return (SAMPLE_FOLDER / f"{name}.yaml").read_text(encoding="utf-8")


def write_starter(path: Path, kind: str, *, force: bool = False) -> list[Path]:
    """Write a starting plan (and the JSON Schema its first line points to); return what was written."""
    if path.exists() and not force:
        raise OutputError(path, "it already exists; add --force to replace it")
    written = [path]
    write_atomically(path, starter_text(kind).encode("utf-8"))
    schema = path.parent / SCHEMA_FILE_NAME
    if not schema.exists() or force:
        write_atomically(schema, plan_json_schema_text().encode("utf-8"))
        written.append(schema)
    return written


def export_template(folder: Path, *, force: bool = False) -> list[Path]:
    """Copy the default template and the script that builds it into ``folder``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError.from_os(folder, exc) from None
    sources = [DEFAULT_TEMPLATE, TEMPLATE_DIR / "build_template.py"]
    targets = [folder / source.name for source in sources]
    for target in targets:
        check_destination(target)  # a link is refused even with --force: it could lead anywhere
    existing = [target for target in targets if target.exists()]
    if existing and not force:
        raise OutputError(existing[0], "已存在；加 --force 替换 | it already exists; add --force to replace it")
    for source, target in zip(sources, targets, strict=True):
        copy_file(source, target)
    return targets
