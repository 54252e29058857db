"""Evidence anchors verified against the source files; coverage reported per document."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SEEDS, edit, line_of, needs_seeds
from policybrief.cli import main
from policybrief.load import load_corpus
from policybrief.problems import ContentError
from policybrief.sources import verify_sources


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    target = tmp_path / "sources"
    shutil.copytree(FIXTURES / "sources", target)
    return target


def test_fixture_anchors_all_found(content: Path, sources: Path) -> None:
    report = verify_sources(load_corpus(content), sources)
    assert report.problems == []
    [cov] = report.coverage
    assert (cov.anchors, cov.anchors_found) == (6, 6)
    assert (cov.numbers, cov.numbers_anchored) == (8, 8)
    assert cov.source_status == "ok"


def test_anchor_not_found_names_file_and_line(content: Path, sources: Path) -> None:
    path = content / "documents" / "fixture-alpha.md"
    edit(path, 'anchor: "select 50 smart factories"', 'anchor: "select 50 smart plants"')
    report = verify_sources(load_corpus(content), sources)
    line = line_of(path, "select 50 smart plants")
    assert [str(p) for p in report.problems] == [
        f"content/documents/fixture-alpha.md:{line}: measures[0].quantities[0].evidence.anchor: "
        'anchor not found in fixture-alpha.txt: "select 50 smart plants"'
    ]


def test_changed_source_is_reported_as_changed(content: Path, sources: Path) -> None:
    (sources / "fixture-alpha.txt").write_text("rewritten\n")
    report = verify_sources(load_corpus(content), sources)
    [problem] = report.problems
    assert "has changed since it was summarised" in problem.message
    assert report.coverage[0].source_status == "changed"
    assert report.unchecked == 6


def test_missing_source_file(content: Path, sources: Path) -> None:
    (sources / "fixture-alpha.txt").unlink()
    [problem] = verify_sources(load_corpus(content), sources).problems
    assert problem.field == "source.file"
    assert "not found" in problem.message


def test_figure_in_summary_must_be_recorded(content: Path) -> None:
    # Checked with the content (no source file needed), so `check` without --sources refuses it.
    path = content / "documents" / "fixture-alpha.md"
    edit(path, "up 15%.", "up 15% across 7 plants.")
    with pytest.raises(ContentError) as info:
        load_corpus(content)
    [problem] = info.value.problems
    assert (problem.field, problem.line) == ("summary", line_of(path, "across 7 plants"))
    assert "the figure '7' (7) is not a recorded quantity" in problem.message


def test_check_command_prints_coverage(
    content: Path, sources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "check",
                "--project",
                str(ROOT),
                "--content",
                str(content),
                "--sources",
                str(sources),
                "--strict",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "sources: 6/6 evidence anchors verified in" in out  # one line, not one per document
    assert "fixture-alpha:" not in out
    args = ["check", "--project", str(ROOT), "--content", str(content), "--sources", str(sources), "-v"]
    assert main(args) == 0
    assert "fixture-alpha: 6/6 anchors, 8/8 numbers [ok]" in capsys.readouterr().out


@needs_seeds
def test_real_corpus_every_anchor_found_and_every_number_anchored() -> None:
    corpus = load_corpus(ROOT / "content")
    report = verify_sources(corpus, SEEDS)
    assert [str(p) for p in report.problems] == []
    assert len(report.coverage) == 5
    for cov in report.coverage:
        assert cov.source_status == "ok"
        assert cov.anchors_found == cov.anchors > 0
        assert cov.numbers_anchored == cov.numbers
