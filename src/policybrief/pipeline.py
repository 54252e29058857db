"""The build: load → plan → render each product (cached, in parallel) → index → publish.

Everything a product (one brief: page, PDF, charts, data) needs is rendered into the cache
first; output/ is then assembled in a staging folder beside it and swapped in only when the
whole build has succeeded. A failed or killed build leaves output/ as it was.

Incremental builds decide from content hashes, never from modification times:

1. Fingerprint: the hash of every input file (content, templates), the code, the fonts and
   the options. Equal to the last successful build's, with output/ untouched since: nothing
   to do, and nothing is even loaded.
2. Otherwise load and plan (cheap), and give each product a key: the hash of what it is a
   function of — its brief, the content files it draws on (its brief file, the documents
   `analyse.select` picks for it and those its text cites, taxonomy.yaml), the site header
   (document count, build date), stylesheets, fonts (with PDFs), code and options. A cache
   entry under that key also lists the templates its render read (recorded by the Jinja
   loader, with hashes); it is used only if those templates are unchanged.
3. Render the misses, in a pool of worker processes when there are several. Inside a
   product, the PDF has its own cache entry keyed by the print HTML and everything it
   loads, so an edit that leaves a brief's printed page unchanged costs no WeasyPrint run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import logging
import multiprocessing
import os
import pickle
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .cache import (
    Cache,
    cache_root,
    code_version,
    content_files,
    file_sha,
    fonts_fingerprint,
    key_of,
    sha256,
    template_sha,
    tree_hashes,
)
from .charts import Chart, ChartInput, chart_input, render_charts
from .options import Options
from .problems import ContentError, Problem
from .publish import MANIFEST, Unchanged, manifest_bytes, output_signature, publish

if TYPE_CHECKING:
    from .analyse import Selection
    from .load import Corpus
    from .models import Brief, Jurisdiction, SourceDocument, Taxonomy

log = logging.getLogger("policybrief")

INDEX = "index"
_PRUNE_EVERY = 86400.0  # seconds between cache clean-ups


@dataclass
class BuildResult:
    output: Path
    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    files: int = 0
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    unchecked_anchors: int = 0
    #: False when output/ already held exactly this build and was left alone.
    published: bool = True

    def summary(self) -> str:
        parts = [f"built {len(self.built)} brief(s)"]
        if self.reused:
            parts.append(f"reused {len(self.reused)} unchanged")
        parts.append(f"{self.files} files in {self.output}")
        parts.append(f"{self.seconds:.1f} s")
        text = "Done: " + ", ".join(parts) + "."
        if self.unchecked_anchors:
            text += (
                f" {self.unchecked_anchors} evidence anchors were not checked against sources"
                " (run with --sources DIR to verify them)."
            )
        return text


# --------------------------------------------------------------------------- the plan


def digest_brief(corpus: Corpus, doc_id: str, edition: dt.date) -> Brief:
    """The one-page digest every source document gets, without a brief file of its own."""
    return _digest_of(corpus.document(doc_id), edition)


def _digest_of(doc: SourceDocument, edition: dt.date) -> Brief:
    from .models import Brief, BriefKind, Filters

    return Brief(
        id=f"digest-{doc.id}",
        title=doc.title,
        # The outlet is a free description ("Not named in the text", "Xinhua (reporting…)"):
        # a subtitle field of its own, never a keyword.
        subtitle=f"Digest of a {doc.kind.value.replace('-', ' ')} · Outlet: {doc.outlet} · {doc.published.label()}",
        kind=BriefKind.digest,
        audience="Analysts checking what one source reports",
        summary=doc.key_points[0],
        edition=edition,
        key_messages=doc.key_points[:6],
        covers=Filters(documents=[doc.id]),
        views=["measures", "targets"],
        keywords=["source digest", doc.kind.value.replace("-", " ")],
        body=doc.summary,
    )


def edition_date(corpus: Corpus, options: Options) -> dt.date:
    epoch = options.source_date_epoch
    if epoch is None and os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        epoch = int(os.environ["SOURCE_DATE_EPOCH"])
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, dt.UTC).date()
    editions = [b.edition for b in corpus.briefs]
    return max(editions) if editions else max(d.published.date for d in corpus.documents)


def plan(corpus: Corpus, options: Options) -> list[Brief]:
    """Every product of the build: the defined briefs, then one digest per document."""
    built = edition_date(corpus, options)
    briefs = list(corpus.briefs) + [_digest_of(d, built) for d in corpus.documents]
    if options.only:
        known = {b.id for b in briefs}
        unknown = [b for b in options.only if b not in known]
        if unknown:
            raise ContentError(
                [
                    Problem("--only", None, "", f"no brief '{b}' (known: {', '.join(sorted(known))})")
                    for b in unknown
                ]
            )
    return briefs


# --------------------------------------------------------------------------- the build


def build(options: Options) -> BuildResult:
    try:
        return _build(options)
    except ContentError:
        raise
    except Exception as exc:
        problem = template_problem(options, exc)
        if problem is None:
            raise
        raise ContentError([problem]) from None


def template_problem(options: Options, exc: BaseException) -> Problem | None:
    """A template error as a content problem naming the template file, else None."""
    jinja2 = sys.modules.get("jinja2")
    if jinja2 is None:
        return None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Problem(
            _template_path(options, exc.name or exc.filename or "?"),
            exc.lineno,
            "",
            f"template error: {exc.message}",
        )
    if isinstance(exc, jinja2.TemplateNotFound):
        return Problem(_template_path(options, exc.name), None, "", "template not found")
    return None


def _template_path(options: Options, name: str) -> str:
    try:
        return str((options.templates / name).relative_to(options.project))
    except ValueError:
        return str(options.templates / name)


@dataclass
class Inputs:
    """Hashes of every input file and setting, taken before loading."""

    content: dict[str, str]  # path relative to the content folder -> sha256
    templates: dict[str, str]  # every file under templates/ -> sha256
    assets: dict[str, str]  # stylesheets under templates/assets -> sha256
    code: str
    fonts: str
    fingerprint: str

    @classmethod
    def scan(cls, options: Options) -> Inputs:
        content = {
            p.relative_to(options.content).as_posix(): file_sha(p)
            for p in content_files(options.content)
            if p.is_file()
        }
        templates = tree_hashes(options.templates)
        assets = {k.removeprefix("assets/"): v for k, v in templates.items() if k.startswith("assets/")}
        assets = {k: v for k, v in assets.items() if k.endswith(".css")}
        code = code_version()
        fonts = fonts_fingerprint()  # the PDFs' fonts, and the charts'
        fingerprint = key_of(
            {
                "settings": _settings(options),
                "code": code,
                "fonts": fonts,
                "content": content,
                "templates": templates,
            }
        )
        return cls(content, templates, assets, code, fonts, fingerprint)


def _settings(options: Options) -> dict[str, Any]:
    epoch = options.source_date_epoch
    env_epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return {
        "project": str(options.project),
        "content": str(options.content),
        "output": str(options.output),
        "only": list(options.only),
        "paper": options.paper,
        "pdf": options.pdf,
        "digest_pdf": options.digest_pdf,
        "epoch": epoch if epoch is not None else (int(env_epoch) if env_epoch.isdigit() else None),
    }


def _state_name(options: Options) -> str:
    return key_of({k: v for k, v in _settings(options).items() if k != "epoch"})


def _build(options: Options) -> BuildResult:
    started = time.perf_counter()
    cache = Cache(cache_root(options.project), read=not options.clean)
    state_name = _state_name(options)
    for _attempt in range(3):
        inputs = Inputs.scan(options)
        state = cache.get_state(state_name)
        if state is not None and state.get("fingerprint") == inputs.fingerprint:
            done = _unchanged(options, state)
            if done is not None:
                done.seconds = time.perf_counter() - started
                return done
        outcome = _build_changed(options, cache, inputs, state)
        if outcome is not None:
            outcome.seconds = time.perf_counter() - started
            return outcome
        log.warning("Inputs changed during the build; building again.")
    raise RuntimeError("content or templates kept changing during the build; try again")


def _unchanged(options: Options, state: dict[str, Any]) -> BuildResult | None:
    """The last build's result, if output/ still holds exactly what it published."""
    if output_signature(options.output) != state.get("outputs"):
        return None
    saved = state["result"]
    return BuildResult(
        options.output,
        built=[],
        reused=list(saved["products"]),
        files=saved["files"],
        warnings=[Problem(*p) for p in saved["warnings"]],
        unchecked_anchors=saved["unchecked_anchors"],
        published=False,
    )


