"""The one visual style every chart shares: colours, markers, fonts, sizes.

Templates and CSS may import the colour tables too, so that a level of government has the
same colour in a table's legend as in every chart.

Colours are chosen to differ in lightness (CIE L* noted beside each), so that a greyscale
print still tells them apart; where a colour alone would carry meaning, a hatch or marker
shape carries it too.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib import font_manager

# --------------------------------------------------------------------------- colours

#: One colour per level of government, dark to light.
LEVEL_COLOURS: dict[str, str] = {
    "national": "#1d3557",  # L* 22, navy
    "provincial": "#b5452a",  # L* 45, brick
    "municipal": "#4fae94",  # L* 65, teal
    "zone": "#9cc3e6",  # L* 77, light blue
    "enterprise": "#f4e3a1",  # L* 90, sand
}

#: Hatching per level, for bars and patches, so that greyscale prints keep the levels apart.
LEVEL_HATCHES: dict[str, str] = {
    "national": "",
    "provincial": "////",
    # Line hatches only: dot hatches ("..", "oo") cost hundreds of kB of curves in SVG.
    "municipal": "\\\\\\\\",
    "zone": "xxxx",
    "enterprise": "----",
}

#: Kinds of figure: marker shape AND colour AND fill differ, so none relies on colour alone.
KIND_STYLES: dict[str, dict[str, Any]] = {
    # L* 28: dark purple upward triangle (a goal to reach)
    "target": {"marker": "^", "color": "#5b2a86", "facecolor": "#5b2a86", "size": 7.0},
    # L* 51: green filled circle (achieved)
    "result": {"marker": "o", "color": "#2b8a3e", "facecolor": "#2b8a3e", "size": 6.0},
    # L* 73: light grey square with a dark edge (the starting point)
    "baseline": {"marker": "s", "color": "#4d4d4d", "facecolor": "#b3b3b3", "size": 5.5},
    # L* 59: orange hollow diamond (one firm's figure, not a jurisdiction's)
    "anecdote": {"marker": "D", "color": "#d9731a", "facecolor": "#ffffff", "size": 5.5},
}

#: Sequential ramp for counts in the heatmap: neutral slate, so it is not read as a level.
COUNT_RAMP = ("#eef1f4", "#36454f")
#: Sequential ramp for the tile map: the provincial colour's hue, light to dark.
MAP_RAMP = ("#f0bba6", "#6e1f0c")
#: Tiles of provinces with no reported measure: white, dashed grey edge, grey text.
EMPTY_FILL = "#ffffff"
EMPTY_EDGE = "#9a9a9a"
TEXT = "#222222"
MUTED = "#6b6b6b"
GRID = "#d9d9d9"

# --------------------------------------------------------------------------- sizes

#: An A4 brief column.
WIDTH_CM = 16.0
BASE_PT = 8.5
SMALL_PT = 8.0

# --------------------------------------------------------------------------- fonts

LATIN_FAMILY = "Noto Sans"
CJK_FAMILY = "Noto Sans CJK SC"
DEVANAGARI_FAMILY = "Noto Sans Devanagari"
ARABIC_FAMILY = "Noto Sans Arabic"
NOTO_DIR = Path("/usr/share/fonts/truetype/noto")
CJK_DIR = Path("/usr/share/fonts/opentype/noto")
#: The exact files the charts use, by family. The CJK file is a collection (JP, KR, SC, TC,
#: HK faces); matplotlib registers each face under its own family name, and we ask for SC.
FONT_FILES: dict[str, tuple[Path, ...]] = {
    LATIN_FAMILY: (NOTO_DIR / "NotoSans-Regular.ttf", NOTO_DIR / "NotoSans-Bold.ttf"),
    # Bold too, for Chinese in bold labels; same Debian package (fonts-noto-cjk).
    CJK_FAMILY: (CJK_DIR / "NotoSansCJK-Regular.ttc", CJK_DIR / "NotoSansCJK-Bold.ttc"),
    # Names in Devanagari and Arabic script (fonts-noto-core as well).
    DEVANAGARI_FAMILY: (
        NOTO_DIR / "NotoSansDevanagari-Regular.ttf",
        NOTO_DIR / "NotoSansDevanagari-Bold.ttf",
    ),
    ARABIC_FAMILY: (NOTO_DIR / "NotoSansArabic-Regular.ttf", NOTO_DIR / "NotoSansArabic-Bold.ttf"),
}


class ChartFontError(RuntimeError):
    """A font the charts need is missing or cannot be selected."""


_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the chart fonts by file path, and make them the only files of their family.

    Pinning matters for byte-identical output: a machine with other files that call
    themselves "Noto Sans" (a variable font, a Light weight) would otherwise let
    matplotlib's scoring pick a different file and so different glyph outlines.
    """
    global _registered
    with _lock:
        if _registered:
            return
        for family, paths in FONT_FILES.items():
            for path in paths:
                if not path.is_file():
                    raise ChartFontError(
                        f"chart font not found: {path} (family '{family}'); install it with "
                        "scripts/system-deps.sh build (Debian packages fonts-noto-core, "
                        "fonts-noto-cjk)"
                    )
        manager = font_manager.fontManager
        wanted = {str(p.resolve()) for paths in FONT_FILES.values() for p in paths}
        known = {str(Path(f.fname).resolve()) for f in manager.ttflist}
        for path in sorted(wanted - known):
            manager.addfont(path)
        manager.ttflist = [
            f for f in manager.ttflist if f.name not in FONT_FILES or str(Path(f.fname).resolve()) in wanted
        ]
        manager._findfont_cached.cache_clear()  # the list changed under the cache
        for family, paths in FONT_FILES.items():
            found = font_manager.findfont(
                font_manager.FontProperties(family=family), fallback_to_default=False
            )
            if Path(found).resolve() != paths[0].resolve():
                raise ChartFontError(f"font family '{family}' resolves to {found}, not {paths[0]}")
        _registered = True


