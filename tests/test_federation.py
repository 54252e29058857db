"""A second federation: the Belgian test corpus (tests/fixtures/federation, fictional test data
with real ISO codes, names in French and Dutch) checks strictly and builds, and its output
carries no trace of the China example."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import FIXTURES
from policybrief.cli import main

FEDERATION = FIXTURES / "federation"
CHINA = re.compile(r"China|Chinese|zh-Hans|中国")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("federation") / "project"
    shutil.copytree(FEDERATION, project)
    assert main(["check", "--project", str(project), "--strict", "-q"]) == 0
    assert main(["build", "--project", str(project), "--strict", "-q", "--jobs", "1"]) == 0
    return project / "output"


def _texts(output: Path) -> dict[str, str]:
    texts = {}
    for path in sorted(output.rglob("*")):
        if path.suffix in (".html", ".css", ".csv", ".json", ".svg"):
            texts[path.relative_to(output).as_posix()] = path.read_text(encoding="utf-8")
        elif path.suffix == ".pdf":
            reader = PdfReader(path)
            words = [page.extract_text() for page in reader.pages]
            words.append(repr(reader.metadata))
            with pikepdf.open(path) as pdf:
                words += [str(o.get("/Lang")) for o in pdf.objects if isinstance(o, pikepdf.Dictionary)]
                words.append(str(pdf.Root.get("/Lang")))
            texts[path.relative_to(output).as_posix()] = "\n".join(words)
    return texts


@pytest.mark.slow
def test_output_has_no_trace_of_china(built: Path) -> None:
    texts = _texts(built)
    assert any(name.endswith(".pdf") for name in texts)
    found = {name: CHINA.findall(text) for name, text in texts.items() if CHINA.search(text)}
    assert not found


@pytest.mark.slow
def test_names_carry_their_language_tags(built: Path) -> None:
    page = (built / "briefs" / "federal-regional-test" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert '<span lang="fr" dir="auto" class="name-other">Flandre</span>' in page
    assert '<span lang="nl" dir="auto" class="name-other">Vlaanderen</span>' in page
    assert '<span lang="nl" dir="auto" class="name-other">Gent</span>' in page or "Gent" in page
    with pikepdf.open(built / "briefs" / "federal-regional-test" / "federal-regional-test.pdf") as pdf:
        langs = {
            str(o.get("/Lang"))
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem" and "/Lang" in o
        }
        assert {"fr", "nl"} <= langs
        assert str(pdf.Root.Lang) == "en"


@pytest.mark.slow
def test_level_labels_come_from_the_project_file(built: Path) -> None:
    page = (built / "briefs" / "federal-regional-test" / "index.html").read_text(encoding="utf-8")
    assert "Federal measures" in page
    assert "Regional, city and zone measures" in page
    who = page[page.index('id="table-who"') :].split("</table>")[0]
    assert '<span class="who-meta">Federal;' in who and '<span class="who-meta">Regional;' in who
    # Labels say "Regional" and "region"; only the data annex's column keys and level values
    # ("province_code", "provincial") keep the content format's names.
    text = re.sub(r'<section[^>]*id="data".*?</section>', "", page, flags=re.S)
    assert not re.search(r"[Pp]rovinc", text)
    data = (
        built / "briefs" / "federal-regional-test" / "data" / "federal-regional-test-measures.csv"
    ).read_text()
    assert data.splitlines()[0].split(",")[4:7] == [
        "jurisdiction_name",
        "jurisdiction_name_fr",
        "jurisdiction_name_nl",
    ]


def _text_lines(svg: str) -> list[tuple[str, float]]:
    """(text, baseline y) of every <text> element, in document order."""
    lines = []
    for attributes, text in re.findall(r"<text ([^>]*)>([^<]*)</text>", svg):
        y = re.search(r'\by="([-\d.]+)"', attributes) or re.search(
            r"translate\([-\d.]+ ([-\d.]+)\)", attributes
        )
        assert y is not None, attributes
        lines.append((text, float(y.group(1))))
    return lines


@pytest.mark.slow
def test_the_map_legend_and_note_do_not_overlap(built: Path) -> None:
    """A map of two rows (three regions) is shorter than its legend and note: they must still
    stand one above the other, inside the figure."""
    svg = (built / "briefs" / "federal-regional-test" / "charts" / "tilemap.svg").read_text(encoding="utf-8")
    lines = _text_lines(svg)
    texts = [t for t, _ in lines]
    note = lines[texts.index("Each square is one regional-level") : texts.index("Measures reported")]
    legend = lines[texts.index("Measures reported") :]
    assert [t for t, _ in legend] == ["Measures reported", "none reported", "1", "2"]
    font_px = 8
    assert max(y for _, y in legend) + 0.3 * font_px < min(y for _, y in note) - font_px
    height = float(re.search(r'<svg[^>]*\bheight="([\d.]+)pt"', svg).group(1))
    assert max(y for _, y in lines) < height
    # Tiles carry their short name in the first further language (French here).
    assert {"Flandre", "Bruxelles", "Wallonie"} <= set(texts)


# -- the publisher's identity (policybrief.toml: [site]) ---------------------------------

BRIEF = "federal-regional-test"
PUBLISHER = "Federal Comparisons Desk (fictional test publisher)"
LICENCE = "Fictional test data, licensed CC0 1.0: no rights reserved"


def _page(built: Path, brief: str = BRIEF) -> str:
    return (built / "briefs" / brief / "index.html").read_text(encoding="utf-8")


def _pdf_pages(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


@pytest.mark.slow
def test_identity_is_printed_from_the_project_file(built: Path) -> None:
    page = _page(built)
    assert '<span class="series-name">Federal Comparisons</span>' in page
    assert "TEST-BE-01" in page
    assert "A. Tester (Federal Comparisons Desk); B. Reviewer" in page  # the cover's byline
    assert f"<dd>{PUBLISHER}</dd>" in page
    assert '<a href="mailto:briefs@example.org">briefs@example.org</a>' in page
    assert LICENCE in page
    # The logo: in the masthead, published beside the stylesheets, byte for byte.
    assert '<img class="site-logo" src="../../assets/logo.svg" alt="">' in page
    assert (built / "assets" / "logo.svg").read_bytes() == (FEDERATION / "logo.svg").read_bytes()
    index = (built / "index.html").read_text(encoding="utf-8")
    assert '<img class="site-logo" src="assets/logo.svg" alt="">' in index
    assert PUBLISHER in index and LICENCE in index


@pytest.mark.slow
def test_identity_is_in_the_pdf_text_and_metadata(built: Path) -> None:
    pdf = built / "briefs" / BRIEF / f"{BRIEF}.pdf"
    pages = _pdf_pages(pdf)
    first, last = " ".join(pages[0].split()), " ".join(pages[-1].split())
    assert "A. Tester (Federal Comparisons Desk); B. Reviewer" in first
    assert PUBLISHER in first
    assert "Federal Comparisons" in first and "TEST-BE-01" in first
    # The colophon closes the last page.
    for text in (PUBLISHER, "briefs@example.org", LICENCE, "Made with policybrief"):
        assert text in last, text
    with pikepdf.open(pdf) as doc:
        info = doc.docinfo
        assert str(info["/Author"]) == "A. Tester, B. Reviewer"
        assert str(info["/Publisher"]) == PUBLISHER
        assert str(info["/Rights"]) == LICENCE
        assert str(info["/Creator"]).startswith("policybrief ")
        assert "/dctermspublisher" not in info and "/dctermsrights" not in info
        xmp = doc.open_metadata()
        assert xmp.get("dc:publisher") == {PUBLISHER}
        assert xmp.get("dc:rights") == LICENCE
        assert xmp.get("dc:creator") == ["A. Tester", "B. Reviewer"]
        assert xmp.get("{http://www.aiim.org/pdfua/ns/id/}part") == "1"


@pytest.mark.slow
def test_the_software_is_named_only_in_a_colophon(built: Path) -> None:
    software = re.compile(r"policybrief", re.I)
    for path in sorted(built.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        body = html.split("</head>", 1)[1]  # the head's generator tag is metadata (PDF Creator)
        body = re.sub(r'<p class="colophon-line">[^<]*</p>', "", body)
        assert not software.search(body), (path, software.findall(body))
        assert len(re.findall(r'<p class="colophon-line">Made with policybrief', html)) == 1, path
    for pdf in sorted(built.rglob("*.pdf")):
        pages = _pdf_pages(pdf)
        assert not any(software.search(text) for text in pages[:-1]), pdf
        assert len(software.findall(pages[-1])) == 1, pdf


@pytest.mark.slow
def test_pages_say_edition_date_not_build_date(built: Path) -> None:
    for path in sorted(built.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        assert "Built" not in html, path
        assert "Edition date" in html, path
    index = (built / "index.html").read_text(encoding="utf-8")
    assert 'Edition date <time datetime="2025-04-01">1 April 2025</time>' in index


@pytest.mark.slow
def test_the_map_caption_counts_and_notes_from_the_taxonomy(built: Path) -> None:
    page = (built / "briefs" / "federal-regional-test" / "index.html").read_text(encoding="utf-8")
    caption = re.search(r'<figure[^>]*id="fig-tilemap".*?</figure>', page, re.S)
    assert caption is not None
    text = " ".join(caption.group(0).split())
    assert "measures are reported for all 3 regional-level divisions" in text
    assert "The Communities, which hold other powers over the same territory, are not drawn." in text


def test_each_cjk_language_gets_its_regional_face(tmp_path: Path) -> None:
    """Han characters differ in form by region (直, 骨): a Japanese name is set in the JP
    face and a Traditional Chinese one in the TC face, not all in the Simplified one."""
    import subprocess

    project = tmp_path / "federation"
    shutil.copytree(FEDERATION, project)
    toml = project / "policybrief.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'names = ["fr", "nl"]', 'names = ["fr", "nl", "ja", "zh-Hant"]'
        ),
        encoding="utf-8",
    )
    taxonomy = project / "content" / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    assert "names: {fr: Belgique, nl: België}" in text
    taxonomy.write_text(
        text.replace(
            "names: {fr: Belgique, nl: België}",
            "names: {fr: Belgique, nl: België, ja: ベルギー直, zh-Hant: 比利時直}",
            1,
        ),
        encoding="utf-8",
    )
    assert (
        main(["build", "--project", str(project), "-q", "--only", "federal-regional-test", "--no-digest-pdf"])
        == 0
    )
    [pdf] = (project / "output" / "briefs" / "federal-regional-test").glob("*.pdf")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-JP" in fonts and "Noto-Sans-CJK-TC" in fonts, fonts