@dataclass
class _Todo:
    brief: Brief
    key: str
    cost: float


def _build_changed(
    options: Options, cache: Cache, inputs: Inputs, state: dict[str, Any] | None
) -> BuildResult | None:
    from .load import load_corpus
    from .products import site_context

    corpus = load_corpus(options.content)
    if Inputs.scan(options).fingerprint != inputs.fingerprint:
        return None  # a file changed while it was read: start again
    products = plan(corpus, options)
    edition = edition_date(corpus, options)
    result = BuildResult(options.output, warnings=list(corpus.warnings))
    result.unchecked_anchors = _anchor_count(corpus)
    wanted = [b for b in products if not options.only or b.id in options.only]

    site = site_context(corpus, edition)
    deps = _Dependencies(corpus, inputs)
    current = _current_output(options, state)
    validator = _EntryValidator(cache, options.templates, current)
    costs = (state or {}).get("costs", {})
    entries: dict[str, dict[str, Any]] = {}
    keys: dict[str, str] = {}
    todo: list[_Todo] = []
    for brief in wanted:
        key = keys[brief.id] = key_of(_product_inputs(brief, options, edition, site, inputs, deps))
        entry = cache.get_entry("product", key)
        if entry is not None and validator.valid(entry):
            entries[brief.id] = entry
            result.reused.append(brief.id)
            log.debug("  %-44s unchanged", brief.id)
        else:
            todo.append(_Todo(brief, key, costs.get(brief.id, deps.estimate(brief))))

    written: list[tuple[str, str | None]] = []
    for brief_id, entry in _render(corpus, todo, options, edition, cache, inputs):
        entries[brief_id] = entry
        result.built.append(brief_id)
        written += [("product", keys[brief_id]), ("pdf", entry.get("pdf"))]

    result.warnings += _long_digests(corpus, wanted, entries)

    keys[INDEX] = key_of(_index_inputs(products, options, site, inputs))
    index = cache.get_entry("product", keys[INDEX])
    if index is None or not validator.valid(index):
        index = _render_index(corpus, products, options, edition, cache, keys[INDEX])
        written.append(("product", keys[INDEX]))

    if Inputs.scan(options).fingerprint != inputs.fingerprint:
        for kind, key in written:  # rendered from a mix of old and new files: forget them
            if key is not None:
                with contextlib.suppress(OSError):
                    (cache.root / "entries" / kind / f"{key}.json").unlink()
        return None

    files, kept = _output_files(options, wanted, entries, index, cache, current)
    manifest = manifest_bytes({rel: (sha, size) for rel, (sha, size, _src) in files.items()}, edition)
    result.files = len(files) + 1
    if current and state is not None and state.get("manifest") == sha256(manifest) and not kept:
        result.published = False  # output/ already holds exactly this build
    else:
        publish(options.output, {rel: src for rel, (_sha, _size, src) in files.items()}, manifest)
    _save_state(options, cache, inputs, result, products, costs, entries, keys, manifest)
    return result


