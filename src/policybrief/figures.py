"""Figures as readers write them: find every number a sentence states, with its value.

A figure is digits with separators ("10,000", "1.41"), a percentage ("9%", "30 per cent"),
number words ("nine", "two or three", "a dozen", "ten thousand"), a range ("2–3", "two or
three"), a scale word ("10 million", "1 trillion") and a qualifier in front ("over", "more
than", "nearly", "about", "at least"). Number words are read by the maintained `text2num`
package; this module finds where they are and what surrounds them.

What is not a figure: years ("2019", "2023–2025"), calendar dates ("15 September"), list
markers, names with digits ("5G", "B2B", "Industry 4.0"), ordinals ("11th", "first"),
compound adjectives ("three-year plan"), the word "one" on its own ("one firm's case" is an
article, not a count), short quotations of up to four words (the source's own name for a
thing: "five basics"), citations `[@id]` and computed values `[=…]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from text_to_num import text2num

# Canonical qualifiers, as the content model records them (Quantity.approx), and the ways
# prose writes them.
QUALIFIERS: dict[str, str] = {
    "over": "over",
    "more than": "over",
    "above": "over",
    "exceeding": "over",
    "upwards of": "over",
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "just under": "nearly",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "some": "about",
    "at least": "at least",
    "no fewer than": "at least",
    "no less than": "at least",
}
SCALES: dict[str, float] = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}
_UNITS = [
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD = rf"(?:(?:{'|'.join(_TENS)})(?:-(?:one|{'|'.join(_UNITS[:8])}))?|{'|'.join(_UNITS)})"
# "one" counts only as part of a larger number word ("one hundred", "twenty-one").
_WORD_RUN = rf"(?:(?:{_WORD}|one)\s+(?:hundred|thousand)(?:\s+(?:and\s+)?{_WORD})?|{_WORD}|a\s+dozen|dozen)"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ONE = rf"(?:{_DIGITS}|{_WORD_RUN})"
_SCALE = rf"(?:\s+(?:{'|'.join(SCALES)}))"
_PERCENT = r"(?:\s?%|\s+per\s?cent\b|\s+percent\b)"
_QUALIFIER = "|".join(
    sorted((re.escape(q).replace(r"\ ", r"\s+") for q in QUALIFIERS), key=len, reverse=True)
)
FIGURE_RE = re.compile(
    rf"(?<![\w@/#.,-])(?:(?P<qual>{_QUALIFIER})\s+)?"
    rf"(?P<low>{_ONE})(?:\s*(?:[-–]|\s+to\s+|\s+or\s+)\s*(?P<high>{_ONE}))?"
    rf"(?P<scale>{_SCALE})?(?P<pct>{_PERCENT})?"
    # A figure ends at a word boundary: "5G", "11th" and "three-year" are not figures.
    r"(?![\w-]|[.,]\d)",
    re.I,
)
# Four bare digits from 1800 to 2100 are a year (legislation still cited in briefs can be
# that old); a count that size is written with a separator ("1,850 firms").
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d|2100)$")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTHS_SHORT = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
# Markdown heading lines, attribute lists, link targets, bare URLs, raw HTML tags, citations,
# computed values and calendar days ("15 September", "Sept. 15") carry no figures of substance
# (a port or a path in "http://example.org:8080/2" is no claim a reader checks).
_IGNORED = re.compile(
    r"\[@[^\]]*\]|\[=[^\]]*\]|\{[:#.][^}]*\}|\]\([^)]*\)|^#+ .*$|^\s*\d+\.\s"
    r"|\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"')]+|<[a-zA-Z/][^<>\n]*>"
    rf"|\b\d{{1,2}}\s+(?:{_MONTHS})\b|\b(?:{_MONTHS}|{_MONTHS_SHORT})\.?\s+\d{{1,2}}\b"
    r"|\bIndustry\s+\d\.\d\b"
    # A short quotation is the source's own name for something ("five basics").
    r'|"(?:[^"\n ]+ ){0,3}[^"\n ]+"|“(?:[^”\n ]+ ){0,3}[^”\n ]+”',
    re.M,
)


@dataclass(frozen=True)
class Figure:
    """One figure as written, and what it means."""

    text: str  # as written, qualifier included: "over 10,000", "two or three"
    start: int  # offset in the text searched
    low: float  # scale applied: "1.41 million" is 1,410,000
    high: float  # equal to low unless a range
    percent: bool
    qualifier: str | None  # canonical: over | nearly | about | at least
    scale: str | None  # "million", as written
    in_words: bool

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    def value_label(self) -> str:
        def fmt(x: float) -> str:
            return f"{int(x):,}" if float(x).is_integer() else f"{x:,.6g}"

        number = fmt(self.low) if not self.is_range else f"{fmt(self.low)}–{fmt(self.high)}"
        return f"{self.qualifier + ' ' if self.qualifier else ''}{number}{'%' if self.percent else ''}"


_ORDINAL = re.compile(r"(?<![\w.,])(\d+)(?:st|nd|rd|th)\b")


def ordinals(text: str) -> list[int]:
    """Ranks written as ordinals: "the 34th" -> [34]."""
    return [int(m.group(1)) for m in _ORDINAL.finditer(text)]


def mask(text: str) -> str:
    """Blank out what carries no figures, keeping offsets."""
    return _IGNORED.sub(lambda m: " " * len(m.group(0)), text)


def number_value(token: str) -> float:
    """'10,000' -> 10000; 'nine' -> 9; 'a dozen' -> 12; 'twenty-six' -> 26."""
    token = " ".join(token.lower().split())
    if token[0].isdigit():
        return float(token.replace(",", ""))
    if token in ("dozen", "a dozen"):
        return 12.0
    return float(text2num(token.replace(" and ", " "), "en"))


def find_figures(text: str, keep_years: bool = False) -> Iterator[Figure]:
    """Every figure in `text`, in order. `keep_years` reads "2000" as a number too (a
    source's "2000 kilograms"), for anchors, where the quantity says what it is."""
    masked = mask(text)
    for match in FIGURE_RE.finditer(masked):
        low_text, high_text = match.group("low"), match.group("high")
        scale_text = (match.group("scale") or "").strip().lower() or None
        percent = bool(match.group("pct"))
        if not keep_years and not scale_text and not percent and _is_year_or_period(low_text, high_text):
            continue
        if high_text is not None and not _same_form(low_text, high_text):
            # "2 or three" is odd; "10,000 to 2024" is not a range. Read the first alone.
            yield from _single(match, masked, keep_years)
            continue
        factor = SCALES[scale_text] if scale_text else 1.0
        low = number_value(low_text) * factor
        high = number_value(high_text) * factor if high_text else low
        qual = match.group("qual")
        yield Figure(
            text=" ".join(match.group(0).split()),
            start=match.start(),
            low=low,
            high=high,
            percent=percent,
            qualifier=QUALIFIERS[" ".join(qual.lower().split())] if qual else None,
            scale=scale_text,
            in_words=not low_text[0].isdigit(),
        )


def _single(match: re.Match[str], masked: str, keep_years: bool) -> Iterator[Figure]:
    qual = match.group("qual")
    low_text = match.group("low")
    if not keep_years and _is_year_or_period(low_text, None):
        return
    end = match.start("low") + len(low_text)
    value = number_value(low_text)
    yield Figure(
        text=" ".join(masked[match.start() : end].split()),
        start=match.start(),
        low=value,
        high=value,
        percent=False,
        qualifier=QUALIFIERS[" ".join(qual.lower().split())] if qual else None,
        scale=None,
        in_words=not low_text[0].isdigit(),
    )


def _same_form(low: str, high: str) -> bool:
    return low[0].isdigit() == high[0].isdigit()


def _is_year_or_period(low: str, high: str | None) -> bool:
    """Years (1800-2100 written as four bare digits) and periods made of years are dates."""
    return bool(_YEAR.match(low)) and (high is None or bool(_YEAR.match(high)))
