"""Cross-reference and consistency checks over the whole corpus.

The models check each file on its own; these checks need everything at once: a jurisdiction
code used in a summary must be in the taxonomy, an id must be defined once, the same actor
must not appear under two spellings, and every number in a brief's own prose must cite a
source.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .agreement import check_brief_text, check_summary_text
from .citations import CITATION_RE
from .computed import check as check_computed
from .computed import find as find_computed
from .guard import check_limits
from .models import Level, Quantity, SourceDocument
from .problems import Problem, field_path

if TYPE_CHECKING:
    from .corpus import Corpus
    from .project import CountrySettings, ProjectSettings

_VIEW_LINE = re.compile(r"^::view\s+(\S+)\s*$")


def _norm(name: str) -> str:
    """A spelling reduced to what tells names apart, in any script: accents and case folded
    away ("Québec" and "Quebec" agree), punctuation to spaces, letters and digits of every
    script kept (two Hindi names stay two names)."""
    text = unicodedata.normalize("NFKD", name).casefold()
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category.startswith("M"):
            # Marks on Latin letters are accents; in other scripts (Devanagari vowel signs
            # and viramas, Arabic vowels) they are part of the word.
            if unicodedata.name(char, "").startswith("COMBINING"):
                continue
            kept.append(char)
        else:
            kept.append(char if category[0] in "LN" else " ")
    text = re.sub(r"\b(the|of|and)\b", " ", "".join(kept))
    return " ".join(text.split())


#: How to fix an unknown jurisdiction code, appended to the message.
_ADD_TO_TAXONOMY = (
    " (codes are listed under jurisdictions in content/taxonomy.yaml: add it there, or check the spelling)"
)


def check_corpus(
    corpus: Corpus, references: bool = True, settings: ProjectSettings | None = None
) -> list[Problem]:
    """All cross-file checks; `references=False` skips those that need every document.
    `settings` are the project file's (country, languages); without them, the country is the
    taxonomy's national jurisdiction and any well-formed language tag is accepted."""
    problems: list[Problem] = []
    problems.extend(_check_taxonomy(corpus))
    problems.extend(check_jurisdictions(corpus, settings.country if settings else None))
    problems.extend(_check_languages(corpus, settings.languages.names if settings else None))
    ids = _defined_ids(corpus, problems)
    problems.extend(_check_documents(corpus, ids, references))
    problems.extend(_check_briefs(corpus, ids, references))
    problems.extend(_check_markdown(corpus))
    problems.extend(check_limits(corpus, references))
    if references and not any(p.severity == "error" for p in problems):
        # Only a corpus that loaded whole can be compared with a brief's mark.
        from .review import stale_briefs

        problems.extend(stale_briefs(corpus))
    return problems


def _check_markdown(corpus: Corpus) -> Iterator[Problem]:
    """Render every Markdown body once now, so a broken table stops the build before output."""
    from .markup import MarkupError, render_markdown
    from .models import VIEW_NAMES
    from .textlimits import markdown_hazard

    known_views = set(VIEW_NAMES)
    items = [("document", d.id, "summary", d.summary) for d in corpus.documents]
    items += [("brief", b.id, "body", b.body) for b in corpus.briefs]
    for kind, key, field, text in items:
        rel, located = corpus.origins[(kind, key)]
        start = located.line_of((field,))
        if markdown_hazard(text, corpus.limits, body=True) is not None:
            continue  # reported by guard.check_limits; converting it could take minutes
        try:
            render_markdown(text)
        except MarkupError as exc:
            yield Problem(rel, start + exc.line_in_body - 1, field, exc.message)
        for number, line in enumerate(text.splitlines()):
            match = _VIEW_LINE.match(line)
            if not match:
                continue
            if kind == "document":
                yield Problem(rel, start + number, field, "views belong in briefs, not in document summaries")
            elif match.group(1) not in known_views:
                yield Problem(
                    rel,
                    start + number,
                    field,
                    f"unknown view '{match.group(1)}' (known: {', '.join(sorted(known_views))})",
                )


def _where(corpus: Corpus, kind: str, key: str, loc: tuple[str | int, ...]) -> tuple[str, int]:
    rel, located = corpus.origins.get((kind, key), ("?", None))  # type: ignore[assignment]
    return rel, (located.line_of(loc) if located is not None else 0)


def _problem(
    corpus: Corpus,
    kind: str,
    key: str,
    loc: tuple[str | int, ...],
    message: str,
    severity: str = "error",
) -> Problem:
    rel, line = _where(corpus, kind, key, loc)
    return Problem(rel, line or None, field_path(loc), message, severity)


