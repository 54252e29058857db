"""Check Markdown for structure that would make the converter run for minutes, before it runs.

python-markdown's inline patterns are regular expressions that look ahead for the closing
half of a construct. Text with many openers that never close (`[[[[…`, `[a](` repeated,
`<a ` repeated, backtick runs of many lengths) makes each opener scan the rest of the
paragraph: quadratic time, measured at 19 s for 4,000 `[` and minutes beyond. Nested lists
and deeply nested raw HTML recurse. None of this occurs in prose an analyst writes, so
instead of converting under a timer we refuse it, naming the line, with limits that are far
above any real text (policybrief.limits.Limits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .limits import Limits

# Openers and closers counted per paragraph. `<` counts only where it could open a tag,
# comment or processing instruction (a letter, '/', '!' or '?' follows).
_TOKEN = re.compile(r"\\.|[\[\]()>]|<[A-Za-z/!?]|`+", re.S)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(/?)>")
_VOID = {"br", "hr", "img", "wbr", "input", "meta", "link", "col", "area", "base", "source", "track"}
_VIEW_LINE = re.compile(r"^::view\s+\S+\s*$", re.M)
_MAX_BACKTICKS = 16


@dataclass(frozen=True)
class Hazard:
    line: int  # 1-based, within the text
    message: str


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def markdown_hazard(text: str, limits: Limits, *, body: bool = False) -> Hazard | None:
    """The first reason `text` may not be converted, or None. `body` applies the limits on
    whole bodies (size, table rows); short fields are bounded by the file size."""
    if body and len(text) > limits.max_body_chars:
        return Hazard(
            1,
            f"{len(text):,} characters is longer than the limit of {limits.max_body_chars:,} "
            "([limits] max_body_chars in policybrief.toml): split it or shorten it",
        )
    return (
        _inline_hazard(text, limits.max_inline_nesting)
        or _block_hazard(text, limits.max_inline_nesting)
        or _html_hazard(text, limits.max_inline_nesting)
        or (_table_hazard(text, limits.max_table_rows) if body else None)
    )


def _inline_hazard(text: str, limit: int) -> Hazard | None:
    depth = {"[": 0, "(": 0, "<": 0}
    closer = {"]": "[", ")": "(", ">": "<"}
    names = {"[": "'['", "(": "'('", "<": "'<' tags"}
    paragraph_start = 0
    for match in _TOKEN.finditer(text):
        if "\n\n" in text[paragraph_start : match.start()] or re.search(
            r"\n[ \t]*\n", text[paragraph_start : match.start()]
        ):
            depth = dict.fromkeys(depth, 0)  # inline structure never spans paragraphs
        paragraph_start = match.start()
        token = match.group()
        if token[0] == "\\":
            continue
        if token[0] == "`":
            if len(token) > _MAX_BACKTICKS:
                return Hazard(
                    _line(text, match.start()), f"a run of {len(token)} backticks (at most {_MAX_BACKTICKS})"
                )
            continue
        key = token[0]
        if key in closer:
            opened = closer[key]
            depth[opened] = max(0, depth[opened] - 1)
            continue
        depth[key] += 1
        if depth[key] > limit:
            return Hazard(
                _line(text, match.start()),
                f"more than {limit} unclosed {names[key]} in one paragraph "
                "([limits] max_inline_nesting in policybrief.toml): close them, or escape them with a backslash",
            )
    return None


def _block_hazard(text: str, limit: int) -> Hazard | None:
    """Nested lists and quotes: python-markdown recurses once per level."""
    max_indent = 4 * limit
    for number, line in enumerate(text.splitlines(), start=1):
        prefix = re.match(r"[ \t>]*", line).group()  # type: ignore[union-attr]
        if prefix.count(">") > limit:
            return Hazard(
                number,
                f"quotes nested more than {limit} deep ([limits] max_inline_nesting in policybrief.toml)",
            )
        indent = len(prefix.replace(">", "").expandtabs(4))
        if indent > max_indent:
            return Hazard(
                number,
                f"indented {indent} columns: lists nest at most {limit} deep "
                f"({max_indent} columns; [limits] max_inline_nesting in policybrief.toml)",
            )
    return None


def _html_hazard(text: str, limit: int) -> Hazard | None:
    depth = 0
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.groups()
        if name.lower() in _VOID or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
            continue
        depth += 1
        if depth > limit:
            return Hazard(
                _line(text, match.start()),
                f"raw HTML nested more than {limit} tags deep ([limits] max_inline_nesting in policybrief.toml)",
            )
    return None


def _table_hazard(text: str, limit: int) -> Hazard | None:
    rows = 0
    for number, line in enumerate(text.splitlines(), start=1):
        rows = rows + 1 if line.lstrip().startswith("|") else 0
        if rows > limit + 2:  # the header and its separator line
            return Hazard(
                number, f"a table of more than {limit:,} rows ([limits] max_table_rows in policybrief.toml)"
            )
    return None


def view_count(text: str) -> int:
    return len(_VIEW_LINE.findall(text))


__all__ = ["Hazard", "markdown_hazard", "view_count"]
