"""Words shared by the chart kinds' captions, alt text and labels (no drawing here)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence


def lower_first(label: str) -> str:
    """'Digital transformation' → 'digital transformation'; 'SMEs' stays as it is."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def join_some(items: Sequence[str], limit: int = 3) -> str:
    """'a, b and c'; past `limit` items, 'a, b, c and others'."""
    if len(items) <= limit:
        return join(items)
    return ", ".join(items[:limit]) + " and others"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def source(doc_ids: Sequence[str]) -> str:
    """The source line a chart writes: how many documents it draws on. Internal ids are no
    reader's business; a brief names the documents by outlet and date (`documents`)."""
    return f"Source: analysis of {plural(len(set(doc_ids)), 'document')}."


def documents(doc_ids: Sequence[str]) -> tuple[str, ...]:
    """The ids of the documents a chart draws on, each once, sorted (for `Chart.documents`)."""
    return tuple(sorted(set(doc_ids)))


def wrap(text: str, width: int, lines: int | None = 2) -> str:
    """`text` in lines of `width` characters at most; past `lines` lines, shortened with "…"
    (`lines=None`: as many lines as it takes, nothing cut)."""
    wrapped = textwrap.wrap(text, width, break_on_hyphens=False) or [""]
    if lines is not None and len(wrapped) > lines:
        rest = textwrap.shorten(" ".join(wrapped[lines - 1 :]), width, placeholder="…")
        wrapped = [*wrapped[: lines - 1], rest]
    return "\n".join(wrapped)
