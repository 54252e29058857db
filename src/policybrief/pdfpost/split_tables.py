"""A table split over pages joined into one /Table again.

Why: a table that runs over a page break comes out as one /Table per page, the later ones
repeating the header row (WeasyPrint builds the tree page by page): the tags describe
several tables where the page shows one, and read its header row again on every page. The
pieces are joined into one /Table, the repeated header rows become pagination artifacts, and the data cells of the
later pieces point at the first piece's header cells. Two /Table elements are taken for
pieces of one table only when the first ends its page, the second starts the next page,
the second has no caption of its own, and its header row shows exactly the same text as
the first's (or the first piece is a caption alone).
"""

from __future__ import annotations

from collections.abc import Callable

from pikepdf import Array, Dictionary, Name

from .tree import Tree, elements, role, same, set_kids
from .tree import kids as kids_of


def _content_order(tree: Tree) -> tuple[list[tuple[int, int]], dict[tuple[int, int], tuple[int, int]]]:
    """Marked content in reading order, as (page number, MCID), and each element's span.

    The span of an element is the (first, last) index of its content in that list; an
    element without content has an empty span (first > last).
    """
    pages = {page.obj.objgen: number for number, page in enumerate(tree.pages)}
    events: list[tuple[int, int]] = []
    spans: dict[tuple[int, int], tuple[int, int]] = {}

    def visit(node: Dictionary, depth: int) -> None:
        start = len(events)
        own_page = node.get("/Pg")
        for kid in kids_of(node):
            if isinstance(kid, int):
                page = own_page
                mcid = kid
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name("/MCR"):
                page = kid.get("/Pg", own_page)
                mcid = int(kid["/MCID"])
            elif role(kid) is not None and depth < 200 and kid.objgen not in spans:
                visit(kid, depth + 1)
                continue
            else:
                continue
            if isinstance(page, Dictionary) and page.objgen in pages:
                events.append((pages[page.objgen], mcid))
        spans[node.objgen] = (start, len(events) - 1)

    for top in elements(tree.root):
        visit(top, 0)
    return events, spans


def fix(tree: Tree) -> None:
    events, spans = _content_order(tree)
    if not events:
        return
    first_on: dict[int, int] = {}
    last_on: dict[int, int] = {}
    for index, (page, _mcid) in enumerate(events):
        first_on.setdefault(page, index)
        last_on[page] = index

    def text_of(node: Dictionary) -> list[bytes]:
        first, last = spans.get(node.objgen, (0, -1))
        return [_text_signature(tree, *events[i]) for i in range(first, last + 1)]

    tables = [(node, parent) for node, parent in tree.walk() if role(node) == "/Table"]
    current: Dictionary | None = None
    current_span = (0, -1)
    for table, parent in tables:
        span = spans.get(table.objgen, (0, -1))
        if (
            current is not None
            and parent is not None
            and _continues(tree, current, current_span, table, span, events, first_on, last_on, text_of)
        ):
            _merge_tables(tree, current, table, parent)
            current_span = (current_span[0], span[1])
            continue
        current, current_span = table, span


def _continues(
    tree: Tree,
    first: Dictionary,
    first_span: tuple[int, int],
    second: Dictionary,
    second_span: tuple[int, int],
    events: list[tuple[int, int]],
    first_on: dict[int, int],
    last_on: dict[int, int],
    text_of: Callable[[Dictionary], list[bytes]],
) -> bool:
    """Is `second` the continuation, on the next page, of the table `first`?"""
    if first_span[0] > first_span[1] or second_span[0] > second_span[1]:
        return False
    end_page = events[first_span[1]][0]
    start_page = events[second_span[0]][0]
    if start_page != end_page + 1:
        return False
    if first_span[1] != last_on[end_page] or second_span[0] != first_on[start_page]:
        return False
    first_kids = elements(first)
    second_kids = elements(second)
    roles = [role(k) for k in second_kids]
    if "/TFoot" in roles or any(role(k) == "/TFoot" for k in first_kids):
        return False
    if not tree.rows(first):
        # A caption the page break left behind, alone (the break may fall inside the
        # caption, whose end then opens the second piece).
        return all(role(k) == "/Caption" for k in first_kids) and "/Caption" not in roles[1:]
    if "/Caption" in roles:
        return False
    first_head = [k for k in first_kids if role(k) == "/THead"]
    second_head = [k for k in second_kids if role(k) == "/THead"]
    if len(first_head) != len(second_head) or len(first_head) > 1:
        return False
    if first_head:
        heads = (_header_cells(first_head[0]), _header_cells(second_head[0]))
        return len(heads[0]) == len(heads[1]) > 0 and text_of(first_head[0]) == text_of(second_head[0])
    # No header rows to compare: the same number of cells in the rows either side.
    before = elements(tree.rows(first)[-1][1])
    after = tree.rows(second)
    return bool(after) and len(elements(after[0][1])) == len(before)


