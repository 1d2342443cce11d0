"""建议得分: the score the official rules (财预〔2020〕10号 单位自评) propose for an indicator, and why.

The clerk owns 得分; this only proposes. Every proposal carries a one-line Chinese reason. Where
the rules cannot decide (a qualitative actual that does not say the target was met, a deadline whose
actual does not say it was met, an actual outside a range target, units that do not match or a bare
0.8 against a percentage), the proposal is None and the reason says what the clerk should do.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from core.model import Indicator
from core.numbers import as_number, compact, quantize
from core.profile import Profile
from core.targets import RANGE, Quantity, clean, convert, is_duration, parse

ZERO = Decimal(0)
HUNDRED = Decimal(100)

_MET_PREFIX = r"(已|均已|全部|全部已|已经|已全部)?(按时|按期|如期|准时|提前)?"
# An actual that states the target was met, written the ways clerks write it.
_MET = re.compile(
    rf"^{_MET_PREFIX}(完成|达成|满足|达到|实现|符合)"
    r"(要求|预期|预期目标|预期指标|年度目标|年度指标|目标|指标|标准)?$|^(非常|很|比较)?满意$|^达标$|^是$"
)
# An actual that states a deadline was met (SPEC §4: 按期完成, 按时完成, 已完成, 如期).
_DEADLINE_MET = re.compile(
    rf"^{_MET_PREFIX}(完成|完工|竣工|办结|交付|实现|达成|上线)(任务|目标|年度目标|预期目标)?$|^(按时|按期|如期|准时)$"
)


@dataclass(frozen=True)
class Suggestion:
    """kind: "quantitative", "deadline", "qualitative", "not_applicable" or "unscored" (the rules
    cannot decide)."""

    kind: str
    score: Decimal | None
    reason: str
    far_above: bool = False  # actual beyond target × profile ratio (higher-is-better)
    ratio: Decimal | None = None
    unit_mismatch: bool = False  # the actual's unit cannot be compared with the target's (UNIT_MISMATCH)


def is_not_applicable(indicator: Indicator) -> bool:
    """不适用: the actual is a not-applicable marker, or 三级指标, target and actual are all empty."""
    actual = parse(indicator.actual)
    if actual.kind == "not_applicable":
        return True
    return actual.kind == "empty" and not clean(indicator.level3) and not clean(indicator.target)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", clean(text))


def states_met(actual_text: str, target_text: str) -> bool:
    actual = _squeezed(actual_text)
    return bool(actual) and (actual == _squeezed(target_text) or bool(_MET.match(actual)))


def states_deadline_met(actual_text: str) -> bool:
    return bool(_DEADLINE_MET.match(_squeezed(actual_text)))


# 指标性质 as 四川 prints it: the comparator, or a word for the direction.
_NATURE = {"=": "=", "＝": "=", "═": "=", "≥": "≥", "≧": "≥", ">=": "≥", "＞＝": "≥", "≤": "≤", "≦": "≤",
           "<=": "≤", "＜＝": "≤", ">": ">", "＞": ">", "<": "<", "＜": "<", "正向": "≥", "正向指标": "≥",
           "反向": "≤", "反向指标": "≤"}
_STARTS_WITH_COMPARATOR = re.compile(r"^\s*[=＝═≥≧≤≦<>＜＞]")


def target_text(indicator: Indicator) -> str:
    """年度指标值 as the rules read it: with 指标性质 in front when that column holds the comparator
    (四川: "≥" | "95" | "%" reads "≥95", the unit coming from 度量单位)."""
    comparator = _NATURE.get(indicator.nature.strip().replace(" ", ""))
    target = indicator.target
    if comparator is None or not target.strip() or _STARTS_WITH_COMPARATOR.match(target):
        return target
    return comparator + target.strip()


@functools.lru_cache(maxsize=16384)
def suggest(indicator: Indicator, profile: Profile) -> Suggestion:
    """Cached: indicators and profiles are immutable values, and while a clerk types in one row
    every other row's proposal stays the same."""
    places = profile.suggested_places
    if is_not_applicable(indicator):
        return Suggestion("not_applicable", quantize(ZERO, places), "不适用，建议得分 0")
    points = as_number(indicator.points)
    if points is None:
        return Suggestion("unscored", None, "未填写分值，无法给出建议得分")
    target = parse(target_text(indicator), indicator.unit)
    # The actual read on its own (as is_not_applicable read it) is the same reading when there is no
    # 度量单位: one cached parse, not two.
    own_reading = parse(indicator.actual)
    actual = parse(indicator.actual, indicator.unit) if indicator.unit else own_reading
    full = quantize(points, places)

    if target.kind in ("empty", "not_applicable"):
        return Suggestion("unscored", None, "没有年度指标值，请按实际完成情况自行评分")
    if actual.kind == "empty":
        return Suggestion("unscored", None, "请先填写实际完成值")
    if target.kind == "date":
        deadline, said = clean(indicator.target), clean(indicator.actual)
        if states_deadline_met(indicator.actual):
            return Suggestion("deadline", full, f"时限指标“{deadline}”：实际“{said}”表明已按期完成，得满分 {full}")
        return Suggestion("unscored", None, f"时限指标“{deadline}”：实际“{said}”未表明按期完成，"
                          "不自动评分，请按是否按期完成自行评分")
    if target.kind == "quantity":
        assert target.quantity is not None  # parse() gives kind "quantity" only with its quantity
        if actual.kind == "quantity":
            # A bare actual ("120") is in the target's unit; the 度量单位 column only fills the target's.
            own = own_reading.quantity
            assert own is not None
            return _quantitative(target.quantity, own, points, full, profile)
        # A word ("满意", "已完成") against a number: the rules cannot tell whether it was met.
        return Suggestion("unscored", None, f"实际完成值“{clean(indicator.actual)}”不是数值，无法与指标"
                          f" {target.quantity.text()} 比较，请填写数值或自行评分")
    if states_met(indicator.actual, indicator.target):
        return Suggestion("qualitative", full, f"实际“{clean(indicator.actual)}”表明已达成年度指标，建议满分 {full}")
    return Suggestion("qualitative", None, "定性指标：请选择达成等级（达成年度指标 / 部分达成 / 未达成）后评分")


