"""Benchmarks (not timed tests): how fast the build is, measured against the floor.

    .venv/bin/python bench/run.py            # example corpus, N = 250 and N = 1,000 (40 briefs)
    .venv/bin/python bench/run.py --quick    # without N = 1,000
    make bench

For each corpus, in a fresh project folder (so the build cache starts empty), the build runs
as `build.py` in a subprocess, as an analyst runs it:

- cold: empty build cache;
- no-op: nothing changed (median of three);
- edit: one document's summary reworded (median of three), as a new process;
- edit, warm: the same edit in a process that has built before (what `serve` does);
- cold, digests as HTML: a second cold build (`--clean`, into another output folder) with
  `--no-digest-pdf`: the briefs' PDFs, every digest as an HTML page only;
- peak memory: of the build's whole process tree (the build and its workers), for the cold
  build: the sum of their proportional set sizes (PSS: resident memory, with the pages that
  forked workers share with the build counted once), sampled twice a second; and the
  largest single process's peak resident set (ru_maxrss).

The floor is what WeasyPrint alone costs: the very print pages the cold build gave WeasyPrint
(kept in the build cache with each PDF), rendered one after another by the `weasyprint`
command with the same stylesheets (fonts, page size) and options (PDF/UA-1, tagged). It
leaves out everything else the build does (loading, charts, HTML pages, data files, PDF
post-processing, publishing), so a build at ratio 1.0 would be doing all of that for free.

Python byte-code is cached (PYTHONPYCACHEPREFIX under the work folder) for every process, the
build's and the floor's alike, as on an ordinary installation.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402
from policybrief.cache import Cache, cache_root  # noqa: E402
from policybrief.fonts import font_face_css  # noqa: E402
from policybrief.options import PAPER_SIZES, Options  # noqa: E402
from policybrief.pipeline.keys import state_name  # noqa: E402

PYTHON = Path(sys.executable)
WEASYPRINT = PYTHON.parent / "weasyprint"
TARGETS = {
    "cold_vs_floor": 0.6,  # example corpus
    "noop_s": 0.3,
    "edit_s": 1.5,  # example corpus
    "cold_1000_s": 90.0,
    "peak_1000_gib": 1.5,
    "growth": 4.4,  # cold(1000) / cold(250)
}


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    peak_rss: int  # bytes: the process tree's summed PSS, at its peak
    other_load: float  # CPU time of other processes on the machine during the run, in cores
    built: int = 0
    max_rss: int = 0  # bytes: the largest peak resident set (VmHWM) of a process of this run


@dataclass
class Result:
    corpus: str
    documents: int
    briefs: int
    products: int
    cold: Run | None = None
    cold_html_digests: Run | None = None  # --no-digest-pdf --clean
    noop: list[Run] = field(default_factory=list)
    edit: list[Run] = field(default_factory=list)
    edit_printed: list[Run] = field(default_factory=list)  # a key point: the digest's PDF changes
    edit_warm: list[float] = field(default_factory=list)
    floor_seconds: float | None = None  # the median of floor_runs
    floor_runs: list[float] = field(default_factory=list)
    floor_other_load: float = 0.0
    floor_files: int = 0
    floor_sampled: int = 0


# --------------------------------------------------------------------------- measuring


def _cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _pss(pid: int) -> int:
    """Proportional set size in bytes: resident memory, pages shared between processes
    (after fork) counted once in all, so that the tree's sum is the memory it really uses."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def _tree(root: int) -> list[int]:
    """`root` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def _hwm(pid: int) -> int:
    """The process's own peak resident set so far (VmHWM), in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def _tree_memory(root: int) -> tuple[int, int]:
    """(summed PSS of the tree, the largest peak RSS of any process in it)."""
    total = largest = 0
    for pid in _tree(root):
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += _pss(pid)
            largest = max(largest, _hwm(pid))
    return total, largest


