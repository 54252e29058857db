"""The `draft` command's command-line part: the only module of the package that prints.

Exit codes as for every command: 0 ok, 1 bad input or content (nothing written), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..options import Options
from ..terminal import safe
from . import DraftError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def run_draft(args: argparse.Namespace, options: Options) -> int:
    # The project file's sources folder (paths.sources, `sources` by default), as for check.
    sources = (args.sources or options.project / options.settings.paths.sources).resolve()
    if args.evaluate:
        if args.source is not None:
            print("draft --evaluate takes no SOURCE: it drafts every summarised source", file=sys.stderr)
            return EXIT_USAGE
        return _evaluate(options.content, sources)
    if args.source is None:
        print("draft needs a SOURCE file (or --evaluate)", file=sys.stderr)
        return EXIT_USAGE
    from .run import draft_file

    try:
        backend = None
        if args.llm:
            from .llm import Backend

            backend = Backend.from_environment(allow_remote=args.allow_remote_llm)
        result = draft_file(args.source, options.content, sources, args.id, backend)
    except DraftError as exc:
        print(safe(exc), file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return EXIT_FAILED
    for warning in result.warnings:
        print(safe(f"warning: {warning}"), file=sys.stderr)
    p = result.proposal
    stored = "already there" if result.source_reused else "stored"
    if not args.quiet:
        print(f"source text {stored}: {_rel(result.source, options.project)}")
        print(f"drafted: {_rel(result.summary, options.project)}")
        print(
            f"  {len(p.quantities)} quantities, {len(p.measures)} candidate measures, "
            f"{len(p.damage)} split-digit readings, {len(p.metonyms)} possible metonyms, "
            f"{len(p.unknown_bodies)} taxonomy candidates"
        )
        check = "policybrief check" + (f" --sources {_rel(sources, options.project)}" if args.sources else "")
        print(f"  {result.markers} review markers: run `{check}` for the checklist")
    return EXIT_OK


def _evaluate(content: Path, sources: Path) -> int:
    from ..problems import ContentError
    from .evaluate import evaluate_corpus

    if not sources.is_dir():
        print(f"{sources}: sources folder not found (give --sources DIR)", file=sys.stderr)
        return EXIT_FAILED
    try:
        total, per_doc, skipped = evaluate_corpus(content, sources)
    except ContentError as exc:
        for problem in exc.problems:
            print(safe(problem), file=sys.stderr)
        print("--evaluate needs reviewed summaries that pass `check`.", file=sys.stderr)
        return EXIT_FAILED
    for line in skipped:
        print(safe(f"skipped: {line}"), file=sys.stderr)
    for score in per_doc:
        print(score.line())
        for missed in score.missed:
            print(f"    missed: {missed}")
        for extra in score.extra:
            print(f"    not in the summary: {extra}")
    print(total.line())
    return EXIT_OK


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