def _percent(quantity: Quantity) -> Quantity:
    """The same quantity read as a percentage: 0.8 -> 80%."""
    high = None if quantity.high is None else quantity.high * HUNDRED
    return Quantity(quantity.comparator, quantity.number * HUNDRED, "%", high)


def _unit_problem(target: Quantity, actual: Quantity, value: Decimal | None, profile: Profile) -> str | None:
    """Why the actual cannot be compared with the target, or None when it can; `value` is the
    actual in the target's unit (convert()). The texts are made only for a message: most rows
    have none."""
    limit = profile.bare_fraction_max
    if target.unit == "%" and not actual.unit and 0 < actual.number <= limit:
        return (f"实际完成值 {actual.text()} 与指标 {target.text()} 的单位不一致，"
                f"可能是 {_percent(actual).text()}，请核对")
    top = target.number if target.high is None else target.high
    if actual.unit == "%" and not target.unit and target.number >= 0 and 0 < top <= limit:
        return (f"实际完成值 {actual.text()} 与指标 {target.text()} 的单位不一致，指标可能是 "
                f"{_percent(target).text()}，请核对")
    if value is None:
        return (f"实际完成值 {actual.text()} 与指标 {target.text()} 的单位不一致（{actual.unit} 与 {target.unit} "
                "无法换算），请核对后自行评分")
    return None


