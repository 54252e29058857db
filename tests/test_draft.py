"""`policybrief draft`: figure rules, extraction per format, review markers, bad input.

How well the rules do overall is measured in bench/draft.py (recall and precision), not
asserted here; these tests pin behaviour that must not regress.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, SEEDS, needs_seeds
from policybrief.cli import main
from policybrief.draft import DraftError
from policybrief.draft.extract import extract
from policybrief.draft.markers import find_markers
from policybrief.draft.numbers import chinese_figures, english_figures, split_digits, zh_number
from policybrief.draft.propose import propose
from policybrief.draft.run import load_taxonomy
from policybrief.sources import normalise

DRAFT = FIXTURES / "draft"


@pytest.fixture(scope="module")
def taxonomy():  # type: ignore[no-untyped-def]
    return load_taxonomy(ROOT / "content")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the example taxonomy and no summaries yet."""
    (tmp_path / "content" / "documents").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "taxonomy.yaml", tmp_path / "content")
    return tmp_path


def run(*args: str | Path) -> int:
    return main([str(a) for a in args])


def figures(text: str) -> list[tuple[object, str, str | None]]:
    return [(f.value, f.unit, f.approx) for f in english_figures(text)]


# --------------------------------------------------------------------------- English rules


def test_qualifiers_scales_percent_and_ranges() -> None:
    text = (
        "The plan supports more than 300 demonstration projects, at least 2000 kilograms, "
        "nearly 30% of firms, about 1.41 million US dollars, 10 to 15 bases and "
        "two or three platforms."
    )
    assert figures(text) == [
        (300.0, "projects", "over"),
        (2000.0, "kilograms", "at least"),
        (30.0, "%", "nearly"),
        (1.41, "million US dollars", "about"),
        ((10.0, 15.0), "bases", None),
        ((2.0, 3.0), "platforms", None),
    ]


def test_years_dates_durations_and_names_are_not_figures() -> None:
    text = (
        "BEIJING, Sept. 15 (Xinhua) -- In 2022, the Three-year Action Plan (2023-2025) of the "
        "6th World Intelligence Congress ran for two years with 5G networks; the 2018 report "
        "came out on June 24, 2022 and mail went to yhc0267@163.com."
    )
    assert figures(text) == []


def test_split_digits_are_read_joined() -> None:
    text = "the ranking rose from the 34th in 20 12 to the 1 1 in 2022, and build 1 2 lighthouse factories"
    assert [(d.printed, d.reading) for d in split_digits(text)] == [
        ("20 12", "2012"),
        ("1 1", "11"),
        ("1 2", "12"),
    ]
    found = {(f.value, f.unit, f.reading) for f in english_figures(text)}
    assert found == {(34.0, "rank", None), (11.0, "rank", "11"), (12.0, "factories", "12")}


# --------------------------------------------------------------------------- Chinese rules


@pytest.mark.parametrize(
    ("token", "value"), [("三百二十", 320), ("十二", 12), ("两", 2), ("一万", 1), ("2000", 2000), ("九", 9)]
)
def test_chinese_numerals(token: str, value: float) -> None:
    # 万 is a unit of the figure ("一万余家" is 1 万家), so zh_number reads the digits before it.
    assert zh_number(token.removesuffix("万")) == value


def test_chinese_units_and_qualifiers() -> None:
    text = "到2026年，培育平台超过300个，资金不少于5亿元，覆盖率达到90%以上，一万余家企业，新增20家左右，约34.8%。"
    got = [(f.value, f.unit, f.approx) for f in chinese_figures(text)]
    assert got == [
        (300.0, "个", "over"),
        (5.0, "亿元", "at least"),
        (90.0, "%", "over"),
        (1.0, "万家", "over"),
        (20.0, "家", "about"),
        (34.8, "%", "about"),
    ]


