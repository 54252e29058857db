"""Reading a page's content stream: what each piece of marked content shows, and in which
font. Parsing content streams is most of the post-processing's work, so a page is parsed
once for everything the fixes want from it (see `tree.Tree.scan`)."""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary

_CJK_FONT_MARKERS = ("CJK",)

# What the text on a page shows, by MCID: whether it is all in the Chinese font, and its
# fonts and strings (see read_page).
Scan = dict[int, tuple[bool, bytes]]

Instructions = list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage]

# The operators read_page reads: the graphics state (for the font), the font, marked
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


def read_page(page: pikepdf.Page, artifacts: set[int] | None = None) -> tuple[Instructions, list[int], Scan]:
    """Parse a page's content stream once for everything the passes want from it.

    Returns the instructions; the indexes of those that open marked content with an MCID in
    `artifacts` (which running_heads rewrites); and the page's scan: for each marked-content
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
