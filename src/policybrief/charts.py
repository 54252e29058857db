"""Chart stage: comparison data → SVG figures with alt text, a finding caption and a source.

Every chart is drawn with matplotlib's object API (`Figure`, never pyplot), so no global
figure state leaks between charts and it is safe in worker processes. Output is
deterministic: the same selection gives byte-identical SVG (fixed hash salt, no date, text as
<text> laid out with pinned font files, ids namespaced by chart id so that several charts
can be inlined in one page).

Nothing here knows a theme, province or instrument by name: rows, columns, tiles and labels
all come from the selection and the taxonomy, so new content flows in without code changes.
"""

from __future__ import annotations

import html
import io
import math
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from . import chartstyle as style
from .analyse import (
    KIND_ORDER,
    LEVEL_LABELS,
    Matrix,
    QuantityGroup,
    QuantityRef,
    Selection,
    TimelineItem,
    comparison_matrix,
    measure_counts_by_province,
    quantity_groups,
    quantity_period,
    timeline,
)
from .models import Jurisdiction, Level, QuantityKind, Taxonomy

CM = 1 / 2.54
#: Tallest chart that still fits an A4 page with the caption (long charts squeeze rows).
MAX_HEIGHT_CM = 22.0

VIEWS = ("heatmap", "timeline", "quantities", "tilemap")


@dataclass(frozen=True)
class DataTable:
    """The numbers behind a chart, as text: for a data table under the figure."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    id: str  # the view name: "heatmap", "timeline", "quantities", "tilemap"
    svg: str  # a complete SVG document (ids prefixed with "<id>-"; role="img" and <title>)
    alt: str  # what a screen-reader user needs: the main values, generated from the data
    caption: str  # the finding, computed from the data
    source: str  # "Source: policybrief analysis of N documents: a, b."
    data_summary: DataTable
    width_cm: float
    height_cm: float

    @property
    def svg_element(self) -> str:
        """The <svg> element alone, without the XML declaration and doctype: for inlining
        in HTML (its ids are already unique to this chart)."""
        return self.svg[self.svg.index("<svg") :]


def render_charts(selection: Selection, views: Sequence[str], taxonomy: Taxonomy) -> list[Chart]:
    """Charts for the named views, in the order given; unknown views and views for which
    the selection holds no data are skipped (no chart is returned for them)."""
    out: list[Chart] = []
    seen: set[str] = set()
    for view in views:
        render = _RENDERERS.get(view)
        if render is None or view in seen:
            continue
        seen.add(view)
        chart = render(selection, taxonomy)
        if chart is not None:
            out.append(chart)
    return out


# --------------------------------------------------------------------------- helpers


def _plain(text: str) -> str:
    """Text for matplotlib: a '$' would otherwise start mathtext (US$ amounts)."""
    return text.replace("$", r"\$")


def _lower_first(label: str) -> str:
    """'Digital transformation' → 'digital transformation'; 'SMEs' stays as it is."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _join_some(items: Sequence[str], limit: int = 3) -> str:
    """'a, b and c'; past `limit` items, 'a, b, c and others'."""
    if len(items) <= limit:
        return _join(items)
    return ", ".join(items[:limit]) + " and others"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _source(doc_ids: Sequence[str]) -> str:
    ids = sorted(set(doc_ids))
    return f"Source: policybrief analysis of {_plural(len(ids), 'document')}: {', '.join(ids)}."


def _wrap(text: str, width: int, lines: int = 2) -> str:
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) > lines:
        rest = textwrap.shorten(" ".join(wrapped[lines - 1 :]), width, placeholder="…")
        wrapped = [*wrapped[: lines - 1], rest]
    return "\n".join(wrapped)


def _jur_label(code: str, taxonomy: Taxonomy) -> str:
    jur = next((j for j in taxonomy.jurisdictions if j.code == code), None)
    return jur.name_en if jur is not None else code


_ID_RE = re.compile(r'(\bid=")([^"]+)(")')
_HREF_RE = re.compile(r'(href="#)([^"]+)(")')
_URL_RE = re.compile(r"(url\(#)([^)]+)(\))")
_FAMILY_RE = re.compile(r"(font-family: )([^;\"]+)")


def _font_family(m: re.Match[str]) -> str:
    names = tuple(name.strip().strip("'\"") for name in m.group(2).split(","))
    return m.group(1) + style.svg_font_family(names)


