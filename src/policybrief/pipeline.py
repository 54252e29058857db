"""The build: load → analyse → chart → render → publish, then one atomic swap into output/.

Everything a product (one brief: page, PDF, charts, data) needs is rendered into memory
first; files are written to a staging folder beside output/, and output/ is replaced only
when the whole build has succeeded. A failed or killed build leaves output/ as it was.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import __version__
from .load import Corpus, load_corpus
from .models import Brief, BriefKind, Filters
from .options import Options
from .problems import ContentError, Problem
from .products import ProductFiles, render_index, render_product
from .publish import publish

log = logging.getLogger("policybrief")


@dataclass
class BuildResult:
    output: Path
    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    files: int = 0
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    unchecked_anchors: int = 0

    def summary(self) -> str:
        parts = [f"built {len(self.built)} brief(s)"]
        if self.reused:
            parts.append(f"reused {len(self.reused)} unchanged")
        parts.append(f"{self.files} files in {self.output}")
        parts.append(f"{self.seconds:.1f} s")
        text = "Done: " + ", ".join(parts) + "."
        if self.unchecked_anchors:
            text += (
                f" {self.unchecked_anchors} evidence anchors were not checked against sources"
                " (run with --sources DIR to verify them)."
            )
        return text


def digest_brief(corpus: Corpus, doc_id: str, edition: dt.date) -> Brief:
    """The one-page digest every source document gets, without a brief file of its own."""
    doc = corpus.document(doc_id)
    return Brief(
        id=f"digest-{doc.id}",
        title=doc.title,
        subtitle=f"Source digest: {doc.outlet}, {doc.published.label()}",
        kind=BriefKind.digest,
        audience="Analysts checking what one source reports",
        summary=doc.key_points[0],
        edition=edition,
        key_messages=doc.key_points[:6],
        covers=Filters(documents=[doc.id]),
        views=["measures", "targets"],
        keywords=["digest", doc.outlet],
        body=doc.summary,
    )


def edition_date(corpus: Corpus, options: Options) -> dt.date:
    epoch = options.source_date_epoch
    if epoch is None and os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        epoch = int(os.environ["SOURCE_DATE_EPOCH"])
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, dt.UTC).date()
    editions = [b.edition for b in corpus.briefs]
    return max(editions) if editions else max(d.published.date for d in corpus.documents)


def plan(corpus: Corpus, options: Options) -> list[Brief]:
    """Every product of the build: the defined briefs, then one digest per document."""
    built = edition_date(corpus, options)
    briefs = list(corpus.briefs) + [digest_brief(corpus, d.id, built) for d in corpus.documents]
    if options.only:
        known = {b.id for b in briefs}
        unknown = [b for b in options.only if b not in known]
        if unknown:
            raise ContentError(
                [
                    Problem("--only", None, "", f"no brief '{b}' (known: {', '.join(sorted(known))})")
                    for b in unknown
                ]
            )
    return briefs


def build(options: Options) -> BuildResult:
    try:
        return _build(options)
    except jinja2.TemplateSyntaxError as exc:
        raise ContentError(
            [
                Problem(
                    _template_path(options, exc.name or exc.filename or "?"),
                    exc.lineno,
                    "",
                    f"template error: {exc.message}",
                )
            ]
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise ContentError(
            [Problem(_template_path(options, exc.name), None, "", "template not found")]
        ) from None


def _template_path(options: Options, name: str) -> str:
    try:
        return str((options.templates / name).relative_to(options.project))
    except ValueError:
        return str(options.templates / name)


def _build(options: Options) -> BuildResult:
    started = time.perf_counter()
    corpus = load_corpus(options.content)
    products = plan(corpus, options)
    result = BuildResult(options.output, warnings=list(corpus.warnings))
    result.unchecked_anchors = _anchor_count(corpus)
    edition = edition_date(corpus, options)

    wanted = [b for b in products if not options.only or b.id in options.only]
    rendered: list[ProductFiles] = []
    for brief in wanted:
        log.info("  %-44s rendering", brief.id)
        files = render_product(corpus, brief, options, edition)
        rendered.append(files)
        result.built.append(brief.id)
        log.info("  %-44s %d files", brief.id, len(files.files))
    index = render_index(corpus, products, options, edition)
    result.files = publish(options, rendered, index, keep_others=bool(options.only), edition=edition)
    result.seconds = time.perf_counter() - started
    return result


def _anchor_count(corpus: Corpus) -> int:
    from .sources import evidence_of

    return sum(len(list(evidence_of(d))) for d in corpus.documents)


__all__ = ["BuildResult", "__version__", "build", "plan"]
