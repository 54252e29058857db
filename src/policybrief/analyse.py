"""Analyse stage: pure functions from the loaded corpus to comparison data.

Nothing here reads files, prints or knows about templates or charts: every function takes
the corpus (or a `Selection` of it) and returns frozen dataclasses, so the same input always
gives the same output and the results can be cached and compared in tests.

Ordering is deterministic everywhere: taxonomy order (themes, instrument families,
jurisdictions as the taxonomy lists them, levels from national down), then ids. Terms that
the taxonomy does not know (which validation normally rules out) sort after known ones, by
id, so that new content still flows through rather than failing here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from .models import (
    LEVEL_ORDER,
    Filters,
    Jurisdiction,
    Level,
    Measure,
    Period,
    Quantity,
    QuantityKind,
    SourceDocument,
    Status,
    Taxonomy,
)

if TYPE_CHECKING:
    from .corpus import Corpus

NATIONAL_CODE = "CN"

KIND_ORDER: tuple[QuantityKind, ...] = tuple(QuantityKind)

# Instrument types that are plans or programmes in their own right; any measure that names
# a plan (`Measure.plan`) also belongs on the timeline, whatever its instrument.
PLAN_INSTRUMENTS = frozenset(
    {
        "governance/plan",
        "governance/guideline",
        "governance/pilot",
        "innovation/technology-programme",
    }
)


def gap_caveat(taxonomy: Taxonomy) -> str:
    return (
        "A gap means only that no matching measure is reported in the documents this brief "
        f"covers; it does not mean that the {taxonomy.level_label(Level.provincial).noun} has no "
        "such measure."
    )


SHORT_TITLE_CHARS = 48


def shorten(text: str, limit: int = SHORT_TITLE_CHARS) -> str:
    """Cut `text` at a word boundary so that it fits `limit` characters, marking the cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return (cut or text[: limit - 1]) + "…"


# --------------------------------------------------------------------------- selection


@dataclass(frozen=True)
class DocumentRef:
    """The source document a measure or figure comes from, as far as a comparison needs it:
    to cite it. (Comparisons and charts are cached on what they read; a summary's wording
    is not part of that.)"""

    id: str


@dataclass(frozen=True)
class MeasureRef:
    """A measure with what it needs to be placed and cited."""

    document: DocumentRef
    measure: Measure
    jurisdiction: Jurisdiction
    # The provincial-level division it lies in (itself if provincial); None at national level.
    province: Jurisdiction | None

    @property
    def id(self) -> str:
        return self.measure.id

    @property
    def title(self) -> str:
        return self.measure.title

    @property
    def short_title(self) -> str:
        return shorten(self.measure.title)

    @property
    def level(self) -> Level:
        return self.jurisdiction.level

    @property
    def family(self) -> str:
        return self.measure.instrument.partition("/")[0]

    @property
    def column(self) -> str:
        """The comparison column: national, else the province, else the jurisdiction itself."""
        if self.jurisdiction.level is Level.national:
            return self.jurisdiction.code
        return self.province.code if self.province is not None else self.jurisdiction.code


@dataclass(frozen=True)
class QuantityRef:
    document: DocumentRef
    measure: Measure | None  # None for a document-level figure (context, anecdote)
    quantity: Quantity
    # quantity.jurisdiction, else the measure's, else (for a firm's figure outside any
    # measure) the enterprise's, else the document's subject.
    jurisdiction: Jurisdiction
    province: Jurisdiction | None

    @property
    def id(self) -> str:
        return self.quantity.id

    @property
    def kind(self) -> QuantityKind:
        return self.quantity.kind

    @property
    def level(self) -> Level:
        return self.jurisdiction.level


@dataclass(frozen=True)
class Selection:
    """What one brief covers: documents, measures and quantities, in deterministic order."""

    taxonomy: Taxonomy
    filters: Filters
    documents: tuple[SourceDocument, ...]
    measures: tuple[MeasureRef, ...]
    quantities: tuple[QuantityRef, ...]
    # Pathways that commentators propose (status "proposed"): kept out of every comparison
    # of what governments do, and listed apart.
    proposals: tuple[MeasureRef, ...] = ()

    @property
    def document_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.documents)


class Compared(Protocol):
    """What the comparisons below read of a selection: a `Selection`, or the charts' narrower
    `policybrief.charts.ChartInput`."""

    @property
    def taxonomy(self) -> Taxonomy: ...

    @property
    def measures(self) -> tuple[MeasureRef, ...]: ...

    @property
    def quantities(self) -> tuple[QuantityRef, ...]: ...


