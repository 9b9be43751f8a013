"""Generate docs/render-context.md: every variable a template can use, with an example.

    python -m plandoc.authoring.context_reference samples/ding-qiang.yaml > docs/render-context.md

Without an argument it takes the sample plan shipped with plandoc (the same file).

A test regenerates it and fails when the committed file differs, so the reference
cannot drift from engine/plan/context.py.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from plandoc.authoring.template_lint import sample_contexts
from plandoc.data import SAMPLE_FOLDER
from plandoc.pipeline import check_file

_HEADER = """# Render context reference

Every variable a plan template can use, generated from `engine/plan/context.py` by
`python -m plandoc.authoring.context_reference samples/ding-qiang.yaml` (do not edit by hand).
Every value is text ready to place (or a flag for `{%p if %}`), so a template never computes. Examples come from
`samples/ding-qiang.yaml`, or from generated plans where the sample has no value.
`name[]` is a list: loop over it with `{%p for item in name %}` (or `{%tr for %}` for
table rows) and use `item.field`.

| variable | kind | example |
|---|---|---|
"""


def _first(values: list[Any]) -> Any:
    return next((v for v in values if v not in (None, "", [], {})), values[0] if values else None)


def _rows(path: str, values: list[Any]) -> Iterator[tuple[str, str, str]]:
    sample = _first(values)
    if isinstance(sample, dict):
        yield path, "mapping", ""
        keys: dict[str, None] = {}
        for value in values:
            if isinstance(value, dict):
                keys.update(dict.fromkeys(value))
        for key in keys:
            yield from _rows(f"{path}.{key}" if path else key, [v.get(key) for v in values if isinstance(v, dict)])
    elif isinstance(sample, list):
        items = [item for value in values if isinstance(value, list) for item in value]
        kind = "list of mappings" if items and isinstance(items[0], dict) else "list of text"
        if kind == "list of text":
            yield f"{path}[]", kind, _cell(_first(items)) if items else ""
            return
        yield f"{path}[]", kind, ""
        keys = {}
        for item in items:
            keys.update(dict.fromkeys(item))
        for key in keys:
            yield from _rows(f"{path}[].{key}", [item.get(key) for item in items])
    else:
        yield path, "flag" if isinstance(sample, bool) else "text", _cell(sample)


def _cell(value: Any) -> str:
    text = str(value).replace("\n", "⏎").replace("|", "\\|")
    return text if len(text) <= 40 else text[:39] + "…"


_CHARTS = """
## Charts

A template places a chart with the inline drawing paragraph of the default template
(export it with `plandoc template export`), inside `{%p if analysis.chart %}` …
`{%p endif %}` so that an analysis without a chart (no data, or `chart: none` /
`charts: false` in the plan) leaves nothing behind. `analysis.chart` is an empty mapping
then. `analysis.chart` only says where the chart sits; its data comes from the plan's
derived figures, not from the context: for every chart whose `relationship_id` the
rendered document refers to, the renderer adds the chart part, its embedded workbook and
their relationships and content types. A template that places no chart (one made before
charts existed) renders as before, without chart parts.
"""


def reference(sample: Path) -> str:
    """The reference as Markdown, with examples from ``sample`` (then from generated plans)."""
    contexts = [check_file(sample).context, *sample_contexts()]
    rows = [row for row in _rows("", contexts) if row[0]]
    return _HEADER + "".join(f"| `{name}` | {kind} | {example} |\n" for name, kind, example in rows) + _CHARTS


if __name__ == "__main__":
    sys.stdout.write(reference(Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE_FOLDER / "ding-qiang.yaml"))
