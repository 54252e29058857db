"""Generated sentences stay inside the evidence (issue 11, item 4).

Every sentence our code writes from data (chart captions and alt text, the limits box, the
gap caveat, the filter notes, the who-does-what view's title, notes and empty cells) is enumerated over the example corpus's briefs and a synthetic
corpus under several filters, and checked: a claim of "only", "all", "none", "no", "every"
or "any" says what it saw ("in these reports", "in this brief's selection", "here"); nothing
is said to be absent or inactive in the world, or to have come before another level; a
filtered view says it is filtered.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

import synthetic
from conftest import FIXTURES, ROOT
from policybrief.analyse import Selection, evidence_limits, gap_caveat, measure_matrix, select, who_does_what
from policybrief.charts import KINDS, render_charts
from policybrief.load import Corpus, load_corpus
from policybrief.models import Filters, Level
from policybrief.views import filter_note

# What a sentence may use to say what it saw.
SCOPES = (
    "in these reports",
    "in these documents",
    "in this brief's selection",
    "in the documents this brief covers",
    "reported here",
    "here",
    "shown",
    "for room",
    "this brief's selection",
    "this view",
)
UNIVERSAL = re.compile(r"\b(only|all|none|no|every|any|never|nothing)\b", re.I)
# Never: a gap read as absence in the world, or one level said to have acted before another.
FORBIDDEN = re.compile(
    r"\babsent\b|\binactive\b|\bdo(?:es)? not exist\b|\bbefore (?:any|the) (?:national|provincial|local)"
    r"|\bafter (?:any|the) (?:national|provincial|local)|\b(?:national|provincial|local) \w+ (?:came|acted) (?:first|before)",
    re.I,
)
# Phrases in which a universal word is not a claim about the world.
HARMLESS = re.compile(
    r"not shown|the (?:other|rest)|all \d+|lists? all|of all|in all|no year reported|no measure reported|"
    r"none reported|none is reported|nothing it could show|no quantities? to show|every (?:figure|measure) it",
    re.I,
)


def sentences(text: str) -> Iterator[str]:
    yield from (s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", text) if s.strip())


def unscoped(text: str) -> list[str]:
    bad = []
    for sentence in sentences(text):
        if FORBIDDEN.search(sentence):
            bad.append(sentence)
            continue
        claim = UNIVERSAL.search(HARMLESS.sub("", sentence))
        if claim and not any(scope in sentence.lower() for scope in SCOPES):
            bad.append(sentence)
    return bad


def generated(corpus: Corpus, sel: Selection) -> Iterator[tuple[str, str]]:
    """(where, text) for every sentence the code generates from this selection."""
    for chart in render_charts(sel, list(KINDS), corpus.taxonomy):
        yield f"{chart.id} caption", chart.caption
        yield f"{chart.id} alt", chart.alt
    for sentence in evidence_limits(sel):
        yield "limits", sentence
    yield "gap caveat", gap_caveat(corpus.taxonomy)
    who = who_does_what(sel)
    yield "who title", who.title
    yield "who note", who.note
    yield "who no plan", who.no_plan
    yield "who no figure", who.no_figure
    for row in who.rows:
        if row.more_plans:
            yield f"who {row.jurisdiction.code} more plans", row.more_plans
    yield "matrix note", measure_matrix(sel).note
    note = filter_note(sel)
    if note:
        yield "filter note", note


def _selections() -> Iterator[tuple[str, Corpus, Selection]]:
    real = load_corpus(ROOT / "content")
    for brief in real.briefs:
        yield f"content:{brief.id}", real, select(real, brief.covers)
    fixture = load_corpus(FIXTURES / "content")
    yield "fixture", fixture, select(fixture, Filters())
    for name, corpus in (
        ("synthetic", synthetic.corpus()),
        ("synthetic+new", synthetic.corpus_with_new_content()),
    ):
        for label, filters in (
            ("all", Filters()),
            ("digital", Filters(themes=["digital-transformation"])),
            ("provincial", Filters(levels=[Level.provincial])),
            ("national", Filters(levels=[Level.national])),
            ("shandong", Filters(jurisdictions=["CN-SD"])),
        ):
            yield f"{name}:{label}", corpus, select(corpus, filters)


SELECTIONS = list(_selections())


@pytest.mark.parametrize(("name", "corpus", "sel"), SELECTIONS, ids=[s[0] for s in SELECTIONS])
def test_every_generated_sentence_is_scoped(name: str, corpus: Corpus, sel: Selection) -> None:
    problems = [
        f"{where}: {sentence}" for where, text in generated(corpus, sel) for sentence in unscoped(text)
    ]
    assert problems == []


@pytest.mark.parametrize(("name", "corpus", "sel"), SELECTIONS, ids=[s[0] for s in SELECTIONS])
def test_a_filtered_view_says_so(name: str, corpus: Corpus, sel: Selection) -> None:
    f = sel.filters
    narrowed = bool(f.themes or f.instruments or f.levels or f.jurisdictions)
    note = filter_note(sel)
    assert bool(note) == narrowed
    if narrowed:
        assert "filtered" in note


@pytest.mark.parametrize(
    "text",
    [
        "Only national measures cover standards.",
        "National plans date from 2018, before any provincial or local plan.",
        "The other 25 provinces are absent.",
        "No province has a measure on talent.",
    ],
)
def test_the_checker_catches_unscoped_claims(text: str) -> None:
    assert unscoped(text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "In this brief's selection, only national measures cover standards.",
        "The earliest national plan shown starts in 2018; the earliest provincial one in 2023.",
        "For the other 25, none is reported in these documents.",
    ],
)
def test_the_checker_passes_scoped_claims(text: str) -> None:
    assert unscoped(text) == []