def _quantitative(target: Quantity, actual: Quantity, points: Decimal, full: Decimal, profile: Profile) -> Suggestion:
    """`full` is `points` at the profile's places: the score of a target met."""
    places = profile.suggested_places
    if actual.comparator == RANGE:
        return Suggestion("unscored", None, f"实际完成值 {actual.text()} 是一个范围，请填写实际达到的数值")
    value = convert(actual, target)
    problem = _unit_problem(target, actual, value, profile)
    if problem is not None:
        return Suggestion("unscored", None, problem, unit_mismatch=True)
    assert value is not None
    t_text, a_text = f"{compact(target.number)}{target.unit}", actual.text()
    goal = target.number
    shown = f"{compact(value)}{target.unit}" if actual.unit != target.unit else a_text.lstrip("≥≤<>=")

    def not_ratio() -> Suggestion:  # made only when needed: most rows never come here
        return Suggestion("unscored", None, f"指标 {target.text()} 或实际 {shown} 为负数，无法按比例计算，请自行评分")

    if target.comparator == RANGE:
        assert target.high is not None
        if goal <= value <= target.high:
            return Suggestion("quantitative", full, f"实际 {shown} 在指标 {target.text()} 范围内，得满分 {full}")
        side, gap = ("低于下限", goal - value) if value < goal else ("高于上限", value - target.high)
        return Suggestion("unscored", None,
                          f"实际 {shown} 不在指标 {target.text()} 范围内，{side} {_gap(gap, target.unit)}，"
                          "不自动评分，请核对后自行评分")
    if target.comparator in ("<=", "<"):
        if value <= goal:
            return Suggestion("quantitative", full, f"实际 {shown} ≤ 指标 {t_text}，得满分 {full}")
        if goal < 0:
            return not_ratio()
        score = quantize(_clamp(points * goal / value, points), places)  # value > goal >= 0
        return Suggestion("quantitative", score,
                          f"实际 {shown} 超过指标 {t_text}，"
                          f"按比例 {compact(points)} × {compact(goal)} ÷ {compact(value)} = {score}")
    if target.comparator == "=" or (target.comparator == "" and is_duration(target)):
        if value == goal:
            return Suggestion("quantitative", full, f"实际 {shown} 等于指标 {t_text}，得满分 {full}")
        if value < 0 or goal < 0:
            return not_ratio()
        low, high = sorted((value, goal))  # high > 0: they differ and neither is negative
        score = quantize(_clamp(points * low / high, points), places)
        return Suggestion("quantitative", score,
                          f"实际 {shown} 不等于指标 {t_text}，"
                          f"按比例 {compact(points)} × {compact(low)} ÷ {compact(high)} = {score}")
    if target.comparator == "" and goal == 0:
        # "0起", "0次投诉": zero is the goal, anything more fails.
        if value <= 0:
            return Suggestion("quantitative", full, f"实际 {shown}，达到指标 {t_text}，得满分 {full}")
        return Suggestion("quantitative", quantize(ZERO, places),
                          f"指标为 {t_text}，实际 {shown} 未达到，建议得分 0（请核实并说明原因）")
    # Higher is better: ≥, >, or a plain number or percentage.
    if value >= goal:
        ratio = value / goal if goal > 0 else None
        far = ratio is not None and ratio > profile.far_above_ratio
        note = (f"（实际为指标的 {compact(quantize(ratio, 2))} 倍，请在偏差原因中说明指标是否偏低）"
                if far and ratio is not None else "")
        return Suggestion("quantitative", full, f"实际 {shown} ≥ 指标 {t_text}，得满分 {full}{note}",
                          far_above=far, ratio=ratio)
    if goal < 0:
        return not_ratio()
    score = quantize(_clamp(points * value / goal, points), places) if goal > 0 else ZERO
    return Suggestion("quantitative", score,
                      f"实际 {shown} 低于指标 {t_text}，"
                      f"按比例 {compact(points)} × {compact(value)} ÷ {compact(goal)} = {score}")


def _gap(amount: Decimal, unit: str) -> str:
    """How far outside a range: percentages differ by 百分点, not by per cent."""
    if unit == "%":
        return f"{compact(amount)} 个百分点"
    if unit == "‰":
        return f"{compact(amount)} 个千分点"
    return f"{compact(amount)}{unit}"


def _clamp(value: Decimal, points: Decimal) -> Decimal:
    return max(ZERO, min(points, value))
