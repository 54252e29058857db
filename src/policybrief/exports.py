"""Data downloads beside each brief: the measures and figures it uses, as CSV and JSON.

Columns are described once here; the brief's "Data" annex and docs/briefs.md show the same
descriptions, so a reader of the CSV knows what each column means.

The CSV files are opened in spreadsheets, which run a cell that starts with `=`, `+`, `-` or
`@` (or a tab or carriage return) as a formula: a summary's text could then fetch URLs or run
commands on the reader's machine. As OWASP and the spreadsheet vendors recommend, such text
cells get a leading apostrophe, which the spreadsheet shows as text and does not display;
numbers stay numbers. The column descriptions of text columns say so. The JSON files carry
the text unchanged, and are strict JSON (no NaN or Infinity: the loader refuses non-finite
numbers, and the writer would fail rather than write one).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from .corpus import Corpus
from .models import Measure, Quantity, SourceDocument

# Cells a spreadsheet would run as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TEXT_NOTE = " (CSV: text starting with = + - @ gets a leading ')"


def _text(description: str) -> str:
    return description + _TEXT_NOTE


MEASURE_COLUMNS: list[tuple[str, str]] = [
    ("measure_id", "Stable id of the measure; cite it as [@measure_id]"),
    ("document_id", "Id of the source document that reports it"),
    ("title", _text("Short title, in the analysts' words")),
    (
        "jurisdiction_code",
        "ISO 3166-1 code of the country (national), ISO 3166-2 code of a subdivision; "
        "city and zone codes extend their parent's",
    ),
    ("jurisdiction_name", _text("Jurisdiction, name in the language of the briefs")),
    ("level", "Level of government: national, provincial (first-level division), municipal, zone"),
    ("province_code", "The first-level division it lies in (empty for national)"),
    ("actors", _text("Issuing or implementing bodies, separated by '; '")),
    ("instrument", _text("Instrument as family › type")),
    ("themes", _text("Themes, separated by '; '")),
    ("scope", _text("general (whole jurisdiction) or targeted, with detail")),
    ("period_start", "First year (empty if the source gives none)"),
    ("period_end", "Last year (empty if open-ended or not given)"),
    ("period_inferred", "true when the period is inferred rather than stated"),
    ("status", "announced, in-force, completed, proposed (recommended by commentators) or unknown"),
    ("plan", _text("The named plan or programme, as the source names it")),
    ("evidence", _text("Verbatim anchor phrase(s) in the source, separated by ' | '")),
]

QUANTITY_COLUMNS: list[tuple[str, str]] = [
    ("quantity_id", "Stable id of the figure; cite it as [@quantity_id]"),
    ("document_id", "Id of the source document that reports it"),
    ("measure_id", "Measure it belongs to (empty for context figures)"),
    ("jurisdiction_code", "Jurisdiction the figure refers to"),
    ("jurisdiction_name", _text("Jurisdiction, name in the language of the briefs")),
    (
        "kind",
        "target, result (achieved), baseline, anecdote (one enterprise) or make-up (a plan's own make-up)",
    ),
    ("counts", _text("What is counted")),
    ("value", "The number; for a range, the low end"),
    ("value_high", "For a range, the high end (else empty)"),
    (
        "scale",
        "thousand, million, billion or trillion when the source writes one (10 million: value 10, scale million)",
    ),
    ("unit", _text("Unit of the value")),
    ("currency", "For money: ISO 4217 code of the currency the source states"),
    ("converts", "For the source's own currency conversion: the id of the figure it converts"),
    ("approx", "over, nearly, about, at least — as the source qualifies it (else empty)"),
    ("period", "Year or period the figure refers to"),
    ("enterprise", _text("For anecdotes: the enterprise")),
    ("evidence", _text("Verbatim anchor phrase in the source")),
    ("reading", _text("The analysts' reading where the anchor has extraction damage")),
]


def measure_columns(name_languages: Sequence[str]) -> list[tuple[str, str]]:
    """The measure columns of a project: the jurisdiction's name in each further language
    (policybrief.toml: languages.names) follows its name in the briefs' language."""
    at = next(i for i, (key, _) in enumerate(MEASURE_COLUMNS) if key == "jurisdiction_name") + 1
    extra = [
        (f"jurisdiction_name_{tag}", _text(f"Jurisdiction, name in {tag} (BCP 47 language tag)"))
        for tag in name_languages
    ]
    return [*MEASURE_COLUMNS[:at], *extra, *MEASURE_COLUMNS[at:]]


