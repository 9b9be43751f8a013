"""The composition part of a plan (客户构成分析): amounts by category and the chart to draw."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Tag, model_validator

from plandoc.schemas.choices import NO_CHART, Chart, ChartChoice, OptionalChart
from plandoc.schemas.common import Flag, InputModel, Number, RequiredText, labelled
from plandoc.schemas.rules import RuleViolation, raise_violations
from plandoc.vocabulary import CHART_KIND_NAMES, COMPOSITION_KINDS


class CompositionItem(InputModel):
    """One category of a composition and its amount."""

    label: RequiredText = labelled("类别", "类别，如 A级客户、对公存款、华北")
    amount: Number = labelled("金额", "金额，不小于 0；占比由程序计算", ge=0)


_CHART_KINDS = "、".join(f"{kind}（{name}）" for kind, name in CHART_KIND_NAMES.items()) + f"或 none（{NO_CHART}）"
_SALES, _PRODUCTS, _REGIONS = COMPOSITION_KINDS


class CompositionSeries(InputModel):
    """One composition written as a mapping, to choose its own chart: ``{chart: bar, items: [...]}``."""

    chart: OptionalChart = labelled("图表", f"本项的图表：{_CHART_KINDS}；不填时用 composition.chart", None)
    items: list[CompositionItem] = labelled("明细", "各类别及金额")


def _composition_form(value: Any) -> str:
    return "mapping" if isinstance(value, dict) else "list"


CompositionData = Annotated[
    Annotated[list[CompositionItem], Tag("list")] | Annotated[CompositionSeries, Tag("mapping")],
    Discriminator(_composition_form),
]
"""A composition: a bare list of categories, or a mapping that also chooses the chart.
The discriminator reports errors of the form the user wrote, not of both forms."""


def _composition_list(label: str, description: str) -> Any:
    return labelled(label, f"{description}：类别与金额的列表，或 {{chart: …, items: […]}}", None)


class Composition(InputModel):
    """客户构成分析: amounts by client grade, product and region; shares are derived."""

    unit: RequiredText = labelled("单位", "金额单位，默认 万元", "万元")
    chart: Chart = labelled("图表", f"三项构成默认的图表：{_CHART_KINDS}，默认 pie", "pie")
    charts: Flag = labelled("显示图表", f"false 时三项构成都{NO_CHART}，默认 true", True)
    sales: CompositionData | None = _composition_list(_SALES.name, "按客户等级统计的金额")
    products: CompositionData | None = _composition_list(_PRODUCTS.name, "按产品统计的金额")
    regions: CompositionData | None = _composition_list(_REGIONS.name, "按地区统计的金额")

    def items_of(self, key: str) -> list[CompositionItem] | None:
        """The categories of one composition (``sales``, ``products`` or ``regions``), as listed."""
        data: CompositionData | None = getattr(self, key)
        return data.items if isinstance(data, CompositionSeries) else data

    def chart_of(self, key: str) -> ChartChoice:
        """The chart drawn for one composition: its own choice, else the default; none when charts are off."""
        data: CompositionData | None = getattr(self, key)
        if not self.charts:
            return "none"
        if isinstance(data, CompositionSeries) and data.chart is not None:
            return data.chart
        return self.chart

    @model_validator(mode="after")
    def _amounts_usable(self) -> Composition:
        violations = []
        for key in ("sales", "products", "regions"):
            items = self.items_of(key)
            if items is None:
                continue
            where: tuple[str, ...] = (key, "items") if isinstance(getattr(self, key), CompositionSeries) else (key,)
            if not items:
                violations.append(RuleViolation(where, "至少列出一个类别 | list at least one category"))
            elif sum(item.amount for item in items) <= 0:
                violations.append(
                    RuleViolation(where, "金额全部为 0，无法计算占比 | amounts are all zero; shares need a total")
                )
            labels = [item.label for item in items]
            for index, label in enumerate(labels):
                if label in labels[:index]:
                    violations.append(
                        RuleViolation(
                            (*where, index, "label"), f"类别「{label}」列了两次 | category {label!r} is listed twice"
                        )
                    )
        raise_violations(violations)
        return self
