"""The one options object every stage reads. Each field is documented here and in docs/cli.md
(a test fails when a field is missing from the docs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PAPER_SIZES = {"A4": "A4", "Letter": "letter"}


@dataclass(frozen=True)
class Options:
    #: Project folder holding templates/ (and, by default, content/ and output/).
    project: Path
    #: Content folder: taxonomy.yaml, documents/, briefs/.
    content: Path
    #: Output folder; replaced as a whole, only when a build succeeds.
    output: Path
    #: Brief ids to build; empty builds every brief. The index always lists every brief.
    only: tuple[str, ...] = ()
    #: PDF page size: "A4" (default) or "Letter".
    paper: str = "A4"
    #: Render PDFs (False renders HTML, charts and data only).
    pdf: bool = True
    #: Render the source digests' PDFs too (False: digests as HTML pages only, the briefs
    #: still get PDFs). A digest PDF costs about as much WeasyPrint time as a brief page.
    digest_pdf: bool = True
    #: Worker processes for rendering; 0 means one per core.
    jobs: int = 0
    #: Ignore the build cache and rebuild everything.
    clean: bool = False
    #: Fixed build time (seconds since the epoch) for reproducible output; defaults to
    #: SOURCE_DATE_EPOCH, else the newest brief's edition date.
    source_date_epoch: int | None = field(default=None)

    def pdf_for(self, kind: str) -> bool:
        """Whether a product of this kind (a models.BriefKind) gets a PDF."""
        return self.pdf and (self.digest_pdf or kind != "digest")

    @property
    def templates(self) -> Path:
        return self.project / "templates"
