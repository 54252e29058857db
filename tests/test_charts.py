"""Chart stage: deterministic SVG, text that WeasyPrint sets in the pinned fonts (CJK from the SC
face), data-driven alt text and captions, charts that fit a page.

Run with warnings as errors (pyproject sets it; `-W error` too): a missing glyph makes
matplotlib warn, so any box in a chart fails the test that rendered it.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
from pathlib import Path

import pikepdf
import pytest

import synthetic
from policybrief import charts, chartstyle
from policybrief.analyse import select
from policybrief.models import Filters

ROOT = Path(__file__).resolve().parents[1]
ALL_VIEWS = ["heatmap", "timeline", "quantities", "tilemap"]


def render(corpus, views=ALL_VIEWS, filters: Filters | None = None) -> dict[str, charts.Chart]:
    sel = select(corpus, filters or Filters())
    return {c.id: c for c in charts.render_charts(sel, views, corpus.taxonomy)}


@pytest.fixture(scope="module")
def base() -> dict[str, charts.Chart]:
    return render(synthetic.corpus())


@pytest.fixture(scope="module")
def grown() -> dict[str, charts.Chart]:
    return render(synthetic.corpus_with_new_content())


# --------------------------------------------------------------------------- the entry point


def test_render_charts_follows_views_and_skips_unknown() -> None:
    corpus = synthetic.corpus()
    sel = select(corpus, Filters())
    out = charts.render_charts(sel, ["tilemap", "matrix", "heatmap", "tilemap"], corpus.taxonomy)
    assert [c.id for c in out] == ["tilemap", "heatmap"]


def test_views_without_data_are_skipped() -> None:
    corpus = synthetic.corpus()
    # Only the national standards measure: no plan, no figure, no province.
    out = render(corpus, filters=Filters(themes=["standards"]))
    assert list(out) == ["heatmap"]
    assert render(corpus, filters=Filters(themes=["talent"])) == {}


def test_chart_fields(base) -> None:
    assert list(base) == ALL_VIEWS
    for chart in base.values():
        assert chart.svg.startswith("<?xml")
        assert chart.svg_element.startswith("<svg")
        assert chart.width_cm == 16.0 and 4 < chart.height_cm <= charts.MAX_HEIGHT_CM
        width_pt = float(re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"', chart.svg).group(1))
        assert width_pt == pytest.approx(16 / 2.54 * 72, abs=0.5)
        # The chart counts its documents; the brief names them by outlet and date.
        assert chart.source == "Source: analysis of 3 documents."
        assert chart.documents == ("nat-digital", "nat-pilots", "prov-plans")
        assert f'<title id="{chart.id}-title">' in chart.svg
        assert chart.data_summary.rows


# --------------------------------------------------------------------------- determinism


def test_byte_identical_on_repeat(base) -> None:
    again = render(synthetic.corpus())
    for view in ALL_VIEWS:
        assert again[view].svg == base[view].svg, view
    assert "<dc:date>" not in base["heatmap"].svg
    assert "Matplotlib v" not in base["heatmap"].svg  # no version-dependent creator string


def test_ids_are_namespaced_per_chart(base) -> None:
    seen: dict[str, str] = {}
    for chart in base.values():
        chart_ids = re.findall(r'\bid="([^"]+)"', chart.svg)
        assert chart_ids and all(i.startswith(f"{chart.id}-") for i in chart_ids)
        refs = re.findall(r'href="#([^"]+)"|url\(#([^)]+)\)', chart.svg)
        assert {a or b for a, b in refs} <= set(chart_ids)  # every reference resolves
        for i in chart_ids:
            assert seen.setdefault(i, chart.id) == chart.id  # unique across charts


# --------------------------------------------------------------------------- fonts and glyphs

#: What every chart's text asks for: the PDF's pinned family for Noto Sans, Noto Sans itself,
#: the SC face for Chinese, the Devanagari and Arabic faces (each after the PDF's pinned
#: family for it), then fallbacks for browsers; comma-separated without spaces.
FAMILY = (
    "'PB Sans','Noto Sans','Noto Sans CJK SC','PB Devanagari','Noto Sans Devanagari',"
    "'PB Arabic','Noto Sans Arabic','Arial',sans-serif"
)


def _texts(svg: str) -> list[tuple[str, str]]:
    """(style, text) of every <text> element."""
    return re.findall(r'<text style="([^"]*)"[^>]*>([^<]*)</text>', svg)


def test_text_is_text_in_the_pinned_families(base) -> None:
    for chart in base.values():
        texts = _texts(chart.svg)
        assert texts, chart.id
        families = {re.search(r"font-family: ([^;]*)", style).group(1) for style, _ in texts}
        assert families == {FAMILY}, chart.id
        assert f'id="{chart.id}-NotoSans' not in chart.svg  # no glyph outlines
        assert "DejaVu" not in chart.svg and "LastResort" not in chart.svg
    tilemap = {text for _, text in _texts(base["tilemap"].svg)}
    assert {"山东", "黑龙江", "内蒙古", "新疆"} <= tilemap
    assert any("山东" in text for _, text in _texts(base["heatmap"].svg))


def test_pdf_draws_chart_text_with_the_pinned_fonts(base, tmp_path) -> None:
    """WeasyPrint, as pdf.py sets it up, draws the labels from the @font-face files (PB Sans)
    and Chinese from the SC face, not the JP face that a misread family list falls back to."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from policybrief.fonts import font_face_css

    (tmp_path / "tilemap.svg").write_text(base["tilemap"].svg, encoding="utf-8")
    font_config = FontConfiguration()
    pdf = weasyprint.HTML(
        string='<html lang="en"><title>t</title><img src="tilemap.svg" alt="map">',
        base_url=f"{tmp_path}/",
    ).write_pdf(
        stylesheets=[weasyprint.CSS(string=font_face_css(), font_config=font_config)],
        font_config=font_config,
    )
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        fonts = {str(f.BaseFont).split("+", 1)[-1] for p in doc.pages for f in p.Resources.Font.values()}
    assert fonts == {"PB-Sans", "PB-Sans-Bold", "Noto-Sans-CJK-SC"}


