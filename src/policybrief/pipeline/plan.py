"""Planning: which products the build makes (the defined briefs, then one digest per
document) and the edition date they carry."""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

from ..options import Options
from ..problems import ContentError, Problem

if TYPE_CHECKING:  # the models load pydantic: a build with nothing to do does without
    from ..corpus import Corpus
    from ..models import Brief, SourceDocument


def digest_brief(corpus: Corpus, doc_id: str, edition: dt.date) -> Brief:
    """The one-page digest every source document gets, without a brief file of its own."""
    return _digest_of(corpus.document(doc_id), edition)


def _digest_of(doc: SourceDocument, edition: dt.date) -> Brief:
    from ..models import Brief, BriefKind, Filters

    return Brief(
        id=f"digest-{doc.id}",
        title=doc.title,
        # The outlet is a free description ("Not named in the text", "Xinhua (reporting…)"):
        # a subtitle field of its own, never a keyword.
        subtitle=f"Digest of a {doc.kind.value.replace('-', ' ')} · Outlet: {doc.outlet} · {doc.published.label()}",
        kind=BriefKind.digest,
        audience="Analysts checking what one source reports",
        summary=doc.key_points[0],
        edition=edition,
        key_messages=doc.key_points[:6],
        covers=Filters(documents=[doc.id]),
        views=["measures", "targets"],
        keywords=["source digest", doc.kind.value.replace("-", " ")],
        body=doc.summary,
    )


def source_date_epoch(options: Options) -> int | None:
    """--source-date-epoch, else the SOURCE_DATE_EPOCH environment variable, else None."""
    epoch = options.source_date_epoch
    if epoch is None and os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        epoch = int(os.environ["SOURCE_DATE_EPOCH"])
    return epoch


def edition_date(corpus: Corpus, options: Options) -> dt.date:
    epoch = source_date_epoch(options)
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, dt.UTC).date()
    editions = [b.edition for b in corpus.briefs]
    return max(editions) if editions else max(d.published.date for d in corpus.documents)


def plan(corpus: Corpus, options: Options) -> list[Brief]:
    """Every product of the build: the defined briefs, then one digest per document."""
    built = edition_date(corpus, options)
    briefs = list(corpus.briefs) + [_digest_of(d, built) for d in corpus.documents]
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


def wanted(products: list[Brief], options: Options) -> list[Brief]:
    """The products this build renders and publishes (--only names some)."""
    return [b for b in products if not options.only or b.id in options.only]
