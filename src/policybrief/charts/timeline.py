"""The timeline: plans and programmes by level of government, bars from start to end year."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.legend_handler import HandlerBase
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon, Rectangle
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter
from matplotlib.transforms import Transform

from .. import chartstyle as style
from ..analyse import TimelineItem, timeline
from ..models import Level, Status, Taxonomy
from . import draw
from .chart import Chart, ChartInput, DataTable
from .draw import MAX_HEIGHT_CM
from .words import documents, join, plural, source, wrap

TL_LINE_CM = 0.48  # one row of the timeline
TL_LINE_EXTRA = 0.3  # lines added above and below a row for each line its label wraps to
TL_KEY_ROW_CM = 0.5  # one row of the key under the chart
KEY_COLUMNS = 3
#: An open-ended plan's bar: its first year at full strength, then a tail this many years
#: long that fades out, and an arrow. It stops there, not at the axis end: the sources give
#: no end, and a bar to the edge would claim the plan runs to the last year shown.
OPEN_TAIL_YEARS = 2.0
OPEN_TAIL_STEPS = 8
ARROW_PT = 9.0  # the open-ended arrow and the end-year diamond: big enough to see in print
DIAMOND_PT = 7.5
#: An announced plan (every measure of it announced, none yet in force): the level's colour
#: mixed this far toward white, with a full-strength edge, so it reads as "not yet".
ANNOUNCED_PALE = 0.72


def _tl_label(item: TimelineItem) -> str:
    """The row label, wrapped to as many lines as it needs: a plan's name is never cut."""
    text = item.label[:1].upper() + item.label[1:]
    # "… (2023-2025)": the period stands at the row's end already.
    trailing = re.search(r"\s*\((\d{4})\s*[-–]\s*(\d{4})\)$", text)
    if trailing and (int(trailing.group(1)), int(trailing.group(2))) == (item.start, item.end):
        text = text[: trailing.start()]
    if item.level is not Level.national and item.jurisdiction.name not in text:
        text = f"{item.jurisdiction.name}: {text}"
    return wrap(text, 50, None)


def _tl_extra(item: TimelineItem) -> float:
    return TL_LINE_EXTRA * _tl_label(item).count("\n")


def announced_only(item: TimelineItem) -> bool:
    """Every measure of the plan is announced (an intention, a plan "in preparation"), none
    reported in force or completed."""
    return all(m.measure.status is Status.announced for m in item.measures)


def _tail_end(item: TimelineItem) -> float:
    """Where an open-ended bar's fading tail stops (x, in years)."""
    assert item.start is not None
    return item.start + 1 + OPEN_TAIL_YEARS


def _tl_height(lines: float, key_rows: int = 1) -> float:
    """The chart's height for rows taking `lines` lines in all (headers included), with a
    key of `key_rows` rows."""
    return 0.6 + (lines - 1.0 + 1.1) * TL_LINE_CM + 1.5 + (key_rows - 1) * TL_KEY_ROW_CM


def _key_rows(items: Sequence[TimelineItem]) -> int:
    """Rows of the key: one entry per level, then one per encoding the items use."""
    entries = len({i.level for i in items}) + sum(
        (
            any(i.open_ended for i in items),
            any(announced_only(i) for i in items),
            any(i.end_only for i in items),
            any(i.inferred for i in items),
        )
    )
    return math.ceil(entries / KEY_COLUMNS)


def _open_bar(ax: Axes, start: int, y: float, fill: str, edge: str, hatch: str) -> None:
    """An open-ended plan: its start year as a full cell, then a tail that fades out in steps
    (plain rectangles: SVG and PDF draw them alike, where a gradient would not survive)."""
    ax.add_patch(
        Rectangle((start, y - 0.3), 1, 0.6, facecolor=fill, edgecolor=edge, hatch=hatch, linewidth=0.6)
    )
    step = OPEN_TAIL_YEARS / OPEN_TAIL_STEPS
    for k in range(OPEN_TAIL_STEPS):
        ax.add_patch(
            Rectangle(
                (start + 1 + k * step, y - 0.3),
                step,
                0.6,
                facecolor=fill,
                edgecolor=edge,
                hatch=hatch,
                linewidth=0,
                alpha=0.8 * (1 - (k + 0.5) / OPEN_TAIL_STEPS),
            )
        )


