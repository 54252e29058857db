"""Dependency keys: what each cache entry is a function of.

- The build's fingerprint: the hash of every input file (content, templates), the code, the
  fonts and the options. Equal to the last successful build's, with output/ untouched since:
  nothing to do, and nothing is even loaded.
- A product's key: its brief, the content files it draws on (its brief file, the documents
  `analyse.select` picks for it and those its text cites, taxonomy.yaml), the site header
  (document count, build date), stylesheets, fonts (with PDFs), code and options. The
  templates a render reads are known only once it has run: the entry records them (with
  their hashes, as the Jinja loader read them) and `EntryValidator` checks them on lookup.
- A PDF's key: its print page and everything that page loads.
- A set of charts' key: every field of their `ChartInput`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..cache import (
    Cache,
    code_version,
    content_files,
    fonts_fingerprint,
    key_of,
    sha256,
    template_sha,
)
from ..options import Options
from ..project import MAX_LOGO_BYTES
from ..safefiles import fingerprint as file_fingerprint
from .entry import INDEX, ProductEntry
from .plan import source_date_epoch

if TYPE_CHECKING:  # the models load pydantic: a build with nothing to do does without
    from ..charts import ChartInput
    from ..corpus import Corpus
    from ..models import Brief, Jurisdiction
    from ..theme import Theme


@dataclass
class Inputs:
    """Hashes of every input file and setting, taken before loading."""

    content: dict[str, str]  # path relative to the content folder -> sha256
    templates: dict[str, str]  # every file of the theme (templates/ over the default) -> sha256
    assets: dict[str, str]  # the theme's stylesheets (assets/*.css) -> sha256
    code: str
    fonts: str
    fingerprint: str
    #: The project's logo (policybrief.toml: site.logo), hashed: every page shows it.
    logo: str | None = None

    @classmethod
    def scan(cls, options: Options) -> Inputs:
        # Each file hashed only if the loader would read it (policybrief.safefiles): a FIFO,
        # a symlink out or a sparse 2 GB file is described from lstat, not read, and still
        # changes the fingerprint so that the loader reports it.
        content = {
            p.relative_to(options.content).as_posix(): file_fingerprint(
                p, options.content, options.limits.max_file_bytes
            )
            for p in content_files(options.content)
            if os.path.lexists(p)
        }
        templates = options.theme.hashes()
        assets = {k.removeprefix("assets/"): v for k, v in templates.items() if k.startswith("assets/")}
        assets = {k: v for k, v in assets.items() if k.endswith(".css")}
        code = code_version()
        fonts = fonts_fingerprint()  # the PDFs' fonts, and the charts'
        logo = options.settings.site.logo
        logo_sha = (
            None
            if logo is None
            else file_fingerprint(options.project / logo, options.project, MAX_LOGO_BYTES)
        )
        fingerprint = key_of(
            {
                "settings": settings(options),
                "code": code,
                "fonts": fonts,
                "content": content,
                "templates": templates,
                "logo": logo_sha,
            }
        )
        return cls(content, templates, assets, code, fonts, fingerprint, logo_sha)


def settings(options: Options) -> dict[str, Any]:
    """The options that change what a build makes, as JSON."""
    return {
        "project": str(options.project),
        "content": str(options.content),
        "output": str(options.output),
        "only": list(options.only),
        "paper": options.paper,
        "pdf": options.pdf,
        "digest_pdf": options.digest_pdf,
        # The project file: identity, country, languages, level labels.
        "project_settings": options.settings.model_dump(mode="json"),
        "epoch": source_date_epoch(options),
        # Content that passes under one set of limits may fail under another.
        "limits": dataclasses.asdict(options.limits),
    }


def state_name(options: Options) -> str:
    """The name of the saved state of the last build with these options (the epoch aside)."""
    return key_of({k: v for k, v in settings(options).items() if k != "epoch"})


class Dependencies:
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
        from ..analyse import select
        from ..citations import cited_ids

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
        "project_settings": options.settings.model_dump(mode="json"),
        "logo": inputs.logo,
    }


def product_key(
    brief: Brief,
    options: Options,
    edition: dt.date,
    site: dict[str, Any],
    inputs: Inputs,
    deps: Dependencies,
) -> str:
    return key_of(
        {
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
    )


def index_key(products: list[Brief], options: Options, site: dict[str, Any], inputs: Inputs) -> str:
    return key_of(
        {
            "product": INDEX,
            "briefs": [b.model_dump(mode="json") for b in products],
            "digest_pdf": options.digest_pdf,
            "site": site,
            "assets": {k: v for k, v in inputs.templates.items() if k.startswith("assets/")},
            **_common(options, inputs),
        }
    )


@dataclass(frozen=True)
class RenderKeys:
    """What every product's PDF and charts depend on besides their own input."""

    assets: dict[str, str]  # stylesheets -> sha256
    fonts: str
    code: str


def pdf_key(
    page_html: str, page_dir: str, files: dict[str, bytes], brief: Brief, paper: str, keys: RenderKeys
) -> str:
    return key_of(
        {
            "html": sha256(page_html.encode()),
            "page_dir": page_dir,
            "files": {rel: sha256(data) for rel, data in sorted(files.items())},
            # The PDF is a function of its print page (title, keywords and language are
            # in its <head>); of the brief, pdf.write_pdf reads only these. Rewording a
            # summary, which a digest prints only on screen, leaves its PDF cached.
            "brief": {"id": brief.id, "kind": brief.kind.value},
            "assets": keys.assets,
            "fonts": keys.fonts,
            "paper": paper,
            "code": keys.code,
        }
    )


def chart_key(data: ChartInput, views: Sequence[str], keys: RenderKeys) -> str:
    """The views asked for and every field of the chart input (plus the code and fonts that
    draw them). Jurisdictions by code: the taxonomy holds the rest."""

    def jur(j: Jurisdiction | None) -> str | None:
        return None if j is None else j.code

    return key_of(
        {
            "views": list(views),
            "code": keys.code,
            "fonts": keys.fonts,
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
            "themes": list(data.themes),
        }
    )


class EntryValidator:
    """An entry is good only if the templates it read are unchanged and each of its files is
    at hand: in the current output/ (known intact, see output.current_output), or as a blob
    whose content is read and hashed."""

    def __init__(self, cache: Cache, theme: Theme, current: dict[str, str]) -> None:
        self.cache = cache
        self.theme = theme
        self.current = current
        self._shas: dict[str, str | None] = {}

    def template(self, name: str) -> str | None:
        if name not in self._shas:
            path = self.theme.find(name)
            try:
                self._shas[name] = None if path is None else template_sha(path)
            except (OSError, UnicodeDecodeError):
                self._shas[name] = None
        return self._shas[name]

    def valid(self, entry: ProductEntry) -> bool:
        return all(self.template(n) == sha for n, sha in entry.templates.items()) and all(
            self.current.get(rel) == sha or self.cache.has_blob(sha, size)
            for rel, (sha, size) in entry.files.items()
        )

    def lookup(self, key: str) -> ProductEntry | None:
        """The cached product under `key`, if it is still good."""
        payload = self.cache.get_entry("product", key)
        entry = ProductEntry.from_payload(payload) if payload is not None else None
        return entry if entry is not None and self.valid(entry) else None
