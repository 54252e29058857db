"""One product per brief: its HTML page, PDF, chart SVGs and data files, rendered in memory.

A product is a pure function of (corpus, brief, options, edition): that is what lets the
build cache it by content hash and render products in parallel worker processes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from markupsafe import Markup, escape

from . import __version__
from .charts.kinds import KINDS
from .citations import cited_ids
from .corpus import Corpus
from .exports import QUANTITY_COLUMNS, measure_columns, rows_for, to_csv, to_json
from .markup import VIEW_RE, render_markdown
from .models import Brief, BriefKind, Measure, SourceDocument
from .options import Options
from .project import ProjectSettings
from .render import NOTES_PLACEHOLDER, Citations, environment, render_page
from .tablelabels import label_cells

if TYPE_CHECKING:
    from .analyse import Selection
    from .charts import Chart
    from .models import Quantity, Taxonomy


def caveat(taxonomy: Taxonomy) -> str:
    return (
        "A gap in these tables and charts means “not reported in this corpus”, never “absent in "
        f"reality”: the briefs compare what the source documents report, and a "
        f"{taxonomy.level_label('provincial').noun} the sources do not mention may well have "
        "measures of its own."
    )


KIND_LABELS = {
    BriefKind.comparative: "Comparative brief",
    BriefKind.thematic: "Thematic brief",
    BriefKind.digest: "Source digest",
}
#: The views that are charts (policybrief.charts.kinds lists them).
CHART_VIEWS = KINDS


class PdfWriter(Protocol):
    """What `pdf.write_pdf` does: a print page (and the files it loads) to a PDF and its
    number of pages."""

    def __call__(
        self, page_html: str, *, page_dir: str, files: dict[str, bytes], options: Options, brief: Brief
    ) -> tuple[bytes, int]: ...


class ChartRenderer(Protocol):
    """What `charts.render_charts` does: a selection's charts for the views named."""

    def __call__(self, selection: Selection, views: Sequence[str], taxonomy: Taxonomy) -> list[Chart]: ...


@dataclass
class ProductFiles:
    brief_id: str
    files: dict[str, bytes] = field(default_factory=dict)
    templates: dict[str, str] = field(default_factory=dict)  # template name -> sha256 read
    pdf_pages: int | None = None  # None when no PDF was made


def date_label(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def site_context(corpus: Corpus, edition: dt.date, settings: ProjectSettings) -> dict[str, Any]:
    """What every page prints about the site: the publisher's identity from the project file.
    The date is the edition's (the newest brief's, or SOURCE_DATE_EPOCH), not the day of the
    build: a rebuild of the same content prints the same date."""
    site = settings.site
    return {
        "name": site.title,
        "series": site.series_name,
        "publisher": site.publisher,
        "authors": [{"name": a.name, "affiliation": a.affiliation, "label": a.label()} for a in site.authors],
        "logo": site.logo_asset(),
        "contact": site.contact,
        "contact_href": _contact_href(site.contact),
        "licence": site.licence,
        "tagline": site.tagline,
        "version": __version__,
        "edition": date_label(edition),
        "document_count": len(corpus.documents),
        "lede": (
            f"{site.lede.rstrip('.')}, drawn from {len(corpus.documents)} source documents. Each "
            "brief comes as a web page and a PDF, with its data as CSV and JSON."
        ),
    }


def _contact_href(contact: str | None) -> str | None:
    """A link for a contact line that is an e-mail or web address (and allowed); else None."""
    from .urls import allowed

    if contact is None:
        return None
    if re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z]{2,}", contact):
        return f"mailto:{contact}"
    return contact if re.match(r"https?://\S+$", contact) and allowed(contact) else None


def logo_bytes(options: Options) -> bytes | None:
    """The project's logo, read by the rules of policybrief.project.read_logo; a logo that
    became unreadable since the project file was loaded is a content error."""
    from .problems import ContentError, Problem
    from .project import PROJECT_FILE, LogoError, read_logo

    try:
        return read_logo(options.project, options.settings.site)
    except LogoError as exc:
        raise ContentError([Problem(PROJECT_FILE, None, "site.logo", str(exc))]) from None