def _check_languages(corpus: Corpus, allowed: list[str] | None) -> Iterator[Problem]:
    """Every name's language tag is one the project declares (languages.names)."""
    from .jurisdictions import check_language_tag

    tax = corpus.taxonomy
    named = [
        ("jurisdictions", i, f, j.names if f == "names" else j.short)
        for i, j in enumerate(tax.jurisdictions)
        for f in ("names", "short")
    ]
    named += [("actors", i, "names", a.names) for i, a in enumerate(tax.actors)]
    for kind, i, field, mapping in named:
        for tag in mapping:
            loc = (kind, i, field, tag)
            if allowed is not None and tag not in allowed:
                declared = ", ".join(allowed) or "none"
                yield _problem(
                    corpus,
                    "taxonomy",
                    "",
                    loc,
                    f"language '{tag}' is not among the project's name languages ({declared}); "
                    "add it to languages.names in policybrief.toml",
                )
                continue
            try:
                check_language_tag(tag)
            except ValueError as exc:
                yield _problem(corpus, "taxonomy", "", loc, str(exc))


def check_jurisdictions(corpus: Corpus, country: CountrySettings | None) -> Iterator[Problem]:
    """Codes against the ISO 3166 lists of the project's country (pycountry), and whether the
    taxonomy lists every first-level division."""
    from .jurisdictions import check_code, country_name, first_level_count

    tax = corpus.taxonomy
    national = [(i, j) for i, j in enumerate(tax.jurisdictions) if j.level is Level.national]
    if country is not None:
        code = country.code
    elif national:
        code = national[0][1].code
    else:
        yield _problem(
            corpus, "taxonomy", "", ("jurisdictions",), "no jurisdiction of level national: which country?"
        )
        return
    for i, jur in national:
        if jur.code != code:
            yield _problem(
                corpus,
                "taxonomy",
                "",
                ("jurisdictions", i, "code"),
                f"the national jurisdiction '{jur.code}' is not the project's country '{code}' "
                "(policybrief.toml: country.code)",
            )
    for i, jur in enumerate(tax.jurisdictions):
        if jur.level is Level.national:
            continue
        why = check_code(jur.code, code, jur.parent)
        if why is not None:
            yield _problem(corpus, "taxonomy", "", ("jurisdictions", i, "code"), why)
    expected = (country.divisions if country is not None else None) or first_level_count(code)
    provincial = [j for j in tax.jurisdictions if j.level is Level.provincial]
    if expected and len(provincial) != expected:
        yield _problem(
            corpus,
            "taxonomy",
            "",
            ("jurisdictions",),
            f"{len(provincial)} first-level divisions (level provincial) listed; "
            f"{country_name(code)} has {expected}",
            "warning",
        )


