"""Read a source file into text: plain text, HTML, PDF or Word, told apart by their bytes.

The extension must agree with what the bytes are (a "report.pdf" that is really a web page
is refused), so an analyst never drafts from a file that is not what its name says. Each
format has its own module; this one only recognises the format and dispatches.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .. import DraftError
from .extracted import Extracted

# A source larger than this is not a policy document but a mistake (a video, an archive).
MAX_BYTES = 50 * 1024 * 1024
SUPPORTED = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".pdf": "pdf", ".docx": "docx",
}  # fmt: skip


def sniff(data: bytes) -> str:
    """What the bytes are: pdf, docx, zip, ole (legacy Office), binary, html or text."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    head = data[:4096]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in lowered:
        return "html"
    return "text"


_WHAT = {
    "pdf": "a PDF",
    "zip": "a ZIP archive",
    "ole": "a legacy Office file (.doc, .xls)",
    "binary": "binary data",
    "html": "an HTML page",
    "text": "plain text",
    "docx": "a Word document",
}


def extract(path: Path) -> Extracted:
    """The text of a source file; DraftError with one clear sentence when it cannot be read."""
    suffix = path.suffix.lower()
    expected = SUPPORTED.get(suffix)
    if expected is None:
        names = ", ".join(sorted(SUPPORTED))
        raise DraftError(f"{path}: unsupported format '{suffix or '(no extension)'}': use one of {names}")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DraftError(
                f"{path}: too large ({size // 2**20} MiB; the limit is {MAX_BYTES // 2**20} MiB)"
            )
        data = path.read_bytes()
    except IsADirectoryError:
        raise DraftError(f"{path}: is a folder, not a file") from None
    except FileNotFoundError:
        raise DraftError(f"{path}: file not found") from None
    except OSError as exc:
        raise DraftError(f"{path}: cannot read: {exc.strerror}") from None
    if not data.strip():
        raise DraftError(f"{path}: the file is empty")

    found = sniff(data)
    if found == "zip" and expected == "docx":
        found = "docx" if _is_docx(data) else "zip"
    compatible = found == expected or (expected == "text" and found == "html" and suffix == ".md")
    if expected == "html" and found == "text":
        compatible = True  # an HTML fragment without <html>: trafilatura copes
    if not compatible:
        raise DraftError(
            f"{path}: not what its extension says: '{suffix}' should be {_WHAT[expected]}, "
            f"but the file is {_WHAT.get(found, found)}"
        )

    if expected == "text":
        from .text import extract_text

        result = extract_text(path, data)
    elif expected == "html":
        from .html import extract_html

        result = extract_html(path, data)
    elif expected == "pdf":
        from .pdf import extract_pdf

        result = extract_pdf(path, data)
    else:
        from .docx import extract_docx

        result = extract_docx(path, data)
    if not result.text.strip():
        raise DraftError(f"{path}: no text could be extracted from this {_WHAT[expected]}")
    return result


def _is_docx(data: bytes) -> bool:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