def _long_digests(corpus: Corpus, wanted: list[Brief], entries: dict[str, dict[str, Any]]) -> list[Problem]:
    """A warning, on the document's key points, for each digest whose PDF is not one page.
    From the product entries, so that a digest reused from the cache warns again (and a
    no-op build repeats the saved warnings)."""
    problems = []
    for brief in wanted:
        pages = entries[brief.id].get("pdf_pages")
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
    from .sources import evidence_of

    return sum(len(list(evidence_of(d))) for d in corpus.documents)


# --------------------------------------------------------------------------- keys


class _Dependencies:
    """Which content files each product reads, by the same rules as products.render_product:
    the documents analyse.select picks for the brief, plus those its text cites."""

    def __init__(self, corpus: Corpus, inputs: Inputs) -> None:
        self.corpus = corpus
        self.inputs = inputs
        self.owner: dict[str, str] = {}  # any citable id -> its document id
        for doc in corpus.documents:
            self.owner[doc.id] = doc.id
            for m in doc.measures:
                self.owner[m.id] = doc.id
                for q in m.quantities:
                    self.owner[q.id] = doc.id
            for q in doc.quantities:
                self.owner[q.id] = doc.id
        self._selected: dict[str, list[str]] = {}

    def documents(self, brief: Brief) -> list[str]:
        from .analyse import select
        from .citations import cited_ids

        if brief.id not in self._selected:
            covers = brief.covers
            if isinstance(covers.documents, list):
                # A selection never reaches beyond the listed documents: depend on all of
                # them (a superset, and no need to run select over the whole corpus).
                chosen = set(covers.documents)
            else:
                chosen = {d.id for d in select(self.corpus, covers).documents}
            for text in (brief.body, *brief.key_messages):
                chosen.update(self.owner[i] for i in cited_ids(text) if i in self.owner)
            self._selected[brief.id] = sorted(chosen)
        return self._selected[brief.id]

    def content(self, brief: Brief) -> dict[str, str | None]:
        files = ["taxonomy.yaml", f"briefs/{brief.id}.md"]
        files += [f"documents/{d}.md" for d in self.documents(brief)]
        return {f: self.inputs.content.get(f) for f in files}

    def estimate(self, brief: Brief) -> float:
        """A guess at the render time, to start the longest products first."""
        return (0.5 if brief.kind.value == "digest" else 3.0) + 0.05 * len(self.documents(brief))