def _svg(fig: Figure, chart_id: str, alt: str) -> str:
    """Serialise a figure deterministically, with ids unique to this chart and a title."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "policybrief"})
    text = buf.getvalue()
    text = _FAMILY_RE.sub(_font_family, text)
    prefix = f"{chart_id}-"
    for pattern in (_ID_RE, _HREF_RE, _URL_RE):
        text = pattern.sub(lambda m: m.group(1) + prefix + m.group(2) + m.group(3), text)
    # An accessible name for when the SVG is inlined rather than used through <img alt>.
    title = f'<title id="{prefix}title">{html.escape(alt, quote=False)}</title>'
    text = re.sub(
        r"<svg\b([^>]*)>",
        lambda m: f'<svg{m.group(1)} role="img" aria-labelledby="{prefix}title">{title}',
        text,
        count=1,
    )
    return text


def _figure(width_cm: float, height_cm: float, constrained: bool = True) -> Figure:
    fig = Figure(figsize=(width_cm * CM, height_cm * CM), layout="constrained" if constrained else None)
    if constrained:
        fig.get_layout_engine().set(w_pad=2 / 72, h_pad=2 / 72, wspace=0, hspace=0)
    return fig


def _level_patch(level: Level | str, label: str | None = None) -> Patch:
    key = level.value if isinstance(level, Level) else level
    return Patch(
        facecolor=style.LEVEL_COLOURS[key],
        edgecolor=style.mix(style.LEVEL_COLOURS[key], "#000000", 0.45),
        hatch=style.LEVEL_HATCHES[key],
        linewidth=0.6,
        label=label or LEVEL_LABELS.get(Level(key), key),
    )


# --------------------------------------------------------------------------- (a) heatmap


def heatmap_chart(sel: Selection, taxonomy: Taxonomy | None = None) -> Chart | None:
    """Measures by theme (rows) × jurisdiction (national, then provinces), as counts."""
    matrix = comparison_matrix(sel)
    if not matrix.rows or not matrix.columns:
        return None
    counts = matrix.counts
    n_rows, n_cols = len(matrix.rows), len(matrix.columns)
    vmax = max(max(row) for row in counts) or 1

    row_labels = [_wrap(r.label, 34) for r in matrix.rows]
    two_line_rows = any("\n" in lbl for lbl in row_labels)
    row_h = 0.74 if two_line_rows else 0.52
    avail = style.WIDTH_CM - 4.6
    rotate = avail / n_cols < 1.45
    col_labels = []
    for col in matrix.columns:
        name = col.label if rotate else _wrap(col.label, 10)
        zh = col.label_zh if col.level is not Level.national else None
        if rotate:
            col_labels.append(f"{name} {zh}" if zh else name)
        else:
            col_labels.append(f"{name}\n{zh}" if zh else name)
    header_cm = 2.9 if rotate else 1.6
    height = header_cm + n_rows * row_h + 1.1

    with style.chart_style():
        fig = _figure(style.WIDTH_CM, height)
        ax = fig.add_subplot()
        for r in range(n_rows):
            for c in range(n_cols):
                n = counts[r][c]
                # Log shading: a national column of 18 must not wash out a province's 1 and 2.
                shade = 0.18 + 0.82 * math.log1p(n) / math.log1p(vmax) if vmax > 1 else 0.6
                fill = style.mix(*style.COUNT_RAMP, shade) if n else "#ffffff"
                ax.add_patch(
                    Rectangle(
                        (c - 0.5, r - 0.5),
                        1,
                        1,
                        facecolor=fill,
                        edgecolor=style.GRID,
                        linewidth=0.5,
                    )
                )
                if n:
                    ax.text(
                        c,
                        r,
                        str(n),
                        ha="center",
                        va="center",
                        color=style.text_on(fill),
                        fontsize=style.BASE_PT,
                    )
        # A band above each column in its level's colour (and hatch): national vs provincial.
        for c, col in enumerate(matrix.columns):
            level = col.level or Level.provincial
            patch = _level_patch(level)
            ax.add_patch(
                Rectangle(
                    (c - 0.46, -0.86),
                    0.92,
                    0.26,
                    facecolor=patch.get_facecolor(),
                    edgecolor=patch.get_edgecolor(),
                    hatch=patch.get_hatch(),
                    linewidth=0.5,
                    clip_on=False,
                )
            )
        national = [c for c, col in enumerate(matrix.columns) if col.level is Level.national]
        if national and n_cols > 1:
            x = national[-1] + 0.5
            ax.plot([x, x], [-0.5, n_rows - 0.5], color=style.TEXT, linewidth=1.2, solid_capstyle="butt")
        ax.set_xlim(-0.5, n_cols - 0.5)
        ax.set_ylim(n_rows - 0.5, -0.9)
        ax.xaxis.tick_top()
        ax.set_xticks(
            range(n_cols),
            [_plain(lbl) for lbl in col_labels],
            rotation=55 if rotate else 0,
            ha="left" if rotate else "center",
            rotation_mode="anchor" if rotate else "default",
        )
        ax.tick_params(axis="x", length=0, pad=2)
        ax.set_yticks(range(n_rows), [_plain(lbl) for lbl in row_labels])
        ax.tick_params(axis="y", length=0, pad=3)
        for spine in ax.spines.values():
            spine.set_visible(False)
        levels_present = sorted(
            {col.level for col in matrix.columns if col.level},
            key=lambda lvl: list(Level).index(lvl),
        )
        handles = [_level_patch(lvl) for lvl in levels_present]
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncol=len(handles) + 1,
            handlelength=1.6,
            handleheight=0.9,
            title=None,
            labels=[f"{LEVEL_LABELS[lvl]} column" for lvl in levels_present],
        )
        alt, caption = _heatmap_text(matrix)
        svg = _svg(fig, "heatmap", alt)
    table = DataTable(
        ("Theme", *(c.label for c in matrix.columns)),
        tuple((r.label, *(str(n) for n in counts[i])) for i, r in enumerate(matrix.rows)),
    )
    docs = [m.document.id for m in sel.measures]
    return Chart("heatmap", svg, alt, caption, _source(docs), table, style.WIDTH_CM, round(height, 2))


def _heatmap_text(matrix: Matrix) -> tuple[str, str]:
    counts = matrix.counts
    nat = [c for c, col in enumerate(matrix.columns) if col.level is Level.national]
    prov = [c for c, col in enumerate(matrix.columns) if col.level is not Level.national]
    nat_by = [sum(row[c] for c in nat) for row in counts]
    prov_by = [sum(row[c] for c in prov) for row in counts]
    labels = [r.label for r in matrix.rows]

    sentences: list[str] = []
    leaders: list[int] = []
    if prov and any(prov_by):
        top = max(prov_by)
        leaders = [i for i, n in enumerate(prov_by) if n == top][:3]
        named = _join([f"{_lower_first(labels[i])} ({prov_by[i]})" for i in leaders])
        who = "Provincial-level measures" if len(prov) > 1 else f"{matrix.columns[prov[0]].label}'s measures"
        sentences.append(f"{who} concentrate on {named}")
    if nat and any(nat_by):
        only_nat = [labels[i] for i in range(len(labels)) if nat_by[i] and not prov_by[i]]
        if only_nat and prov:
            sentences.append(f"only national measures cover {_join([_lower_first(t) for t in only_nat])}")
        elif not prov:
            top = max(nat_by)
            nat_leaders = [labels[i] for i, n in enumerate(nat_by) if n == top][:3]
            sentences.append(
                f"National measures concentrate on {_join([_lower_first(t) for t in nat_leaders])}"
            )
    if nat and prov:
        # Leaders are already named; the rest (three at most) complete the contrast.
        only_prov = [
            labels[i] for i in range(len(labels)) if prov_by[i] and not nat_by[i] and i not in leaders
        ][:3]
        if only_prov:
            verb = "appears" if len(only_prov) == 1 else "appear"
            sentences.append(
                f"{_join([_lower_first(t) for t in only_prov])} {verb} only in provincial-level measures"
            )
    caption = "; ".join(sentences)
    caption = (caption[:1].upper() + caption[1:] + ".") if caption else "Measures by theme and jurisdiction."

    n_measures = len(matrix.measure_ids)
    parts = []
    for c, col in enumerate(matrix.columns):
        cells = [f"{matrix.rows[r].label} {counts[r][c]}" for r in range(len(matrix.rows)) if counts[r][c]]
        name = col.label if col.level is not Level.national else "National"
        parts.append(f"{name}: {', '.join(cells)}")
    alt = (
        f"Heatmap of the number of measures by theme (rows) and jurisdiction (columns); "
        f"{_plural(n_measures, 'measure')} in all, a measure with several themes counted in each. "
        + "; ".join(parts)
        + ". Cities and zones count toward their province. Blank cells: no measure reported."
    )
    return alt, caption


# --------------------------------------------------------------------------- (b) timeline


TL_LINE_CM = 0.52  # one row of the timeline
TL_TWO_LINE_EXTRA = 0.3  # lines added above and below a row whose label wraps


def _tl_label(item: TimelineItem) -> str:
    text = item.label[:1].upper() + item.label[1:]
    if item.level is not Level.national and not text.startswith(item.jurisdiction.name_en):
        text = f"{item.jurisdiction.name_en}: {text}"
    return _wrap(text, 42, 2)


def _tl_extra(item: TimelineItem) -> float:
    return TL_TWO_LINE_EXTRA if "\n" in _tl_label(item) else 0.0


def _tl_height(lines: float) -> float:
    """The chart's height for rows taking `lines` lines in all (headers included)."""
    return 0.6 + (lines - 1.0 + 1.1) * TL_LINE_CM + 1.5


