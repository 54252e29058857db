"""The tile map: the country's first-level divisions as equal tiles (the taxonomy's `tile`
layout), shaded by the number of measures reported."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.patches import Patch, Rectangle

from .. import chartstyle as style
from ..analyse import measure_counts_by_province
from ..models import Jurisdiction, Level, Taxonomy
from . import draw
from .chart import Chart, ChartInput, DataTable
from .words import documents, join, join_some, plural, source


def _classes(max_count: int) -> list[tuple[int, int]]:
    """Count classes for the map: one per value up to 4, else doubling (1, 2–3, 4–7, …)."""
    if max_count <= 4:
        return [(n, n) for n in range(1, max_count + 1)]
    classes, low = [], 1
    while low <= max_count:
        classes.append((low, min(2 * low - 1, max_count)))
        low *= 2
    return classes


def _class_label(c: tuple[int, int]) -> str:
    low, high = c
    return str(low) if low == high else f"{low}–{high}"


def tilemap_chart(sel: ChartInput, taxonomy: Taxonomy | None = None) -> Chart | None:
    """The first-level divisions as equal tiles, shaded by number of measures."""
    tax = taxonomy or sel.taxonomy
    all_counts = measure_counts_by_province(sel)
    # The divisions the taxonomy's `map:` says to draw; the others' measures are counted apart.
    provinces = tax.map_divisions()
    counts = {p.code: all_counts.get(p.code, 0) for p in provinces}
    off_map = {code: n for code, n in all_counts.items() if n and code not in counts}
    if not provinces or not any(counts.values()):
        return None
    max_count = max(counts.values())
    classes = _classes(max_count)
    shades = [
        style.mix(*style.MAP_RAMP, i / (len(classes) - 1) if len(classes) > 1 else 0.55)
        for i in range(len(classes))
    ]

    def shade(n: int) -> str:
        for c, colour in zip(classes, shades, strict=True):
            if c[0] <= n <= c[1]:
                return colour
        return shades[-1]

    rows = [p.tile[0] for p in provinces if p.tile]
    cols = [p.tile[1] for p in provinces if p.tile]
    r0, r1, c0, c1 = min(rows), max(rows), min(cols), max(cols)
    n_r, n_c = r1 - r0 + 1, c1 - c0 + 1
    tile_cm = min(1.2, 10.6 / n_c)
    map_w, map_h = n_c * tile_cm, n_r * tile_cm
    width = style.WIDTH_CM
    national_n = sum(1 for m in sel.measures if m.level is Level.national)
    label = tax.level_label
    note = (
        f"Each square is one {label(Level.provincial).in_sentence}-level\ndivision (not to scale). "
        f"{label(Level.municipal).plural.capitalize()} and\n{label(Level.zone).plural} count toward "
        f"their {label(Level.provincial).noun}."
    )
    if national_n:
        note += (
            f"\n{label(Level.national).adjective} level (not on the map):\n{plural(national_n, 'measure')}."
        )
    # The legend (a title and one row per class) and the note below it stand beside the map;
    # a map of few rows must still leave them room, one above the other.
    side_cm = 0.9 + 0.5 * (len(classes) + 1) + 0.4 + 0.36 * (note.count("\n") + 1)
    body = max(map_h, side_cm)
    height = body + 1.4

    with style.chart_style():
        fig = draw.figure(width, height, constrained=False)
        left = 0.3 / width
        ax = fig.add_axes((left, (0.4 + body - map_h) / height, map_w / width, map_h / height))
        ax.set_xlim(c0 - 0.5, c1 + 0.5)
        ax.set_ylim(r1 + 0.5, r0 - 0.5)
        ax.set_aspect("equal")
        ax.set_axis_off()
        gap = 0.06
        for p in provinces:
            assert p.tile is not None
            r, c = p.tile
            n = counts.get(p.code, 0)
            fill = shade(n) if n else style.EMPTY_FILL
            ax.add_patch(
                Rectangle(
                    (c - 0.5 + gap, r - 0.5 + gap),
                    1 - 2 * gap,
                    1 - 2 * gap,
                    facecolor=fill,
                    edgecolor=style.mix(fill, "#000000", 0.35) if n else style.EMPTY_EDGE,
                    linewidth=0.8 if n else 0.7,
                    linestyle="solid" if n else (0, (2, 1.5)),
                )
            )
            colour = style.text_on(fill) if n else style.MUTED
            ax.text(
                c,
                r - 0.24,
                p.code.split("-")[-1],
                ha="center",
                va="center",
                fontsize=style.SMALL_PT,
                fontweight="bold",
                color=colour,
            )
            other = _tile_name(p)
            if other:
                ax.text(
                    c,
                    r + 0.02,
                    other,
                    ha="center",
                    va="center",
                    fontsize=style.SMALL_PT,
                    color=colour,
                )
            ax.text(
                c,
                r + 0.27,
                str(n) if n else "–",
                ha="center",
                va="center",
                fontsize=style.SMALL_PT - 0.5,
                color=colour,
            )
        handles = [
            Patch(
                facecolor=style.EMPTY_FILL,
                edgecolor=style.EMPTY_EDGE,
                linestyle=(0, (2, 1.5)),
                label="none reported",
            )
        ] + [
            Patch(
                facecolor=colour,
                edgecolor=style.mix(colour, "#000000", 0.35),
                label=_class_label(c),
            )
            for c, colour in zip(classes, shades, strict=True)
        ]
        legend_x = (0.3 + map_w + 0.5) / width
        fig.legend(
            handles=handles,
            title="Measures reported",
            loc="upper left",
            bbox_to_anchor=(legend_x, 1 - 0.4 / height),
            handlelength=1.6,
            handleheight=1.2,
            alignment="left",
        )
        fig.text(
            legend_x,
            0.4 / height,
            draw.plain(note),
            ha="left",
            va="bottom",
            fontsize=style.SMALL_PT,
            color=style.MUTED,
            linespacing=1.35,
        )
        national = next((j.name for j in tax.jurisdictions if j.level is Level.national), "the country")
        alt, caption = _tilemap_text(counts, off_map, provinces, national_n, national, tax)
        svg = draw.svg(fig, "tilemap", alt)
    tags = list(dict.fromkeys(tag for p in provinces for tag in p.names))
    table = DataTable(
        (
            "Code",
            f"{label(Level.provincial).adjective}-level division",
            *(f"Name ({tag})" for tag in tags),
            "Measures",
        ),
        tuple(
            (p.code, p.name, *(p.names.get(tag, "") for tag in tags), str(counts.get(p.code, 0)))
            for p in provinces
        ),
    )
    drawn = set(counts)
    docs = [m.document.id for m in sel.measures if m.province is not None and m.province.code in drawn]
    return Chart("tilemap", svg, alt, caption, source(docs), table, width, round(height, 2), documents(docs))


def _tile_name(p: Jurisdiction) -> str | None:
    """A tile's second line: the short name in the first further language that has one."""
    for tag in {**p.names, **p.short}:
        return p.short_name(tag)
    return None


