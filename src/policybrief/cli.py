"""Command line: a thin layer over `policybrief.build.build` and the checks.

Exit codes: 0 ok, 1 content errors (or failed checks), 2 usage.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from pathlib import Path

from .options import PAPER_SIZES, Options
from .problems import ContentError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="policybrief",
        description="Build HTML pages and PDF policy briefs from structured summaries.",
        epilog="Exit codes: 0 ok, 1 content errors or failed checks, 2 usage.",
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="build",
        choices=["build", "check", "serve", "draft"],
        help="build (default): render every brief; check: validate only; "
        "serve: rebuild on change and serve on localhost; "
        "draft SOURCE: draft a summary from a raw source for review (docs/draft.md)",
    )
    parser.add_argument("source", nargs="?", type=Path, help="draft: the source file (text, HTML, PDF, Word)")
    draft = parser.add_argument_group("draft")
    draft.add_argument("--id", help="draft: the new summary's id (default: from the file name)")
    draft.add_argument(
        "--evaluate",
        action="store_true",
        help="draft: score drafts of every summarised source against the reviewed summaries",
    )
    draft.add_argument(
        "--llm", action="store_true", help="draft: also ask the language model set by POLICYBRIEF_LLM_URL"
    )
    draft.add_argument(
        "--allow-remote-llm",
        action="store_true",
        help="draft: allow sending the source text to a model that is not on this machine",
    )
    parser.add_argument(
        "--project",
        type=Path,
        default=Path.cwd(),
        help="project folder holding content/ and templates/ (default: current folder)",
    )
    parser.add_argument("--content", type=Path, help="content folder (default: PROJECT/content)")
    parser.add_argument("--output", type=Path, help="output folder (default: PROJECT/output)")
    parser.add_argument(
        "--only",
        action="append",
        metavar="BRIEF",
        help="build only this brief (repeatable); the index still lists every brief",
    )
    parser.add_argument(
        "--sources",
        type=Path,
        metavar="DIR",
        help="verify every evidence anchor against the source files in DIR "
        "(draft: where the source's text is stored; default PROJECT/sources)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="with --sources: fail unless every anchor is verified"
    )
    parser.add_argument("--paper", choices=sorted(PAPER_SIZES), default="A4", help="PDF page size")
    parser.add_argument("--no-pdf", action="store_true", help="skip PDF rendering (HTML only)")
    parser.add_argument(
        "--no-digest-pdf",
        action="store_true",
        help="source digests as HTML pages only; the briefs still get PDFs",
    )
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per core)")
    parser.add_argument("--clean", action="store_true", help="ignore the build cache and rebuild everything")
    parser.add_argument("--port", type=int, default=8000, help="port for serve (default 8000)")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="print details and tracebacks")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    project = args.project.resolve()
    options = Options(
        project=project,
        content=(args.content or project / "content").resolve(),
        output=(args.output or project / "output").resolve(),
        only=tuple(args.only or ()),
        paper=args.paper,
        pdf=not args.no_pdf,
        digest_pdf=not args.no_digest_pdf,
        jobs=args.jobs,
        clean=args.clean,
    )
    level = logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger("policybrief")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    # WeasyPrint and fontTools log their own progress; only their problems matter here.
    for noisy in ("weasyprint", "fontTools", "matplotlib"):
        logging.getLogger(noisy).setLevel(logging.ERROR)

    if args.command != "draft" and (args.source or args.id or args.evaluate or args.llm):
        print("SOURCE, --id, --evaluate and --llm belong to the draft command", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "draft":
            from .draft.cli import run_draft

            return run_draft(args, options)
        if args.command == "check":
            return _check(options, args.sources, args.strict, args.quiet)
        if args.command == "serve":
            from .serve import serve

            serve(options, port=args.port)
            return EXIT_OK
        return _build(options, args.sources, args.strict, args.quiet)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        print(f"Aborted with {errors} error(s); output/ was not changed.", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("Interrupted; output/ was not changed.", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"error: {exc.__class__.__name__}: {exc} (run with --verbose for details)", file=sys.stderr)
        return EXIT_CONTENT


def _check(options: Options, sources: Path | None, strict: bool, quiet: bool) -> int:
    from .load import load_corpus

    corpus = load_corpus(options.content)
    for warning in corpus.warnings:
        print(warning, file=sys.stderr)
    status = EXIT_OK
    if sources is not None:
        status = _verify(corpus, sources, strict, quiet)
    elif strict:
        print("--strict needs --sources DIR to verify anchors", file=sys.stderr)
        return EXIT_USAGE
    if status == EXIT_OK and not quiet:
        measures = sum(len(d.measures) for d in corpus.documents)
        print(f"ok: {len(corpus.documents)} documents, {measures} measures, {len(corpus.briefs)} briefs")
    return status


def _verify(corpus, sources: Path, strict: bool, quiet: bool) -> int:  # type: ignore[no-untyped-def]
    from .sources import verify_sources

    if not sources.is_dir():
        print(f"{sources}: sources folder not found", file=sys.stderr)
        return EXIT_CONTENT
    report = verify_sources(corpus, sources)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if not quiet:
        print("coverage (anchors found / anchors; numbers anchored / numbers):")
        for cov in report.coverage:
            print(
                f"  {cov.document}: {cov.anchors_found}/{cov.anchors} anchors, "
                f"{cov.numbers_anchored}/{cov.numbers} numbers [{cov.source_status}]"
            )
    if report.problems:
        print(
            f"{len(report.problems)} problem(s) with sources; "
            f"{report.unchecked} anchor(s) could not be checked.",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    return EXIT_OK


def _build(options: Options, sources: Path | None, strict: bool, quiet: bool) -> int:
    from .pipeline import build

    if strict and sources is None:
        print("--strict needs --sources DIR to verify anchors before publishing", file=sys.stderr)
        return EXIT_USAGE
    if sources is not None:
        from .load import load_corpus  # here only: a build with nothing to do loads nothing

        corpus = load_corpus(options.content)
        status = _verify(corpus, sources, strict, quiet)
        if status != EXIT_OK and strict:
            print(
                "Not published: --strict refuses unverified content; output/ was not changed.",
                file=sys.stderr,
            )
            return status
    result = build(options)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    if not quiet:
        print(result.summary())
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