def timeline_shown(items: Sequence[TimelineItem]) -> tuple[TimelineItem, ...]:
    """The plans the chart has room for (MAX_HEIGHT_CM, with each level's header row and
    the extra room of two-line labels): all of them, else the most recent by first year
    (ties in the timeline's own order), shown in the timeline's order. A chart cut off at the
    page's foot would drop rows silently; this drops them with a note in the caption."""
    cost = [1.0 + 2 * _tl_extra(i) for i in items]
    if _tl_height(sum(cost) + len({i.level for i in items})) <= MAX_HEIGHT_CM:
        return tuple(items)
    keep: set[int] = set()
    lines, levels = 0.0, set()
    for k in sorted(range(len(items)), key=lambda k: (-(items[k].first_year or 0), k)):
        more = cost[k] + (items[k].level not in levels)
        if _tl_height(lines + more) > MAX_HEIGHT_CM:
            break
        keep.add(k)
        lines += more
        levels.add(items[k].level)
    return tuple(item for k, item in enumerate(items) if k in keep)


def timeline_chart(sel: Selection, taxonomy: Taxonomy | None = None) -> Chart | None:
    """Plans and programmes by level of government: bars from start to end year."""
    tl = timeline(sel)
    if not tl.items:
        return None
    shown = timeline_shown(tl.items)
    levels = [lvl for lvl in tl.levels if any(i.level is lvl for i in shown)]
    rows: list[tuple[str, Level | TimelineItem]] = []
    for level in levels:
        rows.append(("header", level))
        rows.extend(("item", item) for item in shown if item.level is level)

    years = [y for i in shown for y in (i.start, i.end) if y is not None]
    lo, hi = min(years), max(years)
    has_open = any(i.open_ended for i in shown)
    x_min = lo - 0.6
    x_max = hi + 1 + (1.6 if has_open else 0.4)

    # Row centres in "lines": a two-line label gets a little more room on each side.
    ys: list[float] = []
    y = 0.0
    for _kind, obj in rows:
        extra = _tl_extra(obj) if isinstance(obj, TimelineItem) else 0.0
        y += extra
        ys.append(y)
        y += 1.0 + extra
    y_end = y - 1.0
    height = _tl_height(y)

    with style.chart_style():
        fig = _figure(style.WIDTH_CM, height)
        ax = fig.add_subplot()
        ticks, tick_labels = [], []
        for y, (kind, obj) in zip(ys, rows, strict=True):
            ticks.append(y)
            if kind == "header":
                assert isinstance(obj, Level)
                tick_labels.append(LEVEL_LABELS[obj].upper())
                continue
            assert isinstance(obj, TimelineItem)
            item = obj
            tick_labels.append(_plain(_tl_label(item)))
            colour = style.LEVEL_COLOURS[item.level.value]
            edge = style.mix(colour, "#000000", 0.45)
            common = {
                "facecolor": colour,
                "edgecolor": edge,
                "hatch": style.LEVEL_HATCHES[item.level.value],
                "linewidth": 0.6,
            }
            if item.start is not None:
                end = (item.end + 1) if item.end is not None else x_max - 0.45
                ax.add_patch(Rectangle((item.start, y - 0.3), end - item.start, 0.6, **common))
                if item.inferred:
                    # A dashed frame around the bar: visible on dark and light fills alike.
                    ax.add_patch(
                        Rectangle(
                            (item.start - 0.1, y - 0.4),
                            end - item.start + 0.2,
                            0.8,
                            fill=False,
                            edgecolor=style.TEXT,
                            linewidth=0.8,
                            linestyle=(0, (2.5, 1.5)),
                        )
                    )
                if item.open_ended:
                    ax.plot([end], [y], marker=">", markersize=6, color=edge, clip_on=False)
            else:  # end year only: a marker in the end year, a dotted lead-in
                assert item.end is not None
                ax.plot([x_min, item.end + 0.5], [y, y], linestyle=":", color=edge, linewidth=0.9)
                ax.plot(
                    [item.end + 0.5],
                    [y],
                    marker="D",
                    markersize=5.5,
                    color=colour,
                    markeredgecolor=edge,
                )
            ax.text(
                1.01,
                y,
                _plain(item.period_label),
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="center",
                fontsize=style.SMALL_PT,
                color=style.TEXT,
            )
        ax.set_xlim(x_min, x_max)
        ax.set_ylim(y_end + 0.6, -0.6)
        ax.set_yticks(ticks, tick_labels)
        for y, tick, (kind, _) in zip(ys, ax.get_yticklabels(), rows, strict=True):
            tick.set_linespacing(1.1)
            if kind == "header":
                tick.set_fontweight("bold")
                tick.set_color(style.MUTED)
                if y:
                    ax.axhline(y - 0.6, color=style.GRID, linewidth=0.6)
        # A year is a cell from its 1 January to the next: gridlines on the boundaries,
        # the year's label in the middle, so that "2020–2022" visibly covers three years.
        years_shown = list(range(lo, math.ceil(x_max)))
        step = max(1, math.ceil(len(years_shown) / 8))  # about 8 labels fit 16 cm
        ax.xaxis.set_major_locator(FixedLocator(list(range(lo, math.ceil(x_max) + 1))))
        ax.xaxis.set_major_formatter(NullFormatter())
        ax.xaxis.set_minor_locator(FixedLocator([y + 0.5 for y in years_shown[::step]]))
        ax.xaxis.set_minor_formatter(FuncFormatter(lambda v, _: f"{int(v - 0.5)}"))
        ax.tick_params(axis="x", which="minor", length=0, pad=3)
        ax.grid(axis="x", which="major", color=style.GRID, linewidth=0.5)
        ax.set_axisbelow(True)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(
            "Year (a bar covers each year of its period, first to last)",
            fontsize=style.SMALL_PT,
            color=style.MUTED,
        )
        handles: list[Patch | Line2D] = [_level_patch(lvl) for lvl in levels]
        if has_open:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker=">",
                    linestyle="none",
                    color=style.TEXT,
                    label="open-ended (no end year)",
                )
            )
        if any(i.end_only for i in shown):
            handles.append(Line2D([], [], marker="D", linestyle=":", color=style.TEXT, label="end year only"))
        if any(i.inferred for i in shown):
            handles.append(
                Patch(
                    facecolor="white",
                    edgecolor=style.TEXT,
                    linestyle=(0, (2.5, 1.5)),
                    linewidth=0.8,
                    label="period inferred",
                )
            )
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncol=min(len(handles), 5),
            handlelength=1.6,
            handleheight=0.9,
            columnspacing=1.2,
        )
        alt, caption = _timeline_text(tl.items, tl.undated, shown)
        svg = _svg(fig, "timeline", alt)
    table = DataTable(
        ("Level", "Jurisdiction", "Plan or programme", "Period", "Measures"),
        tuple(
            (
                LEVEL_LABELS[i.level],
                i.jurisdiction.name_en,
                i.label,
                i.period_label,
                ", ".join(m.id for m in i.measures),
            )
            for i in tl.items
        ),
    )
    docs = [m.document.id for i in tl.items for m in i.measures]
    return Chart("timeline", svg, alt, caption, _source(docs), table, style.WIDTH_CM, round(height, 2))