class _Ranks:
    """Sort keys from the taxonomy, computed once per selection."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.jurisdictions = {j.code: j for j in taxonomy.jurisdictions}
        self._jur = {j.code: i for i, j in enumerate(taxonomy.jurisdictions)}
        self._theme = {t.id: i for i, t in enumerate(taxonomy.themes)}
        self._family = {f.id: i for i, f in enumerate(taxonomy.instruments)}
        self._level = {lvl: i for i, lvl in enumerate(LEVEL_ORDER)}

    @staticmethod
    def _key(index: dict[str, int], key: str) -> tuple[int, str]:
        return (index.get(key, len(index)), key)

    def jur(self, code: str) -> tuple[int, str]:
        return self._key(self._jur, code)

    def theme(self, theme_id: str) -> tuple[int, str]:
        return self._key(self._theme, theme_id)

    def family(self, family_id: str) -> tuple[int, str]:
        return self._key(self._family, family_id)

    def level(self, level: Level) -> int:
        return self._level.get(level, len(self._level))

    def resolve(self, code: str, what: str) -> Jurisdiction:
        try:
            return self.jurisdictions[code]
        except KeyError:
            raise ValueError(f"{what}: unknown jurisdiction '{code}'") from None

    def province_of(self, jur: Jurisdiction) -> Jurisdiction | None:
        current: Jurisdiction | None = jur
        while current is not None:
            if current.level is Level.provincial:
                return current
            current = self.jurisdictions.get(current.parent) if current.parent else None
        return None

    def within(self, jur: Jurisdiction, ancestors: set[str]) -> bool:
        current: Jurisdiction | None = jur
        while current is not None:
            if current.code in ancestors:
                return True
            current = self.jurisdictions.get(current.parent) if current.parent else None
        return False

    def measure_key(self, ref: MeasureRef) -> tuple[object, ...]:
        return (self.jur(ref.column), self.jur(ref.jurisdiction.code), ref.measure.id)


def _instrument_matches(instrument: str, wanted: Sequence[str]) -> bool:
    family = instrument.partition("/")[0]
    return any(w == instrument or ("/" not in w and w == family) for w in wanted)


def select(corpus: Corpus, filters: Filters) -> Selection:
    """The documents, measures and quantities that a brief with these filters covers.

    A measure is selected when its document is, and it matches every filter given: any of
    the themes, any of the instruments ("family/type" or a whole "family"), any of the
    levels, and any of the jurisdictions or their descendants (a province covers its cities
    and zones). A measure's figures come with it. A figure outside any measure has no theme
    or instrument, so it is selected only when no theme or instrument filter is set, and its
    own jurisdiction passes the level and jurisdiction filters.
    """
    tax = corpus.taxonomy
    ranks = _Ranks(tax)
    wanted_docs = None if filters.documents == "all" else set(filters.documents)
    themes = set(filters.themes)
    levels = set(filters.levels)
    places = set(filters.jurisdictions)
    narrowed = bool(themes or filters.instruments or levels or places)

    def place_ok(jur: Jurisdiction) -> bool:
        return (not levels or jur.level in levels) and (not places or ranks.within(jur, places))

    documents: list[SourceDocument] = []
    measures: list[MeasureRef] = []
    proposals: list[MeasureRef] = []
    quantities: list[QuantityRef] = []
    for doc in sorted(corpus.documents, key=lambda d: d.id):
        if wanted_docs is not None and doc.id not in wanted_docs:
            continue
        ref = DocumentRef(doc.id)
        contributed = False
        for measure in doc.measures:
            jur = ranks.resolve(measure.jurisdiction, f"{doc.id}: measure {measure.id}")
            if themes and not themes.intersection(measure.themes):
                continue
            if filters.instruments and not _instrument_matches(measure.instrument, filters.instruments):
                continue
            if not place_ok(jur):
                continue
            contributed = True
            if measure.status is Status.proposed:
                proposals.append(MeasureRef(ref, measure, jur, ranks.province_of(jur)))
                continue
            measures.append(MeasureRef(ref, measure, jur, ranks.province_of(jur)))
            for qty in measure.quantities:
                q_jur = ranks.resolve(
                    qty.jurisdiction or measure.jurisdiction, f"{doc.id}: quantity {qty.id}"
                )
                quantities.append(QuantityRef(ref, measure, qty, q_jur, ranks.province_of(q_jur)))
        for qty in doc.quantities:
            if themes or filters.instruments:
                continue
            code = qty.jurisdiction or _enterprise_jurisdiction(tax, qty) or doc.subject
            q_jur = ranks.resolve(code, f"{doc.id}: quantity {qty.id}")
            if not place_ok(q_jur):
                continue
            contributed = True
            quantities.append(QuantityRef(ref, None, qty, q_jur, ranks.province_of(q_jur)))
        if contributed or not narrowed:
            documents.append(doc)

    measures.sort(key=ranks.measure_key)
    proposals.sort(key=ranks.measure_key)
    quantities.sort(key=lambda q: _quantity_key(ranks, q))
    return Selection(tax, filters, tuple(documents), tuple(measures), tuple(quantities), tuple(proposals))


def _enterprise_jurisdiction(tax: Taxonomy, qty: Quantity) -> str | None:
    if qty.enterprise is None:
        return None
    actor = next((a for a in tax.actors if a.id == qty.enterprise), None)
    return actor.jurisdiction if actor is not None else None


def _quantity_key(ranks: _Ranks, q: QuantityRef) -> tuple[object, ...]:
    return (
        ranks.jur(q.jurisdiction.code),
        q.measure.id if q.measure is not None else "~",  # figures outside measures last
        KIND_ORDER.index(q.kind),
        q.quantity.id,
    )


# --------------------------------------------------------------------------- matrices


@dataclass(frozen=True)
class Axis:
    """One row or column heading of a matrix."""

    key: str  # theme id, instrument family id, jurisdiction code or level value
    label: str  # in the briefs' language ("National" for the national column)
    # A jurisdiction's short names in further languages, (BCP 47 tag, name), for its column.
    others: tuple[tuple[str, str], ...] = ()
    level: Level | None = None  # for jurisdiction and level columns
    name: str | None = None  # the jurisdiction's own name ("Canada"), in the briefs' language


@dataclass(frozen=True)
class Matrix:
    """Measures cross-tabulated; cells hold the measures so a table can cite each one."""

    rows: tuple[Axis, ...]
    columns: tuple[Axis, ...]
    cells: tuple[tuple[tuple[MeasureRef, ...], ...], ...]  # [row][column]
    note: str = ""

    @property
    def counts(self) -> tuple[tuple[int, ...], ...]:
        return tuple(tuple(len(cell) for cell in row) for row in self.cells)

    def cell(self, row_key: str, column_key: str) -> tuple[MeasureRef, ...]:
        r = next(i for i, a in enumerate(self.rows) if a.key == row_key)
        c = next(i for i, a in enumerate(self.columns) if a.key == column_key)
        return self.cells[r][c]

    def row_total(self, row_key: str) -> int:
        r = next(i for i, a in enumerate(self.rows) if a.key == row_key)
        return len({m.id for cell in self.cells[r] for m in cell})

    def column_total(self, column_key: str) -> int:
        c = next(i for i, a in enumerate(self.columns) if a.key == column_key)
        return len({m.id for row in self.cells for m in row[c]})

    @property
    def measure_ids(self) -> tuple[str, ...]:
        return tuple(sorted({m.id for row in self.cells for cell in row for m in cell}))


def _jurisdiction_axis(jur: Jurisdiction, national: str = "National") -> Axis:
    label = national if jur.level is Level.national else jur.name
    others = tuple((tag, jur.short_name(tag) or "") for tag in {**jur.names, **jur.short})
    return Axis(jur.code, label, others, jur.level, jur.name)


def _tabulate(
    refs: Iterable[MeasureRef],
    rows: Sequence[Axis],
    columns: Sequence[Axis],
    row_keys: Callable[[MeasureRef], Iterable[str]],
    column_key: Callable[[MeasureRef], str],
    order: Callable[[MeasureRef], tuple[object, ...]],
    note: str,
) -> Matrix:
    grid: dict[tuple[str, str], list[MeasureRef]] = defaultdict(list)
    for ref in refs:
        for rk in row_keys(ref):
            grid[(rk, column_key(ref))].append(ref)
    cells = tuple(
        tuple(tuple(sorted(grid.get((r.key, c.key), []), key=order)) for c in columns) for r in rows
    )
    return Matrix(tuple(rows), tuple(columns), cells, note)


def _columns(sel: Compared, ranks: _Ranks) -> list[Axis]:
    codes = sorted({m.column for m in sel.measures}, key=ranks.jur)
    national = [c for c in codes if ranks.jurisdictions[c].level is Level.national]
    provincial = [c for c in codes if ranks.jurisdictions[c].level is Level.provincial]
    # Below-provincial places outside any province (rare): after the provinces, never hidden.
    other = [c for c in codes if c not in national and c not in provincial]
    label = sel.taxonomy.level_label(Level.national).adjective
    return [_jurisdiction_axis(ranks.jurisdictions[c], label) for c in national + provincial + other]


def comparison_matrix(sel: Compared) -> Matrix:
    """Themes × jurisdictions: national column first, then each provincial-level division.

    Municipal and zone measures count toward their province's column; each MeasureRef keeps
    its own jurisdiction so that a table can show the detail (a city, a zone).
    """
    ranks = _Ranks(sel.taxonomy)
    theme_ids = sorted({t for m in sel.measures for t in m.measure.themes}, key=ranks.theme)
    rows = [Axis(t, sel.taxonomy.theme_label(t)) for t in theme_ids]
    return _tabulate(
        sel.measures,
        rows,
        _columns(sel, ranks),
        lambda m: m.measure.themes,
        lambda m: m.column,
        ranks.measure_key,
        f"A measure with several themes appears in the row of each; {_toward_province(sel.taxonomy)}.",
    )


def measure_matrix(sel: Compared) -> Matrix:
    """Instrument types × jurisdictions, each measure once: the table view's matrix.

    A measure has one instrument but often several themes; rows by instrument list each
    measure once (its themes go with it as tags), where rows by theme repeated a measure
    under every theme it carries. Types rather than families: "plan", "guideline" and
    "pilot" are the differences a reader looks for, and short rows break between pages.
    The heatmap keeps the theme rows: it counts.
    """
    ranks = _Ranks(sel.taxonomy)
    tax = sel.taxonomy
    instruments = sorted({m.measure.instrument for m in sel.measures}, key=_instrument_order(tax))
    rows = [Axis(i, tax.instrument_type_label(i) or tax.instrument_family_label(i)) for i in instruments]
    return _tabulate(
        sel.measures,
        rows,
        _columns(sel, ranks),
        lambda m: (m.measure.instrument,),
        lambda m: m.column,
        ranks.measure_key,
        f"Each measure appears once, in the row of its instrument, with its themes; "
        f"{_toward_province(sel.taxonomy)}.",
    )


def _instrument_order(tax: Taxonomy) -> Callable[[str], tuple[int, str]]:
    """Sort key for "family/type" references: families as the taxonomy lists them, types as
    listed within each; unknown references last, by id."""
    listed = [f"{f.id}/{t.id}" for f in tax.instruments for t in f.types]
    order = {ref: i for i, ref in enumerate(listed)}
    return lambda ref: (order.get(ref, len(order)), ref)


def _toward_province(taxonomy: Taxonomy) -> str:
    """'cities and zones count toward their province', in the project's words."""
    label = taxonomy.level_label
    return (
        f"{label(Level.municipal).plural} and {label(Level.zone).plural} count toward their "
        f"{label(Level.provincial).noun}"
    )


