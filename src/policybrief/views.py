"""Comparison views a brief places with `::view NAME` (or lists under `views:`).

Tables (matrix, alignment, targets) are rendered from partial templates with the analysis
results; charts become figures pointing at their SVG files. Figures are numbered in the
order they are placed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jinja2

from . import analyse
from .corpus import Corpus
from .render import Citations

if TYPE_CHECKING:
    from .analyse import Selection
    from .charts import Chart

TABLE_VIEWS = {
    "matrix": "partials/view-matrix.html",
    "alignment": "partials/view-alignment.html",
    "targets": "partials/view-targets.html",
    "measures": "partials/view-measures.html",
}


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

    def render(self, name: str) -> str:
        self.placed.append(name)
        if name == "limits":
            return self.env.get_template("partials/view-limits.html").render(
                limits=analyse.evidence_limits(self.selection), medium=self.medium
            )
        if name in self.charts:
            number = sum(1 for v in self.placed if v in self.charts)
            return self.env.get_template("partials/figure.html").render(
                chart=self.charts[name], number=number, medium=self.medium
            )
        if name in TABLE_VIEWS:
            self.tables += 1
            return self.env.get_template(TABLE_VIEWS[name]).render(
                data=self._data(name),
                cite=self.citations.token,
                medium=self.medium,
                taxonomy=self.corpus.taxonomy,
                table_number=self.tables,
            )
        # A chart view with no data in this selection renders nothing (the chart stage
        # skipped it); say so rather than leave a silent hole.
        return (
            f'<p class="view-empty">No {name} view: the documents this brief covers '
            "report nothing it could show.</p>"
        )

    def _data(self, name: str) -> Any:
        if name == "matrix":
            return analyse.comparison_matrix(self.selection)
        if name == "alignment":
            return analyse.alignment(self.selection)
        if name == "measures":
            return self.selection.measures
        return analyse.targets_table(self.selection)
