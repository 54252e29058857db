"""Charts float to the next page while the text continues (issue 12, item 4).

WeasyPrint has no page floats: a chart too tall for what is left of a page starts the next
one and leaves the gap empty, a fifth of a page or more. So the PDF is laid out, and when a
chart that starts a page leaves the page before it more than `LIMIT` blank, the chart moves
after the block that follows it (a paragraph, a list, a table), and the brief is laid out
again; the text then fills the gap. A chart never moves past a heading, another chart or
the end of its section, and a move is kept only if it leaves fewer pages over the limit
without adding a page. The web page keeps the author's order; only the print layout moves.

Works on WeasyPrint's laid-out boxes (`Document.pages[i]._page_box`), the one place that
knows where a page ends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element

#: No page but the last may be more blank than this (the share of its text area).
LIMIT = 0.2
#: Layouts tried at most, the first included: each costs a full layout of the brief.
MAX_LAYOUTS = 6
# What a chart may move past: text and tables of the same section.
_PASSABLE = {"p", "ul", "ol", "div", "aside", "blockquote", "table", "dl"}


def float_charts(html: Any, render: Callable[[Any], Any]) -> Any:
    """Lay out `html` (a weasyprint.HTML) with `render`, moving charts as described above;
    returns the rendered document of the last layout kept."""
    import cssselect2

    document = render(html)
    best = _badness(document)
    tried: set[str] = set()
    for _ in range(MAX_LAYOUTS - 1):
        if best[0] == 0:
            break
        move = _next_move(document, html.etree_element, tried)
        if move is None:
            break
        chart, undo = move
        tried.add(chart)
        html.wrapper_element = cssselect2.ElementWrapper.from_html_root(html.etree_element)
        candidate = render(html)
        score = _badness(candidate)
        if score < best:
            document, best = candidate, score
            tried.discard(chart)  # it may move on again
        else:
            undo()
            html.wrapper_element = cssselect2.ElementWrapper.from_html_root(html.etree_element)
    return document


def blank_share(page: Any) -> float:
    """The share of a laid-out page's text area below its last line or image."""
    box = page._page_box
    top = box.content_box_y()
    bottom = top + box.height
    last = top
    for root in box.children:
        if type(root).__name__ == "MarginBox":
            continue  # the running head and the page number
        for child in root.descendants():
            if type(child).__name__ in ("LineBox", "BlockReplacedBox", "InlineReplacedBox"):
                last = max(last, child.position_y + child.margin_height())
    return max(0.0, (bottom - last) / box.height) if box.height else 0.0


def _badness(document: Any) -> tuple[int, float, int]:
    """(pages over the limit, their blank in total, pages): smaller is better."""
    shares = [blank_share(p) for p in document.pages[:-1]]
    over = [s for s in shares if s > LIMIT]
    return (len(over), round(sum(over), 3), len(document.pages))


def _charts_starting_pages(document: Any) -> list[tuple[int, Element]]:
    """(page index, chart element) for each chart whose first fragment is near the top of a
    page: at the top, or under a heading (a heading keeps with what follows it)."""
    found: list[tuple[int, Element]] = []
    seen: set[int] = set()
    for index, page in enumerate(document.pages):
        box = page._page_box
        top = box.content_box_y()
        for child in box.descendants():
            element = getattr(child, "element", None)
            if getattr(child, "element_tag", None) != "figure" or element is None:
                continue
            if id(element) in seen or "chart" not in (element.get("class") or "").split():
                continue
            seen.add(id(element))
            if child.position_y - top < 0.12 * box.height:
                found.append((index, element))
    return found


def _travels_with(element: Element) -> bool:
    classes = (element.get("class") or "").split()
    return "view-filter" in classes or (element.tag == "figure" and "chart" in classes)


def _next_move(document: Any, root: Element, tried: set[str]) -> tuple[str, Callable[[], None]] | None:
    """Move the first chart that starts a page after an underfull one past the block that
    follows it; returns its id and how to undo the move, or None when no chart can move."""
    parents = {child: parent for parent in root.iter() for child in parent}
    for index, chart in _charts_starting_pages(document):
        ident = chart.get("id") or ""
        if index == 0 or ident in tried or blank_share(document.pages[index - 1]) <= LIMIT:
            continue
        parent = parents.get(chart)
        if parent is None:
            continue
        siblings = list(parent)
        at = siblings.index(chart)
        # The chart's own notes (a filter note) travel with it, and so do the charts right
        # after it: figures keep their numbered order.
        group = [chart]
        while at + len(group) < len(siblings) and _travels_with(siblings[at + len(group)]):
            group.append(siblings[at + len(group)])
        after = at + len(group)
        if after >= len(siblings) or siblings[after].tag not in _PASSABLE:
            continue
        passed = siblings[after]
        for element in group:
            parent.remove(element)
        position = list(parent).index(passed) + 1
        for offset, element in enumerate(group):
            parent.insert(position + offset, element)

        def undo(parent: Element = parent, group: list[Element] = group, at: int = at) -> None:
            for element in group:
                parent.remove(element)
            for offset, element in enumerate(group):
                parent.insert(at + offset, element)

        return ident, undo
    return None