def instrument_by_level(sel: Selection) -> Matrix:
    """Instrument families × levels of government (the measure's own level, not rolled up)."""
    ranks = _Ranks(sel.taxonomy)
    families = sorted({m.family for m in sel.measures}, key=ranks.family)
    rows = [Axis(f, sel.taxonomy.instrument_family_label(f)) for f in families]
    levels = sorted({m.level for m in sel.measures}, key=ranks.level)
    columns = [Axis(lvl.value, sel.taxonomy.level_label(lvl).adjective, (), lvl) for lvl in levels]
    return _tabulate(
        sel.measures,
        rows,
        columns,
        lambda m: (m.family,),
        lambda m: m.level.value,
        ranks.measure_key,
        "Each measure counts once, at its own level of government.",
    )


def measure_counts_by_province(sel: Compared) -> dict[str, int]:
    """Measures per provincial-level division (all of them, zeros included), for the map.

    Cities and zones count toward their province; national measures are on no tile.
    """
    counts = {j.code: 0 for j in sel.taxonomy.jurisdictions if j.level is Level.provincial}
    for ref in sel.measures:
        if ref.province is not None and ref.level is not Level.national:
            counts[ref.province.code] = counts.get(ref.province.code, 0) + 1
    return counts


# --------------------------------------------------------------------------- timeline