def _tilemap_text(
    counts: dict[str, int],
    off_map: dict[str, int],
    provinces: Sequence[Jurisdiction],
    national_n: int,
    country: str,
    tax: Taxonomy,
) -> tuple[str, str]:
    """Caption and alt text. The count of divisions is the map's own (the taxonomy's `map:`),
    and its note on the divisions not drawn ends both, in the content's words."""
    divisions = tax.map_divisions_label()
    national = tax.level_label(Level.national).in_sentence
    names = {p.code: p.name for p in provinces}
    order = {p.code: i for i, p in enumerate(provinces)}
    reporting = sorted((c for c in names if counts.get(c, 0)), key=lambda c: (-counts[c], order[c]))
    total = len(provinces)
    top = counts[reporting[0]]
    leaders = [c for c in reporting if counts[c] == top]
    lead = join_some([names[c] for c in leaders])
    rest = total - len(reporting)
    # "Most for" only when some division has more than the others; a tie of all is no lead.
    most = (
        f", most for {lead} ({top})"
        if len(leaders) < len(reporting)
        else (f", {plural(top, 'measure')} each" if len(reporting) > 1 else f" ({plural(top, 'measure')})")
    )
    caption = (
        f"In these documents, measures are reported for {len(reporting)} of {total} "
        f"{divisions}{most}; for the other {rest}, none is reported here"
        if rest
        else f"In these documents, measures are reported for all {total} {divisions}{most}"
    )
    if national_n:
        caption += (
            f"; {plural(national_n, national + ' measure')} "
            f"{'is' if national_n == 1 else 'are'} counted apart, off the map"
        )
    apart = _off_map_text(off_map, tax)
    if apart:
        caption += f"; {apart}"
    caption += "."
    alt = (
        f"Tile map of {country}'s {total} {divisions}, one equal square each, "
        f"shaded by the number of measures reported: "
        + ", ".join(f"{names[c]} {counts[c]}" for c in reporting)
        + "."
        + (f" The other {rest}: none reported in these documents." if rest else "")
    )
    if national_n:
        alt += f" Not on the map: {plural(national_n, national + ' measure')}."
    if apart:
        alt += f" {apart[:1].upper()}{apart[1:]}."
    note = (tax.map.note or "").strip()
    if note:
        caption += f" {note}"
        alt += f" {note}"
    return alt, caption


def _off_map_text(off_map: dict[str, int], tax: Taxonomy) -> str:
    """Measures of divisions the map leaves out: counted, named, not drawn."""
    if not off_map:
        return ""
    n = sum(off_map.values())
    where = join([tax.jurisdiction(code).name for code in sorted(off_map)])
    return f"{plural(n, 'measure')} for {where}, which the map does not draw, {'is' if n == 1 else 'are'} not shown"
