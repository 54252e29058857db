"""Review markers: what a person must confirm in a drafted summary.

A draft writes `REVIEW:` beside every guess, either as a YAML comment after the guessed value
(`kind: target  # REVIEW: "aims to" reads as a goal`) or as the value itself when there is
nothing to guess (`title: "REVIEW: the title, in your own words"`). `check` and `build` report
each remaining marker as an error with its line, so the fresh draft's `check` output is the
review checklist, and a draft cannot be published until every marker is resolved and removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MARKER = "REVIEW:"
# Upper case and a colon: an anchor quoting ordinary prose ("a review of...") never matches.
_MARKER_RE = re.compile(r"\bREVIEW:\s*(.*)$")


def find_markers(text: str) -> Iterator[tuple[int, str]]:
    """(line number, what to confirm) for every review marker in a summary file."""
    for number, line in enumerate(text.splitlines(), start=1):
        match = _MARKER_RE.search(line)
        if match:
            what = match.group(1).strip()
            if line[: match.start()].rstrip().endswith('"'):  # the marker is a quoted value
                what = what.removesuffix('"').strip()
            yield number, what or "confirm this line"
