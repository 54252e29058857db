"""PDF sources by pypdfium2 (PDFium: BSD-3-Clause / Apache-2.0), with a clean-up.

PDFium returns the text of each page line by line. The clean-up drops running heads and
feet (a line that recurs at the top or bottom of most pages, page numbers included), rejoins
words hyphenated across lines, joins Chinese lines without a space, and keeps a paragraph
break where a line ends a sentence well short of the right margin. The result is the text as
found: anchors are verified against it, so it is stored as is, damage included.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

from .. import DraftError
from .extracted import Extracted

MAX_PAGES = 2000
# A page with fewer characters than this has no text layer to speak of (a scan).
_MIN_CHARS_PER_PAGE = 20


def extract_pdf(path: Path, data: bytes) -> Extracted:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise DraftError(f"{path}: unreadable PDF ({exc})") from None
    try:
        if len(pdf) == 0:
            raise DraftError(f"{path}: the PDF has no pages")
        if len(pdf) > MAX_PAGES:
            raise DraftError(f"{path}: {len(pdf)} pages; the limit is {MAX_PAGES}")
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
    finally:
        pdf.close()
    chars = sum(len("".join(p.split())) for p in pages)
    if chars < _MIN_CHARS_PER_PAGE * len(pages):
        raise DraftError(
            f"{path}: the PDF has no text layer ({chars} characters on {len(pages)} page(s)); "
            "it looks scanned: run OCR on it first (for example ocrmypdf) and draft the result"
        )
    return Extracted(clean_pages(pages), "pdf", title=title)


def _lines(page: str) -> list[str]:
    return [line.strip() for line in page.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def _key(line: str) -> str:
    """A running head's identity: digits vary (page numbers), the words do not."""
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def clean_pages(pages: list[str]) -> str:
    page_lines = [[line for line in _lines(p) if line] for p in pages]
    # A running head or foot is among the first or last two lines of most pages (PDFium may
    # put a page's margin boxes after its body) and never a body line: body text that merely
    # repeats (a list of similar items) also appears inside pages.
    edges: Counter[str] = Counter()
    body: set[str] = set()
    for lines in page_lines:
        for line in {*lines[:2], *lines[-2:]}:
            edges[_key(line)] += 1
        body.update(_key(line) for line in lines[2:-2])
    threshold = max(2, len(pages) // 2 + 1)
    running = {key for key, n in edges.items() if n >= threshold and key not in body}
    page_number = re.compile(r"[-–—\s]*\d{1,4}[-–—\s]*|page \d+( of \d+)?", re.I)
    kept: list[str] = []
    for lines in page_lines:
        for i, line in enumerate(lines):
            at_edge = i < 2 or i >= len(lines) - 2
            if at_edge and (_key(line) in running or page_number.fullmatch(line)):
                continue
            kept.append(line)
    return _join(kept)


_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_SENTENCE_END = ("。", "！", "？", "：", ".", "!", "?", ":", '"', "”", ";")


def _join(lines: list[str]) -> str:
    if not lines:
        return ""
    width = sorted(len(line) for line in lines)[int(len(lines) * 0.9)]
    out = lines[0]
    for prev, line in itertools.pairwise(lines):
        short = len(prev) < 0.8 * width
        if (prev.endswith(_SENTENCE_END) and short) or (short and not prev.endswith(",")):
            out += "\n" + line  # the previous line ends its paragraph
        elif re.search(r"[A-Za-z][-\u2010\u00ad\x02]$", prev) and line[:1].islower():
            out = out[:-1] + line  # a word hyphenated across lines (hyphen, soft hyphen)
        elif _CJK.search(prev[-1:]) and _CJK.search(line[:1]):
            out += line  # Chinese has no spaces between words
        else:
            out += " " + line
    return out + "\n"