def rc_params() -> dict[str, Any]:
    """The matplotlib settings every chart renders under."""
    return {
        # Latin text in Noto Sans; any glyph it lacks falls back to the next family that has
        # it: Chinese to the SC face, Hindi to Devanagari, Arabic script to Arabic.
        "font.family": [LATIN_FAMILY, CJK_FAMILY, DEVANAGARI_FAMILY, ARABIC_FAMILY],
        "font.size": BASE_PT,
        "axes.titlesize": BASE_PT + 0.5,
        "axes.labelsize": BASE_PT,
        "xtick.labelsize": SMALL_PT,
        "ytick.labelsize": SMALL_PT,
        "legend.fontsize": SMALL_PT,
        "legend.title_fontsize": SMALL_PT,
        "text.color": TEXT,
        "axes.labelcolor": TEXT,
        "xtick.color": TEXT,
        "ytick.color": TEXT,
        "axes.edgecolor": "#555555",
        "axes.linewidth": 0.6,
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
        "xtick.major.size": 3,
        "ytick.major.size": 0,
        "hatch.linewidth": 0.6,
        "legend.frameon": False,
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "savefig.facecolor": "white",
        "text.usetex": False,
        # Chart text is the analyst's text, drawn as written: with mathtext on, a '$' in a
        # label or a jurisdiction's name is parsed as TeX (nested '$…$' recursed until the
        # interpreter gave up; unbalanced ones raised ValueError).
        "text.parse_math": False,
        # Text as <text>, not glyph outlines: WeasyPrint draws it with the PDF's own fonts
        # (outlines made it re-parse one path per glyph use: most of a PDF build's time), and
        # it stays selectable and searchable. The layout is still matplotlib's, measured with
        # the pinned files above; `svg_font_family` names the families the SVG asks for.
        "svg.fonttype": "none",
        # Clip-path and marker ids are hashes salted with this: fixed, so output is stable.
        "svg.hashsalt": "policybrief",
        "svg.image_inline": True,
        "path.simplify": False,
    }


@functools.cache
def svg_font_family(names: tuple[str, ...]) -> str:
    """The CSS font-family for SVG text that matplotlib laid out in the families `names`.

    - Names are joined by a bare comma: WeasyPrint 70 splits the list on "," and strips
      quotes without stripping spaces, so after ", " a name is not found and Pango falls
      back to the Japanese face of the CJK collection.
    - The PDF's own family bound by @font-face to the same file comes first (fonts.FACES:
      "PB Sans" is NotoSans-*.ttf), so WeasyPrint draws chart labels from the pinned file,
      in the same embedded subset as the body text, not from whatever fontconfig calls
      "Noto Sans". Browsers do not know that name and skip it.
    - `SVG_FALLBACKS` come last: a browser shows an <img> SVG with system fonts only, and
      one without Noto Sans would otherwise fall back to its default font (often a serif,
      or the wider DejaVu Sans, which pushes right-aligned labels past the chart's edge).
    """
    from .fonts import FACES

    out: list[str] = []
    for name in names:
        files = {str(p.resolve()) for p in FONT_FILES.get(name, ())}
        out.extend(f.family for f in FACES if f.local_name is None and str(f.path.resolve()) in files)
        out.append(name)
    out.extend(SVG_FALLBACKS)
    return ",".join(name if name in _GENERIC else f"'{name}'" for name in dict.fromkeys(out))


#: For browsers without Noto Sans: Arial (Liberation Sans through fontconfig's metric alias
#: on Linux) is a little narrower than Noto Sans, so matplotlib's layout, measured with Noto
#: Sans, still fits; multi-line labels, placed line by line, only go a little ragged.
SVG_FALLBACKS = ("Arial", "sans-serif")
_GENERIC = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"})


@contextmanager
def chart_style() -> Iterator[None]:
    """Render under the shared style. rcParams are process-global: hold the lock so two
    threads never interleave styles (worker processes each have their own)."""
    register_fonts()
    with _lock, mpl.rc_context(rc_params()):
        yield


def hex_to_rgb(colour: str) -> tuple[float, float, float]:
    colour = colour.lstrip("#")
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b)


def mix(a: str, b: str, t: float) -> str:
    """A colour `t` of the way from `a` to `b` (0 gives a, 1 gives b), as #rrggbb."""
    ra, ga, ba = hex_to_rgb(a)
    rb, gb, bb = hex_to_rgb(b)
    parts = (ra + (rb - ra) * t, ga + (gb - ga) * t, ba + (bb - ba) * t)
    return "#" + "".join(f"{round(p * 255):02x}" for p in parts)


def relative_luminance(colour: str) -> float:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = hex_to_rgb(colour)
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def text_on(fill: str) -> str:
    """Dark or white text, whichever reads better on `fill`."""
    return "#ffffff" if relative_luminance(fill) < 0.22 else TEXT
