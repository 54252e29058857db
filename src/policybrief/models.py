"""Typed models of the content: taxonomy, source documents, measures, quantities, briefs.

The field names follow the nouns analysts use (see docs/content-format.md). Every model
forbids unknown keys, so a typo in a summary is an error rather than a silently lost fact.
Cross-references (jurisdiction codes, actor ids, taxonomy terms, document ids) are checked
by `policybrief.validate`, not here, because they need the whole corpus.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .charts.kinds import KINDS as CHART_KINDS

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
TileIndex = Annotated[int, Field(ge=0, le=99)]
# A verbatim phrase from the source: the content model allows a dozen words at most.
Anchor = Annotated[str, Field(min_length=3, max_length=160)]


class Strict(BaseModel):
    # Non-finite numbers ("1e309" is text to YAML 1.1, and pydantic would read it as
    # infinity) break charts, arithmetic and JSON: refused here as well as by the YAML loader.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)


# --------------------------------------------------------------------------- taxonomy


class Level(StrEnum):
    national = "national"
    provincial = "provincial"
    municipal = "municipal"
    zone = "zone"
    enterprise = "enterprise"


LEVEL_ORDER = [Level.national, Level.provincial, Level.municipal, Level.zone, Level.enterprise]


class LevelLabel(Strict):
    """What a country calls one level of government (policybrief.toml: [levels.KEY])."""

    #: As a column or legend says it: "Provincial", "State", "Regional".
    adjective: str
    #: One unit at this level: "province", "state", "region".
    noun: str
    #: More than one: "provinces", "states", "Länder".
    plural: str
    #: The adjective inside a sentence ("provincial measures"). By default the adjective in
    #: lower case; give it when the word keeps its capital there ("Land measures").
    in_text: str | None = None

    @property
    def in_sentence(self) -> str:
        return self.in_text or self.adjective.lower()


#: The labels of a project that names none. `provincial` is the first level below the
#: country, whatever the country calls it.
DEFAULT_LEVEL_LABELS: dict[str, LevelLabel] = {
    "national": LevelLabel(adjective="National", noun="national government", plural="national government"),
    "provincial": LevelLabel(adjective="Provincial", noun="province", plural="provinces"),
    "municipal": LevelLabel(adjective="Municipal", noun="city", plural="cities"),
    "zone": LevelLabel(adjective="Zone", noun="zone", plural="zones"),
    "enterprise": LevelLabel(adjective="Enterprise", noun="enterprise", plural="enterprises"),
}


class Jurisdiction(Strict):
    # ISO 3166-1 alpha-2 for the country, ISO 3166-2 for its subdivisions, and the project's
    # own extension below them (cities, zones); checked against the country's ISO list by
    # validate.check_jurisdictions.
    code: Annotated[str, Field(pattern=r"^[A-Z]{2}(?:-[A-Z0-9]{1,8})*$")]
    level: Level
    # Administrative type as the source would name it: province, municipality,
    # autonomous region, special administrative region, city, high-tech zone…
    type: str
    # The name in the language the briefs are written in (policybrief.toml: languages.text).
    name: str
    # The name in each further language, keyed by BCP 47 tag ("zh-Hans": 山东省, "fr": Québec);
    # the tags are the project's languages.names.
    names: dict[str, str] = {}
    # Short forms for tight spaces (the tile map), by the same tags.
    short: dict[str, str] = {}
    parent: str | None = None
    # Position on the tile-grid map (row, column); first-level divisions only.
    # Bounded: the tile map draws a grid up to the largest row and column.
    tile: tuple[TileIndex, TileIndex] | None = None

    def short_name(self, tag: str) -> str | None:
        """The short form in language `tag`, else the full name in it, else None."""
        return self.short.get(tag) or self.names.get(tag)


class ActorKind(StrEnum):
    central_leadership = "central-leadership"
    state_council = "state-council"
    ministry = "ministry"
    local_government = "local-government"
    local_department = "local-department"
    zone_administration = "zone-administration"
    research = "research"
    association = "association"
    enterprise = "enterprise"
    media = "media"
    person = "person"


class Actor(Strict):
    id: Slug
    name: str
    kind: ActorKind
    jurisdiction: str
    aliases: list[str] = []
    # The name in further languages, keyed by BCP 47 tag, as for jurisdictions.
    names: dict[str, str] = {}
    note: str | None = None


class InstrumentType(Strict):
    id: Slug
    label: str
    description: str | None = None


class InstrumentFamily(Strict):
    id: Slug
    label: str
    types: list[InstrumentType]


class Theme(Strict):
    id: Slug
    label: str
    description: str | None = None


class TileMap(Strict):
    """Which first-level divisions the tile map draws, and what its caption says of them
    (taxonomy.yaml: `map:`). Without it, the map draws every first-level division."""

    # First-level divisions that stay jurisdictions (measures may name them, tables list them)
    # but are not drawn: a division outside the policy system the briefs compare.
    leave_out: list[str] = []
    # What the drawn divisions are called, in the plural, for the caption and alt text
    # ("mainland provincial-level divisions"); default "<adjective>-level divisions".
    divisions: str | None = None
    # How the divisions not drawn are treated, in the analysts' words: printed after the
    # caption and in the alt text, so that a reader knows why a place is missing.
    note: str | None = None


class Taxonomy(Strict):
    jurisdictions: list[Jurisdiction]
    actors: list[Actor]
    instruments: list[InstrumentFamily]
    themes: list[Theme]
    map: TileMap = Field(default_factory=TileMap)
    # Filled in from the project file by load.load_corpus (never written in taxonomy.yaml):
    # the taxonomy is what every table and chart reads, and what the chart cache hashes.
    levels: dict[str, LevelLabel] = Field(default_factory=lambda: dict(DEFAULT_LEVEL_LABELS))

    @model_validator(mode="before")
    @classmethod
    def _no_levels_here(cls, data: object) -> object:
        if isinstance(data, dict) and "levels" in data:
            raise ValueError("level labels belong in policybrief.toml ([levels.provincial] and so on)")
        return data

    def level_label(self, level: Level | str) -> LevelLabel:
        key = level.value if isinstance(level, Level) else level
        return self.levels.get(key) or DEFAULT_LEVEL_LABELS[key]

    def jurisdiction(self, code: str) -> Jurisdiction:
        return self._jur_index()[code]

    def map_divisions(self) -> list[Jurisdiction]:
        """The first-level divisions the tile map draws, in taxonomy order: every one with a
        tile position that `map.leave_out` does not name."""
        left_out = set(self.map.leave_out)
        return [
            j
            for j in self.jurisdictions
            if j.level is Level.provincial and j.tile is not None and j.code not in left_out
        ]

    def map_divisions_label(self) -> str:
        """What the caption calls the drawn divisions: "provincial-level divisions"."""
        return self.map.divisions or f"{self.level_label(Level.provincial).in_sentence}-level divisions"

    def _jur_index(self) -> dict[str, Jurisdiction]:
        return {j.code: j for j in self.jurisdictions}

    def instrument_ids(self) -> set[str]:
        return {f"{fam.id}/{t.id}" for fam in self.instruments for t in fam.types}

    def instrument_label(self, ref: str) -> str:
        type_label = self.instrument_type_label(ref)
        return ref if type_label is None else f"{self.instrument_family_label(ref)} › {type_label}"

    def instrument_type_label(self, ref: str) -> str | None:
        """The type's own label ("Plan or strategy"), or None for an unknown reference."""
        fam_id, _, type_id = ref.partition("/")
        for fam in self.instruments:
            if fam.id == fam_id:
                return next((t.label for t in fam.types if t.id == type_id), None)
        return None

    def instrument_family_label(self, ref: str) -> str:
        fam_id = ref.partition("/")[0]
        return next((f.label for f in self.instruments if f.id == fam_id), fam_id)

    def theme_label(self, theme_id: str) -> str:
        return next((t.label for t in self.themes if t.id == theme_id), theme_id)

    def actor(self, actor_id: str) -> Actor:
        return next(a for a in self.actors if a.id == actor_id)

    def province_of(self, code: str) -> Jurisdiction | None:
        """The provincial-level division a jurisdiction lies in (itself if provincial)."""
        index = self._jur_index()
        current = index.get(code)
        while current is not None:
            if current.level is Level.provincial:
                return current
            current = index.get(current.parent) if current.parent else None
        return None


