"""The structure tree of a PDF as the fixes see it: elements, their kids and parents, the
parent tree (marked content and annotations back to their element), and each page's scan,
parsed once and shared by the fixes."""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary

from .content import Scan, read_page

SECTIONS = ("/THead", "/TBody", "/TFoot")


def role(node: object) -> str | None:
    if isinstance(node, Dictionary):
        found = node.get("/S")  # None if missing (or null), as `in` says
        if found is not None:
            return str(found)
    return None


def kids(node: Dictionary) -> list[object]:
    k = node.get("/K")
    if k is None:
        return []
    if isinstance(k, Array):
        return list(k)
    return [k]


def elements(node: Dictionary) -> list[Dictionary]:
    return [k for k in kids(node) if role(k) is not None]


def set_kids(node: Dictionary, new: list[object]) -> None:
    node["/K"] = Array(new)


def same(a: object, b: object) -> bool:
    return isinstance(a, Dictionary) and isinstance(b, Dictionary) and a.objgen == b.objgen != (0, 0)


class Tree:
    def __init__(self, doc: pikepdf.Pdf, root: Dictionary, cjk_lang: str | None = None) -> None:
        self.doc = doc
        self.root = root
        #: The language of text set all in the CJK font (the project's CJK name language), if any.
        self.cjk_lang = cjk_lang
        # The parent tree maps marked content and annotations back to their element.
        parent_tree = root.get("/ParentTree")
        self.nums: Array | None = parent_tree.get("/Nums") if parent_tree is not None else None
        self.pages = list(doc.pages)
        # Each page's scan, by page object. Parsing content streams is most of the work, so a
        # page is parsed when a fix first needs it, and the fixes share the result: the
        # running-heads fix, which rewrites nearly every page, parses it in full and leaves
        # the scan of the rewritten page; the others parse only what the scan reads.
        self.scans: dict[tuple[int, int], Scan] = {}

    def scan(self, page: pikepdf.Page) -> Scan:
        key = page.obj.objgen
        found = self.scans.get(key)
        if found is None:
            found = self.scans[key] = read_page(page)[2]
        return found

    def walk(self) -> Iterator[tuple[Dictionary, Dictionary | None]]:
        """Every structure element with its parent, in document (pre-)order."""
        seen: set[tuple[int, int]] = set()
        stack: list[tuple[Dictionary, Dictionary | None]] = [(k, None) for k in reversed(elements(self.root))]
        while stack:
            node, parent = stack.pop()
            objgen = node.objgen
            if objgen != (0, 0):
                if objgen in seen:
                    continue
                seen.add(objgen)
            yield node, parent
            stack.extend((k, node) for k in reversed(elements(node)))

    def parent_entries(self) -> dict[int, object]:
        if self.nums is None:
            return {}
        return {int(self.nums[i]): self.nums[i + 1] for i in range(0, len(self.nums) - 1, 2)}

    def set_entry(self, key: int, value: Dictionary) -> None:
        assert self.nums is not None
        for i in range(0, len(self.nums) - 1, 2):
            if int(self.nums[i]) == key:
                self.nums[i + 1] = value
                return

    def rows(self, table: Dictionary) -> list[tuple[str, Dictionary]]:
        """A table's rows, each with the section it is in (/TBody for rows outside any)."""
        out = []
        for child in elements(table):
            if role(child) == "/TR":
                out.append(("/TBody", child))
            elif role(child) in SECTIONS:
                out += [(str(role(child)), r) for r in elements(child) if role(r) == "/TR"]
        return out