def _common(options: Options, inputs: Inputs) -> dict[str, Any]:
    return {
        "code": inputs.code,
        "pdf": options.pdf,
        "paper": options.paper if options.pdf else None,
        "fonts": inputs.fonts,
        # Which template files exist: a new file can change what an `include` finds.
        "template_names": sorted(inputs.templates),
    }


def _product_inputs(
    brief: Brief,
    options: Options,
    edition: dt.date,
    site: dict[str, Any],
    inputs: Inputs,
    deps: _Dependencies,
) -> dict[str, Any]:
    return {
        "product": brief.id,
        "brief": brief.model_dump(mode="json"),
        "edition": edition.isoformat(),
        "site": site,
        "content": deps.content(brief),
        "makes_pdf": options.pdf_for(brief.kind),
        # The stylesheets reach a product only through its PDF.
        "assets": inputs.assets if options.pdf_for(brief.kind) else None,
        **_common(options, inputs),
    }


def _index_inputs(
    products: list[Brief], options: Options, site: dict[str, Any], inputs: Inputs
) -> dict[str, Any]:
    return {
        "product": INDEX,
        "briefs": [b.model_dump(mode="json") for b in products],
        "digest_pdf": options.digest_pdf,
        "site": site,
        "assets": {k: v for k, v in inputs.templates.items() if k.startswith("assets/")},
        **_common(options, inputs),
    }