# --------------------------------------------------------------------------- evidence


class Evidence(Strict):
    """Where a fact stands in its source: a short verbatim phrase from the source file.

    `reading` is the analyst's corrected reading when the anchor contains extraction damage
    (digits split by spaces, a garbled word); the anchor itself stays verbatim so that the
    check can find it.
    """

    anchor: Anchor
    reading: str | None = None

    @field_validator("anchor")
    @classmethod
    def _dozen_words(cls, v: str) -> str:
        if len(v.split()) > 12:
            raise ValueError(f"an anchor is a dozen words at most; this one has {len(v.split())}")
        return v


# --------------------------------------------------------------------------- quantities


class QuantityKind(StrEnum):
    target = "target"
    result = "result"
    baseline = "baseline"
    anecdote = "anecdote"
    # A count that describes a plan or programme itself (26 measures, 10 actions, two
    # batches): neither a goal nor an outcome, so never set beside targets and results.
    make_up = "make-up"


# Scale words that sources write after a number ("10 million yuan"); the value keeps the
# number as written and `scale` says what it multiplies by.
SCALE_FACTORS: dict[str, float] = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


class Period(Strict):
    # The project's year bounds (Limits.min_year, max_year) are checked with the other
    # limits (policybrief.guard), since a project may set them.
    start: int | None = None
    end: int | None = None
    inferred: bool = False
    reason: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"end year {self.end} before start year {self.start}")
        if self.inferred and not self.reason:
            raise ValueError("an inferred period needs a reason")
        return self

    def label(self) -> str:
        if self.start and self.end:
            text = str(self.start) if self.start == self.end else f"{self.start}–{self.end}"
        elif self.start:
            text = f"from {self.start}"
        elif self.end:
            text = f"by {self.end}"
        else:
            text = "unspecified"
        return text + (" (inferred)" if self.inferred else "")


