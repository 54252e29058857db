"""Write proposals as a summary in the real content format, a review marker on every guess.

The YAML is written line by line (not dumped) so that each guess carries its marker and its
reason as a comment on its own line: `check` then reports `path:line: review: …` for each,
which is the analyst's checklist. Strings are written as JSON strings, which YAML reads as
double-quoted scalars, so no source text can break the front matter.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from ..models import Quantity
from .markers import MARKER
from .propose import MeasureProposal, Proposal, QuantityProposal


def q(text: str | None) -> str:
    """A YAML scalar for any string (JSON strings are valid YAML)."""
    return "null" if text is None else json.dumps(text, ensure_ascii=False)


def _r(why: str) -> str:
    return f"  # {MARKER} {' '.join(why.split())}"


def slug(text: str, limit: int = 40) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word
    return out


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _value(v: float | tuple[float, float]) -> str:
    return f"[{_num(v[0])}, {_num(v[1])}]" if isinstance(v, tuple) else _num(v)


class _Ids:
    def __init__(self, doc_id: str) -> None:
        self.prefix = "-".join(doc_id.split("-")[:2])[:30].strip("-")
        self.used: set[str] = {doc_id}

    def new(self, words: str, fallback: str) -> str:
        base = f"{self.prefix}-{slug(words) or fallback}"[:80].strip("-")
        ident, n = base, 2
        while ident in self.used:
            ident = f"{base[:76]}-{n}"
            n += 1
        self.used.add(ident)
        return ident


def render(
    p: Proposal, doc_id: str, source_file: str, sha256: str, origin: str, backend: str = "rules"
) -> str:
    ids = _Ids(doc_id)
    out: list[str] = ["---"]
    out.append(f"# Drafted by `policybrief draft` ({backend}) from {origin} on {dt.date.today():%Y-%m-%d}.")
    out.append("# Each review marker (REVIEW and a colon) is a guess: confirm or correct it, then delete it.")
    out.append("# `policybrief check` lists what is left; the summary cannot be built until none is.")
    for body in p.unknown_bodies:
        out.append(
            f"# {MARKER} taxonomy candidate: {q(body)} is not in content/taxonomy.yaml: add it "
            "(actor or jurisdiction, with aliases) or note why it is left out"
        )
    out.append(f"id: {doc_id}")
    out.append(f"title: {q(p.title)}" + _r(f"{p.title_reason}; keep the headline or describe the source"))
    outlet = q(p.outlet) if p.outlet else q(f"{MARKER} the outlet that published the text")
    out.append(f"outlet: {outlet}" + (_r("named in the dateline") if p.outlet else ""))
    out.append("authors: []" + _r("the authors, when the text names them"))
    out.append("kind: news-report" + _r("news-report | commentary | feature | policy-text"))
    reason = f", reason: {q(p.published_reason)}" if p.basis == "inferred" else ""
    out.append(
        f"published: {{date: {p.published.isoformat()}, precision: {p.precision}, basis: {p.basis}{reason}}}"
        + _r(f"date {p.basis}: {p.published_reason}")
    )
    out.append(f"language: {p.language}")
    out.append(f"source: {{file: {q(source_file)}, sha256: {sha256}}}")
    out.append("url: null" + _r("the source's address, when known"))
    out.append(f"subject: {p.subject}" + _r(p.subject_reason))
    out.append("key_points:")
    # Placeholders without numbers, not even in words: a figure in a key point must be a
    # recorded quantity, and the check would report the placeholder's own.
    for _ in range(3):
        out.append(f"  - {q(f'{MARKER} a takeaway, in your own words (add or remove key points as needed)')}")

    out.append("notes:" if (p.damage or p.metonyms or p.basis == "inferred") else "notes: []")
    for d in p.damage:
        out.append("  - kind: extraction")
        text = f"'{d.damage.printed}' is read as {d.damage.reading}: digits split by text extraction."
        out.append(f"    text: {q(text)}" + _r(f"confirm the reading {d.damage.reading}"))
        out.append(f"    evidence: {{anchor: {q(d.anchor)}, reading: {q(d.reading)}}}")
    for m in p.metonyms:
        out.append("  - kind: metonym")
        text = f"'{m.mention.name}' may stand for {m.stands_for}."
        out.append(
            f"    text: {q(text)}"
            + _r("a place for its government? keep the note and set the jurisdiction, or delete it")
        )
        out.append(f"    evidence: {{anchor: {q(m.anchor)}}}")
    if p.basis == "inferred":
        out.append("  - kind: inference")
        out.append(
            f"    text: {q('The publication date is inferred: ' + p.published_reason)}"
            + _r("say how the date was inferred")
        )

    if p.measures:
        out.append("measures:")
    else:
        out.append(
            "measures: []" + _r("no candidate measure sentence found: add the measures the text reports")
        )
    for m in p.measures:
        _measure(out, m, ids)
    if p.loose:
        out.append("quantities:")
        for qp in p.loose:
            _quantity(out, qp, ids, indent="  ", loose=True)
    else:
        out.append("quantities: []")
    out.append("---")
    out.append(f"{MARKER} the summary, in your own words: what the source reports, its measures and figures.")
    out.append("")
    out.append("Every figure written here must be one of the quantities above (the check enforces it).")
    return "\n".join(out) + "\n"


def _measure(out: list[str], m: MeasureProposal, ids: _Ids) -> None:
    first = m.anchors[0]
    out.append(f"  - id: {ids.new(first, 'measure')}")
    out.append(f"    title: {q(MARKER + ' a short title in your own words')}")
    out.append(f"    description: {q(MARKER + ' what the measure does, in your own words')}")
    out.append(f"    jurisdiction: {m.jurisdiction}" + _r(m.jurisdiction_reason))
    if m.actors:
        out.append(f"    actors: [{', '.join(m.actors)}]" + _r(m.actors_reason))
    else:
        out.append(
            f"    actors: [{q(MARKER + ' the acting body (actor id); add it to the taxonomy if new')}]"
        )
    out.append(f"    instrument: {m.instrument}" + _r(m.instrument_reason))
    out.append(f"    themes: [{', '.join(m.themes)}]" + _r(m.themes_reason))
    out.append("    scope: {type: general, detail: null}" + _r("general, or targeted and at whom"))
    start, end = m.period
    if start is None and end is None:
        out.append(f"    period: {{reason: {q('the source gives no dates')}}}" + _r(m.period_reason))
    else:
        parts = ", ".join(f"{k}: {v}" for k, v in (("start", start), ("end", end)) if v is not None)
        out.append(f"    period: {{{parts}}}" + _r(m.period_reason))
    out.append(f"    status: {m.status}" + _r(m.status_reason))
    out.append(f"    plan: {q(m.plan)}" + (_r("the plan's name as printed") if m.plan else ""))
    if m.quantities:
        out.append("    quantities:")
        for qp in m.quantities:
            _quantity(out, qp, ids, indent="      ")
    out.append("    evidence:")
    for anchor in m.anchors:
        out.append(
            f"      - anchor: {q(anchor)}"
            + _r("the measure's sentence; shorten to the phrase that states it")
        )


# The content model may record a scale ("10 million yuan": value 10, scale million, unit
# yuan) and a currency as fields of their own; where it does, the draft writes them so.
_SCALES = ("thousand", "million", "billion", "trillion")
_CURRENCIES = {"yuan": "CNY", "rmb": "CNY", "renminbi": "CNY", "us dollars": "USD", "u.s. dollars": "USD",
               "dollars": "USD", "euros": "EUR"}  # fmt: skip


def _split_scale(unit: str) -> tuple[str, str | None]:
    first, _, rest = unit.partition(" ")
    if "scale" in Quantity.model_fields and first in _SCALES:
        return rest or first, first if rest else None
    return unit, None


def _quantity(out: list[str], qp: QuantityProposal, ids: _Ids, indent: str, loose: bool = False) -> None:
    f = qp.figure
    counts = (
        f.counts
        if f.counts and f.unit != "%"
        else ("what the percentage measures" if f.unit == "%" else "what is counted")
    )
    out.append(f"{indent}- id: {ids.new(counts, 'figure')}")
    printed = " ".join(qp.anchor.split())
    out.append(
        f"{indent}  value: {_value(f.value)}"
        + _r(f"from '{printed}'" + (f" read as {f.reading}" if f.reading else ""))
    )
    unit, scale = _split_scale(f.unit)
    unit = unit or f"{MARKER} the unit"
    out.append(f"{indent}  unit: {q(unit)}" + ("" if not f.unit else _r(f"guessed from {f.why_unit}")))
    if scale:
        out.append(f"{indent}  scale: {scale}")
    currency = _CURRENCIES.get(unit.lower()) or ("CNY" if unit.endswith("元") else None)
    if currency and "currency" in Quantity.model_fields:
        out.append(f"{indent}  currency: {currency}" + _r("the currency the source states"))
    out.append(f"{indent}  counts: {q(counts)}" + _r("what is counted, in your words"))
    out.append(f"{indent}  kind: {qp.kind}" + _r(qp.kind_reason))
    if qp.kind == "anecdote":
        ent = qp.enterprise or f"{MARKER} the firm's actor id (add it to the taxonomy if new)"
        out.append(f"{indent}  enterprise: {q(ent)}" + (_r("named in the sentence") if qp.enterprise else ""))
    out.append(
        f"{indent}  approx: {q(f.approx)}" + _r("over | nearly | about | at least, as the text qualifies it")
    )
    if loose and qp.jurisdiction:
        out.append(f"{indent}  jurisdiction: {qp.jurisdiction}" + _r("named in the sentence"))
    if qp.period:
        start, end = qp.period
        parts = ", ".join(f"{k}: {v}" for k, v in (("start", start), ("end", end)) if v is not None)
        out.append(f"{indent}  period: {{{parts}}}" + _r(qp.period_reason))
    if qp.note:
        out.append(f"{indent}  note: {q(qp.note)}" + _r("resolve, then delete the note"))
    if qp.reading:
        out.append(f"{indent}  evidence: {{anchor: {q(qp.anchor)}, reading: {q(qp.reading)}}}")
    else:
        out.append(f"{indent}  evidence: {{anchor: {q(qp.anchor)}}}")
