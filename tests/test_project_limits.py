"""The project file's `[limits]` table (issue 15, item 3: limits configurable in the project
file) and the year bounds that replaced a fixed 1949 (issue 13: nothing country-specific)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import edit, line_of
from policybrief.cli import main

DOC = "content/documents/example-programme.md"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    assert main(["new", str(root), "-q"]) == 0
    return root


def check(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    status = main(["check", "--project", str(project), "-q"])
    return status, capsys.readouterr().err.splitlines()


def add_limits(project: Path, table: str) -> int:
    path = project / "policybrief.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n[limits]\n" + table + "\n", encoding="utf-8")
    return line_of(path, "[limits]") + 1


def test_limits_from_the_project_file_apply(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(project, capsys)[0] == 0
    add_limits(project, "max_yaml_depth = 3")
    status, err = check(project, capsys)
    assert status == 1
    assert any(":" in e and "nested more than 3 levels deep ([limits] max_yaml_depth" in e for e in err)


def test_a_narrower_year_range_catches_an_old_year(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_limits(project, "min_year = 2026")
    status, err = check(project, capsys)
    assert status == 1
    line = line_of(project / DOC, "period: {start: 2025, end: 2027}")
    assert f"{DOC}:{line}: measures[0].period.start: year 2025 is outside 2026–2100" in "\n".join(err)


def test_old_legislation_is_a_year_by_default(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A federal act of 1871 still in force is a period a corpus may cite; 1949 is not a
    # floor for every country.
    edit(project / DOC, "period: {start: 2025, end: 2027}", "period: {start: 1871, end: 2027}")
    assert check(project, capsys) == (0, [])


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("max_tabel_rows = 5", "limits.max_tabel_rows: unknown field"),
        ("max_table_rows = -5", "limits.max_table_rows: Input should be greater than 0"),
        ("max_abs_value = nan", "limits.max_abs_value: Input should be a finite number"),
        ("min_year = 2050\nmax_year = 2000", "min_year 2050 is after max_year 2000"),
    ],
)
def test_bad_limits_name_the_project_file(
    project: Path, capsys: pytest.CaptureFixture[str], table: str, message: str
) -> None:
    line = add_limits(project, table)
    status, err = check(project, capsys)
    assert status == 1
    assert err[0].startswith("policybrief.toml:"), err
    assert message in err[0], err
    if "unknown" in message or "greater" in message:
        assert err[0].startswith(f"policybrief.toml:{line}:"), err
