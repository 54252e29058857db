"""The chart kinds: the one place they are listed.

Each name is a view a brief can show (`views:` or `::view NAME`) and the module of this
package that draws it: `policybrief.charts.NAME`, whose function `NAME_chart` takes a
`ChartInput` and returns a `Chart`, or None when the input holds nothing to show. To add a
kind: write that module, add its name here (one line), and say what it shows in
docs/briefs.md. Briefs, validation and the build take the list from here.
"""

from __future__ import annotations

KINDS: tuple[str, ...] = (
    "heatmap",
    "timeline",
    "quantities",
    "tilemap",
)