@dataclass(frozen=True)
class TimelineItem:
    """One plan or programme: the measures that name the same plan in one jurisdiction."""

    key: str  # the first measure's id: stable, and citable
    label: str  # the plan's name as the source gives it, else the measure title
    jurisdiction: Jurisdiction
    level: Level
    measures: tuple[MeasureRef, ...]
    start: int | None
    end: int | None
    open_ended: bool  # a start year and no end: still running, or the source gives no end
    end_only: bool  # only an end year ("by 2025"): the start is not reported
    inferred: bool  # the period is the analyst's inference, not stated by the source

    @property
    def first_year(self) -> int | None:
        """The start year, else the end year ("by 2025"); None when undated."""
        return self.start if self.start is not None else self.end

    @property
    def period_label(self) -> str:
        if self.start is not None and self.end is not None:
            text = str(self.start) if self.start == self.end else f"{self.start}–{self.end}"
        elif self.start is not None:
            text = f"from {self.start}"
        elif self.end is not None:
            text = f"by {self.end}"
        else:
            text = "undated"
        return text + (" (inferred)" if self.inferred else "")


@dataclass(frozen=True)
class Timeline:
    items: tuple[TimelineItem, ...]  # by level, then start year, then jurisdiction, then id
    undated: tuple[TimelineItem, ...]  # plans whose source gives no year at all
    levels: tuple[Level, ...]  # the levels present, in order


def _is_plan(ref: MeasureRef) -> bool:
    return ref.measure.plan is not None or ref.measure.instrument in PLAN_INSTRUMENTS


