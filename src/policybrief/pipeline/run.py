"""The build, stage by stage: load → plan → key → render the misses → index → publish.

Each stage is a module of this package; this one calls them in order, and starts again when
the inputs changed under a build. Loading and rendering are imported only when there is
something to do: a build with nothing to do loads neither the content nor any renderer.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import TYPE_CHECKING

from ..cache import Cache, cache_root, sha256
from ..options import Options
from ..problems import ContentError, Problem
from ..publish import manifest_bytes, publish
from .entry import INDEX
from .keys import Dependencies, EntryValidator, Inputs, RenderKeys, index_key, product_key
from .output import BuildState, current_output, output_files, save_state, unchanged
from .plan import edition_date, plan, wanted
from .result import BuildResult

if TYPE_CHECKING:
    from ..corpus import Corpus
    from ..models import Brief
    from .entry import ProductEntry
    from .workers import Task

log = logging.getLogger("policybrief")


def build(options: Options) -> BuildResult:
    try:
        return _build(options)
    except ContentError:
        raise
    except Exception as exc:
        from .render import template_problem  # here only: render loads the models

        problem = template_problem(options, exc)
        if problem is None:
            raise
        raise ContentError([problem]) from None


def _build(options: Options) -> BuildResult:
    started = time.perf_counter()
    _check_output(options)
    cache = Cache(cache_root(options.project), read=not options.clean)
    for _attempt in range(3):
        inputs = Inputs.scan(options)
        state = BuildState.load(cache, options)
        if state is not None and state.fingerprint == inputs.fingerprint:
            done = unchanged(options, state)
            if done is not None:
                done.seconds = time.perf_counter() - started
                return done
        outcome = _build_changed(options, cache, inputs, state)
        if outcome is not None:
            outcome.seconds = time.perf_counter() - started
            return outcome
        log.warning("Inputs changed during the build; building again.")
    raise RuntimeError("content or templates kept changing during the build; try again")


def _check_output(options: Options) -> None:
    """Refuse an output folder whose replacement would delete something else."""
    from ..outputguard import output_problem
    from ..problems import Problem
    from ..project import PROJECT_FILE

    sources = options.project / options.settings.paths.sources
    problem = output_problem(options.output, options.project, options.content, sources)
    if problem is not None:
        where = PROJECT_FILE if (options.project / PROJECT_FILE).is_file() else "--output"
        raise ContentError([Problem(where, None, "paths.output", problem)])


def _build_changed(
    options: Options, cache: Cache, inputs: Inputs, state: BuildState | None
) -> BuildResult | None:
    from ..load import load_corpus
    from ..products import site_context
    from .render import RenderContext, render_index
    from .workers import Task, render

    log.info("Loading content from %s", options.content, extra={"phase": "loading"})
    corpus = load_corpus(options.content, options.settings, options.limits)
    if Inputs.scan(options).fingerprint != inputs.fingerprint:
        return None  # a file changed while it was read: start again
    products = plan(corpus, options)
    edition = edition_date(corpus, options)
    result = BuildResult(options.output, warnings=list(corpus.warnings))
    result.unchecked_anchors = _anchor_count(corpus)
    result.kinds = {b.id: b.kind.value for b in products}
    chosen = wanted(products, options)

    site = site_context(corpus, edition, options.settings)
    deps = Dependencies(corpus, inputs)
    current = current_output(options, state)
    validator = EntryValidator(cache, options.theme, current)
    costs = state.costs if state is not None else {}
    entries: dict[str, ProductEntry] = {}
    keys: dict[str, str] = {}
    todo: list[Task] = []
    for brief in chosen:
        key = keys[brief.id] = product_key(brief, options, edition, site, inputs, deps)
        entry = validator.lookup(key)
        if entry is not None:
            entries[brief.id] = entry
            result.reused.append(brief.id)
            log.debug("  %-44s unchanged", brief.id)
        else:
            todo.append(Task(brief, key, costs.get(brief.id, deps.estimate(brief))))

    log.info(
        "Rendering %d of %d products (%d unchanged)",
        len(todo),
        len(chosen),
        len(chosen) - len(todo),
        extra={"phase": "rendering"},
    )
    context = RenderContext(
        corpus, options, edition, cache, RenderKeys(inputs.assets, inputs.fonts, inputs.code)
    )
    written: list[tuple[str, str | None]] = []
    for brief_id, rendered in render(context, todo, options.jobs):
        entries[brief_id] = rendered
        result.built.append(brief_id)
        written += [("product", keys[brief_id]), ("pdf", rendered.pdf)]

    result.warnings += _long_digests(corpus, chosen, entries)

    keys[INDEX] = index_key(products, options, site, inputs)
    index = validator.lookup(keys[INDEX])
    if index is None:
        index = render_index(corpus, products, options, edition, cache, keys[INDEX])
        written.append(("product", keys[INDEX]))

    if Inputs.scan(options).fingerprint != inputs.fingerprint:
        for kind, stale in written:  # rendered from a mix of old and new files: forget them
            if stale is not None:
                with contextlib.suppress(OSError):
                    (cache.root / "entries" / kind / f"{stale}.json").unlink()
        return None

    files, kept = output_files(options, chosen, entries, index, cache, current)
    manifest = manifest_bytes({rel: (sha, size) for rel, (sha, size, _src) in files.items()}, edition)
    result.files = len(files) + 1
    if current and state is not None and state.manifest == sha256(manifest) and not kept:
        result.published = False  # output/ already holds exactly this build
    else:
        log.info("Publishing %d files to %s", len(files) + 1, options.output, extra={"phase": "publishing"})
        publish(options.output, {rel: src for rel, (_sha, _size, src) in files.items()}, manifest)
    save_state(options, cache, inputs, result, products, costs, entries, keys, manifest)
    return result


def _long_digests(corpus: Corpus, chosen: list[Brief], entries: dict[str, ProductEntry]) -> list[Problem]:
    """A warning, on the document's key points, for each digest whose PDF is not one page.
    From the product entries, so that a digest reused from the cache warns again (and a
    no-op build repeats the saved warnings)."""
    problems = []
    for brief in chosen:
        pages = entries[brief.id].pdf_pages
        if brief.kind.value != "digest" or not pages or pages <= 1:
            continue
        assert isinstance(brief.covers.documents, list)  # a digest covers its one document
        rel, located = corpus.origins[("document", brief.covers.documents[0])]
        problems.append(
            Problem(
                rel,
                located.line_of(("key_points",)),
                "key_points",
                f"the document's digest runs to {pages} pages, not one: shorten the key points "
                "(the summary's prose is not printed), or split the document's measures",
                severity="warning",
            )
        )
    return problems


def _anchor_count(corpus: Corpus) -> int:
    from ..sources import evidence_of

    return sum(len(list(evidence_of(d))) for d in corpus.documents)
