"""PDF post-processing where WeasyPrint's own output falls short of a check.

WeasyPrint 70 writes a tagged PDF/UA-1 file, but its structure tree has gaps that
accessibility checkers (pdfua, veraPDF, PAC) and screen readers notice. Each module here
makes one fix, and says why in its docstring:

- `split_tables`: a table split over pages is one /Table again, repeated header rows are
  artifacts;
- `running_heads`: running heads and footers are pagination artifacts;
- `table_headers`: table header cells get /Scope;
- `toc_links`: one /Link per link in the table of contents;
- `language`: CJK text without a language is marked /Lang with the project's CJK name
  language (`zh-Hans` in the example);
- `parent_tree`: the structure root gets /ParentTreeNextKey;
- `metadata`: the publisher and the licence go into the XMP packet (dc:publisher,
  dc:rights) and the Info dictionary.

They share the structure tree and the pages' parsed content (`tree`, `content`). The
fixes change the structure tree and, in the content streams, only marked-content tags:
nothing is redrawn, so every page looks exactly as WeasyPrint laid it out
(tests/test_pdf.py compares the rendered pages). The file is written back with a
deterministic /ID derived from its content, so the same input gives byte-identical output.
"""

from __future__ import annotations

import io

import pikepdf

from ..models import Brief
from . import language, metadata, parent_tree, running_heads, split_tables, table_headers, toc_links
from .tree import Tree

#: The fixes, in the order they run: the split tables are joined before the running heads'
#: orphans are found (a repeated header row becomes one), and the language is read from
#: the pages as the running-heads fix left them.
FIXES = (
    split_tables.fix,
    running_heads.fix,
    table_headers.fix,
    toc_links.fix,
    language.fix,
    parent_tree.fix,
)


def postprocess(pdf: bytes, brief: Brief, cjk_lang: str | None = None) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        root = doc.Root.get("/StructTreeRoot")
        if root is not None:
            tree = Tree(doc, root, cjk_lang)
            for fix in FIXES:
                fix(tree)
        metadata.fix(doc)
        out = io.BytesIO()
        doc.save(
            out,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
    return out.getvalue()


__all__ = ["FIXES", "postprocess"]