def describe_citation(corpus: Corpus, ident: str, numbers: dict[str, int]) -> Markup:
    """Endnote text: which source (by its number in the sources annex), and the verbatim
    phrase the fact stands on."""
    doc, record = corpus.citable(ident)  # validate.py guarantees every cited id exists
    if record is doc:
        return _doc_ref(doc, numbers) + Markup(": {}.").format(doc.title)
    if isinstance(record, Measure):
        return _doc_ref(doc, numbers) + Markup(", reported as “{}”.").format(record.evidence[0].anchor)
    return _quantity_ref(doc, record, numbers)


def chart_source(documents: Sequence[SourceDocument], numbers: dict[str, int]) -> str:
    """A figure's source line: its documents by outlet and date, oldest first, each with its
    number in the list of sources ("Sources: Xinhua, 15 September 2022 [1]; …")."""
    docs = sorted(documents, key=lambda d: (d.published.date, d.id))
    named = "; ".join(
        f"{d.outlet}, {d.published.label()}" + (f" [{numbers[d.id]}]" if d.id in numbers else "")
        for d in docs
    )
    return f"Source{'s' if len(docs) > 1 else ''}: {named}."


def _document_of(corpus: Corpus, ident: str) -> SourceDocument:
    return corpus.citable(ident)[0]


def _doc_ref(doc: SourceDocument, numbers: dict[str, int]) -> Markup:
    return Markup('<a href="#src-{}">Source {}</a>').format(doc.id, numbers.get(doc.id, "?"))


def _quantity_ref(doc: SourceDocument, q: Quantity, numbers: dict[str, int]) -> Markup:
    text = _doc_ref(doc, numbers) + Markup(": “{}”").format(q.evidence.anchor)
    if q.evidence.reading:
        text += Markup(" (read as “{}”)").format(q.evidence.reading)
    return text + Markup(".")


def _plain(markdown_html: str) -> Markup:
    """A one-paragraph Markdown rendering without its <p> wrapper (for list items)."""
    inner = re.sub(r"^<p>(.*)</p>$", r"\1", markdown_html.strip(), flags=re.S)
    return Markup(inner)


