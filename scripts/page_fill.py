"""How full each page of a built brief is: the share of the text area left blank below the
last mark on the page (issue 12, item 4: no page but a brief's last may be more than a fifth
blank).

Each page is rendered in greyscale with poppler's pdftoppm; the text area is the page less
its top and bottom margins (print.css: @page margin, 22 mm); the last row of the text area
with a dark pixel is where the page's content ends. The running head and the page number
sit in the margins and do not count.

    .venv/bin/python scripts/page_fill.py output/briefs/*/*.pdf

prints, for each PDF, its page count and each page's blank share; the test suite imports
`blank_shares` (tests/test_pdf.py).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

MARGIN_MM = 22.0  # print.css: @page { margin: 22mm 19mm }
DPI = 40  # enough: a text line is 5 px high
INK = 200  # a grey level below this is a mark (pale table shading is above it)
LIMIT = 0.2  # no page but the last may be more blank than this


def blank_shares(pdf: Path, margin_mm: float = MARGIN_MM, pdftoppm: str = "pdftoppm") -> list[float]:
    """For each page, the share of its text area below the last mark (0 full, 1 empty)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([pdftoppm, "-r", str(DPI), "-gray", str(pdf), f"{tmp}/p"], check=True)
        return [_blank(Image.open(page), margin_mm) for page in sorted(Path(tmp).glob("p-*.pgm"))]


def _blank(page: Image.Image, margin_mm: float) -> float:
    width, height = page.size
    margin = round(margin_mm / 25.4 * DPI)
    top, bottom = margin, height - margin
    pixels = page.load()
    for y in range(bottom - 1, top - 1, -1):
        if any(pixels[x, y] < INK for x in range(width)):  # type: ignore[index, operator]
            return (bottom - 1 - y) / (bottom - top)
    return 1.0


def main(paths: list[str]) -> int:
    over = 0
    for name in paths:
        shares = blank_shares(Path(name))
        flags = ["*" if s > LIMIT and i < len(shares) - 1 else "" for i, s in enumerate(shares)]
        over += sum(1 for f in flags if f)
        pages = " ".join(f"{s:.0%}{f}" for s, f in zip(shares, flags, strict=True))
        print(f"{Path(name).name}: {len(shares)} pages, blank {pages}")
    if over:
        print(f"{over} page(s) more than {LIMIT:.0%} blank before the last (marked *)")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