def timeline(sel: Compared) -> Timeline:
    """Plans and programmes by level of government, with their start and end years."""
    ranks = _Ranks(sel.taxonomy)
    groups: dict[tuple[str, str], list[MeasureRef]] = defaultdict(list)
    for ref in sel.measures:
        if _is_plan(ref):
            # Several measures of one named plan make one bar, not several.
            name = ref.measure.plan or f"\0{ref.measure.id}"
            groups[(ref.jurisdiction.code, name)].append(ref)
    items: list[TimelineItem] = []
    for (_, name), refs in groups.items():
        refs.sort(key=lambda r: r.measure.id)
        periods = [r.measure.period for r in refs]
        starts = [p.start for p in periods if p.start is not None]
        ends = [p.end for p in periods if p.end is not None]
        start = min(starts) if starts else None
        end = max(ends) if ends else None
        items.append(
            TimelineItem(
                key=refs[0].measure.id,
                label=refs[0].measure.title if name.startswith("\0") else name,
                jurisdiction=refs[0].jurisdiction,
                level=refs[0].level,
                measures=tuple(refs),
                start=start,
                end=end,
                open_ended=start is not None and end is None,
                end_only=start is None and end is not None,
                inferred=any(p.inferred for p in periods),
            )
        )

    def key(item: TimelineItem) -> tuple[object, ...]:
        return (
            ranks.level(item.level),
            item.first_year if item.first_year is not None else 9999,
            ranks.jur(item.jurisdiction.code),
            item.key,
        )

    items.sort(key=key)
    dated = tuple(i for i in items if i.start is not None or i.end is not None)
    undated = tuple(i for i in items if i.start is None and i.end is None)
    levels = tuple(sorted({i.level for i in dated}, key=ranks.level))
    return Timeline(dated, undated, levels)


# --------------------------------------------------------------------------- quantities


@dataclass(frozen=True)
class QuantityGroup:
    """Figures that count the same thing in the same unit, so they can stand side by side."""

    counts: str  # what is counted, as the first figure of the group words it
    unit: str
    items: tuple[QuantityRef, ...]  # by jurisdiction, then kind, then id

    @property
    def kinds(self) -> tuple[QuantityKind, ...]:
        return tuple(k for k in KIND_ORDER if any(q.kind is k for q in self.items))


def _norm_counts(text: str) -> str:
    return " ".join(text.casefold().split())


def charted(q: QuantityRef) -> bool:
    """Whether a figure belongs on the figures chart: money (amounts in a currency) and a
    plan's own make-up (its number of measures or batches) are not set on one axis beside
    counts of factories and firms; the targets table and the data files list them."""
    return q.quantity.currency is None and q.kind is not QuantityKind.make_up


def quantity_groups(sel: Compared) -> tuple[QuantityGroup, ...]:
    """Quantities grouped by what they count and their unit (money and make-up left out,
    see `charted`).

    Groups follow their first figure's jurisdiction in taxonomy order (national first), so
    the centre's figures lead; groups holding only single-firm anecdotes come last; then
    alphabetical by what is counted.
    """
    ranks = _Ranks(sel.taxonomy)
    grouped: dict[tuple[str, str], list[QuantityRef]] = defaultdict(list)
    for q in sel.quantities:  # already in deterministic order
        if not charted(q):
            continue
        grouped[(_norm_counts(q.quantity.counts), q.quantity.unit.strip())].append(q)

    def key(item: tuple[tuple[str, str], list[QuantityRef]]) -> tuple[object, ...]:
        (counts, unit), refs = item
        anecdotal = all(q.kind is QuantityKind.anecdote for q in refs)
        return (anecdotal, ranks.jur(refs[0].jurisdiction.code), counts, unit)

    return tuple(
        QuantityGroup(refs[0].quantity.counts, unit, tuple(refs))
        for (_, unit), refs in sorted(grouped.items(), key=key)
    )


@dataclass(frozen=True)
class TargetRow:
    jurisdiction_code: str
    jurisdiction_name: str  # in the briefs' language
    jurisdiction_names: tuple[tuple[str, str], ...]  # (BCP 47 tag, name) in further languages
    level: Level
    measure_id: str | None
    measure_title: str | None  # None for a figure outside any measure
    counts: str
    value: str  # Quantity.display_value(): "over 40 regions", "10–12%"
    period: str  # the figure's Period.label(), else its measure's, else "unspecified"
    kind: QuantityKind
    document_id: str
    quantity_id: str  # cite as [@quantity_id]; the document id names the source


def quantity_period(q: QuantityRef) -> str:
    # A figure without its own period belongs to its measure's period (a plan's target).
    period = q.quantity.period or (q.measure.period if q.measure is not None else None)
    if period is None or (period.start is None and period.end is None):
        return "unspecified"
    return period.label()


def targets_table(sel: Selection) -> tuple[TargetRow, ...]:
    """Every figure in the selection, targets and results side by side, each citable."""
    return tuple(
        TargetRow(
            jurisdiction_code=q.jurisdiction.code,
            jurisdiction_name=q.jurisdiction.name,
            jurisdiction_names=tuple(q.jurisdiction.names.items()),
            level=q.level,
            measure_id=q.measure.id if q.measure is not None else None,
            measure_title=q.measure.title if q.measure is not None else None,
            counts=q.quantity.counts,
            value=q.quantity.display_value(),
            period=quantity_period(q),
            kind=q.kind,
            document_id=q.document.id,
            quantity_id=q.quantity.id,
        )
        for q in sel.quantities
    )