def _header_cells(head: Dictionary) -> list[Dictionary]:
    return [c for row in elements(head) for c in elements(row) if role(c) in ("/TH", "/TD")]


def _merge_tables(tree: Tree, first: Dictionary, second: Dictionary, parent: Dictionary) -> None:
    first_kids = elements(first)
    renamed: dict[str, object] = {}
    kids = kids_of(second)
    first_head = [k for k in first_kids if role(k) == "/THead"]
    second_head = [k for k in kids if role(k) == "/THead"]
    if first_head and second_head:
        # The repeated header row: dropped from the tree (its content becomes an
        # artifact), its cells' ids mapped to the first piece's header cells.
        for old, new in zip(_header_cells(second_head[0]), _header_cells(first_head[0]), strict=True):
            if "/ID" in old and "/ID" in new:
                renamed[str(old["/ID"])] = new["/ID"]
        kids = [k for k in kids if not same(k, second_head[0])]
    if first_kids and role(first_kids[-1]) == "/Caption" and kids and role(kids[0]) == "/Caption":
        # A caption broken over the pages: one caption again.
        caption, rest = first_kids[-1], kids_of(kids[0])
        for kid in rest:
            if role(kid) is not None:
                kid["/P"] = caption
        set_kids(caption, kids_of(caption) + rest)
        kids = kids[1:]
    body = next((k for k in reversed(first_kids) if role(k) == "/TBody"), None)
    moved: list[object] = []
    for kid in kids:
        if role(kid) == "/TBody" and body is not None:
            rows = kids_of(kid)
            for row in rows:
                if role(row) is not None:
                    row["/P"] = body
            set_kids(body, kids_of(body) + rows)
            moved += rows
        else:
            if role(kid) is not None:
                kid["/P"] = first
            set_kids(first, [*kids_of(first), kid])
            moved.append(kid)
    if renamed:
        for node in moved:
            if isinstance(node, Dictionary):
                _rename_headers(node, renamed)
    _detach(second, parent)


def _rename_headers(row: Dictionary, renamed: dict[str, object]) -> None:
    for cell in [row, *elements(row)]:
        attrs = cell.get("/A")
        for entry in attrs if isinstance(attrs, Array) else [attrs]:
            if isinstance(entry, Dictionary) and isinstance(entry.get("/Headers"), Array):
                entry["/Headers"] = Array([renamed.get(str(h), h) for h in entry["/Headers"]])
        if role(cell) in ("/TBody", "/THead", "/TFoot"):
            for inner in elements(cell):
                _rename_headers(inner, renamed)


def _detach(node: Dictionary, parent: Dictionary) -> None:
    """Remove `node` from `parent`, and containers the removal leaves empty."""
    set_kids(parent, [k for k in kids_of(parent) if not same(k, node)])
    grand = parent.get("/P")
    if not kids_of(parent) and role(grand) is not None and role(parent) not in ("/Document",):
        _detach(parent, grand)


def _text_signature(tree: Tree, number: int, mcid: int) -> bytes:
    """The font and string operands of the text that marked content shows (b"" if none).

    Only the pages whose text is compared get parsed here."""
    found = tree.scan(tree.pages[number]).get(mcid)
    return found[1] if found is not None else b""