def test_devanagari_and_arabic_names_have_their_glyphs(tmp_path) -> None:
    """Names in Hindi and Arabic script: no glyph missing in the chart (a missing glyph
    warns, and warnings fail the tests) and the PDF draws them from the pinned faces."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from policybrief.fonts import font_face_css

    doc = synthetic.document(
        "scripts",
        [
            synthetic.measure(
                "hindi-plan", "CN-SD", "governance/plan", ["talent"], 2020, 2022, plan="उत्तर प्रदेश योजना"
            ),
            synthetic.measure(
                "arabic-plan", "CN-SD", "governance/plan", ["talent"], 2021, 2023, plan="خطة التنمية الصناعية"
            ),
        ],
    )
    corpus = synthetic.corpus([doc])
    chart = charts.timeline_chart(select(corpus, Filters(documents=["scripts"])), corpus.taxonomy)
    assert chart is not None
    texts = {text for _, text in _texts(chart.svg)}
    assert any("उत्तर प्रदेश" in t for t in texts) and any("خطة" in t for t in texts)
    (tmp_path / "timeline.svg").write_text(chart.svg, encoding="utf-8")
    font_config = FontConfiguration()
    pdf = weasyprint.HTML(
        string='<html lang="en"><title>t</title><img src="timeline.svg" alt="plans">',
        base_url=f"{tmp_path}/",
    ).write_pdf(
        stylesheets=[weasyprint.CSS(string=font_face_css(), font_config=font_config)],
        font_config=font_config,
    )
    with pikepdf.open(io.BytesIO(pdf)) as pdf_doc:
        fonts = {str(f.BaseFont).split("+", 1)[-1] for p in pdf_doc.pages for f in p.Resources.Font.values()}
    assert {"PB-Devanagari", "PB-Arabic"} <= fonts, fonts


def test_svg_font_family() -> None:
    assert (
        chartstyle.svg_font_family(
            (
                chartstyle.LATIN_FAMILY,
                chartstyle.CJK_FAMILY,
                chartstyle.DEVANAGARI_FAMILY,
                chartstyle.ARABIC_FAMILY,
            )
        )
        == FAMILY
    )
    assert chartstyle.svg_font_family(("Some Sans", "serif")) == "'Some Sans',serif,'Arial',sans-serif"


def test_no_font_warnings_or_logs(caplog) -> None:
    with caplog.at_level(logging.INFO, logger="matplotlib"):
        render(synthetic.corpus_with_new_content())
    assert not [r for r in caplog.records if "findfont" in r.getMessage()]


def test_a_missing_glyph_is_caught() -> None:
    # The control for the two tests above: a character no registered font has must warn,
    # so that "no warning" really means "no box".
    doc = synthetic.document(
        "odd",
        [
            synthetic.measure(
                "odd-plan", "CN-SD", "governance/plan", ["talent"], 2020, 2021, plan="\U0001f600 plan"
            )
        ],
    )
    corpus = synthetic.corpus([doc])
    sel = select(corpus, Filters(documents=["odd"]))
    with pytest.warns(UserWarning, match="missing from font"):
        charts.timeline_chart(sel, corpus.taxonomy)


def test_missing_font_file_is_named(monkeypatch, tmp_path) -> None:
    missing = tmp_path / "NotoSans-Regular.ttf"
    monkeypatch.setattr(chartstyle, "_registered", False)
    monkeypatch.setitem(chartstyle.FONT_FILES, chartstyle.LATIN_FAMILY, (missing,))
    with pytest.raises(chartstyle.ChartFontError, match=re.escape(str(missing))):
        chartstyle.register_fonts()


# --------------------------------------------------------------------------- style


def _lightness(colour: str) -> float:
    y = chartstyle.relative_luminance(colour)
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


def test_level_colours_differ_in_greyscale_and_hatch() -> None:
    assert list(chartstyle.LEVEL_COLOURS) == ["national", "provincial", "municipal", "zone", "enterprise"]
    lightness = [_lightness(c) for c in chartstyle.LEVEL_COLOURS.values()]
    assert lightness == sorted(lightness)  # dark to light
    assert min(b - a for a, b in itertools.pairwise(lightness)) >= 10
    assert len(set(chartstyle.LEVEL_HATCHES.values())) == 5


def test_kinds_differ_in_marker_and_colour() -> None:
    styles = chartstyle.KIND_STYLES
    assert set(styles) == {"target", "result", "baseline", "anecdote"}
    assert len({s["marker"] for s in styles.values()}) == 4
    assert len({s["facecolor"] for s in styles.values()}) == 4


def test_level_colour_is_the_same_in_every_chart(base) -> None:
    national = chartstyle.LEVEL_COLOURS["national"]
    provincial = chartstyle.LEVEL_COLOURS["provincial"]
    for view in ("heatmap", "timeline"):
        assert national in base[view].svg and provincial in base[view].svg


# --------------------------------------------------------------------------- text from data


def test_heatmap_alt_and_caption_state_values(base) -> None:
    chart = base["heatmap"]
    assert "Shandong: Digital transformation 1, Industrial chains and clusters 2" in chart.alt
    assert "National: Digital transformation 1, Intelligent manufacturing 2" in chart.alt
    assert "10 measures" in chart.alt
    # Scoped to what the chart saw (issue 11): never "only national measures cover X" bare.
    assert "; only national measures cover standards;" in chart.caption
    # The columns hold provinces with their cities and zones, and the caption says so.
    assert chart.caption.startswith(
        "In this brief's selection, provincial, municipal and zone measures concentrate on"
    )
    assert chart.data_summary.columns[:3] == ("Theme", "National", "Hunan")


def test_timeline_alt_and_caption(base) -> None:
    chart = base["timeline"]
    assert "Provincial, Shandong: Shandong manufacturing action plan, 2023–2025" in chart.alt
    assert "2024–2026 (inferred)" in chart.alt
    assert "from 2021, open-ended" in chart.alt
    # An order of the reports, not a claim that one level acted before another (issue 11).
    assert chart.caption == (
        "In these reports the earliest dated national plan is from 2020, the earliest municipal "
        "one from 2021, the earliest provincial one from 2023; 3 of the 3 provincial plans "
        "shown run 2023–2025; the one "
        "municipal plan shown runs from 2021. 1 plan is open-ended (end year not reported) and "
        "1 period is inferred."
    )


def test_timeline_tells_stated_open_ended_and_announced_apart() -> None:
    """A plan with a stated period is a solid bar; an open-ended one a first year that fades
    out to an arrow, not a bar to the axis end; an announced one (not reported in force) a
    pale bar. The key names each encoding, and the alt text and table say the same."""
    from policybrief import chartstyle as style
    from policybrief.charts.timeline import ANNOUNCED_PALE, OPEN_TAIL_STEPS

    plans = [
        synthetic.measure("stated", "CN-SD", "governance/plan", ["talent"], 2021, 2023, plan="Stated plan"),
        synthetic.measure("running", "CN-ZJ", "governance/plan", ["talent"], 2022, None, plan="Running plan"),
        synthetic.measure(
            "intended",
            "CN-HN",
            "governance/plan",
            ["talent"],
            2023,
            2025,
            plan="Intended plan",
            status="announced",
        ),
    ]
    corpus = synthetic.corpus([synthetic.document("plans", plans)])
    chart = render(corpus, ["timeline"], Filters(documents=["plans"]))["timeline"]
    texts = [t for _, t in _texts(chart.svg)]
    for key in (
        "Provincial: period stated",
        "open-ended: end year not reported",
        "pale: announced only",
    ):
        assert key in texts
    provincial = style.LEVEL_COLOURS["provincial"]
    pale = style.mix(provincial, "#ffffff", ANNOUNCED_PALE)
    assert pale in chart.svg and provincial in chart.svg  # hatched fills sit in <pattern>s
    # The open-ended plan's tail: steps of falling opacity (and two in the key's sample).
    opacities = [float(x) for x in re.findall(r"opacity: ([\d.]+)", chart.svg)]
    tail = sorted({o for o in opacities if o < 1}, reverse=True)
    assert len(tail) >= OPEN_TAIL_STEPS // 2 and tail[0] > 0.6 and tail[-1] < 0.2
    assert "Provincial, Zhejiang: Running plan, from 2022, open-ended" in chart.alt
    assert "Provincial, Hunan: Intended plan, 2023–2025, announced, not reported in force" in chart.alt
    assert "1 plan is announced but not reported in force" in chart.caption
    rows = {row[2]: row for row in chart.data_summary.rows}
    assert rows["Intended plan"][4] == "announced" and rows["Stated plan"][4] == "in-force"


def test_timeline_wraps_long_plan_names_and_never_cuts_them() -> None:
    words = [f"word{k}" for k in range(30)]
    title = "Plan " + " ".join(words)
    plans = [synthetic.measure("long", "CN-SD", "governance/plan", ["talent"], 2021, 2023, plan=title)]
    corpus = synthetic.corpus([synthetic.document("plans", plans)])
    chart = render(corpus, ["timeline"], Filters(documents=["plans"]))["timeline"]
    lines = [t for _, t in _texts(chart.svg) if "word" in t]
    assert len(lines) >= 4  # wrapped over several lines
    assert " ".join(lines).split() == ["Shandong:", "Plan", *words]
    assert "…" not in chart.svg


def test_quantities_alt_and_caption(base) -> None:
    chart = base["quantities"]
    assert "target over 200 factories (National, by 2026)" in chart.alt
    assert "baseline 600 enterprises (Shandong, 2022)" in chart.alt
    assert "anecdote 98.5% (Yili (Inner Mongolia))" in chart.alt
    assert "4 targets, 3 results" in chart.caption
    assert "enterprises upgraded" in chart.caption  # the one group with two kinds
    for kind in ("Target", "Result (achieved)", "Baseline", "Anecdote (one firm)"):
        assert f">{kind}</text>" in chart.svg  # the legend names every kind


def test_tilemap_alt_caption_and_zero_tiles(base) -> None:
    chart = base["tilemap"]
    assert "Shandong 2, Hunan 1, Jiangxi 1, Shanghai 1, Tianjin 1, Zhejiang 1" in chart.alt
    assert "The other 28: none reported" in chart.alt
    assert chart.caption.startswith(
        "In these documents, measures are reported for 6 of 34 provincial-level divisions"
    )
    assert "most for Shandong (2); for the other 28, none is reported here" in chart.caption
    assert len(chart.data_summary.rows) == 34
    assert ">none reported</text>" in chart.svg
    # zero tiles (and their legend key): white, dashed grey edge; the other six are shaded
    empty = re.findall(r'style="fill: #ffffff; stroke-dasharray[^"]*stroke: #9a9a9a', chart.svg)
    assert len(empty) == 28 + 1


def test_tilemap_draws_the_members_the_taxonomy_names() -> None:
    """The map's membership is content: `map.leave_out` takes divisions off the map (they
    stay jurisdictions), the caption and alt text count the others and end with the
    taxonomy's own note, and measures of a division left out are counted, not drawn."""
    from policybrief.models import TileMap

    note = "Three special divisions have systems of their own and are not drawn."
    tax = synthetic.taxonomy().model_copy(
        update={"map": TileMap(leave_out=["CN-HK", "CN-MO", "CN-TW"], divisions="core divisions", note=note)}
    )
    extra = synthetic.document(
        "sar", [synthetic.measure("hk-plan", "CN-HK", "governance/plan", ["talent"], 2023, 2025)]
    )
    chart = render(synthetic.corpus([extra], tax=tax), ["tilemap"])["tilemap"]
    assert chart.caption.startswith("In these documents, measures are reported for 6 of 31 core divisions")
    assert "for the other 25, none is reported here" in chart.caption
    assert "1 measure for Hong Kong, which the map does not draw, is not shown" in chart.caption
    assert chart.caption.endswith(note) and chart.alt.endswith(note)
    assert "Tile map of China's 31 core divisions" in chart.alt
    assert len(chart.data_summary.rows) == 31
    assert {row[0] for row in chart.data_summary.rows}.isdisjoint({"CN-HK", "CN-MO", "CN-TW"})
    tiles = {text for _, text in _texts(chart.svg)}
    assert {"SD", "山东"} <= tiles and not {"HK", "MO", "TW", "香港"} & tiles
    # Without a `map:` block every first-level division with a tile is drawn.
    plain = render(synthetic.corpus([extra]), ["tilemap"])["tilemap"]
    assert len(plain.data_summary.rows) == 34
    assert "7 of 34 provincial-level divisions" in plain.caption


