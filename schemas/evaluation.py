"""客户关系评估表: the indicators, their weights and scores, and the recommendation's thresholds."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, model_validator

from plandoc.schemas.choices import OptionalGrade
from plandoc.schemas.common import InputModel, Number, Percent, RequiredText, Text, labelled
from plandoc.schemas.rules import RuleViolation, raise_violations
from plandoc.schemas.scalars import null_word_to_none
from plandoc.vocabulary import END, IMPROVE, MAINTAIN, RECOMMENDATION, Recommendation

WEIGHT_TOLERANCE = Decimal("0.01")
OptionalRecommendation = Annotated[Recommendation | None, BeforeValidator(null_word_to_none)]


class Indicator(InputModel):
    """One row of 客户关系评估表."""

    name: RequiredText = labelled("分析指标", "分析指标名称")
    weight: Percent = labelled("指标权重", "指标权重（百分数，写 25 或 25%），全部权重之和为 100", gt=0, le=100)
    score: Percent = labelled("指标得分", "指标得分，0 至 100（写 85 或 85%）", ge=0, le=100)
    grade: OptionalGrade = labelled("客户等级", "客户等级 A、B、C、D；不填时按得分计算", None)
    basis: Text = labelled("得分依据", "得分依据", "")
    remark: Text = labelled("备注", "备注", "")


class Thresholds(InputModel):
    """Final-score thresholds of the recommendation."""

    maintain: Number = labelled(MAINTAIN, f"最终得分不低于此值时建议{MAINTAIN}，默认 70", 70, ge=0, le=100)
    improve: Number = labelled(IMPROVE, f"最终得分不低于此值时建议{IMPROVE}，默认 50", 50, ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.improve >= self.maintain:
            raise_violations(
                [
                    RuleViolation(
                        ("improve",),
                        f"{IMPROVE}的界限 {self.improve:g} 应低于{MAINTAIN}的界限 {self.maintain:g} | "
                        f"{IMPROVE} threshold {self.improve:g} must be below {MAINTAIN} threshold {self.maintain:g}",
                    )
                ]
            )
        return self


class Evaluation(InputModel):
    """客户关系评估表: indicators, thresholds and an optional explicit recommendation."""

    number: RequiredText = labelled("编号", "评估表编号")
    indicators: list[Indicator] = labelled("评估指标", "评估指标，权重之和为 100", min_length=1)
    thresholds: Thresholds = labelled("评分界限", "建议的评分界限", Thresholds.model_construct())
    recommendation: OptionalRecommendation = labelled(
        RECOMMENDATION, f"{RECOMMENDATION}：{IMPROVE}、{MAINTAIN}或{END}；不填时按最终得分确定", None
    )

    @model_validator(mode="after")
    def _weights_add_up(self) -> Evaluation:
        # Summed as the decimals the user typed: 33.33 x 3 is 99.99, within tolerance,
        # although the binary floats add up to a hair further away.
        total = sum((Decimal(repr(indicator.weight)) for indicator in self.indicators), Decimal(0))
        if abs(total - 100) > WEIGHT_TOLERANCE:
            raise_violations(
                [
                    RuleViolation(
                        ("indicators",),
                        f"指标权重之和为 {total.normalize():f}，应为 100 | "
                        f"weights (指标权重) add up to {total.normalize():f}, not 100",
                    )
                ]
            )
        return self
