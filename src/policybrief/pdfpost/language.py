"""CJK text without a language marked /Lang with the project's CJK name language.

Why: PDF/UA asks that a change of language be declared. HTML lang attributes reach the tags
through pdf._tag_languages; this covers text set all in the CJK font without one, marked
with the project's CJK name language if it has one (`zh-Hans` in the example).
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary

from .tree import Tree, role


def fix(tree: Tree) -> None:
    """Declare `tree.cjk_lang` on elements whose text is all set in the CJK font."""
    lang = tree.cjk_lang
    if not lang:
        return
    entries = tree.parent_entries()
    verdict: dict[tuple[int, int], bool] = {}  # element -> all of its text is CJK
    owners: dict[tuple[int, int], Dictionary] = {}
    for page in tree.pages:
        key = page.obj.get("/StructParents")
        mapping = entries.get(int(key)) if key is not None else None
        if not isinstance(mapping, Array):
            continue
        for mcid, (cjk, _text) in tree.scan(page).items():
            if mcid >= len(mapping) or not isinstance(mapping[mcid], Dictionary):
                continue
            element = mapping[mcid]
            if element.objgen == (0, 0):
                continue
            owners[element.objgen] = element
            verdict[element.objgen] = verdict.get(element.objgen, True) and cjk
    for objgen, all_cjk in sorted(verdict.items()):
        element = owners[objgen]
        if all_cjk and role(element) not in ("/Figure", "/Formula") and "/Lang" not in element:
            element["/Lang"] = pikepdf.String(lang)
