"""Web pages: the main text without navigation, adverts or comments, by trafilatura.

trafilatura (Apache-2.0) is maintained and scores well on main-text extraction benchmarks; it
keeps tables (`include_tables`), and it reads the page's title and date from its metadata.
It is called on bytes already read: it never fetches anything.
"""

from __future__ import annotations

from pathlib import Path

from .. import DraftError
from .extracted import Extracted
from .text import decode


def extract_html(path: Path, data: bytes) -> Extracted:
    import trafilatura

    html, _ = decode(path, data)
    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_tables=True, include_comments=False, favor_recall=True
        )
    except Exception as exc:  # trafilatura raises lxml's errors on broken markup
        raise DraftError(f"{path}: unreadable HTML ({exc.__class__.__name__}: {exc})") from None
    if doc is None or not (doc.text or "").strip():
        raise DraftError(f"{path}: no main text found in this HTML page")
    return Extracted(doc.text, "html", title=doc.title or None, date=doc.date or None)
