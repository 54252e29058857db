"""The build cache: what an edit rebuilds, what a no-op costs, and that a damaged cache is
rebuilt rather than served."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, edit, make_project, tree_digest
from policybrief.cache import Cache, cache_root
from policybrief.load import load_corpus
from policybrief.options import Options
from policybrief.pipeline import BuildResult, build, edition_date, plan

BETA = "fixture-beta"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project of its own (templates copied), so that each test has its own cache."""
    target = tmp_path / "project"
    make_project(target)
    return target


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The fixture corpus plus a second document, and a brief that covers only the first."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", target)
    alpha = (target / "documents" / "fixture-alpha.md").read_text(encoding="utf-8")
    beta = alpha.replace("fixture-alpha", BETA).replace("alpha-", "beta-")
    beta = beta.replace("Synthetic article on smart factories", "Second synthetic article on factories")
    beta = beta.replace("sha256: 313ff", "sha256: 413ff")
    (target / "documents" / f"{BETA}.md").write_text(beta, encoding="utf-8")
    edit(target / "briefs" / "fixture-brief.md", "views:", "covers: {documents: [fixture-alpha]}\nviews:")
    return target


def run(project: Path, content: Path, out: Path, **options: object) -> BuildResult:
    opts = {"pdf": False, "jobs": 1, **options}
    return build(Options(project=project, content=content, output=out, **opts))  # type: ignore[arg-type]


