"""Citation markers in editorial text: `[@id]` or `[@id; other-id]`.

An id names a source document, a measure or a quantity; the renderer turns each marker into
a numbered reference to the sources annex. `sentences` splits prose the way the checks read
it: a figure and the citation that vouches for it stand in one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

CITATION_RE = re.compile(r"\[@([a-z0-9][a-z0-9-]*(?:\s*;\s*@?[a-z0-9][a-z0-9-]*)*)\]")

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z\"“(*\[])|\n\s*\n|\n(?=\s*[-*+]\s|\s*\d+\.\s|#)")
_LIST_MARKER = re.compile(r"^\s*\d+\.\s", re.M)


# A computed quantity value (policybrief.computed) cites its quantity when expanded.
_COMPUTED_CITE_RE = re.compile(r"\[=(?:value|number)\s+([a-z0-9][a-z0-9-]*)\s*\]", re.I)


def cited_ids(text: str) -> list[str]:
    """Every id `text` cites, in order: `[@id]` markers and computed quantity values."""
    found: list[tuple[int, str]] = []
    for match in CITATION_RE.finditer(text):
        found.extend((match.start(), part.strip().lstrip("@")) for part in match.group(1).split(";"))
    found.extend((m.start(), m.group(1)) for m in _COMPUTED_CITE_RE.finditer(text))
    return [ident for _, ident in sorted(found, key=lambda item: item[0])]


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) for each sentence of `text`; list items and paragraphs end one."""
    split_text = _LIST_MARKER.sub(lambda m: " " * len(m.group(0)), text)
    start = 0
    for match in [*_SENTENCE_END.finditer(split_text), None]:
        end = match.start() if match else len(text)
        yield start, text[start:end]
        start = match.end() if match else len(text)


def numbers_without_citation(text: str) -> Iterator[tuple[str, int]]:
    """Yield (figure, offset): the first figure of each sentence that carries no citation."""
    from .figures import find_figures

    for start, sentence in sentences(text):
        if not CITATION_RE.search(sentence):
            for fig in find_figures(sentence):
                yield fig.text, start + fig.start
                break  # one report per sentence is enough to find it
