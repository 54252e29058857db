"""render.keep_end: a table cell's last two words held together (issue 12, item 4)."""

from __future__ import annotations

import pytest

from policybrief.render import keep_end


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("2 batches", '<span class="keep">2 batches</span>'),
        (
            "over 10,000 workshops and factories",
            'over 10,000 workshops <span class="keep">and factories</span>',
        ),
        ("Talent", "Talent"),
        ("中华人民共和国", "中华人民共和国"),
        ("A <b> & c", 'A &lt;b&gt; <span class="keep">&amp; c</span>'),  # escaped
    ],
)
def test_keep_end(text: str, html: str) -> None:
    assert str(keep_end(text)) == html


def test_keep_end_holds_a_short_figure_whole() -> None:
    assert str(keep_end("over 130 projects", 3)) == '<span class="keep">over 130 projects</span>'


@pytest.mark.parametrize(
    "text", ["Service-oriented manufacturing", "Coordination mechanism", "Digital transformation"]
)
def test_keep_end_never_holds_an_ending_wider_than_a_narrow_column(text: str) -> None:
    # Held together, these ran out of the who-does-what table's columns into the next.
    assert "keep" not in str(keep_end(text))
