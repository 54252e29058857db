"""Computed values in prose: `[=count measures level=provincial]`, `[=value quantity-id]`.

Content is never a template. This is a tiny declarative syntax, expanded by our code the way
`[@id]` citations and `::view NAME` are: a value printed from the data where the analyst
writes it, so that the text cannot disagree with the data or go stale when a document is
added. The grammar:

    computed   = "[=" ["C"] function {" " argument} "]"
    function   = "value" | "number" | "count" | "names" | "years" | "published"
    argument   = key "=" word | word

    [=value ID]          a quantity with its qualifier and unit ("over 10,000 companies"), cited
    [=number ID]         the same without its unit ("over 10,000"), cited
    [=count WHAT F…]     how many, over the brief's selection; WHAT is documents, measures,
                         jurisdictions, proposals or figures; F… filters (below)
    [=names WHAT F…]     the names, in alphabetical order: "Hubei, Hunan and Shandong";
                         WHAT is jurisdictions or documents (titles)
    [=years]             the sources' publication years: "2019–2024"
    [=published DOC]     a source's publication date at its precision ("May 2024"), with
                         "(inferred)" when the summary infers it: a date the source does not
                         state is never printed as if it did

Filters: `level=national|provincial|municipal|zone|enterprise`, `theme=ID`,
`instrument=FAMILY` or `FAMILY/TYPE`, `status=announced|in-force|…` (measures, jurisdictions,
proposals); `kind=` a
document kind (documents) or a figure kind (figures). A count prints as a word below ten
("five") and in digits from ten; the flag `digits` always prints digits; `noun=measure`
follows the count with its noun, in the plural unless the count is one ("no measures",
"one measure"; `_` stands for a space: `noun=provincial_measure`). A capital first
letter (`[=Count documents]`) capitalises what is printed, for the start of a sentence.

Every expression is checked when content loads (`check`), with `path:line` errors; the web
page and the PDF expand the same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .models import DocumentKind, Level, Quantity, QuantityKind, SourceDocument, Status

if TYPE_CHECKING:
    from .analyse import MeasureRef, Selection
    from .corpus import Corpus

COMPUTED_RE = re.compile(r"\[=([^\]\n]*)\]")
_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_-]*$")
FUNCTIONS = ("value", "number", "count", "names", "years", "published")
COUNTABLE = ("documents", "measures", "jurisdictions", "proposals", "figures")
NAMEABLE = ("jurisdictions", "documents")
_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# Which filters each kind of thing accepts.
_FILTERS = {
    "documents": {"kind"},
    "measures": {"level", "theme", "instrument", "status"},
    "jurisdictions": {"level", "theme", "instrument", "status"},
    "proposals": {"level", "theme", "instrument"},
    "figures": {"level", "kind"},
}


class ComputedError(ValueError):
    """An expression that cannot be computed; the message says why."""


@dataclass(frozen=True)
class Expression:
    source: str  # as written, brackets included
    start: int
    function: str
    capital: bool
    what: str | None = None  # the quantity id (value, number) or what is counted or named
    filters: dict[str, str] = field(default_factory=dict)
    digits: bool = False
    noun: str | None = None  # "measure": printed after the count, in the plural unless one


def find(text: str) -> Iterator[Expression | tuple[int, str, str]]:
    """Each expression in `text`, parsed; or (offset, source, error) for one that is not."""
    for match in COMPUTED_RE.finditer(text):
        try:
            yield parse(match.group(0), match.start())
        except ComputedError as exc:
            yield (match.start(), match.group(0), str(exc))


def parse(source: str, start: int = 0) -> Expression:
    words = source[2:-1].split()
    if not words:
        raise ComputedError("empty; write [=count documents], [=value ID], …")
    head, args = words[0], words[1:]
    capital = head[:1].isupper()
    function = head.lower()
    if function not in FUNCTIONS:
        raise ComputedError(f"unknown function '{head}' (known: {', '.join(FUNCTIONS)})")
    filters: dict[str, str] = {}
    bare: list[str] = []
    digits = False
    for arg in args:
        key, eq, value = arg.partition("=")
        if eq:
            if not _TOKEN.match(value) or key in filters:
                raise ComputedError(f"bad filter '{arg}'")
            filters[key] = value
        elif arg == "digits":
            digits = True
        elif _TOKEN.match(arg):
            bare.append(arg)
        else:
            raise ComputedError(f"bad argument '{arg}'")
    if function == "years":
        if bare or filters:
            raise ComputedError("[=years] takes no arguments")
        return Expression(source, start, function, capital, digits=digits)
    if len(bare) != 1:
        wanted = {"value": "a quantity id", "number": "a quantity id", "published": "a document id"}.get(
            function, "what to " + function
        )
        raise ComputedError(f"needs {wanted}, once")
    what = bare[0]
    if function in ("value", "number", "published"):
        if filters or digits:
            raise ComputedError(f"[={function} ID] takes no filters")
    elif function == "count" and what not in COUNTABLE:
        raise ComputedError(f"cannot count '{what}' (known: {', '.join(COUNTABLE)})")
    elif function == "names" and what not in NAMEABLE:
        raise ComputedError(f"cannot name '{what}' (known: {', '.join(NAMEABLE)})")
    noun = filters.pop("noun", None)
    if noun is not None and function != "count":
        raise ComputedError("'noun=' goes with count")
    for key in filters:
        if key not in _FILTERS.get(what, set()):
            allowed = ", ".join(sorted(_FILTERS.get(what, set()))) or "none"
            raise ComputedError(f"'{key}=' does not filter {what} (filters: {allowed})")
    return Expression(source, start, function, capital, what, filters, digits, noun)


def check(expr: Expression, corpus: Corpus) -> str | None:
    """Why `expr` cannot be computed over this corpus, or None."""
    tax = corpus.taxonomy
    if expr.function in ("value", "number"):
        try:
            _, record = corpus.citable(expr.what or "")
        except KeyError:
            return f"'{expr.what}' is not a quantity id"
        return None if isinstance(record, Quantity) else f"'{expr.what}' is not a quantity"
    if expr.function == "published":
        try:
            _, record = corpus.citable(expr.what or "")
        except KeyError:
            return f"'{expr.what}' is not a document id"
        return None if isinstance(record, SourceDocument) else f"'{expr.what}' is not a document"
    for key, value in expr.filters.items():
        if key == "level" and value not in {lvl.value for lvl in Level}:
            # The keys, not the project's labels ("federal", "Land"): say which they are.
            return f"unknown level '{value}' (levels: {', '.join(lvl.value for lvl in Level)})"
        if key == "status" and value not in {s.value for s in Status}:
            return f"unknown status '{value}' (known: {', '.join(s.value for s in Status)})"
        if key == "theme" and value not in {t.id for t in tax.themes}:
            return f"unknown theme '{value}'"
        if key == "instrument" and value not in tax.instrument_ids() | {f.id for f in tax.instruments}:
            return f"unknown instrument '{value}'"
        if key == "kind":
            kinds = DocumentKind if expr.what == "documents" else QuantityKind
            if value not in {k.value for k in kinds}:
                return f"unknown {expr.what[:-1] if expr.what else ''} kind '{value}'"
    return None


def evaluate(expr: Expression, corpus: Corpus, selection: Selection, cite: bool = True) -> str:
    """The text that replaces `expr`; `cite` appends a citation to a quantity's value."""
    if expr.function in ("value", "number"):
        _, qty = corpus.citable(expr.what or "")
        text = qty.display_value() if expr.function == "value" else qty.display_number()
        if cite:
            text += f" [@{qty.id}]"
    elif expr.function == "published":
        doc = corpus.document(expr.what or "")
        text = doc.published.label()  # "May 2024 (inferred)" when the summary infers it
    elif expr.function == "years":
        years = sorted({d.published.date.year for d in selection.documents})
        text = "" if not years else str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"
    elif expr.function == "count":
        n = len(_items(expr, selection))
        text = str(n) if expr.digits or n >= len(_WORDS) else _WORDS[n]
        if expr.noun:
            text += " " + _plural(expr.noun.replace("_", " "), n)
    else:
        text = _join(sorted(_names(expr, selection)))
    return text[:1].upper() + text[1:] if expr.capital else text