def measure(command: list[str], env: dict[str, str]) -> tuple[Run, str]:
    """Run `command`; wall time, CPU time of its process tree, peak tree RSS, stderr."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy0, _ = _cpu_ticks()
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = max_rss = 0
    stop = threading.Event()

    def sample() -> None:
        # Reading a process's PSS walks its page tables under its memory lock: often enough
        # to see the plateaus (a worker's memory climbs over seconds), rarely enough not to
        # slow the build down (at 20 reads a second it did, by half).
        nonlocal peak, max_rss
        while not stop.wait(0.5):
            pss, largest = _tree_memory(process.pid)
            peak, max_rss = max(peak, pss), max(max_rss, largest)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    busy1, _ = _cpu_ticks()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    hz = os.sysconf("SC_CLK_TCK")
    other = max(0.0, (busy1 - busy0) / hz - cpu) / seconds if seconds else 0.0
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{err}")
    built = 0
    for line in (out + err).splitlines():
        if line.startswith("Done: built "):
            built = int(line.split()[2])
    return Run(seconds, cpu, peak, round(other, 2), built, max_rss), out + err


def bytecode_env(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "SOURCE_DATE_EPOCH")}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


def _project_folder(target: Path) -> None:
    """A project of its own: the example's project file (and so its own build cache)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "policybrief.toml", target / "policybrief.toml")


def warm_bytecode(env: dict[str, str], work: Path) -> None:
    """Fill the byte-code cache the way any earlier use would: one small build with PDFs and
    a worker pool (every module a build imports, however late), and one weasyprint command."""
    scratch = work / "warm-up"
    shutil.rmtree(scratch, ignore_errors=True)
    _project_folder(scratch)
    fixture = ROOT / "tests" / "fixtures" / "content"
    build = [str(PYTHON), str(ROOT / "build.py"), "--project", str(scratch), "--content", str(fixture)]
    subprocess.run([*build, "--output", str(scratch / "out"), "-q", "--jobs", "2"], env=env, check=True)
    page = scratch / "page.html"
    page.write_text("<p>warm-up</p>\n")
    subprocess.run([str(WEASYPRINT), "-q", str(page), str(scratch / "page.pdf")], env=env, check=True)
    shutil.rmtree(scratch, ignore_errors=True)


# --------------------------------------------------------------------------- the corpora


def prepare(work: Path, name: str) -> tuple[Path, Path, Path]:
    """(project, content, output) for one corpus, in a fresh folder."""
    folder = work / name
    if folder.exists():
        shutil.rmtree(folder)
    project = folder / "project"
    _project_folder(project)
    content = folder / "content"
    if name == "example":
        shutil.copytree(ROOT / "content", content)
    else:
        synthetic.generate(content, int(name.removeprefix("n")), 40)
    return project, content, folder / "output"


def edit_summary(content: Path, n: int) -> None:
    """One-document edit number `n`: a sentence of one summary reworded (a new wording each
    time, so that no edit finds its result in the cache); n = 0 restores the original."""
    path = sorted((content / "documents").glob("*.md"))[1]
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\n\nThe benchmark reworded this summary \(edit \d+\)\.\n$", "\n", text)
    if n:
        text = text.rstrip("\n") + f"\n\nThe benchmark reworded this summary (edit {n}).\n"
    path.write_text(text, encoding="utf-8")


_WORDS = ["", "one", "two", "three"]


def edit_key_point(content: Path, n: int) -> None:
    """One-document edit that reaches print: the same document's first key point reworded
    (its digest's printed page changes, so its PDF is rendered again); n = 0 restores it."""
    path = sorted((content / "documents").glob("*.md"))[1]
    text = path.read_text(encoding="utf-8")
    text = re.sub(r" \(reworded by the benchmark, edit [a-z]+\)(?=\n)", "", text)
    if n:
        text = re.sub(
            r"(\nkey_points:\n\s*- [^\n]*)",
            lambda m: m.group(1) + f" (reworded by the benchmark, edit {_WORDS[n]})",
            text,
            count=1,
        )
    path.write_text(text, encoding="utf-8")


