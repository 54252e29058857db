"""The one options object every stage reads. Each field is documented here and in docs/cli.md
(a test fails when a field is missing from the docs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .limits import DEFAULT_LIMITS, Limits
from .project import ProjectSettings
from .theme import Theme

#: PDF page sizes: the name used in options and the project file -> the CSS `size` value.
PAPER_SIZES = {"A4": "A4", "Letter": "letter"}


@dataclass(frozen=True)
class Options:
    #: Project folder: its templates/ overrides the default theme file by file; it holds
    #: content/ and output/ by default, and the build cache.
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
    #: The project file's settings (policybrief.toml): the identity the briefs print, the
    #: country, languages and level labels. None (the default) reads PROJECT/policybrief.toml,
    #: or takes the defaults when the project has no such file.
    settings: ProjectSettings = field(default=None)  # type: ignore[assignment]
    #: Resource limits on content (policybrief.limits, docs/threat-model.md); by default
    #: the project file's `[limits]` table. File size,
    #: nesting, Markdown structure, views, table rows, figure bounds.
    limits: Limits = DEFAULT_LIMITS

    def __post_init__(self) -> None:
        if self.settings is None:
            from .project import PROJECT_FILE, load_project, settings_without_a_file

            found = (
                load_project(self.project).settings
                if (self.project / PROJECT_FILE).is_file()
                else settings_without_a_file(self.content)
            )
            object.__setattr__(self, "settings", found)
        if self.limits is DEFAULT_LIMITS:
            # Limits not given: the project file's [limits] table (its defaults when absent).
            object.__setattr__(self, "limits", self.settings.resource_limits())

    def pdf_for(self, kind: str) -> bool:
        """Whether a product of this kind (a models.BriefKind) gets a PDF."""
        return self.pdf and (self.digest_pdf or kind != "digest")

    @property
    def templates(self) -> Path:
        """The project's own templates/ folder: files here override the default theme."""
        return self.project / "templates"

    @property
    def theme(self) -> Theme:
        """The project's templates/ over the default theme shipped in the package."""
        return Theme.for_project(self.templates)
