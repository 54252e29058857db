"""Chart stage: comparison data → SVG figures with alt text, a finding caption and a source.

One module per chart kind (`heatmap`, `timeline`, `quantities`, `tilemap`), listed in
`kinds.KINDS` and drawn in the shared style (`policybrief.chartstyle`) with the helpers in
`draw` and `words`. What goes in and comes out is plain data (`chart.ChartInput`,
`chart.Chart`).

Nothing here knows a theme, province or instrument by name: rows, columns, tiles and labels
all come from the selection and the taxonomy, so new content flows in without code changes.

The kinds' modules import matplotlib, so they are imported when first drawn (or named, as in
`charts.timeline_chart`): a build that reads its charts from the cache never loads it.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from .chart import Chart, ChartInput, DataTable, chart_input
from .kinds import KINDS

if TYPE_CHECKING:
    from ..analyse import Compared
    from ..models import Taxonomy


class ChartFunction(Protocol):
    def __call__(self, sel: ChartInput, taxonomy: Taxonomy | None = None) -> Chart | None: ...


def kind_module(kind: str) -> ModuleType:
    """The module that draws `kind` (one of KINDS)."""
    return importlib.import_module(f"{__name__}.{kind}")


def chart_function(kind: str) -> ChartFunction:
    function: ChartFunction = getattr(kind_module(kind), f"{kind}_chart")
    return function


def render_charts(selection: Compared, views: Sequence[str], taxonomy: Taxonomy) -> list[Chart]:
    """Charts for the named views, in the order given; unknown views and views for which
    the selection holds no data are skipped (no chart is returned for them)."""
    data = chart_input(selection, taxonomy)
    out: list[Chart] = []
    seen: set[str] = set()
    for view in views:
        if view not in KINDS or view in seen:
            continue
        seen.add(view)
        chart = chart_function(view)(data)
        if chart is not None:
            out.append(chart)
    return out


def __getattr__(name: str) -> Any:
    """A name from a kind's module or `draw` (`charts.timeline_chart`, `charts.MAX_HEIGHT_CM`),
    imported on first use."""
    for module in ("draw", *KINDS):
        found = getattr(importlib.import_module(f"{__name__}.{module}"), name, _MISSING)
        if found is not _MISSING:
            return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_MISSING = object()

__all__ = ["KINDS", "Chart", "ChartInput", "DataTable", "chart_input", "render_charts"]
