"""The fonts the briefs are set in, pinned to files, so two machines give the same pages.

The PDF does not ask fontconfig for "a serif": each family the stylesheets name is bound by
@font-face to one file that the set-up installs from Debian (fonts-noto-core and
fonts-noto-cjk, free under the SIL Open Font License). A missing file stops the build with
the package to install, rather than silently substituting another font.

Noto Sans CJK ships as a font collection (.ttc). WeasyPrint's @font-face loads a
collection's first face only (Japanese glyph forms, even through local()), so the Chinese
family is not bound by @font-face: the stylesheets name "Noto Sans CJK SC" and Pango's
fontconfig picks the Simplified Chinese face of the collection. `check_fonts` verifies that
fontconfig resolves that name to the pinned file, so the pin holds all the same.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

NOTO = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")


@dataclass(frozen=True)
class FontFace:
    family: str  # the family name the stylesheets use
    weight: int
    style: str
    path: Path
    package: str
    local_name: str | None = None  # bind by fontconfig name (collections) instead of url()


FACES: tuple[FontFace, ...] = (
    FontFace("PB Serif", 400, "normal", NOTO / "NotoSerif-Regular.ttf", "fonts-noto-core"),
    FontFace("PB Serif", 400, "italic", NOTO / "NotoSerif-Italic.ttf", "fonts-noto-core"),
    FontFace("PB Serif", 700, "normal", NOTO / "NotoSerif-Bold.ttf", "fonts-noto-core"),
    FontFace("PB Serif", 700, "italic", NOTO / "NotoSerif-BoldItalic.ttf", "fonts-noto-core"),
    FontFace("PB Sans", 400, "normal", NOTO / "NotoSans-Regular.ttf", "fonts-noto-core"),
    FontFace("PB Sans", 400, "italic", NOTO / "NotoSans-Italic.ttf", "fonts-noto-core"),
    FontFace("PB Sans", 700, "normal", NOTO / "NotoSans-Bold.ttf", "fonts-noto-core"),
    # Names in other scripts, after Latin and CJK in every font list of the stylesheets:
    # Devanagari (Hindi, Marathi, Nepali) and Arabic (Arabic, Persian, Urdu).
    FontFace("PB Devanagari", 400, "normal", NOTO / "NotoSansDevanagari-Regular.ttf", "fonts-noto-core"),
    FontFace("PB Devanagari", 700, "normal", NOTO / "NotoSansDevanagari-Bold.ttf", "fonts-noto-core"),
    FontFace("PB Arabic", 400, "normal", NOTO / "NotoSansArabic-Regular.ttf", "fonts-noto-core"),
    FontFace("PB Arabic", 700, "normal", NOTO / "NotoSansArabic-Bold.ttf", "fonts-noto-core"),
    FontFace(
        "Noto Sans CJK SC",
        400,
        "normal",
        NOTO_CJK / "NotoSansCJK-Regular.ttc",
        "fonts-noto-cjk",
        local_name="Noto Sans CJK SC",
    ),
    FontFace(
        "Noto Sans CJK SC",
        700,
        "normal",
        NOTO_CJK / "NotoSansCJK-Bold.ttc",
        "fonts-noto-cjk",
        local_name="Noto Sans CJK SC:bold",
    ),
)


class FontError(RuntimeError):
    pass


def check_fonts() -> None:
    missing = sorted({f"{f.path} (Debian package {f.package})" for f in FACES if not f.path.is_file()})
    if missing:
        raise FontError(
            "pinned fonts missing: "
            + "; ".join(missing)
            + ". Run `make build` as root, or: sudo apt-get install fonts-noto-core fonts-noto-cjk"
        )
    if shutil.which("fc-match"):
        for face in FACES:
            if face.local_name:
                found = subprocess.run(
                    ["fc-match", "-f", "%{file}", face.local_name],
                    capture_output=True,
                    text=True,
                    check=False,
                ).stdout
                if Path(found) != face.path:
                    raise FontError(
                        f"fontconfig resolves '{face.local_name}' to {found or 'nothing'}, "
                        f"not the pinned {face.path}"
                    )


def font_face_css() -> str:
    rules = []
    for face in FACES:
        if face.local_name:
            continue  # resolved by fontconfig; see the module docstring
        src = f'url("{face.path.as_uri()}")'
        rules.append(
            f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
            f"font-style: {face.style}; src: {src}; }}"
        )
    return "\n".join(rules) + "\n"


def font_files() -> list[Path]:
    return [f.path for f in FACES if not f.local_name]


def fingerprint() -> str:
    """Hash of the pinned font files' identities, for the build cache key."""
    h = hashlib.sha256()
    for face in FACES:
        stat = face.path.stat() if face.path.exists() else None
        h.update(f"{face}|{stat.st_size if stat else -1}|{stat.st_mtime_ns if stat else -1}".encode())
    return h.hexdigest()