def _span(item: TimelineItem) -> str:
    return item.period_label.replace(" (inferred)", "")


def _timeline_text(
    items: Sequence[TimelineItem], undated: Sequence[TimelineItem], shown: Sequence[TimelineItem]
) -> tuple[str, str]:
    """The finding is about every plan; the chart's list (alt text) is what it shows."""
    by_level: dict[Level, list[TimelineItem]] = {}
    for item in items:
        by_level.setdefault(item.level, []).append(item)

    def first_year(i: TimelineItem) -> int:
        return i.first_year or 0  # every item in a timeline is dated

    sentences = []
    starts = {lvl: min(first_year(i) for i in group) for lvl, group in by_level.items()}
    nat = by_level.get(Level.national)
    below = [lvl for lvl in by_level if lvl is not Level.national]
    if nat and below:
        earliest_below = min(starts[lvl] for lvl in below)
        if starts[Level.national] < earliest_below:
            sentences.append(
                f"National plans and programmes date from {starts[Level.national]}, "
                f"before any provincial or local plan (from {earliest_below})"
            )
        elif starts[Level.national] > earliest_below:
            sentences.append(
                f"Local plans date from {earliest_below}, before any national one "
                f"(from {starts[Level.national]})"
            )
    for lvl in below or list(by_level):
        group = by_level[lvl]
        spans = Counter(_span(i) for i in group)
        span, k = sorted(spans.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        name = LEVEL_LABELS[lvl].lower()
        if len(group) == 1:
            sentences.append(f"the one {name} plan runs {span}")
        elif k > 1:
            sentences.append(f"{k} of {len(group)} {name} plans run {span}")
        else:
            sentences.append(
                f"{name} plans start between {min(map(first_year, group))} and {max(map(first_year, group))}"
            )
    caption = "; ".join(sentences)
    caption = caption[:1].upper() + caption[1:] + "."
    open_n = sum(i.open_ended for i in items)
    inferred_n = sum(i.inferred for i in items)
    extra = []
    if open_n:
        extra.append(f"{_plural(open_n, 'plan')} {'is' if open_n == 1 else 'are'} open-ended")
    if inferred_n:
        extra.append(f"{_plural(inferred_n, 'period')} {'is' if inferred_n == 1 else 'are'} inferred")
    if extra:
        caption += " " + _join(extra)[:1].upper() + _join(extra)[1:] + "."

    if len(shown) < len(items):
        caption += (
            f" For room, the chart shows the {len(shown)} most recent of {len(items)} plans and"
            " programmes (by first year); the measures data file (see Data) lists all of them."
        )
    parts = [
        f"{LEVEL_LABELS[i.level]}, {i.jurisdiction.name_en}: {i.label}, {i.period_label}"
        + (", open-ended" if i.open_ended else "")
        for i in shown
    ]
    what = _plural(len(items), "plan or programme", "plans and programmes")
    if len(shown) < len(items):
        what = f"{len(shown)} of {what} (the most recent by first year)"
    alt = f"Timeline of {what} by level of government. " + "; ".join(parts) + "."
    if undated:
        alt += f" Not shown, no year reported: {', '.join(i.label for i in undated)}."
    return alt, caption


# --------------------------------------------------------------------------- (c) quantities

KIND_LABELS = {
    QuantityKind.target: "Target",
    QuantityKind.result: "Result (achieved)",
    QuantityKind.baseline: "Baseline",
    QuantityKind.anecdote: "Anecdote (one firm)",
}


def _qty_row_label(q: QuantityRef, taxonomy: Taxonomy) -> str:
    where = "National" if q.level is Level.national else q.jurisdiction.name_en
    if q.quantity.enterprise:
        firm = next(
            (a.name for a in taxonomy.actors if a.id == q.quantity.enterprise),
            q.quantity.enterprise,
        )
        where = f"{_firm_name(firm)} ({where})"
    return where


def _qty_period(q: QuantityRef) -> str:
    period = quantity_period(q)
    return "" if period == "unspecified" else period


def _firm_name(name: str) -> str:
    """'Jiangxi Huaiyuan Textile Co., Ltd.' → 'Jiangxi Huaiyuan Textile': legal suffixes
    add width, not meaning, in a row label."""
    return re.sub(r"[,\s]+(Co\.?,?\s*Ltd\.?|Ltd\.?|Inc\.?|Group|Corporation|Corp\.?)$", "", name.strip())


def quantities_chart(sel: Selection, taxonomy: Taxonomy | None = None) -> Chart | None:
    """Figures on a log scale, grouped by what they count; kind by marker shape and colour."""
    tax = taxonomy or sel.taxonomy
    groups: list[QuantityGroup] = []
    skipped: list[QuantityRef] = []
    for group in quantity_groups(sel):
        positive = tuple(q for q in group.items if _low(q) > 0)
        skipped.extend(q for q in group.items if _low(q) <= 0)
        if positive:
            groups.append(QuantityGroup(group.counts, group.unit, positive))
    if not groups:
        return None
    all_groups = groups
    groups = _qty_shown(groups, tax)

    # One row per figure, measured in text lines (a label may wrap to two). What is counted
    # labels the first row of its group only: the rows below it are the same measure, so the
    # eye reads a group as a block. The value column names the unit, jurisdiction and period.
    layout: list[tuple[float, bool, QuantityRef, str, str]] = []
    y = 0.0
    for group in groups:
        for q_i, (q, left, right) in enumerate(_qty_rows(group, tax)):
            lines = max(left.count("\n"), right.count("\n")) + 1
            y += 0.5 * (lines - 1)
            layout.append((y, q_i == 0, q, left, right))
            y += 1.0 + 0.5 * (lines - 1)
    y_end = y - 1.0

    values = [v for g in groups for q in g.items for v in (_low(q), q.quantity.magnitude())]
    lo, hi = min(values), max(values)
    x_min = 10 ** math.floor(math.log10(lo) - 0.15)
    x_max = 10 ** math.ceil(math.log10(hi) + 0.15)

    # 0.45 cm a line reads well at 8 pt; squeeze (not below 0.36 cm) before outgrowing a page.
    line_cm = max(0.36, min(0.45, (MAX_HEIGHT_CM - 2.4) / (y_end + 1.2)))
    height = (y_end + 1.2) * line_cm + 2.4
    with style.chart_style():
        fig = _figure(style.WIDTH_CM, height)
        ax = fig.add_subplot()
        ax.set_xscale("log")
        ticks, labels = [], []
        previous_bottom = 0.0
        for y, first, q, left, right in layout:
            lines = max(left.count("\n"), right.count("\n")) + 1
            if first and y:
                ax.axhline((previous_bottom + y - 0.5 * (lines - 1)) / 2, color=style.GRID, linewidth=0.6)
            previous_bottom = y + 0.5 * (lines - 1)
            ticks.append(y)
            labels.append(_plain(left))
            ks = style.KIND_STYLES[q.kind.value]
            low, high = _low(q), q.quantity.magnitude()
            if high > low:
                ax.plot([low, high], [y, y], color=ks["color"], linewidth=1.6, solid_capstyle="butt")
            xs = [low, high] if high > low else [high]
            ax.plot(
                xs,
                [y] * len(xs),
                linestyle="none",
                marker=ks["marker"],
                markersize=ks["size"],
                color=ks["color"],
                markerfacecolor=ks["facecolor"],
                markeredgecolor=ks["color"],
                markeredgewidth=1.0,
                clip_on=False,
            )
            ax.text(
                1.015,
                y,
                _plain(right),
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="center",
                fontsize=style.SMALL_PT,
                linespacing=1.1,
            )
        ax.set_yticks(ticks, labels)
        for tick in ax.get_yticklabels():
            tick.set_linespacing(1.1)
        ax.set_ylim(y_end + 0.6, -0.6)
        ax.set_xlim(x_min, x_max)
        decades = list(range(round(math.log10(x_min)), round(math.log10(x_max)) + 1))
        step = max(1, math.ceil(len(decades) / 7))  # about 7 tick labels fit the plot
        ax.xaxis.set_major_locator(FixedLocator([10.0**d for d in decades[::step]]))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(v)))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.grid(axis="x", color=style.GRID, linewidth=0.5)
        ax.set_axisbelow(True)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(
            "Value, logarithmic scale (units differ between groups: compare within a group)",
            fontsize=style.SMALL_PT,
            color=style.MUTED,
        )
        kinds = [k for k in KIND_ORDER if any(q.kind is k for g in groups for q in g.items)]
        handles = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker=style.KIND_STYLES[k.value]["marker"],
                color=style.KIND_STYLES[k.value]["color"],
                markerfacecolor=style.KIND_STYLES[k.value]["facecolor"],
                markersize=style.KIND_STYLES[k.value]["size"],
                label=KIND_LABELS[k],
            )
            for k in kinds
        ]
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncol=len(handles),
            handletextpad=0.4,
            columnspacing=1.5,
        )
        alt, caption = _quantities_text(groups, all_groups, skipped, tax)
        svg = _svg(fig, "quantities", alt)
    table = DataTable(
        ("What is counted", "Jurisdiction", "Kind", "Value", "Period", "Document", "Quantity"),
        tuple(
            (
                g.counts,
                _qty_row_label(q, tax),
                q.kind.value,
                q.quantity.display_value(),
                _qty_period(q),
                q.document.id,
                q.quantity.id,
            )
            for g in groups
            for q in g.items
        ),
    )
    return Chart(
        "quantities",
        svg,
        alt,
        caption,
        # Every figure the caption's finding counts, drawn or not.
        _source([q.document.id for g in all_groups for q in g.items]),
        table,
        style.WIDTH_CM,
        round(height, 2),
    )


