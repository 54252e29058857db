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


class PdfError(RuntimeError):
    pass


def write_pdf(
    page_html: str, page_dir: str, files: dict[str, bytes], options: Options, brief: Brief
) -> tuple[bytes, int]:
    """The PDF, and its number of pages."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    check_fonts()
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
    rendered = document.render(stylesheets=stylesheets, font_config=font_config, **options_)
    out = io.BytesIO()
    rendered.write_pdf(out, **options_)
    if fetcher.refused:
        raise PdfError(
            f"brief '{brief.id}' asked for resources outside the build: "
            + ", ".join(sorted(set(fetcher.refused)))
        )
    from .pdfpost import postprocess

    return postprocess(out.getvalue(), brief), len(rendered.pages)


__all__ = ["Path", "PdfError", "write_pdf"]