def test_tilemap_of_another_country_counts_its_own_members() -> None:
    """No count is the example's: leave out one of Belgium's three regions, and the map
    speaks of two, in the project's level words."""
    from policybrief.models import Jurisdiction, LevelLabel, Taxonomy, TileMap

    regions = [
        ("BE-VLG", "Flemish Region", (1, 1)),
        ("BE-BRU", "Brussels-Capital Region", (1, 2)),
        ("BE-WAL", "Walloon Region", (2, 2)),
    ]
    base_tax = synthetic.taxonomy()
    tax = Taxonomy(
        jurisdictions=[
            Jurisdiction(code="BE", level="national", type="federal state", name="Belgium"),
            *(
                Jurisdiction(code=c, level="provincial", type="region", name=n, parent="BE", tile=t)
                for c, n, t in regions
            ),
        ],
        actors=[a.model_copy(update={"jurisdiction": "BE"}) for a in base_tax.actors[:4]],
        instruments=base_tax.instruments,
        themes=base_tax.themes,
        map=TileMap(leave_out=["BE-BRU"]),
    )
    # As load_corpus fills them in from the project file.
    regional = LevelLabel(adjective="Regional", noun="region", plural="regions")
    tax = tax.model_copy(update={"levels": {**base_tax.levels, "provincial": regional}})
    doc = synthetic.document(
        "be",
        [
            synthetic.measure("vlg", "BE-VLG", "governance/plan", ["talent"], 2023, 2025),
            synthetic.measure("bru", "BE-BRU", "governance/plan", ["talent"], 2023, 2025),
        ],
        subject="BE",
    )
    from policybrief.corpus import Corpus

    corpus = Corpus(root=Path("synthetic-content"), taxonomy=tax, documents=[doc], briefs=[])
    chart = render(corpus, ["tilemap"])["tilemap"]
    assert chart.caption.startswith(
        "In these documents, measures are reported for 1 of 2 regional-level divisions"
    )
    assert "1 measure for Brussels-Capital Region, which the map does not draw, is not shown" in chart.caption
    assert [row[0] for row in chart.data_summary.rows] == ["BE-VLG", "BE-WAL"]


