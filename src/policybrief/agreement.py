"""Figures agree with what they cite.

In a brief's key messages and editorial text, every figure must equal the value of a
quantity cited in its sentence: the same number once its scale is applied ("10 million"),
the same range ("two or three"), percentage or not, and the same qualifier ("over",
"nearly"), so that a brief cannot drop "over" and state the bare number as exact. A figure
that cites only a whole document or a measure, or nothing, is refused: it is either a
quantity to cite or a count to compute (`[=count …]`, see policybrief.computed). Years,
dates, ordinals and names with digits are not figures (policybrief.figures).

In a document's summary and key points, which carry no citations, every figure must equal
one of the document's own quantities, by the same rules.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .citations import cited_ids, sentences
from .figures import Figure, find_figures
from .models import Quantity

# Resolves a cited id to its record (SourceDocument, Measure or Quantity), None if unknown.
Resolver = Callable[[str], Any]


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _value_agrees(fig: Figure, q: Quantity) -> bool:
    low, high = q.amounts()
    return fig.percent == (q.unit == "%") and _same(fig.low, low) and _same(fig.high, high)


def _describe(q: Quantity) -> str:
    return f"{q.id} is {q.display_value()}"


def judge(fig: Figure, quantities: Sequence[Quantity]) -> str | None:
    """None when `fig` agrees with one of `quantities`; else why not, naming them."""
    same_value = [q for q in quantities if _value_agrees(fig, q)]
    if any(q.approx == fig.qualifier for q in same_value):
        return None
    if same_value:
        q = same_value[0]
        if q.approx and not fig.qualifier:
            return f"the figure '{fig.text}' drops the qualifier '{q.approx}': {_describe(q)}"
        if fig.qualifier and not q.approx:
            return (
                f"the figure '{fig.text}' adds '{fig.qualifier}', which the source does not: {_describe(q)}"
            )
        return f"the figure '{fig.text}' says '{fig.qualifier}' where the source says '{q.approx}': {_describe(q)}"
    return "disagrees"


def check_brief_text(text: str, resolve: Resolver) -> Iterator[tuple[int, str]]:
    """(offset, message) for each figure in a brief's text that does not agree with what its
    sentence cites."""
    for start, sentence in sentences(text):
        ids = cited_ids(sentence)
        records = [(i, resolve(i)) for i in ids]
        quantities = [r for _, r in records if isinstance(r, Quantity)]
        for fig in find_figures(sentence):
            offset = start + fig.start
            if not ids:
                yield (
                    offset,
                    (
                        f"the figure '{fig.text}' cites no source: cite the quantity it states "
                        "([@id] in the same sentence), or compute it ([=count …], [=value id])"
                    ),
                )
                continue
            if not quantities:
                named = ", ".join(f"[@{i}]" for i, r in records if r is not None)
                if not named:
                    continue  # the unknown citation is reported on its own
                yield (
                    offset,
                    (
                        f"the figure '{fig.text}' cites no quantity, only {named}, which does not "
                        "state it: cite the quantity, or compute the count ([=count …])"
                    ),
                )
                continue
            verdict = judge(fig, quantities)
            if verdict == "disagrees":
                values = "; ".join(_describe(q) for q in quantities)
                yield (
                    offset,
                    (
                        f"the figure '{fig.text}' ({fig.value_label()}) agrees with no quantity "
                        f"its sentence cites: {values}"
                        # A number word is most often a count of the corpus, typed by hand.
                        + (
                            "; if it counts documents, measures or jurisdictions, compute it ([=count …])"
                            if fig.in_words
                            else ""
                        )
                    ),
                )
            elif verdict is not None:
                yield offset, verdict


def check_summary_text(text: str, quantities: Sequence[Quantity]) -> Iterator[tuple[int, str]]:
    """(offset, message) for each figure in a summary's prose or key points that is not one
    of the document's own quantities."""
    for fig in find_figures(text):
        verdict = judge(fig, quantities)
        if verdict == "disagrees":
            yield (
                fig.start,
                (
                    f"the figure '{fig.text}' ({fig.value_label()}) is not a recorded quantity of "
                    "this document, so nothing anchors it: record it under quantities with its evidence"
                ),
            )
        elif verdict is not None:
            yield fig.start, verdict