class _EntryValidator:
    """An entry is good only if the templates it read are unchanged and each of its files is
    at hand: in the current output/ (known intact, see _current_output), or as a blob whose
    content is read and hashed."""

    def __init__(self, cache: Cache, templates: Path, current: dict[str, str]) -> None:
        self.cache = cache
        self.templates = templates
        self.current = current
        self._shas: dict[str, str | None] = {}

    def template(self, name: str) -> str | None:
        if name not in self._shas:
            try:
                self._shas[name] = template_sha(self.templates / name)
            except (OSError, UnicodeDecodeError):
                self._shas[name] = None
        return self._shas[name]

    def valid(self, entry: dict[str, Any]) -> bool:
        try:
            return all(self.template(n) == sha for n, sha in entry["templates"].items()) and all(
                self.current.get(rel) == sha or self.cache.has_blob(sha, size)
                for rel, (sha, size) in entry["files"].items()
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return False


# --------------------------------------------------------------------------- rendering

#: Seconds of rendering after which a worker collects garbage in full (see _render_task).
_COLLECT_AFTER = 1.0
#: ...and after this many lighter products in a row.
_COLLECT_EVERY = 10

# What a worker process holds for every task: set once, by the pool's initializer.
_WORKER: dict[str, Any] = {}


def _init_worker(
    corpus: Corpus,
    options: Options,
    edition: dt.date,
    cache_dir: Path,
    read: bool,
    assets: dict[str, str],
    fonts: str,
    code: str,
    taxonomy: str | None,
    log_queue: Any = None,
) -> None:
    _WORKER.update(
        corpus=corpus,
        options=options,
        edition=edition,
        cache=Cache(cache_dir, read=read),
        assets=assets,
        fonts=fonts,
        code=code,
        taxonomy=taxonomy,
    )
    if log_queue is not None:  # a pool worker, not the build's own process
        # The corpus lives as long as the worker: keep the collector from scanning it again
        # and again while WeasyPrint allocates (and, after fork, from touching its pages);
        # collect rarely while a product renders, and fully after each (see _render_task).
        # Measured on 66 products: 15% faster than the defaults, and a quarter less memory.
        gc.collect()
        gc.freeze()
        gc.set_threshold(50_000, 20, 100)
        _WORKER["collect"] = True
        # Workers report through the parent's loggers, so that the CLI prints their
        # warnings once and tests that watch WeasyPrint's logger see them.
        import signal
        from logging.handlers import QueueHandler

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
        for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
            if isinstance(logger, logging.Logger):
                logger.handlers.clear()
                if logger.name != "root":
                    logger.propagate = True
        logging.getLogger().addHandler(QueueHandler(log_queue))


def _render_task(brief: Brief, key: str) -> tuple[str, Any]:
    """Render one product into the cache; return ("ok", entry) or the problem, as values
    (exceptions do not all survive the trip back from a worker process)."""
    w = _WORKER
    started = time.perf_counter()
    try:
        return "ok", _render_into_cache(brief, key)
    except ContentError as exc:
        return "content", exc.problems
    except Exception as exc:
        problem = template_problem(w["options"], exc)
        if problem is not None:
            return "content", [problem]
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:
            exc = RuntimeError(f"{exc.__class__.__name__}: {exc}")
        return "error", exc
    finally:
        # A full collection frees a PDF's pages and boxes (reference cycles) before the next
        # product, but costs about 50 ms however little there is to free (WeasyPrint's and
        # matplotlib's module objects are not frozen). So: after every heavy product, and
        # after every tenth light one (an HTML-only digest renders in 6 ms; a digest PDF's
        # garbage, left to the generational collector, took a worker to 1.7 GiB).
        if w.get("collect"):
            w["light"] = w.get("light", 0) + 1
            if time.perf_counter() - started > _COLLECT_AFTER or w["light"] >= _COLLECT_EVERY:
                w["light"] = 0
                gc.collect()


def _render_into_cache(brief: Brief, key: str) -> dict[str, Any]:
    from .products import render_product

    w = _WORKER
    cache: Cache = w["cache"]
    options: Options = w["options"]
    started = time.perf_counter()
    used: dict[str, str] = {}

    def write_pdf(
        page_html: str, page_dir: str, files: dict[str, bytes], options: Options, brief: Brief
    ) -> tuple[bytes, int]:
        pdf_key = key_of(
            {
                "html": sha256(page_html.encode()),
                "page_dir": page_dir,
                "files": {rel: sha256(data) for rel, data in sorted(files.items())},
                # The PDF is a function of its print page (title, keywords and language are
                # in its <head>); of the brief, pdf.write_pdf reads only these. Rewording a
                # summary, which a digest prints only on screen, leaves its PDF cached.
                "brief": {"id": brief.id, "kind": brief.kind.value},
                "assets": w["assets"],
                "fonts": w["fonts"],
                "paper": options.paper,
                "code": w["code"],
            }
        )
        used["pdf"] = pdf_key
        entry = cache.get_entry("pdf", pdf_key)
        if entry is not None and isinstance(entry.get("pages"), int):
            data = cache.get_blob(entry["pdf"][0])
            if data is not None:
                return data, entry["pages"]
        from .pdf import write_pdf as render_pdf

        data, pages = render_pdf(page_html, page_dir=page_dir, files=files, options=options, brief=brief)
        html = page_html.encode()
        cache.put_entry(
            "pdf",
            pdf_key,
            {
                "pdf": [cache.put_blob(data), len(data)],
                "pages": pages,
                # Kept for the benchmark's floor: the exact page WeasyPrint was given.
                "html": [cache.put_blob(html), len(html)],
                "page_dir": page_dir,
                "files": {rel: [cache.put_blob(d), len(d)] for rel, d in sorted(files.items())},
            },
        )
        return data, pages

    def charts(selection: Selection, views: list[str], taxonomy: Taxonomy) -> list[Chart]:
        return _cached_charts(cache, selection, views, taxonomy)

    product = render_product(
        w["corpus"], brief, options, w["edition"], write_pdf=write_pdf, render_charts=charts
    )
    entry = {
        "product": brief.id,
        "files": {rel: [cache.put_blob(data), len(data)] for rel, data in sorted(product.files.items())},
        "templates": dict(sorted(product.templates.items())),
        "pdf": used.get("pdf"),
        "pdf_pages": product.pdf_pages,
        "seconds": round(time.perf_counter() - started, 3),
    }
    cache.put_entry("product", key, entry)
    return entry


def _chart_key(data: ChartInput, views: list[str]) -> str:
    """The chart cache key: the views asked for and every field of the chart input (plus the
    code and fonts that draw them). Jurisdictions by code: the taxonomy holds the rest."""

    def jur(j: Jurisdiction | None) -> str | None:
        return None if j is None else j.code

    w = _WORKER
    return key_of(
        {
            "views": list(views),
            "code": w["code"],
            "fonts": w["fonts"],
            "taxonomy": data.taxonomy.model_dump(mode="json"),
            "measures": [
                [r.document.id, r.measure.model_dump(mode="json"), jur(r.jurisdiction), jur(r.province)]
                for r in data.measures
            ],
            "quantities": [
                [
                    q.document.id,
                    q.measure.id if q.measure is not None else None,
                    q.quantity.model_dump(mode="json"),
                    jur(q.jurisdiction),
                    jur(q.province),
                ]
                for q in data.quantities
            ],
        }
    )


def _cached_charts(cache: Cache, selection: Selection, views: list[str], taxonomy: Taxonomy) -> list[Chart]:
    data = chart_input(selection, taxonomy)
    key = _chart_key(data, views)
    entry = cache.get_entry("charts", key)
    if entry is not None:
        blob = cache.get_blob(entry["blob"][0])
        if blob is not None:
            return [Chart.from_json(c) for c in json.loads(blob)]
    charts = render_charts(data, views, taxonomy)
    blob = json.dumps([c.to_json() for c in charts], sort_keys=True).encode()
    cache.put_entry("charts", key, {"blob": [cache.put_blob(blob), len(blob)]})
    return charts


def _render(
    corpus: Corpus, todo: list[_Todo], options: Options, edition: dt.date, cache: Cache, inputs: Inputs
) -> list[tuple[str, dict[str, Any]]]:
    """Render every product in `todo`; return (id, entry) in plan order, logging in plan
    order too whatever order the workers finish in."""
    if not todo:
        return []
    jobs = options.jobs or _cpu_count()
    initargs = (
        *(corpus, options, edition, cache.root, cache.read),
        *(inputs.assets, inputs.fonts, inputs.code, inputs.content.get("taxonomy.yaml")),
    )
    if jobs <= 1 or len(todo) == 1:
        _init_worker(*initargs)
        try:
            out = []
            for item in todo:
                out.append((item.brief.id, _outcome(_render_task(item.brief, item.key))))
                _log_rendered(item.brief.id, out[-1][1])
            return out
        finally:
            _WORKER.clear()
    return _render_in_pool(todo, initargs, min(jobs, len(todo)))


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _outcome(result: tuple[str, Any]) -> dict[str, Any]:
    status, value = result
    if status == "ok":
        return value  # type: ignore[no-any-return]
    if status == "content":
        raise ContentError(value)
    raise value


def _log_rendered(brief_id: str, entry: dict[str, Any]) -> None:
    log.info("  %-44s rendered, %d files", brief_id, len(entry["files"]))
    log.debug("  %-44s %.2f s", "", entry["seconds"])


def _pool_context() -> multiprocessing.context.BaseContext:
    # fork hands the loaded corpus to the workers without copying it; from Python 3.12 on,
    # forking a process that runs threads (serve's HTTP server) is deprecated.
    if sys.platform == "linux" and (threading.active_count() == 1 or sys.version_info < (3, 12)):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn" if sys.platform == "win32" else "forkserver")


def _render_in_pool(
    todo: list[_Todo], initargs: tuple[Any, ...], workers: int
) -> list[tuple[str, dict[str, Any]]]:
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    ctx = _pool_context()
    log_queue = ctx.Queue()
    executor = ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_init_worker, initargs=(*initargs, log_queue)
    )
    relay = threading.Thread(target=_relay_logs, args=(log_queue,), daemon=True)
    results: dict[int, tuple[str, Any]] = {}
    first_failure: int | None = None
    try:
        # Longest first, so that no long product starts last.
        futures: dict[Future[tuple[str, Any]], int] = {}
        for i in sorted(range(len(todo)), key=lambda i: (-todo[i].cost, i)):
            futures[executor.submit(_render_task, todo[i].brief, todo[i].key)] = i
        relay.start()  # after the workers are forked
        pending = set(futures)
        logged = 0
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                i = futures[future]
                try:
                    results[i] = future.result()
                except Exception as exc:  # a worker died (BrokenProcessPool) or the like
                    results[i] = ("error", exc)
                if results[i][0] != "ok" and (first_failure is None or i < first_failure):
                    first_failure = i
            while logged in results and results[logged][0] == "ok":
                _log_rendered(todo[logged].brief.id, results[logged][1])
                logged += 1
            # Report the first failing product in plan order, as a serial build would: wait
            # for the products before it, drop those after it.
            if first_failure is not None and all(j in results for j in range(first_failure)):
                break
        if first_failure is None:
            executor.shutdown()  # the workers exit, flushing what they logged
    except BaseException:
        _stop(executor)
        raise
    finally:
        if first_failure is not None:
            _stop(executor)
        with contextlib.suppress(Exception):
            log_queue.put(None)
            if relay.is_alive():
                relay.join(timeout=5)
    if first_failure is not None:
        _outcome(results[first_failure])
    return [(todo[i].brief.id, _outcome(results[i])) for i in range(len(todo))]