class _OpenKey(HandlerBase):
    """The key's sample of an open-ended bar: a full cell, a fading tail, an arrow."""

    def create_artists(
        self,
        legend: Legend,
        orig_handle: Artist,
        xdescent: float,
        ydescent: float,
        width: float,
        height: float,
        fontsize: float,
        trans: Transform,
    ) -> list[Artist]:
        x0, y0, w = -xdescent, -ydescent, width * 0.82
        colour = style.TEXT
        cell = w / 3
        artists: list[Artist] = [
            Rectangle((x0, y0), cell, height, facecolor=colour, linewidth=0, transform=trans)
        ]
        steps = 4
        for k in range(steps):
            artists.append(
                Rectangle(
                    (x0 + cell + k * (w - cell) / steps, y0),
                    (w - cell) / steps,
                    height,
                    facecolor=colour,
                    linewidth=0,
                    alpha=0.8 * (1 - (k + 0.5) / steps),
                    transform=trans,
                )
            )
        tip = x0 + width
        artists.append(
            Polygon(
                [(x0 + w, y0 - 0.2 * height), (tip, y0 + height / 2), (x0 + w, y0 + 1.2 * height)],
                closed=True,
                facecolor=colour,
                linewidth=0,
                transform=trans,
            )
        )
        return artists


def timeline_shown(items: Sequence[TimelineItem]) -> tuple[TimelineItem, ...]:
    """The plans the chart has room for (MAX_HEIGHT_CM, with each level's header row and
    the extra room of two-line labels): all of them, else the most recent by first year
    (ties in the timeline's own order), shown in the timeline's order. A chart cut off at the
    page's foot would drop rows silently; this drops them with a note in the caption."""
    cost = [1.0 + 2 * _tl_extra(i) for i in items]
    key_rows = _key_rows(items)  # at most what the chart shown will need
    if _tl_height(sum(cost) + len({i.level for i in items}), key_rows) <= MAX_HEIGHT_CM:
        return tuple(items)
    keep: set[int] = set()
    lines, levels = 0.0, set()
    for k in sorted(range(len(items)), key=lambda k: (-(items[k].first_year or 0), k)):
        more = cost[k] + (items[k].level not in levels)
        if _tl_height(lines + more, key_rows) > MAX_HEIGHT_CM:
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
    has_announced = any(announced_only(i) for i in shown)
    x_min = lo - 0.6
    x_max = max([hi + 1.4, *(_tail_end(i) + 0.6 for i in shown if i.open_ended)])

    # Row centres in "lines": a two-line label gets a little more room on each side.
    ys: list[float] = []
    y = 0.0
    for _kind, obj in rows:
        extra = _tl_extra(obj) if isinstance(obj, TimelineItem) else 0.0
        y += extra
        ys.append(y)
        y += 1.0 + extra
    y_end = y - 1.0
    height = _tl_height(y, _key_rows(shown))

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
            announced = announced_only(item)
            fill = style.mix(colour, "#ffffff", ANNOUNCED_PALE) if announced else colour
            common = {
                "facecolor": fill,
                "edgecolor": edge,
                "hatch": style.LEVEL_HATCHES[item.level.value],
                "linewidth": 0.9 if announced else 0.6,
            }
            if item.start is not None and item.end is not None:
                end = item.end + 1
                ax.add_patch(Rectangle((item.start, y - 0.3), end - item.start, 0.6, **common))
            elif item.start is not None:  # open-ended: the first year, then a fading tail
                end = _tail_end(item)
                _open_bar(ax, item.start, y, fill, edge, style.LEVEL_HATCHES[item.level.value])
                ax.plot([end], [y], marker=">", markersize=ARROW_PT, color=edge, clip_on=False)
            else:  # end year only: a marker in the end year, a dotted lead-in
                assert item.end is not None
                end = item.end + 1
                ax.plot([x_min, item.end + 0.5], [y, y], linestyle=":", color=edge, linewidth=0.9)
                ax.plot(
                    [item.end + 0.5],
                    [y],
                    marker="D",
                    markersize=DIAMOND_PT,
                    color=fill,
                    markeredgecolor=edge,
                    markeredgewidth=0.9,
                )
            if item.inferred and item.start is not None:
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
            tick.set_linespacing(0.95)  # a wrapped name reads as one block, apart from its neighbours
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
        draw.value_axis(ax, "Year (a bar covers each year of its period, first to last)")
        # The key: each level's colour, then every encoding the chart uses, in words.
        handles: list[Artist] = [
            draw.level_patch(lvl, f"{tax.level_label(lvl).adjective}: period stated") for lvl in levels
        ]
        handler_map: dict[Artist, HandlerBase] = {}
        if has_open:
            open_key = Patch(label="open-ended: end year not reported")
            handles.append(open_key)
            handler_map[open_key] = _OpenKey()
        if has_announced:
            handles.append(
                Patch(
                    facecolor=style.mix(style.TEXT, "#ffffff", ANNOUNCED_PALE + 0.1),
                    edgecolor=style.TEXT,
                    linewidth=0.9,
                    label="pale: announced only",
                )
            )
        if any(i.end_only for i in shown):
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="D",
                    markersize=DIAMOND_PT,
                    linestyle=":",
                    color=style.TEXT,
                    label="end year only (“by …”)",
                )
            )
        if any(i.inferred for i in shown):
            handles.append(
                Patch(
                    facecolor="white",
                    edgecolor=style.TEXT,
                    linestyle=(0, (2.5, 1.5)),
                    linewidth=0.8,
                    label="dashed frame: period inferred",
                )
            )
        fig.legend(
            handles=handles,
            handler_map=handler_map,
            loc="outside lower center",
            ncol=KEY_COLUMNS,
            handlelength=2.4,
            handleheight=0.9,
            columnspacing=1.2,
            alignment="left",
        )
        alt, caption = _timeline_text(tl.items, tl.undated, shown, tax)
        svg = draw.svg(fig, "timeline", alt)
    table = DataTable(
        ("Level", "Jurisdiction", "Plan or programme", "Period", "Status", "Measures"),
        tuple(
            (
                tax.level_label(i.level).adjective,
                i.jurisdiction.name,
                i.label,
                i.period_label,
                _status(i),
                ", ".join(m.id for m in i.measures),
            )
            for i in tl.items
        ),
    )
    docs = [m.document.id for i in tl.items for m in i.measures]
    return Chart(
        "timeline", svg, alt, caption, source(docs), table, style.WIDTH_CM, round(height, 2), documents(docs)
    )


