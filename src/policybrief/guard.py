"""Corpus checks against the resource limits and the hostile-content rules.

The models check each field's type; validate.py checks references between files. These
checks make sure nothing that passes loading can hang, exhaust or break a later stage:
every text rendered as Markdown is free of pathological structure (policybrief.textlimits),
bodies and tables and `::view` placeholders are within their limits, figures are within the
documented bounds, every `[@id]` anywhere names something citable, every URL is one a
reader may follow (policybrief.urls), and no id is one the build generates itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .citations import CITATION_RE
from .models import Quantity
from .problems import Problem, field_path
from .safefiles import plain_name
from .textlimits import markdown_hazard, view_count
from .urls import url_problem

if TYPE_CHECKING:
    from .corpus import Corpus
    from .limits import Limits
    from .yamlmap import Located

# Ids the build gives products of its own: a source digest of document X is the brief
# "digest-X" (policybrief.pipeline.digest_brief).
GENERATED_PREFIXES = ("digest-",)
# Body fields of the front-matter files: whole Markdown documents.
BODY_FIELDS = {"summary", "body"}


def check_limits(corpus: Corpus, references: bool = True) -> Iterator[Problem]:
    limits = corpus.limits
    citable = _citable_ids(corpus)
    for (kind, key), (rel, located) in sorted(corpus.origins.items()):
        for loc, text in _strings(located.data, ()):
            is_body = len(loc) == 1 and loc[0] in BODY_FIELDS and kind != "taxonomy"
            hazard = markdown_hazard(text, limits, body=is_body)
            if hazard is not None:
                line = located.line_of(loc) + (hazard.line - 1 if is_body else 0)
                yield Problem(rel, line, field_path(loc), hazard.message)
            if references and not (kind == "brief" and _checked_by_validate(loc)):
                for match in CITATION_RE.finditer(text):
                    for ident in match.group(1).split(";"):
                        ident = ident.strip().lstrip("@")
                        if ident not in citable:
                            line = _line_in(located, loc, text, match.start(), is_body)
                            yield Problem(
                                rel,
                                line,
                                field_path(loc),
                                f"citation [@{ident}] names no document, measure or quantity",
                            )
            if loc and loc[-1] == "url" and text:
                problem = url_problem(text)
                if problem:
                    yield Problem(rel, located.line_of(loc), field_path(loc), problem)
        yield from _check_years(located.data, (), rel, located, limits)
        if kind == "brief":
            yield from _check_views(corpus, key, rel, located)
    for doc in corpus.documents:
        rel, located = corpus.origins[("document", doc.id)]
        why = plain_name(doc.source.file)
        if why is not None:
            yield Problem(
                rel, located.line_of(("source", "file")), "source.file", f"'{doc.source.file}' {why}"
            )
        for loc, qty in _quantities(doc):
            yield from _check_value(qty, loc, rel, located, corpus)
    for brief in corpus.briefs:
        if brief.id.startswith(GENERATED_PREFIXES):
            rel, located = corpus.origins[("brief", brief.id)]
            yield Problem(
                rel,
                located.line_of(("id",)),
                "id",
                f"ids starting with {' or '.join(repr(p) for p in GENERATED_PREFIXES)} are kept "
                "for the source digests the build generates",
            )


def _checked_by_validate(loc: tuple[str | int, ...]) -> bool:
    return loc[:1] in (("key_messages",), ("body",))


def _citable_ids(corpus: Corpus) -> set[str]:
    ids: set[str] = set()
    for doc in corpus.documents:
        ids.add(doc.id)
        for m in doc.measures:
            ids.add(m.id)
            ids.update(q.id for q in m.quantities)
        ids.update(q.id for q in doc.quantities)
    return ids


def _strings(data: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string in the loaded data with its path. The YAML loader bounds the nesting
    ([limits] max_yaml_depth in policybrief.toml), so this recursion is bounded too."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*loc, index))


def _line_in(located: Located, loc: tuple[str | int, ...], text: str, offset: int, body: bool) -> int:
    start = located.line_of(loc)
    return start + text.count("\n", 0, offset) if body else start


def _check_views(corpus: Corpus, key: str, rel: str, located: Located) -> Iterator[Problem]:
    brief = next(b for b in corpus.briefs if b.id == key)
    count = len(brief.views) + view_count(brief.body)
    limit = corpus.limits.max_views_per_brief
    if count > limit:
        yield Problem(
            rel,
            located.line_of(("body",)),
            "body",
            f"{count} views placed; a brief places at most {limit} ([limits] max_views_per_brief in policybrief.toml)",
        )


def _quantities(doc: Any) -> Iterator[tuple[tuple[str | int, ...], Quantity]]:
    for m_i, measure in enumerate(doc.measures):
        for q_i, qty in enumerate(measure.quantities):
            yield ("measures", m_i, "quantities", q_i), qty
    for q_i, qty in enumerate(doc.quantities):
        yield ("quantities", q_i), qty


def _check_years(
    value: object, loc: tuple[str | int, ...], rel: str, located: Located, limits: Limits
) -> Iterator[Problem]:
    """Every period's start and end year within the project's bounds."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "period" and isinstance(item, dict):
                for end in ("start", "end"):
                    year = item.get(end)
                    if (
                        isinstance(year, int)
                        and not isinstance(year, bool)
                        and not limits.min_year <= year <= limits.max_year
                    ):
                        where = (*loc, key, end)
                        yield Problem(
                            rel,
                            located.line_of(where),
                            field_path(where),
                            f"year {year} is outside {limits.min_year}–{limits.max_year}; a "
                            "project can change the bounds with min_year and max_year in the "
                            "[limits] table of policybrief.toml",
                        )
            else:
                yield from _check_years(item, (*loc, key), rel, located, limits)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _check_years(item, (*loc, i), rel, located, limits)


def _check_value(
    qty: Quantity, loc: tuple[str | int, ...], rel: str, located: Located, corpus: Corpus
) -> Iterator[Problem]:
    limits = corpus.limits
    where = (*loc, "value")
    values = list(qty.value) if isinstance(qty.value, tuple) else [qty.value]
    for value in values:
        magnitude = abs(value)
        if magnitude > limits.max_abs_value or (0 < magnitude < limits.min_abs_value):
            yield Problem(
                rel,
                located.line_of(where),
                field_path(where),
                f"{value!r} is outside the bounds for a figure: 0, or between "
                f"{limits.min_abs_value:g} and {limits.max_abs_value:g} in magnitude "
                "(min_abs_value, max_abs_value in the [limits] table of policybrief.toml)",
            )
            return
    if qty.unit.strip() == "rank":
        for value in values:
            if not float(value).is_integer() or not 1 <= value <= limits.max_rank:
                yield Problem(
                    rel,
                    located.line_of(where),
                    field_path(where),
                    f"a rank is a whole number from 1 to {limits.max_rank:,}, not {value!r}",
                )
                return
