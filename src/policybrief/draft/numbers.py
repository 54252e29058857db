"""Find the figures in a text: value or range, unit, qualifier, and extraction damage.

English and Chinese are read by separate rules (`english_figures`, `chinese_figures`); both
return `Figure`s whose offsets point into the text as given, so an anchor cut around a figure
is verbatim. What is *not* a figure matters as much as what is: years, calendar days, ordinals
outside a ranking, durations ("two years") and names such as "5G" are left out, because every
proposal costs the analyst a decision.

Split digits ("1 2 lighthouse factories", "in 20 12") are text-extraction damage: two short
digit groups side by side, which English prose never prints. They are joined for the reading
and reported as `Damage` so that the analyst confirms the reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Value = float | tuple[float, float]


@dataclass
class Figure:
    value: Value
    unit: str  # "%", "million yuan", "factories", "rank", "家", "亿元"…
    counts: str  # the words after the number, a first guess at what is counted
    approx: str | None  # over | nearly | about | at least (the content format's words)
    start: int  # span of qualifier + number + unit in the text
    end: int
    number_start: int
    number_end: int
    reading: str | None = None  # the corrected number when the printed one is damaged
    why_unit: str = ""


@dataclass
class Damage:
    start: int
    end: int
    printed: str  # "1 2"
    reading: str  # "12"


@dataclass
class Year:
    value: int
    start: int
    end: int
    relation: str  # by | since | in | range-start | range-end
    other: int | None = None  # the range's other end


# --------------------------------------------------------------------------- shared

_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}  # fmt: skip
_WORD_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}  # fmt: skip
# Qualifiers, longest first, mapped to the content format's `approx` words.
_BEFORE = [
    ("no fewer than", "at least"), ("no less than", "at least"), ("not less than", "at least"),
    ("a minimum of", "at least"), ("at least", "at least"), ("in excess of", "over"),
    ("upwards of", "over"), ("more than", "over"), ("greater than", "over"),
    ("exceeding", "over"), ("over", "over"), ("above", "over"), ("close to", "nearly"),
    ("nearly", "nearly"), ("almost", "nearly"), ("just under", "nearly"),
    ("an estimated", "about"), ("approximately", "about"), ("roughly", "about"),
    ("around", "about"), ("about", "about"), ("some", "about"),
]  # fmt: skip
_BEFORE_WORDS = dict(_BEFORE)
_BEFORE_RE = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p, _ in _BEFORE) + r")\s+$", re.I
)
_AFTER = [("or more", "at least"), ("and above", "at least"), ("or above", "at least")]
_TIME_WORDS = {
    "year", "years", "month", "months", "week", "weeks", "day", "days", "decade", "decades",
    "hour", "hours", "minute", "minutes", "century", "centuries", "quarter", "quarters",
}  # fmt: skip
_STOP = {
    "of", "in", "and", "or", "to", "by", "for", "from", "with", "at", "on", "per", "that",
    "which", "who", "a", "an", "the", "is", "are", "was", "were", "will", "has", "have", "had",
    "each", "every", "since", "under", "as", "than", "this", "these", "its", "their", "it",
    "be", "been", "being", "between", "within", "during", "across", "over", "after", "before",
    "into", "through", "while", "including", "such", "compared", "up", "down", "last", "so", "but", "not", "also", "would", "could", "should", "can", "may", "must", "said",
    "says", "now", "then", "more", "less", "about", "around", "nearly", "above",
    "below",
}  # fmt: skip
_CURRENCIES = ["US dollars", "U.S. dollars", "dollars", "yuan", "euros", "RMB", "renminbi"]
_YEAR_RE = re.compile(r"^(1[89]\d\d|20\d\d|2100)$")
_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
)
# Calendar days, e-mail addresses and web addresses hold digits that are never figures.
_NOT_FIGURES = re.compile(
    rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\b"
    r"|\S+@\S+|https?://\S+|www\.\S+"
    r"|\b(?:No|Article|Item|Section|Figure|Table|Document)\.?\s+\d+"
)
_BEFORE_YEAR = {
    "in", "since", "by", "the", "of", "from", "to", "until", "before", "after", "end", "year",
    "early", "late", "mid", "between", "and", "through", "till", "during", "for",
} | {m.lower() for m in _MONTHS.split("|")}  # fmt: skip
_RANK_CONTEXT = re.compile(r"\b(rank|ranks|ranked|ranking|place|position|positions)\b", re.I)


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _to_float(token: str) -> float:
    return float(token.replace(",", ""))


# --------------------------------------------------------------------------- English

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDS = "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
_ORDS = "|".join(sorted(_WORD_ORDINALS, key=len, reverse=True))
_CANDIDATE = re.compile(
    rf"(?<![\w.,\-/@#$+])(?:"
    rf"(?P<split>\d{{1,3}} \d{{1,3}})(?![\d,]|\.\d| \d)"
    rf"|(?P<ord>\d+(?:st|nd|rd|th))\b"
    rf"|(?P<num>{_NUM})(?![\w])"
    rf"|(?P<word>\b(?:{_WORDS})\b)(?!-)"
    rf"|(?P<wordord>\b(?:{_ORDS})\b)(?!-)"
    rf")",
    re.I,
)
_RANGE_TAIL = re.compile(rf"\s*(?:-|–|—|to|or)\s*(?P<high>{_NUM}|\b(?:{_WORDS})\b)(?![\w-])", re.I)
_SCALE_TAIL = re.compile(r"\s+(?P<scale>thousand|million|billion|trillion)\b", re.I)
_PERCENT_TAIL = re.compile(r"\s*(?:%|percent\b|per cent\b)|\s+percentage points?\b", re.I)
_WORD_RE = re.compile(r"[A-Za-z][\w'’-]*")


def english_figures(text: str) -> list[Figure]:
    """Every figure in English `text`, in order of appearance."""
    masked = _blank(text, _NOT_FIGURES)
    out: list[Figure] = []
    for match in _CANDIDATE.finditer(masked):
        figure = _english_figure(text, masked, match)
        if figure is not None and not (out and figure.number_start < out[-1].end):
            out.append(figure)
    return out


def split_digits(text: str) -> list[Damage]:
    """Digit groups split by extraction ("20 12", "1 1"), joined for the reading."""
    masked = _blank(text, _NOT_FIGURES)
    out = []
    for match in _CANDIDATE.finditer(masked):
        if match.group("split"):
            printed = match.group("split")
            out.append(Damage(match.start(), match.end(), printed, printed.replace(" ", "")))
    return out


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos), text.rfind("。", 0, pos))
    start = 0 if start < 0 else start + 1
    ends = [i for i in (text.find(". ", pos), text.find("\n", pos), text.find("。", pos)) if i >= 0]
    return start, (min(ends) + 1 if ends else len(text))


def _english_figure(text: str, masked: str, m: re.Match[str]) -> Figure | None:
    kind = m.lastgroup or ""
    token = m.group(0)
    n_start, n_end = m.start(), m.end()
    reading = None
    s_start, s_end = _sentence_bounds(text, n_start)
    sentence = text[s_start:s_end]
    before_words = [w.lower() for w in _WORD_RE.findall(masked[max(s_start, n_start - 40) : n_start])]
    rank_context = bool(_RANK_CONTEXT.search(sentence))

    if kind == "split":
        reading = token.replace(" ", "")
        value: Value = float(reading)
    elif kind in ("ord", "wordord"):
        if not rank_context:
            return None  # "6th World Intelligence Congress", "Thirteenth Five-Year Plan"
        digits = re.match(r"\d+", token)
        value = float(digits.group(0)) if digits else float(_WORD_ORDINALS[token.lower()])
        return _finish(text, m, value, "rank", "rank", None, n_end, reading, "an ordinal in a ranking")
    elif kind == "word":
        value = float(_WORD_NUMBERS[token.lower()])
    else:
        value = _to_float(token)

    pos = n_end
    # A range: "10 to 15", "50-60", "two or three"; "between 10 and 15".
    rng = _RANGE_TAIL.match(masked, pos)
    if rng and (kind == "word") == (rng.group("high").lower() in _WORD_NUMBERS):
        high_token = rng.group("high")
        high = float(_WORD_NUMBERS.get(high_token.lower(), 0)) or _to_float(high_token)
        if high > value and not (_is_year(token) and _is_year(high_token)):
            value = (float(value), high)
            pos = rng.end()
    elif before_words[-1:] == ["between"]:
        tail = re.match(rf"\s+and\s+(?P<high>{_NUM})(?!\w)", masked[pos:])
        if tail:
            value = (float(value), _to_float(tail.group("high")))
            pos += tail.end()

    scale = _SCALE_TAIL.match(masked, pos)
    unit_prefix = ""
    if scale:
        unit_prefix = scale.group("scale").lower()
        pos = scale.end()
    percent = _PERCENT_TAIL.match(masked, pos)
    if percent:
        unit = "percentage points" if "point" in percent.group(0).lower() else "%"
        return _finish(text, m, value, unit, unit, None, percent.end(), reading, "a percentage")

    # Years: four bare digits from 1800 to 2100 date something ("in 2022", "May 2024", "the
    # 2018 report", "2023-2025") unless a counted noun follows them directly ("2000 kilograms").
    if kind in ("num", "split") and not unit_prefix and _is_year(reading or token):
        after, _ = _noun_phrase(masked, pos)
        year_range = _RANGE_TAIL.match(masked, n_end)
        if (
            not after
            or after[0][0].isupper()
            or (year_range and _is_year(year_range.group("high")))
            or (before_words[-1:] and before_words[-1] in _BEFORE_YEAR)
        ):
            return None
    if isinstance(value, tuple) and _is_year(token):
        return None  # (2016-2020): a period
    if before_words[-1:] == ["per"]:
        return None  # "392 units per 10,000 workers": the denominator of a rate
    if kind == "word" and (
        (before_words[-1:] and before_words[-1] in {"the", "these", "those", "both", "all"})
        or (masked[max(0, n_start - 1) : n_start] in "\"“'‘" and n_start > 0)
    ):
        return None  # "the two industries", '"five basics"': a reference or a name, not a count

    currency = _currency_at(masked, pos)
    if currency:
        name, pos = currency
        unit = f"{unit_prefix} {name}".strip()
        return _finish(text, m, value, unit, unit, None, pos, reading, "an amount of money")
    if masked[max(0, n_start - 1) : n_start] == "$" or before_words[-1:] in (["us"], ["rmb"]):
        unit = f"{unit_prefix} {'yuan' if before_words[-1:] == ['rmb'] else 'US dollars'}".strip()
        return _finish(text, m, value, unit, unit, None, pos, reading, "an amount of money")

    words, noun_end = _noun_phrase(masked, pos)
    if any(w.lower() in _TIME_WORDS for w in words):
        return None  # a duration: "two years", "three consecutive years" (a period, not a figure)
    if words and words[0].lower() in {"times", "fold"} and not unit_prefix:
        return _finish(text, m, value, "times", "times", None, noun_end, reading, "a multiple")
    if not words:
        if rank_context and before_words[-1:] == ["the"]:
            return _finish(text, m, value, "rank", "rank", None, pos, reading, "a rank without a suffix")
        if kind == "word":
            return None  # "one of", "two" alone: not a counted figure
        if unit_prefix:
            return _finish(text, m, value, unit_prefix, unit_prefix, None, pos, reading, "a scaled number")
        # A bare number: keep it, but say that the unit is missing (a broken sentence?).
        return _finish(text, m, value, "", "", None, pos, reading, "no unit follows the number")
    if kind == "word" and (words[0][0].isupper() or (value == 1 and words[-1].lower().endswith("s"))):
        return None  # "one Belt", "one companies": not a count
    noun = words[-1]
    counts = " ".join(words)
    unit = f"{unit_prefix} {noun}".strip()
    return _finish(text, m, value, unit, counts, None, noun_end, reading, "the noun after the number")


def _is_year(token: str) -> bool:
    return bool(_YEAR_RE.match(token))


def _currency_at(masked: str, pos: int) -> tuple[str, int] | None:
    for name in _CURRENCIES:
        tail = re.match(rf"\s+(?:of\s+)?{re.escape(name)}\b", masked[pos:], re.I)
        if tail:
            return name, pos + tail.end()
    return None


def _noun_phrase(masked: str, pos: int) -> tuple[list[str], int]:
    """Up to five words after a number, stopping at a function word or punctuation."""
    words: list[str] = []
    end = pos
    for word in re.finditer(r"\s*([\"“]?)([A-Za-z][\w'’-]*|\(|,|\.|;|:)", masked[pos:]):
        if word.start() != end - pos:
            break
        token = word.group(2)
        if token in "(,.;:" or token.lower() in _STOP or len(words) == 5:
            break
        if words and re.search(r"[a-z](ed|ly)$", token):
            break  # "models created", "departments released": the verb, not the noun
        words.append(token)
        end = pos + word.end()
    return words, end


def _finish(
    text: str,
    m: re.Match[str],
    value: Value,
    unit: str,
    counts: str,
    approx: str | None,
    end: int,
    reading: str | None,
    why: str,
) -> Figure:
    start = m.start()
    before = text[max(0, start - 30) : start]
    qualifier = _BEFORE_RE.search(before)
    if qualifier:
        approx = _BEFORE_WORDS[" ".join(qualifier.group(1).lower().split())]
        start -= len(before) - qualifier.start(1)
    for phrase, word in _AFTER:
        tail = re.match(rf"\s+{phrase}\b", text[end:])
        if tail and approx is None:
            approx = word
            end += tail.end()
    return Figure(value, unit, counts, approx, start, end, m.start(), m.end(), reading, why)


# --------------------------------------------------------------------------- Chinese

_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_SMALL = {"十": 10, "百": 100, "千": 1000}
_ZH_NUM = r"[零〇一二两三四五六七八九十百千]+"
_ZH_UNITS = (
    "个百分点|千瓦时|平方米|平方公里|万千瓦|公里|亿元|万元|千元|美元|元|家|个|项|座|台|套|名|人|户|件|条|"
    "吨|亩|所|批|类|种|款|倍|处|支|只|辆|架|艘|篇|部|场|次|%|％"
)
_ZH_FIGURE = re.compile(
    rf"(?P<before>超过|不少于|不低于|不超过|至少|接近|将近|大约|约|近|逾)?"
    rf"(?P<num>\d+(?:\.\d+)?|{_ZH_NUM})"
    rf"(?P<scale>万亿|亿|万)?"
    rf"(?P<mid>余|多)?"
    rf"(?P<unit>{_ZH_UNITS})"
    rf"(?P<after>以上|左右|以内|之多)?"
)
_ZH_BEFORE = {"超过": "over", "逾": "over", "不少于": "at least", "不低于": "at least", "至少": "at least"}
_ZH_BEFORE |= {"接近": "nearly", "将近": "nearly", "近": "nearly", "大约": "about", "约": "about"}
_ZH_AFTER = {"以上": "over", "左右": "about", "之多": "over"}
_ZH_YEAR = re.compile(r"(?P<a>(?:19|20)\d\d)\s*(?:[-—–~至到]\s*(?P<b>(?:19|20)\d\d))?\s*年")


def zh_number(token: str) -> float:
    """'2000' -> 2000; '一万' is read by the caller as 1 + 万; '三百二十' -> 320; '十二' -> 12."""
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return float(token)
    total, current = 0, 0
    for char in token:
        if char in _ZH_DIGITS:
            current = (
                current * 10 + _ZH_DIGITS[char] if current and token[0] not in _ZH_SMALL else _ZH_DIGITS[char]
            )
        elif char in _ZH_SMALL:
            total += (current or 1) * _ZH_SMALL[char]
            current = 0
    return float(total + current)


def chinese_figures(text: str) -> list[Figure]:
    """Figures in Chinese text: Arabic or Chinese numerals, 万/亿 kept in the unit as printed."""
    out: list[Figure] = []
    for m in _ZH_FIGURE.finditer(text):
        num = m.group("num")
        unit = (m.group("scale") or "") + m.group("unit")
        # Chinese numerals are also ordinary words (一些, 一批, 三年): only count them with a
        # measure word, never a bare 年 (a duration or a year).
        if unit == "%" or unit == "％":
            unit = "%"
        approx = _ZH_BEFORE.get(m.group("before") or "") or (
            "over" if m.group("mid") else _ZH_AFTER.get(m.group("after") or "")
        )
        if approx is None and m.group("after") == "以内":
            approx = None
        start = m.start() if m.group("before") else m.start("num")
        value = zh_number(num)
        if (
            not re.fullmatch(r"\d+(?:\.\d+)?", num)
            and num in ("一", "两")
            and unit in ("批", "类", "种", "次")
        ):
            continue  # 一批, 一类: "a batch", "a kind"
        out.append(
            Figure(
                value,
                unit,
                unit,
                approx,
                start,
                m.end(),
                m.start("num"),
                m.end("num"),
                None,
                "unit as printed",
            )
        )
    return out


def chinese_years(text: str) -> list[Year]:
    out = []
    for m in _ZH_YEAR.finditer(text):
        a = int(m.group("a"))
        if m.group("b"):
            out.append(Year(a, m.start(), m.end(), "range", int(m.group("b"))))
        else:
            lead = text[max(0, m.start() - 2) : m.start()]
            relation = "by" if lead.endswith(("到", "至")) else "since" if lead.endswith("自") else "in"
            out.append(Year(a, m.start(), m.end(), relation))
    return out


_EN_YEAR = re.compile(
    r"(?P<lead>\b(?:by|since|from|in|before|until|through|end of)\s+)?"
    r"(?<![\d,.])(?P<a>(?:19[5-9]|20\d)\d)(?:\s*(?:-|–|—|to)\s*(?P<b>(?:19[5-9]|20\d)\d))?(?![\d,%])",
    re.I,
)


def english_years(text: str) -> list[Year]:
    out = []
    for m in _EN_YEAR.finditer(text):
        a = int(m.group("a"))
        lead = (m.group("lead") or "").strip().lower()
        if m.group("b"):
            out.append(Year(a, m.start("a"), m.end(), "range", int(m.group("b"))))
        else:
            relation = {"by": "by", "since": "since", "from": "since", "before": "by", "until": "by"}
            out.append(Year(a, m.start("a"), m.end(), relation.get(lead, "in")))
    return out


def is_chinese(text: str) -> bool:
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    letters = sum(1 for c in text if c.isalpha())
    return letters > 0 and cjk / letters > 0.3
