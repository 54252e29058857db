"""The heatmap: measures by theme (rows) × jurisdiction (national, then provinces)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection, Sequence

from matplotlib.patches import Patch, Rectangle

from .. import chartstyle as style
from ..analyse import Matrix, comparison_matrix
from ..models import LEVEL_ORDER, Level, Taxonomy
from . import draw
from .chart import Chart, ChartInput, DataTable
from .words import documents, join, lower_first, plural, source, wrap


def heatmap_chart(sel: ChartInput, taxonomy: Taxonomy | None = None) -> Chart | None:
    """Measures by theme (rows) × jurisdiction (national, then provinces), as counts."""
    matrix = _by_level_then_name(comparison_matrix(sel))
    if not matrix.rows or not matrix.columns:
        return None
    counts = matrix.counts
    n_rows, n_cols = len(matrix.rows), len(matrix.columns)
    vmax = max(max(row) for row in counts) or 1

    row_labels = [wrap(r.label, 34) for r in matrix.rows]
    two_line_rows = any("\n" in lbl for lbl in row_labels)
    row_h = 0.74 if two_line_rows else 0.52
    avail = style.WIDTH_CM - 4.6
    rotate = avail / n_cols < 1.45
    col_labels = []
    for col in matrix.columns:
        name = col.label if rotate else wrap(col.label, 10)
        # The first further-language name under the column's own (the national column's
        # label is its level, not a place).
        other = next((t for _, t in col.others if t), None) if col.level is not Level.national else None
        if rotate:
            col_labels.append(f"{name} {other}" if other else name)
        else:
            col_labels.append(f"{name}\n{other}" if other else name)
    header_cm = 2.9 if rotate else 1.6
    height = header_cm + n_rows * row_h + 1.1

    with style.chart_style():
        fig = draw.figure(style.WIDTH_CM, height)
        ax = fig.add_subplot()
        for r in range(n_rows):
            for c in range(n_cols):
                n = counts[r][c]
                fill = _shade(n, vmax)
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
            patch = draw.level_patch(level, sel.taxonomy.level_label(level).adjective)
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
            [draw.plain(lbl) for lbl in col_labels],
            rotation=55 if rotate else 0,
            ha="left" if rotate else "center",
            rotation_mode="anchor" if rotate else "default",
        )
        ax.tick_params(axis="x", length=0, pad=2)
        ax.set_yticks(range(n_rows), [draw.plain(lbl) for lbl in row_labels])
        ax.tick_params(axis="y", length=0, pad=3)
        for spine in ax.spines.values():
            spine.set_visible(False)
        levels_present = sorted(
            {col.level for col in matrix.columns if col.level},
            key=lambda lvl: list(Level).index(lvl),
        )
        # One row of keys: the columns' levels, then the shading, a few counts on the same
        # logarithmic ramp as the cells (a text-only entry introduces them).
        handles = [
            draw.level_patch(lvl, f"{sel.taxonomy.level_label(lvl).adjective} column")
            for lvl in levels_present
        ]
        handles.append(Patch(facecolor="none", edgecolor="none", label="Measures in a cell:"))
        handles += [
            Patch(facecolor=_shade(n, vmax), edgecolor=style.GRID, linewidth=0.5, label=str(n))
            for n in _key_counts(vmax)
        ]
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncol=len(handles),
            handlelength=1.3,
            handleheight=0.9,
            handletextpad=0.4,
            columnspacing=0.9,
        )
        below = {m.level for m in sel.measures if m.level is not Level.national}
        alt, caption = _heatmap_text(matrix, sel.taxonomy, sel.themes, below)
        svg = draw.svg(fig, "heatmap", alt)
    table = DataTable(
        ("Theme", *(c.label for c in matrix.columns)),
        tuple((r.label, *(str(n) for n in counts[i])) for i, r in enumerate(matrix.rows)),
    )
    docs = [m.document.id for m in sel.measures]
    return Chart(
        "heatmap", svg, alt, caption, source(docs), table, style.WIDTH_CM, round(height, 2), documents(docs)
    )


def _shade(n: int, vmax: int) -> str:
    """A cell's fill. Log shading: a national column of 18 must not wash out a province's 1
    and 2. An empty cell is white."""
    if not n:
        return "#ffffff"
    shade = 0.18 + 0.82 * math.log1p(n) / math.log1p(vmax) if vmax > 1 else 0.6
    return style.mix(*style.COUNT_RAMP, shade)


def _key_counts(vmax: int) -> list[int]:
    """The counts the shading key shows: 1, then doubling, and the largest (five at most)."""
    keys, n = [], 1
    while n < vmax:
        keys.append(n)
        n *= 2
    keys.append(vmax)
    if len(keys) > 5:
        keys = [*keys[:2], keys[len(keys) // 2], keys[-2], keys[-1]]
    return keys


def _by_level_then_name(matrix: Matrix) -> Matrix:
    """The matrix with its columns by level (national first), then by name: a reader looks
    a place up by its name, not its code (ISO order puts Jilin before Jiangxi)."""
    order = sorted(
        range(len(matrix.columns)),
        key=lambda c: (
            LEVEL_ORDER.index(matrix.columns[c].level or Level.provincial),
            matrix.columns[c].label.casefold(),
        ),
    )
    return dataclasses.replace(
        matrix,
        columns=tuple(matrix.columns[c] for c in order),
        cells=tuple(tuple(row[c] for c in order) for row in matrix.cells),
    )


def _below_words(taxonomy: Taxonomy, levels: Collection[Level]) -> str:
    """The levels of the measures in the non-national columns, in the project's words:
    "provincial" when they are all the first-level divisions' own, "provincial and zone" when
    a column also counts a zone's measures (a province's column holds its zones' measures,
    and a zone's measure is not a province's)."""
    ordered = sorted(levels, key=lambda lvl: list(Level).index(lvl))
    return join([taxonomy.level_label(lvl).in_sentence for lvl in ordered]) or "other"


def _heatmap_text(
    matrix: Matrix,
    taxonomy: Taxonomy,
    themes: Sequence[str] = (),
    below_levels: Collection[Level] = (Level.provincial,),
) -> tuple[str, str]:
    label = taxonomy.level_label
    national = label(Level.national).in_sentence
    counts = matrix.counts
    nat = [c for c, col in enumerate(matrix.columns) if col.level is Level.national]
    prov = [c for c, col in enumerate(matrix.columns) if col.level is not Level.national]
    nat_by = [sum(row[c] for c in nat) for row in counts]
    prov_by = [sum(row[c] for c in prov) for row in counts]
    labels = [r.label for r in matrix.rows]
    # "Only X cover T" is a finding about T only when the brief selected measures on T: a
    # theme that a selected measure merely also carries says nothing about who covers it.
    judged = [not themes or matrix.rows[i].key in themes for i in range(len(labels))]
    below = f"{_below_words(taxonomy, below_levels)} measures"

    sentences: list[str] = []
    leaders: list[int] = []
    who = below if len(prov) != 1 else f"{matrix.columns[prov[0]].label}'s measures"
    if prov and any(prov_by):
        top = max(prov_by)
        ties = [i for i, n in enumerate(prov_by) if n == top]
        if top > 1 and len(ties) < sum(1 for n in prov_by if n):
            leaders = ties[:3]
            named = join([f"{lower_first(labels[i])} ({prov_by[i]})" for i in leaders])
            sentences.append(f"{who} concentrate on {named}")
    if nat and any(nat_by):
        only_nat = [labels[i] for i in range(len(labels)) if nat_by[i] and not prov_by[i] and judged[i]]
        if only_nat and prov:
            sentences.append(f"only {national} measures cover {join([lower_first(t) for t in only_nat])}")
        elif not prov:
            top = max(nat_by)
            nat_leaders = [labels[i] for i, n in enumerate(nat_by) if n == top][:3]
            if top > 1 and len(nat_leaders) < sum(1 for n in nat_by if n):
                sentences.append(
                    f"{national} measures concentrate on {join([lower_first(t) for t in nat_leaders])}"
                )
    if nat and prov:
        # Leaders are already named; the rest (three at most) complete the contrast.
        only_prov = [
            labels[i]
            for i in range(len(labels))
            if prov_by[i] and not nat_by[i] and i not in leaders and judged[i]
        ][:3]
        if only_prov:
            sentences.append(f"only {who} cover {join([lower_first(t) for t in only_prov])}")
    # Every finding is about this brief's selection, not the world: say so once, up front.
    caption = "; ".join(sentences)
    caption = (
        f"In this brief's selection, {caption}."
        if caption
        else "Measures by theme and jurisdiction in this brief's selection."
    )
    if any(lvl not in (Level.national, Level.provincial) for lvl in below_levels):
        # A zone's measure sits in its province's column: say so where the reader looks,
        # not only in the alt text ("no provincial measure" above a filled province cell).
        caption += f" {_toward(taxonomy)}'s column."

    n_measures = len(matrix.measure_ids)
    parts = []
    for c, col in enumerate(matrix.columns):
        cells = [f"{matrix.rows[r].label} {counts[r][c]}" for r in range(len(matrix.rows)) if counts[r][c]]
        name = col.label if col.level is not Level.national else label(Level.national).adjective
        parts.append(f"{name}: {', '.join(cells)}")
    alt = (
        f"Heatmap of the number of measures by theme (rows) and jurisdiction (columns); "
        f"{plural(n_measures, 'measure')} in all, a measure with several themes counted in each. "
        + "; ".join(parts)
        + f". {_toward(taxonomy)}. Blank cells: no measure reported in these documents."
    )
    return alt, caption


def _toward(taxonomy: Taxonomy) -> str:
    label = taxonomy.level_label
    text = (
        f"{label(Level.municipal).plural} and {label(Level.zone).plural} count toward their "
        f"{label(Level.provincial).noun}"
    )
    return text[:1].upper() + text[1:]