class Quantity(Strict):
    id: Slug
    value: float | tuple[float, float]
    unit: str
    counts: str  # what is counted, in the analyst's words: "pilot regions", "energy use"
    kind: QuantityKind
    approx: Literal["over", "nearly", "about", "at least"] | None = None
    # "10 million yuan": value 10, scale million, unit yuan, currency CNY.
    scale: Literal["thousand", "million", "billion", "trillion"] | None = None
    # Money: the ISO 4217 code of the currency the source states (CNY, USD); the unit then
    # names it as a reader would ("yuan", "US dollars").
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    # The id of the quantity this one converts (the source's own conversion, as it states it).
    converts: str | None = None
    jurisdiction: str | None = None  # defaults to the measure's (or the document's subject)
    period: Period | None = None
    enterprise: str | None = None  # actor id, for anecdotes about one firm
    note: str | None = None
    evidence: Evidence

    @field_validator("value")
    @classmethod
    def _range_ordered(cls, v: float | tuple[float, float]) -> float | tuple[float, float]:
        if isinstance(v, tuple) and v[1] < v[0]:
            raise ValueError("a range is written [low, high]")
        return v

    @model_validator(mode="after")
    def _anecdote_has_enterprise(self) -> Quantity:
        if self.kind is QuantityKind.anecdote and not self.enterprise:
            raise ValueError("an anecdote quantity names its enterprise (actor id)")
        return self

    @field_validator("unit")
    @classmethod
    def _no_scale_in_unit(cls, v: str) -> str:
        first = v.split(" ", 1)[0].lower()
        if first in SCALE_FACTORS:
            raise ValueError(f"write the scale apart: 'scale: {first}' and the unit without it")
        return v

    def display_number(self) -> str:
        """The figure with its qualifier and scale, without the unit: "over 10 million"."""

        def fmt(x: float) -> str:
            return f"{int(x):,}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")

        if isinstance(self.value, tuple):
            number = f"{fmt(self.value[0])}–{fmt(self.value[1])}"
        else:
            number = fmt(self.value)
        prefix = f"{self.approx} " if self.approx else ""
        if self.unit == "%":
            return f"{prefix}{number}%"
        if self.unit == "rank" and not isinstance(self.value, tuple):
            return f"{prefix}{_ordinal(int(self.value))}"
        return f"{prefix}{number}" + (f" {self.scale}" if self.scale else "")

    def display_value(self) -> str:
        number = self.display_number()
        if self.unit in ("%", "rank"):
            return number
        return f"{number} {self.unit}"

    def magnitude(self) -> float:
        return self.value[1] if isinstance(self.value, tuple) else self.value

    def amounts(self) -> tuple[float, float]:
        """(low, high) with the scale applied: 10 million is 10,000,000."""
        factor = SCALE_FACTORS[self.scale] if self.scale else 1.0
        low, high = self.value if isinstance(self.value, tuple) else (self.value, self.value)
        return low * factor, high * factor


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --------------------------------------------------------------------------- measures


class Status(StrEnum):
    announced = "announced"
    in_force = "in-force"
    completed = "completed"
    proposed = "proposed"  # recommended by commentators, not adopted by any government
    unknown = "unknown"


