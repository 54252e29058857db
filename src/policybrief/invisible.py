"""Invisible characters in content: refused or flagged, with their line.

A bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069) makes text display in
another order than it is written: in a published brief a name or figure could read
differently from what the data says and what the checks read (the "Trojan Source" trick).
Content never needs them: names in another script are isolated by the templates
(`dir="auto"` on every name in another language), so these characters are an error.

A zero-width space, word joiner or byte order mark inside text (U+200B, U+2060, U+FEFF) is
invisible too, and makes two names that look the same compare different. But Thai, Khmer,
Lao and Burmese text uses U+200B to mark word breaks, so these are a warning, not an error.
Zero-width joiners and non-joiners (U+200C, U+200D) and the left-to-right and right-to-left
marks (U+200E, U+200F) are part of how Devanagari, Arabic and Persian are written: allowed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from .problems import Problem, field_path
from .yamlmap import Located

_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]")


def _name(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed').lower()})"


#: (characters, what the message says about them, severity), checked in this order.
_RULES = (
    (
        _BIDI,
        "bidirectional control character {}: it makes text display in another order than it "
        "is written; remove it (names in other scripts are isolated by the templates)",
        "error",
    ),
    (
        _ZERO_WIDTH,
        "invisible character {}: kept as written, but names that look alike will compare "
        "different; remove it unless the script needs it (Thai, Khmer, Lao, Burmese word breaks)",
        "warning",
    ),
)


def _text_problems(text: str, path: str, line: int, field: str, by_offset: bool) -> Iterator[Problem]:
    for pattern, message, severity in _RULES:
        for match in pattern.finditer(text):
            at = line + (text.count("\n", 0, match.start()) if by_offset else 0)
            yield Problem(path, at, field, message.format(_name(match.group())), severity=severity)


def scan_data(located: Located, path: str) -> Iterator[Problem]:
    """Problems for every string (keys included) in parsed YAML data."""

    def walk(value: object, loc: tuple[str | int, ...]) -> Iterator[Problem]:
        if isinstance(value, str):
            yield from _text_problems(value, path, located.line_of(loc), field_path(loc), False)
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str):
                    yield from _text_problems(key, path, located.line_of((*loc, key)), field_path(loc), False)
                yield from walk(item, (*loc, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from walk(item, (*loc, i))

    yield from walk(located.data, ())


def scan_body(text: str, path: str, first_line: int, field: str) -> Iterator[Problem]:
    """Problems in a Markdown body that starts on `first_line`."""
    yield from _text_problems(text, path, first_line, field, True)


__all__ = ["scan_body", "scan_data"]