def _status(item: TimelineItem) -> str:
    """The statuses of the plan's measures, as the data files spell them ("announced",
    "in-force, announced")."""
    return ", ".join(dict.fromkeys(m.measure.status.value for m in item.measures))


def _span(item: TimelineItem) -> str:
    """The period without its "(inferred)" mark, so that items with the same years group;
    the caption puts the mark back when the group's periods are all inferred."""
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
        # The earliest dated plan of each level these reports mention: an order of the
        # reports, not a claim about which level acted first (undated plans may be older),
        # and only levels that have a dated plan are named.
        earliest = sorted(below, key=lambda lvl: (starts[lvl], lvl.value))
        if any(starts[lvl] != starts[Level.national] for lvl in below):
            others = ", ".join(
                f"the earliest {tax.level_label(lvl).in_sentence} one from {starts[lvl]}" for lvl in earliest
            )
            sentences.append(
                f"in these reports the earliest dated {tax.level_label(Level.national).in_sentence} "
                f"plan is from {starts[Level.national]}, {others}"
            )
    for lvl in below or list(by_level):
        group = by_level[lvl]
        spans = Counter(_span(i) for i in group)
        span, k = sorted(spans.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        same = [i for i in group if _span(i) == span]
        # A span the analyst inferred for every plan in it says so; plans only announced
        # do not "run" yet.
        if all(i.inferred for i in same):
            span += " (inferred)"
        verb = "are announced," if all(announced_only(i) for i in same) else "run"
        name = tax.level_label(lvl).in_sentence
        if len(group) == 1:
            one_verb = "is announced," if verb != "run" else "runs"
            sentences.append(f"the one {name} plan shown {one_verb} {span}")
        elif k > 1:
            sentences.append(f"{k} of the {len(group)} {name} plans shown {verb} {span}")
        else:
            sentences.append(
                f"the {name} plans shown start between {min(map(first_year, group))} and "
                f"{max(map(first_year, group))}"
            )
    caption = "; ".join(sentences)
    caption = caption[:1].upper() + caption[1:] + "."
    open_n = sum(i.open_ended for i in items)
    inferred_n = sum(i.inferred for i in items)
    announced_n = sum(announced_only(i) for i in items)
    extra = []
    if open_n:
        extra.append(
            f"{plural(open_n, 'plan')} {'is' if open_n == 1 else 'are'} open-ended (end year not reported)"
        )
    if announced_n:
        extra.append(
            f"{plural(announced_n, 'plan')} {'is' if announced_n == 1 else 'are'} announced "
            "but not reported in force"
        )
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
        + (", announced, not reported in force" if announced_only(i) else "")
        for i in shown
    ]
    what = plural(len(items), "plan or programme", "plans and programmes")
    if len(shown) < len(items):
        what = f"{len(shown)} of {what} (the most recent by first year)"
    alt = f"Timeline of {what} by level of government. " + "; ".join(parts) + "."
    if undated:
        alt += f" Not shown, no year reported: {', '.join(i.label for i in undated)}."
    return alt, caption
