"""Publish stage, PDF: the print variant of a brief's page through WeasyPrint.

WeasyPrint reads only what SafeFetcher serves: the brief's own rendered files (charts), the
theme's stylesheets (templates/assets, over the default theme's), and the pinned font files. Output is tagged PDF/UA-1.
"""

from __future__ import annotations

import io
from pathlib import Path

from .fetcher import BUILD_ROOT, SafeFetcher
from .fonts import check_fonts, font_face_css, font_files
from .models import Brief
from .options import PAPER_SIZES, Options
from .pagefloat import float_charts


class PdfError(RuntimeError):
    pass


def write_pdf(
    page_html: str, page_dir: str, files: dict[str, bytes], options: Options, brief: Brief
) -> tuple[bytes, int]:
    """The PDF, and its number of pages."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    check_fonts()
    _tag_languages()
    memory = {f"{BUILD_ROOT}/{path}": data for path, data in files.items()}
    for name, asset in options.theme.assets(".css").items():
        memory[f"{BUILD_ROOT}/assets/{name}"] = asset.read_bytes()
    fetcher = SafeFetcher(files=font_files(), memory=memory)
    page_css = f"@page {{ size: {PAPER_SIZES[options.paper]}; }}\n"
    # @font-face rules in a stylesheet given to write_pdf only apply through a shared
    # FontConfiguration.
    font_config = FontConfiguration()
    stylesheets = [
        weasyprint.CSS(string=font_face_css(), url_fetcher=fetcher, font_config=font_config),
        weasyprint.CSS(string=page_css),
    ]
    document = weasyprint.HTML(
        string=page_html, base_url=f"file://{BUILD_ROOT}/{page_dir}", url_fetcher=fetcher
    )
    options_ = {
        "pdf_variant": "pdf/ua-1",
        "pdf_tags": True,
        "custom_metadata": True,
        "uncompressed_pdf": False,
    }
    # Laid out, then again while a chart left the page before it underfull (pagefloat.py).
    rendered = float_charts(
        document, lambda html: html.render(stylesheets=stylesheets, font_config=font_config, **options_)
    )
    out = io.BytesIO()
    rendered.write_pdf(out, **options_)
    if fetcher.refused:
        raise PdfError(
            f"brief '{brief.id}' asked for resources outside the build: "
            + ", ".join(sorted(set(fetcher.refused)))
        )
    from .pdfpost import postprocess

    return postprocess(out.getvalue(), brief, cjk_lang=_cjk_language(options)), len(rendered.pages)


def _cjk_language(options: Options) -> str | None:
    """The project's name language written in the CJK font, if it has one: text set all in
    that font (outside any element with a lang attribute) is declared in it."""
    return next(
        (t for t in options.settings.languages.names if t.split("-")[0].lower() in ("zh", "ja", "ko")),
        None,
    )


def _tag_languages() -> None:
    """Carry HTML lang attributes into the PDF's structure tree as /Lang.

    WeasyPrint 70 writes the document's language (/Lang in the catalog) but not the lang
    attribute of an element, and PDF/UA asks for every change of language to be declared
    (a name in French or Chinese inside English text: <span lang="fr">). Its structure
    elements are made by weasyprint.pdf.tags._build_box_tree, one per box, recursively
    through the module's global name; this wraps it so that the element made for a box whose
    HTML element has a lang attribute gets /Lang. Nothing else changes (tests/test_pdf.py and
    tests/test_federation.py read the tags back)."""
    import pydyf
    from weasyprint.pdf import tags

    original = tags._build_box_tree
    if getattr(original, "policybrief_lang", False):
        return

    def build(box, parent, pdf, *args, **kwargs):  # type: ignore[no-untyped-def]
        element = getattr(box, "element", None)
        lang = None
        if element is not None and getattr(box, "element_tag", None) not in (None, "html", "body"):
            lang = element.get("lang") if hasattr(element, "get") else None
        for struct in original(box, parent, pdf, *args, **kwargs):
            if lang and "Lang" not in struct:
                struct["Lang"] = pydyf.String(lang)
            yield struct

    build.policybrief_lang = True  # type: ignore[attr-defined]
    tags._build_box_tree = build


__all__ = ["Path", "PdfError", "write_pdf"]