WARM_EDITS = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from run import edit_summary
from policybrief.options import Options
from policybrief.pipeline import build
from policybrief.serve import _warm_up
options = Options(project=Path(sys.argv[1]), content=Path(sys.argv[2]), output=Path(sys.argv[3]))
build(options)
_warm_up(options)
times = []
for n in (4, 5, 6):
    edit_summary(options.content, n)
    started = time.perf_counter()
    build(options)
    times.append(time.perf_counter() - started)
edit_summary(options.content, 0)
build(options)
print(json.dumps(times))
"""


# --------------------------------------------------------------------------- the floor


def floor_pages(project: Path, content: Path, output: Path, folder: Path) -> list[Path]:
    """Write the print pages of the last build (from the cache) with the files they load."""
    options = Options(project=project.resolve(), content=content.resolve(), output=output.resolve())
    cache = Cache(cache_root(options.project))
    state = cache.get_state(state_name(options))
    if state is None:
        raise SystemExit("no build state: run the cold build first")
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "assets").mkdir(parents=True)
    for name, css in options.theme.assets(".css").items():
        shutil.copyfile(css, folder / "assets" / name)
    (folder / "pdf.css").write_text(font_face_css() + f"@page {{ size: {PAPER_SIZES['A4']}; }}\n")
    pages = []
    for product, key in sorted(state["entries"].items()):
        entry = cache.get_entry("product", key)
        if entry is None or not entry.get("pdf"):
            continue
        pdf = cache.get_entry("pdf", entry["pdf"])
        if pdf is None:
            raise SystemExit(f"{product}: no PDF entry in the cache")
        page_dir = folder / pdf["page_dir"]
        for rel, (sha, _size) in pdf["files"].items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(cache.get_blob(sha) or b"")
        page = page_dir / "print.html"
        page.parent.mkdir(parents=True, exist_ok=True)  # a page without charts has no files
        page.write_bytes(cache.get_blob(pdf["html"][0]) or b"")
        pages.append(page)
    return pages


def floor(pages: list[Path], folder: Path, env: dict[str, str], sample: int | None) -> tuple[float, int]:
    """Seconds to render `pages` one after another with the weasyprint command (estimated
    from an even sample of briefs and of digests when `sample` is given)."""
    groups = [[p for p in pages if "/digest-" not in str(p)], [p for p in pages if "/digest-" in str(p)]]
    total, rendered = 0.0, 0
    for group in groups:
        if not group:
            continue
        chosen = group
        if sample is not None and len(group) > sample:
            step = len(group) / sample
            chosen = [group[int(i * step)] for i in range(sample)]
        started = time.perf_counter()
        for page in chosen:
            subprocess.run(
                [
                    *(str(WEASYPRINT), "-q", "-s", str(folder / "pdf.css")),
                    *("--pdf-variant", "pdf/ua-1", "--pdf-tags", "--custom-metadata"),
                    *(str(page), str(page.with_suffix(".pdf"))),
                ],
                env=env,
                check=True,
            )
        total += (time.perf_counter() - started) * len(group) / len(chosen)
        rendered += len(chosen)
    return total, rendered


# --------------------------------------------------------------------------- one corpus


def bench(name: str, work: Path, env: dict[str, str], jobs: int, floor_sample: int | None) -> Result:
    project, content, output = prepare(work, name)
    documents = len(list((content / "documents").glob("*.md")))
    briefs = len(list((content / "briefs").glob("*.md")))
    result = Result(name, documents, briefs, documents + briefs)
    build = [str(PYTHON), str(ROOT / "build.py"), "--project", str(project), "--content", str(content)]
    build += ["--output", str(output)] + (["--jobs", str(jobs)] if jobs else [])
    print(f"[{name}] {documents} documents, {briefs} briefs: cold build …", flush=True)
    result.cold, _ = measure(build, env)
    print(f"[{name}] cold {result.cold.seconds:.1f} s; no-op and edits …", flush=True)
    for _ in range(3):
        result.noop.append(measure(build, env)[0])
    for n in (1, 2, 3):
        edit_summary(content, n)
        result.edit.append(measure(build, env)[0])
    edit_summary(content, 0)
    for n in (1, 2, 3):
        edit_key_point(content, n)
        result.edit_printed.append(measure(build, env)[0])
    edit_key_point(content, 0)
    warm = subprocess.run(
        [str(PYTHON), "-c", WARM_EDITS, str(project), str(content), str(output), str(Path(__file__).parent)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result.edit_warm = json.loads(warm.stdout.splitlines()[-1])
    # The warm process restored the content and rebuilt: the last build is the cold build's
    # content again (from the cache), whose print pages the floor renders.
    pages = floor_pages(project, content, output, work / name / "floor")
    print(f"[{name}] floor: {len(pages)} pages through the weasyprint command …", flush=True)
    # The floor of a small corpus is short, and as noisy as any short timing: take the median
    # of three.
    import resource

    for _ in range(3 if len(pages) < 50 else 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy0, _ = _cpu_ticks()
        seconds, result.floor_sampled = floor(pages, work / name / "floor", env, floor_sample)
        busy1, _ = _cpu_ticks()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        result.floor_runs.append(round(seconds, 2))
        result.floor_other_load = round(
            max(0.0, (busy1 - busy0) / os.sysconf("SC_CLK_TCK") - cpu) / seconds, 2
        )
    result.floor_seconds = statistics.median(result.floor_runs)
    result.floor_files = len(pages)
    print(f"[{name}] cold build with the digests as HTML only …", flush=True)
    html_digests = [*build[: build.index("--output") + 1], str(work / name / "output-html-digests")]
    html_digests += [*build[build.index("--output") + 2 :], "--no-digest-pdf", "--clean"]
    result.cold_html_digests, _ = measure(html_digests, env)
    return result


# --------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    import weasyprint

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(int(mem) / 1024**2, 1),
        "python": platform.python_version(),
        "weasyprint": weasyprint.__version__,
        "platform": platform.platform(),
    }


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _html_digests(r: Result) -> str:
    run = r.cold_html_digests
    return "-" if run is None else f"{run.seconds:.1f}s {run.peak_rss / 2**30:.2f}Gi"


def report(results: list[Result], info: dict[str, Any]) -> str:
    lines = [
        f"machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory_gib']} GiB, "
        f"Python {info['python']}, WeasyPrint {info['weasyprint']}",
        "",
        f"{'corpus':<8} {'products':>8} {'cold':>8} {'floor':>8} {'ratio':>6} {'no-op':>7} "
        f"{'edit':>7} {'print':>6} {'warm':>6} {'peak mem':>9} {'cpu':>8} {'other':>6} {'cold, html digests':>19}",
    ]
    for r in results:
        assert r.cold is not None
        floor_text = f"{r.floor_seconds:.1f}" + ("*" if r.floor_sampled < r.floor_files else "")
        lines.append(
            f"{r.corpus:<8} {r.products:>8} {r.cold.seconds:>7.1f}s {floor_text:>7}s "
            f"{r.cold.seconds / r.floor_seconds:>6.2f} {_median([n.seconds for n in r.noop]):>6.2f}s "
            f"{_median([e.seconds for e in r.edit]):>6.2f}s "
            f"{_median([e.seconds for e in r.edit_printed]):>5.2f}s {_median(r.edit_warm):>5.2f}s "
            f"{r.cold.peak_rss / 2**30:>7.2f}Gi {r.cold.cpu_seconds:>7.0f}s {r.cold.other_load:>6.2f}"
            f" {_html_digests(r):>19}   (largest process {r.cold.max_rss / 2**30:.2f} GiB)"
        )
    lines.append("")
    lines.append(
        "ratio = cold / floor; edit = one summary reworded, new process; print = one key point "
        "reworded (its digest's PDF changes), new process; warm = the same in a "
        "process that built before (serve); cpu = CPU time of the cold build's processes; other = "
        "cores used by other processes during the cold build; * = floor estimated from a sample; "
        "cold, html digests = cold build with --no-digest-pdf (time, peak memory)."
    )
    by = {r.corpus: r for r in results}
    checks = []
    if "example" in by:
        ex = by["example"]
        assert ex.cold is not None and ex.floor_seconds
        checks.append(("cold(example) / floor", ex.cold.seconds / ex.floor_seconds, TARGETS["cold_vs_floor"]))
        checks.append(("no-op (example), s", _median([n.seconds for n in ex.noop]), TARGETS["noop_s"]))
        checks.append(
            ("one-document edit (example), s", _median([e.seconds for e in ex.edit]), TARGETS["edit_s"])
        )
        checks.append(("  the same, warm process (serve), s", _median(ex.edit_warm), TARGETS["edit_s"]))
        printed = _median([e.seconds for e in ex.edit_printed])
        checks.append(("  a key point reworded (a PDF), s", printed, TARGETS["edit_s"]))
    if "n1000" in by:
        big = by["n1000"]
        assert big.cold is not None
        checks.append(("cold(N=1000), s", big.cold.seconds, TARGETS["cold_1000_s"]))
        checks.append(("peak memory (N=1000), GiB", big.cold.peak_rss / 2**30, TARGETS["peak_1000_gib"]))
        small = by.get("n250")
        if small is not None and small.cold is not None:
            checks.append(
                ("cold(N=1000) / cold(N=250)", big.cold.seconds / small.cold.seconds, TARGETS["growth"])
            )
        html = big.cold_html_digests
        if html is not None:
            checks.append(("cold(N=1000), digests as HTML, s", html.seconds, TARGETS["cold_1000_s"]))
            checks.append(("  its peak memory, GiB", html.peak_rss / 2**30, TARGETS["peak_1000_gib"]))
            if small is not None and small.cold_html_digests is not None:
                growth = html.seconds / small.cold_html_digests.seconds
                checks.append(("  its growth N=1000 / N=250", growth, TARGETS["growth"]))
    if checks:
        lines.append("")
        lines.append("targets:")
        for label, value, target in checks:
            verdict = "met" if value <= target else f"MISSED: {value / target:.2f} x the target"
            lines.append(f"  {label:<36} {value:>8.2f}  (target <= {target:g}: {verdict})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build benchmarks against the weasyprint-command floor.")
    parser.add_argument("--quick", action="store_true", help="skip N = 1,000")
    parser.add_argument("--corpus", action="append", choices=["example", "n250", "n1000"], help="only these")
    parser.add_argument("--jobs", type=int, default=0, help="--jobs for the builds (default: one per core)")
    parser.add_argument(
        "--floor-sample",
        type=int,
        metavar="K",
        help="estimate the floor from K briefs and K digests per corpus instead of rendering all",
    )
    parser.add_argument("--work", type=Path, help="work folder to keep (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    corpora = args.corpus or ["example", "n250"] + ([] if args.quick else ["n1000"])

    work = args.work or Path(tempfile.mkdtemp(prefix="policybrief-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = bytecode_env(work)
    warm_bytecode(env, work)
    info = machine()
    results = []
    try:
        for name in corpora:
            results.append(bench(name, work, env, args.jobs, args.floor_sample))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    text = report(results, info)
    print()
    print(text)
    if args.json:
        args.json.write_text(
            json.dumps({"machine": info, "results": [asdict(r) for r in results]}, indent=2) + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
