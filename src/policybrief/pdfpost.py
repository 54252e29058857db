"""PDF post-processing where WeasyPrint's own output falls short of a check.

WeasyPrint 70 writes a tagged PDF/UA-1 file, but its structure tree has gaps that
accessibility checkers (pdfua, veraPDF, PAC) and screen readers notice. The fixes below
change the structure tree and, in the content streams, only marked-content tags: nothing is
redrawn, so every page looks exactly as WeasyPrint laid it out (tests/test_pdf.py compares
the rendered pages).

- Table header cells get /Scope (Kozea/WeasyPrint#2508). WeasyPrint already links data
  cells to headers through /Headers and /IDs, and it classifies a header as a row header
  exactly when the HTML says scope="row"; the scope written here is read back from those
  links, so it mirrors the HTML: a header the data cells of its own row point at is a row
  header, any other header in a row with data cells is a column header. A header in a row
  of headers only falls back to its place: in the table head it is a column header, first
  in a body row a row header.
- A table that runs over a page break comes out as one /Table per page, the later ones
  repeating the header row (WeasyPrint builds the tree page by page). The pieces are joined
  into one /Table again, the repeated header rows become pagination artifacts, and the data
  cells of the later pieces point at the first piece's header cells. Two /Table elements
  are taken for pieces of one table only when the first ends its page, the second starts the
  next page, the second has no caption of its own, and its header row shows exactly the same
  text as the first's (or the first piece is a caption alone).
- A link's ::after content (the TOC's leader and page number) becomes a /Link nested in the
  /Link of the same <a>: the nested ones are folded into one /Link per link.
- Text set all in the CJK font is marked /Lang with the project's CJK name language, if it
  has one (`zh-Hans` in the example), the language change PDF/UA asks to be declared. (HTML
  lang attributes reach the tags through pdf._tag_languages; this covers CJK text without
  one.)
- The running header and the page footer (CSS margin boxes) are marked content whose
  elements WeasyPrint leaves out of the structure tree on purpose; they become what they
  are, /Artifact /Pagination, so no marked content points outside the tree.
- The structure root gets /ParentTreeNextKey.

The file is written back with a deterministic /ID derived from its content, so the same
input gives byte-identical output.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name

from .models import Brief

_CJK_FONT_MARKERS = ("CJK",)
_SECTIONS = ("/THead", "/TBody", "/TFoot")

# What the text on a page shows, by MCID: whether it is all in the Chinese font, and its
# fonts and strings (see _read_page).
Scan = dict[int, tuple[bool, bytes]]


def postprocess(pdf: bytes, brief: Brief, cjk_lang: str | None = None) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        root = doc.Root.get("/StructTreeRoot")
        if root is not None:
            tree = StructTree(doc, root)
            tree.join_split_tables()
            tree.untag_orphans()
            tree.scope_table_headers()
            tree.flatten_nested_links()
            if cjk_lang:
                tree.mark_cjk_language(cjk_lang)
            tree.set_next_key()
        out = io.BytesIO()
        doc.save(
            out,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
    return out.getvalue()


def _role(node: object) -> str | None:
    if isinstance(node, Dictionary):
        role = node.get("/S")  # None if missing (or null), as `in` says
        if role is not None:
            return str(role)
    return None


def _kids(node: Dictionary) -> list[object]:
    k = node.get("/K")
    if k is None:
        return []
    if isinstance(k, Array):
        return list(k)
    return [k]


def _elements(node: Dictionary) -> list[Dictionary]:
    return [k for k in _kids(node) if _role(k) is not None]


def _set_kids(node: Dictionary, kids: list[object]) -> None:
    node["/K"] = Array(kids)


def _same(a: object, b: object) -> bool:
    return isinstance(a, Dictionary) and isinstance(b, Dictionary) and a.objgen == b.objgen != (0, 0)


class StructTree:
    def __init__(self, doc: pikepdf.Pdf, root: Dictionary) -> None:
        self.doc = doc
        self.root = root
        # The parent tree maps marked content and annotations back to their element.
        tree = root.get("/ParentTree")
        self.nums: Array | None = tree.get("/Nums") if tree is not None else None
        self.pages = list(doc.pages)
        # Each page's scan, by page object. Parsing content streams is most of the work, so a
        # page is parsed when a pass first needs it, and the passes share the result:
        # untag_orphans, which rewrites nearly every page, parses it in full and leaves the
        # scan of the rewritten page; the other passes parse only what the scan reads.
        self._scans: dict[tuple[int, int], Scan] = {}

    def _scan(self, page: pikepdf.Page) -> Scan:
        key = page.obj.objgen
        scan = self._scans.get(key)
        if scan is None:
            scan = self._scans[key] = _read_page(page)[2]
        return scan

    # -- walking -----------------------------------------------------------------------

    def walk(self) -> Iterator[tuple[Dictionary, Dictionary | None]]:
        """Every structure element with its parent, in document (pre-)order."""
        seen: set[tuple[int, int]] = set()
        stack: list[tuple[Dictionary, Dictionary | None]] = [
            (k, None) for k in reversed(_elements(self.root))
        ]
        while stack:
            node, parent = stack.pop()
            objgen = node.objgen
            if objgen != (0, 0):
                if objgen in seen:
                    continue
                seen.add(objgen)
            yield node, parent
            stack.extend((k, node) for k in reversed(_elements(node)))

    def _parent_entries(self) -> dict[int, object]:
        if self.nums is None:
            return {}
        return {int(self.nums[i]): self.nums[i + 1] for i in range(0, len(self.nums) - 1, 2)}

    # -- content outside the tree -----------------------------------------------------

    def untag_orphans(self) -> None:
        """Turn marked content whose element is not in the tree into pagination artifacts."""
        reachable = {node.objgen for node, _parent in self.walk()}
        entries = self._parent_entries()
        for page in self.pages:
            key = page.obj.get("/StructParents")
            mapping = entries.get(int(key)) if key is not None else None
            if not isinstance(mapping, Array):
                continue
            orphans = {
                mcid
                for mcid, element in enumerate(mapping)
                if isinstance(element, Dictionary) and element.objgen not in reachable
            }
            if not orphans:
                continue
            instructions, rewrite, scan = _read_page(page, orphans)
            for index in rewrite:
                instructions[index] = pikepdf.ContentStreamInstruction(
                    [Name.Artifact, Dictionary({"/Type": Name.Pagination})], pikepdf.Operator("BDC")
                )
            page.obj["/Contents"] = self.doc.make_stream(pikepdf.unparse_content_stream(instructions))
            del instructions  # a big page's instructions take a lot of memory
            self._scans[page.obj.objgen] = scan
            for mcid in orphans:
                mapping[mcid] = None

    # -- tables ------------------------------------------------------------------------

    def _rows(self, table: Dictionary) -> list[tuple[str, Dictionary]]:
        rows = []
        for child in _elements(table):
            if _role(child) == "/TR":
                rows.append(("/TBody", child))
            elif _role(child) in _SECTIONS:
                rows += [(str(_role(child)), r) for r in _elements(child) if _role(r) == "/TR"]
        return rows

    def _content_order(self) -> tuple[list[tuple[int, int]], dict[tuple[int, int], tuple[int, int]]]:
        """Marked content in reading order, as (page number, MCID), and each element's span.

        The span of an element is the (first, last) index of its content in that list; an
        element without content has an empty span (first > last).
        """
        pages = {page.obj.objgen: number for number, page in enumerate(self.pages)}
        events: list[tuple[int, int]] = []
        spans: dict[tuple[int, int], tuple[int, int]] = {}

        def visit(node: Dictionary, depth: int) -> None:
            start = len(events)
            own_page = node.get("/Pg")
            for kid in _kids(node):
                if isinstance(kid, int):
                    page = own_page
                    mcid = kid
                elif isinstance(kid, Dictionary) and kid.get("/Type") == Name("/MCR"):
                    page = kid.get("/Pg", own_page)
                    mcid = int(kid["/MCID"])
                elif _role(kid) is not None and depth < 200 and kid.objgen not in spans:
                    visit(kid, depth + 1)
                    continue
                else:
                    continue
                if isinstance(page, Dictionary) and page.objgen in pages:
                    events.append((pages[page.objgen], mcid))
            spans[node.objgen] = (start, len(events) - 1)

        for top in _elements(self.root):
            visit(top, 0)
        return events, spans

    def join_split_tables(self) -> None:
        events, spans = self._content_order()
        if not events:
            return
        first_on: dict[int, int] = {}
        last_on: dict[int, int] = {}
        for index, (page, _mcid) in enumerate(events):
            first_on.setdefault(page, index)
            last_on[page] = index

        def text_of(node: Dictionary) -> list[bytes]:
            first, last = spans.get(node.objgen, (0, -1))
            return [self._text_signature(*events[i]) for i in range(first, last + 1)]

        tables = [(node, parent) for node, parent in self.walk() if _role(node) == "/Table"]
        current: Dictionary | None = None
        current_span = (0, -1)
        for table, parent in tables:
            span = spans.get(table.objgen, (0, -1))
            if (
                current is not None
                and parent is not None
                and self._continues(current, current_span, table, span, events, first_on, last_on, text_of)
            ):
                self._merge_tables(current, table, parent)
                current_span = (current_span[0], span[1])
                continue
            current, current_span = table, span

    def _continues(
        self,
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
        first_kids = _elements(first)
        second_kids = _elements(second)
        roles = [_role(k) for k in second_kids]
        if "/TFoot" in roles or any(_role(k) == "/TFoot" for k in first_kids):
            return False
        if not self._rows(first):
            # A caption the page break left behind, alone (the break may fall inside the
            # caption, whose end then opens the second piece).
            return all(_role(k) == "/Caption" for k in first_kids) and "/Caption" not in roles[1:]
        if "/Caption" in roles:
            return False
        first_head = [k for k in first_kids if _role(k) == "/THead"]
        second_head = [k for k in second_kids if _role(k) == "/THead"]
        if len(first_head) != len(second_head) or len(first_head) > 1:
            return False
        if first_head:
            heads = (self._header_cells(first_head[0]), self._header_cells(second_head[0]))
            return len(heads[0]) == len(heads[1]) > 0 and text_of(first_head[0]) == text_of(second_head[0])
        # No header rows to compare: the same number of cells in the rows either side.
        before = _elements(self._rows(first)[-1][1])
        after = self._rows(second)
        return bool(after) and len(_elements(after[0][1])) == len(before)

    @staticmethod
    def _header_cells(head: Dictionary) -> list[Dictionary]:
        return [c for row in _elements(head) for c in _elements(row) if _role(c) in ("/TH", "/TD")]

    def _merge_tables(self, first: Dictionary, second: Dictionary, parent: Dictionary) -> None:
        first_kids = _elements(first)
        renamed: dict[str, object] = {}
        kids = _kids(second)
        first_head = [k for k in first_kids if _role(k) == "/THead"]
        second_head = [k for k in kids if _role(k) == "/THead"]
        if first_head and second_head:
            # The repeated header row: dropped from the tree (its content becomes an
            # artifact), its cells' ids mapped to the first piece's header cells.
            for old, new in zip(
                self._header_cells(second_head[0]), self._header_cells(first_head[0]), strict=True
            ):
                if "/ID" in old and "/ID" in new:
                    renamed[str(old["/ID"])] = new["/ID"]
            kids = [k for k in kids if not _same(k, second_head[0])]
        if first_kids and _role(first_kids[-1]) == "/Caption" and kids and _role(kids[0]) == "/Caption":
            # A caption broken over the pages: one caption again.
            caption, rest = first_kids[-1], _kids(kids[0])
            for kid in rest:
                if _role(kid) is not None:
                    kid["/P"] = caption
            _set_kids(caption, _kids(caption) + rest)
            kids = kids[1:]
        body = next((k for k in reversed(first_kids) if _role(k) == "/TBody"), None)
        moved: list[object] = []
        for kid in kids:
            if _role(kid) == "/TBody" and body is not None:
                rows = _kids(kid)
                for row in rows:
                    if _role(row) is not None:
                        row["/P"] = body
                _set_kids(body, _kids(body) + rows)
                moved += rows
            else:
                if _role(kid) is not None:
                    kid["/P"] = first
                _set_kids(first, [*_kids(first), kid])
                moved.append(kid)
        if renamed:
            for node in moved:
                if isinstance(node, Dictionary):
                    self._rename_headers(node, renamed)
        self._detach(second, parent)

    def _rename_headers(self, row: Dictionary, renamed: dict[str, object]) -> None:
        for cell in [row, *_elements(row)]:
            attrs = cell.get("/A")
            for entry in attrs if isinstance(attrs, Array) else [attrs]:
                if isinstance(entry, Dictionary) and isinstance(entry.get("/Headers"), Array):
                    entry["/Headers"] = Array([renamed.get(str(h), h) for h in entry["/Headers"]])
            if _role(cell) in ("/TBody", "/THead", "/TFoot"):
                for inner in _elements(cell):
                    self._rename_headers(inner, renamed)

    def _detach(self, node: Dictionary, parent: Dictionary) -> None:
        """Remove `node` from `parent`, and containers the removal leaves empty."""
        _set_kids(parent, [k for k in _kids(parent) if not _same(k, node)])
        grand = parent.get("/P")
        if not _kids(parent) and _role(grand) is not None and _role(parent) not in ("/Document",):
            self._detach(parent, grand)

    def _text_signature(self, number: int, mcid: int) -> bytes:
        """The font and string operands of the text that marked content shows (b"" if none).

        Only the pages whose text is compared get parsed here."""
        found = self._scan(self.pages[number]).get(mcid)
        return found[1] if found is not None else b""

    def scope_table_headers(self) -> None:
        for table, _parent in list(self.walk()):
            if _role(table) != "/Table":
                continue
            rows = [(section, _elements(row)) for section, row in self._rows(table)]
            # WeasyPrint lists a row header (HTML scope="row") in the /Headers of every data
            # cell of its row, and any other header in those of the data cells below it.
            referenced: set[str] = set()
            for _section, cells in rows:
                for cell in cells:
                    attrs = cell.get("/A")
                    for entry in attrs if isinstance(attrs, Array) else [attrs]:
                        if isinstance(entry, Dictionary) and isinstance(entry.get("/Headers"), Array):
                            referenced.update(str(h) for h in entry["/Headers"])
            for section, cells in rows:
                in_row: set[str] = set()
                data_cells = [c for c in cells if _role(c) == "/TD"]
                for cell in data_cells:
                    attrs = cell.get("/A")
                    for entry in attrs if isinstance(attrs, Array) else [attrs]:
                        if isinstance(entry, Dictionary) and isinstance(entry.get("/Headers"), Array):
                            in_row.update(str(h) for h in entry["/Headers"])
                for position, cell in enumerate(cells):
                    if _role(cell) != "/TH":
                        continue
                    ident = str(cell.get("/ID", ""))
                    if ident and ident in in_row:
                        row = True
                    elif ident and (data_cells or ident in referenced):
                        row = False
                    else:
                        row = section != "/THead" and position == 0
                    self._set_table_attr(cell, "/Scope", Name("/Row" if row else "/Column"))

    @staticmethod
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

    # -- links -------------------------------------------------------------------------

    def flatten_nested_links(self) -> None:
        entries = self._parent_entries()
        for node, parent in list(self.walk()):
            if _role(node) != "/Link" or not any(_role(k) == "/Link" for k in _kids(node)):
                continue
            if _role(parent) == "/Link":
                continue  # folded into the outermost link
            _set_kids(node, self._absorb(node, node, entries, nested=False))

    def _absorb(
        self, outer: Dictionary, node: Dictionary, entries: dict[int, object], *, nested: bool
    ) -> list[object]:
        """The kids of `node` with every nested /Link replaced by its own kids, re-parented."""
        result: list[object] = []
        for kid in _kids(node):
            if _role(kid) == "/Link":
                assert isinstance(kid, Dictionary)
                result += self._absorb(outer, kid, entries, nested=True)
            elif nested:
                result.append(self._reparent(outer, node, kid, entries))
            else:
                result.append(kid)
        return result

    def _reparent(
        self, outer: Dictionary, inner: Dictionary, kid: object, entries: dict[int, object]
    ) -> object:
        if isinstance(kid, int):
            # A marked-content id on the inner link's page.
            page = inner.get("/Pg")
            self._repoint_mcid(page, kid, inner, outer, entries)
            if page is not None and not _same(page, outer.get("/Pg")):
                return Dictionary({"/Type": Name("/MCR"), "/MCID": kid, "/Pg": page})
            return kid
        if isinstance(kid, Dictionary):
            kind = kid.get("/Type")
            if kind == Name("/OBJR"):
                annot = kid.get("/Obj")
                if isinstance(annot, Dictionary) and "/StructParent" in annot:
                    key = int(annot["/StructParent"])
                    if key in entries:
                        self._set_entry(key, outer)
            elif kind == Name("/MCR"):
                self._repoint_mcid(kid.get("/Pg", inner.get("/Pg")), int(kid["/MCID"]), inner, outer, entries)
            elif "/S" in kid:
                kid["/P"] = outer
        return kid

    def _repoint_mcid(
        self, page: object, mcid: int, inner: Dictionary, outer: Dictionary, entries: dict[int, object]
    ) -> None:
        if not isinstance(page, Dictionary) or "/StructParents" not in page:
            return
        mapping = entries.get(int(page["/StructParents"]))
        if isinstance(mapping, Array) and 0 <= mcid < len(mapping) and _same(mapping[mcid], inner):
            mapping[mcid] = outer

    def _set_entry(self, key: int, value: Dictionary) -> None:
        assert self.nums is not None
        for i in range(0, len(self.nums) - 1, 2):
            if int(self.nums[i]) == key:
                self.nums[i + 1] = value
                return

    # -- language ----------------------------------------------------------------------

    def mark_cjk_language(self, lang: str) -> None:
        """Declare `lang` on elements whose text is all set in the CJK font."""
        entries = self._parent_entries()
        verdict: dict[tuple[int, int], bool] = {}  # element -> all of its text is CJK
        owners: dict[tuple[int, int], Dictionary] = {}
        for page in self.pages:
            key = page.obj.get("/StructParents")
            mapping = entries.get(int(key)) if key is not None else None
            if not isinstance(mapping, Array):
                continue
            for mcid, (cjk, _text) in self._scan(page).items():
                if mcid >= len(mapping) or not isinstance(mapping[mcid], Dictionary):
                    continue
                element = mapping[mcid]
                if element.objgen == (0, 0):
                    continue
                owners[element.objgen] = element
                verdict[element.objgen] = verdict.get(element.objgen, True) and cjk
        for objgen, all_cjk in sorted(verdict.items()):
            element = owners[objgen]
            if all_cjk and _role(element) not in ("/Figure", "/Formula") and "/Lang" not in element:
                element["/Lang"] = pikepdf.String(lang)

    def set_next_key(self) -> None:
        if self.nums is None or len(self.nums) < 2:
            return
        keys = [int(self.nums[i]) for i in range(0, len(self.nums) - 1, 2)]
        self.root["/ParentTreeNextKey"] = max(keys) + 1


# The operators _read_page reads: the graphics state (for the font), the font, marked
# content, and the four that show text.
_SCANNED = frozenset(("q", "Q", "Tf", "BDC", "BMC", "EMC", "Tj", "TJ", "'", '"'))
_SCANNED_OPERATORS = " ".join(sorted(_SCANNED))


def _mcid(operands: list[object]) -> int | None:
    """The MCID of a BDC instruction with these operands."""
    if len(operands) < 2:
        return None
    props = operands[1]
    if isinstance(props, Dictionary) and "/MCID" in props:
        return int(props["/MCID"])
    return None


def _read_page(
    page: pikepdf.Page, artifacts: set[int] | None = None
) -> tuple[list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage], list[int], Scan]:
    """Parse a page's content stream once for everything the passes want from it.

    Returns the instructions; the indexes of those that open marked content with an MCID in
    `artifacts` (which untag_orphans rewrites); and the page's scan: for each marked-content
    id that shows text, is all of that text set in the Chinese font, and what it shows (fonts
    and string operands, to compare). The marked content with an MCID in `artifacts` is read
    as the rewritten page shows it, as an artifact: its text counts for the marked content
    around it, if any.

    Without `artifacts` only the instructions the scan reads are returned: the others are
    skipped with their operands in the parser, which is much faster.
    """
    fonts = page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary())
    cjk_fonts = {
        str(name)
        for name, font in fonts.items()
        if any(m in str(font.get("/BaseFont", "")) for m in _CJK_FONT_MARKERS)
    }
    cjk: dict[int, bool] = {}
    text: dict[int, list[bytes]] = {}
    font: str | None = None
    saved: list[str | None] = []
    # The marked-content stack: at each level, the MCID of the innermost marked content
    # with an MCID at that depth or above it (None if there is none), whose text it is.
    marks: list[int | None] = []
    rewrite: list[int] = []
    if artifacts is None:
        instructions = pikepdf.parse_content_stream(page, _SCANNED_OPERATORS)
        artifacts = set()
    else:
        instructions = pikepdf.parse_content_stream(page)
    instruction_type, scanned, string_type = pikepdf.ContentStreamInstruction, _SCANNED, pikepdf.String
    for index, instruction in enumerate(instructions):
        if not isinstance(instruction, instruction_type):
            continue  # inline image
        op = str(instruction.operator)
        if op not in scanned:
            continue
        if op == "q":
            saved.append(font)
        elif op == "Q":
            if saved:
                font = saved.pop()
        elif op == "BDC":
            mcid = _mcid(instruction.operands)
            if mcid is not None and mcid in artifacts:
                rewrite.append(index)
                mcid = None
            marks.append(mcid if mcid is not None else marks[-1] if marks else None)
        elif op == "EMC":
            if marks:
                marks.pop()
        elif op == "BMC":
            marks.append(marks[-1] if marks else None)
        elif op == "Tf":
            operands = instruction.operands
            if operands:
                font = str(operands[0])
        else:  # shows text
            current = marks[-1] if marks else None
            if current is not None:
                operands = instruction.operands
                cjk[current] = cjk.get(current, True) and font in cjk_fonts
                strings = [bytes(o) for o in operands if isinstance(o, string_type)]
                for o in operands:
                    if isinstance(o, Array):
                        strings += [bytes(x) for x in o if isinstance(x, string_type)]
                text.setdefault(current, []).append(str(font).encode() + b":" + b"".join(strings))
    scan = {mcid: (cjk[mcid], b"|".join(text[mcid])) for mcid in cjk}
    return instructions, rewrite, scan


__all__ = ["postprocess"]
