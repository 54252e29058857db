"""The project file, `policybrief.toml`: what is not content.

A project is a folder holding `policybrief.toml`, its `content/`, optionally its own
`templates/` (overriding the default theme file by file), and by default `sources/` and
`output/`. The file holds the identity the briefs print (title, series, publisher, authors,
logo, contact, licence), the country and languages, the labels of the levels of government,
where things live and the paper size. Content (the taxonomy, summaries and briefs) stays in content/: configuration
mixed with content is what Datasette spent a major release untangling.

Why TOML: it is the format Python tools already use for project files (pyproject.toml), it
has no implicit typing (YAML 1.1 reads a country code `NO` as false), and the standard
library reads it (tomllib). tomllib keeps no line numbers, so `_toml_lines` maps each key to
its line for `path:line: field: message` errors, as content gets.

The project root is found from any subfolder: the nearest folder, upwards, that holds the
project file (as git finds its repository).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Annotated, Any, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from .jurisdictions import check_country, check_language_tag
from .limits import Limits
from .models import DEFAULT_LEVEL_LABELS, LevelLabel
from .problems import ContentError, Problem
from .yamlmap import Located

PROJECT_FILE = "policybrief.toml"
PAPER_SIZES = ("A4", "Letter")
#: The most a project file may be: it is a page of settings, not data.
MAX_PROJECT_FILE_BYTES = 256 * 1024


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Author(_Strict):
    """A named author of the briefs, printed in the byline and the colophon."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    #: Where the author works, printed after the name ("A. Analyst, Example Institute").
    affiliation: Annotated[str, Field(min_length=1, max_length=300)] | None = None

    def label(self) -> str:
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name


#: The kinds of logo a project may give: vector or bitmap, both of which browsers show in an
#: <img> (no scripts run there) and WeasyPrint draws without a plug-in.
LOGO_SUFFIXES = (".svg", ".png")
#: The most a logo may be: a mark for a masthead, not a photograph.
MAX_LOGO_BYTES = 512 * 1024


class SiteSettings(_Strict):
    """The publisher's identity: printed in the masthead, on each brief's cover and in its
    colophon, and written into the PDFs' metadata. Nothing of it is in the code."""

    #: The site's name: the masthead on every page, the running head of the PDFs.
    title: str = "Policy briefs"
    #: The series the briefs are published in, printed with each brief's number on its
    #: cover ("Policy brief series · PB-2026-01"); by default the title. The number itself is
    #: per brief, in its front matter (`number:`), as its edition date is.
    series: str | None = None
    #: Who publishes the briefs (an institution, a team): the byline, the colophon and the
    #: PDF's Publisher; the PDF's Author when no author is named.
    publisher: str | None = None
    #: Named authors (`[[site.authors]]` tables with `name` and optional `affiliation`; a
    #: plain string is a name): the byline and the PDF's Author.
    authors: list[Author] = []
    #: A logo file inside the project (SVG or PNG, at most 512 KiB), shown in the masthead.
    logo: str | None = None
    #: One contact line: an e-mail address, a web address or a postal line.
    contact: str | None = None
    #: The licence line printed in every colophon ("Text and data: CC BY 4.0"), and the
    #: PDF's Rights.
    licence: str | None = None
    #: One line under the title on screen, and the pages' description.
    tagline: str = "National and subnational measures compared, every figure traced to its source"
    #: The index page's opening sentence; the number of source documents follows it.
    lede: str = "Briefs comparing national and subnational measures"
    #: Keywords added to every brief's PDF and page metadata.
    keywords: list[str] = ["policy brief"]

    @field_validator("authors", mode="before")
    @classmethod
    def _names(cls, authors: object) -> object:
        # A plain string is an author's name (the form of older project files).
        if isinstance(authors, list):
            return [{"name": a} if isinstance(a, str) else a for a in authors]
        return authors

    @field_validator("series", "publisher", "contact", "licence")
    @classmethod
    def _one_line(cls, text: str | None) -> str | None:
        if text is not None and (not text.strip() or "\n" in text):
            raise ValueError("must be one line of text (leave the key out to print nothing)")
        return text.strip() if text is not None else None

    @field_validator("logo")
    @classmethod
    def _logo_name(cls, logo: str | None) -> str | None:
        if logo is not None and not logo.lower().endswith(LOGO_SUFFIXES):
            raise ValueError(f"a logo is an SVG or PNG file ({', '.join(LOGO_SUFFIXES)})")
        return logo

    @property
    def series_name(self) -> str:
        return self.series or self.title

    def logo_asset(self) -> str | None:
        """Where the logo is published, relative to the output root."""
        return f"assets/logo{Path(self.logo).suffix.lower()}" if self.logo else None


