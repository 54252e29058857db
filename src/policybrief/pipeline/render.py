"""Rendering one product into the build cache: its files as blobs, its entry under its key.

Inside a product, the PDF and the charts have cache entries of their own (keys.pdf_key,
keys.chart_key), so an edit that leaves a brief's printed page unchanged costs no WeasyPrint
run and rewording a summary draws no chart again.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from ..analyse import Selection
from ..cache import Cache
from ..charts import Chart, chart_input, render_charts
from ..corpus import Corpus
from ..models import Brief, Taxonomy
from ..options import Options
from ..problems import Problem
from .entry import INDEX, ProductEntry
from .keys import RenderKeys, chart_key, pdf_key


@dataclass(frozen=True)
class RenderContext:
    """What rendering any product of one build needs: set once per process."""

    corpus: Corpus
    options: Options
    edition: dt.date
    cache: Cache
    keys: RenderKeys


def render_into_cache(ctx: RenderContext, brief: Brief, key: str) -> ProductEntry:
    """Render one product; store its files and its entry under `key`; return the entry."""
    from ..products import render_product

    cache = ctx.cache
    started = time.perf_counter()
    pdf_used: list[str] = []

    def write_pdf(
        page_html: str, page_dir: str, files: dict[str, bytes], options: Options, brief: Brief
    ) -> tuple[bytes, int]:
        pdf = pdf_key(page_html, page_dir, files, brief, options.paper, ctx.keys)
        pdf_used.append(pdf)
        return _cached_pdf(ctx, pdf, page_html, page_dir, files, brief)

    def charts(selection: Selection, views: Sequence[str], taxonomy: Taxonomy) -> list[Chart]:
        return _cached_charts(ctx, selection, views, taxonomy)

    product = render_product(
        ctx.corpus, brief, ctx.options, ctx.edition, write_pdf=write_pdf, render_charts=charts
    )
    entry = ProductEntry(
        product=brief.id,
        files={rel: (cache.put_blob(data), len(data)) for rel, data in sorted(product.files.items())},
        templates=dict(sorted(product.templates.items())),
        pdf=pdf_used[-1] if pdf_used else None,
        pdf_pages=product.pdf_pages,
        seconds=round(time.perf_counter() - started, 3),
    )
    cache.put_entry("product", key, entry.to_payload())
    return entry


def _cached_pdf(
    ctx: RenderContext, key: str, page_html: str, page_dir: str, files: dict[str, bytes], brief: Brief
) -> tuple[bytes, int]:
    cache = ctx.cache
    entry = cache.get_entry("pdf", key)
    if entry is not None and isinstance(entry.get("pages"), int):
        data = cache.get_blob(entry["pdf"][0])
        if data is not None:
            return data, entry["pages"]
    from ..pdf import write_pdf

    data, pages = write_pdf(page_html, page_dir=page_dir, files=files, options=ctx.options, brief=brief)
    html = page_html.encode()
    cache.put_entry(
        "pdf",
        key,
        {
            "pdf": [cache.put_blob(data), len(data)],
            "pages": pages,
            # Kept for the benchmark's floor: the exact page WeasyPrint was given.
            "html": [cache.put_blob(html), len(html)],
            "page_dir": page_dir,
            "files": {rel: [cache.put_blob(d), len(d)] for rel, d in sorted(files.items())},
        },
    )
    return data, pages


def _cached_charts(
    ctx: RenderContext, selection: Selection, views: Sequence[str], taxonomy: Taxonomy
) -> list[Chart]:
    cache = ctx.cache
    data = chart_input(selection, taxonomy)
    key = chart_key(data, views, ctx.keys)
    entry = cache.get_entry("charts", key)
    if entry is not None:
        blob = cache.get_blob(entry["blob"][0])
        if blob is not None:
            return [Chart.from_json(c) for c in json.loads(blob)]
    charts = render_charts(data, views, taxonomy)
    blob = json.dumps([c.to_json() for c in charts], sort_keys=True).encode()
    cache.put_entry("charts", key, {"blob": [cache.put_blob(blob), len(blob)]})
    return charts


def render_index(
    corpus: Corpus, products: list[Brief], options: Options, edition: dt.date, cache: Cache, key: str
) -> ProductEntry:
    """The site's index page and assets, into the cache like a product."""
    from ..products import render_index as render

    index = render(corpus, products, options, edition)
    entry = ProductEntry(
        product=INDEX,
        files={rel: (cache.put_blob(data), len(data)) for rel, data in sorted(index.files.items())},
        templates=dict(sorted(index.templates.items())),
    )
    cache.put_entry("product", key, entry.to_payload())
    return entry


def template_problem(options: Options, exc: BaseException) -> Problem | None:
    """A template error as a content problem naming the template file, else None."""
    jinja2 = sys.modules.get("jinja2")
    if jinja2 is None:
        return None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Problem(
            _template_path(options, exc.name or exc.filename or "?"),
            exc.lineno,
            "",
            f"template error: {exc.message}",
        )
    if isinstance(exc, jinja2.TemplateNotFound):
        return Problem(_template_path(options, exc.name), None, "", "template not found")
    return None


def _template_path(options: Options, name: str) -> str:
    return options.theme.display_name(name, options.project)
