"""The command line: exit codes, messages, and output/ untouched by a failed build."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, edit, line_of, tree_digest
from policybrief.cli import main


def run(*args: str | Path) -> int:
    return main([str(a) for a in args])


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        run("--help")
    assert info.value.code == 0
    out = capsys.readouterr().out
    for word in ("build", "check", "serve", "new", "--version", "Exit codes"):
        assert word in out


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("build", ("--only", "--quiet", "--verbose", "--sources", "--strict", "--paper", "--project")),
        ("check", ("--sources", "--strict", "--project", "--content")),
        ("serve", ("--port", "--only", "--project")),
        ("new", ("DIR", "--country", "--title")),
    ],
)
def test_each_command_has_its_own_help(
    command: str, words: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        run(command, "--help")
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: policybrief {command}")
    for word in words:
        assert word in out
    if command != "serve":
        assert "--port" not in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from policybrief import __version__

    with pytest.raises(SystemExit) as info:
        run("--version")
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"policybrief {__version__}"


def test_options_without_a_command_mean_build(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("--project", ROOT, "--content", content, "--output", out, "--no-pdf", "-q") == 0
    assert (out / "index.html").is_file()


def test_no_project_here_exits_three(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("check") == 3
    assert "no policybrief.toml in" in capsys.readouterr().err


def test_project_found_from_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("new", tmp_path / "proj", "--country", "CA", "-q") == 0
    monkeypatch.chdir(tmp_path / "proj" / "content" / "documents")
    assert run("check") == 0
    out = capsys.readouterr().out
    assert "sources: 4/4 evidence anchors verified" in out
    assert "ok: 1 documents, 2 measures, 1 briefs" in out


def test_new_refuses_a_folder_in_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine\n")
    assert run("new", tmp_path / "used") == 3
    assert "exists and is not an empty folder" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "used").iterdir()) == ["notes.txt"]


def test_new_refuses_an_unknown_country(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("new", tmp_path / "p", "--country", "XX") == 2
    assert "'XX' is not an ISO 3166-1 alpha-2 country code" in capsys.readouterr().err
    assert not (tmp_path / "p").exists()


def test_project_file_errors_name_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "proj"
    assert run("new", project, "-q") == 0
    edit(project / "policybrief.toml", 'code = "DE"', 'code = "XX"')
    edit(project / "policybrief.toml", 'paper = "A4"', 'paper = "A5"\ncolour = "red"')
    assert run("check", "--project", project) == 1
    err = capsys.readouterr().err.splitlines()
    code, paper = (
        line_of(project / "policybrief.toml", 'code = "XX"'),
        line_of(project / "policybrief.toml", "paper ="),
    )
    assert err[0].startswith(f"policybrief.toml:{code}: country.code: 'XX' is not an ISO 3166-1 alpha-2")
    assert err[1].startswith(f"policybrief.toml:{paper}: pdf.paper: paper must be one of A4, Letter")
    assert err[2].startswith(f"policybrief.toml:{paper + 1}: pdf.colour: unknown field")


def test_port_in_use_is_not_a_content_error(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        code = run(
            "serve", "--project", ROOT, "--content", content, "--output", tmp_path / "o", "--port", str(port)
        )
    assert code == 4
    assert f"cannot serve on 127.0.0.1:{port}" in capsys.readouterr().err


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
    assert err[0].startswith("Loading content from")  # the phase line, then the problems
    err = err[1:]
    assert err[0].startswith("content/briefs/fixture-brief.md:2: audience: required field is missing")
    assert "measures[1].jurisdiction: unknown jurisdiction 'CN-XX'" in err[1]
    assert err[-1] == "Aborted with 2 error(s); output/ was not changed."
    assert not any("Traceback" in line for line in err)
    assert tree_digest(out) == before


def test_templates_override_the_default_theme_file_by_file(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    (project / "templates" / "partials").mkdir(parents=True)
    (project / "policybrief.toml").write_bytes((ROOT / "policybrief.toml").read_bytes())
    out = tmp_path / "out"
    # Only content and a project file: every template comes from the default theme.
    assert run("--project", project, "--content", content, "--output", out, "--no-pdf", "-q") == 0
    default = (out / "briefs" / "fixture-brief" / "index.html").read_text(encoding="utf-8")
    assert '<caption id="table-matrix-caption">' in default
    # One partial overridden: that file changes, the rest of the page does not.
    (project / "templates" / "partials" / "proposals.html").write_text(
        '<p class="own-theme">Our own proposals box</p>\n', encoding="utf-8"
    )
    assert run("--project", project, "--content", content, "--output", out, "--no-pdf", "-q") == 0
    page = (out / "briefs" / "fixture-brief" / "index.html").read_text(encoding="utf-8")
    assert '<p class="own-theme">Our own proposals box</p>' in page
    assert '<caption id="table-matrix-caption">' in page
    # An error in an override names the project's file and line.
    (project / "templates" / "index.html").write_text("<h1>\n{% if %}\n", encoding="utf-8")
    capsys.readouterr()
    assert run("--project", project, "--content", content, "--output", out, "--no-pdf", "-q") == 1
    assert capsys.readouterr().err.splitlines()[0].startswith("templates/index.html:2: template error:")


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


def test_a_folder_with_only_content_builds(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No project file: the defaults, with the name languages the taxonomy uses."""
    monkeypatch.chdir(tmp_path)  # holds content/ (the fixture) and nothing else
    assert run("--no-pdf", "-q") == 0
    page = (tmp_path / "output" / "briefs" / "fixture-brief" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="zh-Hans" dir="auto" class="name-other">山东</span>' in page


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _record(message: str, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("policybrief", logging.INFO, __file__, 1, message, (), None)
    record.__dict__.update(extra)
    return record


def test_progress_on_a_terminal_is_one_line_and_plain_elsewhere() -> None:
    from policybrief.cli import ProgressHandler

    terminal = _Terminal()
    handler = ProgressHandler(terminal)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.emit(_record("Rendering 2 of 2 products (0 unchanged)", phase="rendering"))
    handler.emit(_record("  [1/2] a   rendered, 6 files", progress=(1, 2, "a")))
    handler.emit(_record("  [2/2] b   rendered, 6 files", progress=(2, 2, "b")))
    handler.emit(_record("Publishing 13 files to out", phase="publishing"))
    assert terminal.getvalue() == (
        "Rendering 2 of 2 products (0 unchanged)\n[1/2] a\r\x1b[K[2/2] b\nPublishing 13 files to out\n"
    )
    plain = io.StringIO()  # a log file or CI: every message as it is, one per line
    handler = ProgressHandler(plain)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.emit(_record("  [1/2] a   rendered, 6 files", progress=(1, 2, "a")))
    handler.emit(_record("Publishing 13 files to out", phase="publishing"))
    assert plain.getvalue() == "  [1/2] a   rendered, 6 files\nPublishing 13 files to out\n"


def test_build_reports_phases_counts_and_quiet_prints_nothing(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = ("--project", ROOT, "--content", content, "--output", out, "--no-pdf", "--jobs", "1", "--clean")
    assert run(*args) == 0
    captured = capsys.readouterr()
    err = captured.err.splitlines()
    assert err[0].startswith("Loading content from")
    assert err[1] == "Rendering 2 of 2 products (0 unchanged)"
    assert err[2].startswith("  [1/2] fixture-brief") and err[3].startswith("  [2/2] digest-fixture-alpha")
    assert err[4].startswith("Publishing ")
    assert captured.out.startswith("Done: 1 brief(s) and 1 digest(s), ")
    assert run("--project", ROOT, "--content", content, "--output", out, "--no-pdf", "--clean", "-q") == 0
    assert capsys.readouterr() == ("", "")