def test_chinese_passage_names_its_jurisdictions_and_period(taxonomy) -> None:  # type: ignore[no-untyped-def]
    text = (DRAFT / "chinese" / "zhejiang-plan.txt").read_text(encoding="utf-8")
    p = propose(text, taxonomy)
    assert p.language == "zh"
    assert any(m.jurisdiction == "CN-ZJ" for m in p.measures)
    assert any(m.period == (2024, 2026) for m in p.measures)


# --------------------------------------------------------------------------- anchors


def _texts() -> list[Path]:
    paths = sorted((DRAFT / "unseen").glob("*.txt")) + sorted((DRAFT / "chinese").glob("*.txt"))
    return paths + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])


@pytest.mark.parametrize("path", _texts(), ids=lambda p: p.name)
def test_every_anchor_is_verbatim_short_and_holds_its_value(path: Path, taxonomy) -> None:  # type: ignore[no-untyped-def]
    text = path.read_text(encoding="utf-8")
    source = normalise(text)
    p = propose(text, taxonomy)
    anchors = (
        [q.anchor for q in p.quantities]
        + [d.anchor for d in p.damage]
        + [a for m in p.measures for a in m.anchors]
    )
    for anchor in anchors:
        assert normalise(anchor) in source, anchor
        assert len(anchor.split()) <= 12 and len(anchor) >= 3, anchor
    for q in p.quantities:
        printed = text[q.figure.number_start : q.figure.number_end]
        assert printed in q.anchor, (printed, q.anchor)


# --------------------------------------------------------------------------- extraction


