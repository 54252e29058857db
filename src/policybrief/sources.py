"""Verify evidence anchors against the source files, and measure how well numbers are anchored.

No policy tracker checks that a recorded figure is really in the cited source; this does.
Each summary names its source file and the SHA-256 the analyst read. An anchor must occur in
that file, verbatim up to white space and typographic quotes, and a quantity's anchor must
contain its value as the source writes it (digits, number words, scale words, percentages;
a damaged anchor only through a reading that an extraction note records). That every
figure in a summary's prose is a recorded quantity is checked with the content
(policybrief.validate), since it needs no source file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from .agreement import judge
from .corpus import Corpus
from .draft.numbers import chinese_figures, is_chinese
from .figures import find_figures, ordinals
from .limits import DEFAULT_LIMITS, Limits
from .models import Evidence, NoteKind, Quantity, SourceDocument
from .problems import Problem, field_path
from .safefiles import UnsafeFile, plain_name, read_bytes

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normalise(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split())


@dataclass
class DocumentCoverage:
    document: str
    anchors: int = 0
    anchors_found: int = 0
    numbers: int = 0  # figures recorded as quantities plus figures in the prose
    numbers_anchored: int = 0
    source_status: str = "ok"  # ok | missing | changed | unchecked


@dataclass
class SourceReport:
    problems: list[Problem] = field(default_factory=list)
    coverage: list[DocumentCoverage] = field(default_factory=list)

    @property
    def unchecked(self) -> int:
        return sum(c.anchors - c.anchors_found for c in self.coverage if c.source_status != "ok")


def evidence_of(doc: SourceDocument) -> Iterator[tuple[tuple[str | int, ...], Evidence]]:
    """Every evidence anchor in a summary, with its location."""
    for n_i, note in enumerate(doc.notes):
        if note.evidence:
            yield ("notes", n_i, "evidence", "anchor"), note.evidence
    for m_i, measure in enumerate(doc.measures):
        for e_i, ev in enumerate(measure.evidence):
            yield ("measures", m_i, "evidence", e_i, "anchor"), ev
        for q_i, qty in enumerate(measure.quantities):
            yield ("measures", m_i, "quantities", q_i, "evidence", "anchor"), qty.evidence
    for q_i, qty in enumerate(doc.quantities):
        yield ("quantities", q_i, "evidence", "anchor"), qty.evidence


def quantities_of(doc: SourceDocument) -> list[Quantity]:
    return [q for m in doc.measures for q in m.quantities] + list(doc.quantities)


def _source_bytes(folder: Path, name: str, limits: Limits) -> tuple[bytes, str | None]:
    """The source file's bytes, or why it is not read: a source file is a plain name of a
    regular file inside the sources folder (policybrief.safefiles), never a path that
    would let a summary make the check read, hash and answer guesses about any file."""
    why = plain_name(name)
    if why is not None:
        return b"", f"source file name '{name}' {why}"
    path = folder / name
    if not path.exists() and not path.is_symlink():
        return b"", f"source file '{name}' not found in {folder}"
    try:
        return read_bytes(path, folder, limits.max_source_bytes), None
    except UnsafeFile as exc:
        return b"", f"source file '{name}' {exc}"
    except OSError as exc:
        return b"", f"source file '{name}' cannot be read ({exc.strerror})"


def verify_sources(corpus: Corpus, sources_dir: Path, limits: Limits = DEFAULT_LIMITS) -> SourceReport:
    report = SourceReport()
    for doc in corpus.documents:
        rel, located = corpus.origins[("document", doc.id)]
        cov = DocumentCoverage(doc.id)
        report.coverage.append(cov)
        evidence = list(evidence_of(doc))
        cov.anchors = len(evidence)
        text: str | None = None
        data, problem = _source_bytes(sources_dir, doc.source.file, limits)
        if problem is not None:
            cov.source_status = "missing"
            report.problems.append(Problem(rel, located.line_of(("source", "file")), "source.file", problem))
        elif (digest := hashlib.sha256(data).hexdigest()) != doc.source.sha256:
            cov.source_status = "changed"
            report.problems.append(
                Problem(
                    rel,
                    located.line_of(("source", "sha256")),
                    "source.sha256",
                    f"source file '{doc.source.file}' has changed since it was summarised "
                    f"(SHA-256 is now {digest}): re-read it and update the summary",
                )
            )
        else:
            try:
                text = normalise(data.decode("utf-8-sig"))
            except UnicodeDecodeError as exc:
                cov.source_status = "missing"
                report.problems.append(
                    Problem(
                        rel,
                        located.line_of(("source", "file")),
                        "source.file",
                        f"source file '{doc.source.file}' is not UTF-8 text (byte {exc.start:,} "
                        "cannot be decoded): convert it to UTF-8 text",
                    )
                )

        found_anchors: set[str] = set()
        if text is not None:
            for loc, ev in evidence:
                if normalise(ev.anchor) in text:
                    cov.anchors_found += 1
                    found_anchors.add(ev.anchor)
                else:
                    report.problems.append(
                        Problem(
                            rel,
                            located.line_of(loc),
                            field_path(loc),
                            f'anchor not found in {doc.source.file}: "{ev.anchor}"',
                        )
                    )

        quantities = quantities_of(doc)
        report.problems.extend(_values_in_anchors(corpus, doc))
        prose_figures = [fig for prose in (doc.summary, *doc.key_points) for fig in find_figures(prose)]
        cov.numbers = len(quantities) + len(prose_figures)
        anchored_q = sum(1 for q in quantities if text is None or q.evidence.anchor in found_anchors)
        anchored_prose = sum(1 for fig in prose_figures if judge(fig, quantities) is None)
        cov.numbers_anchored = (anchored_q + anchored_prose) if text is not None else 0
    return report


def _values_in_anchors(corpus: Corpus, doc: SourceDocument) -> Iterator[Problem]:
    """Each quantity's anchor contains its value as the source writes it. A damaged anchor
    ("1 2" for 12) passes through its `reading` only when an extraction note records that
    same reading."""
    rel, located = corpus.origins[("document", doc.id)]
    noted = {
        (note.evidence.anchor, note.evidence.reading)
        for note in doc.notes
        if note.kind is NoteKind.extraction and note.evidence is not None
    }
    for loc, qty in quantity_locations(doc):
        ev = qty.evidence
        where = (*loc, "evidence", "anchor")
        if _states(ev.anchor, qty):
            continue
        if ev.reading is None:
            message = (
                f"the anchor does not contain the value {qty.display_value()} "
                f'as the source writes it: "{ev.anchor}"'
            )
        elif (ev.anchor, ev.reading) not in noted:
            message = (
                f'the anchor "{ev.anchor}" states the value only through its reading '
                f'"{ev.reading}": add an extraction note that records this reading'
            )
        elif not _states(ev.reading, qty):
            message = f'the reading "{ev.reading}" does not contain the value {qty.display_value()}'
        else:
            continue
        yield Problem(rel, located.line_of(where), field_path(where), message)


def _states(text: str, qty: Quantity) -> bool:
    """Whether `text` writes the value of `qty` (its qualifier may stand outside the anchor)."""
    if qty.unit == "rank" and not isinstance(qty.value, tuple):
        return int(qty.value) in ordinals(text)
    if is_chinese(text):
        # Chinese figures keep 万 and 亿 in the unit as printed ("1 万家"), as the draft reads them.
        want = qty.value if isinstance(qty.value, tuple) else (qty.value, qty.value)
        for fig in chinese_figures(text):
            got = fig.value if isinstance(fig.value, tuple) else (fig.value, fig.value)
            if tuple(map(float, got)) == tuple(map(float, want)):
                return True
        return False
    if qty.amounts() == (1.0, 1.0) and re.search(r"\b(?:one|a single)\b", text, re.I):
        return True  # "one" is no figure in prose (an article), but states 1 in an anchor
    return any(
        judge(replace(fig, qualifier=qty.approx), [qty]) is None
        for fig in find_figures(text, keep_years=True)
    )


def quantity_locations(doc: SourceDocument) -> Iterator[tuple[tuple[str | int, ...], Quantity]]:
    for m_i, measure in enumerate(doc.measures):
        for q_i, qty in enumerate(measure.quantities):
            yield ("measures", m_i, "quantities", q_i), qty
    for q_i, qty in enumerate(doc.quantities):
        yield ("quantities", q_i), qty