# --------------------------------------------------------------------------- alignment


@dataclass(frozen=True)
class ProvinceMatch:
    province: Axis
    measures: tuple[MeasureRef, ...]


@dataclass(frozen=True)
class Priority:
    """One national priority and how the provinces in the selection answer it."""

    kind: Literal["theme", "instrument"]
    key: str  # theme id or instrument family id
    label: str
    national: tuple[MeasureRef, ...]  # the national measures that set it
    reporting: tuple[ProvinceMatch, ...]  # provinces with at least one matching measure
    not_reported: tuple[Axis, ...]  # compared provinces with none in this corpus


@dataclass(frozen=True)
class Alignment:
    priorities: tuple[Priority, ...]  # themes first (taxonomy order), then instrument families
    compared: tuple[Axis, ...]  # provinces with at least one measure in the selection
    # Provincial-level divisions with no measure at all in the selection: not compared.
    without_measures: tuple[Axis, ...]
    caveat: str = ""
    document_ids: tuple[str, ...] = ()


def alignment(sel: Selection) -> Alignment:
    """For each national priority, which provinces report a matching measure, which do not.

    A national priority is a theme, or an instrument family, that at least one national
    measure has. Provinces are compared only when the selection holds some measure of
    theirs; a gap therefore reads "reports other measures, but none on this here".
    """
    ranks = _Ranks(sel.taxonomy)
    national = [m for m in sel.measures if m.level is Level.national]
    provincial = [m for m in sel.measures if m.level is not Level.national and m.province]
    compared_codes = sorted({m.province.code for m in provincial if m.province}, key=ranks.jur)
    compared = tuple(_jurisdiction_axis(ranks.jurisdictions[c]) for c in compared_codes)
    without = tuple(
        _jurisdiction_axis(j)
        for j in sel.taxonomy.jurisdictions
        if j.level is Level.provincial and j.code not in compared_codes
    )

    def priority(
        kind: Literal["theme", "instrument"],
        key: str,
        label: str,
        matches: Callable[[MeasureRef], bool],
    ) -> Priority:
        by_province: dict[str, list[MeasureRef]] = defaultdict(list)
        for m in provincial:
            if matches(m) and m.province is not None:
                by_province[m.province.code].append(m)
        reporting = tuple(
            ProvinceMatch(axis, tuple(by_province[axis.key])) for axis in compared if axis.key in by_province
        )
        missing = tuple(axis for axis in compared if axis.key not in by_province)
        return Priority(kind, key, label, tuple(m for m in national if matches(m)), reporting, missing)

    priorities: list[Priority] = []
    for theme in sorted({t for m in national for t in m.measure.themes}, key=ranks.theme):
        priorities.append(
            priority(
                "theme",
                theme,
                sel.taxonomy.theme_label(theme),
                lambda m, t=theme: t in m.measure.themes,
            )
        )
    for fam in sorted({m.family for m in national}, key=ranks.family):
        priorities.append(
            priority(
                "instrument",
                fam,
                sel.taxonomy.instrument_family_label(fam),
                lambda m, f=fam: m.family == f,
            )
        )
    return Alignment(tuple(priorities), compared, without, gap_caveat(sel.taxonomy), sel.document_ids)


# --------------------------------------------------------------------------- who does what

#: How many plans, instruments and themes a row of the who-does-what view names.
WHO_PLANS = 3
WHO_TOP = 3


@dataclass(frozen=True)
class WhoPlan:
    """One plan or programme of a jurisdiction, as the timeline draws it."""

    label: str
    period: str  # "2023–2025", "from 2020", "by 2025", "undated"; "(inferred)" when inferred
    status: str  # the measures' status in words ("in force"; "announced, in force" if mixed)
    cite: str  # the first measure's id: its endnote quotes the source


@dataclass(frozen=True)
class WhoFigure:
    """A headline figure: the most recent target or result a jurisdiction's measures report."""

    kind: QuantityKind
    value: str  # Quantity.display_value()
    counts: str
    period: str
    cite: str  # the quantity id: a figure cites the figure, not its document


@dataclass(frozen=True)
class WhoRow:
    """What one jurisdiction does in a brief's selection."""

    jurisdiction: Jurisdiction
    level_label: str  # the project's adjective for its level ("Provincial", "Regional")
    within: Jurisdiction | None  # the division a city or zone lies in; None otherwise
    measures: int
    plans: tuple[WhoPlan, ...]  # at most WHO_PLANS, most recent first
    more_plans: str  # "and 3 more plans and programmes in these reports", or ""
    other_measures: tuple[MeasureRef, ...]  # its measures, when it reports no plan
    instruments: tuple[tuple[str, int], ...]  # (instrument type label, measures), most first
    themes: tuple[tuple[str, int], ...]  # (theme label, measures), most first
    status: str  # "3 in force, 2 announced"
    figures: tuple[WhoFigure, ...]  # the most recent target, then the most recent result


