"""Property tests where the input space is large: parsing, sanitising, figure detection."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policybrief.citations import numbers_without_citation
from policybrief.fetcher import FetchRefused, SafeFetcher
from policybrief.markup import MarkupError, render_markdown
from policybrief.yamlmap import parse

keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8)
scalars = st.one_of(
    st.integers(-10_000, 10_000),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    st.booleans(),
    st.none(),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=20,
)


@given(st.dictionaries(keys, documents, min_size=1, max_size=5))
@settings(max_examples=150, deadline=None)
def test_yaml_round_trip_keeps_data_and_lines(data: dict) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    located = parse(text, line_offset=3)
    assert located.data == data
    n_lines = text.count("\n") + 1
    for path, line in located.lines.items():
        assert 1 <= line <= n_lines, path
        assert 4 <= located.line_of(path) <= n_lines + 3


FORBIDDEN_TAGS = {"script", "iframe", "img", "style", "link", "object", "svg", "embed", "form"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


@given(
    st.lists(
        st.sampled_from(
            [
                "<script>alert(1)</script>",
                "<img src=x onerror=alert(1)>",
                "[x](javascript:alert(1))",
                "<a href='javascript:x'>y</a>",
                "<iframe src=//e.org>",
                "<style>*{}</style>",
                "<svg onload=alert(1)>",
                "<link rel=stylesheet href=//e.org>",
                "**bold**",
                "# Head",
                "| a |\n| --- |\n| b |",
                "text",
                "\n\n",
                "<object data=x>",
                "<p style='x:url(//e)'>p</p>",
                "![i](file:///etc/passwd)",
                "<ScRiPt>x</sCrIpT>",
                "&lt;script&gt;",
            ]
        ),
        max_size=8,
    )
)
@settings(max_examples=200, deadline=None)
def test_sanitised_markdown_never_carries_active_content(parts: list[str]) -> None:
    try:
        html = render_markdown("\n".join(parts)).html
    except MarkupError:
        return  # a malformed table is refused, which is also safe
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in FORBIDDEN_TAGS
        for name, value in attrs:
            assert not name.startswith("on")
            assert name != "style" or "url(" not in (value or "")
            assert not (value or "").strip().lower().startswith("javascript:")


@given(st.integers(min_value=0, max_value=10**9).filter(lambda n: not 1940 <= n <= 2100))
def test_a_figure_needs_a_citation(n: int) -> None:
    assert [f for f, _ in numbers_without_citation(f"The plan counts {n:,} firms.")] == [f"{n:,}"]
    assert list(numbers_without_citation(f"The plan counts {n:,} firms [@some-id].")) == []


@given(st.integers(min_value=1800, max_value=2100))
def test_years_are_not_figures(year: int) -> None:
    assert list(numbers_without_citation(f"The plan was issued in {year}.")) == []


@given(st.lists(st.sampled_from(["..", ".", "a", "b", "%2e%2e", "etc", "passwd", ""]), max_size=8))
@settings(max_examples=200, deadline=None)
def test_fetcher_never_serves_outside_its_folder(tmp_path_factory, segments: list[str]) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("fetch")
    allowed = root / "allowed"
    (allowed / "a").mkdir(parents=True)
    (allowed / "a" / "b").write_text("ok")
    (root / "secret").write_text("no")
    fetcher = SafeFetcher(folders=[allowed])
    url = allowed.as_uri() + "/" + "/".join(segments)
    try:
        response = fetcher.fetch(url)
    except FetchRefused:
        return
    served = Path(response.url.removeprefix("file://")).resolve()
    assert served.is_relative_to(allowed.resolve())