def _stop(executor: Any) -> None:
    """Stop at once: cancel what has not started and end the workers."""
    processes = list(getattr(executor, "_processes", {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)


def _relay_logs(log_queue: Any) -> None:
    while True:
        try:
            record = log_queue.get()
        except (EOFError, OSError, ValueError):
            return
        if record is None:
            return
        logging.getLogger(record.name).handle(record)


def _render_index(
    corpus: Corpus, products: list[Brief], options: Options, edition: dt.date, cache: Cache, key: str
) -> dict[str, Any]:
    from .products import render_index

    index = render_index(corpus, products, options, edition)
    entry = {
        "product": INDEX,
        "files": {rel: [cache.put_blob(data), len(data)] for rel, data in sorted(index.files.items())},
        "templates": dict(sorted(index.templates.items())),
        "pdf": None,
        "seconds": 0.0,
    }
    cache.put_entry("product", key, entry)
    return entry


# --------------------------------------------------------------------------- publishing


def _current_output(options: Options, state: dict[str, Any] | None) -> dict[str, str]:
    """Path -> sha256 of the files in output/, if it is exactly what the last build published
    (same names, sizes and modification times as recorded then); else nothing."""
    if state is None or output_signature(options.output) != state.get("outputs"):
        return {}
    try:
        data = (options.output / MANIFEST).read_bytes()
        if sha256(data) != state.get("manifest"):
            return {}
        return {f["path"]: f["sha256"] for f in json.loads(data)["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _output_files(
    options: Options,
    wanted: list[Brief],
    entries: dict[str, dict[str, Any]],
    index: dict[str, Any],
    cache: Cache,
    current: dict[str, str],
) -> tuple[dict[str, tuple[str, int, Path | Unchanged]], bool]:
    """Every file of the new output/: path -> (sha256, size, where it comes from: a file of
    the current output/ kept as it is, or a blob); and whether some come from the current
    output/ beyond that (--only keeps the other briefs)."""
    files: dict[str, tuple[str, int, Path | Unchanged]] = {}
    for entry in [*(entries[b.id] for b in wanted), index]:
        for rel, (sha, size) in entry["files"].items():
            same = current.get(rel) == sha
            files[rel] = (sha, size, Unchanged(options.output / rel) if same else cache.blob_path(sha))
    kept = False
    if options.only and options.output.is_dir():
        owned = tuple(f"briefs/{b.id}/" for b in wanted)
        for path in sorted(options.output.rglob("*")):
            rel = path.relative_to(options.output).as_posix()
            if path.is_file() and rel != MANIFEST and rel not in files and not rel.startswith(owned):
                files[rel] = (current.get(rel) or file_sha(path), path.stat().st_size, Unchanged(path))
                kept = True
    return dict(sorted(files.items())), kept


def _save_state(
    options: Options,
    cache: Cache,
    inputs: Inputs,
    result: BuildResult,
    products: list[Brief],
    costs: dict[str, float],
    entries: dict[str, dict[str, Any]],
    keys: dict[str, str],
    manifest: bytes,
) -> None:
    costs = dict(costs)
    for brief_id in result.built:
        costs[brief_id] = entries[brief_id]["seconds"]
    known = {b.id for b in products}
    cache.put_state(
        _state_name(options),
        {
            "fingerprint": inputs.fingerprint,
            "manifest": sha256(manifest),
            "outputs": output_signature(options.output),
            "costs": {k: v for k, v in sorted(costs.items()) if k in known},
            # Which cache entry holds each product (the benchmark reads the print pages).
            "entries": dict(sorted(keys.items())),
            "result": {
                "products": [*result.built, *result.reused],
                "files": result.files,
                "warnings": [[p.path, p.line, p.field, p.message, p.severity] for p in result.warnings],
                "unchecked_anchors": result.unchecked_anchors,
            },
        },
    )
    stamp = cache.root / "pruned"
    try:
        due = time.time() - stamp.stat().st_mtime > _PRUNE_EVERY
    except OSError:
        due = True
    if due:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
        cache.prune()


__all__ = ["BuildResult", "__version__", "build", "plan"]