def _many_figures(sizes: dict[str, int]) -> tuple[dict[str, charts.Chart], int]:
    """Charts of one document with a group of `size` figures per name (each its own unit)."""
    provinces = ["CN-SD", "CN-ZJ", "CN-HN", "CN-JX", "CN-SH", "CN-TJ"]
    measures = []
    for name, size in sizes.items():
        slug = name.replace(" ", "-")
        quantities = [
            synthetic.quantity(f"{slug}-{i}", 10 + i, name, name, "target" if i % 3 else "result")
            for i in range(size)
        ]
        for p_i, province in enumerate(provinces):
            chunk = quantities[p_i :: len(provinces)]
            if chunk:
                measures.append(
                    synthetic.measure(
                        f"{slug}-{p_i}", province, "governance/plan", ["talent"], 2021, 2023, quantities=chunk
                    )
                )
    corpus = synthetic.corpus([synthetic.document("many", measures)])
    return render(corpus, ["quantities"], Filters(documents=["many"])), sum(sizes.values())


def test_quantities_keep_whole_groups_largest_first() -> None:
    # 22 + 15 + 3 = 40 fit; of the two groups of 15, "beta units" wins the tie by name and
    # "gamma units" no longer fits; "delta units", smaller, still does.
    out, total = _many_figures({"zeta units": 22, "gamma units": 15, "beta units": 15, "delta units": 3})
    chart = out["quantities"]
    shown = {row[0] for row in chart.data_summary.rows}
    assert shown == {"zeta units", "beta units", "delta units"}
    assert len(chart.data_summary.rows) == charts.QTY_MAX_ROWS == 40
    assert chart.height_cm <= charts.MAX_HEIGHT_CM
    assert (
        f"For room, the chart shows 40 of {total} figures (whole groups, largest first: 3 of 4); "
        f"the figures data file (see Data) lists all {total}."
    ) in chart.caption
    assert chart.alt.startswith(f"Dot chart of 40 of {total} figures reported in these documents")
    assert "Not shown, for room: 15 figures in 1 group (gamma units)" in chart.alt
    assert not [text for _, text in _texts(chart.svg) if "gamma" in text]
    assert [text for _, text in _texts(chart.svg) if "delta units" in text]
    # the finding counts every figure, shown or not
    assert "(36 targets, 19 results)" in chart.caption  # of 55; the 40 shown: 26 and 14
    assert out == _many_figures({"zeta units": 22, "gamma units": 15, "beta units": 15, "delta units": 3})[0]


