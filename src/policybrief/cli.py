"""Command line: a thin layer over `policybrief.build.build` and the checks.

`policybrief [COMMAND] [OPTIONS]`; COMMAND is build (the default), check, serve or new, each
with its own --help. The project root is the nearest folder upwards holding policybrief.toml.
Exit codes (EXIT_TEXT, docs/cli.md): 0 ok, 1 content errors (or failed checks), 2 usage,
3 no project here (or `new` into a folder in use), 4 the server cannot listen on its port,
5 internal error (a bug in policybrief: "internal error, please report").
"""

from __future__ import annotations

import argparse
import errno
import logging
import sys
import traceback
from pathlib import Path
from typing import TextIO

from . import __version__
from .options import PAPER_SIZES, Options
from .problems import ContentError
from .terminal import SafeFormatter, safe

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_PROJECT, EXIT_SERVE, EXIT_INTERNAL = 0, 1, 2, 3, 4, 5
EXIT_TEXT = (
    "Exit codes: 0 ok; 1 content errors or failed checks; 2 usage; "
    "3 no project found (or `new` into a folder in use); 4 cannot serve on the port; "
    "5 internal error (a bug: please report it)."
)
COMMANDS = ("build", "check", "serve", "new", "draft", "review")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


class ProgressHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Progress on a terminal: each product rendered rewrites one status line ("[12/66]
    rendering digest-x"), and every other message (a phase, a warning, an error) is printed
    in full above it. Not on a terminal (a log file, CI): every message is a plain line."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self.live = bool(getattr(stream, "isatty", lambda: False)())
        self._status = False  # a status line is on screen, to be overwritten

    def emit(self, record: logging.LogRecord) -> None:
        progress = getattr(record, "progress", None)
        if not self.live:
            super().emit(record)
            return
        try:
            if self._status:
                self.stream.write("\r\x1b[K")
                self._status = False
            if progress is not None:
                done, total, name = progress
                self.stream.write(f"[{done}/{total}] {safe(name)}")
                self._status = done < total
                if not self._status:
                    self.stream.write("\n")
            else:
                self.stream.write(self.format(record) + "\n")
            self.flush()
        except Exception:
            self.handleError(record)


class NoProject(Exception):
    """No project file here or above, and no content/ folder here either."""


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="policybrief",
        description="Build HTML pages and PDF policy briefs from structured summaries. "
        "Without a command, builds.",
        epilog=EXIT_TEXT,
    )
    parser.add_argument("--version", action="version", version=f"policybrief {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    build = commands.add_parser(
        "build",
        help="render every brief into the output folder (the default command)",
        description="Load and validate all content, render every brief (HTML page, PDF, charts, "
        "data) and replace the output folder only if everything succeeded.",
        epilog=EXIT_TEXT,
    )
    _project_arguments(build)
    _source_arguments(build)
    _render_arguments(build)
    _verbosity(build)
    check = commands.add_parser(
        "check",
        help="validate content (and evidence anchors against the sources); write nothing",
        description="Load and validate all content and write nothing. When the sources folder "
        "exists, every evidence anchor is also checked against the source files.",
        epilog=EXIT_TEXT,
    )
    _project_arguments(check)
    _source_arguments(check)
    _verbosity(check)
    serve = commands.add_parser(
        "serve",
        help="build, then rebuild on change and serve on localhost",
        description="Build, serve the output folder on http://127.0.0.1:PORT/ and rebuild what "
        "changed whenever content or templates change; open pages reload. Ctrl-C stops.",
        epilog=EXIT_TEXT,
    )
    _project_arguments(serve)
    _render_arguments(serve)
    serve.add_argument(
        "--sources",
        type=Path,
        metavar="DIR",
        help="check every evidence anchor against the source files in DIR at each rebuild, "
        "reporting problems as warnings (default: the project file's sources folder, when it exists)",
    )
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
    _verbosity(serve)
    new = commands.add_parser(
        "new",
        help="start a project: project file, minimal taxonomy, an example document and brief",
        description="Create DIR with a project that builds as it is: policybrief.toml, a "
        "taxonomy listing the country and its first-level divisions (from ISO 3166-2), one "
        "example document with its source text, and one brief. Replace the examples with "
        "your own.",
        epilog=EXIT_TEXT,
    )
    new.add_argument(
        "directory", type=Path, metavar="DIR", help="folder to create (must not exist or be empty)"
    )
    new.add_argument(
        "--country",
        default="DE",
        metavar="CODE",
        help="ISO 3166-1 alpha-2 code of the country the corpus is about (default DE)",
    )
    new.add_argument("--title", help="series title printed on every brief (default: the folder's name)")
    _verbosity(new)
    draft = commands.add_parser(
        "draft",
        help="draft a summary from a raw source for review (docs/draft.md)",
        description="Draft a summary of a raw source (text, HTML, PDF, Word) into "
        "content/documents/<id>.md for you to review, and store its text in the sources folder. "
        "Every guess carries a review marker that check and build refuse.",
        epilog=EXIT_TEXT,
    )
    draft.add_argument("source", nargs="?", type=Path, help="the source file (text, HTML, PDF, Word)")
    _project_arguments(draft)
    draft.add_argument(
        "--sources",
        type=Path,
        metavar="DIR",
        help="where the source's text is stored (default: the project file's sources folder)",
    )
    draft.add_argument("--id", help="the new summary's id (default: from the file name)")
    draft.add_argument(
        "--evaluate",
        action="store_true",
        help="score drafts of every summarised source against the reviewed summaries",
    )
    draft.add_argument(
        "--llm", action="store_true", help="also ask the language model set by POLICYBRIEF_LLM_URL"
    )
    draft.add_argument(
        "--allow-remote-llm",
        action="store_true",
        help="allow sending the source text to a model that is not on this machine",
    )
    _verbosity(draft)
    review = commands.add_parser(
        "review",
        help="mark briefs' text as read against the current data (stops stale-text warnings)",
        description="After reading a brief's key messages and body against its data, record the "
        "data they rest on (the brief's documents and the quantities its text cites) in the "
        "brief's `reviewed` front matter. The build warns whenever that data changes again.",
        epilog=EXIT_TEXT,
    )
    review.add_argument("briefs", nargs="*", metavar="BRIEF", help="brief ids to mark")
    review.add_argument("--all", action="store_true", help="mark every brief")
    review.add_argument(
        "--on",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="the review's date (default: today)",
    )
    _project_arguments(review)
    _verbosity(review)
    return parser