def test_html_main_text_without_navigation(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    body = "<p>Shandong will build 12 lighthouse factories by 2025 under its new plan for industry.</p>" * 3
    page.write_text(
        "<html><head><title>Shandong plan</title></head><body><nav><a href='/'>Home</a> | "
        f"<a href='/news'>News</a></nav><article><h1>Shandong plan</h1>{body}</article>"
        "<footer>Copyright 2024 Example Media</footer></body></html>",
        encoding="utf-8",
    )
    got = extract(page)
    assert got.format == "html" and got.title == "Shandong plan"
    assert "12 lighthouse factories" in got.text and "Copyright" not in got.text


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Jilin will build 100 demonstration factories.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Item", "Target"
    table.cell(1, 0).text, table.cell(1, 1).text = "Digital workshops", "300"
    path = tmp_path / "plan.docx"
    document.save(str(path))
    got = extract(path)
    assert got.text.splitlines() == [
        "Jilin will build 100 demonstration factories.",
        "Item | Target",
        "Digital workshops | 300",
    ]


@pytest.mark.slow
def test_pdf_drops_running_heads_and_rejoins_hyphenated_words(tmp_path: Path) -> None:
    from weasyprint import HTML

    css = (
        "@page { size: A5; margin: 2cm; @top-center { content: 'Provincial Gazette' } "
        "@bottom-center { content: counter(page) } } p { hyphens: auto; text-align: justify }"
    )
    paras = "".join(
        f"<p>Paragraph {i}: the province will support more than 300 demonstration projects and "
        "build 100 demonstration factories, with internationalisation of standardisation work.</p>"
        for i in range(40)
    )
    path = tmp_path / "gazette.pdf"
    HTML(string=f"<html lang='en'><style>{css}</style><body>{paras}</body></html>").write_pdf(path)
    got = extract(path)
    assert got.format == "pdf"
    assert "Provincial Gazette" not in got.text
    assert got.text.count("more than 300 demonstration projects") == 40
    assert "internationalisation" in got.text and "standardisation" in got.text


def test_docx_that_unpacks_too_large_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/padding.bin", bytes(210 * 1024 * 1024))  # compresses to ~200 KiB
    with pytest.raises(DraftError, match="unpacks to 210 MiB"):
        extract(path)


def test_scanned_pdf_is_refused(tmp_path: Path) -> None:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    path = tmp_path / "scan.pdf"
    pdf.save(path)
    with pytest.raises(DraftError, match="no text layer"):
        extract(path)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"  \n", "empty"),
        ("report.pdf", b"<html><body>not a pdf</body></html>", "not what its extension says"),
        ("report.docx", b"%PDF-1.7 fake", "not what its extension says"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "unsupported format"),
        ("sheet.xlsx", b"PK\x03\x04", "unsupported format"),
        ("broken.pdf", b"%PDF-1.7 then nothing", "unreadable PDF"),
        ("latin.txt", bytes(range(128, 256)) * 4, ""),
    ],
)
def test_bad_input_gives_one_clear_message(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    if name == "latin.txt":  # not UTF-8: decoded by charset detection, or refused clearly
        try:
            assert extract(path).text
        except DraftError as exc:
            assert "unreadable text" in str(exc)
        return
    with pytest.raises(DraftError, match=message):
        extract(path)


# --------------------------------------------------------------------------- the command


def test_draft_writes_a_summary_that_check_refuses_line_by_line(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = DRAFT / "unseen" / "guangdong-plan.txt"
    assert run("draft", source, "--project", project, "--id", "guangdong-plan-2024") == 0
    summary = project / "content" / "documents" / "guangdong-plan-2024.md"
    stored = project / "sources" / "guangdong-plan.txt"
    assert stored.read_bytes() == source.read_bytes()
    text = summary.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---")[1])
    assert meta["source"]["file"] == "guangdong-plan.txt"
    import hashlib

    assert meta["source"]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    markers = list(find_markers(text))
    assert len(markers) > 20
    capsys.readouterr()

    assert run("check", "--project", project) == 1
    err = capsys.readouterr().err
    for line, _ in markers:
        assert f"content/documents/guangdong-plan-2024.md:{line}: review: " in err
    assert run("--project", project, "--no-pdf") == 1  # build refuses it too
    assert not (project / "output").exists()


def _accept_every_guess(summary: Path) -> None:
    """What a careless review would do: delete every marker and keep every guess."""
    lines = []
    for line in summary.read_text(encoding="utf-8").splitlines():
        if "REVIEW:" in line and line.lstrip().startswith("#"):
            continue
        line = line.split("  # REVIEW:")[0]
        line = line.replace('"REVIEW: ', '"Reviewed: ')
        lines.append(line)
    text = "\n".join(lines) + "\n"
    text = text.replace('["Reviewed: the acting body (actor id); add it to the taxonomy if new"]', "[miit]")
    text = text.replace('"Reviewed: the firm\'s actor id (add it to the taxonomy if new)"', "yili")
    text = text.replace("\nREVIEW: the summary", "\nThe summary")
    summary.write_text(text, encoding="utf-8")


def _sources_for_drafts() -> list[Path]:
    paths = [DRAFT / "unseen" / "green-manufacturing.txt", DRAFT / "chinese" / "national-pilots.txt"]
    return paths + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])


@pytest.mark.parametrize("source", _sources_for_drafts(), ids=lambda p: p.name)
def test_a_draft_is_the_real_format_once_markers_are_resolved(project: Path, source: Path) -> None:
    """Apart from its markers a draft is a valid summary whose anchors all verify: deleting the
    markers (accepting every guess, which a real review would not do blindly) leaves a
    summary that `check --sources --strict` accepts."""
    assert run("draft", source, "--project", project, "--id", "drafted", "-q") == 0
    summary = project / "content" / "documents" / "drafted.md"
    assert run("check", "--project", project, "-q") == 1
    _accept_every_guess(summary)
    assert run("check", "--project", project, "--sources", project / "sources", "--strict", "-q") == 0


