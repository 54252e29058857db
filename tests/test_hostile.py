"""Hostile content: every bad input ends in a clear error or a safe build, in bounded time
and memory, with the previous output untouched on failure and nothing from outside the
project in the output (docs/threat-model.md).

Each case is a row of CASES: a change to a copy of the fixture corpus, then the real CLI in a
subprocess under resource limits (address space, CPU seconds, a wall-clock timeout), with
its own peak memory measured by wait4. The bounds are limits, generous on purpose, not
timings: they catch a hang or a blow-up, never a slow machine.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest

from conftest import FIXTURES, ROOT, tree_digest

DOC = "documents/fixture-alpha.md"
BRIEF = "briefs/fixture-brief.md"
TAX = "taxonomy.yaml"
# Generous limits per run: far above what a healthy run takes (about 2 s and 150 MB for a
# failing check), far below what the failures in issue 15 took (minutes, gigabytes).
WALL_SECONDS = 60
CPU_SECONDS = 60
ADDRESS_SPACE = 4 << 30
PEAK_RSS = 1 << 30
CANARY = "CANARY-" + hashlib.sha256(b"policybrief hostile suite").hexdigest()[:16]
# Message shape: path:line: field: message, or path: message for a file that is not read.
WITH_LINE = re.compile(r"^content/[^:\n]+:\d+: [^\n]+$", re.M)
FILE_LEVEL = re.compile(r"^content/[^:\n]+: [^\n]+$", re.M)


# --------------------------------------------------------------------------- running


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss: int  # bytes


def _limits() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 5))
    os.setsid()


def run_cli(args: list[str], cwd: Path) -> Run:
    out, err = cwd / ".stdout", cwd / ".stderr"
    started = time.monotonic()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "policybrief", *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            preexec_fn=_limits,
            env={**os.environ, "PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "1767225600"},
        )
        killer = threading.Timer(WALL_SECONDS, lambda: os.killpg(process.pid, signal.SIGKILL))
        killer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            killer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    return Run(
        process.returncode,
        out.read_text(errors="replace"),
        err.read_text(errors="replace"),
        seconds,
        usage.ru_maxrss * 1024,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the fixture corpus, the templates and a previous output/ to protect."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "content", root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "output").mkdir()
    (root / "output" / "index.html").write_text("<p>the previous build</p>\n")
    (root / "output" / "manifest.json").write_text('{"generator": "policybrief", "files": []}\n')
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.md").write_text(f"---\nid: secret\n---\n{CANARY}\n", encoding="utf-8")
    (tmp_path / "outside" / "taxonomy.yaml").write_text(f"# {CANARY}\n", encoding="utf-8")
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append_body(root: Path, rel: str, text: str) -> None:
    path = root / "content" / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def write(root: Path, rel: str, data: str | bytes) -> None:
    path = root / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def replace_with_symlink(root: Path, rel: str, target: Path) -> None:
    path = root / "content" / rel
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
    path.symlink_to(target)


def front(rel: str, body: str = "Body.\n", **fields: str) -> str:
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in fields.items()) + "---\n" + body


# --------------------------------------------------------------------------- the cases


@dataclass
class Case:
    name: str
    make: Callable[[Path], None]
    message: str  # a regular expression the error output must contain
    line: bool = True  # the message names a line (path:line: field: message)
    command: tuple[str, ...] = ("build", "--no-pdf")


def _taxonomy_deep(root: Path) -> None:
    write(root, TAX, "jurisdictions:\n" + "  " + "- " * 50_000 + "x\n")


def _fifo(rel: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        path = root / "content" / rel
        path.unlink()
        os.mkfifo(path)

    return make


def _sparse(root: Path) -> None:
    with (root / "content" / DOC).open("r+b") as f:
        f.truncate(2 << 30)


def _source_dir(root: Path) -> None:
    """A binary source file whose SHA-256 the summary records: it is read, then refused."""
    data = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256))
    (root / "sources").mkdir()
    (root / "sources" / "fixture-alpha.txt").write_bytes(data)
    text = (root / "content" / DOC).read_text()
    old = re.search(r"sha256: ([0-9a-f]{64})", text).group(1)  # type: ignore[union-attr]
    edit(root, DOC, old, hashlib.sha256(data).hexdigest())


def _source(name: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        (root / "sources").mkdir()
        edit(root, DOC, "file: fixture-alpha.txt", f"file: {json.dumps(name)}")

    return make


def _sources_symlink(root: Path) -> None:
    (root / "sources").mkdir()
    (root / "sources" / "fixture-alpha.txt").symlink_to(root.parent / "outside" / "secret.md")


# The fixture document's own address, replaced by each hostile one.
FIXTURE_URL = "http://en.test-wire.example/news/smart_factories/demonstration-parks_2024/alpha-report.html"

CASES = [
    # YAML that used to reach a constructor, recurse or explode.
    Case(
        "python-tag",
        lambda r: edit(r, DOC, "outlet: Test Wire", "outlet: !!python/name:os.system x"),
        r"fixture-alpha\.md:\d+: outlet: the YAML tag 'tag:yaml\.org,2002:python/name:os\.system' is not allowed",
    ),
    Case(
        "custom-tag",
        lambda r: edit(r, DOC, "outlet: Test Wire", "outlet: !custom-tag x"),
        r"outlet: the YAML tag '!custom-tag' is not allowed",
    ),
    Case(
        "merge-key",
        lambda r: edit(r, DOC, "    scope: {type: general}", "    <<: {scope: {type: general}}"),
        r"measures\[1\]: merge keys \('<<'\) are not allowed",
    ),
    Case(
        "alias",
        lambda r: edit(r, DOC, "outlet: Test Wire", "outlet: &o Test Wire\nauthors: [*o]"),
        r"outlet: anchor '&o' is not allowed",
    ),
    Case(
        "self-alias",
        lambda r: edit(r, DOC, "outlet: Test Wire", "outlet: Test Wire\nauthors: &a [*a]"),
        r"authors: anchor '&a' is not allowed",
    ),
    Case(
        "billion-laughs",
        lambda r: edit(
            r,
            DOC,
            "outlet: Test Wire",
            "outlet: Test Wire\nx: &a [lol, lol]\n"
            + "".join(
                f"x{i}: &a{i} [*{'a' if i == 0 else f'a{i - 1}'}, *{'a' if i == 0 else f'a{i - 1}'}]\n"
                for i in range(30)
            ),
        ),
        r"x: anchor '&a' is not allowed",
    ),
    Case(
        "deep-flow-100k",
        lambda r: edit(r, DOC, "outlet: Test Wire", "outlet: " + "[" * 100_000 + "]" * 100_000),
        r"outlet\[0\]\S*: nested more than 32 levels deep",
    ),
    Case(
        "deep-block",
        lambda r: edit(
            r, DOC, "outlet: Test Wire", "outlet:\n" + "".join("  " * (i + 1) + "k:\n" for i in range(200))
        ),
        r"outlet\.k\S*: nested more than 32 levels deep",
    ),
    Case(
        "deep-taxonomy-50k", _taxonomy_deep, r"taxonomy\.yaml:2: jurisdictions\[0\]\S*: nested more than 32"
    ),
    Case(
        "duplicate-key",
        lambda r: edit(r, DOC, "outlet: Test Wire", "outlet: Test Wire\noutlet: Other"),
        r"outlet: duplicate key 'outlet'",
    ),
    Case(
        "impossible-date",
        lambda r: edit(r, DOC, "date: 2024-03-03", "date: 2023-02-30"),
        r"published\.date: not a valid date: '2023-02-30'",
    ),
    Case(
        "value-1e309",
        lambda r: edit(r, DOC, "value: 50", "value: 1e309"),
        r"measures\[0\]\.quantities\[0\]\.value: .*finite",
    ),
    Case(
        "value-minus-1e309",
        lambda r: edit(r, DOC, "value: 50", "value: -1.0e+309"),
        r"quantities\[0\]\.value: not a finite number",
    ),
    Case(
        "value-inf",
        lambda r: edit(r, DOC, "value: 50", "value: .inf"),
        r"value: not a finite number: '\.inf'",
    ),
    Case("value-nan", lambda r: edit(r, DOC, "value: 50", "value: nan"), r"value: .*finite"),
    Case(
        "range-to-infinity",
        lambda r: edit(r, DOC, "value: 50", "value: [1, .inf]"),
        r"value\[1\]: not a finite number",
    ),
    Case(
        "rank-infinity",
        lambda r: edit(r, DOC, "value: 50\n        unit: factories", "value: .inf\n        unit: rank"),
        r"value: not a finite number",
    ),
    Case(
        "rank-fraction",
        lambda r: edit(r, DOC, "value: 50\n        unit: factories", "value: 2.5\n        unit: rank"),
        r"value: a rank is a whole number",
    ),
    Case(
        "int-400-digits",
        lambda r: edit(r, DOC, "value: 50", "value: " + "9" * 400),
        r"value: number too large",
    ),
    Case(
        "int-5000-digits",
        lambda r: edit(r, DOC, "value: 50", "value: " + "9" * 5_000),
        r"value: number too large",
    ),
    Case(
        "subnormal", lambda r: edit(r, DOC, "value: 50", "value: 5.0e-324"), r"value: .* outside the bounds"
    ),
    Case(
        "huge-value", lambda r: edit(r, DOC, "value: 50", "value: 1.0e+300"), r"value: .* outside the bounds"
    ),
    Case(
        "tile-huge",
        lambda r: write(
            r,
            TAX,
            re.sub(r"tile: \[\d+, ", "tile: [99999999999, ", (r / "content" / TAX).read_text(), count=1),
        ),
        r"taxonomy\.yaml:\d+: jurisdictions\[\d+\]\.tile\[0\]: Input should be less than or equal to 99",
    ),
    Case(
        "year-out-of-range",
        lambda r: edit(r, DOC, "period: {start: 2024, end: 2026}", "period: {start: 2024, end: 99999}"),
        r"period\.end: .*2100",
    ),
    Case(
        "unknown-citation-in-document",
        lambda r: append_body(r, DOC, "\nSee [@also-not-an-id].\n"),
        r"fixture-alpha\.md:\d+: summary: citation \[@also-not-an-id\] names no",
    ),
    Case(
        "unknown-citation-in-key-point",
        lambda r: edit(r, DOC, "  - One Jinan firm", "  - See [@nope-id]. One Jinan firm"),
        r"key_points\[2\]: citation \[@nope-id\]",
    ),
    Case(
        "escape-in-id",
        lambda r: edit(r, DOC, "id: fixture-alpha", 'id: "fixture\\e[31m-alpha"'),
        r"\\x1b\[31m",
    ),
    Case(
        "two-documents-in-one",
        lambda r: append_body(r, TAX, "---\nx: 1\n"),
        r"taxonomy\.yaml:\d+: only one YAML document",
    ),
    Case("document-fifo", _fifo(DOC), r"fixture-alpha\.md: is a FIFO", line=False),
    Case("brief-fifo", _fifo(BRIEF), r"fixture-brief\.md: is a FIFO", line=False),
    Case(
        "document-symlink-out",
        lambda r: replace_with_symlink(r, DOC, r.parent / "outside" / "secret.md"),
        r"fixture-alpha\.md: a symlink leading outside",
        line=False,
    ),
    Case(
        "documents-folder-symlink-out",
        lambda r: replace_with_symlink(r, "documents", r.parent / "outside"),
        r"content/documents: a symlink leading outside",
        line=False,
    ),
    Case(
        "taxonomy-symlink-out",
        lambda r: replace_with_symlink(r, TAX, r.parent / "outside" / "taxonomy.yaml"),
        r"taxonomy\.yaml: a symlink leading outside",
        line=False,
    ),
    Case(
        "document-symlink-dev-zero",
        lambda r: replace_with_symlink(r, DOC, Path("/dev/zero")),
        r"fixture-alpha\.md: a symlink leading outside",
        line=False,
    ),
    Case("sparse-2gb", _sparse, r"fixture-alpha\.md: [\d,]+ bytes is larger than the limit", line=False),
    Case(
        "invalid-utf8",
        lambda r: write(
            r, DOC, (r / "content" / DOC).read_bytes().replace(b"Test Wire", b"Test \xff\xfe Wire")
        ),
        r"fixture-alpha\.md: is not UTF-8 text: byte [\d,]+ \(line 4\)",
        line=False,
    ),
    Case(
        "utf16-bom",
        lambda r: write(r, DOC, (r / "content" / DOC).read_text().encode("utf-16")),
        r"is UTF-16 text",
        line=False,
    ),
    Case(
        "nul-byte",
        lambda r: edit(r, DOC, "outlet: Test Wire", "outlet: Test\0Wire"),
        r"holds a NUL byte \(line 4\)",
        line=False,
    ),
    Case("source-dotdot", _source("../../etc/passwd"), r"source\.file: '\.\./\.\./etc/passwd' is a path"),
    Case("source-absolute", _source("/etc/passwd"), r"source\.file: '/etc/passwd' is a path"),
    Case(
        "source-binary",
        _source_dir,
        r"source\.file: source file 'fixture-alpha\.txt' is not UTF-8 text",
        command=("check", "--sources", "sources"),
    ),
    Case(
        "source-symlink-out",
        _sources_symlink,
        r"source\.file: source file 'fixture-alpha\.txt' a symlink leading outside",
        command=("check", "--sources", "sources"),
    ),
    Case(
        "source-dir-fifo",
        lambda r: (
            _source_dir(r),
            (r / "sources" / "fixture-alpha.txt").unlink(),
            os.mkfifo(r / "sources" / "fixture-alpha.txt"),
        ),
        r"source file 'fixture-alpha\.txt' is a FIFO",
        command=("check", "--sources", "sources"),
    ),
    Case(
        "id-dotdot",
        lambda r: edit(r, DOC, "  - id: alpha-smart-factory-pilot", "  - id: ../../etc"),
        r"measures\[0\]\.id: String should match pattern",
    ),
    Case(
        "brief-takes-digest-id",
        lambda r: write(
            r,
            "briefs/digest-fixture-alpha.md",
            (r / "content" / BRIEF).read_text().replace("id: fixture-brief", "id: digest-fixture-alpha"),
        ),
        r"digest-fixture-alpha\.md:2: id: ids starting with 'digest-' are kept",
    ),
    # Bodies and structures that took minutes or gigabytes.
    Case(
        "body-10mb",
        lambda r: append_body(r, BRIEF, "word " * 2_000_000),
        r"fixture-brief\.md: [\d,]+ bytes is larger than the limit",
        line=False,
    ),
    Case(
        "body-over-limit",
        lambda r: append_body(r, BRIEF, ("A sentence of plain words. " * 30 + "\n\n") * 400),
        r"fixture-brief\.md:\d+: body: [\d,]+ characters is longer than the limit",
    ),
    Case(
        "unclosed-brackets",
        lambda r: append_body(r, BRIEF, "[" * 100_000),
        r"body: more than 16 unclosed '\['",
    ),
    Case("unclosed-links", lambda r: append_body(r, BRIEF, "[a](" * 20_000), r"body: more than 16 unclosed"),
    Case(
        "unclosed-tags",
        lambda r: append_body(r, BRIEF, "<a " * 20_000),
        r"body: more than 16 unclosed '<' tags",
    ),
    Case(
        "brackets-in-key-message",
        lambda r: edit(r, BRIEF, "  - Gaps mean", "  - '" + "[" * 5_000 + "' # Gaps mean"),
        r"key_messages\[2\]: more than 16 unclosed",
    ),
    Case(
        "nested-html",
        lambda r: append_body(r, BRIEF, "<div>" * 50_000),
        r"body: raw HTML nested more than 16",
    ),
    Case(
        "nested-lists",
        lambda r: append_body(r, BRIEF, "\n" + "".join("  " * i + "- x\n" for i in range(100))),
        r"body: indented \d+ columns",
    ),
    Case(
        "nested-quotes", lambda r: append_body(r, BRIEF, "\n" + "> " * 10_000 + "x\n"), r"body: quotes nested"
    ),
    Case(
        "backtick-runs",
        lambda r: append_body(r, BRIEF, "\n" + "`" * 5_000 + "\n"),
        r"body: a run of 5000 backticks",
    ),
    Case(
        "views-10000",
        lambda r: append_body(r, BRIEF, "\n::view matrix\n" * 10_000),
        r"fixture-brief\.md:\d+: body: 100\d\d views placed; a brief places at most 24",
    ),
    Case(
        "table-5000-rows",
        lambda r: append_body(r, BRIEF, "\n| a | b |\n| --- | --- |\n" + "| x | 1 |\n" * 5_000),
        r"body: a table of more than 1,000 rows",
    ),
    # Links that would be live in the PDF or the page.
    Case(
        "url-javascript",
        lambda r: edit(r, DOC, FIXTURE_URL, '"javascript:alert(1)"'),
        r"url: a URL with 'javascript:'",
    ),
    Case(
        "url-data",
        lambda r: edit(r, DOC, FIXTURE_URL, '"data:text/html;base64,PHNjcmlwdD4="'),
        r"url: a URL with 'data:'",
    ),
    Case(
        "url-file",
        lambda r: edit(r, DOC, FIXTURE_URL, "file:///etc/passwd"),
        r"url: a URL with 'file:'",
    ),
    Case(
        "bidi-override-escaped-in-a-title",
        lambda r: edit(r, DOC, "outlet: Test Wire", 'outlet: "Test \\u202eeriW"'),
        r"outlet: bidirectional control character U\+202E \(right-to-left override\)",
    ),
    Case(
        "bidi-isolate-in-a-body",
        lambda r: edit(r, BRIEF, "## Differences and gaps", "## Differences and gaps\n\nA \u2067x\u2069 y"),
        r"body: bidirectional control character U\+2067",
    ),
    Case(
        "bidi-override-in-a-taxonomy-name",
        lambda r: edit(r, TAX, "name: Shandong\n", 'name: "Shan\u202edong"\n'),
        r"name: bidirectional control character U\+202E",
    ),
    Case(
        "url-control",
        lambda r: edit(r, DOC, FIXTURE_URL, '"https://example.org/\\u202e"'),
        r"url: a URL with spaces, control or invisible",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_is_a_clear_error(project: Path, case: Case) -> None:
    case.make(project)
    before = tree_digest(project / "output")
    run = run_cli(list(case.command), project)
    assert run.code == 1, (run.code, run.stderr[-2000:])
    assert re.search(case.message, run.stderr), run.stderr[-2000:]
    shape = WITH_LINE if case.line else FILE_LEVEL
    assert shape.search(run.stderr), run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert "\x1b" not in run.stderr + run.stdout, "raw escape character reached the terminal"
    assert CANARY not in run.stderr + run.stdout
    assert run.seconds < WALL_SECONDS and run.peak_rss < PEAK_RSS, (run.seconds, run.peak_rss)
    assert tree_digest(project / "output") == before, "a failed build changed output/"


# --------------------------------------------------------------------------- safe builds


class _Listener(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(f"{CANARY} from the network".encode())

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[str]:
    """A local HTTP server that records every request: content must make none."""
    _Listener.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Listener)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _attacks(net: str, canary_file: Path) -> str:
    """Markdown and raw HTML aiming at script, network and local files."""
    file_url = canary_file.as_uri()
    return "\n\n".join(
        [
            "<script>alert(document.cookie)</script>",
            f'<img src="{net}/img.png"> <img src="{file_url}">',
            f"![pixel]({net}/pixel.png) ![local]({file_url})",
            "[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=)",
            f"[file]({file_url}) [rel](../../../outside/secret.md)",
            f'<a href="javascript:alert(2)" onclick="alert(3)">a</a> <a href="{file_url}">b</a>',
            f"<style>@import url({net}/style.css); body {{ background: url({file_url}) }}</style>",
            f'<iframe src="{net}/frame"></iframe><object data="{file_url}"></object>',
            f'<svg onload="alert(4)"><image href="{net}/svg.png"/></svg>',
            f'<link rel="stylesheet" href="{net}/link.css"><meta http-equiv="refresh" content="0;url={net}/meta">',
            f'<div style="background: url({net}/div.png)">styled</div>',
            f'<form action="{net}/form"><input name="x"></form>',
            "Zero\u200bwidth and joiner\u2060 and <!-- comment --> text.",
            "{{ site.publisher }} {% raw %} jinja is text",
        ]
    )


# Unquoted one-line values of the fields that are shown as text (ids, codes, enums, dates
# and anchors, which are checked against patterns or the source, are left alone).
_FREE_TEXT = re.compile(
    r"^(\s*(?:- )?)(title|subtitle|summary|audience|text|description|plan|name|label|type|note|reason)"
    r": ([^\"'{\[\n][^\n]*)$",
    re.M,
)


def _hostile_corpus(root: Path, net: str) -> None:
    canary_file = root.parent / "outside" / "secret.md"
    title = "title: Synthetic article on smart factories and demonstration parks"
    edit(root, DOC, title, f'title: "=HYPERLINK(\\"{net}/t\\") Synthetic article\u200b on factories"')
    edit(root, DOC, "outlet: Test Wire", f'outlet: "@SUM(1+1) <script>alert(1)</script> {net}/outlet"')
    edit(root, DOC, "    title: National smart-factory pilot", "    title: \"=cmd|' /C calc'!A0\"")
    edit(root, DOC, "counts: smart factories selected", 'counts: "+1+1 <img src=x onerror=alert(1)>"')
    edit(root, DOC, "unit: factories", 'unit: "-factories $x^2$ \\\\frac{1}{2}"')
    edit(
        root,
        DOC,
        "detail: manufacturing enterprises}",
        'detail: "\\tmanufacturing [x](javascript:alert(1))"}',
    )
    edit(root, DOC, "  - One Jinan firm", '  - "<script>alert(document.domain)</script> One Jinan firm')
    edit(root, DOC, "reports higher output per worker.", 'reports higher output per worker."')
    edit(root, TAX, "name: Shandong\n", 'name: "Shan$dong $\\\\sqrt{x}$ @x"\n')
    # Every other free-text field gets markup, script and file and network references.
    payload = (
        f" <img src='{net}/f.png' onerror='alert()'> <script>alert()</script>"
        f" [j](javascript:alert()) [f]({canary_file.as_uri()}) <a href='{net}/a'>a</a> $\\\\alpha$"
    )
    for rel in (DOC, BRIEF, TAX):
        path = root / "content" / rel
        text = re.sub(
            _FREE_TEXT, lambda m: f'{m.group(1)}{m.group(2)}: "{m.group(3)}{payload}"', path.read_text()
        )
        path.write_text(text, encoding="utf-8")
    attacks = _attacks(net, canary_file)
    append_body(root, DOC, "\n" + attacks + "\n")
    # A brief's figures need citations: every paragraph of attacks cites the document.
    append_body(root, BRIEF, "\n" + attacks.replace("\n\n", " [@fixture-alpha]\n\n") + " [@fixture-alpha]\n")
    # CRLF line endings are text too.
    brief = root / "content" / BRIEF
    brief.write_bytes(brief.read_bytes().replace(b"\n", b"\r\n"))


_ACTIVE_TAGS = {"script", "iframe", "object", "embed", "form", "input", "frame", "applet", "base"}


class _ActiveContent(HTMLParser):
    """Collects what would run, load or navigate in a page or an SVG: active elements, event
    handlers, URLs with a scheme outside the allow-list, external stylesheets and CSS urls."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _ACTIVE_TAGS:
            self.found.append(f"<{tag}>")
        self.in_style = tag == "style"
        for name, value in attrs:
            value = (value or "").strip()
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            links = ("href", "src", "xlink:href", "action", "data", "formaction")
            scheme = re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I)
            allowed = tag == "a" and re.match(r"^(https?:|mailto:)", value, re.I)
            if name in links and scheme and not allowed:
                self.found.append(f"{tag} {name}={value[:60]}")
            if name == "style" and re.search(r"url\((?!#)|expression|@import", value, re.I):
                self.found.append(f"{tag} style={value[:60]}")
            if tag == "meta" and name == "http-equiv":
                self.found.append("meta http-equiv")

    def handle_data(self, data: str) -> None:
        if self.in_style and re.search(r"@import|url\((?!#)|expression", data, re.I):
            self.found.append("style sheet loading something")

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False


