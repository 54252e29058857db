"""Markdown from content to safe HTML.

Content is data, never code: Markdown goes through python-markdown (tables, footnotes,
attribute lists, table of contents) and then nh3 (Ammonia), which keeps only the tags and
attributes listed here. No <script>, no <style>, no event handlers, no images or iframes (a
brief's figures come from the chart stage, so content never makes WeasyPrint fetch
anything), and links only to http(s), mailto or in-page anchors. Content is never evaluated
as a Jinja template.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import markdown
import nh3

from .urls import allowed_href

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "b",
    "i",
    "sup",
    "sub",
    "small",
    "abbr",
    "span",
    "a",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "div",
    "section",
    "aside",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "lang", "title"},
    "a": {"href"},
    "th": {"scope", "colspan", "rowspan", "align", "style"},
    "td": {"colspan", "rowspan", "align", "style"},
    "ol": {"start"},
}
# python-markdown writes table alignment as style="text-align: …"; nothing else may pass.
_STYLE_OK = re.compile(r"^text-align:\s*(left|right|center);?$")

VIEW_RE = re.compile(r"<p>::view\s+([a-z]+)\s*</p>")
_TABLE_LIKE = re.compile(r"<p>\s*\|.*\|", re.S)


class MarkupError(ValueError):
    def __init__(self, line_in_body: int, message: str) -> None:
        super().__init__(message)
        self.line_in_body = line_in_body
        self.message = message


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[dict[str, object]]
    views: list[str]  # "::view NAME" placeholders, in order


_LOCAL = threading.local()


def _md() -> markdown.Markdown:
    """One converter per thread, reset between documents: building one costs more than most
    conversions (a brief renders a few hundred snippets)."""
    md = getattr(_LOCAL, "md", None)
    if md is None:
        md = _LOCAL.md = _new_md()
    md.reset()
    return md


def _new_md() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "footnotes", "attr_list", "toc", "sane_lists"],
        extension_configs={
            "toc": {"toc_depth": "2-3", "permalink": False},
            "footnotes": {"BACKLINK_TEXT": "↩"},
        },
        output_format="html",
    )


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "style":
        return value if _STYLE_OK.match(value.strip()) else None
    if attr == "href" and not allowed_href(value):
        return None
    return value


def render_markdown(text: str, shift_headings: int = 0) -> Rendered:
    """Markdown to sanitised HTML. `shift_headings` demotes headings (# becomes h2 when 1)."""
    _check_tables(text)
    if shift_headings:
        text = re.sub(
            r"^(#{1,5}) ", lambda m: "#" * (len(m.group(1)) + shift_headings) + " ", text, flags=re.M
        )
    md = _md()
    raw = md.convert(text)
    clean = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    views = VIEW_RE.findall(clean)
    toc = getattr(md, "toc_tokens", [])
    return Rendered(clean, toc, views)


def _check_tables(text: str) -> None:
    """A pipe table whose rows do not line up is an analyst's mistake, not prose: say so."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        if lines[index].lstrip().startswith("|"):
            start = index
            block = []
            while index < len(lines) and lines[index].lstrip().startswith("|"):
                block.append(lines[index])
                index += 1
            if len(block) < 2 or not re.match(r"^\s*\|?\s*:?-{3,}", block[1]):
                raise MarkupError(start + 1, "table has no header separator line (| --- | --- |)")
            width = _cells(block[0])
            for offset, row in enumerate(block[1:], start=1):
                if _cells(row) != width:
                    raise MarkupError(
                        start + offset + 1,
                        f"table row has {_cells(row)} cells; the header has {width}",
                    )
        else:
            index += 1


def _cells(row: str) -> int:
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return len(re.split(r"(?<!\\)\|", inner))
