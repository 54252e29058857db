"""Nothing from content can read local files, reach the network or inject script."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import edit
from policybrief.fetcher import BUILD_ROOT, FetchRefused, SafeFetcher
from policybrief.load import load_corpus
from policybrief.markup import render_markdown


@pytest.fixture
def fetcher(tmp_path: Path) -> SafeFetcher:
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (allowed / "style.css").write_text("p { color: red }")
    (tmp_path / "secret.txt").write_text("secret")
    return SafeFetcher(folders=[allowed], memory={f"{BUILD_ROOT}/briefs/x/chart.svg": b"<svg/>"})


def test_serves_allowed_folder_and_memory(fetcher: SafeFetcher, tmp_path: Path) -> None:
    assert fetcher.fetch((tmp_path / "allowed" / "style.css").as_uri()).read() == b"p { color: red }"
    assert fetcher.fetch(f"file://{BUILD_ROOT}/briefs/x/chart.svg").read() == b"<svg/>"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.org/tracker.png",
        "http://127.0.0.1:8000/",
        "ftp://example.org/x",
        f"file://{BUILD_ROOT}/../etc/passwd",
        f"file://{BUILD_ROOT}/briefs/x/missing.svg",
    ],
)
def test_refuses_everything_else(fetcher: SafeFetcher, url: str) -> None:
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused


def test_refuses_escape_by_dotdot(fetcher: SafeFetcher, tmp_path: Path) -> None:
    with pytest.raises(FetchRefused):
        fetcher.fetch((tmp_path / "allowed").as_uri() + "/../secret.txt")


def test_refuses_oversized_data_url(fetcher: SafeFetcher) -> None:
    with pytest.raises(FetchRefused):
        fetcher.fetch("data:text/plain;base64," + "QUFB" * 200_000)
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


@pytest.mark.parametrize(
    ("markdown", "absent"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src="file:///etc/passwd">', "<img"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<p onclick="alert(1)">x</p>', "onclick"),
        ("<style>body{background:url(http://x)}</style>", "<style"),
        ('<iframe src="https://example.org"></iframe>', "<iframe"),
        ("![tracker](https://example.org/t.png)", "<img"),
        ('<link rel="stylesheet" href="file:///etc/passwd">', "<link"),
        ('<td style="background: url(http://x)">x</td>', "url("),
    ],
)
def test_markdown_is_sanitised(markdown: str, absent: str) -> None:
    assert absent not in render_markdown(markdown).html


def test_markdown_features_survive() -> None:
    html = render_markdown(
        "## Heading {: #custom }\n\nText[^1] and **bold**.\n\n| a | b |\n| --- | ---: |\n| 1 | 2 |\n\n"
        "[^1]: A footnote.\n"
    ).html
    assert '<h2 id="custom">' in html
    assert "<table>" in html and 'style="text-align: right;"' in html
    assert 'class="footnote"' in html


def test_content_is_never_a_template(content: Path, tmp_path: Path) -> None:
    from policybrief.options import Options
    from policybrief.pipeline import build

    edit(
        content / "briefs" / "fixture-brief.md",
        "Only the centre reports a pilot [@fixture-alpha].",
        "Only the centre reports a pilot [@fixture-alpha]. {{ site.publisher }} {% raw %}x",
    )
    load_corpus(content)
    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "out"
    build(Options(project=root, content=content, output=out, pdf=False))
    page = (out / "briefs" / "fixture-brief" / "index.html").read_text()
    assert "{{ site.publisher }} {% raw %}x" in page
