"""Analyse stage: selection, matrices, timeline, quantities, alignment, on a known corpus.

Expected values follow from tests/synthetic.py by construction (its docstring lists them).
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synthetic
from policybrief.analyse import (
    WHO_PLANS,
    alignment,
    comparison_matrix,
    gap_caveat,
    instrument_by_level,
    measure_counts_by_province,
    measure_matrix,
    quantity_groups,
    select,
    targets_table,
    timeline,
    who_does_what,
)
from policybrief.models import Filters, Level, QuantityKind


@pytest.fixture(scope="module")
def corpus():
    return synthetic.corpus()


@pytest.fixture(scope="module")
def sel(corpus):
    return select(corpus, Filters())


def ids(refs) -> list[str]:
    return [r.id for r in refs]


# --------------------------------------------------------------------------- select


def test_select_all_in_taxonomy_order_then_ids(sel) -> None:
    assert sel.document_ids == ("nat-digital", "nat-pilots", "prov-plans")
    # national column first, then provinces in taxonomy order (HN, JX, SD, SH, TJ, ZJ)
    assert ids(sel.measures) == [
        "digital-plan",
        "national-standards",
        "ndrc-pilots",
        "hn-plan",
        "jx-cloud",
        "sd-plan",
        "sd-rewards",
        "sh-plan",
        "binhai-platform",
        "hangzhou-pilot",
    ]
    assert len(sel.quantities) == 10


def test_measure_refs_resolve_jurisdiction_and_province(sel) -> None:
    by_id = {m.id: m for m in sel.measures}
    hangzhou = by_id["hangzhou-pilot"]
    assert hangzhou.jurisdiction.code == "CN-ZJ-HZ"
    assert hangzhou.level is Level.municipal
    assert hangzhou.province is not None and hangzhou.province.code == "CN-ZJ"
    assert by_id["binhai-platform"].province.code == "CN-TJ"
    assert by_id["sd-plan"].province.code == "CN-SD"
    assert by_id["digital-plan"].province is None
    assert by_id["digital-plan"].column == "CN"


def test_quantity_jurisdiction_falls_back_measure_then_firm_then_subject(sel) -> None:
    by_id = {q.id: q for q in sel.quantities}
    assert by_id["pilot-regions"].jurisdiction.code == "CN"  # the measure's
    assert by_id["sd-firms"].jurisdiction.code == "CN-SD"  # the measure's
    assert by_id["yili-trace"].jurisdiction.code == "CN-NM"  # the firm's (no measure)
    assert by_id["yili-trace"].measure is None
    assert by_id["mfg-share"].jurisdiction.code == "CN"  # the document's subject


def test_filter_themes(corpus) -> None:
    s = select(corpus, Filters(themes=["standards"]))
    assert ids(s.measures) == ["national-standards"]
    assert s.document_ids == ("nat-digital",)  # only documents that contribute
    assert s.quantities == ()  # figures outside measures have no theme


def test_filter_instrument_family_and_type(corpus) -> None:
    family = select(corpus, Filters(instruments=["governance"]))
    assert ids(family.measures) == [
        "digital-plan",
        "ndrc-pilots",
        "hn-plan",
        "sd-plan",
        "sh-plan",
        "hangzhou-pilot",
    ]
    exact = select(corpus, Filters(instruments=["governance/pilot"]))
    assert ids(exact.measures) == ["ndrc-pilots", "hangzhou-pilot"]


def test_filter_levels(corpus) -> None:
    s = select(corpus, Filters(levels=[Level.provincial]))
    assert ids(s.measures) == ["hn-plan", "jx-cloud", "sd-plan", "sd-rewards", "sh-plan"]
    # the Yili figure resolves to Inner Mongolia (provincial), so it stays
    assert "yili-trace" in ids(s.quantities)
    assert "mfg-share" not in ids(s.quantities)


def test_filter_jurisdiction_includes_descendants(corpus) -> None:
    s = select(corpus, Filters(jurisdictions=["CN-ZJ"]))
    assert ids(s.measures) == ["hangzhou-pilot"]
    assert s.document_ids == ("nat-pilots",)
    t = select(corpus, Filters(jurisdictions=["CN-TJ", "CN-SD"]))
    assert ids(t.measures) == ["sd-plan", "sd-rewards", "binhai-platform"]


def test_filter_documents(corpus) -> None:
    s = select(corpus, Filters(documents=["prov-plans"]))
    assert s.document_ids == ("prov-plans",)
    assert {m.document.id for m in s.measures} == {"prov-plans"}
    assert "mfg-share" in ids(s.quantities)


def test_selection_ignores_document_order(corpus) -> None:
    shuffled = dataclasses.replace(corpus, documents=list(reversed(corpus.documents)))
    assert select(shuffled, Filters()) == select(corpus, Filters())


# --------------------------------------------------------------------------- matrices


def test_comparison_matrix_rows_columns_counts(sel) -> None:
    m = comparison_matrix(sel)
    assert [r.key for r in m.rows] == [
        "digital-transformation",
        "intelligent-manufacturing",
        "service-oriented-manufacturing",
        "chains-and-clusters",
        "green-and-energy",
        "smes",
        "standards",
    ]  # taxonomy order; "talent" occurs in no measure
    assert [c.key for c in m.columns] == ["CN", "CN-HN", "CN-JX", "CN-SD", "CN-SH", "CN-TJ", "CN-ZJ"]
    assert m.columns[0].label == "National"
    assert m.columns[3].label == "Shandong" and m.columns[3].others == (("zh-Hans", "山东"),)
    assert m.counts[0] == (1, 0, 1, 1, 0, 1, 0)
    assert m.counts[1] == (2, 0, 0, 0, 1, 0, 0)
    assert ids(m.cell("chains-and-clusters", "CN-SD")) == ["sd-plan", "sd-rewards"]
    # a city counts toward its province but keeps its own jurisdiction
    (hz,) = m.cell("service-oriented-manufacturing", "CN-ZJ")
    assert hz.id == "hangzhou-pilot" and hz.jurisdiction.code == "CN-ZJ-HZ"
    assert m.column_total("CN") == 3
    assert m.row_total("intelligent-manufacturing") == 3
    assert len(m.measure_ids) == 10


def test_short_titles_for_table_cells(sel) -> None:
    m = comparison_matrix(sel)
    (ref,) = m.cell("service-oriented-manufacturing", "CN")
    assert ref.title == "Pilots integrating advanced manufacturing and modern services"
    assert ref.short_title == "Pilots integrating advanced manufacturing and…"
    assert len(ref.short_title) <= 48


def test_instrument_by_level(sel) -> None:
    m = instrument_by_level(sel)
    assert [r.key for r in m.rows] == ["governance", "financial", "regulatory", "infrastructure"]
    assert [c.key for c in m.columns] == ["national", "provincial", "municipal", "zone"]
    assert m.counts == ((2, 3, 1, 0), (0, 1, 0, 0), (1, 0, 0, 0), (0, 1, 0, 1))


def test_measure_counts_by_province_has_all_34(sel) -> None:
    counts = measure_counts_by_province(sel)
    assert len(counts) == 34
    assert counts["CN-SD"] == 2
    assert counts["CN-ZJ"] == 1  # Hangzhou
    assert counts["CN-TJ"] == 1  # the Binhai zone
    assert counts["CN-GZ"] == 0
    assert sum(counts.values()) == 7  # the 3 national measures are on no tile


# --------------------------------------------------------------------------- timeline


def test_timeline_groups_plans_and_flags_periods(sel) -> None:
    tl = timeline(sel)
    assert [(i.level.value, i.jurisdiction.code, i.period_label) for i in tl.items] == [
        ("national", "CN", "2020–2022"),
        ("national", "CN", "2024–2026 (inferred)"),
        ("provincial", "CN-HN", "2023–2025"),
        ("provincial", "CN-SD", "2023–2025"),
        ("provincial", "CN-SH", "2023–2025"),
        ("municipal", "CN-ZJ-HZ", "from 2021"),
    ]
    shandong = tl.items[3]
    assert shandong.label == "Shandong manufacturing action plan"
    assert ids(shandong.measures) == ["sd-plan", "sd-rewards"]  # one plan, one bar
    assert tl.items[5].open_ended and not tl.items[0].open_ended
    assert tl.items[1].inferred and not tl.items[0].inferred
    assert tl.levels == (Level.national, Level.provincial, Level.municipal)
    # a regulatory measure and an unnamed platform are not plans or programmes
    assert "national-standards" not in {m.id for i in tl.items for m in i.measures}


def test_timeline_end_only_and_undated() -> None:
    doc = synthetic.document(
        "extra",
        [
            synthetic.measure("by-2025", "CN-JL", "governance/plan", ["talent"], None, 2025),
            synthetic.measure("no-year", "CN-LN", "governance/plan", ["talent"], None, None),
        ],
    )
    tl = timeline(select(synthetic.corpus([doc]), Filters(documents=["extra"])))
    assert [(i.key, i.end_only, i.period_label) for i in tl.items] == [("by-2025", True, "by 2025")]
    assert [i.key for i in tl.undated] == ["no-year"]


# --------------------------------------------------------------------------- quantities


def test_quantity_groups_by_counts_and_unit(sel) -> None:
    groups = quantity_groups(sel)
    by_counts = {g.counts: g for g in groups}
    upgraded = by_counts["enterprises upgraded"]
    assert upgraded.unit == "enterprises"
    assert ids(upgraded.items) == ["sd-firms", "sd-base"]
    assert upgraded.kinds == (QuantityKind.target, QuantityKind.baseline)
    # national figures lead, a firm's anecdote comes last
    assert groups[0].items[0].jurisdiction.code == "CN"
    assert groups[-1].counts == "product traceability"
    assert sum(len(g.items) for g in groups) == 10


def test_targets_table_rows(sel) -> None:
    rows = targets_table(sel)
    assert len(rows) == 10
    first = rows[0]
    assert (first.jurisdiction_code, first.jurisdiction_name, first.jurisdiction_names) == (
        "CN",
        "China",
        (("zh-Hans", "中华人民共和国"),),
    )
    assert first.value == "over 200 factories"
    assert first.period == "by 2026"
    assert first.kind is QuantityKind.target
    assert (first.document_id, first.quantity_id) == ("nat-digital", "pilot-factories")
    by_id = {r.quantity_id: r for r in rows}
    assert by_id["hn-growth"].value == "10–12%"
    assert by_id["hn-growth"].period == "2023–2025"  # the measure's period
    assert by_id["hn-growth"].measure_title == "Hunan plan for industrial chains"
    assert by_id["mfg-share"].measure_id is None
    assert [r.jurisdiction_code for r in rows] == sorted(
        (r.jurisdiction_code for r in rows), key=lambda c: (c != "CN", c)
    )


# --------------------------------------------------------------------------- alignment


def test_alignment_gaps(sel) -> None:
    al = alignment(sel)
    table = {
        (p.kind, p.key): ([m.province.key for m in p.reporting], [a.key for a in p.not_reported])
        for p in al.priorities
    }
    assert list(table) == [
        ("theme", "digital-transformation"),
        ("theme", "intelligent-manufacturing"),
        ("theme", "service-oriented-manufacturing"),
        ("theme", "standards"),
        ("instrument", "governance"),
        ("instrument", "regulatory"),
    ]
    assert table[("theme", "digital-transformation")] == (
        ["CN-JX", "CN-SD", "CN-TJ"],
        ["CN-HN", "CN-SH", "CN-ZJ"],
    )
    assert table[("theme", "standards")] == ([], ["CN-HN", "CN-JX", "CN-SD", "CN-SH", "CN-TJ", "CN-ZJ"])
    assert table[("instrument", "governance")] == (
        ["CN-HN", "CN-SD", "CN-SH", "CN-ZJ"],
        ["CN-JX", "CN-TJ"],
    )
    digital = al.priorities[0]
    assert ids(digital.national) == ["digital-plan"]
    assert [m.id for pm in digital.reporting for m in pm.measures] == [
        "jx-cloud",
        "sd-plan",
        "binhai-platform",
    ]
    assert len(al.compared) == 6 and len(al.without_measures) == 28
    assert al.caveat == gap_caveat(sel.taxonomy)
    assert "does not mean that the province has no such measure" in al.caveat
    assert "not mean" in al.caveat and "reported" in al.caveat
    assert al.document_ids == sel.document_ids


# --------------------------------------------------------------------------- new content


def test_new_document_flows_into_every_view() -> None:
    s = select(synthetic.corpus_with_new_content(), Filters())
    m = comparison_matrix(s)
    assert m.rows[-1].key == "big-data" and m.rows[-1].label == "Big data industry"
    assert "CN-GZ" in [c.key for c in m.columns]
    assert ids(m.cell("big-data", "CN-GZ")) == ["gz-data-credit"]
    assert "tax" in [r.key for r in instrument_by_level(s).rows]
    assert measure_counts_by_province(s)["CN-GZ"] == 1
    assert "Guizhou big data plan" in [i.label for i in timeline(s).items]
    assert "gz-centres" in [r.quantity_id for r in targets_table(s)]
    # Guizhou has no national counterpart theme, so it is compared but reports no digital measure
    al = alignment(s)
    assert "CN-GZ" in [a.key for a in al.priorities[0].not_reported]


# --------------------------------------------------------------------------- properties

THEME_IDS = [t for t, _ in synthetic.THEMES]
INSTRUMENTS = ["governance", "governance/plan", "governance/pilot", "financial", "infrastructure/platform"]
PLACES = ["CN", "CN-SD", "CN-ZJ", "CN-TJ", "CN-ZJ-HZ", "CN-GZ"]
CORPUS = synthetic.corpus()


@settings(max_examples=60, deadline=None)
@given(
    themes=st.lists(st.sampled_from(THEME_IDS), max_size=3, unique=True),
    instruments=st.lists(st.sampled_from(INSTRUMENTS), max_size=2, unique=True),
    levels=st.lists(st.sampled_from(list(Level)), max_size=2, unique=True),
    places=st.lists(st.sampled_from(PLACES), max_size=2, unique=True),
)
def test_every_selected_measure_matches_the_filters(themes, instruments, levels, places) -> None:
    f = Filters(themes=themes, instruments=instruments, levels=levels, jurisdictions=places)
    s = select(CORPUS, f)
    everything = select(CORPUS, Filters())
    assert set(ids(s.measures)) <= set(ids(everything.measures))
    for ref in s.measures:
        assert not themes or set(themes) & set(ref.measure.themes)
        assert not instruments or any(ref.measure.instrument == i or ref.family == i for i in instruments)
        assert not levels or ref.level in levels
        if places:
            chain = {ref.jurisdiction.code, ref.jurisdiction.parent, ref.province and ref.province.code}
            assert chain & set(places) or "CN" in places
    # the matrix holds exactly the selected measures, and the map counts add up
    assert comparison_matrix(s).measure_ids == tuple(sorted(ids(s.measures)))
    assert sum(measure_counts_by_province(s).values()) == sum(
        1 for r in s.measures if r.province is not None and r.level is not Level.national
    )
    assert select(CORPUS, f) == s  # deterministic


# --------------------------------------------------------------------------- who does what


def test_who_does_what_rows_centre_first_then_by_level_and_name(sel) -> None:
    who = who_does_what(sel)
    assert [r.jurisdiction.code for r in who.rows] == [
        "CN",
        "CN-HN",  # Hunan, Jiangxi, Shandong, Shanghai: by name
        "CN-JX",
        "CN-SD",
        "CN-SH",
        "CN-ZJ-HZ",  # municipal
        "CN-TJ-BH",  # zone
    ]
    labels = {r.jurisdiction.code: r.level_label for r in who.rows}
    assert labels["CN"] == "National" and labels["CN-TJ-BH"] == "Zone"
    within = {r.jurisdiction.code: r.within.code if r.within else None for r in who.rows}
    assert within == {c: None for c in within} | {"CN-ZJ-HZ": "CN-ZJ", "CN-TJ-BH": "CN-TJ"}


def test_who_does_what_plans_figures_and_status(sel) -> None:
    rows = {r.jurisdiction.code: r for r in who_does_what(sel).rows}
    cn = rows["CN"]
    assert cn.measures == 3 and cn.status == "3 in force"
    # the plans the timeline draws, most recent first
    assert [(p.label, p.period) for p in cn.plans] == [
        ("Digital manufacturing action plan", "2024–2026 (inferred)"),
        ("Integration pilot programme", "2020–2022"),
    ]
    assert cn.more_plans == "" and cn.other_measures == ()
    # the most recent target and result, each citing the figure itself
    assert [(f.kind, f.value, f.cite) for f in cn.figures] == [
        (QuantityKind.target, "over 200 factories", "pilot-factories"),
        (QuantityKind.result, "40 regions", "pilot-regions"),
    ]
    assert [label for label, _ in cn.instruments] == [
        "Plan or strategy",
        "Pilot programme",
        "Standards and certification",
    ]
    assert cn.themes[0] == ("Intelligent manufacturing", 2)
    # Shandong: two measures of one named plan make one plan; a baseline is no headline
    sd = rows["CN-SD"]
    assert [p.label for p in sd.plans] == ["Shandong manufacturing action plan"]
    assert [f.cite for f in sd.figures] == ["sd-firms"]
    assert sd.themes[0] == ("Industrial chains and clusters", 2)
    # Jiangxi reports no plan: its measures are listed instead
    jx = rows["CN-JX"]
    assert jx.plans == () and [m.id for m in jx.other_measures] == ["jx-cloud"]
    assert rows["CN-TJ-BH"].figures == ()


def test_who_does_what_caps_plans_and_says_how_many_more(corpus) -> None:
    extra = synthetic.document(
        "more-plans",
        [
            synthetic.measure(
                f"cn-plan-{i}", "CN", "governance/plan", ["standards"], 2010 + i, None, plan=f"Plan {i}"
            )
            for i in range(5)
        ],
    )
    sel = select(synthetic.corpus([extra]), Filters())
    cn = who_does_what(sel).rows[0]
    assert len(cn.plans) == WHO_PLANS == 3
    # the most recent first (by end year, else start year)
    assert [p.label for p in cn.plans] == [
        "Digital manufacturing action plan",
        "Integration pilot programme",
        "Plan 4",
    ]
    assert cn.more_plans == "and 4 more plans and programmes in these reports"


def test_measure_matrix_lists_each_measure_once(sel) -> None:
    m = measure_matrix(sel)
    listed = [ref.id for row in m.cells for cell in row for ref in cell]
    assert sorted(listed) == sorted(r.id for r in sel.measures)
    assert [a.label for a in m.rows][:2] == ["Plan or strategy", "Pilot programme"]
