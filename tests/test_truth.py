"""Truth in briefs: figures agree with what they cite, anchors contain their values, and
computed values print what the data says (issue 11's "Bad input" cases among them)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, edit, line_of
from policybrief.analyse import evidence_limits, select
from policybrief.cli import main
from policybrief.computed import ComputedError, expand, parse
from policybrief.figures import find_figures
from policybrief.load import load_corpus
from policybrief.models import Filters
from policybrief.problems import ContentError
from policybrief.sources import verify_sources

BRIEF = "briefs/fixture-brief.md"
DOC = "documents/fixture-alpha.md"


def problems(content: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_corpus(content)
    return [str(p) for p in info.value.problems]


# --------------------------------------------------------------------------- reading figures


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the nine pathways", [("nine", 9, 9, None, False)]),
        ("two or three platforms", [("two or three", 2, 3, None, False)]),
        ("a dozen firms", [("a dozen", 12, 12, None, False)]),
        ("over 10,000 firms", [("over 10,000", 10_000, 10_000, "over", False)]),
        ("more than 10 million yuan", [("more than 10 million", 1e7, 1e7, "over", False)]),
        ("1.41 million US dollars", [("1.41 million", 1.41e6, 1.41e6, None, False)]),
        ("nearly 30% on average", [("nearly 30%", 30, 30, "nearly", True)]),
        ("up 9 per cent", [("9 per cent", 9, 9, None, True)]),
        ("2–3 platforms", [("2–3", 2, 3, None, False)]),
        ("twenty-six measures", [("twenty-six", 26, 26, None, False)]),
        ("at least 2,000 kilograms", [("at least 2,000", 2000, 2000, "at least", False)]),
    ],
)
def test_figures_as_readers_write_them(text: str, expected: list[tuple[object, ...]]) -> None:
    found = [(f.text, f.low, f.high, f.qualifier, f.percent) for f in find_figures(text)]
    assert found == expected


@pytest.mark.parametrize(
    "text",
    [
        "a three-year plan for 2023–2025",
        "5G networks and Industry 4.0",
        "ranked 11th in 2022",
        "one firm's case",
        "on 15 September 2022",
        'the "five basics" of industry',
        "cited [@gii-rank-2012] and computed [=count documents]",
    ],
)
def test_what_is_not_a_figure(text: str) -> None:
    assert list(find_figures(text)) == []


# --------------------------------------------------------------------------- figures agree


def test_figure_one_off_from_its_cited_value(content: Path) -> None:
    path = content / BRIEF
    edit(path, "The national pilot covers 50 factories", "The national pilot covers 51 factories")
    line = line_of(path, "covers 51 factories")
    assert problems(content) == [
        f"content/{BRIEF}:{line}: body: the figure '51' (51) agrees with no quantity its sentence "
        "cites: alpha-smart-factories is 50 factories; alpha-shandong-parks-target is 12 parks"
    ]


def test_number_word_that_disagrees(content: Path) -> None:
    path = content / BRIEF
    edit(path, "Shandong targets 12 parks", "Shandong targets nine parks")
    line = line_of(path, "targets nine parks")
    assert problems(content) == [
        f"content/{BRIEF}:{line}: key_messages[1]: the figure 'nine' (9) agrees with no quantity "
        "its sentence cites: alpha-shandong-parks-target is 12 parks; if it counts documents, "
        "measures or jurisdictions, compute it ([=count …])"
    ]


def test_number_word_that_agrees(content: Path) -> None:
    edit(content / BRIEF, "Shandong targets 12 parks", "Shandong targets twelve parks")
    assert load_corpus(content).briefs


def test_dropped_over(content: Path) -> None:
    edit(
        content / DOC,
        '        kind: target\n        evidence: {anchor: "select 50',
        '        kind: target\n        approx: over\n        evidence: {anchor: "select 50',
    )
    # The summary and key point state the bare number too: each is refused, where it stands.
    edit(content / DOC, "will pick 50 smart factories", "will pick over 50 smart factories")
    edit(content / DOC, "a pilot of 50 smart factories", "a pilot of over 50 smart factories")
    path = content / BRIEF
    line = line_of(path, "The centre pilots 50 smart factories")
    assert problems(content) == [
        f"content/{BRIEF}:{line}: key_messages[0]: the figure '50' drops the qualifier 'over': "
        "alpha-smart-factories is over 50 factories",
        f"content/{BRIEF}:{line_of(path, 'covers 50 factories')}: body: the figure '50' drops the "
        "qualifier 'over': alpha-smart-factories is over 50 factories",
    ]


def test_added_qualifier(content: Path) -> None:
    path = content / BRIEF
    edit(path, "covers 50 factories", "covers nearly 50 factories")
    [message] = problems(content)
    assert message.endswith(
        "body: the figure 'nearly 50' adds 'nearly', which the source does not: "
        "alpha-smart-factories is 50 factories"
    )


def test_figure_that_cites_only_a_document(content: Path) -> None:
    path = content / BRIEF
    edit(
        path,
        "Only the centre reports a pilot [@fixture-alpha].",
        "The report counts nine pilots [@fixture-alpha].",
    )
    line = line_of(path, "counts nine pilots")
    assert problems(content) == [
        f"content/{BRIEF}:{line}: body: the figure 'nine' cites no quantity, only [@fixture-alpha], "
        "which does not state it: cite the quantity, or compute the count ([=count …])"
    ]


def test_scale_words_agree_with_the_recorded_scale(content: Path) -> None:
    doc = content / DOC
    edit(
        doc,
        "        value: 50\n        unit: factories",
        "        value: 1.5\n        scale: million\n        unit: factories",
    )
    edit(doc, 'anchor: "select 50 smart factories"', 'anchor: "select 1.5 million smart factories"')
    edit(doc, "will pick 50 smart factories", "will pick 1.5 million smart factories")
    edit(doc, "a pilot of 50 smart factories", "a pilot of 1,500,000 smart factories")
    edit(
        content / BRIEF,
        "The centre pilots 50 smart factories",
        "The centre pilots 1.5 million smart factories",
    )
    edit(content / BRIEF, "covers 50 factories", "covers 15 million factories")
    [message] = problems(content)
    assert "the figure '15 million' (15,000,000) agrees with no quantity" in message
    assert "alpha-smart-factories is 1.5 million factories" in message


def test_scale_in_the_unit_is_refused(content: Path) -> None:
    path = content / DOC
    edit(path, "unit: factories", "unit: million factories")
    [message] = problems(content)
    assert message.startswith(
        f"content/{DOC}:{line_of(path, 'million factories')}: measures[0].quantities[0].unit:"
    )
    assert "write the scale apart: 'scale: million'" in message


# --------------------------------------------------------------------------- anchors


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    target = tmp_path / "sources"
    shutil.copytree(FIXTURES / "sources", target)
    return target


def test_value_absent_from_its_anchor(content: Path, sources: Path) -> None:
    path = content / DOC
    edit(path, "        value: 50\n", "        value: 5\n")
    edit(path, "will pick 50 smart", "will pick 5 smart")
    edit(path, "a pilot of 50 smart", "a pilot of 5 smart")
    edit(content / BRIEF, "pilots 50 smart", "pilots 5 smart")
    edit(content / BRIEF, "covers 50 factories", "covers 5 factories")
    report = verify_sources(load_corpus(content), sources)
    line = line_of(path, 'anchor: "select 50 smart factories"')
    assert [str(p) for p in report.problems] == [
        f"content/{DOC}:{line}: measures[0].quantities[0].evidence.anchor: the anchor does not "
        'contain the value 5 factories as the source writes it: "select 50 smart factories"'
    ]


def test_damaged_reading_needs_its_note(content: Path, sources: Path) -> None:
    path = content / DOC
    edit(
        path,
        '  - kind: extraction\n    text: "\'1 2\' is read as 12: digits split by text extraction."\n    evidence: {anchor: "build 1 2 demonstration parks", reading: "build 12 demonstration parks"}\n',
        "",
    )
    report = verify_sources(load_corpus(content), sources)  # the scope note stays
    line = line_of(path, 'evidence: {anchor: "build 1 2 demonstration parks"')
    assert [str(p) for p in report.problems] == [
        f'content/{DOC}:{line}: measures[1].quantities[0].evidence.anchor: the anchor "build 1 2 '
        'demonstration parks" states the value only through its reading "build 12 demonstration '
        'parks": add an extraction note that records this reading'
    ]


def test_check_sources_exits_1_on_a_value_absent_from_its_anchor(
    content: Path, sources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = content / DOC
    edit(path, "    value: 15\n", "    value: 1.5\n")
    edit(path, "up 15%", "up 1.5%")
    args = ["check", "--project", str(ROOT), "--content", str(content), "--sources", str(sources), "--strict"]
    assert main(args) == 1
    out = capsys.readouterr()
    assert (
        f"content/{DOC}:{line_of(path, 'rose by 15 percent')}: quantities[0].evidence.anchor:"
        in out.out + out.err
    )


# --------------------------------------------------------------------------- computed values


def test_computed_values_expand_over_the_selection(content: Path) -> None:
    corpus = load_corpus(content)
    sel = select(corpus, Filters())
    text = (
        "[=Count documents] report; [=count measures level=provincial noun=provincial_measure]; "
        "[=names jurisdictions]; [=value alpha-smart-factories]; [=years]; "
        "[=count measures theme=standards noun=measure]; [=count figures kind=target digits]"
    )
    assert expand(text, corpus, sel) == (
        "One report; one provincial measure; China and Shandong; 50 factories [@alpha-smart-factories]; "
        "2024; no measures; 2"
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("[=total documents]", "unknown function 'total'"),
        ("[=count widgets]", "cannot count 'widgets'"),
        ("[=count documents level=national]", "'level=' does not filter documents"),
        ("[=value]", "needs a quantity id, once"),
        ("[=years all]", "[=years] takes no arguments"),
    ],
)
def test_computed_value_grammar(source: str, message: str) -> None:
    with pytest.raises(ComputedError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse(source)


def test_bad_computed_values_are_reported_with_their_lines(content: Path) -> None:
    path = content / BRIEF
    edit(
        path,
        "Only the centre reports a pilot [@fixture-alpha].",
        "We count [=count measures theme=robots] and [=value nowhere] and [=frobnicate].",
    )
    line = line_of(path, "We count")
    assert problems(content) == [
        f"content/{BRIEF}:{line}: body: [=count measures theme=robots]: unknown theme 'robots'",
        f"content/{BRIEF}:{line}: body: [=frobnicate]: unknown function 'frobnicate' (known: value, number, count, names, years, published)",
        f"content/{BRIEF}:{line}: body: [=value nowhere]: 'nowhere' is not a quantity id",
    ]


def test_computed_values_are_not_for_summaries(content: Path) -> None:
    path = content / DOC
    edit(path, "A synthetic article for tests.", "A synthetic article for [=count documents] tests.")
    [message] = problems(content)
    assert message.startswith(
        f"content/{DOC}:{line_of(path, 'A synthetic article')}: summary: computed values"
    )


def test_limits_of_the_evidence(content: Path) -> None:
    corpus = load_corpus(content)
    assert evidence_limits(select(corpus, Filters())) == (
        "This brief's selection rests on 1 source document: 1 news report.",
        "It was published in 2024; its publication date is inferred from the text, not stated.",
        "It reports 1 national measure and 1 provincial measure.",
    )


def test_the_computed_values_table_in_the_docs_is_true() -> None:
    """docs/content-format.md shows what each expression prints for the flagship; keep it so."""
    import re

    corpus = load_corpus(ROOT / "content")
    brief = next(b for b in corpus.briefs if b.id == "flagship-national-provincial")
    sel = select(corpus, brief.covers)
    rows = re.findall(
        r"^\| `(\[=[^`]+\])` \| ([^|]+) \|$", (ROOT / "docs" / "content-format.md").read_text(), re.M
    )
    assert len(rows) >= 10
    for expression, printed in rows:
        shown = re.split(r" \(|, cited| —", printed.strip())[0]
        printed_now = re.split(r" \(", expand(expression, corpus, sel, cite=False))[0]
        assert printed_now == shown, expression


def test_published_dates_say_when_they_are_inferred(content: Path) -> None:
    corpus = load_corpus(content)
    sel = select(corpus, Filters())
    doc = corpus.documents[0]
    printed = expand(f"[=published {doc.id}]", corpus, sel)
    assert printed == doc.published.label()
    assert printed.endswith("(inferred)") == (doc.published.basis == "inferred")
    edit(
        content / BRIEF, "## Differences and gaps", "## Differences and gaps\n\nIn [=published no-such-doc]."
    )
    assert any("[=published no-such-doc]: 'no-such-doc' is not a document id" in p for p in problems(content))


def test_status_filters_measures(content: Path) -> None:
    corpus = load_corpus(content)
    sel = select(corpus, Filters())
    statuses = [m.measure.status.value for m in sel.measures]
    for status in set(statuses):
        assert expand(f"[=count measures status={status} digits]", corpus, sel) == str(statuses.count(status))
    edit(
        content / BRIEF,
        "## Differences and gaps",
        "## Differences and gaps\n\n[=count measures status=dreamt]",
    )
    assert any("unknown status 'dreamt'" in p for p in problems(content))
