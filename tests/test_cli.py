"""The command line: exit codes, messages, and output/ untouched by a failed build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, edit, tree_digest
from policybrief.cli import main


def run(*args: str | Path) -> int:
    return main([str(a) for a in args])


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        run("--help")
    assert info.value.code == 0
    out = capsys.readouterr().out
    for word in ("build", "check", "--only", "--quiet", "--verbose", "--sources", "--strict"):
        assert word in out


def test_usage_error_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        run("frobnicate")
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_check_ok(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("check", "--project", ROOT, "--content", content) == 0
    assert capsys.readouterr().out.strip() == "ok: 1 documents, 2 measures, 1 briefs"


def test_content_error_exits_one_and_leaves_output_untouched(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run("--project", ROOT, "--content", content, "--output", out, "--no-pdf", "-q") == 0
    before = tree_digest(out)
    edit(
        content / "documents" / "fixture-alpha.md",
        "jurisdiction: CN-SD\n    actors",
        "jurisdiction: CN-XX\n    actors",
    )
    edit(content / "briefs" / "fixture-brief.md", "audience: Test readers\n", "")
    capsys.readouterr()
    assert run("--project", ROOT, "--content", content, "--output", out, "--no-pdf") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("content/briefs/fixture-brief.md:2: audience: required field is missing")
    assert "measures[1].jurisdiction: unknown jurisdiction 'CN-XX'" in err[1]
    assert err[-1] == "Aborted with 2 error(s); output/ was not changed."
    assert not any("Traceback" in line for line in err)
    assert tree_digest(out) == before


def test_missing_template_names_the_file(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    (project / "templates").mkdir(parents=True)
    for path in (ROOT / "templates").rglob("*"):
        if path.is_file() and path.name != "index.html":
            target = project / "templates" / path.relative_to(ROOT / "templates")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    out = tmp_path / "out"
    assert run("--project", project, "--content", content, "--output", out, "--no-pdf", "-q") == 1
    assert capsys.readouterr().err.splitlines()[0] == "templates/index.html: template not found"
    assert not out.exists()


def test_only_builds_one_brief_and_keeps_the_others(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("--project", ROOT, "--content", content, "--output", out, "--no-pdf", "-q") == 0
    digest_page = out / "briefs" / "digest-fixture-alpha" / "index.html"
    before = digest_page.read_bytes()
    assert (
        run(
            "--project",
            ROOT,
            "--content",
            content,
            "--output",
            out,
            "--no-pdf",
            "-q",
            "--only",
            "fixture-brief",
        )
        == 0
    )
    assert digest_page.read_bytes() == before
    assert (out / "briefs" / "fixture-brief" / "index.html").is_file()


def test_only_unknown_brief(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--project", ROOT, "--content", content, "--output", tmp_path / "o", "--only", "nope") == 1
    assert "--only: no brief 'nope'" in capsys.readouterr().err


def test_sources_strict_refuses_unverified(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "fixture-alpha.txt").write_text("changed text\n")
    out = tmp_path / "out"
    code = run(
        "--project", ROOT, "--content", content, "--output", out, "--no-pdf", "--sources", sources, "--strict"
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "has changed since it was summarised" in err
    assert "Not published: --strict refuses unverified content" in err
    assert not out.exists()


def test_build_script_and_console_script(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--content", str(FIXTURES / "content")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    script = Path(sys.executable).parent / "policybrief"
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert not out.exists()


@pytest.mark.slow
def test_no_digest_pdf_keeps_the_briefs_pdfs(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("--project", ROOT, "--content", content, "--output", out, "--no-digest-pdf", "-q") == 0
    brief, digest = out / "briefs" / "fixture-brief", out / "briefs" / "digest-fixture-alpha"
    assert (brief / "fixture-brief.pdf").read_bytes().startswith(b"%PDF-")
    assert (digest / "index.html").is_file()
    assert not list(digest.glob("*.pdf"))
    # No page links to a PDF that was not made.
    assert "digest-fixture-alpha.pdf" not in (digest / "index.html").read_text(encoding="utf-8")
    assert "digest-fixture-alpha.pdf" not in (out / "index.html").read_text(encoding="utf-8")
    assert "fixture-brief.pdf" in (out / "index.html").read_text(encoding="utf-8")
