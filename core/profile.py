"""The rule profile: every constant of the scoring rules and checks, read from one TOML file.

The shipped profile is resources/rule_profile.toml. A region's own profile is read the same way; a
malformed one is reported key by key and the shipped profile is used instead, so a typo in a
settings file never stops a clerk from working.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from core.os_errors import os_reason
from core.paths import resource

LEVELS = ("error", "warning", "off")

RULES = (
    "REQUIRED",
    "NUMBER_FORMAT",
    "BUDGET_ZERO",
    "OVER_BUDGET",
    "FUND_ROWS_SUM",
    "POINTS_TOTAL",
    "GROUP_WEIGHT",
    "SCORE_RANGE",
    "UNIT_MISMATCH",
    "REASON_MISSING",
    "SCORE_VS_SUGGESTED",
    "FAR_ABOVE_TARGET",
    "NA_WITH_POINTS",
    "BAND",
    "PRINTED_MISMATCH",
    "FORMULA",
    "TEXT_TOO_LONG",
)

DEFAULT_PATH = resource("rule_profile.toml")


@dataclass(frozen=True)
class Profile:
    """Bands are (name, lower bound) pairs in descending order; a value belongs to the first band
    whose lower bound it reaches."""

    name: str
    funds_points: Decimal
    total_points: Decimal
    group_weights: tuple[tuple[str, Decimal], ...]
    rate_places: int
    score_places: int
    suggested_places: int
    grades: tuple[tuple[str, Decimal], ...]
    far_above_ratio: Decimal
    bare_fraction_max: Decimal  # a bare actual in (0, this] against a % target may be a fraction: 0.8 = 80%
    qualitative_bands: tuple[tuple[str, Decimal], ...]
    check_levels: tuple[tuple[str, str], ...]
    source: str = ""

    def grade_for(self, total_score: Decimal) -> str:
        for name, lower in self.grades:
            if total_score >= lower:
                return name
        return self.grades[-1][0]

    def group_weight(self, group_name: str) -> Decimal | None:
        return dict(self.group_weights).get(group_name)

    def level_of(self, rule: str) -> str:
        return _levels(self.check_levels).get(rule, "off")

    def band(self, name: str) -> tuple[Decimal, Decimal] | None:
        """(low, high) in % of 分值 for a qualitative grade; low inclusive, high exclusive except 100."""
        previous = Decimal(100)
        for band_name, lower in self.qualitative_bands:
            if band_name == name:
                return lower, previous
            previous = lower
        return None

    def band_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.qualitative_bands)


@functools.lru_cache(maxsize=32)
def _levels(check_levels: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return dict(check_levels)  # asked once per finding: build the mapping once per profile


class ProfileError(ValueError):
    """A profile file that cannot be used; the message is Chinese and names the key."""


@dataclass(frozen=True)
class ProfileLoad:
    profile: Profile
    problems: tuple[str, ...]


def _number(data: dict, key: str, where: str) -> Decimal:
    if key not in data:
        raise ProfileError(f"缺少 {where}{key}")
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ProfileError(f"{where}{key} 应为数字，实际为 {value!r}")
    number = Decimal(value)
    if number < 0:
        raise ProfileError(f"{where}{key} 不能为负数（{number}）")
    return number


def _places(data: dict, key: str) -> int:
    number = _number(data, key, "rounding.")
    if number != number.to_integral_value() or number > 6:
        raise ProfileError(f"rounding.{key} 应为 0 到 6 的整数，实际为 {number}")
    return int(number)


def _bands(data: dict, key: str) -> tuple[tuple[str, Decimal], ...]:
    table = data.get(key)
    if not isinstance(table, dict) or not table:
        raise ProfileError(f"缺少 [{key}] 表，或其为空")
    bands = [(str(name), _number(table, name, f"{key}.")) for name in table]
    bands.sort(key=lambda pair: pair[1], reverse=True)
    if bands[-1][1] != 0:
        raise ProfileError(f"[{key}] 的最低一档应从 0 开始，实际为 {bands[-1][1]}")
    return tuple(bands)


def parse_profile(text: str, source: str = "") -> Profile:
    """Raise ProfileError naming the key and the problem when `text` is not a usable profile."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"格式错误：{exc}") from None
    weights = data.get("weights")
    if not isinstance(weights, dict):
        raise ProfileError("缺少 [weights] 表")
    groups = weights.get("groups")
    if not isinstance(groups, dict) or not groups:
        raise ProfileError("缺少 [weights.groups] 表，或其为空")
    rounding = data.get("rounding")
    if not isinstance(rounding, dict):
        raise ProfileError("缺少 [rounding] 表")
    scoring = data.get("scoring")
    if not isinstance(scoring, dict):
        raise ProfileError("缺少 [scoring] 表")
    checks = data.get("checks")
    if not isinstance(checks, dict):
        raise ProfileError("缺少 [checks] 表")
    levels = []
    for rule, level in checks.items():
        if rule not in RULES:
            raise ProfileError(f"checks.{rule} 不是已知的审核规则（可用：{'、'.join(RULES)}）")
        if level not in LEVELS:
            raise ProfileError(f"checks.{rule} 应为 \"error\"、\"warning\" 或 \"off\"，实际为 {level!r}")
        levels.append((rule, level))
    if source != str(DEFAULT_PATH):
        # Checks added after a region wrote its profile keep the shipped level until it says otherwise.
        levels += [(rule, level) for rule, level in _shipped_levels() if rule not in checks]
    ratio = _number(scoring, "far_above_ratio", "scoring.")
    if ratio < 1:
        raise ProfileError(f"scoring.far_above_ratio 应不小于 1，实际为 {ratio}")
    # Added after regions had written their own profiles: one without it takes the shipped value.
    fraction = _number(scoring if "bare_fraction_max" in scoring else _shipped_scoring(),
                       "bare_fraction_max", "scoring.")
    name = data.get("name", "")
    if not isinstance(name, str):
        raise ProfileError(f"name 应为文字，实际为 {name!r}")
    return Profile(
        name=name,
        funds_points=_number(weights, "funds", "weights."),
        total_points=_number(weights, "total", "weights."),
        group_weights=tuple((str(g), _number(groups, g, "weights.groups.")) for g in groups),
        rate_places=_places(rounding, "rate"),
        score_places=_places(rounding, "score"),
        suggested_places=_places(rounding, "suggested"),
        grades=_bands(data, "grades"),
        far_above_ratio=ratio,
        bare_fraction_max=fraction,
        qualitative_bands=_bands(scoring, "qualitative"),
        check_levels=tuple(levels),
        source=source,
    )


