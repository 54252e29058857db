"""Citation markers in editorial text: `[@id]` or `[@id; other-id]`.

An id names a source document, a measure or a quantity; the renderer turns each marker into
a numbered reference to the sources annex. The validator uses `numbers_without_citation` so
that no figure in a brief's own prose goes out without its source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

CITATION_RE = re.compile(r"\[@([a-z0-9][a-z0-9-]*(?:\s*;\s*@?[a-z0-9][a-z0-9-]*)*)\]")

# A figure: digits with separators, optionally a percent sign. Years (1949-2100 written as
# four bare digits) are dates, not figures, and ordered-list markers are layout.
# Tokens such as "5G", "6th" or "B2B" are names, not figures.
_NUMBER_RE = re.compile(r"(?<![\w@/#-])\d[\d,]*(?:\.\d+)?(?:%|(?!\w))")
_YEAR_RE = re.compile(r"^(19[4-9]\d|20\d\d|2100)$")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z\"“(*])|\n\s*\n|\n(?=\s*[-*+]\s|\s*\d+\.\s|#)")
_LIST_MARKER = re.compile(r"^\s*\d+\.\s", re.M)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# Markdown heading lines, attribute lists, link targets and calendar days ("15 September",
# "Sept. 15") carry no figures of substance.
_IGNORED = re.compile(
    r"\{[:#.][^}]*\}|\]\([^)]*\)|^#+ .*$"
    rf"|\b\d{{1,2}}\s+(?:{_MONTHS})\b|\b(?:{_MONTHS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+\d{{1,2}}\b",
    re.M,
)


def cited_ids(text: str) -> list[str]:
    out: list[str] = []
    for match in CITATION_RE.finditer(text):
        out.extend(part.strip().lstrip("@") for part in match.group(1).split(";"))
    return out


def figures(text: str) -> Iterator[tuple[str, int]]:
    """Every figure in `text` (not years, list markers, citations or link targets)."""
    masked = _mask(text)
    for number in _NUMBER_RE.finditer(masked):
        token = number.group(0).rstrip(",.")
        if _YEAR_RE.match(token) or _is_period(masked, number):
            continue
        yield token, number.start()


def _mask(text: str) -> str:
    """Blank out what carries no figures, keeping offsets."""
    for pattern in (CITATION_RE, _IGNORED, _LIST_MARKER):
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def numbers_without_citation(text: str) -> Iterator[tuple[str, int]]:
    """Yield (figure, offset): the first figure of each sentence that carries no citation."""
    split_text = _LIST_MARKER.sub(lambda m: " " * len(m.group(0)), text)
    start = 0
    for match in [*_SENTENCE_END.finditer(split_text), None]:
        end = match.start() if match else len(text)
        sentence = text[start:end]
        if not CITATION_RE.search(sentence):
            for number, offset in figures(sentence):
                yield number, start + offset
                break  # one report per sentence is enough to find it
        start = match.end() if match else len(text)


def _is_period(text: str, number: re.Match[str]) -> bool:
    """'2023-2025' and '2023–2025' are periods made of years."""
    around = text[max(0, number.start() - 5) : number.end() + 5]
    return bool(re.search(r"(19|20)\d\d[-–](19|20)\d\d", around))