def _iso_date(text: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _project_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--project",
        type=Path,
        help="project folder (default: the nearest folder upwards holding policybrief.toml)",
    )
    parser.add_argument("--content", type=Path, help="content folder (default: from the project file)")


def _source_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sources",
        type=Path,
        metavar="DIR",
        help="verify every evidence anchor against the source files in DIR "
        "(default: the project file's sources folder, when it exists)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="fail unless every anchor is verified against the sources"
    )


def _render_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", type=Path, help="output folder (default: from the project file)")
    parser.add_argument(
        "--only",
        action="append",
        metavar="BRIEF",
        help="build only this brief (repeatable); the index still lists every brief",
    )
    parser.add_argument(
        "--paper", choices=sorted(PAPER_SIZES), help="PDF page size (default: from the project file, else A4)"
    )
    parser.add_argument("--no-pdf", action="store_true", help="skip PDF rendering (HTML only)")
    parser.add_argument(
        "--no-digest-pdf",
        action="store_true",
        help="source digests as HTML pages only; the briefs still get PDFs",
    )
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per core)")
    parser.add_argument("--clean", action="store_true", help="ignore the build cache and rebuild everything")


def _verbosity(parser: argparse.ArgumentParser) -> None:
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="print details and tracebacks")


def _with_default_command(argv: list[str]) -> list[str]:
    """`policybrief --only X` means `policybrief build --only X`."""
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        return ["build", *argv]
    return argv


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(_with_default_command(list(sys.argv[1:] if argv is None else argv)))
    level = logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    handler = ProgressHandler(sys.stderr)
    handler.setFormatter(SafeFormatter("%(message)s"))
    root = logging.getLogger("policybrief")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    # WeasyPrint and fontTools log their own progress; only their problems matter here.
    for noisy in ("weasyprint", "fontTools", "matplotlib"):
        logging.getLogger(noisy).setLevel(logging.ERROR)

    try:
        if args.command == "new":
            return _new(args)
        project = _find_project(args.project)
        options = _options(args, project)
        if args.command == "draft":
            from .draft.cli import run_draft

            return run_draft(args, options)
        if args.command == "review":
            return _review(options, args)
        sources = _sources(args, project, options)
        if args.command == "check":
            return _check(options, sources, args.strict, args.quiet, args.verbose)
        if args.command == "serve":
            return _serve(options, args.port, sources)
        return _build(options, sources, args.strict, args.quiet, args.verbose)
    except NoProject as exc:
        print(safe(f"error: {exc}"), file=sys.stderr)
        return EXIT_PROJECT
    except ContentError as exc:
        for problem in exc.problems:
            print(safe(problem), file=sys.stderr)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        print(f"Aborted with {errors} error(s); output/ was not changed.", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("Interrupted; output/ was not changed.", file=sys.stderr)
        return 130
    except Exception as exc:
        # The last resort: anything else is a bug in policybrief (content problems are
        # ContentError), so it is never passed off as one, and no traceback reaches the
        # analyst unless asked for. MemoryError and RecursionError land here too.
        if args.verbose:
            print(safe("".join(traceback.format_exception(exc)), keep_newlines=True), file=sys.stderr)
        detail = safe(f"{exc.__class__.__name__}: {exc}")
        if len(detail) > 500:
            detail = detail[:499] + "…"
        print(
            f"internal error, please report: {detail}"
            + ("" if args.verbose else " (run with --verbose for the traceback)")
            + "; output/ was not changed.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _find_project(given: Path | None):  # type: ignore[no-untyped-def]
    """The project: --project, else the nearest folder upwards with a project file, else the
    current folder if it holds content/ (defaults apply)."""
    from .project import PROJECT_FILE, Project, ProjectSettings, find_root, load_project

    if given is not None:
        root = given.resolve()
    else:
        found = find_root(Path.cwd())
        if found is None:
            if not (Path.cwd() / "content").is_dir():
                raise NoProject(
                    f"no {PROJECT_FILE} in {Path.cwd()} or any folder above it; "
                    "start a project with `policybrief new DIR`, or pass --project DIR"
                )
            found = Path.cwd().resolve()
        root = found
    if (root / PROJECT_FILE).is_file():
        return load_project(root)
    if not root.is_dir():
        raise NoProject(f"{root}: project folder not found")
    return Project(root, ProjectSettings(), None)


def _options(args: argparse.Namespace, project) -> Options:  # type: ignore[no-untyped-def]
    from .project import settings_without_a_file

    content = args.content.resolve() if args.content else project.content
    settings = project.settings if project.file is not None else settings_without_a_file(content)
    return Options(
        project=project.root,
        content=content,
        output=(args.output.resolve() if getattr(args, "output", None) else project.output),
        only=tuple(getattr(args, "only", None) or ()),
        paper=getattr(args, "paper", None) or settings.pdf.paper,
        pdf=not getattr(args, "no_pdf", False),
        digest_pdf=not getattr(args, "no_digest_pdf", False),
        jobs=getattr(args, "jobs", 0),
        clean=getattr(args, "clean", False),
        settings=settings,
        limits=settings.resource_limits(),
    )


def _sources(args: argparse.Namespace, project, options: Options) -> Path | None:  # type: ignore[no-untyped-def]
    """--sources, else the project's sources folder when it exists and the content is the
    project's own (sources describe that content, not a folder given with --content)."""
    given = getattr(args, "sources", None)
    if given is not None:
        return given  # type: ignore[no-any-return]
    if args.content is None and project.sources.is_dir():
        return project.sources  # type: ignore[no-any-return]
    return None


def _serve(options: Options, port: int, sources: Path | None = None) -> int:
    from .serve import serve

    try:
        serve(options, port=port, sources=sources)
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
            print(f"error: cannot serve on 127.0.0.1:{port}: {exc.strerror}; try --port N", file=sys.stderr)
            return EXIT_SERVE
        raise
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, create_project

    try:
        created = create_project(args.directory, country=args.country, title=args.title)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROJECT if exc.folder_in_use else EXIT_USAGE
    if not args.quiet:
        print(f"Created {created.root} ({len(created.files)} files). Next:")
        print(f"  cd {args.directory}")
        print("  policybrief build        # then open output/index.html")
    return EXIT_OK


def _review(options: Options, args: argparse.Namespace) -> int:
    import datetime as dt
    import os

    from .charts.words import plural
    from .load import load_corpus
    from .review import MarkError, basis, mark_text

    if bool(args.briefs) == bool(args.all):
        print("review: name the briefs to mark, or --all", file=sys.stderr)
        return EXIT_USAGE
    corpus = load_corpus(options.content, options.settings, options.limits)
    by_id = {b.id: b for b in corpus.briefs}
    unknown = [b for b in args.briefs if b not in by_id]
    if unknown:
        print(safe(f"review: no brief {', '.join(unknown)} (briefs: {', '.join(by_id)})"), file=sys.stderr)
        return EXIT_USAGE
    on = args.on or dt.date.today()
    for brief_id in args.briefs or list(by_id):
        path = corpus.root.parent / corpus.origins[("brief", brief_id)][0]
        now = basis(corpus, by_id[brief_id])
        try:
            text = mark_text(path.read_text(encoding="utf-8"), now, on)
        except MarkError as exc:
            print(safe(f"{path}: {exc}"), file=sys.stderr)
            return EXIT_CONTENT
        # Written whole, then renamed: an interrupted review leaves the brief as it was.
        tmp = path.with_name(f".{path.name}.review")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        if not args.quiet:
            print(
                safe(
                    f"{path.relative_to(corpus.root.parent)}: reviewed on {on.isoformat()} against "
                    f"{plural(len(now.documents), 'document')} and "
                    f"{plural(len(now.figures), 'cited quantity', 'cited quantities')}"
                )
            )
    # The marks must read back: a check of the marked files catches a bad write now.
    load_corpus(options.content, options.settings, options.limits)
    return EXIT_OK


def _check(options: Options, sources: Path | None, strict: bool, quiet: bool, verbose: bool) -> int:
    from .load import load_corpus

    corpus = load_corpus(options.content, options.settings, options.limits)
    for warning in corpus.warnings:
        print(safe(warning), file=sys.stderr)
    status = EXIT_OK
    if sources is not None:
        status, _verified = _verify(corpus, sources, quiet, verbose)
    elif strict:
        print("--strict needs a sources folder (--sources DIR) to verify anchors", file=sys.stderr)
        return EXIT_USAGE
    if status == EXIT_OK and not quiet:
        measures = sum(len(d.measures) for d in corpus.documents)
        print(f"ok: {len(corpus.documents)} documents, {measures} measures, {len(corpus.briefs)} briefs")
    return status


def _verify(corpus, sources: Path, quiet: bool, verbose: bool) -> tuple[int, int | None]:  # type: ignore[no-untyped-def]
    """Check every anchor against the source files: (exit status, anchors verified)."""
    from .sources import verify_sources

    if not sources.is_dir():
        print(safe(f"{sources}: sources folder not found"), file=sys.stderr)
        return EXIT_CONTENT, None
    report = verify_sources(corpus, sources, corpus.limits)
    for problem in report.problems:
        print(safe(problem), file=sys.stderr)
    anchors = sum(c.anchors for c in report.coverage)
    found = sum(c.anchors_found for c in report.coverage)
    if verbose:
        print("coverage (anchors found / anchors; numbers anchored / numbers):")
        for cov in report.coverage:
            print(
                f"  {safe(cov.document)}: {cov.anchors_found}/{cov.anchors} anchors, "
                f"{cov.numbers_anchored}/{cov.numbers} numbers [{cov.source_status}]"
            )
    elif not quiet:
        # One line, not one per document (250 documents made 250 lines); -v lists them.
        print(f"sources: {found}/{anchors} evidence anchors verified in {sources} (-v: per document)")
    if report.problems:
        print(
            f"{len(report.problems)} problem(s) with sources; "
            f"{report.unchecked} anchor(s) could not be checked.",
            file=sys.stderr,
        )
        return EXIT_CONTENT, found
    return EXIT_OK, found


def _build(options: Options, sources: Path | None, strict: bool, quiet: bool, verbose: bool) -> int:
    from .pipeline import build

    if strict and sources is None:
        print(
            "--strict needs a sources folder (--sources DIR) to verify anchors before publishing",
            file=sys.stderr,
        )
        return EXIT_USAGE
    verified: int | None = None
    if sources is not None:
        from .load import load_corpus  # here only: a build with nothing to do loads nothing

        if not quiet:
            print(f"Checking evidence anchors against {sources}", file=sys.stderr)
        corpus = load_corpus(options.content, options.settings, options.limits)
        status, verified = _verify(corpus, sources, quiet, verbose)
        if status != EXIT_OK and strict:
            print(
                "Not published: --strict refuses unverified content; output/ was not changed.",
                file=sys.stderr,
            )
            return status
    result = build(options)
    for warning in result.warnings:
        print(safe(warning), file=sys.stderr)
    if not quiet:
        print(safe(result.summary(verified=verified), keep_newlines=True))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
