"""Plain-text sources: UTF-8 as they are; other encodings (GB 18030 is common for Chinese
policy texts) are detected with charset-normalizer and stored as UTF-8."""

from __future__ import annotations

from pathlib import Path

from .. import DraftError
from .extracted import Extracted


def decode(path: Path, data: bytes) -> tuple[str, bool]:
    """(text, was it UTF-8 already)."""
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DraftError(f"{path}: unreadable text: not UTF-8, and no other encoding fits")
    return str(best), False


def extract_text(path: Path, data: bytes) -> Extracted:
    text, utf8 = decode(path, data)
    # A UTF-8 file is stored byte for byte, so its SHA-256 is the one of the file received.
    return Extracted(text.removeprefix("\ufeff"), "text", raw=data if utf8 else None)
