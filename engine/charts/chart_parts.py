"""Add a plan's charts to its rendered package.

For every chart the document places (its relationship id appears in the document body),
the package gains ``word/charts/chartN.xml``, that part's relationship to its workbook
``word/embeddings/Microsoft_Excel_WorksheetN.xlsx``, a relationship from the document to
the chart and the content types of both. Part numbers start after any charts the template
already has. A template that places no chart (an older custom template) gets no parts.

Both render paths use this module: the compiled path fills skeletons laid out once per
chart shape; docxtpl's reference path writes every chart part afresh with python-pptx, so
the equivalence tests compare the two.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from plandoc.cache import cache_key, cached, source_digest
from plandoc.charts import chart_xml, skeleton, workbook
from plandoc.charts.chart_xml import WORKBOOK_RELATIONSHIP_ID, ChartXmlSkeleton, chart_space
from plandoc.charts.spec import ChartFonts, ChartSpec, document_fonts
from plandoc.charts.workbook import WorkbookSkeleton
from plandoc.errors import TemplateError
from plandoc.ooxml.coreprops import DocumentProperties
from plandoc.ooxml.namespaces import CHART_RELATIONSHIP, PACKAGE_RELATIONSHIP
from plandoc.ooxml.package_parts import (
    CONTENT_TYPES_PART,
    DOCUMENT_RELATIONSHIPS_PART,
    Relationship,
    relationship_ids,
    relationships_part,
    with_content_types,
    with_relationships,
)
from plandoc.vocabulary import ChartKind

CHART_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
WORKBOOK_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NUMBERED_PART = re.compile(r"^word/(?:charts/chart|embeddings/Microsoft_Excel_Worksheet)(\d+)\.(?:xml|xlsx)$")


@dataclass(frozen=True)
class PlacedChart:
    """A chart the document places, with the number of its parts."""

    spec: ChartSpec
    number: int

    @property
    def part(self) -> str:
        """The chart part's name."""
        return f"word/charts/chart{self.number}.xml"

    @property
    def relationships_part(self) -> str:
        """The chart part's relationships part."""
        return f"word/charts/_rels/chart{self.number}.xml.rels"

    @property
    def workbook_part(self) -> str:
        """The embedded workbook's part name."""
        return f"word/embeddings/Microsoft_Excel_Worksheet{self.number}.xlsx"


_LAYOUT_CODE = source_digest(chart_xml.__file__, skeleton.__file__, workbook.__file__)
"""The code that lays out chart parts and workbooks: a change to it makes new cache entries."""


@functools.lru_cache(maxsize=64)
def chart_skeleton(kind: ChartKind, count: int, fonts: ChartFonts) -> ChartXmlSkeleton:
    """The chart part layout for one kind, size and font pair; built once, then cached on disk."""
    key = cache_key("chart", kind, str(count), fonts.latin, fonts.east_asian, _LAYOUT_CODE)
    return cached("chart", key, ChartXmlSkeleton, lambda: ChartXmlSkeleton(kind, count, fonts))


@functools.lru_cache(maxsize=64)
def workbook_skeleton(count: int) -> WorkbookSkeleton:
    """The workbook layout for ``count`` categories; built once, then cached on disk."""
    key = cache_key("workbook", str(count), _LAYOUT_CODE)
    return cached("workbook", key, WorkbookSkeleton, lambda: WorkbookSkeleton(count))


class ChartPackager:
    """Adds charts to the packages rendered from one template."""

    def __init__(self, parts: Mapping[str, bytes]) -> None:
        """``parts``: the template's parts, as every rendered document starts from them."""
        self.fonts = document_fonts(parts)
        self._content_types = parts.get(CONTENT_TYPES_PART, b"")
        self._relationships = parts.get(DOCUMENT_RELATIONSHIPS_PART, b"")
        self._taken_ids = relationship_ids(self._relationships)
        numbers = [int(m.group(1)) for name in parts if (m := _NUMBERED_PART.match(name))]
        self._first_number = max(numbers, default=0) + 1
        self._wiring: dict[tuple[tuple[str, int], ...], dict[str, bytes]] = {}

    def place(self, charts: Sequence[ChartSpec], document: str) -> list[PlacedChart]:
        """The ``charts`` that the rendered ``document`` body places, with their part numbers."""
        placed: list[PlacedChart] = []
        for spec in charts:
            if f'r:id="{spec.relationship_id}"' not in document:
                continue
            if spec.relationship_id in self._taken_ids:
                raise TemplateError(
                    f"模板已有关系 {spec.relationship_id!r}，与图表冲突 | "
                    f"the template already has a relationship {spec.relationship_id!r}"
                )
            placed.append(PlacedChart(spec, self._first_number + len(placed)))
        return placed

    def wiring(self, placed: Sequence[PlacedChart]) -> dict[str, bytes]:
        """The content types and document relationships for the placed charts (cached per set)."""
        key = tuple((chart.spec.relationship_id, chart.number) for chart in placed)
        wiring = self._wiring.get(key)
        if wiring is None:
            wiring = self._wiring[key] = self._wire(placed)
        return wiring

    def _wire(self, placed: Sequence[PlacedChart]) -> dict[str, bytes]:
        charts = [(chart.part, CHART_CONTENT_TYPE) for chart in placed]
        relationships = [
            Relationship(chart.spec.relationship_id, CHART_RELATIONSHIP, chart.part.removeprefix("word/"))
            for chart in placed
        ]
        return {
            CONTENT_TYPES_PART: with_content_types(
                self._content_types, default=("xlsx", WORKBOOK_CONTENT_TYPE), overrides=charts
            ),
            DOCUMENT_RELATIONSHIPS_PART: with_relationships(self._relationships, relationships),
        }

    def chart_parts(
        self, placed: Sequence[PlacedChart], properties: DocumentProperties, *, direct: bool = False
    ) -> list[tuple[str, bytes]]:
        """Each placed chart's part, relationships and workbook.

        ``direct``: write the chart XML afresh with python-pptx instead of filling the
        skeleton (docxtpl's reference path; the result is the same XML).
        """
        parts: list[tuple[str, bytes]] = []
        for chart in placed:
            spec = chart.spec
            count = len(spec.categories)
            xml = chart_space(spec, self.fonts) if direct else chart_skeleton(spec.kind, count, self.fonts).fill(spec)
            parts.append((chart.part, xml))
            parts.append((chart.relationships_part, _chart_relationships(chart)))
            parts.append((chart.workbook_part, workbook_skeleton(count).fill(spec, properties)))
        return parts


def _chart_relationships(chart: PlacedChart) -> bytes:
    target = "../embeddings/" + chart.workbook_part.rsplit("/", 1)[1]
    return relationships_part(Relationship(WORKBOOK_RELATIONSHIP_ID, PACKAGE_RELATIONSHIP, target))
