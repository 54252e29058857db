"""Comparison views a brief places with `::view NAME` (or lists under `views:`).

Tables (matrix, alignment, targets) are rendered from partial templates with the analysis
results; charts become figures pointing at their SVG files. Figures are numbered in the
order they are placed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import escape

from . import analyse
from .corpus import Corpus
from .render import Citations

if TYPE_CHECKING:
    from .analyse import Selection
    from .charts import Chart

TABLE_VIEWS = {
    "who": "partials/view-who.html",
    "matrix": "partials/view-matrix.html",
    "alignment": "partials/view-alignment.html",
    "targets": "partials/view-targets.html",
    "measures": "partials/view-measures.html",
}


def filter_note(selection: Any) -> str:
    """The sentence a filtered view carries ("This view is filtered: …"), or "" when the
    brief does not narrow by theme, instrument, level or place. (A list of documents is what
    a brief is about, a digest's one document for instance, and the limits box and sources
    annex name them.)"""
    tax = selection.taxonomy
    f = selection.filters
    parts: list[str] = []
    if f.themes:
        parts.append("measures on " + _or([tax.theme_label(t).lower() for t in f.themes]))
    if f.instruments:
        parts.append(
            "instruments: "
            + _or([tax.instrument_type_label(i) or tax.instrument_family_label(i) for i in f.instruments])
        )
    if f.levels:
        parts.append("the " + _or([lvl.value for lvl in f.levels]) + " level")
    if f.jurisdictions:
        names = {j.code: j.name for j in tax.jurisdictions}
        parts.append(_or([names.get(c, c) for c in f.jurisdictions]))
    if not parts:
        return ""
    return (
        "This view is filtered: it shows this brief's selection only ("
        + "; ".join(parts)
        + "), not everything the source documents report."
    )


def _table_count(name: str, data: Any) -> int:
    """How many numbered tables a view renders: the alignment view one per kind of
    priority (themes, instruments), every other table view one."""
    if name == "alignment":
        return len({p.kind for p in data.priorities})
    return 1


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


class ViewRenderer:
    def __init__(
        self,
        env: jinja2.Environment,
        corpus: Corpus,
        selection: Selection,
        charts: dict[str, Chart],
        citations: Citations,
        medium: str,
    ) -> None:
        self.env = env
        self.corpus = corpus
        self.selection = selection
        self.charts = charts
        self.citations = citations
        self.medium = medium
        self.placed: list[str] = []
        self.tables = 0
        self.filter_note = filter_note(selection)

    def render(self, name: str) -> str:
        html = self._render(name)
        if self.filter_note and name != "limits":
            html += f'<p class="view-filter">{escape(self.filter_note)}</p>'
        return html

    def _render(self, name: str) -> str:
        self.placed.append(name)
        if name == "limits":
            return self.env.get_template("partials/view-limits.html").render(
                limits=analyse.evidence_limits(self.selection), medium=self.medium
            )
        if name in self.charts:
            number = sum(1 for v in self.placed if v in self.charts)
            # A chart kind's own figure template if it has one, else the shared one.
            template = self.env.select_template([f"partials/figure-{name}.html", "partials/figure.html"])
            return template.render(chart=self.charts[name], number=number, medium=self.medium)
        if name in TABLE_VIEWS:
            data = self._data(name)
            html = self.env.get_template(TABLE_VIEWS[name]).render(
                data=data,
                cite=self.citations.token,
                medium=self.medium,
                taxonomy=self.corpus.taxonomy,
                table_number=self.tables + 1,
            )
            self.tables += _table_count(name, data)
            return html
        # A chart view with no data in this selection renders nothing (the chart stage
        # skipped it); say so rather than leave a silent hole.
        return (
            f'<p class="view-empty">No {name} view: the documents this brief covers '
            "report nothing it could show.</p>"
        )

    def _data(self, name: str) -> Any:
        if name == "who":
            return analyse.who_does_what(self.selection)
        if name == "matrix":
            return analyse.measure_matrix(self.selection)
        if name == "alignment":
            return analyse.alignment(self.selection)
        if name == "measures":
            return self.selection.measures
        return analyse.targets_table(self.selection)
