"""Parse 年度指标值 and 实际完成值 into comparator + number + unit, or say they are something else.

Clerks and budget systems write the same target many ways: "≥95%", "≧ 735", "不低于95%", "95%以上",
"≤2小时。", "４，５６０个", "达到100%". What parses becomes a Quantity; dates and deadlines are
"date" (never scored automatically); not-applicable markers are "not_applicable"; everything else is
"qualitative" — reported as such, never guessed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from core.numbers import compact, in_range, normalize_width

# Comparators, canonical: ">=", ">", "<=", "<", "=", "" (a plain number).
SYMBOLS = {
    "≥": ">=", "≧": ">=", "⩾": ">=", ">=": ">=", "=>": ">=", "≥=": ">=",
    "≤": "<=", "≦": "<=", "⩽": "<=", "<=": "<=", "=<": "<=", "≤=": "<=",
    ">": ">", "<": "<",
    "=": "=", "═": "=", "==": "=",
}
PREFIX_WORDS = {
    "大于或等于": ">=", "大于等于": ">=", "不低于": ">=", "不少于": ">=", "不小于": ">=", "至少": ">=",
    "达到": ">=", "达": ">=", "超过": ">", "高于": ">", "多于": ">", "大于": ">",
    "小于或等于": "<=", "小于等于": "<=", "不高于": "<=", "不超过": "<=", "不大于": "<=", "不多于": "<=",
    "最多": "<=", "控制在": "<=", "低于": "<", "少于": "<", "小于": "<", "等于": "=",
}
SUFFIX_WORDS = {
    "及以上": ">=", "以上": ">=", "或以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<=", "之内": "<=",
    "内": "<=",
}
NOT_APPLICABLE = {"无", "不适用", "/", "—", "-", "——", "--", "─", "n/a", "na", "不涉及"}

# Units that convert into one another: unit -> (dimension, factor to the dimension's base unit).
CONVERSIONS = {
    "秒": ("time", Decimal(1)), "s": ("time", Decimal(1)),
    "分钟": ("time", Decimal(60)), "min": ("time", Decimal(60)),
    "小时": ("time", Decimal(3600)), "h": ("time", Decimal(3600)), "时": ("time", Decimal(3600)),
    "天": ("time", Decimal(86400)), "日": ("time", Decimal(86400)),
    "周": ("time", Decimal(604800)),
    "米": ("length", Decimal(1)), "m": ("length", Decimal(1)),
    "公里": ("length", Decimal(1000)), "km": ("length", Decimal(1000)),
}
MAGNITUDES = (("百万", Decimal(1000000)), ("千万", Decimal(10000000)), ("亿", Decimal(100000000)),
              ("万", Decimal(10000)), ("千", Decimal(1000)))
TIME_UNITS = {"秒", "分钟", "小时", "天", "日", "周", "月", "个月", "年", "工作日", "个工作日", "min", "h", "s"}

_TRAILING = "。.，,；;：:、！!？?）)】]」』\"'”’ \t\r\n"
_LEADING = "（(【[「『\"'“‘ \t\r\n"
_NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+"
_UNIT = r"[^\d\s<>=≥≤≧≦═]{0,12}?"
# Dates and deadlines: "2023年12月", "12月底前", "2024-06-30", "2024.6.30"; a bare "2024.12" stays a number.
_DATE = re.compile(r"(19|20)\d{2}\s*年(\s*\d{1,2}\s*月)?(\s*\d{1,2}\s*日)?|\d{1,2}\s*月(底|末|份|\d{1,2}\s*日)|"
                   r"(19|20)\d{2}[-/]\d{1,2}([-/]\d{1,2})?|(19|20)\d{2}\.\d{1,2}\.\d{1,2}|年底|年末|月底|月末")


@dataclass(frozen=True)
class Quantity:
    comparator: str  # ">=", ">", "<=", "<", "=", or "" for a plain number
    number: Decimal
    unit: str  # as written, trimmed; "" when none

    @property
    def key(self) -> str:
        """The unit as compared: case-folded, so "dB/km" and "db/km" are one unit."""
        return self.unit.casefold()

    def text(self) -> str:
        symbol = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=", "": ""}[self.comparator]
        return f"{symbol}{compact(self.number)}{self.unit}"


@dataclass(frozen=True)
class Parsed:
    kind: str  # "quantity" | "qualitative" | "not_applicable" | "empty" | "date"
    text: str
    quantity: Quantity | None = None


def clean(text: str) -> str:
    """Half-width, single spaces, no trailing punctuation: the text as the rules read it."""
    s = normalize_width(text or "")
    s = re.sub(r"\s+", " ", s).strip()
    return s.strip(_TRAILING).lstrip(_LEADING).strip()


@functools.lru_cache(maxsize=8192)
def parse(text: str, unit_hint: str = "") -> Parsed:
    """Parse a target or an actual. `unit_hint` is layout B's 度量单位, used when the value has none."""
    raw = text or ""
    s = clean(raw)
    if not s:
        return Parsed("empty", raw)
    if s.casefold() in NOT_APPLICABLE:
        return Parsed("not_applicable", raw)
    quantity = _quantity(s)
    if quantity is None:
        if _DATE.search(s):
            return Parsed("date", raw)
        return Parsed("qualitative", raw)
    if not quantity.unit and unit_hint.strip():
        quantity = Quantity(quantity.comparator, quantity.number, clean(unit_hint))
    return Parsed("quantity", raw, quantity)


