"""One /Link per link in the table of contents.

Why: a link's ::after content (the TOC's leader and page number) comes out as a /Link
nested in the /Link of the same <a>, which checkers report and screen readers announce as
two links; the nested ones are folded into the outermost.
"""

from __future__ import annotations

from pikepdf import Array, Dictionary, Name

from .tree import Tree, kids, role, same, set_kids


def fix(tree: Tree) -> None:
    entries = tree.parent_entries()
    for node, parent in list(tree.walk()):
        if role(node) != "/Link" or not any(role(k) == "/Link" for k in kids(node)):
            continue
        if role(parent) == "/Link":
            continue  # folded into the outermost link
        set_kids(node, _absorb(tree, node, node, entries, nested=False))


def _absorb(
    tree: Tree, outer: Dictionary, node: Dictionary, entries: dict[int, object], *, nested: bool
) -> list[object]:
    """The kids of `node` with every nested /Link replaced by its own kids, re-parented."""
    result: list[object] = []
    for kid in kids(node):
        if role(kid) == "/Link":
            assert isinstance(kid, Dictionary)
            result += _absorb(tree, outer, kid, entries, nested=True)
        elif nested:
            result.append(_reparent(tree, outer, node, kid, entries))
        else:
            result.append(kid)
    return result


def _reparent(
    tree: Tree, outer: Dictionary, inner: Dictionary, kid: object, entries: dict[int, object]
) -> object:
    if isinstance(kid, int):
        # A marked-content id on the inner link's page.
        page = inner.get("/Pg")
        _repoint_mcid(page, kid, inner, outer, entries)
        if page is not None and not same(page, outer.get("/Pg")):
            return Dictionary({"/Type": Name("/MCR"), "/MCID": kid, "/Pg": page})
        return kid
    if isinstance(kid, Dictionary):
        kind = kid.get("/Type")
        if kind == Name("/OBJR"):
            annot = kid.get("/Obj")
            if isinstance(annot, Dictionary) and "/StructParent" in annot:
                key = int(annot["/StructParent"])
                if key in entries:
                    tree.set_entry(key, outer)
        elif kind == Name("/MCR"):
            _repoint_mcid(kid.get("/Pg", inner.get("/Pg")), int(kid["/MCID"]), inner, outer, entries)
        elif "/S" in kid:
            kid["/P"] = outer
    return kid


def _repoint_mcid(
    page: object, mcid: int, inner: Dictionary, outer: Dictionary, entries: dict[int, object]
) -> None:
    if not isinstance(page, Dictionary) or "/StructParents" not in page:
        return
    mapping = entries.get(int(page["/StructParents"]))
    if isinstance(mapping, Array) and 0 <= mcid < len(mapping) and same(mapping[mcid], inner):
        mapping[mcid] = outer