def expand(text: str, corpus: Corpus, selection: Selection, cite: bool = True) -> str:
    """`text` with every expression replaced by its value (check() has passed at load)."""

    def replace(match: re.Match[str]) -> str:
        return evaluate(parse(match.group(0)), corpus, selection, cite)

    return COMPUTED_RE.sub(replace, text)


def _measure_ok(ref: MeasureRef, filters: dict[str, str]) -> bool:
    level, theme, instrument = filters.get("level"), filters.get("theme"), filters.get("instrument")
    if level is not None and ref.level.value != level:
        return False
    if "status" in filters and ref.measure.status.value != filters["status"]:
        return False
    if theme is not None and theme not in ref.measure.themes:
        return False
    return instrument is None or ref.measure.instrument == instrument or ref.family == instrument


def _items(expr: Expression, selection: Selection) -> list[object]:
    f = expr.filters
    if expr.what == "documents":
        return [d for d in selection.documents if "kind" not in f or d.kind.value == f["kind"]]
    if expr.what == "measures":
        return [m for m in selection.measures if _measure_ok(m, f)]
    if expr.what == "proposals":
        return [m for m in selection.proposals if _measure_ok(m, f)]
    if expr.what == "figures":
        return [
            q
            for q in selection.quantities
            if ("level" not in f or q.level.value == f["level"])
            and ("kind" not in f or q.kind.value == f["kind"])
        ]
    return sorted({m.jurisdiction.code for m in selection.measures if _measure_ok(m, f)})


def _names(expr: Expression, selection: Selection) -> list[str]:
    if expr.what == "documents":
        return [d.title for d in _items(expr, selection)]  # type: ignore[attr-defined]
    codes = set(_items(expr, selection))
    names = {m.jurisdiction.code: m.jurisdiction.name for m in selection.measures}
    return [names[code] for code in codes]


def _plural(noun: str, n: int) -> str:
    if n == 1:
        return noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


def _join(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
