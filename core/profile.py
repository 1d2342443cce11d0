"""The rule profile: every constant of the scoring rules and checks, read from one TOML file.

The shipped profiles are resources/rule_profile.toml (财预〔2020〕10号: 深圳 and the central
template) and resources/profiles/*.toml (四川, 湖北). Each layout file names the profile its forms are
scored by; a profile the clerk chooses (设置, --profile) is used for every form instead. A region's
own profile is read the same way; a malformed one is reported key by key and the shipped profile is
used instead, so a typo in a settings file never stops a clerk from working.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from pathlib import Path

from core.os_errors import os_reason
from core.paths import resource

LEVELS = ("error", "warning", "off")
RATE_BASES = ("annual_budget", "initial_budget")  # 全年预算数 (调整后预算数) or 年初预算数

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
    "TEXT_LIMIT",
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
    rate_base: str = "annual_budget"  # the money column 执行率 divides by (全年预算数 / 调整后预算数)
    funds_reason_below: Decimal | None = None  # 执行率 (%) under which the funds 原因 is required (四川: 90)
    # True for the shipped default: each form is then scored by the profile its layout names.
    follows_layout: bool = False

    def for_layout(self, layout_id: str) -> Profile:
        """The profile a form of this layout is scored by: its layout's, unless the clerk chose one."""
        # No import here: this runs on every keystroke, and an import inside a function costs ~12 µs
        # under PySide6's import hook (bench/README.md).
        return _layout_profile(layout_id) if self.follows_layout else self

    def grade_for(self, total_score: Decimal) -> str:
        for name, lower in self.grades:
            if total_score >= lower:
                return name
        return self.grades[-1][0]

    def group_weight(self, group_name: str) -> Decimal | None:
        return dict(self.group_weights).get(group_name)

    def level_of(self, rule: str) -> str:
        return self._levels.get(rule, "off")

    # Worked out once per profile (a frozen dataclass may cache in its __dict__; equality and the
    # fields' hash ignore it): level_of() is asked per finding, the hash per indicator row by the
    # caches of 建议得分 and findings.
    @functools.cached_property
    def _levels(self) -> dict[str, str]:
        return dict(self.check_levels)

    @functools.cached_property
    def _fields_hash(self) -> int:
        return hash(tuple(getattr(self, f.name) for f in fields(self) if f.compare))  # as __eq__ compares

    def __hash__(self) -> int:
        return self._fields_hash

    def __getstate__(self) -> dict:
        # The fields alone: what is worked out is worked out again (a text's hash differs between processes).
        return {f.name: getattr(self, f.name) for f in fields(self)}

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
    funds = data.get("funds", {})
    if not isinstance(funds, dict):
        raise ProfileError("[funds] 应为一个表")
    rate_base = funds.get("rate_base", "annual_budget")
    if rate_base not in RATE_BASES:
        raise ProfileError(f"funds.rate_base 应为 {'、'.join(RATE_BASES)} 之一，实际为 {rate_base!r}")
    reason_below = _number(funds, "reason_below", "funds.") if "reason_below" in funds else None
    if reason_below is not None and reason_below > 100:
        raise ProfileError(f"funds.reason_below 是执行率（%），应在 0 到 100 之间，实际为 {reason_below}")
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
        rate_base=rate_base,
        funds_reason_below=reason_below,
    )


@functools.cache
def _shipped_levels() -> tuple[tuple[str, str], ...]:
    return default_profile().check_levels


@functools.cache
def _shipped_scoring() -> dict:
    return tomllib.loads(DEFAULT_PATH.read_text(encoding="utf-8"), parse_float=Decimal)["scoring"]


@functools.cache
def default_profile() -> Profile:
    """The shipped profile, following each form's layout to the profile the layout names. It is
    part of the program: if it is broken, that is a bug, so raise."""
    return replace(shipped_profile("rule_profile"), follows_layout=True)


@functools.cache
def shipped_profile(name: str) -> Profile:
    """A profile shipped in resources/ by the name layout files use ("rule_profile", "profiles/sichuan")."""
    path = resource(f"{name}.toml")
    return replace(parse_profile(path.read_text(encoding="utf-8"), str(path)), follows_layout=True)


def rules_text(profile: Profile) -> str:
    """The rules in force, as the help page and 关于 name them (Chinese)."""
    if not profile.follows_layout:
        return profile.name
    from core.layout_files import known_layouts

    by_layout: dict[str, list[str]] = {}
    for spec in known_layouts():
        by_layout.setdefault(profile.for_layout(spec.id).name, []).append(spec.id)
    return "按表的版式自动选用：" + "；".join(f"{'、'.join(ids)} 用 {name}" for name, ids in by_layout.items())


def shipped_profiles() -> list[tuple[str, str]]:
    """(title, name) of every profile the program ships, for 设置 to offer; the name
    ("profiles/sichuan") is what the setting keeps, so it survives the program moving folders."""
    paths = [DEFAULT_PATH, *sorted(resource("profiles").glob("*.toml"))]
    return [(parse_profile(p.read_text(encoding="utf-8"), str(p)).name,
             p.relative_to(resource()).with_suffix("").as_posix()) for p in paths]


def _shipped_path(reference: str) -> Path | None:
    """The shipped profile a setting names ("profiles/sichuan"), or None when it names a file."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)?", reference):
        return None
    path = resource(f"{reference}.toml")
    return path if path.is_file() else None


def forget_layout_profiles() -> None:
    """The known layouts changed: which profile a layout names is worked out again."""
    _layout_profile.cache_clear()


def layout_profile_problem(profile_name: str, layout_folder: Path | None) -> str | None:
    """Why a layout's `profile` cannot be used (Chinese), or None: a shipped name, or a file
    <name>.toml beside a unit's layout file that loads."""
    own = layout_folder / f"{profile_name}.toml" if layout_folder is not None else None
    if own is not None and own.is_file():
        loaded = load_profile(own)
        return loaded.problems[0] if loaded.problems else None
    try:
        shipped_profile(profile_name)
    except OSError:
        return (f"profile：没有名为“{profile_name}”的评分规则（程序自带：rule_profile、profiles/sichuan、"
                f"profiles/hubei；或把 {profile_name}.toml 放在版式文件旁边）")
    except ProfileError as exc:
        return f"profile：评分规则“{profile_name}”有误：{exc}"
    return None


@functools.lru_cache(maxsize=64)
def _layout_profile(layout_id: str) -> Profile:
    """Cached per layout; core.layout_files clears the cache when the known layouts change (it is
    imported here on the first miss, before any unit's layouts can be added)."""
    from core.layout_files import layout_spec

    spec = layout_spec(layout_id)
    if spec is None:
        return default_profile()
    if spec.source == "unit" and spec.path is not None:
        own = spec.path.parent / f"{spec.profile}.toml"  # a unit's layout may bring its own rules
        if own.is_file():
            loaded = load_profile(own)
            if not loaded.problems:
                return replace(loaded.profile, follows_layout=True)
    try:
        return shipped_profile(spec.profile)
    except (OSError, ProfileError):
        return default_profile()



def load_profile(path: str | Path | None) -> ProfileLoad:
    """The profile at `path`, or the shipped one with the reason when `path` cannot be used."""
    if path is None:
        return ProfileLoad(default_profile(), ())
    path = _shipped_path(str(path)) or Path(path)
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
