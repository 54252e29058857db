"""The timeline: plans and programmes by level of government, bars from start to end year."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from .. import chartstyle as style
from ..analyse import TimelineItem, timeline
from ..models import Level, Taxonomy
from . import draw
from .chart import Chart, ChartInput, DataTable
from .draw import MAX_HEIGHT_CM
from .words import join, plural, source, wrap

TL_LINE_CM = 0.52  # one row of the timeline
TL_TWO_LINE_EXTRA = 0.3  # lines added above and below a row whose label wraps


def _tl_label(item: TimelineItem) -> str:
    text = item.label[:1].upper() + item.label[1:]
    if item.level is not Level.national and not text.startswith(item.jurisdiction.name):
        text = f"{item.jurisdiction.name}: {text}"
    return wrap(text, 42, 2)


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


def timeline_chart(sel: ChartInput, taxonomy: Taxonomy | None = None) -> Chart | None:
    """Plans and programmes by level of government: bars from start to end year."""
    tax = taxonomy or sel.taxonomy
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
        fig = draw.figure(style.WIDTH_CM, height)
        ax = fig.add_subplot()
        ticks, tick_labels = [], []
        for y, (kind, obj) in zip(ys, rows, strict=True):
            ticks.append(y)
            if kind == "header":
                assert isinstance(obj, Level)
                tick_labels.append(tax.level_label(obj).adjective.upper())
                continue
            assert isinstance(obj, TimelineItem)
            item = obj
            tick_labels.append(draw.plain(_tl_label(item)))
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
                draw.plain(item.period_label),
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
        handles: list[Patch | Line2D] = [
            draw.level_patch(lvl, tax.level_label(lvl).adjective) for lvl in levels
        ]
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
        alt, caption = _timeline_text(tl.items, tl.undated, shown, tax)
        svg = draw.svg(fig, "timeline", alt)
    table = DataTable(
        ("Level", "Jurisdiction", "Plan or programme", "Period", "Measures"),
        tuple(
            (
                tax.level_label(i.level).adjective,
                i.jurisdiction.name,
                i.label,
                i.period_label,
                ", ".join(m.id for m in i.measures),
            )
            for i in tl.items
        ),
    )
    docs = [m.document.id for i in tl.items for m in i.measures]
    return Chart("timeline", svg, alt, caption, source(docs), table, style.WIDTH_CM, round(height, 2))


def _span(item: TimelineItem) -> str:
    return item.period_label.replace(" (inferred)", "")


def _timeline_text(
    items: Sequence[TimelineItem],
    undated: Sequence[TimelineItem],
    shown: Sequence[TimelineItem],
    tax: Taxonomy,
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
        # Start years of the plans these reports mention, level by level: an order of the
        # reports, not a claim about which level acted first.
        earliest_below = min(starts[lvl] for lvl in below)
        if starts[Level.national] != earliest_below:
            sentences.append(
                f"in these reports the {tax.level_label(Level.national).adjective.lower()} plans and "
                f"programmes start from {starts[Level.national]}, the "
                f"{tax.level_label(Level.provincial).adjective.lower()} and local ones from {earliest_below}"
            )
    for lvl in below or list(by_level):
        group = by_level[lvl]
        spans = Counter(_span(i) for i in group)
        span, k = sorted(spans.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        name = tax.level_label(lvl).adjective.lower()
        if len(group) == 1:
            sentences.append(f"the one {name} plan shown runs {span}")
        elif k > 1:
            sentences.append(f"{k} of the {len(group)} {name} plans shown run {span}")
        else:
            sentences.append(
                f"the {name} plans shown start between {min(map(first_year, group))} and "
                f"{max(map(first_year, group))}"
            )
    caption = "; ".join(sentences)
    caption = caption[:1].upper() + caption[1:] + "."
    open_n = sum(i.open_ended for i in items)
    inferred_n = sum(i.inferred for i in items)
    extra = []
    if open_n:
        extra.append(f"{plural(open_n, 'plan')} {'is' if open_n == 1 else 'are'} open-ended")
    if inferred_n:
        extra.append(f"{plural(inferred_n, 'period')} {'is' if inferred_n == 1 else 'are'} inferred")
    if extra:
        caption += " " + join(extra)[:1].upper() + join(extra)[1:] + "."

    if len(shown) < len(items):
        caption += (
            f" For room, the chart shows the {len(shown)} most recent of {len(items)} plans and"
            " programmes (by first year); the measures data file (see Data) lists all of them."
        )
    parts = [
        f"{tax.level_label(i.level).adjective}, {i.jurisdiction.name}: {i.label}, {i.period_label}"
        + (", open-ended" if i.open_ended else "")
        for i in shown
    ]
    what = plural(len(items), "plan or programme", "plans and programmes")
    if len(shown) < len(items):
        what = f"{len(shown)} of {what} (the most recent by first year)"
    alt = f"Timeline of {what} by level of government. " + "; ".join(parts) + "."
    if undated:
        alt += f" Not shown, no year reported: {', '.join(i.label for i in undated)}."
    return alt, caption