def render_product(
    corpus: Corpus,
    brief: Brief,
    options: Options,
    edition: dt.date,
    *,
    write_pdf: PdfWriter | None = None,
    render_charts: ChartRenderer | None = None,
) -> ProductFiles:
    """`write_pdf` and `render_charts` replace policybrief.pdf.write_pdf and
    policybrief.charts.render_charts (same arguments): the build passes ones that look the
    PDF and the charts up in its cache first."""
    from .analyse import select
    from .views import ViewRenderer

    product = ProductFiles(brief.id)
    env = environment(options.theme, *_languages(options))
    env.globals["levels"] = dict(corpus.taxonomy.levels)
    selection = select(corpus, brief.covers)
    # Computed values are expanded once, here, so the web page and the PDF say the same.
    brief = expand_brief(corpus, brief, selection)
    prefix = f"briefs/{brief.id}/"

    # Charts first: they are files of their own, referenced by the page.
    charts: dict[str, Chart] = {}
    chart_views = [v for v in brief.views if v in CHART_VIEWS]
    body_views = VIEW_RE.findall(render_markdown(brief.body).html)
    chart_views += [v for v in body_views if v in CHART_VIEWS and v not in chart_views]
    if chart_views:
        draw: ChartRenderer
        if render_charts is None:
            from .charts import render_charts as draw
        else:
            draw = render_charts
        for chart in draw(selection, chart_views, corpus.taxonomy):
            charts[chart.id] = chart
            product.files[f"{prefix}charts/{chart.id}.svg"] = chart.svg.encode("utf-8")

    measure_ids = [ref.measure.id for ref in (*selection.measures, *selection.proposals)]
    doc_ids = [d.id for d in selection.documents]
    m_rows, q_rows = rows_for(corpus, doc_ids, measure_ids)
    columns = measure_columns(options.settings.languages.names)
    about = f"{brief.title} ({options.settings.site.title}, edition {brief.edition.isoformat()})"
    data = {
        f"data/{brief.id}-measures.csv": to_csv(m_rows, columns),
        f"data/{brief.id}-measures.json": to_json(m_rows, columns, about),
        f"data/{brief.id}-figures.csv": to_csv(q_rows, QUANTITY_COLUMNS),
        f"data/{brief.id}-figures.json": to_json(q_rows, QUANTITY_COLUMNS, about),
    }
    for path, content in data.items():
        product.files[prefix + path] = content
    downloads = [
        {"label": "Measures (CSV)", "href": f"data/{brief.id}-measures.csv"},
        {"label": "Measures (JSON)", "href": f"data/{brief.id}-measures.json"},
        {"label": "Figures (CSV)", "href": f"data/{brief.id}-figures.csv"},
        {"label": "Figures (JSON)", "href": f"data/{brief.id}-figures.json"},
    ]

    # The sources annex lists documents oldest first; endnotes refer to them by number. A
    # brief may cite a document outside its selection (a measure filtered out by theme).
    cited = [_document_of(corpus, i) for t in (brief.body, *brief.key_messages) for i in cited_ids(t)]
    documents = {d.id: d for d in (*selection.documents, *cited)}
    sources = sorted(documents.values(), key=lambda d: (d.published.date, d.id))
    numbers = {doc.id: n for n, doc in enumerate(sources, start=1)}
    # Each figure's source line names its documents as a reader knows them.
    by_id = {d.id: d for d in corpus.documents}
    for chart_id, chart in charts.items():
        if chart.documents:
            named = [by_id[i] for i in chart.documents if i in by_id]
            charts[chart_id] = dataclasses.replace(chart, source=chart_source(named, numbers))
    pages: dict[str, str] = {}
    for medium in ("screen", "print"):
        citations = Citations(describe=lambda ident: describe_citation(corpus, ident, numbers))
        views = ViewRenderer(env, corpus, selection, charts, citations, medium)
        body = render_markdown(brief.body, shift_headings=_shift(brief))
        body_html = citations.tokens_in_markdown_html(body.html)
        body_html = VIEW_RE.sub(lambda m, views=views: views.render(m.group(1)), body_html)
        unplaced = [views.render(v) for v in brief.views if v not in views.placed and v != "limits"]
        # Every comparative brief carries the limits box: where its body places it, or at
        # the head of "About this brief".
        wants_limits = brief.kind is BriefKind.comparative or "limits" in brief.views
        limits_box = views.render("limits") if wants_limits and "limits" not in views.placed else ""
        key_messages = [
            Markup(citations.tokens_in_markdown_html(_plain(render_markdown(km).html)))
            + (
                citations.token(brief.covers.documents[0])
                if brief.kind is BriefKind.digest and isinstance(brief.covers.documents, list)
                else ""
            )
            for km in brief.key_messages
        ]
        toc = [{"id": t["id"], "name": t["name"]} for t in body.toc if t.get("level") == 2]
        if unplaced:
            toc.append({"id": "comparison", "name": "The comparison in tables and charts"})
        if selection.proposals:
            toc.append({"id": "proposals", "name": "Proposals by commentators"})
        toc += [
            {"id": "method", "name": "About this brief"},
            {"id": "data", "name": "Data"},
            {"id": "sources", "name": "Sources"},
            {"id": "notes", "name": "Notes"},
        ]
        context = {
            "site": site_context(corpus, edition, options.settings),
            "medium": medium,
            "root": "../../",
            "brief": brief,
            "kind_label": KIND_LABELS[brief.kind],
            "edition_label": date_label(brief.edition),
            "keywords": _keywords(corpus, brief, selection, options.settings.site.keywords),
            "key_messages": key_messages,
            "body": Markup(body_html),
            "unplaced_views": [Markup(v) for v in unplaced],
            "toc": toc,
            "sources": sources,
            "proposals": selection.proposals,
            "cite": citations.token,
            "measure_count": len(selection.measures),
            "quantity_count": len(selection.quantities),
            "method_text": _method_text(brief, selection),
            "limits_box": Markup(limits_box),
            "caveat": caveat(corpus.taxonomy),
            "endnotes": NOTES_PLACEHOLDER,
            "downloads": downloads,
            "pdf_href": f"{brief.id}.pdf" if options.pdf_for(brief.kind) else None,
            "measure_columns": columns,
            "quantity_columns": QUANTITY_COLUMNS,
        }
        pages[medium] = render_page(env, "brief.html", context, citations, "partials/endnotes.html")
    # Every table cell carries its column header, for the narrow-screen card layout.
    product.files[prefix + "index.html"] = label_cells(pages["screen"]).encode("utf-8")

    if options.pdf_for(brief.kind):
        pdf_writer: PdfWriter
        if write_pdf is None:
            from .pdf import write_pdf as pdf_writer
        else:
            pdf_writer = write_pdf

        # What the print page can load: its charts. (The screen page and the data files are
        # no input to the PDF, so that rewording what only the screen shows, such as a
        # digest's summary, leaves the PDF in the build cache.)
        embeddable = {k: v for k, v in product.files.items() if k.endswith(".svg")}
        logo = logo_bytes(options)
        if logo is not None:
            embeddable[str(options.settings.site.logo_asset())] = logo
        product.files[prefix + f"{brief.id}.pdf"], product.pdf_pages = pdf_writer(
            pages["print"], page_dir=prefix, files=embeddable, options=options, brief=brief
        )
    product.templates = dict(env.loader.read)  # type: ignore[union-attr]
    return product