def _active(text: str) -> list[str]:
    parser = _ActiveContent()
    parser.feed(text)
    parser.close()
    return parser.found


def _check_outputs(out: Path, net: str, listener_hits: list[str]) -> None:
    assert listener_hits == [], f"the build made requests: {listener_hits}"
    files = [p for p in sorted(out.rglob("*")) if p.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        assert CANARY.encode() not in data, f"canary content in {path}"
        if path.suffix in (".html", ".svg"):
            text = data.decode()
            assert _active(text) == [], f"{path.name}: {_active(text)}"
        elif path.suffix == ".csv":
            import csv

            for row in csv.reader(data.decode().splitlines()):
                for cell in row:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or _number(cell), (
                        path.name,
                        cell,
                    )
        elif path.suffix == ".json":
            json.loads(data, parse_constant=_refuse_constant)
        elif path.suffix == ".pdf":
            _check_pdf(path, net)


def _refuse_constant(constant: str) -> None:
    raise AssertionError(f"non-standard JSON constant {constant}")


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _check_pdf(path: Path, net: str) -> None:
    from pypdf import PdfReader

    reader = PdfReader(path)
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert CANARY not in text
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is None:
                continue
            action = action.get_object()
            assert action.get("/S") in ("/URI", "/GoTo", None), action
            uri = str(action.get("/URI", ""))
            assert not uri or re.match(r"^(https?://|mailto:)", uri), f"{path.name}: live link {uri}"
    catalog = reader.trailer["/Root"]
    assert "/OpenAction" not in catalog and "/AA" not in catalog
    names = catalog.get("/Names")
    assert names is None or "/JavaScript" not in names.get_object()


@pytest.mark.slow
def test_hostile_strings_build_safely(project: Path, listener: str) -> None:
    """Attacks in every rendered field build, with nothing active and nothing from outside."""
    _hostile_corpus(project, listener)
    run = run_cli(["build"], project)
    assert run.code == 0, run.stderr[-3000:]
    assert run.seconds < 3 * WALL_SECONDS and run.peak_rss < 2 * PEAK_RSS, (run.seconds, run.peak_rss)
    assert "\x1b" not in run.stderr + run.stdout
    out = project / "output"
    _check_outputs(out, listener, _Listener.hits)
    # What the analyst wrote is shown as text: the '$' reached the chart as written.
    svgs = "".join(p.read_text() for p in out.rglob("*.svg"))
    assert "Shan$dong" in svgs and "Shan\\$dong" not in svgs
    page = (out / "briefs" / "fixture-brief" / "index.html").read_text()
    assert "{{ site.publisher }} {% raw %} jinja is text" in page
    rows = (out / "briefs" / "fixture-brief" / "data" / "fixture-brief-measures.csv").read_text()
    assert "'=cmd|' /C calc'!A0" in rows


def test_terminal_output_is_escaped(project: Path) -> None:
    edit(project, DOC, "id: fixture-alpha", 'id: "fixture-alpha\\e]0;pwned\\a\\u202e"')
    run = run_cli(["check"], project)
    assert run.code == 1
    assert "\x1b" not in run.stderr and "\x07" not in run.stderr and "\u202e" not in run.stderr
    assert "\\x1b]0;pwned\\x07\\u202e" in run.stderr


def test_internal_error_is_reported_as_one(project: Path) -> None:
    """A bug is never passed off as a content error, and shows no traceback unless asked."""
    # A template that fails at render time: the project's templates/ overrides the theme's.
    theme = ROOT / "src" / "policybrief" / "theme"
    for path in theme.glob("*.html"):
        (project / "templates" / path.name).write_text("{{ 1 // 0 }}")
    run = run_cli(["build", "--no-pdf"], project)
    assert run.code == 5, run.stderr
    assert "Traceback" not in run.stderr
    if run.code == 5:
        assert "internal error, please report: " in run.stderr
        verbose = run_cli(["build", "--no-pdf", "--verbose"], project)
        assert "Traceback" in verbose.stderr


def test_crlf_and_bom_content_is_read(project: Path) -> None:
    for rel in (DOC, BRIEF, TAX):
        path = project / "content" / rel
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    run = run_cli(["check"], project)
    assert run.code == 0, run.stderr


def test_serve_is_loopback_only() -> None:
    from policybrief import serve

    assert serve.HOST == "127.0.0.1"


@pytest.mark.parametrize(
    ("target", "status"),
    [
        ("/%00/etc/passwd", 400),
        ("/index.html%00.css", 400),
        ("/../../etc/passwd", 404),
        ("/%2e%2e/%2e%2e/etc/passwd", 404),
        ("/%252e%252e/etc/passwd", 404),
        ("/briefs/..%2f..%2fetc/passwd", 404),
        ("//etc/passwd", 404),  # http.server itself reads a leading '//' as '/'
        ("http://example.org/index.html", 400),
        ("/..\\..\\etc\\passwd", 400),
        ("/" + "a" * 5000, 414),
        ("/%ff%fe", 400),
    ],
)
def test_serve_refuses_paths_outside_output(tmp_path: Path, target: str, status: int) -> None:
    code, body = _serve_request(tmp_path, target)
    assert code == status, body[:200]
    assert b"root:" not in body


def _serve_request(tmp_path: Path, target: str) -> tuple[int, bytes]:
    from policybrief.serve import Site, _Server, make_handler

    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    (out / "index.html").write_text("<body>home</body>")
    server = _Server(("127.0.0.1", 0), make_handler(Site(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with socket.create_connection(server.server_address, timeout=5) as sock:
            sock.sendall(f"GET {target} HTTP/1.0\r\nHost: x\r\n\r\n".encode("latin-1"))
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
    finally:
        server.shutdown()
        server.server_close()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_serve_survives_a_client_that_disconnects(tmp_path: Path) -> None:
    from policybrief.serve import Site, _Server, make_handler

    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("<body>" + "x" * 5_000_000 + "</body>")
    server = _Server(("127.0.0.1", 0), make_handler(Site(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for _ in range(5):
            sock = socket.create_connection(server.server_address, timeout=5)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
            sock.sendall(b"GET /index.html HTTP/1.0\r\n\r\n")
            sock.recv(100)
            # Reset rather than close politely: the server is mid-write.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            sock.close()
        code, body = _get(server.server_address, "/index.html")
        assert code == 200 and len(body) > 5_000_000 and body.endswith(b"</body>")
        assert thread.is_alive()
    finally:
        server.shutdown()
        server.server_close()


def _get(address: tuple[str, int], target: str) -> tuple[int, bytes]:
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.0\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(1 << 20):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body