#: The most figures the quantities chart shows: past about 40 rows it is a wall, not a chart.
QTY_MAX_ROWS = 40
#: ...and the most text lines (a label may wrap to two): 48 lines at 0.4 cm fill MAX_HEIGHT_CM.
QTY_MAX_LINES = 48


def _qty_rows(group: QuantityGroup, tax: Taxonomy) -> list[tuple[QuantityRef, str, str]]:
    """Each figure of a group with its left label (what is counted, first row only) and its
    right label (value · jurisdiction, period)."""
    heading = f"{group.counts[:1].upper()}{group.counts[1:]}"
    rows = []
    for q_i, q in enumerate(group.items):
        left = _wrap(heading, 40, 2) if q_i == 0 else ""
        period = _qty_period(q)
        right = _wrap(
            f"{q.quantity.display_value()} · {_qty_row_label(q, tax)}" + (f", {period}" if period else ""),
            42,
            2,
        )
        rows.append((q, left, right))
    return rows


def _qty_lines(group: QuantityGroup, tax: Taxonomy) -> int:
    return sum(max(a.count("\n"), b.count("\n")) + 1 for _, a, b in _qty_rows(group, tax))


def _qty_shown(groups: Sequence[QuantityGroup], tax: Taxonomy) -> list[QuantityGroup]:
    """The groups the chart has room for (QTY_MAX_ROWS figures, QTY_MAX_LINES lines): whole
    groups, largest first (ties by what they count, then unit), each that still fits (a group
    too big for the room left is passed over for smaller ones); shown in their own order. A
    largest group too big for the chart on its own is cut to its first figures instead."""
    ranked = sorted(groups, key=lambda g: (-len(g.items), g.counts.casefold(), g.counts, g.unit))
    keep: set[int] = set()
    rows = lines = 0
    for group in ranked:
        n, n_lines = len(group.items), _qty_lines(group, tax)
        if rows + n <= QTY_MAX_ROWS and lines + n_lines <= QTY_MAX_LINES:
            keep.add(id(group))
            rows, lines = rows + n, lines + n_lines
        elif not keep:  # the largest group alone does not fit
            items: list[QuantityRef] = []
            for q, left, right in _qty_rows(group, tax):
                lines += max(left.count("\n"), right.count("\n")) + 1
                if len(items) == QTY_MAX_ROWS or lines > QTY_MAX_LINES:
                    break
                items.append(q)
            return [QuantityGroup(group.counts, group.unit, tuple(items))]
    return [g for g in groups if id(g) in keep]