def _check_taxonomy(corpus: Corpus) -> Iterator[Problem]:
    tax = corpus.taxonomy
    codes: dict[str, int] = {}
    for i, jur in enumerate(tax.jurisdictions):
        if jur.code in codes:
            yield _problem(
                corpus,
                "taxonomy",
                "",
                ("jurisdictions", i, "code"),
                f"duplicate jurisdiction code '{jur.code}' (first at jurisdictions[{codes[jur.code]}])",
            )
        codes.setdefault(jur.code, i)
    names: dict[str, str] = {}
    for i, jur in enumerate(tax.jurisdictions):
        if jur.parent is not None and jur.parent not in codes:
            yield _problem(
                corpus,
                "taxonomy",
                "",
                ("jurisdictions", i, "parent"),
                f"unknown parent jurisdiction '{jur.parent}'",
            )
        if jur.level is not Level.national and jur.parent is None:
            yield _problem(
                corpus,
                "taxonomy",
                "",
                ("jurisdictions", i, "parent"),
                "every jurisdiction below national names its parent",
            )
        if jur.level is Level.provincial and jur.tile is None and jur.code not in tax.map.leave_out:
            yield _problem(
                corpus,
                "taxonomy",
                "",
                ("jurisdictions", i, "tile"),
                "a provincial-level division needs its tile-grid position [row, column] "
                "(or its code in map.leave_out, if the tile map does not draw it)",
            )
        key = _norm(jur.name)
        if key in names and names[key] != jur.code:
            yield _problem(
                corpus,
                "taxonomy",
                "",
                ("jurisdictions", i, "name"),
                f"'{jur.name}' is also the name of {names[key]}: the same place under two codes?",
            )
        names.setdefault(key, jur.code)
    yield from _check_map(corpus, codes)
    tiles: dict[tuple[int, int], str] = {}
    for i, jur in enumerate(tax.jurisdictions):
        if jur.tile is not None:
            if jur.tile in tiles:
                yield _problem(
                    corpus,
                    "taxonomy",
                    "",
                    ("jurisdictions", i, "tile"),
                    f"tile {list(jur.tile)} is already taken by {tiles[jur.tile]}",
                )
            tiles.setdefault(jur.tile, jur.code)

    spellings: dict[str, str] = {}
    actor_ids: dict[str, int] = {}
    for i, actor in enumerate(tax.actors):
        if actor.id in actor_ids:
            yield _problem(corpus, "taxonomy", "", ("actors", i, "id"), f"duplicate actor id '{actor.id}'")
        actor_ids.setdefault(actor.id, i)
        if actor.jurisdiction not in codes:
            yield _problem(
                corpus,
                "taxonomy",
                "",
                ("actors", i, "jurisdiction"),
                f"unknown jurisdiction '{actor.jurisdiction}'",
            )
        for j, spelling in enumerate([actor.name, *actor.aliases]):
            key = _norm(spelling)
            other = spellings.get(key)
            if other is not None and other != actor.id:
                loc: tuple[str | int, ...] = (
                    ("actors", i, "name") if j == 0 else ("actors", i, "aliases", j - 1)
                )
                yield _problem(
                    corpus,
                    "taxonomy",
                    "",
                    loc,
                    f"'{spelling}' also names actor '{other}': the same actor under two ids?",
                )
            spellings.setdefault(key, actor.id)

    for group, items in (("themes", tax.themes), ("instruments", tax.instruments)):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                yield _problem(corpus, "taxonomy", "", (group, i, "id"), f"duplicate id '{item.id}'")
            seen.add(item.id)


def _check_map(corpus: Corpus, codes: dict[str, int]) -> Iterator[Problem]:
    """`map.leave_out` names first-level divisions of the taxonomy, each once; the map keeps
    at least one to draw."""
    tax = corpus.taxonomy
    seen: set[str] = set()
    for i, code in enumerate(tax.map.leave_out):
        loc = ("map", "leave_out", i)
        if code not in codes:
            yield _problem(corpus, "taxonomy", "", loc, f"unknown jurisdiction '{code}'")
        elif tax.jurisdictions[codes[code]].level is not Level.provincial:
            yield _problem(
                corpus,
                "taxonomy",
                "",
                loc,
                f"'{code}' is not a first-level division (level provincial): the map draws only those",
            )
        if code in seen:
            yield _problem(corpus, "taxonomy", "", loc, f"'{code}' is listed twice")
        seen.add(code)
    provincial = [j for j in tax.jurisdictions if j.level is Level.provincial]
    if provincial and not tax.map_divisions():
        yield _problem(corpus, "taxonomy", "", ("map", "leave_out"), "the tile map would draw no division")


def _defined_ids(corpus: Corpus, problems: list[Problem]) -> dict[str, str]:
    """Every citable id (documents, measures, quantities) -> what it is. One namespace."""
    ids: dict[str, str] = {}

    def define(ident: str, what: str, kind: str, key: str, loc: tuple[str | int, ...]) -> None:
        if ident in ids:
            problems.append(
                _problem(corpus, kind, key, loc, f"duplicate id '{ident}' (already used by a {ids[ident]})")
            )
        else:
            ids[ident] = what

    for doc in corpus.documents:
        define(doc.id, "document", "document", doc.id, ("id",))
    for doc in corpus.documents:
        for m_i, measure in enumerate(doc.measures):
            define(measure.id, "measure", "document", doc.id, ("measures", m_i, "id"))
            for q_i, qty in enumerate(measure.quantities):
                define(qty.id, "quantity", "document", doc.id, ("measures", m_i, "quantities", q_i, "id"))
        for q_i, qty in enumerate(doc.quantities):
            define(qty.id, "quantity", "document", doc.id, ("quantities", q_i, "id"))
    for brief in corpus.briefs:
        define(brief.id, "brief", "brief", brief.id, ("id",))
    return ids


