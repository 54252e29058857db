"""Print typography (issue 12, item 6): note numbers once per cell and never twice in a row,
identical notes under one number, URLs and file names that break only after "/", "." or
"_", figure source lines that name outlets and dates, scope notes where the reading notes are.
The PDF side (no hyphen in a broken URL) is checked in test_pdf.py on the built fixture."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from markupsafe import Markup

import synthetic
from conftest import FIXTURES, ROOT
from policybrief import charts
from policybrief.analyse import select
from policybrief.models import Filters, Published
from policybrief.options import Options
from policybrief.pipeline import build
from policybrief.products import chart_source
from policybrief.render import Citations, breakable

# --------------------------------------------------------------------------- notes


def _citations(texts: dict[str, str]) -> Citations:
    return Citations(describe=lambda ident: Markup(texts[ident]))


def _numbers(html: str) -> list[str]:
    return re.findall(r'<a class="cite" href="#note-(\d+)"', html)


def test_identical_notes_share_one_number() -> None:
    citations = _citations(
        {"a": "Source 1: “same phrase”.", "b": "Source 1: “same phrase”.", "c": "Source 2."}
    )
    page = citations.resolve(
        f"<p>One{citations.token('a')}, two{citations.token('b')}, three{citations.token('c')}.</p>"
    )
    assert _numbers(page) == ["1", "1", "2"]
    assert [(n.number, str(n.text)) for n in citations.notes] == [
        (1, "Source 1: “same phrase”."),
        (2, "Source 2."),
    ]


def test_the_same_note_twice_in_a_row_is_shown_once() -> None:
    citations = _citations({"a": "Source 1.", "b": "Source 1.", "c": "Source 2."})
    page = citations.resolve(
        f"<p>Shandong{citations.token('a')}{citations.token('b')}{citations.token('c')} and more{citations.token('a')}.</p>"
    )
    assert _numbers(page) == ["1", "2", "1"]
    assert '1</a><span class="cite-sep">,</span><a class="cite" href="#note-2"' in page


def test_a_table_cell_shows_each_note_number_once() -> None:
    texts = {"jl": "Source 2.", "sh": "Source 2.", "tj": "Source 3.", "x": "Source 2."}
    citations = _citations(texts)
    t = citations.token
    page = citations.resolve(
        f"<p>Prose{t('x')}</p><table><tr><td>Jilin{t('jl')}; Shanghai{t('sh')}; Tianjin{t('tj')}</td>"
        f"<td>Jilin{t('jl')}</td></tr></table><p>More prose{t('x')} and{t('x')}</p>"
    )
    cells = re.findall(r"<td>(.*?)</td>", page)
    assert [_numbers(c) for c in cells] == [["1", "2"], ["1"]]
    # Kept where it last appears: the note ends the list it covers.
    assert cells[0].startswith("Jilin; Shanghai<a")
    # Prose is left alone, except for a repeat right after itself.
    assert _numbers(page.split("<table>")[0]) == ["1"]
    assert _numbers(page.split("</table>")[1]) == ["1", "1"]


# --------------------------------------------------------------------------- breakable strings


def test_breakable_marks_breaks_only_after_slash_dot_underscore() -> None:
    url = "http://en.gd-fao.gov.cn/zwgk/gd_modern_2024/index.html"
    html = str(breakable(url))
    assert html.startswith('<span class="breakable">') and html.endswith("</span>")
    pieces = re.findall(r"<span>([^<]*)</span>", html)
    assert "".join(pieces) == url
    assert pieces == [
        "http://",
        "en.",
        "gd-fao.",
        "gov.",
        "cn/",
        "zwgk/",
        "gd_",
        "modern_",
        "2024/",
        "index.",
        "html",
    ]
    assert html.count("<wbr>") == len(pieces) - 1
    # Escaped like any text.
    assert "&lt;b&gt;" in str(breakable("a/<b>"))


# --------------------------------------------------------------------------- figure source lines


def test_chart_source_names_outlets_and_dates_with_their_numbers() -> None:
    docs = [
        synthetic.document("later", []).model_copy(
            update={
                "outlet": "Provincial Daily",
                "published": Published(
                    date=dt.date(2024, 5, 1), precision="month", basis="inferred", reason="r"
                ),
            }
        ),
        synthetic.document("earlier", []).model_copy(update={"outlet": "Xinhua"}),
    ]
    line = chart_source(docs, {"earlier": 1, "later": 4})
    assert line == "Sources: Xinhua, 1 May 2023 [1]; Provincial Daily, May 2024 (inferred) [4]."
    assert chart_source(docs[:1], {}) == "Source: Provincial Daily, May 2024 (inferred)."


def test_charts_record_their_documents_and_no_internal_ids_in_their_own_line() -> None:
    corpus = synthetic.corpus()
    out = {c.id: c for c in charts.render_charts(select(corpus, Filters()), charts.KINDS, corpus.taxonomy)}
    assert out
    ids = {d.id for d in corpus.documents}
    for chart in out.values():
        assert chart.documents and set(chart.documents) <= ids
        assert list(chart.documents) == sorted(set(chart.documents))
        assert not any(i in chart.source for i in ids), chart.source
        assert charts.Chart.from_json(chart.to_json()) == chart


# --------------------------------------------------------------------------- heatmap order and key


def test_heatmap_columns_by_level_then_name_with_a_shading_key() -> None:
    # ISO order puts Jilin (CN-JL) before Jiangxi (CN-JX); readers look names up.
    measures = [
        synthetic.measure(f"m-{code.lower()}", f"CN-{code}", "governance/plan", ["talent"], 2023, 2025)
        for code in ("JL", "JX", "AH", "ZJ")
    ] + [synthetic.measure("m-cn", "CN", "governance/plan", ["talent"], 2023, 2025)]
    corpus = synthetic.corpus([synthetic.document("order", measures)])
    sel = select(corpus, Filters(documents=["order"]))
    chart = charts.render_charts(sel, ["heatmap"], corpus.taxonomy)[0]
    assert chart.data_summary.columns == ("Theme", "National", "Anhui", "Jiangxi", "Jilin", "Zhejiang")
    texts = re.findall(r"<text [^>]*>([^<]*)</text>", chart.svg)
    assert "Measures in a cell:" in texts
    assert "1" in texts


# --------------------------------------------------------------------------- built pages


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("print") / "out"
    build(Options(project=ROOT, content=FIXTURES / "content", output=out, pdf=False))
    return out


def test_scope_notes_are_shown_where_the_reading_notes_are(built: Path) -> None:
    scope = "The Jinan firm&#39;s output claim is qualitative and kept in the summary only."
    digest = (built / "briefs" / "digest-fixture-alpha" / "index.html").read_text(encoding="utf-8")
    brief = (built / "briefs" / "fixture-brief" / "index.html").read_text(encoding="utf-8")
    for page in (digest, brief):
        sources = page[page.index('id="sources"') :]
        assert f'<span class="note-kind">Scope:</span> {scope}' in sources


def test_urls_and_file_names_in_the_sources_list_are_breakable(built: Path) -> None:
    page = (built / "briefs" / "fixture-brief" / "index.html").read_text(encoding="utf-8")
    assert (
        str(
            breakable(
                "http://en.test-wire.example/news/smart_factories/demonstration-parks_2024/alpha-report.html"
            )
        )
        in page
    )
    assert f"Source file {breakable('fixture-alpha.txt')}" in page


def test_figure_source_lines_name_outlets_not_ids(built: Path) -> None:
    page = (built / "briefs" / "fixture-brief" / "index.html").read_text(encoding="utf-8")
    lines = re.findall(r'<span class="fig-source">([^<]*)</span>', page)
    assert lines
    for line in lines:
        assert "Test Wire, 3 March 2024 (inferred) [1]" in line
        assert "fixture-alpha" not in line