def _low(q: QuantityRef) -> float:
    v = q.quantity.value
    return float(v[0]) if isinstance(v, tuple) else float(v)


def _tick(v: float) -> str:
    """Compact decade labels: 0.1, 1, 10, 100, 1k … 1M … 1bn (they must not collide)."""
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if v >= size:
            return f"{v / size:g}{suffix}"
    return f"{v:g}"


def _quantities_text(
    groups: Sequence[QuantityGroup],
    all_groups: Sequence[QuantityGroup],
    skipped: Sequence[QuantityRef],
    tax: Taxonomy,
) -> tuple[str, str]:
    """Caption and alt text. The finding counts every figure plotted or not; what stands side
    by side, and the alt text's list, are the chart's (`groups`, at most QTY_MAX_ROWS)."""
    everything = [q for g in all_groups for q in g.items]
    kinds = Counter(q.kind for q in everything)
    t, r = kinds[QuantityKind.target], kinds[QuantityKind.result]
    b, a = kinds[QuantityKind.baseline], kinds[QuantityKind.anecdote]
    n = sum(len(g.items) for g in groups)
    total = len(everything)
    if t > r:
        caption = (
            f"Most figures reported are targets rather than achieved results "
            f"({t} targets, {r} results): the sources say more about goals than outcomes"
        )
    elif r > t:
        caption = (
            f"Achieved results outnumber targets ({r} results, {t} targets): "
            f"the sources report more outcomes than goals"
        )
    else:
        caption = f"Targets and achieved results are equally many ({t} each)"
    extras = []
    if b:
        extras.append(_plural(b, "baseline"))
    if a:
        extras.append(f"{_plural(a, 'single-firm anecdote')}")
    if extras:
        caption += f"; the rest are {_join(extras)}"
    paired = [g for g in groups if len({q.kind for q in g.items}) > 1]
    if paired:
        names = _join_some([g.counts for g in paired])
        caption += f". Figures of more than one kind stand side by side only for {names}"
    caption += "."
    shown_keys = {(g.counts, g.unit) for g in groups}
    hidden = [g for g in all_groups if (g.counts, g.unit) not in shown_keys]
    if n < total:
        # Say what is left out and where to find it: every brief publishes its figures as data.
        cut = next(g for g in all_groups if (g.counts, g.unit) in shown_keys)
        if len(groups) == 1 and len(cut.items) > n:  # not one whole group fits
            which = f"the first {n} of the largest group, {cut.counts}"
        else:
            which = f"whole groups, largest first: {len(groups)} of {len(all_groups)}"
        caption += (
            f" For room, the chart shows {n} of {total} figures ({which}); the figures "
            f"data file (see Data) lists all {total}."
        )
    parts = []
    for g in groups:
        entries = [
            f"{q.kind.value} {q.quantity.display_value()} ({_qty_row_label(q, tax)}"
            + (f", {_qty_period(q)}" if _qty_period(q) else "")
            + ")"
            for q in g.items
        ]
        parts.append(f"{g.counts}: {', '.join(entries)}")
    shown = _plural(n, "reported figure") if n == total else f"{n} of {total} reported figures"
    alt = (
        f"Dot chart of {shown} on a logarithmic scale, grouped by what "
        f"they count; marker shape and colour show the kind. " + "; ".join(parts) + "."
    )
    if n < total:
        # Whole groups left out, and the rest of a group cut short (when one is).
        in_hidden = sum(len(g.items) for g in hidden)
        places = []
        if hidden:
            names = ", ".join(g.counts for g in hidden)
            places.append(f"{_plural(in_hidden, 'figure')} in {_plural(len(hidden), 'group')} ({names})")
        if total - n - in_hidden:
            cut = next(g for g in all_groups if (g.counts, g.unit) in shown_keys)
            places.append(f"{_plural(total - n - in_hidden, 'more figure')} of {cut.counts}")
        alt += f" Not shown, for room: {_join(places)}; the figures data file lists all {total}."
    if skipped:
        alt += f" Not plotted (zero or negative): {', '.join(q.quantity.id for q in skipped)}."
    return alt, caption


