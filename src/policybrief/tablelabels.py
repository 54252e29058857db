"""Column headers written onto each table cell (`data-label`), for narrow screens.

On a phone a table of three or five columns either shrinks its text or hides columns behind
a sideways scroll. screen.css instead lays each row out as a card below 40rem, and prints
each cell's column header before it from `data-label` (`td::before { content:
attr(data-label) }`). The labels are added here, to the finished screen page, rather than in
each table's template: every table gets them, the views' tables, a future view's and the
tables written in Markdown alike, and none can forget them.

The page is our own output (Jinja templates, sanitised Markdown), so a tokenizer from the
standard library is enough: start tags are found by `html.parser`, and a label is inserted
into the tag's own text, leaving every other byte of the page as it was. Column positions
follow `colspan` and `rowspan`, so a cell below a spanning one gets the right header.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

_CELLS = ("td", "th")


class _Table:
    def __init__(self) -> None:
        self.headers: list[str] = []  # the header row's text, one per column
        self.in_head = False
        self.head_rows = 0  # rows of <thead> begun: only the first names the columns
        self.header_cell: list[str] | None = None  # text of the <thead> cell being read
        self.header_span = 1
        self.column = 0  # the next free column of the current body row
        self.pending: dict[int, int] = {}  # column -> rows still covered by a rowspan above
        self.row_taken: set[int] = set()


class _Labeller(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_Table] = []
        self.inserts: list[tuple[tuple[int, int], str, str]] = []  # (pos, tag text, label)

    # -- helpers
    def _span(self, attrs: list[tuple[str, str | None]], name: str) -> int:
        value = dict(attrs).get(name) or "1"
        return max(1, min(int(value), 1000)) if value.isdigit() else 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(_Table())
            return
        if not self.tables:
            return
        table = self.tables[-1]
        if tag == "thead":
            table.in_head = True
        elif tag in ("tbody", "tfoot"):
            table.in_head = False
        elif tag == "tr" and table.in_head:
            table.head_rows += 1
        elif tag == "tr":
            # Columns still covered by a rowspan from a row above are taken in this row.
            table.row_taken = {c for c, rows in table.pending.items() if rows > 0}
            table.pending = {c: rows - 1 for c, rows in table.pending.items() if rows > 1}
            table.column = 0
        elif tag in _CELLS and table.in_head:
            if table.head_rows > 1:
                return
            table.header_cell = []
            table.header_span = self._span(attrs, "colspan")
        elif tag in _CELLS:
            while table.column in table.row_taken:
                table.column += 1
            column = table.column
            span = self._span(attrs, "colspan")
            rows = self._span(attrs, "rowspan")
            for c in range(column, column + span):
                table.row_taken.add(c)
                if rows > 1:
                    table.pending[c] = rows - 1
            table.column = column + span
            label = table.headers[column] if column < len(table.headers) else ""
            if label and "data-label" not in dict(attrs):
                self.inserts.append((self.getpos(), self.get_starttag_text() or "", label))

    def handle_endtag(self, tag: str) -> None:
        if not self.tables:
            return
        table = self.tables[-1]
        if tag == "table":
            self.tables.pop()
        elif tag == "thead":
            table.in_head = False
        elif tag in _CELLS and table.header_cell is not None:
            text = " ".join("".join(table.header_cell).split())
            table.headers.extend([text] * table.header_span)
            table.header_cell = None

    def handle_data(self, data: str) -> None:
        if self.tables and self.tables[-1].header_cell is not None:
            self.tables[-1].header_cell.append(data)


def label_cells(page: str) -> str:
    """`page` with `data-label="<column header>"` on every body cell of every table that has
    a header row."""
    parser = _Labeller()
    parser.feed(page)
    parser.close()
    if not parser.inserts:
        return page
    # html.parser counts lines at "\n" only (str.splitlines would also split at \x0c, \u2028…).
    starts = [0]
    for line in page.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    out: list[str] = []
    done = 0
    for (line, offset), tag_text, label in parser.inserts:
        at = starts[line - 1] + offset
        if not page.startswith(tag_text, at):  # never guess: leave a cell we cannot place
            continue
        end = at + len(tag_text) - (2 if tag_text.endswith("/>") else 1)
        out.append(page[done:end])
        out.append(f' data-label="{escape(label, quote=True)}"')
        done = end
    out.append(page[done:])
    return "".join(out)


__all__ = ["label_cells"]
