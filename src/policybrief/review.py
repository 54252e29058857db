"""Stale text: a brief's prose was written against data that has since changed.

Computed values (`[=count …]`, policybrief.computed) follow the data by themselves; the rest
of a brief's prose does not. A sentence such as "provinces report goals more than outcomes"
was true of the documents the analyst read when writing it, and may be false once a new
document joins the brief's selection. So each brief may carry a `reviewed` mark in its front
matter: the date an analyst last read its text against the data, and the data it rested on
then, written out in full (not a hash) so that a warning can say what changed and a reviewer
can read the mark in a diff:

    reviewed:
      date: 2026-12-02
      documents: [doc-a, doc-b]          # the brief's selection (one per line)
      figures:                           # every quantity its text cites, as displayed
        doc-a-target: "over 10,000 companies"

`policybrief review BRIEF` writes the mark from the current data (`mark_text`); the build and
`check` warn on every brief whose mark no longer matches (`stale_briefs`), naming the file,
the line of the mark and what changed, until the analyst re-reads the text and marks it
again. A brief without a mark gets one warning saying how to add it.

What the text "rests on": the documents in the brief's selection (one added or removed
changes what a comparison may claim) and each quantity its key messages and body cite (a
changed value, qualifier, scale or unit changes what a sentence says even when the figure
check still passes, e.g. a target that became a result).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .analyse import select
from .citations import cited_ids
from .corpus import Corpus
from .models import Brief, Quantity
from .problems import Problem


@dataclass(frozen=True)
class Basis:
    """The data a brief's prose rests on."""

    documents: tuple[str, ...]
    #: quantity id -> how the brief's figures would print it ("over 10,000 companies").
    figures: dict[str, str]


def describe(q: Quantity) -> str:
    """A quantity as one comparable line: value with qualifier, scale and unit, and kind."""
    return f"{q.display_value()} ({q.kind.value})"


def basis(corpus: Corpus, brief: Brief) -> Basis:
    documents = select(corpus, brief.covers).document_ids
    figures: dict[str, str] = {}
    for text in (*brief.key_messages, brief.body):
        for ident in cited_ids(text):
            try:
                record = corpus.citable(ident)[1]
            except KeyError:
                continue  # reported by the citation check
            if isinstance(record, Quantity):
                figures[ident] = describe(record)
    return Basis(tuple(sorted(documents)), dict(sorted(figures.items())))


def changes(brief: Brief, now: Basis) -> list[str]:
    """What differs between the brief's mark and `now`, one phrase each; [] when current."""
    mark = brief.reviewed
    if mark is None:
        return []
    out: list[str] = []
    before = set(mark.documents)
    added = [d for d in now.documents if d not in before]
    removed = sorted(before - set(now.documents))
    if added:
        out.append(f"document{'s' if len(added) > 1 else ''} {', '.join(added)} added to its selection")
    if removed:
        out.append(
            f"document{'s' if len(removed) > 1 else ''} {', '.join(removed)} no longer in its selection"
        )
    for ident, shown in now.figures.items():
        old = mark.figures.get(ident)
        if old is None:
            out.append(f"{ident} is cited but was not when the text was reviewed")
        elif old != shown:
            out.append(f"{ident} changed from '{old}' to '{shown}'")
    for ident in sorted(set(mark.figures) - set(now.figures)):
        out.append(f"{ident} is no longer cited or no longer a quantity")
    return out


def stale_briefs(corpus: Corpus) -> Iterator[Problem]:
    """A warning for each brief whose text may rest on data that has changed since review."""
    for brief in corpus.briefs:
        rel, located = corpus.origins[("brief", brief.id)]
        how = f"read its text against the data, then run `policybrief review {brief.id}`"
        if brief.reviewed is None:
            yield Problem(
                rel,
                located.line_of(("id",)),
                "reviewed",
                f"no reviewed mark, so changes to the data this text rests on cannot be caught: {how}",
                severity="warning",
            )
            continue
        found = changes(brief, basis(corpus, brief))
        if found:
            yield Problem(
                rel,
                located.line_of(("reviewed",)),
                "reviewed",
                f"the text may be stale: since its review on {brief.reviewed.date.isoformat()}, "
                + "; ".join(found)
                + f". Check every sentence that rests on them; {how}",
                severity="warning",
            )


# ------------------------------------------------------------------- writing the mark

_FENCE = re.compile(r"^---[ \t]*$", re.M)


class MarkError(ValueError):
    """The file's front matter cannot take a mark (no closing `---`)."""


def mark_block(now: Basis, on: dt.date) -> str:
    """The `reviewed:` block, in the YAML subset the loader reads (JSON-quoted strings)."""
    lines = ["reviewed:", f"  date: {on.isoformat()}"]
    # One id per line: a document added or removed is one line of the diff.
    lines.append("  documents:" if now.documents else "  documents: []")
    lines.extend(f"    - {ident}" for ident in now.documents)
    if now.figures:
        lines.append("  figures:")
        lines.extend(
            f"    {ident}: {json.dumps(shown, ensure_ascii=False)}" for ident, shown in now.figures.items()
        )
    else:
        lines.append("  figures: {}")
    return "\n".join(lines) + "\n"


def mark_text(text: str, now: Basis, on: dt.date) -> str:
    """`text` (a brief file) with its `reviewed` block replaced by one for `now`, or added at
    the end of the front matter. Every other line is kept as written."""
    fences = list(_FENCE.finditer(text))
    if not text.startswith("---") or len(fences) < 2:
        raise MarkError("no front matter between --- lines")
    start, end = fences[0].end() + 1, fences[1].start()
    lines = text[start:end].splitlines(keepends=True)
    kept: list[str] = []
    skipping = False
    for line in lines:
        if line.startswith("reviewed:"):
            skipping = True
            continue
        # The old block runs on over indented, blank and comment lines.
        if skipping and (line[:1] in (" ", "\t", "\n", "#") or not line.strip()):
            continue
        skipping = False
        kept.append(line)
    if kept and not kept[-1].endswith("\n"):
        kept[-1] += "\n"
    return text[:start] + "".join(kept) + mark_block(now, on) + text[end:]


__all__ = ["Basis", "MarkError", "basis", "changes", "describe", "mark_block", "mark_text", "stale_briefs"]
