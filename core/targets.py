"""Parse 年度指标值 and 实际完成值 into comparator + number + unit, or say they are something else.

Clerks and budget systems write the same target many ways: "≥95%", "≧ 735", "不低于95%", "95%以上",
"≤2小时。", "４，５６０个", "达到100%", "3个工作日内", "两次", "85%~95%", "60至80人". What parses becomes
a Quantity (a range is one too); dates and deadlines are "date" (scored only from an actual that says
the deadline was met); not-applicable markers are "not_applicable"; everything else is "qualitative" —
reported as such, never guessed.

Every pattern here is bounded or anchored, and text longer than any quantity is never matched as one,
so a hostile 32 767-character cell costs linear time.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from core.numbers import compact, in_range, normalize_width

# Comparators, canonical: ">=", ">", "<=", "<", "=", "" (a plain number), and RANGE for "a～b".
RANGE = "range"
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
# Spellings of one unit: "3个工作日" and "3工作日" are the same days (and never calendar days).
# 度量单位 written as a word (四川's export): the sign the rules know.
UNIT_WORDS = {"百分比": "%", "百分率": "%", "百分之": "%", "千分比": "‰", "千分率": "‰"}
UNIT_ALIASES = {"个工作日": "工作日", "个月": "月", "个小时": "小时", "个钟头": "小时", "钟头": "小时"}
TIME_UNITS = {"秒", "分钟", "小时", "天", "日", "周", "月", "个月", "年", "工作日", "个工作日", "min", "h", "s"}

# Chinese numerals in counts ("两次", "十二个", "一百人"). Only before a measure word: "一致", "十分满意",
# "一次性" and "三公经费" start with numerals too, and they are words, not counts.
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10000, "亿": 100000000}
_CN = "[零〇一二两三四五六七八九十百千万亿]{1,12}"
_MEASURES = ("个工作日|工作日|个小时|小时|分钟|个月|个|次|人|项|场|名|家|所|台|套|件|批|期|轮|份|户|处|座|条|篇|"
             "本|张|辆|栋|间|类|种|门|支|块|棵|株|只|位|天|年|周|届|堂|节|课时|学时|册|部|组|队|班|宗|例|起|对")
_COUNT_UNIT = re.compile(rf"(?:{_MEASURES})次?(?:/(?:年|季度|季|月|周|天|日|人|户|次))?")

# Text longer than this is never one quantity (a 12-character label, a symbol, a 15-digit number with
# separators, a 12-character unit and a suffix fit well inside): longer cells skip the number patterns.
MAX_QUANTITY_CHARS = 64

_TRAILING = "。.，,；;：:、！!？?）)】]」』\"'”’ \t\r\n"
_LEADING = "（(【[「『\"'“‘ \t\r\n"
_SPACES = re.compile(r"\s+")
_NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+"
_UNIT = r"[^\d\s<>=≥≤≧≦═]{0,12}?"
_SINGLE = re.compile(rf"({_NUMBER})\s*({_UNIT})")
_CN_SINGLE = re.compile(rf"({_CN})\s*({_UNIT})")
# A range "a-b", "a～b" (NFKC makes it "~"), "a〜b", "a至b", "a到b", "a—b": one unit, written after b or on both ends.
_RANGE_UNIT = r"[^\d\s<>=≥≤≧≦═~〜\-—–至到]{0,12}?"
_ENDPOINT = rf"{_NUMBER}|{_CN}"
# clean() leaves single spaces only: " ?" (never "\s*" next to an optional unit, which backtracks
# quadratically over a long run of spaces).
_RANGE_PATTERN = re.compile(rf"({_ENDPOINT}) ?({_RANGE_UNIT}) ?(?:-|~|〜|—|–|至|到) ?({_ENDPOINT}) ?({_RANGE_UNIT})")
_UNIT_CHARS = re.compile(r"[%‰A-Za-z\u4e00-\u9fff/·.²³]+")
# Dates and deadlines: "2023年12月", "12月底前", "2024-06-30", "2024.6.30"; a bare "2024.12" stays a number.
_DATE = re.compile(r"(19|20)\d{2}\s*年(\s*\d{1,2}\s*月)?(\s*\d{1,2}\s*日)?|\d{1,2}\s*月(底|末|份|前|\d{1,2}\s*日)|"
                   r"(19|20)\d{2}[-/]\d{1,2}([-/]\d{1,2})?|(19|20)\d{2}\.\d{1,2}\.\d{1,2}|年底|年末|月底|月末")


@dataclass(frozen=True)
class Quantity:
    comparator: str  # ">=", ">", "<=", "<", "=", "" for a plain number, or RANGE
    number: Decimal  # a range's lower end
    unit: str  # as written, trimmed; "" when none
    high: Decimal | None = None  # a range's upper end; None for every other comparator

    @property
    def key(self) -> str:
        """The unit as compared: case-folded, so "dB/km" and "db/km" are one unit."""
        return self.unit.casefold()

    def text(self) -> str:
        if self.comparator == RANGE:
            assert self.high is not None
            # "85%～95%" but "60～80人": a percent sign belongs to each end, a unit to the whole range.
            low_unit = self.unit if self.unit in ("%", "‰") else ""
            return f"{compact(self.number)}{low_unit}～{compact(self.high)}{self.unit}"
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
    s = _SPACES.sub(" ", s).strip()
    return s.strip(_TRAILING).lstrip(_LEADING).strip()


def says_nothing(text: str) -> bool:
    """True for text parse() reads as "empty" or "not_applicable", without reading the rest."""
    s = clean(text)
    return not s or s.casefold() in NOT_APPLICABLE


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
        hint = clean(unit_hint)
        quantity = Quantity(quantity.comparator, quantity.number, UNIT_WORDS.get(hint, hint), quantity.high)
    return Parsed("quantity", raw, quantity)


_LABEL_BEFORE_SYMBOL = re.compile(r"^[\u4e00-\u9fffA-Za-z]{1,12}\s*(?=[≥≤≧≦⩾⩽<>=═])")


def _by_end(words: Iterable[str], last: bool) -> dict[str, tuple[str, ...]]:
    """The words by their first (or last) character, longest first — so "≥=" wins over "≥" and
    "及以上" over "以上" — built once: a parse then tries only the few that can match."""
    table: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        table.setdefault(word[-1] if last else word[0], []).append(word)
    return {key: tuple(value) for key, value in table.items()}


_SYMBOLS_BY_FIRST = _by_end(SYMBOLS, last=False)
_PREFIXES_BY_FIRST = _by_end(PREFIX_WORDS, last=False)
_SUFFIXES_BY_LAST = _by_end(SUFFIX_WORDS, last=True)


def _quantity(s: str) -> Quantity | None:
    if len(s) > MAX_QUANTITY_CHARS:
        return None
    comparator = ""
    body = _LABEL_BEFORE_SYMBOL.sub("", s)  # "满意度≥90%" reads as "≥90%"
    for symbol in _SYMBOLS_BY_FIRST.get(body[:1], ()):
        if body.startswith(symbol):
            comparator, body = SYMBOLS[symbol], body[len(symbol):].strip()
            break
    else:
        for word in _PREFIXES_BY_FIRST.get(body[:1], ()):
            if body.startswith(word):
                comparator, body = PREFIX_WORDS[word], body[len(word):].strip()
                break
    for word in _SUFFIXES_BY_LAST.get(body[-1:], ()):
        if body.endswith(word) and len(body) > len(word):
            suffix = SUFFIX_WORDS[word]
            if comparator and comparator[0] != suffix[0]:
                return None  # "≥5以内": contradictory, do not guess
            comparator, body = comparator or suffix, body[: -len(word)].strip()
            break
    if _DATE.search(body):
        return None
    match = _SINGLE.fullmatch(body)
    if match:
        number, unit = _arabic(match.group(1)), match.group(2).strip()
        return _checked(comparator, number, unit)
    match = _RANGE_PATTERN.fullmatch(body)
    if match:
        if comparator:
            return None  # "≥85%~95%", "3-5天内": a range with a direction, do not guess
        return _range(*match.groups())
    match = _CN_SINGLE.fullmatch(body)
    if match:
        unit = match.group(2).strip()
        if not _COUNT_UNIT.fullmatch(unit):
            return None
        return _checked(comparator, chinese_number(match.group(1)), unit)
    return None


def _checked(comparator: str, number: Decimal | None, unit: str) -> Quantity | None:
    if number is None or not in_range(number):
        return None  # an absurd number is not compared with anything
    if unit and not _UNIT_CHARS.fullmatch(unit):
        return None
    return Quantity(comparator, number, unit)


def _range(low_text: str, low_unit: str, high_text: str, high_unit: str) -> Quantity | None:
    low_unit, high_unit = low_unit.strip(), high_unit.strip()
    if low_unit and high_unit and low_unit.casefold() != high_unit.casefold():
        return None  # "1小时～2天": one unit per range
    unit = high_unit or low_unit
    ends = []
    for text in (low_text, high_text):
        if text[0] in _CN_DIGITS or text[0] in _CN_SMALL or text[0] in _CN_BIG:
            if not _COUNT_UNIT.fullmatch(unit):
                return None
            ends.append(chinese_number(text))
        else:
            ends.append(_arabic(text))
    low_q, high_q = (_checked("", end, unit) for end in ends)
    if low_q is None or high_q is None:
        return None
    low, high = sorted((low_q.number, high_q.number))
    return Quantity(RANGE, low, unit, high)


def _arabic(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        return None


def chinese_number(text: str) -> Decimal | None:
    """The value of a Chinese numeral as counts are written ("两" 2, "十二" 12, "一百零五" 105,
    "三万五千" 35000), or None when it is not one ("二〇二四" is digits, "一百五" is colloquial and
    ambiguous, "百" alone is a word)."""
    total, section = 0, 0
    digit: int | None = None
    last_small, last_big = 10000, 10**12  # each unit must be smaller than the one before it
    zero = False  # "零" stands for skipped places: "一百零五"
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None:
                return None
            if _CN_DIGITS[ch] == 0:
                zero = True
            else:
                digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            unit = _CN_SMALL[ch]
            if unit >= last_small:
                return None
            if digit is None:
                if ch != "十" or (section and not zero):
                    return None
                digit = 1  # "十二", "一千零十": 十 without a digit is 一十
            section += digit * unit
            digit, last_small, zero = None, unit, False
        elif ch in _CN_BIG:
            unit = _CN_BIG[ch]
            if unit >= last_big:
                return None
            section += digit or 0
            if section == 0:
                return None
            total += section * unit
            section, digit, last_small, last_big, zero = 0, None, 10000, unit, False
        else:
            return None
    if digit is not None:
        # A last digit counts as ones only where nothing is skipped: "十二", "一百零五", "五".
        if not (last_small == 10 or zero or (section == 0 and last_big == 10**12)):
            return None
        section += digit
    return Decimal(total + section)


@functools.lru_cache(maxsize=1024)
def base_unit(unit: str) -> tuple[str, Decimal]:
    """(dimension key, factor) so that number × factor is in the dimension's base unit.

    "万个" -> ("个", 10000); "小时" -> ("time", 3600); "%" -> ("%", 1); "" -> ("", 1).
    A composite unit is one unit, compared whole: "次/年" is not "次", "万元/公里" is 10000 "元/公里".
    """
    key = UNIT_ALIASES.get(unit.casefold(), unit.casefold())
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