def _check_documents(corpus: Corpus, ids: dict[str, str], references: bool) -> Iterator[Problem]:
    tax = corpus.taxonomy
    codes = {j.code for j in tax.jurisdictions}
    actors = {a.id: a for a in tax.actors}
    instruments = tax.instrument_ids()
    themes = {t.id for t in tax.themes}
    files: dict[str, str] = {}

    for doc in corpus.documents:

        def bad(loc: tuple[str | int, ...], message: str, severity: str = "error") -> Problem:
            return _problem(corpus, "document", doc.id, loc, message, severity)  # noqa: B023

        if doc.source.file in files:
            yield bad(("source", "file"), f"source file already summarised by '{files[doc.source.file]}'")
        files.setdefault(doc.source.file, doc.id)
        if doc.subject not in codes:
            yield bad(("subject",), f"unknown jurisdiction '{doc.subject}'{_ADD_TO_TAXONOMY}")
        if not doc.measures:
            yield bad(("measures",), "a document with no measures: every summary records at least one")
        if not doc.summary.strip():
            yield bad(("summary",), "the Markdown body (the summary in our own words) is empty")
        for n_i, note in enumerate(doc.notes):
            if references and note.other_document and ("document", note.other_document) not in corpus.origins:
                yield bad(("notes", n_i, "other_document"), f"unknown document '{note.other_document}'")

        for m_i, measure in enumerate(doc.measures):
            base: tuple[str | int, ...] = ("measures", m_i)
            if measure.jurisdiction not in codes:
                yield bad(
                    (*base, "jurisdiction"),
                    f"unknown jurisdiction '{measure.jurisdiction}'{_ADD_TO_TAXONOMY}",
                )
            for a_i, actor in enumerate(measure.actors):
                if actor not in actors:
                    yield bad((*base, "actors", a_i), f"unknown actor '{actor}'")
            if measure.instrument not in instruments:
                yield bad((*base, "instrument"), f"unknown instrument '{measure.instrument}'")
            for t_i, theme in enumerate(measure.themes):
                if theme not in themes:
                    yield bad((*base, "themes", t_i), f"unknown theme '{theme}'")
            if measure.period.start is None and measure.period.end is None and not measure.period.reason:
                yield bad(
                    (*base, "period"),
                    "a measure without a period: give start or end, or a reason why the source has none",
                )
            for q_i, qty in enumerate(measure.quantities):
                yield from _check_quantity(qty, (*base, "quantities", q_i), bad, codes, actors)
        for q_i, qty in enumerate(doc.quantities):
            yield from _check_quantity(qty, ("quantities", q_i), bad, codes, actors)
        yield from _check_summary_figures(corpus, doc)
        yield from _check_conversions(doc, bad)


def _all_quantities(doc: SourceDocument) -> list[tuple[tuple[str | int, ...], Quantity]]:
    out: list[tuple[tuple[str | int, ...], Quantity]] = []
    for m_i, measure in enumerate(doc.measures):
        out += [(("measures", m_i, "quantities", q_i), q) for q_i, q in enumerate(measure.quantities)]
    out += [(("quantities", q_i), q) for q_i, q in enumerate(doc.quantities)]
    return out


def _check_summary_figures(corpus: Corpus, doc: SourceDocument) -> Iterator[Problem]:
    """Every figure in a summary's prose and key points is one of its recorded quantities."""
    rel, located = corpus.origins[("document", doc.id)]
    quantities = [q for _, q in _all_quantities(doc)]
    texts: list[tuple[tuple[str | int, ...], str]] = [(("summary",), doc.summary)]
    texts += [(("key_points", i), kp) for i, kp in enumerate(doc.key_points)]
    for loc, text in texts:
        for offset, message in check_summary_text(text, quantities):
            yield Problem(rel, _line_in(located, loc, text, offset), field_path(loc), message)
        for item in find_computed(text):
            offset = item[0] if isinstance(item, tuple) else item.start
            yield Problem(
                rel,
                _line_in(located, loc, text, offset),
                field_path(loc),
                "computed values ([=…]) belong in briefs; a summary states its own quantities",
            )


def _check_conversions(doc: SourceDocument, bad) -> Iterator[Problem]:  # type: ignore[no-untyped-def]
    """A conversion names a money figure of the same document and is money itself."""
    own = {q.id: q for _, q in _all_quantities(doc)}
    for loc, qty in _all_quantities(doc):
        if qty.converts is None:
            continue
        other = own.get(qty.converts)
        if other is None:
            yield bad((*loc, "converts"), f"'{qty.converts}' is not a quantity of this document")
        elif other.currency is None or qty.currency is None:
            yield bad((*loc, "converts"), "a conversion is between two money figures: give both a currency")