_LABEL_BEFORE_SYMBOL = re.compile(r"^[\u4e00-\u9fffA-Za-z]{1,12}\s*(?=[≥≤≧≦⩾⩽<>=═])")


def _quantity(s: str) -> Quantity | None:
    comparator = ""
    body = _LABEL_BEFORE_SYMBOL.sub("", s)  # "满意度≥95%" reads as "≥95%"
    for symbol in sorted(SYMBOLS, key=len, reverse=True):
        if body.startswith(symbol):
            comparator, body = SYMBOLS[symbol], body[len(symbol):].strip()
            break
    else:
        for word in sorted(PREFIX_WORDS, key=len, reverse=True):
            if body.startswith(word):
                comparator, body = PREFIX_WORDS[word], body[len(word):].strip()
                break
    for word in sorted(SUFFIX_WORDS, key=len, reverse=True):
        if body.endswith(word) and len(body) > len(word):
            suffix = SUFFIX_WORDS[word]
            if comparator and comparator[0] != suffix[0]:
                return None  # "≥5以内": contradictory, do not guess
            comparator, body = comparator or suffix, body[: -len(word)].strip()
            break
    match = re.fullmatch(rf"({_NUMBER})\s*({_UNIT})", body)
    if not match:
        return None
    unit = match.group(2).strip()
    if re.search(r"\d", unit) or _DATE.search(body):
        return None
    if unit and not re.fullmatch(r"[%‰A-Za-z\u4e00-\u9fff/·.²³]+", unit):
        return None
    try:
        number = Decimal(match.group(1).replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        return None
    if not in_range(number):
        return None  # an absurd number is not compared with anything
    return Quantity(comparator, number, unit)


def base_unit(unit: str) -> tuple[str, Decimal]:
    """(dimension key, factor) so that number × factor is in the dimension's base unit.

    "万个" -> ("个", 10000); "小时" -> ("time", 3600); "%" -> ("%", 1); "" -> ("", 1).
    """
    key = unit.casefold()
    if key in CONVERSIONS:
        return CONVERSIONS[key]
    for prefix, factor in MAGNITUDES:
        if key.startswith(prefix) and len(key) > len(prefix):
            rest, rest_factor = base_unit(key[len(prefix):])
            return rest, factor * rest_factor
        if key == prefix:
            return "", factor
    return key, Decimal(1)


def convert(actual: Quantity, target: Quantity) -> Decimal | None:
    """The actual's number in the target's unit; None when the units do not match.

    A unit missing on one side is taken to be the other's ("≥120项" against "120")."""
    if not actual.unit or not target.unit:
        return actual.number
    a_dim, a_factor = base_unit(actual.unit)
    t_dim, t_factor = base_unit(target.unit)
    if a_dim != t_dim:
        return None
    return actual.number * a_factor / t_factor


def is_duration(quantity: Quantity) -> bool:
    return quantity.key in TIME_UNITS or base_unit(quantity.unit)[0] == "time"
