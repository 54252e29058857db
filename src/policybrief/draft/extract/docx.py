"""Word documents by python-docx (MIT): paragraphs and tables in document order, one line
each; a table row becomes one line with its cells separated by " | "."""

from __future__ import annotations

import io
from pathlib import Path

from .. import DraftError
from .extracted import Extracted

# A .docx is a ZIP archive: its parts, unpacked, may not exceed this (a "zip bomb" of a few
# megabytes can unpack to gigabytes and exhaust memory).
MAX_UNPACKED = 200 * 1024 * 1024


def extract_docx(path: Path, data: bytes) -> Extracted:
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise DraftError(f"{path}: unreadable Word document (a damaged ZIP archive)") from None
    if unpacked > MAX_UNPACKED:
        raise DraftError(
            f"{path}: unpacks to {unpacked // 2**20} MiB; the limit is {MAX_UNPACKED // 2**20} MiB"
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors on damage
        raise DraftError(f"{path}: unreadable Word document ({exc.__class__.__name__})") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                lines.append(block.text.strip())
        elif isinstance(block, Table):
            for row in block.rows:
                cells = [" ".join(c.text.split()) for c in row.cells]
                # Merged cells repeat their text in every grid cell they span: keep one.
                unique = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
                if unique:
                    lines.append(" | ".join(unique))
    title = document.core_properties.title or None
    return Extracted("\n".join(lines) + "\n", "docx", title=title)