@dataclass(frozen=True)
class WhoDoesWhat:
    rows: tuple[WhoRow, ...]  # national first, then by level, then by name
    note: str
    title: str = (
        "Who does what in these reports: plans, instruments, themes and headline figures by jurisdiction"
    )
    no_plan: str = "No plan or programme here; its measures:"
    no_figure: str = "No target or result reported here."


_STATUS_WORDS = {
    Status.in_force: "in force",
    Status.announced: "announced",
    Status.completed: "completed",
    Status.unknown: "status not reported",
    Status.proposed: "proposed",
}


def _statuses(refs: Iterable[MeasureRef]) -> list[tuple[Status, int]]:
    counts = Counter(r.measure.status for r in refs)
    order = list(_STATUS_WORDS)
    return sorted(counts.items(), key=lambda kv: (-kv[1], order.index(kv[0])))


def _top(labels: Iterable[str]) -> tuple[tuple[str, int], ...]:
    """The most frequent labels, ties in the order first seen (taxonomy order); the table's
    note says so, since a tie at the cut leaves out one of equals."""
    counts = Counter(labels)
    first = {label: i for i, label in enumerate(counts)}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], first[kv[0]]))
    return tuple(ranked[:WHO_TOP])


def _recency(period: Period | None) -> int:
    if period is None:
        return -1
    year = period.end if period.end is not None else period.start
    return year if year is not None else -1


def _headline(refs: Sequence[QuantityRef], kind: QuantityKind) -> WhoFigure | None:
    """The most recent figure of a kind, by its period, else its measure's; on a tie, the
    first of the first measure in the order its source summary lists them (the summary puts
    a plan's main figure first)."""

    def key(q: QuantityRef) -> tuple[object, ...]:
        year = _recency(q.quantity.period or (q.measure.period if q.measure is not None else None))
        position = (
            next((i for i, x in enumerate(q.measure.quantities) if x.id == q.id), 0) if q.measure else 0
        )
        return (-year, q.measure.id if q.measure else "", position)

    candidates = sorted((q for q in refs if q.kind is kind), key=key)
    if not candidates:
        return None
    best = candidates[0]
    return WhoFigure(
        kind, best.quantity.display_value(), best.quantity.counts, quantity_period(best), best.id
    )


def who_does_what(sel: Compared) -> WhoDoesWhat:
    """One row per jurisdiction with measures in the selection: its plans and programmes
    (name, period, status), its most frequent instruments and themes, its most recent target
    and result, and its measures by status. National first, then level by level, by name
    within a level, so that the centre and the divisions read in one frame."""
    tax = sel.taxonomy
    ranks = _Ranks(tax)
    instrument_key = _instrument_order(tax)
    by_jur: dict[str, list[MeasureRef]] = defaultdict(list)
    for ref in sel.measures:
        by_jur[ref.jurisdiction.code].append(ref)
    plans_of: dict[str, list[TimelineItem]] = defaultdict(list)
    line = timeline(sel)
    for item in (*line.items, *line.undated):
        plans_of[item.jurisdiction.code].append(item)
    figures_of: dict[str, list[QuantityRef]] = defaultdict(list)
    for q in sel.quantities:
        if q.measure is not None:
            figures_of[q.measure.jurisdiction].append(q)

    rows: list[WhoRow] = []
    for code, refs in by_jur.items():
        jur = refs[0].jurisdiction
        items = sorted(
            plans_of.get(code, []),
            # Most recent first; in one year, a stated period before an inferred one, and a
            # plan or strategy before other instruments (the centre's action plan before a
            # meeting's statement), then by id for a stable order.
            key=lambda i: (
                -(i.end or i.start or -1),
                i.start is None and i.end is None,
                i.inferred,
                not any(m.measure.instrument.startswith("governance/plan") for m in i.measures),
                i.key,
            ),
        )
        plans = tuple(
            WhoPlan(
                label=item.label,
                period=item.period_label,
                status=", ".join(_STATUS_WORDS[s] for s, _ in _statuses(item.measures)),
                cite=item.key,
            )
            for item in items[:WHO_PLANS]
        )
        extra = len(items) - len(plans)
        more = (
            f"and {extra} more {'plan or programme' if extra == 1 else 'plans and programmes'} in these reports"
            if extra > 0
            else ""
        )
        parent = ranks.province_of(jur) if jur.level not in (Level.national, Level.provincial) else None
        figures = tuple(
            f
            for f in (
                _headline(figures_of.get(code, []), k) for k in (QuantityKind.target, QuantityKind.result)
            )
            if f
        )
        rows.append(
            WhoRow(
                jurisdiction=jur,
                level_label=tax.level_label(jur.level).adjective,
                within=parent,
                measures=len(refs),
                plans=plans,
                more_plans=more,
                other_measures=() if items else tuple(refs),
                instruments=_top(
                    tax.instrument_type_label(r.measure.instrument)
                    or tax.instrument_family_label(r.measure.instrument)
                    for r in sorted(refs, key=lambda r: instrument_key(r.measure.instrument))
                ),
                themes=_top(
                    tax.theme_label(t)
                    for t in sorted((t for r in refs for t in r.measure.themes), key=ranks.theme)
                ),
                status=", ".join(f"{n} {_STATUS_WORDS[s]}" for s, n in _statuses(refs)),
                figures=figures,
            )
        )
    rows.sort(
        key=lambda r: (ranks.level(r.jurisdiction.level), r.jurisdiction.name.casefold(), r.jurisdiction.code)
    )
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
    plans, top = words.get(WHO_PLANS, str(WHO_PLANS)), words.get(WHO_TOP, str(WHO_TOP))
    note = (
        "One row for each jurisdiction with a measure in this brief's selection (one not listed "
        "may still have measures these reports do not cover). Plans and programmes: at most "
        f"{plans}, the most recent first, grouped by plan name as in the timeline; instruments "
        f"and themes: the {top} most frequent among its measures here (ties in taxonomy order), with how many carry each; "
        "figures: the most recent target and result its measures report here. The data files "
        "list every measure in this brief's selection."
    )
    return WhoDoesWhat(tuple(rows), note)