class Scope(Strict):
    type: Literal["general", "targeted"]
    detail: str | None = None


class Measure(Strict):
    id: Slug
    title: str
    description: str
    jurisdiction: str
    actors: list[str] = Field(min_length=1)
    instrument: str  # "family/type", from the taxonomy
    themes: list[str] = Field(min_length=1)
    scope: Scope
    period: Period
    status: Status
    plan: str | None = None  # the named plan or programme, as the source names it
    quantities: list[Quantity] = []
    evidence: list[Evidence] = Field(min_length=1)
    note: str | None = None


# --------------------------------------------------------------------------- documents


class DocumentKind(StrEnum):
    news_report = "news-report"
    commentary = "commentary"
    feature = "feature"
    policy_text = "policy-text"


class Published(Strict):
    date: dt.date
    precision: Literal["day", "month", "year"]
    basis: Literal["stated", "inferred"]
    reason: str | None = None

    @model_validator(mode="after")
    def _inferred_has_reason(self) -> Published:
        if self.basis == "inferred" and not self.reason:
            raise ValueError("an inferred date needs a reason")
        return self

    def label(self) -> str:
        if self.precision == "day":
            text = f"{self.date.day} {self.date:%B %Y}"
        elif self.precision == "month":
            text = f"{self.date:%B %Y}"
        else:
            text = str(self.date.year)
        return text + (" (inferred)" if self.basis == "inferred" else "")


class SourceFile(Strict):
    file: str
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class NoteKind(StrEnum):
    extraction = "extraction"  # text-extraction damage and how it was read
    discrepancy = "discrepancy"  # two sources disagree; both readings kept
    inference = "inference"  # something the text does not state, inferred and why
    metonym = "metonym"  # a place name standing for a government
    scope = "scope"  # what the summary leaves out and why


class Note(Strict):
    kind: NoteKind
    text: str
    evidence: Evidence | None = None
    other_document: str | None = None  # for discrepancies: the other source's id


class SourceDocument(Strict):
    id: Slug
    title: str
    outlet: str
    authors: list[str] = []
    kind: DocumentKind
    published: Published
    language: str = "en"
    source: SourceFile
    url: str | None = None
    # The jurisdiction a document is mostly about; quantities outside measures default to it.
    # The jurisdiction the document is mostly about; without it, the taxonomy's national
    # jurisdiction (filled in by load.load_corpus).
    subject: str = ""
    key_points: list[str] = Field(min_length=3, max_length=7)
    notes: list[Note] = []
    measures: list[Measure] = []
    # Figures that belong to no measure: context, enterprise anecdotes.
    quantities: list[Quantity] = []
    summary: str = ""  # the Markdown body, filled by the loader


# --------------------------------------------------------------------------- briefs


# Comparison views a brief can show (docs/briefs.md): tables and charts.
# The chart kinds come from their registry, so that a new kind is listed in one place.
ViewName = Literal["who", "matrix", *CHART_KINDS, "targets", "alignment", "measures", "limits"]  # type: ignore[valid-type]
VIEW_NAMES: tuple[str, ...] = get_args(ViewName)


class BriefKind(StrEnum):
    comparative = "comparative"
    thematic = "thematic"
    digest = "digest"


class Filters(Strict):
    documents: list[str] | Literal["all"] = "all"
    themes: list[str] = []
    instruments: list[str] = []
    levels: list[Level] = []
    jurisdictions: list[str] = []


class Review(Strict):
    """A brief's `reviewed` mark (policybrief.review): when an analyst last read its text
    against the data, and the data it rested on then."""

    date: dt.date
    #: The brief's selection when it was reviewed.
    documents: list[Slug]
    #: Each quantity its text cited, as displayed then ("over 10,000 companies (target)").
    figures: dict[Slug, str] = {}


class Brief(Strict):
    id: Slug
    title: str
    subtitle: str | None = None
    kind: BriefKind
    audience: str
    summary: str  # one or two sentences for the index page
    edition: dt.date
    number: str | None = None  # the series number printed on the cover, e.g. "PB-2026-01"
    key_messages: list[str] = Field(min_length=3, max_length=6)
    covers: Filters = Filters()
    # Which comparison views the brief shows, in order; the template decides how.
    views: list[ViewName] = []
    keywords: list[str] = []
    #: When the text was last read against its data; `policybrief review` writes it.
    reviewed: Review | None = None
    body: str = ""  # the Markdown body, filled by the loader