class CountrySettings(_Strict):
    #: ISO 3166-1 alpha-2 code of the country the corpus is about ("CN", "CA", "DE").
    code: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    #: The country's name as the briefs print it; defaults to the ISO 3166 short name.
    name: str | None = None
    #: How many first-level divisions the country has (provinces, states, Länder). The
    #: taxonomy should list them all; by default the number ISO 3166-2 lists for the country.
    divisions: int | None = Field(default=None, ge=1, le=500)

    @field_validator("code")
    @classmethod
    def _known(cls, code: str) -> str:
        check_country(code)
        return code


class LanguageSettings(_Strict):
    #: BCP 47 tag of the language the briefs are written in.
    text: str = "en"
    #: BCP 47 tags of the further languages names are given in, in display order
    #: ("zh-Hans", "fr", "hi"). Every jurisdiction and actor may carry a name in each.
    names: list[str] = []

    @field_validator("text")
    @classmethod
    def _text(cls, tag: str) -> str:
        return check_language_tag(tag)

    @field_validator("names")
    @classmethod
    def _names(cls, tags: list[str]) -> list[str]:
        out = [check_language_tag(t) for t in tags]
        if len(set(out)) != len(out):
            raise ValueError("a language is listed twice")
        return out

    @model_validator(mode="after")
    def _distinct(self) -> LanguageSettings:
        if self.text in self.names:
            raise ValueError(f"'{self.text}' is the text language; list only further languages in names")
        return self


class PathSettings(_Strict):
    #: Content folder (taxonomy.yaml, documents/, briefs/), relative to the project root.
    content: str = "content"
    #: Source files the evidence anchors are checked against. A missing folder is no error
    #: unless it was set here explicitly and a check asks for the sources.
    sources: str = "sources"
    #: Output folder, replaced as a whole only when a build succeeds.
    output: str = "output"


class PdfSettings(_Strict):
    #: PDF page size: "A4" or "Letter".
    paper: str = "A4"

    @field_validator("paper")
    @classmethod
    def _paper(cls, paper: str) -> str:
        if paper not in PAPER_SIZES:
            raise ValueError(f"paper must be one of {', '.join(PAPER_SIZES)}")
        return paper


def _limit_fields() -> dict[str, Any]:
    """One optional field per `Limits` field, with its default: the table's keys are exactly
    the limits documented in docs/threat-model.md, and a misspelt one is an error."""
    hints = get_type_hints(Limits)
    return {
        f.name: (hints[f.name], Field(default=f.default, gt=0, allow_inf_nan=False))
        for f in dataclass_fields(Limits)
    }


#: The project file's `[limits]` table: resource limits on content (policybrief.limits).
LimitSettings = create_model("LimitSettings", __base__=_Strict, **_limit_fields())


class ProjectSettings(_Strict):
    site: SiteSettings = SiteSettings()
    #: The country; without it, the taxonomy's national jurisdiction says which.
    country: CountrySettings | None = None
    languages: LanguageSettings = LanguageSettings()
    #: Labels of each level of government (keys: national, provincial, municipal, zone,
    #: enterprise); levels not given keep the defaults.
    levels: dict[str, LevelLabel] = {}
    paths: PathSettings = PathSettings()
    pdf: PdfSettings = PdfSettings()
    #: Resource limits on content; keys not given keep their defaults.
    limits: LimitSettings = LimitSettings()  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _limits_consistent(self) -> ProjectSettings:
        self.resource_limits()  # raises ValueError naming the inconsistency
        return self

    def resource_limits(self) -> Limits:
        return Limits(**self.limits.model_dump())  # type: ignore[attr-defined]

    @field_validator("levels")
    @classmethod
    def _levels(cls, levels: dict[str, LevelLabel]) -> dict[str, LevelLabel]:
        unknown = sorted(set(levels) - set(DEFAULT_LEVEL_LABELS))
        if unknown:
            raise ValueError(
                f"unknown level {', '.join(unknown)} (levels: {', '.join(DEFAULT_LEVEL_LABELS)})"
            )
        return levels

    def level_labels(self) -> dict[str, LevelLabel]:
        """Every level's labels: the project's, else the defaults."""
        return {**DEFAULT_LEVEL_LABELS, **self.levels}


class Project:
    """A project on disk: its root folder and its settings."""

    def __init__(self, root: Path, settings: ProjectSettings, file: Path | None) -> None:
        self.root = root
        self.settings = settings
        #: The project file read, or None for a folder without one (defaults apply).
        self.file = file

    def path(self, relative: str) -> Path:
        return (self.root / relative).resolve()

    @property
    def content(self) -> Path:
        return self.path(self.settings.paths.content)

    @property
    def output(self) -> Path:
        return self.path(self.settings.paths.output)

    @property
    def sources(self) -> Path:
        return self.path(self.settings.paths.sources)


