"""Stale text (issue 11, item 7): when the data a brief's prose rests on changes, the build
warns on that brief with path:line and names what changed, until `policybrief review`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, edit, line_of
from policybrief.cli import main
from policybrief.load import load_corpus
from policybrief.review import basis, mark_text

BRIEF = "briefs/fixture-brief.md"
DOC = "documents/fixture-alpha.md"


def stale(content: Path) -> list[str]:
    corpus = load_corpus(content)
    return [str(p) for p in corpus.warnings if p.field == "reviewed"]


def add_second_document(content: Path) -> None:
    """A copy of the fixture document under new ids: a new document in the brief's selection."""
    text = (content / DOC).read_text(encoding="utf-8").replace("alpha", "beta")
    (content / "documents/fixture-beta.md").write_text(text, encoding="utf-8")


def test_a_reviewed_brief_with_unchanged_data_gives_no_warning(content: Path) -> None:
    assert stale(content) == []


def test_a_new_document_in_the_selection_is_named(content: Path) -> None:
    add_second_document(content)
    [warning] = stale(content)
    line = line_of(content / BRIEF, "reviewed:")
    assert warning.startswith(f"content/{BRIEF}:{line}: reviewed: warning: the text may be stale")
    assert "since its review on 2026-12-02" in warning
    assert "document fixture-beta added to its selection" in warning
    assert "policybrief review fixture-brief" in warning


def test_a_document_leaving_the_selection_is_named(content: Path) -> None:
    edit(content / BRIEF, "    - fixture-alpha\n", "    - fixture-alpha\n    - fixture-gone\n")
    [warning] = stale(content)
    assert "document fixture-gone no longer in its selection" in warning


def test_a_changed_cited_quantity_is_named(content: Path) -> None:
    # The value still agrees with the brief's "12 parks", but the target became a result:
    # the sentence "Shandong targets 12 parks" is now wrong, and the figure check cannot see it.
    text = (content / DOC).read_text(encoding="utf-8")
    head, tail = text.split("id: alpha-shandong-parks-target", 1)
    (content / DOC).write_text(
        head + "id: alpha-shandong-parks-target" + tail.replace("kind: target", "kind: result", 1),
        encoding="utf-8",
    )
    [warning] = stale(content)
    assert "alpha-shandong-parks-target changed from '12 parks (target)' to '12 parks (result)'" in warning


def test_the_warning_persists_until_the_brief_is_marked_reviewed(content: Path) -> None:
    add_second_document(content)
    assert stale(content)
    assert stale(content)  # a second load (a second build) warns again
    status = main(["review", "fixture-brief", "--content", str(content), "--on", "2026-12-03", "-q"])
    assert status == 0
    assert stale(content) == []
    text = (content / BRIEF).read_text(encoding="utf-8")
    assert "  date: 2026-12-03\n  documents:\n    - fixture-alpha\n    - fixture-beta\n" in text


def test_marking_keeps_every_other_line_and_is_idempotent(content: Path) -> None:
    before = (content / BRIEF).read_text(encoding="utf-8")
    corpus = load_corpus(content)
    brief = corpus.briefs[0]
    marked = mark_text(before, basis(corpus, brief), brief.reviewed.date)  # type: ignore[union-attr]
    assert marked == before
    unmarked = before.split("reviewed:")[0] + "---" + before.split("\n---", 1)[1]
    assert mark_text(unmarked, basis(corpus, brief), brief.reviewed.date) == before  # type: ignore[union-attr]


def test_a_brief_without_a_mark_is_told_how_to_add_one(content: Path) -> None:
    text = (content / BRIEF).read_text(encoding="utf-8")
    (content / BRIEF).write_text(
        text.split("reviewed:")[0] + "---" + text.split("\n---", 1)[1], encoding="utf-8"
    )
    [warning] = stale(content)
    assert warning.startswith(f"content/{BRIEF}:2: reviewed: warning: no reviewed mark")
    assert "policybrief review fixture-brief" in warning


def test_stale_text_warns_but_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(FIXTURES / "content", tmp_path / "content")
    add_second_document(tmp_path / "content")
    status = main(["build", "--project", str(tmp_path), "--no-pdf", "-q", "--jobs", "1"])
    assert status == 0
    err = capsys.readouterr().err
    assert "fixture-brief.md" in err and "document fixture-beta added to its selection" in err


def test_review_needs_briefs_or_all(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "--project", str(ROOT)]) == 2
    assert main(["review", "no-such-brief", "--project", str(ROOT)]) == 2


def test_the_shipped_briefs_are_reviewed_against_their_data() -> None:
    corpus = load_corpus(ROOT / "content")
    assert [str(p) for p in corpus.warnings if p.field == "reviewed"] == []
