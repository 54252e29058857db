"""Table header cells get /Scope.

Why: PDF/UA checkers and screen readers need to know whether a header labels a row or a
column, and WeasyPrint writes no /Scope (Kozea/WeasyPrint#2508). It already links data
cells to headers through /Headers and /IDs, and classifies a header as a row header exactly
when the HTML says scope="row"; the scope written here is read back from those links, so
it mirrors the HTML: a header the data cells of its own row point at is a row header, any
other header in a row with data cells is a column header. A header in a row of headers
only falls back to its place: in the table head it is a column header, first in a body row
a row header.
"""

from __future__ import annotations

from pikepdf import Array, Dictionary, Name

from .tree import Tree, elements, role


def fix(tree: Tree) -> None:
    for table, _parent in list(tree.walk()):
        if role(table) != "/Table":
            continue
        rows = [(section, elements(row)) for section, row in tree.rows(table)]
        # WeasyPrint lists a row header (HTML scope="row") in the /Headers of every data
        # cell of its row, and any other header in those of the data cells below it.
        referenced: set[str] = set()
        for _section, cells in rows:
            for cell in cells:
                referenced.update(_headers(cell))
        for section, cells in rows:
            data_cells = [c for c in cells if role(c) == "/TD"]
            in_row = {h for cell in data_cells for h in _headers(cell)}
            for position, cell in enumerate(cells):
                if role(cell) != "/TH":
                    continue
                ident = str(cell.get("/ID", ""))
                if ident and ident in in_row:
                    row = True
                elif ident and (data_cells or ident in referenced):
                    row = False
                else:
                    row = section != "/THead" and position == 0
                _set_table_attr(cell, "/Scope", Name("/Row" if row else "/Column"))


def _headers(cell: Dictionary) -> list[str]:
    """The ids in a cell's /Headers attribute."""
    out: list[str] = []
    attrs = cell.get("/A")
    for entry in attrs if isinstance(attrs, Array) else [attrs]:
        if isinstance(entry, Dictionary) and isinstance(entry.get("/Headers"), Array):
            out.extend(str(h) for h in entry["/Headers"])
    return out


def _set_table_attr(cell: Dictionary, key: str, value: object) -> None:
    attrs = cell.get("/A")
    if isinstance(attrs, Array):
        for entry in attrs:
            if isinstance(entry, Dictionary) and entry.get("/O") == Name("/Table"):
                entry[key] = value
                return
        attrs.append(Dictionary({"/O": Name("/Table"), key: value}))
        return
    if isinstance(attrs, Dictionary) and attrs.get("/O") == Name("/Table"):
        attrs[key] = value
        return
    table_attrs = Dictionary({"/O": Name("/Table"), key: value})
    cell["/A"] = Array([attrs, table_attrs]) if isinstance(attrs, Dictionary) else table_attrs
