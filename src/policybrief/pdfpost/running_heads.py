"""Running heads and footers as artifacts.

Why: the running header and the page footer (CSS margin boxes) are marked content whose
elements WeasyPrint leaves out of the structure tree on purpose; PDF/UA wants no marked
content pointing outside the tree, so they become what they are, /Artifact /Pagination.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name

from .content import read_page
from .tree import Tree


def fix(tree: Tree) -> None:
    """Turn marked content whose element is not in the tree into pagination artifacts."""
    reachable = {node.objgen for node, _parent in tree.walk()}
    entries = tree.parent_entries()
    for page in tree.pages:
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
        instructions, rewrite, scan = read_page(page, orphans)
        for index in rewrite:
            instructions[index] = pikepdf.ContentStreamInstruction(
                [Name.Artifact, Dictionary({"/Type": Name.Pagination})], pikepdf.Operator("BDC")
            )
        page.obj["/Contents"] = tree.doc.make_stream(pikepdf.unparse_content_stream(instructions))
        del instructions  # a big page's instructions take a lot of memory
        tree.scans[page.obj.objgen] = scan
        for mcid in orphans:
            mapping[mcid] = None
