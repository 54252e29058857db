"""The quantities chart: figures on a log scale, grouped by what they count; the kind of
figure (target, result, baseline, anecdote) by marker shape and colour."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from .. import chartstyle as style
from ..analyse import KIND_ORDER, QuantityGroup, QuantityRef, charted, quantity_groups, quantity_period
from ..models import Level, QuantityKind, Taxonomy
from . import draw
from .chart import Chart, ChartInput, DataTable
from .draw import MAX_HEIGHT_CM
from .words import documents, join, join_some, plural, source, wrap

KIND_LABELS = {
    QuantityKind.target: "Target",
    QuantityKind.result: "Result (achieved)",
    QuantityKind.baseline: "Baseline",
    QuantityKind.anecdote: "Anecdote (one firm)",
}


def _qty_row_label(q: QuantityRef, taxonomy: Taxonomy) -> str:
    where = (
        taxonomy.level_label(Level.national).adjective if q.level is Level.national else q.jurisdiction.name
    )
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


def quantities_chart(sel: ChartInput, taxonomy: Taxonomy | None = None) -> Chart | None:
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
        fig = draw.figure(style.WIDTH_CM, height)
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
            labels.append(draw.plain(left))
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
                draw.plain(right),
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
        draw.value_axis(ax, "Value, logarithmic scale (units differ between groups: compare within a group)")
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
        left_out = sum(1 for q in sel.quantities if not charted(q))
        if left_out:
            # Money and a plan's own make-up share no axis with counts of factories.
            note = (
                f" {plural(left_out, 'figure')} of money or of a plan's own make-up "
                f"{'is' if left_out == 1 else 'are'} not plotted here; the figures data file lists "
                f"{'it' if left_out == 1 else 'them'}."
            )
            caption += note
            alt += note
        svg = draw.svg(fig, "quantities", alt)
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
        source([q.document.id for g in all_groups for q in g.items]),
        table,
        style.WIDTH_CM,
        round(height, 2),
        documents([q.document.id for g in all_groups for q in g.items]),
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
        left = wrap(heading, 40, 2) if q_i == 0 else ""
        period = _qty_period(q)
        right = wrap(
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
    # The split by level: pooled, a level's targets can hide behind another level's results
    # ("more results than targets" while every provincial figure is a target).
    levels = sorted(
        {q.level for q in everything if q.kind in (QuantityKind.target, QuantityKind.result)},
        key=lambda lvl: list(Level).index(lvl),
    )
    split = ""
    if len(levels) > 1:
        parts = []
        for lvl in levels:
            lt = sum(1 for q in everything if q.level is lvl and q.kind is QuantityKind.target)
            lr = sum(1 for q in everything if q.level is lvl and q.kind is QuantityKind.result)
            counted = join(
                [s for s in (plural(lr, "result") if lr else "", plural(lt, "target") if lt else "") if s]
            )
            parts.append(f"{tax.level_label(lvl).in_sentence} {counted}")
        split = "; by level: " + ", ".join(parts)
    if t > r:
        caption = (
            f"In this brief's selection, most figures are targets rather than achieved results "
            f"({plural(t, 'target')}, {plural(r, 'result')}{split})"
        )
    elif r > t:
        caption = (
            f"In this brief's selection, achieved results outnumber targets ({plural(r, 'result')}, "
            f"{plural(t, 'target')}{split})"
        )
    else:
        caption = (
            f"In this brief's selection, targets and achieved results are equally many ({t} each{split})"
        )
    extras = []
    if b:
        extras.append(plural(b, "baseline"))
    if a:
        extras.append(f"{plural(a, 'single-firm anecdote')}")
    if extras:
        caption += f". Besides these: {join(extras)}"
    paired = [g for g in groups if len({q.kind for q in g.items}) > 1]
    if paired:
        names = join_some([g.counts for g in paired])
        caption += f". Figures of more than one kind stand side by side here only for {names}"
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
    shown = plural(n, "figure") if n == total else f"{n} of {total} figures"
    alt = (
        f"Dot chart of {shown} reported in these documents, on a logarithmic scale, grouped by what "
        f"they count; marker shape and colour show the kind. " + "; ".join(parts) + "."
    )
    if n < total:
        # Whole groups left out, and the rest of a group cut short (when one is).
        in_hidden = sum(len(g.items) for g in hidden)
        places = []
        if hidden:
            names = ", ".join(g.counts for g in hidden)
            places.append(f"{plural(in_hidden, 'figure')} in {plural(len(hidden), 'group')} ({names})")
        if total - n - in_hidden:
            cut = next(g for g in all_groups if (g.counts, g.unit) in shown_keys)
            places.append(f"{plural(total - n - in_hidden, 'more figure')} of {cut.counts}")
        alt += f" Not shown, for room: {join(places)}; the figures data file lists all {total}."
    if skipped:
        alt += f" Not plotted (zero or negative): {', '.join(q.quantity.id for q in skipped)}."
    return alt, caption