def test_quantities_cut_a_group_too_big_for_a_page() -> None:
    chart = _many_figures({"huge units": 55, "small units": 2})[0]["quantities"]
    assert len(chart.data_summary.rows) == 40
    assert {row[0] for row in chart.data_summary.rows} == {"huge units"}
    assert "the chart shows 40 of 57 figures (the first 40 of the largest group, huge units)" in chart.caption
    assert chart.height_cm <= charts.MAX_HEIGHT_CM
    # The alt text says the same: 2 figures in the group left out, 15 more of the cut one.
    assert (
        "Not shown, for room: 2 figures in 1 group (small units) and 15 more figures of huge units"
        in chart.alt
    )


def test_quantities_at_the_cap_are_not_cut() -> None:
    chart = _many_figures({"a units": 30, "b units": 10})[0]["quantities"]
    assert len(chart.data_summary.rows) == 40
    assert "For room" not in chart.caption and "Not shown" not in chart.alt
    assert chart.alt.startswith("Dot chart of 40 figures reported in these documents")


# --------------------------------------------------------------------------- open to new content


def test_new_province_theme_and_instrument_appear(base, grown) -> None:
    heatmap = grown["heatmap"]
    # Guizhou (CN-GZ) takes its place in taxonomy order, right after the national column
    assert heatmap.data_summary.columns[:3] == ("Theme", "National", "Guizhou")
    assert heatmap.data_summary.rows[-1] == ("Big data industry", "0", "1", *(["0"] * 6))
    assert "Guizhou: Big data industry 1" in heatmap.alt
    assert ">Guizhou 贵州</text>" in heatmap.svg  # the column label
    tilemap = grown["tilemap"]
    assert ("CN-GZ", "Guizhou", "贵州省", "1") in tilemap.data_summary.rows
    assert "Guizhou 1" in tilemap.alt
    assert "Guizhou big data plan" in grown["timeline"].alt
    assert "30 data centres" in grown["quantities"].alt
    for view in ALL_VIEWS:
        assert grown[view].svg != base[view].svg
        assert "gz-bigdata" in grown[view].documents