def test_noop_renders_nothing_and_leaves_output_alone(project: Path, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run(project, corpus, out)
    assert first.built == ["fixture-brief", "digest-fixture-alpha", f"digest-{BETA}"]
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    digest = tree_digest(out)
    second = run(project, corpus, out)
    assert (second.built, second.published) == ([], False)
    assert sorted(second.reused) == sorted(first.built)
    assert second.files == first.files
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
    assert tree_digest(out) == digest


def test_document_edit_rebuilds_only_the_briefs_that_use_it(
    project: Path, corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run(project, corpus, out)
    edit(
        corpus / "documents" / f"{BETA}.md", "A synthetic article for tests.", "A reworded synthetic article."
    )
    assert run(project, corpus, out).built == [f"digest-{BETA}"]
    assert "A reworded synthetic article." in (out / "briefs" / f"digest-{BETA}" / "index.html").read_text()
    edit(corpus / "documents" / "fixture-alpha.md", "A synthetic article for tests.", "Reworded.")
    assert run(project, corpus, out).built == ["fixture-brief", "digest-fixture-alpha"]
    # A brief cites a document outside what it covers: the cited one is a dependency too.
    edit(corpus / "briefs" / "fixture-brief.md", "[@fixture-alpha].", f"[@fixture-alpha; @{BETA}].")
    assert run(project, corpus, out).built == ["fixture-brief"]
    edit(corpus / "documents" / f"{BETA}.md", "reworded synthetic article.", "rewritten synthetic article.")
    assert run(project, corpus, out).built == ["fixture-brief", f"digest-{BETA}"]
    # The taxonomy feeds every product.
    edit(corpus / "taxonomy.yaml", "jurisdictions:", "# a comment\njurisdictions:")
    assert len(run(project, corpus, out).built) == 3


@pytest.mark.slow
def test_a_digest_pdf_is_rendered_again_only_when_its_printed_page_changes(
    project: Path, corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    pdfs = cache_root(project) / "entries" / "pdf"
    run(project, corpus, out, pdf=True, only=(f"digest-{BETA}",))
    rendered = set(pdfs.glob("*.json"))
    assert len(rendered) == 1
    # The summary's prose is on the digest's web page only: the PDF comes from the cache.
    edit(corpus / "documents" / f"{BETA}.md", "A synthetic article for tests.", "A reworded article.")
    assert run(project, corpus, out, pdf=True, only=(f"digest-{BETA}",)).built == [f"digest-{BETA}"]
    assert set(pdfs.glob("*.json")) == rendered
    # A key point is printed: the PDF is rendered again.
    key_point = "The ministry will pick 50 smart factories for a national pilot."
    assert key_point in (corpus / "documents" / f"{BETA}.md").read_text(encoding="utf-8")
    edit(corpus / "documents" / f"{BETA}.md", key_point, key_point.replace("The ministry", "A ministry"))
    run(project, corpus, out, pdf=True, only=(f"digest-{BETA}",))
    assert len(set(pdfs.glob("*.json")) - rendered) == 1


def test_template_edit_rebuilds_what_used_it(project: Path, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(project, corpus, out)
    partials = project / "templates" / "partials"
    # The fixture brief shows the alignment table; digests do not.
    (partials / "view-alignment.html").write_text(
        (partials / "view-alignment.html").read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8"
    )
    assert run(project, corpus, out).built == ["fixture-brief"]
    # Digests list measures; the brief does not.
    (partials / "view-measures.html").write_text(
        (partials / "view-measures.html").read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8"
    )
    assert run(project, corpus, out).built == ["digest-fixture-alpha", f"digest-{BETA}"]
    # A parent template, recorded through `extends`, not named by any product.
    base = project / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8")
    assert len(run(project, corpus, out).built) == 3


def test_entries_record_the_templates_read(project: Path, corpus: Path, tmp_path: Path) -> None:
    run(project, corpus, tmp_path / "out")
    cache = Cache(cache_root(project))
    entries = [
        cache.get_entry("product", p.stem) for p in (cache.root / "entries" / "product").glob("*.json")
    ]
    brief = next(e for e in entries if e is not None and e["product"] == "fixture-brief")
    assert {"brief.html", "base.html", "partials/endnotes.html", "partials/view-alignment.html"} <= set(
        brief["templates"]
    )
    assert "partials/view-measures.html" not in brief["templates"]


def test_stylesheet_edit_without_pdfs_only_republishes_the_assets(
    project: Path, corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run(project, corpus, out)
    css = project / "templates" / "assets" / "print.css"
    css.write_text(css.read_text(encoding="utf-8") + "/* edited */\n", encoding="utf-8")
    result = run(project, corpus, out)
    assert (result.built, result.published) == ([], True)
    assert (out / "assets" / "print.css").read_bytes() == css.read_bytes()


@pytest.mark.parametrize("damage", ["truncate", "bad-json", "checksum", "blob", "missing-blob"])
def test_a_damaged_cache_is_rebuilt_not_served(
    project: Path, corpus: Path, tmp_path: Path, damage: str
) -> None:
    good = tmp_path / "good"
    run(project, corpus, good)
    cache = Cache(cache_root(project))
    entries = sorted((cache.root / "entries" / "product").glob("*.json"))
    victim = next(p for p in entries if json.loads(p.read_bytes())["payload"]["product"] == "fixture-brief")
    record = json.loads(victim.read_bytes())
    page_sha = record["payload"]["files"]["briefs/fixture-brief/index.html"][0]
    blob = cache.blob_path(page_sha)
    if damage == "truncate":
        victim.write_bytes(victim.read_bytes()[:100])
    elif damage == "bad-json":
        victim.write_text("{not json", encoding="utf-8")
    elif damage == "checksum":
        record["payload"]["seconds"] = 99.0  # a changed byte, the checksum left as it was
        victim.write_text(json.dumps(record), encoding="utf-8")
    elif damage == "blob":
        blob.write_bytes(blob.read_bytes().replace(b"<html", b"<HTML"))
    else:
        blob.unlink()
    # Another output folder: the build cannot stop early on its record of `good`.
    result = run(project, corpus, tmp_path / "again")
    assert "fixture-brief" in result.built
    assert tree_digest(tmp_path / "again") == tree_digest(good)
    assert cache.get_blob(page_sha) is not None  # stored again, intact


def test_clean_rebuilds_everything(project: Path, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(project, corpus, out)
    digest = tree_digest(out)
    result = run(project, corpus, out, clean=True)
    assert len(result.built) == 3
    assert tree_digest(out) == digest


def test_parallel_output_and_log_match_serial(
    project: Path, corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="policybrief")
    run(project, corpus, tmp_path / "serial", jobs=1, clean=True)
    # The product lines (the phase lines name the output folder, which differs here).
    serial_log = [
        r.getMessage() for r in caplog.records if r.name == "policybrief" and hasattr(r, "progress")
    ]
    caplog.clear()
    run(project, corpus, tmp_path / "parallel", jobs=3, clean=True)
    parallel_log = [
        r.getMessage() for r in caplog.records if r.name == "policybrief" and hasattr(r, "progress")
    ]
    assert parallel_log == serial_log
    assert [line.split()[0] for line in serial_log] == ["[1/3]", "[2/3]", "[3/3]"]
    assert [line.split()[1] for line in serial_log] == [
        "fixture-brief",
        "digest-fixture-alpha",
        f"digest-{BETA}",
    ]
    assert tree_digest(tmp_path / "parallel") == tree_digest(tmp_path / "serial")


NOOP_PROBE = """
import json, sys
from pathlib import Path
from policybrief.options import Options
from policybrief.pipeline import build
project, content, out, jobs = sys.argv[1:]
result = build(Options(project=Path(project), content=Path(content), output=Path(out), jobs=int(jobs)))
renderers = sorted({m.split(".")[0] for m in sys.modules} & {"weasyprint", "matplotlib", "pikepdf"})
print(json.dumps({"built": result.built, "renderers": renderers}))
"""


def probe(project: Path, content: Path, out: Path, jobs: int = 0) -> dict[str, list[str]]:
    run = subprocess.run(
        [sys.executable, "-c", NOOP_PROBE, str(project), str(content), str(out), str(jobs)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_a_noop_build_imports_no_renderer_and_pdfs_match_serial(
    project: Path, content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = probe(project, content, out)  # with PDFs, two products: a worker pool
    assert first["built"] == ["fixture-brief", "digest-fixture-alpha"]
    # The early stop: inputs and output/ unchanged since the last build.
    assert probe(project, content, out) == {"built": [], "renderers": []}
    # No record of the last build: load, plan and look every product up, render none.
    shutil.rmtree(cache_root(project) / "entries" / "state")
    assert probe(project, content, out) == {"built": [], "renderers": []}
    # The same PDFs rendered in one process.
    shutil.rmtree(cache_root(project))
    assert probe(project, content, tmp_path / "serial", jobs=1)["built"] == first["built"]
    assert tree_digest(tmp_path / "serial") == tree_digest(out)


def test_dependencies_cover_what_a_product_reads(tmp_path: Path) -> None:
    """Changing any document a product is said not to depend on leaves it byte-identical."""
    from policybrief.pipeline.keys import Dependencies as _Dependencies
    from policybrief.pipeline.keys import Inputs
    from policybrief.products import render_product

    content = ROOT / "content"
    options = Options(project=ROOT, content=content, output=tmp_path / "out", pdf=False)
    corpus = load_corpus(content)
    edition = edition_date(corpus, options)
    deps = _Dependencies(corpus, Inputs.scan(options))
    checked = 0
    for brief in plan(corpus, options):
        expected = render_product(corpus, brief, options, edition).files
        for i, doc in enumerate(corpus.documents):
            if doc.id in deps.documents(brief):
                continue
            changed = doc.model_copy(
                update={
                    "title": "Changed title",
                    "summary": "Changed summary.",
                    "key_points": ["Changed point."] * 3,
                    "measures": [m.model_copy(update={"title": "Changed measure"}) for m in doc.measures],
                }
            )
            corpus.documents[i] = changed
            try:
                assert render_product(corpus, brief, options, edition).files == expected, (brief.id, doc.id)
            finally:
                corpus.documents[i] = doc
            checked += 1
    assert checked >= 20


def test_charts_drawn_from_document_stubs_are_the_same() -> None:
    """The chart cache keys charts by what they are drawn from, documents reduced to id and
    subject: drawing from the stubs must give exactly the charts of the full selection."""
    from policybrief.analyse import select
    from policybrief.charts import chart_input as _chart_view
    from policybrief.charts import render_charts
    from policybrief.products import CHART_VIEWS

    corpus = load_corpus(ROOT / "content")
    compared = 0
    for brief in corpus.briefs:
        views = [v for v in CHART_VIEWS if v in brief.views or f"::view {v}" in brief.body]
        selection = select(corpus, brief.covers)
        full = render_charts(selection, views, corpus.taxonomy)
        assert render_charts(_chart_view(selection), views, corpus.taxonomy) == full
        compared += len(full)
    assert compared >= 3


def test_a_template_error_in_a_worker_names_the_template(project: Path, corpus: Path, tmp_path: Path) -> None:
    from policybrief.problems import ContentError

    out = tmp_path / "out"
    run(project, corpus, out)
    before = tree_digest(out)
    partial = project / "templates" / "partials" / "view-measures.html"
    partial.write_text("{% if %}\n" + partial.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        run(project, corpus, out, jobs=3)
    problem = info.value.problems[0]
    assert (problem.path, problem.line) == ("templates/partials/view-measures.html", 1)
    assert problem.message.startswith("template error:")
    assert tree_digest(out) == before


@pytest.mark.slow
def test_a_digest_over_one_page_warns_on_its_key_points_every_build(
    project: Path, corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    path = corpus / "documents" / f"{BETA}.md"
    long_point = "One Jinan firm reports higher output per worker" + ", and much more besides" * 120 + "."
    edit(path, "  - One Jinan firm reports higher output per worker.", "\n".join([f"  - {long_point}"] * 4))
    opts = {"pdf": True, "only": (f"digest-{BETA}",)}
    first = run(project, corpus, out, **opts)
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text == "key_points:")
    warned = [w for w in first.warnings if "digest runs to" in w.message]
    assert [(w.path, w.line, w.severity) for w in warned] == [
        (f"content/documents/{BETA}.md", line, "warning")
    ]
    # Reused from the cache, and on a build with nothing to do, the warning is still there.
    edit(path, "A synthetic article for tests.", "A reworded article.")
    again = run(project, corpus, out, **opts)
    assert again.built == [f"digest-{BETA}"] and any("digest runs to" in w.message for w in again.warnings)
    noop = run(project, corpus, out, **opts)
    assert (noop.built, [w.message for w in noop.warnings]) == ([], [w.message for w in again.warnings])