def _languages(options: Options) -> tuple[str, list[str]]:
    languages = options.settings.languages
    return languages.text, list(languages.names)


def expand_brief(corpus: Corpus, brief: Brief, selection: Any) -> Brief:
    """The brief with its computed values (`[=…]`) replaced by what the data says."""
    from .computed import expand

    return brief.model_copy(
        update={
            "key_messages": [expand(km, corpus, selection) for km in brief.key_messages],
            "body": expand(brief.body, corpus, selection),
        }
    )


def _shift(brief: Brief) -> int:
    # Digests reuse a document's summary, written with "##" headings at most; briefs use "##"
    # for their sections. Both become <h2> under the page's single <h1>.
    return 0


def _keywords(corpus: Corpus, brief: Brief, selection: Selection, project_words: list[str]) -> list[str]:
    words = list(brief.keywords)
    themes = sorted({t for ref in selection.measures for t in ref.measure.themes})
    words += [corpus.taxonomy.theme_label(t) for t in themes]
    words += project_words
    seen: set[str] = set()
    return [w for w in words if not (w.lower() in seen or seen.add(w.lower()))]


def _method_text(brief: Brief, selection: Selection) -> str:
    n_docs = len(selection.documents)
    return (
        f"This {KIND_LABELS[brief.kind].lower()} draws on {n_docs} source document"
        f"{'s' if n_docs != 1 else ''}, each summarised in the analysts' own words as a structured "
        "record of measures (jurisdiction, issuing body, instrument, themes, period, status) and "
        "figures (marked as target, achieved result, baseline or one-enterprise anecdote). Every "
        "recorded fact carries a short verbatim anchor phrase that is checked against the source "
        "file; the notes give that phrase for each figure cited. Dates the sources do not state "
        "are marked as inferred, and disagreements between sources are recorded, not resolved."
    )


def render_index(corpus: Corpus, products: list[Brief], options: Options, edition: dt.date) -> ProductFiles:
    env = environment(options.theme, *_languages(options))
    groups = []
    for kind in (BriefKind.comparative, BriefKind.thematic, BriefKind.digest):
        items = [
            {
                "brief": b,
                "href": f"briefs/{b.id}/index.html",
                "pdf_href": f"briefs/{b.id}/{b.id}.pdf" if options.pdf_for(b.kind) else None,
                "edition_label": date_label(b.edition),
            }
            for b in products
            if b.kind is kind
        ]
        if items:
            label = {
                "comparative": "Comparative briefs",
                "thematic": "Thematic briefs",
                "digest": "Source digests",
            }[kind.value]
            groups.append({"kind": kind.value, "label": label, "briefs": items})
    context = {
        "site": site_context(corpus, edition, options.settings),
        "medium": "screen",
        "root": "",
        "groups": groups,
    }
    page = render_page(env, "index.html", context)
    product = ProductFiles("index", {"index.html": page.encode("utf-8")})
    for name, asset in options.theme.assets().items():
        product.files[f"assets/{name}"] = asset.read_bytes()
    logo = logo_bytes(options)
    if logo is not None:
        product.files[str(options.settings.site.logo_asset())] = logo
    product.templates = dict(env.loader.read)  # type: ignore[union-attr]
    return product


__all__ = ["ProductFiles", "escape", "render_index", "render_product"]