# --------------------------------------------------------------------------- the real corpus


def test_real_content_renders_when_present() -> None:
    from policybrief.load import load_corpus
    from policybrief.problems import ContentError

    content = ROOT / "content"
    if not any((content / "documents").glob("*.md")):
        pytest.skip("content/documents is empty")
    try:
        corpus = load_corpus(content)
    except ContentError as exc:  # content is checked by its own tests
        pytest.skip(f"content does not load: {exc}")
    out = render(corpus)
    assert set(out) == set(ALL_VIEWS)
    for chart in out.values():
        assert chart.height_cm <= charts.MAX_HEIGHT_CM


@pytest.mark.parametrize("title_words", [1, 12])
def test_timeline_keeps_to_a_page_and_says_what_it_leaves_out(title_words: int) -> None:
    # Short titles take one line a row, long ones two: the cap is on the chart's height.
    provinces = ["CN-SD", "CN-ZJ", "CN-HN", "CN-JX", "CN-SH", "CN-TJ"]
    n = 60
    title = " ".join(["programme"] * title_words)
    measures = [
        synthetic.measure(
            f"plan-{k:02d}",
            provinces[k % 6],
            "governance/plan",
            ["talent"],
            2000 + k,
            2000 + k + 2,
            title=f"Plan {k:02d} {title}",
        )
        for k in range(n)
    ]
    corpus = synthetic.corpus([synthetic.document("plans", measures)])
    chart = render(corpus, ["timeline"], Filters(documents=["plans"]))["timeline"]
    assert chart.height_cm <= charts.MAX_HEIGHT_CM
    match = re.search(rf"the (\d+) most recent of {n} plans and programmes", chart.caption)
    assert match, chart.caption
    shown = int(match.group(1))
    assert 0 < shown < n
    assert f"Timeline of {shown} of {n} plans and programmes" in chart.alt
    # The most recent plans are drawn, the earlier ones are not.
    assert f"{2000 + n - 1}–{2000 + n + 1}" in chart.svg
    assert f"{2000 + n - shown}–{2000 + n - shown + 2}" in chart.svg
    assert f"{2000 + n - shown - 1}–{2000 + n - shown + 1}" not in chart.svg
    # Its data table still lists every plan.
    assert len(chart.data_summary.rows) == n


