"""Text for the terminal: content never gets to send control sequences.

Ids, file names and messages printed by the CLI can carry what content holds. An escape
character would let a file name recolour the terminal, move the cursor, rewrite earlier
lines or set the window title; a bidi override would make a message read differently from
what it says. Every such character is shown as a visible escape (`\\x1b`, `\\u202e`).
"""

from __future__ import annotations

import logging
import re

# C0 and C1 controls (tab and newline included: a problem is one line), DEL, and the
# invisible formatting characters that reorder or hide text.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: object, keep_newlines: bool = False) -> str:
    """`text` with every control or invisible formatting character escaped."""
    value = str(text)
    if keep_newlines:
        return "\n".join(_UNSAFE.sub(_escape, line) for line in value.split("\n"))
    return _UNSAFE.sub(_escape, value)


class SafeFormatter(logging.Formatter):
    """A log formatter whose messages cannot carry terminal control sequences."""

    def format(self, record: logging.LogRecord) -> str:
        return safe(super().format(record), keep_newlines=True)


__all__ = ["SafeFormatter", "safe"]