def settings_without_a_file(content: Path) -> ProjectSettings:
    """The settings of a project that has no project file: the defaults, with the further
    name languages its taxonomy uses (in the order it first uses them), so that a folder
    holding only content/ builds and shows its names. A taxonomy that cannot be read gives
    the defaults (loading it reports why)."""
    from .yamlmap import YamlError, parse

    tags: dict[str, None] = {}
    try:
        data = parse((content / "taxonomy.yaml").read_text(encoding="utf-8")).data
    except (OSError, UnicodeDecodeError, YamlError):
        return ProjectSettings()
    if isinstance(data, dict):
        for key in ("jurisdictions", "actors"):
            for item in data.get(key) or []:
                for field in ("names", "short"):
                    mapping = item.get(field) if isinstance(item, dict) else None
                    if isinstance(mapping, dict):
                        tags.update((str(tag), None) for tag in mapping)
    try:
        return ProjectSettings(languages=LanguageSettings(names=list(tags)))
    except ValueError:
        return ProjectSettings()


def find_root(start: Path) -> Path | None:
    """The nearest folder from `start` upwards that holds the project file, else None."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    return None


def load_project(root: Path) -> Project:
    """Read ROOT/policybrief.toml; raise ContentError listing every problem in it."""
    from .schema import validate_model

    path = root / PROJECT_FILE
    rel = PROJECT_FILE
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError([Problem(rel, None, "", f"cannot read: {exc.strerror}")]) from None
    if len(raw) > MAX_PROJECT_FILE_BYTES:
        raise ContentError([Problem(rel, None, "", f"larger than {MAX_PROJECT_FILE_BYTES // 1024} KiB")])
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(rel, None, "", f"not UTF-8 text ({exc.reason})")]) from None
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ContentError([Problem(rel, int(line.group(1)) if line else None, "", message)]) from None
    problems: list[Problem] = []
    lines = _toml_lines(text)
    settings = validate_model(ProjectSettings, Located(data, lines), rel, problems)
    if settings is None:
        raise ContentError(problems)
    try:
        read_logo(root, settings.site)
    except LogoError as exc:
        line = lines.get(("site", "logo"))
        raise ContentError([Problem(rel, line, "site.logo", str(exc))]) from None
    return Project(root, settings, path)


class LogoError(ValueError):
    """A logo the build will not read; the message says why."""


def read_logo(root: Path, site: SiteSettings) -> bytes | None:
    """The logo's bytes (None without one): a regular file inside the project, within
    MAX_LOGO_BYTES, that is what its name says (PNG signature; SVG text with an <svg>
    element). The same rules as content (policybrief.safefiles): the project file names it,
    and whoever wrote that may not point the build at /dev/zero or ~/.ssh."""
    from .safefiles import UnsafeFile, read_bytes

    if site.logo is None:
        return None
    name = Path(site.logo)
    if name.is_absolute():
        raise LogoError(f"'{site.logo}' is an absolute path: give a path relative to the project folder")
    try:
        data = read_bytes(root / name, root, MAX_LOGO_BYTES)
    except UnsafeFile as exc:
        raise LogoError(f"'{site.logo}' {exc}") from None
    if name.suffix.lower() == ".png":
        if not data.startswith(b"\x89PNG\r\n\x1a\n"):
            raise LogoError(f"'{site.logo}' is not a PNG image (no PNG signature)")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise LogoError(f"'{site.logo}' is not an SVG image (not UTF-8 text)") from None
        if not re.search(r"<svg[\s>]", text):
            raise LogoError(f"'{site.logo}' is not an SVG image (no <svg> element)")
    return data


_TABLE = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)


def _key_parts(dotted: str) -> tuple[str, ...]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", dotted)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def _toml_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """Key path -> 1-based line, for the tables and keys of a TOML file. Lines inside a
    multi-line array or string are not mistaken for keys: only a line at bracket depth 0
    outside a multi-line string starts a key."""
    lines: dict[tuple[str | int, ...], int] = {}
    table: tuple[str | int, ...] = ()
    arrays: dict[tuple[str, ...], int] = {}
    depth = 0
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is None and depth == 0:
            header = _TABLE.match(line)
            key = _KEY.match(line)
            if header:
                parts = _key_parts(header.group(2))
                if header.group(1) == "[[":
                    arrays[parts] = arrays.get(parts, -1) + 1
                    table = (*parts, arrays[parts])
                else:
                    table = parts
                lines.setdefault(table, number)
                continue
            if key:
                lines.setdefault((*table, *_key_parts(key.group(1))), number)
        # Track what spans lines: multi-line strings and arrays.
        code = line
        for quote in ('"""', "'''"):
            if in_string == quote:
                if quote in code:
                    code = code.split(quote, 1)[1]
                    in_string = None
                else:
                    code = ""
        if in_string is None:
            stripped = re.sub(r'"(?:\\.|[^"\\])*"|\'[^\']*\'', "", code.split("#", 1)[0])
            for quote in ('"""', "'''"):
                if stripped.count(quote) % 2:
                    in_string = quote
            depth += stripped.count("[") + stripped.count("{") - stripped.count("]") - stripped.count("}")
            depth = max(depth, 0)
    return lines


__all__ = [
    "PROJECT_FILE",
    "Author",
    "LogoError",
    "Project",
    "ProjectSettings",
    "SiteSettings",
    "find_root",
    "load_project",
    "read_logo",
]