# --------------------------------------------------------------------------- (d) tile map


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


def tilemap_chart(sel: Selection, taxonomy: Taxonomy | None = None) -> Chart | None:
    """China's provincial-level divisions as equal tiles, shaded by number of measures."""
    tax = taxonomy or sel.taxonomy
    counts = measure_counts_by_province(sel)
    provinces = [j for j in tax.jurisdictions if j.level is Level.provincial and j.tile]
    if not provinces or not any(counts.get(p.code, 0) for p in provinces):
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
    height = map_h + 1.4
    national_n = sum(1 for m in sel.measures if m.level is Level.national)

    with style.chart_style():
        fig = _figure(width, height, constrained=False)
        left = 0.3 / width
        ax = fig.add_axes((left, 0.4 / height, map_w / width, map_h / height))
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
            ax.text(
                c,
                r + 0.02,
                p.short_zh or p.name_zh,
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
        note = (
            "Each square is one provincial-level\ndivision (not to scale). Cities and\n"
            "zones count toward their province."
        )
        if national_n:
            note += f"\nNational level (not on the map):\n{_plural(national_n, 'measure')}."
        fig.text(
            legend_x,
            0.4 / height,
            _plain(note),
            ha="left",
            va="bottom",
            fontsize=style.SMALL_PT,
            color=style.MUTED,
            linespacing=1.35,
        )
        alt, caption = _tilemap_text(counts, provinces, national_n)
        svg = _svg(fig, "tilemap", alt)
    table = DataTable(
        ("Code", "Provincial-level division", "Chinese name", "Measures"),
        tuple((p.code, p.name_en, p.name_zh, str(counts.get(p.code, 0))) for p in provinces),
    )
    docs = [m.document.id for m in sel.measures if m.province is not None]
    return Chart("tilemap", svg, alt, caption, _source(docs), table, width, round(height, 2))


def _tilemap_text(
    counts: dict[str, int], provinces: Sequence[Jurisdiction], national_n: int
) -> tuple[str, str]:
    names = {p.code: p.name_en for p in provinces}
    order = {p.code: i for i, p in enumerate(provinces)}
    reporting = sorted((c for c in names if counts.get(c, 0)), key=lambda c: (-counts[c], order[c]))
    total = len(provinces)
    top = counts[reporting[0]]
    leaders = [c for c in reporting if counts[c] == top]
    lead = _join_some([names[c] for c in leaders])
    caption = (
        f"{len(reporting)} of {total} provincial-level divisions report measures in these "
        f"documents, led by {lead} ({top}); the other {total - len(reporting)} report none here"
    )
    if national_n:
        caption += (
            f"; {_plural(national_n, 'national measure')} "
            f"{'is' if national_n == 1 else 'are'} counted apart, off the map"
        )
    caption += "."
    alt = (
        f"Tile map of China's {total} provincial-level divisions, one equal square each, "
        f"shaded by the number of measures reported: "
        + ", ".join(f"{names[c]} {counts[c]}" for c in reporting)
        + f". The other {total - len(reporting)}: none reported in these documents."
    )
    if national_n:
        alt += f" Not on the map: {_plural(national_n, 'national measure')}."
    return alt, caption


_RENDERERS: dict[str, Callable[[Selection, Taxonomy], Chart | None]] = {
    "heatmap": heatmap_chart,
    "timeline": timeline_chart,
    "quantities": quantities_chart,
    "tilemap": tilemap_chart,
}
