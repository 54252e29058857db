"""The build: load → plan → render each product (cached, in parallel) → index → publish.

Everything a product (one brief: page, PDF, charts, data) needs is rendered into the cache
first; output/ is then assembled in a staging folder beside it and swapped in only when the
whole build has succeeded. A failed or killed build leaves output/ as it was. Incremental
builds decide from content hashes, never from modification times.

One module per stage:

    plan.py     which products to build (the briefs, one digest per document), the edition
    keys.py     what each cache entry depends on: the input hashes, product, PDF and chart keys
    render.py   one product rendered into the cache (its PDF and charts cached on their own)
    workers.py  the worker pool that renders the products that missed the cache
    output.py   the output state: the last build's saved state, the files of the new output/
    run.py      the stages in order
    entry.py, result.py   the records they pass: a product's cache entry, the build's result
"""

from __future__ import annotations

from .. import __version__
from .plan import digest_brief, edition_date, plan
from .result import BuildResult
from .run import build

__all__ = ["BuildResult", "__version__", "build", "digest_brief", "edition_date", "plan"]