def test_draft_never_overwrites_and_writes_nothing_on_bad_input(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = DRAFT / "unseen" / "robot-density.txt"
    assert run("draft", source, "--project", project, "--id", "robots") == 0
    before = (project / "content" / "documents" / "robots.md").read_bytes()
    capsys.readouterr()
    assert run("draft", source, "--project", project, "--id", "robots") == 1
    assert "exists already" in capsys.readouterr().err
    assert (project / "content" / "documents" / "robots.md").read_bytes() == before

    fake = tmp_path / "fake.pdf"
    fake.write_text("<html><body>hello</body></html>", encoding="utf-8")
    shutil.rmtree(project / "sources")
    assert run("draft", fake, "--project", project) == 1
    err = capsys.readouterr().err
    assert "not what its extension says" in err and "Nothing was written." in err
    assert not (project / "sources").exists()
    assert sorted(p.name for p in (project / "content" / "documents").iterdir()) == ["robots.md"]


def test_draft_refuses_a_read_only_sources_folder(project: Path, tmp_path: Path) -> None:
    """The example project's sources are a shared, read-only folder; root could write there."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o555)
    try:
        source = DRAFT / "unseen" / "robot-density.txt"
        assert run("draft", source, "--project", project, "--sources", shared, "-q") == 1
        assert list(shared.iterdir()) == []
        assert list((project / "content" / "documents").iterdir()) == []
    finally:
        shared.chmod(0o755)


def test_draft_stores_extracted_text_for_other_formats(project: Path, tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Jilin will build 100 demonstration factories by 2025.")
    path = tmp_path / "jilin.docx"
    document.save(str(path))
    assert run("draft", path, "--project", project, "--sources", tmp_path / "texts", "-q") == 0
    assert (tmp_path / "texts" / "jilin.txt").read_text(encoding="utf-8").startswith("Jilin will build 100")
    text = (project / "content" / "documents" / "jilin.md").read_text(encoding="utf-8")
    assert 'source: {file: "jilin.txt"' in text and "value: 100" in text


@needs_seeds
def test_evaluate_prints_recall_and_precision(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("draft", "--evaluate", "--project", ROOT, "--sources", SEEDS) == 0
    out = capsys.readouterr().out
    assert "all documents: quantities recall" in out and "split digits flagged 3/3, right reading 3/3" in out


@needs_seeds
def test_evaluate_leaves_out_drafts_under_review(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    source = DRAFT / "unseen" / "robot-density.txt"
    assert (
        run("draft", source, "--project", tmp_path, "--sources", tmp_path / "texts", "--id", "robots", "-q")
        == 0
    )
    capsys.readouterr()
    assert run("draft", "--evaluate", "--project", tmp_path, "--sources", SEEDS) == 0
    captured = capsys.readouterr()
    assert "robots: still under review" in captured.err
    assert "all documents: quantities recall" in captured.out


def test_markers_are_found_in_comments_and_values() -> None:
    text = 'a: 1  # REVIEW: check a\nb: "REVIEW: write b"\nc: "a review: not a marker"\n'
    assert list(find_markers(text)) == [(1, "check a"), (2, "write b")]


def test_draft_needs_a_source(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    assert run("draft", "--project", project) == 2
    with pytest.raises(SystemExit) as usage:  # --id belongs to draft: check's parser refuses it
        run("check", "--project", project, "--id", "x")
    assert usage.value.code == 2
    assert "draft" in capsys.readouterr().err


@pytest.mark.slow
def test_chinese_pdf_lines_join_without_spaces(tmp_path: Path) -> None:
    from weasyprint import HTML

    text = (DRAFT / "chinese" / "zhejiang-plan.txt").read_text(encoding="utf-8")
    paras = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    path = tmp_path / "zh.pdf"
    style = "@page { size: A6; margin: 1cm } body { font-family: 'Noto Sans CJK SC'; font-size: 10pt }"
    HTML(string=f"<html lang='zh'><style>{style}</style><body>{paras}</body></html>").write_pdf(path)
    got = extract(path).text
    # A6 breaks these sentences across several lines; they come back whole.
    assert "培育省级工业互联网平台超过300个，建设未来工厂100家" in got
    assert [(f.value, f.unit, f.approx) for f in chinese_figures(got)][:2] == [
        (90.0, "%", "over"),
        (300.0, "个", "over"),
    ]
