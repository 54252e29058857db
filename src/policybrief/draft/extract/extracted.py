"""What reading a source file gives: its text and what the file says about itself.

Its own module, so that the format modules import it without importing the package that
dispatches to them (no import cycle).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Extracted:
    text: str
    format: str  # text | html | pdf | docx
    title: str | None = None  # from the file's own metadata, when it has one
    date: str | None = None  # ISO date from the file's metadata (HTML), when stated
    raw: bytes | None = None  # plain-text sources are stored byte for byte
