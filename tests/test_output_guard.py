"""A build replaces its output folder as a whole: a slip in `paths.output` or `--output`
must never delete the project, its content or a folder of someone's own files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, edit, tree_digest
from policybrief.cli import main

FEDERATION = FIXTURES / "federation"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FEDERATION, root)
    return root


def build(project: Path, *args: str) -> int:
    return main(["build", "--project", str(project), "--no-pdf", "-q", "--jobs", "1", *args])


@pytest.mark.parametrize(
    ("output", "message"),
    [
        (".", "is or holds the project folder"),
        ("..", "is or holds the project folder"),
        ("content", "is or holds the content folder"),
        ("content/briefs", "is inside the content folder"),
        ("sources", "is or holds the sources folder"),
        ("templates", "is or holds the templates folder"),
    ],
)
def test_an_output_folder_that_would_delete_the_project_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str], output: str, message: str
) -> None:
    (project / "templates").mkdir(exist_ok=True)
    edit(project / "policybrief.toml", 'output = "output"', f'output = "{output}"')
    before = tree_digest(project.parent)
    assert build(project) == 1
    err = capsys.readouterr().err
    assert err.startswith("policybrief.toml: paths.output: output folder"), err
    assert message in err
    assert tree_digest(project.parent) == before


def test_a_folder_of_other_files_is_refused_and_kept(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "Documents"
    mine.mkdir()
    (mine / "thesis.txt").write_text("three years of work", encoding="utf-8")
    assert build(project, "--output", str(mine)) == 1
    assert "holds files that are not a policybrief build" in capsys.readouterr().err
    assert (mine / "thesis.txt").read_text(encoding="utf-8") == "three years of work"


def test_a_file_is_not_an_output_folder(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("keep", encoding="utf-8")
    assert build(project, "--output", str(target)) == 1
    assert "is not a folder" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "keep"


def test_an_empty_or_previous_output_folder_is_replaced(project: Path, tmp_path: Path) -> None:
    empty = tmp_path / "fresh"
    empty.mkdir()
    assert build(project, "--output", str(empty)) == 0
    assert (empty / "manifest.json").is_file()
    assert build(project, "--output", str(empty), "--clean") == 0  # its own output: fine
    assert build(project) == 0
    assert (project / "output" / "index.html").is_file()