def test_heatmap_findings_stay_on_the_themes_the_brief_selected() -> None:
    """A measure on a selected theme brings its other themes along; "only X cover T" about
    such a theme T is not a finding of the brief (issue 11, a fact-checker's case)."""
    corpus = synthetic.corpus()
    theme = "digital-transformation"  # its measures also carry intelligent manufacturing, chains, SMEs
    sel = select(corpus, Filters(themes=[theme]))
    [chart] = charts.render_charts(sel, ["heatmap"], corpus.taxonomy)
    labels = {t.id: t.label.lower() for t in corpus.taxonomy.themes}
    for clause in chart.caption.split(";"):
        if " only " in f" {clause} ":
            named = clause.split(" cover ", 1)[1]
            assert all(labels[t] not in named for t in labels if t != theme), clause


def test_captions_split_pooled_counts_and_say_where_zones_sit(base) -> None:
    """A second fact-check's cases: pooled, the national results hid that every provincial
    figure was a target; a zone's measure in a province's column sat under "no provincial
    measure" with the reason only in the alt text."""
    assert (
        "by level: national 2 results and 1 target, provincial 1 result and 3 targets"
        in base["quantities"].caption
    )
    assert "say more about goals than outcomes" not in base["quantities"].caption
    assert base["heatmap"].caption.endswith("Cities and zones count toward their province's column.")


def test_timeline_caption_keeps_inferred_and_announced_marks() -> None:
    import dataclasses

    from policybrief.analyse import TimelineItem
    from policybrief.charts.timeline import _timeline_text

    corpus = synthetic.corpus()
    sel = select(corpus, Filters())
    nat = next(m for m in sel.measures if m.level.value == "national")
    from policybrief.models import Status

    announced = nat.measure.model_copy(update={"status": Status.announced})
    ref = dataclasses.replace(nat, measure=announced)
    items = [
        TimelineItem(f"p{i}", f"Plan {i}", nat.jurisdiction, nat.level, (ref,), 2022, None, True, False, True)
        for i in range(3)
    ]
    _alt, caption = _timeline_text(items, (), items, corpus.taxonomy)
    assert "3 of the 3 national plans shown are announced, from 2022 (inferred)" in caption