def kind_counts(sel: Selection) -> Counter[QuantityKind]:
    """How many figures of each kind the selection holds."""
    return Counter(q.kind for q in sel.quantities)


# --------------------------------------------------------------------------- limits

_KIND_NOUNS = {
    "news-report": ("news report", "news reports"),
    "commentary": ("commentary", "commentaries"),
    "feature": ("feature article", "feature articles"),
    "policy-text": ("policy text", "policy texts"),
}


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _level_word(sel: Selection, level: Level) -> str:
    """The project's own word for a level, as an adjective inside a sentence ("regional")."""
    return sel.taxonomy.level_label(level).in_sentence


def evidence_limits(sel: Selection) -> tuple[str, ...]:
    """The limits of the evidence a brief's selection rests on, as short sentences: how many
    sources of which kinds, their date range, how many dates were inferred, and where one
    source supplies most of a level's measures. Every sentence is scoped to the selection."""
    docs = sel.documents
    if not docs:
        return ("This brief's selection holds no source document.",)
    kinds = Counter(d.kind.value for d in docs)
    kind_text = _and(
        [
            _count(n, *_KIND_NOUNS.get(k, (k, k + "s")))
            for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
    )
    years = sorted(d.published.date.year for d in docs)
    inferred = sum(1 for d in docs if d.published.basis == "inferred")
    if len(docs) == 1:
        dates = f"It was published in {years[0]}; " + (
            "its publication date is inferred from the text, not stated."
            if inferred
            else "its publication date is stated in it."
        )
    else:
        span = f"in {years[0]}" if years[0] == years[-1] else f"from {years[0]} to {years[-1]}"
        dates = f"They were published {span}; " + (
            f"{inferred} of the {len(docs)} publication dates are inferred from the text, not stated."
            if inferred
            else "each publication date is stated in its source."
        )
    out = [
        f"This brief's selection rests on {_count(len(docs), 'source document', 'source documents')}: {kind_text}.",
        dates,
    ]
    by_level: dict[Level, list[MeasureRef]] = defaultdict(list)
    for m in sel.measures:
        by_level[m.level].append(m)
    level_counts = [
        _count(len(by_level[lvl]), f"{_level_word(sel, lvl)} measure", f"{_level_word(sel, lvl)} measures")
        for lvl in LEVEL_ORDER
        if by_level[lvl]
    ]
    if level_counts:
        out.append(f"{'It reports' if len(docs) == 1 else 'They report'} {_and(level_counts)}.")
    for lvl in LEVEL_ORDER:
        refs = by_level[lvl]
        if len(refs) < 3 or len(docs) < 2:
            continue
        top, n = Counter(m.document.id for m in refs).most_common(1)[0]
        if n * 2 > len(refs):
            doc = next(d for d in docs if d.id == top)
            kind = _KIND_NOUNS.get(doc.kind.value, (doc.kind.value, ""))[0]
            out.append(
                f"{n} of the {len(refs)} {_level_word(sel, lvl)} measures come from one source, a {kind} "
                f"(“{shorten(doc.title, 60)}”): what it leaves out is missing here too."
            )
    if sel.proposals:
        verb = "is" if len(sel.proposals) == 1 else "are"
        out.append(
            f"{_count(len(sel.proposals), 'proposal', 'proposals')} by commentators {verb} listed apart, "
            "not counted as government measures."
        )
    return tuple(out)