@functools.cache
def _shipped_levels() -> tuple[tuple[str, str], ...]:
    return default_profile().check_levels


@functools.cache
def _shipped_scoring() -> dict:
    return tomllib.loads(DEFAULT_PATH.read_text(encoding="utf-8"), parse_float=Decimal)["scoring"]


@functools.cache
def default_profile() -> Profile:
    """The shipped profile. It is part of the program: if it is broken, that is a bug, so raise."""
    return parse_profile(DEFAULT_PATH.read_text(encoding="utf-8"), str(DEFAULT_PATH))


def load_profile(path: str | Path | None) -> ProfileLoad:
    """The profile at `path`, or the shipped one with the reason when `path` cannot be used."""
    if path is None:
        return ProfileLoad(default_profile(), ())
    path = Path(path)
    try:
        raw = path.read_bytes()
        if len(raw) > 1_000_000:
            raise ProfileError("文件超过 1 MB，不像规则配置文件")
        text = raw.decode("utf-8-sig")
        profile = parse_profile(text, str(path))
    except OSError as exc:
        problem = f"无法读取规则配置 {path}：{os_reason(exc)}；已改用内置规则。"
    except UnicodeDecodeError:
        problem = f"规则配置 {path} 不是 UTF-8 编码的文本；已改用内置规则。"
    except ProfileError as exc:
        problem = f"规则配置 {path} 有误：{exc}；已改用内置规则。"
    else:
        return ProfileLoad(profile, ())
    return ProfileLoad(default_profile(), (problem,))
