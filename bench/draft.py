"""Benchmarks of `policybrief draft` (figures, not timed tests): how much it finds, how fast.

    .venv/bin/python bench/draft.py                 # everything below, about 30 s
    .venv/bin/python bench/draft.py --json out.json

1. The example corpus: every reviewed summary in content/documents against a draft of its
   source in ../shared/seeds (skipped when the seeds are absent): quantity recall and
   precision, kinds and qualifiers right, split-digit readings flagged with the right reading.
   Targets: recall >= 95 %, precision >= 85 %, all three split-digit readings.
2. Unseen English: tests/fixtures/draft/unseen, three texts written with their expected
   figures before the rules saw them (see the git history). Target: recall >= 85 %.
3. Chinese: tests/fixtures/draft/chinese, two passages written for the tests. Target: recall
   >= 80 %.
4. A 20-page PDF, made here by WeasyPrint (a provincial plan with a running head, page
   numbers and justified, hyphenated text), drafted by `build.py draft` in a subprocess as an
   analyst runs it: wall time, median of three, against the 3 s target; and the figures
   planted in it that the draft found.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import yaml  # noqa: E402

from policybrief.draft.evaluate import Score, evaluate_corpus, evaluate_expected  # noqa: E402
from policybrief.draft.run import load_taxonomy  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = ROOT / "tests" / "fixtures" / "draft"
PDF_SECONDS_TARGET = 3.0

_PROVINCES = ["Shandong", "Jiangsu", "Zhejiang", "Hubei", "Hunan", "Sichuan", "Anhui", "Henan"]
_SENTENCES = [
    "{p} will support more than {n} industrial enterprises in carrying out digital transformation by 2027.",
    "The province aims to build {n} smart factories and to cultivate provincial-level platforms.",
    "Last year, {p} completed {n} technology upgrading projects in key industrial chains.",
    "Output of the equipment industry reached {n} billion yuan, up by nearly {m} percent.",
    "{p} plans to train at least {n} skilled workers for intelligent manufacturing.",
]


def pdf_html(pages: int = 20) -> tuple[str, list[float]]:
    """A plan long enough for `pages` A4 pages, and the figures planted in it."""
    css = (
        "@page { size: A4; margin: 2.2cm; @top-center { content: 'Provincial Action Plan for "
        "Manufacturing' } @bottom-center { content: counter(page) } } body { font: 11pt serif } "
        "p { hyphens: auto; text-align: justify } h2 { break-before: page }"
    )
    planted: list[float] = []
    parts = [f"<style>{css}</style><h1>Provincial Action Plan for Manufacturing (2025-2027)</h1>"]
    n = 101
    for page in range(pages):
        if page:
            parts.append(f"<h2>Chapter {page + 1}</h2>")
        for para in range(7):
            sentences = []
            for k in range(3):
                template = _SENTENCES[(page + para + k) % len(_SENTENCES)]
                prov = _PROVINCES[(page + k) % len(_PROVINCES)]
                m = (n % 40) + 1
                sentences.append(template.format(p=prov, n=f"{n:,}", m=m))
                planted.append(float(n))
                if "{m}" in template:
                    planted.append(float(m))
                n += 37
            parts.append(f"<p>{' '.join(sentences)}</p>")
    return f"<html lang='en'><body>{''.join(parts)}</body></html>", planted


def bench_pdf() -> dict:  # type: ignore[type-arg]
    import pypdfium2
    from weasyprint import HTML

    from policybrief.draft.extract import extract
    from policybrief.draft.propose import propose

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        html, planted = pdf_html()
        pdf = work / "plan.pdf"
        HTML(string=html).write_pdf(pdf)
        pages = len(pypdfium2.PdfDocument(pdf))
        times = []
        for i in range(3):
            project = work / f"p{i}"
            (project / "content" / "documents").mkdir(parents=True)
            (project / "content" / "taxonomy.yaml").write_bytes(
                (ROOT / "content" / "taxonomy.yaml").read_bytes()
            )
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, str(ROOT / "build.py"), "draft", str(pdf), "--project", str(project), "-q"],
                check=True,
            )
            times.append(time.perf_counter() - started)
        text = extract(pdf).text
        found = [q.figure.value for q in propose(text, load_taxonomy(ROOT / "content")).quantities]
        remaining = list(found)
        hits = 0
        for value in planted:
            if value in remaining:
                remaining.remove(value)
                hits += 1
    seconds = statistics.median(times)
    return {
        "pages": pages,
        "seconds": round(seconds, 2),
        "ratio_to_target": round(seconds / PDF_SECONDS_TARGET, 2),
        "runs": [round(t, 2) for t in times],
        "planted": len(planted),
        "found": hits,
        "proposed": len(found),
    }


def score_dict(score: Score) -> dict:  # type: ignore[type-arg]
    return {
        "recall": round(score.recall, 3),
        "precision": round(score.precision, 3),
        "matched": score.matched,
        "expected": score.expected,
        "proposed": score.proposed,
        "kinds_right": score.kind_right,
        "qualifiers_right": score.approx_right,
        "split_digits_expected": score.damage_expected,
        "split_digits_flagged": score.damage_flagged,
        "split_digits_right_reading": score.damage_right,
        "missed": score.missed,
        "extra": score.extra,
    }


def fixture_set(name: str) -> Score:
    taxonomy = load_taxonomy(ROOT / "content")
    expected = yaml.safe_load((FIXTURES / name / "expected.yaml").read_text(encoding="utf-8"))
    total = Score(name)
    for file, items in expected.items():
        text = (FIXTURES / name / file).read_text(encoding="utf-8")
        total.add(evaluate_expected(text, items, taxonomy, file))
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    results: dict = {"python": platform.python_version(), "cores": os.cpu_count()}  # type: ignore[type-arg]
    rows = []
    if SEEDS.is_dir():
        total, _, skipped = evaluate_corpus(ROOT / "content", SEEDS)
        results["example"] = score_dict(total) | {"skipped": skipped}
        rows.append(("example corpus", total, ">= 95 %", ">= 85 %"))
    else:
        print(f"skipped the example corpus: {SEEDS} not found")
    unseen, chinese = fixture_set("unseen"), fixture_set("chinese")
    results["unseen_english"] = score_dict(unseen)
    results["chinese"] = score_dict(chinese)
    rows += [("unseen English", unseen, ">= 85 %", "-"), ("Chinese passages", chinese, ">= 80 %", "-")]
    load_before = os.getloadavg()[0]
    results["pdf_20_pages"] = bench_pdf() | {"load_average_before": round(load_before, 2)}

    print(
        f"{'set':18} {'recall':>16} {'target':>8} {'precision':>16} {'target':>8}  kinds  qualifiers  split digits"
    )
    for name, s, recall_target, precision_target in rows:
        split = (
            f"{s.damage_flagged}/{s.damage_expected} ({s.damage_right} right)" if s.damage_expected else "-"
        )
        print(
            f"{name:18} {s.recall:>7.1%} ({s.matched:>2}/{s.expected:>2}) {recall_target:>8} "
            f"{s.precision:>7.1%} ({s.matched:>2}/{s.proposed:>2}) {precision_target:>8}  "
            f"{s.kind_right}/{s.matched}  {s.approx_right}/{s.matched}  {split}"
        )
        for line in s.missed:
            print(f"    missed: {line}")
        for line in s.extra:
            print(f"    extra:  {line}")
    p = results["pdf_20_pages"]
    print(
        f"PDF, {p['pages']} pages: {p['seconds']:.2f} s (median of {p['runs']}), "
        f"{p['ratio_to_target']:.2f} x the 3 s target; planted figures found {p['found']}/{p['planted']} "
        f"({p['proposed']} proposed); load average {p['load_average_before']:.1f} on "
        f"{results['cores']} cores before the runs"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