def _check_quantity(qty: Quantity, loc, bad, codes, actors) -> Iterator[Problem]:  # type: ignore[no-untyped-def]
    if not qty.unit.strip():
        yield bad((*loc, "unit"), "a quantity without a unit")
    if qty.jurisdiction is not None and qty.jurisdiction not in codes:
        yield bad((*loc, "jurisdiction"), f"unknown jurisdiction '{qty.jurisdiction}'{_ADD_TO_TAXONOMY}")
    if qty.enterprise is not None:
        actor = actors.get(qty.enterprise)
        if actor is None:
            yield bad((*loc, "enterprise"), f"unknown actor '{qty.enterprise}'")
        elif actor.kind.value != "enterprise":
            yield bad(
                (*loc, "enterprise"), f"actor '{qty.enterprise}' is a {actor.kind.value}, not an enterprise"
            )


def _check_briefs(corpus: Corpus, ids: dict[str, str], references: bool) -> Iterator[Problem]:
    tax = corpus.taxonomy
    codes = {j.code for j in tax.jurisdictions}
    doc_ids = {d.id for d in corpus.documents}
    themes = {t.id for t in tax.themes}
    instruments = tax.instrument_ids()
    for brief in corpus.briefs:

        def bad(loc: tuple[str | int, ...], message: str) -> Problem:
            return _problem(corpus, "brief", brief.id, loc, message)  # noqa: B023

        cov = brief.covers
        if references and cov.documents != "all":
            for i, doc_id in enumerate(cov.documents):
                if doc_id not in doc_ids:
                    yield bad(("covers", "documents", i), f"unknown document '{doc_id}'")
        for i, theme in enumerate(cov.themes):
            if theme not in themes:
                yield bad(("covers", "themes", i), f"unknown theme '{theme}'")
        for i, inst in enumerate(cov.instruments):
            if inst not in instruments and inst not in {f.id for f in tax.instruments}:
                yield bad(("covers", "instruments", i), f"unknown instrument '{inst}'")
        for i, code in enumerate(cov.jurisdictions):
            if code not in codes:
                yield bad(("covers", "jurisdictions", i), f"unknown jurisdiction '{code}'{_ADD_TO_TAXONOMY}")

        texts: list[tuple[tuple[str | int, ...], str, int]] = [
            (("key_messages", i), text, 0) for i, text in enumerate(brief.key_messages)
        ]
        texts.append((("body",), brief.body, 0))
        rel, located = corpus.origins[("brief", brief.id)]
        for loc, text, _ in texts:
            for cite, offset in _citations(text):
                if references and cite not in ids:
                    line = _line_in(located, loc, text, offset)
                    yield Problem(
                        rel,
                        line,
                        field_path(loc),
                        f"citation [@{cite}] names no document, measure or quantity",
                    )
            yield from _check_prose(corpus, rel, located, loc, text, references)
        for loc_name in ("summary", "subtitle", "title"):
            text = getattr(brief, loc_name) or ""
            for _offset, message in check_brief_text(text, lambda _i: None):
                yield Problem(rel, located.line_of((loc_name,)), loc_name, message)
            if "[=" in text:
                yield Problem(
                    rel,
                    located.line_of((loc_name,)),
                    loc_name,
                    "computed values ([=…]) belong in the key messages and the body",
                )


def _check_prose(corpus: Corpus, rel: str, located, loc, text: str, references: bool) -> Iterator[Problem]:  # type: ignore[no-untyped-def]
    """Computed values parse and name what exists; every figure agrees with what it cites."""
    for item in find_computed(text):
        if isinstance(item, tuple):
            offset, source, message = item
        else:
            offset, source = item.start, item.source
            message = check_computed(item, corpus) if references else None
            if message is None:
                continue
        yield Problem(rel, _line_in(located, loc, text, offset), field_path(loc), f"{source}: {message}")

    def resolve(ident: str) -> object:
        # Without every document (references=False), a figure is judged only for citing
        # nothing at all: an id that does not resolve is skipped.
        try:
            return corpus.citable(ident)[1] if references else None
        except KeyError:
            return None

    for offset, message in check_brief_text(text, resolve):
        yield Problem(rel, _line_in(located, loc, text, offset), field_path(loc), message)


def _citations(text: str) -> Iterator[tuple[str, int]]:
    for match in CITATION_RE.finditer(text):
        for ident in match.group(1).split(";"):
            yield ident.strip().lstrip("@"), match.start()


def _line_in(located, loc, text: str, offset: int) -> int:  # type: ignore[no-untyped-def]
    start = located.line_of(loc)
    if loc in (("body",), ("summary",)):
        return start + text.count("\n", 0, offset)
    return start
