"""Drawing shared by the chart kinds: figures in the shared style, deterministic SVG, level
patches. Every chart is drawn with matplotlib's object API (`Figure`, never pyplot), so no
global figure state leaks between charts and it is safe in worker processes. Output is
deterministic: the same input gives byte-identical SVG (fixed hash salt, no date, text as
<text> laid out with pinned font files, ids namespaced by chart id so that several charts
can be inlined in one page).
"""

from __future__ import annotations

import html
import io
import re

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .. import chartstyle as style
from ..models import Level

CM = 1 / 2.54
#: Tallest chart that still fits an A4 page with the caption (long charts squeeze rows).
MAX_HEIGHT_CM = 22.0


def plain(text: str) -> str:
    """Text for matplotlib, drawn as written. Mathtext is off for every chart
    (chartstyle.rc_params sets text.parse_math False), so a '$' (US$ amounts, or anything in a
    name) needs no escape here: an escape would be drawn as a visible backslash."""
    return text


_ID_RE = re.compile(r'(\bid=")([^"]+)(")')
_HREF_RE = re.compile(r'(href="#)([^"]+)(")')
_URL_RE = re.compile(r"(url\(#)([^)]+)(\))")
_FAMILY_RE = re.compile(r"(font-family: )([^;\"]+)")


def _font_family(m: re.Match[str]) -> str:
    names = tuple(name.strip().strip("'\"") for name in m.group(2).split(","))
    return m.group(1) + style.svg_font_family(names)


def svg(fig: Figure, chart_id: str, alt: str) -> str:
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


def figure(width_cm: float, height_cm: float, constrained: bool = True) -> Figure:
    fig = Figure(figsize=(width_cm * CM, height_cm * CM), layout="constrained" if constrained else None)
    if constrained:
        fig.get_layout_engine().set(w_pad=2 / 72, h_pad=2 / 72, wspace=0, hspace=0)
    return fig


def level_patch(level: Level | str, label: str | None = None) -> Patch:
    key = level.value if isinstance(level, Level) else level
    return Patch(
        facecolor=style.LEVEL_COLOURS[key],
        edgecolor=style.mix(style.LEVEL_COLOURS[key], "#000000", 0.45),
        hatch=style.LEVEL_HATCHES[key],
        linewidth=0.6,
        label=label or key,
    )


def value_axis(ax: Axes, label: str) -> None:
    """The x axis as the charts with rows of labels (timeline, quantities) draw it: vertical
    gridlines behind the marks, no frame but the axis line, no tick marks on the row labels,
    and the axis title in the muted small type."""
    ax.grid(axis="x", which="major", color=style.GRID, linewidth=0.5)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(label, fontsize=style.SMALL_PT, color=style.MUTED)