def _measure_row(corpus: Corpus, doc: SourceDocument, m: Measure) -> dict[str, Any]:
    tax = corpus.taxonomy
    jur = tax.jurisdiction(m.jurisdiction)
    province = tax.province_of(m.jurisdiction)
    return {
        "measure_id": m.id,
        "document_id": doc.id,
        "title": m.title,
        "jurisdiction_code": jur.code,
        "jurisdiction_name": jur.name,
        **{f"jurisdiction_name_{tag}": name for tag, name in jur.names.items()},
        "level": jur.level.value,
        "province_code": province.code if province else "",
        "actors": "; ".join(tax.actor(a).name for a in m.actors),
        "instrument": tax.instrument_label(m.instrument),
        "themes": "; ".join(tax.theme_label(t) for t in m.themes),
        "scope": m.scope.type + (f": {m.scope.detail}" if m.scope.detail else ""),
        "period_start": m.period.start if m.period.start is not None else "",
        "period_end": m.period.end if m.period.end is not None else "",
        "period_inferred": "true" if m.period.inferred else "false",
        "status": m.status.value,
        "plan": m.plan or "",
        "evidence": " | ".join(e.anchor for e in m.evidence),
    }


def _quantity_row(corpus: Corpus, doc: SourceDocument, m: Measure | None, q: Quantity) -> dict[str, Any]:
    tax = corpus.taxonomy
    code = q.jurisdiction or (m.jurisdiction if m else doc.subject)
    low, high = q.value if isinstance(q.value, tuple) else (q.value, "")
    return {
        "quantity_id": q.id,
        "document_id": doc.id,
        "measure_id": m.id if m else "",
        "jurisdiction_code": code,
        "jurisdiction_name": tax.jurisdiction(code).name,
        "kind": q.kind.value,
        "counts": q.counts,
        "value": _num(low),
        "value_high": _num(high) if high != "" else "",
        "scale": q.scale or "",
        "unit": q.unit,
        "currency": q.currency or "",
        "converts": q.converts or "",
        "approx": q.approx or "",
        "period": q.period.label() if q.period else "",
        "enterprise": tax.actor(q.enterprise).name if q.enterprise else "",
        "evidence": q.evidence.anchor,
        "reading": q.evidence.reading or "",
    }


def _num(x: float | str) -> int | float | str:
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def rows_for(
    corpus: Corpus, documents: Iterable[str], measures: Iterable[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for the given measure ids, and for their quantities plus the documents' context figures."""
    wanted = set(measures)
    doc_ids = set(documents)
    measure_rows: list[dict[str, Any]] = []
    quantity_rows: list[dict[str, Any]] = []
    for doc in corpus.documents:
        if doc.id not in doc_ids:
            continue
        for m in doc.measures:
            if m.id in wanted:
                measure_rows.append(_measure_row(corpus, doc, m))
                quantity_rows.extend(_quantity_row(corpus, doc, m, q) for q in m.quantities)
        quantity_rows.extend(_quantity_row(corpus, doc, None, q) for q in doc.quantities)
    return measure_rows, quantity_rows


def _only(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Each row with exactly the columns (a name in an undeclared language is left out; a
    missing one is empty)."""
    return [{key: row.get(key, "") for key, _ in columns} for row in rows]


def neutralise(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula: text starting with a formula
    character gets a leading apostrophe; numbers are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[c for c, _ in columns], lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: neutralise(value) for key, value in row.items()} for row in _only(rows, columns))
    return buffer.getvalue().encode("utf-8")


def to_json(rows: list[dict[str, Any]], columns: list[tuple[str, str]], about: str) -> bytes:
    payload = {"about": about, "columns": dict(columns), "rows": _only(rows, columns)}
    # allow_nan=False: strict JSON, never NaN or Infinity (which most parsers refuse).
    text = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False, allow_nan=False)
    return (text + "\n").encode("utf-8")
