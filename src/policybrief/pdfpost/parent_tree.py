"""The structure root gets /ParentTreeNextKey.

Why: the PDF standard defines it as the key for the next entry added to the parent tree,
and WeasyPrint leaves it out; a tool that adds tags to the file later takes its key from
there instead of guessing one that is free.
"""

from __future__ import annotations

from .tree import Tree


def fix(tree: Tree) -> None:
    if tree.nums is None or len(tree.nums) < 2:
        return
    keys = [int(tree.nums[i]) for i in range(0, len(tree.nums) - 1, 2)]
    tree.root["/ParentTreeNextKey"] = max(keys) + 1
