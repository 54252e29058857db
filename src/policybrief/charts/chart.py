"""What the chart stage takes and what it gives, as plain frozen data.

A `Chart` holds only what it produces (SVG text, alt text, caption, source line, the table
of its numbers, its size): strings, numbers and tuples of them, so it goes to JSON and back
by its fields alone, and the build caches it without knowing how it was drawn. A
`ChartInput` holds only what the chart functions read, so that the cache key, taken from it,
describes the chart exactly. Neither imports matplotlib: reading charts from the cache must
not load it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..analyse import Compared, MeasureRef, QuantityRef
    from ..models import Taxonomy


@dataclass(frozen=True)
class DataTable:
    """The numbers behind a chart, as text: for a data table under the figure."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    id: str  # the view name: one of charts.KINDS
    svg: str  # a complete SVG document (ids prefixed with "<id>-"; role="img" and <title>)
    alt: str  # what a screen-reader user needs: the main values, generated from the data
    caption: str  # the finding, computed from the data
    # The source line under the figure. The chart writes a count ("Source: analysis of 3
    # documents."); the brief replaces it with the documents' outlets and dates, which the
    # chart does not read (so that the chart cache keys only on what it draws).
    source: str
    data_summary: DataTable
    width_cm: float
    height_cm: float
    documents: tuple[str, ...] = ()  # the ids of the documents the chart draws on, sorted

    @property
    def svg_element(self) -> str:
        """The <svg> element alone, without the XML declaration and doctype: for inlining
        in HTML (its ids are already unique to this chart)."""
        return self.svg[self.svg.index("<svg") :]

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Chart:
        """The chart `to_json` gave (JSON has lists where the fields have tuples)."""
        table = data["data_summary"]
        return cls(
            **{
                **data,
                "data_summary": DataTable(
                    tuple(table["columns"]), tuple(tuple(row) for row in table["rows"])
                ),
                "documents": tuple(data.get("documents", ())),
            }
        )


@dataclass(frozen=True)
class ChartInput:
    """Everything a chart function reads: the taxonomy, and the selection's measures and
    figures (each naming its document by id only). Not the documents' text, the brief or
    its filters: rewording a summary leaves every chart as it was, and cached."""

    taxonomy: Taxonomy
    measures: tuple[MeasureRef, ...]
    quantities: tuple[QuantityRef, ...]
    #: The themes the brief is narrowed to, if any: a measure with several themes brings its
    #: other themes into the charts, and a caption must not make findings about those ("only
    #: zone measures cover services" where services were never selected for).
    themes: tuple[str, ...] = ()


def chart_input(selection: Compared, taxonomy: Taxonomy | None = None) -> ChartInput:
    """The part of a selection (an `analyse.Selection`, or a `ChartInput`) charts read."""
    filters = getattr(selection, "filters", None)
    themes = tuple(filters.themes) if filters is not None else getattr(selection, "themes", ())
    return ChartInput(taxonomy or selection.taxonomy, selection.measures, selection.quantities, themes)
