"""`build.py serve`: serves output/ on loopback, rebuilds on change, tells the page to reload,
and keeps serving the last good output when the content breaks."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, edit, make_project
from policybrief.serve import VERSION_PATH

PAGE = "/briefs/fixture-brief/index.html"
# Loopback only, whatever proxy the environment names.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(port: int, path: str) -> str:
    with OPENER.open(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return response.read().decode()


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> None:
    limit = time.monotonic() + seconds
    while time.monotonic() < limit:
        try:
            if condition():
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, Path, Path, subprocess.Popen[str]]]:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", content)
    project = tmp_path / "project"
    make_project(project)
    out = tmp_path / "out"
    port = free_port()
    log = (tmp_path / "serve.log").open("w+")
    process = subprocess.Popen(
        [
            *(sys.executable, str(ROOT / "build.py"), "serve", "--project", str(project)),
            *("--content", str(content), "--output", str(out), "--no-pdf", "--port", str(port)),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(lambda: "fixture" in get(port, PAGE))
        yield port, content, out, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def test_serve_rebuilds_and_reloads(
    served: tuple[int, Path, Path, subprocess.Popen[str]], tmp_path: Path
) -> None:
    port, content, out, process = served
    page = get(port, PAGE)
    assert VERSION_PATH in page and "location.reload()" in page
    assert VERSION_PATH not in (out / PAGE.lstrip("/")).read_text()  # only in the response
    assert VERSION_PATH not in get(port, "/briefs/fixture-brief/data/fixture-brief-measures.json")
    version = get(port, f"{VERSION_PATH}?page={PAGE}")
    digest_version = get(port, f"{VERSION_PATH}?page=/briefs/digest-fixture-alpha/index.html")

    edit(content / "briefs" / "fixture-brief.md", "while Shandong builds parks", "as Shandong builds parks")
    wait_for(lambda: get(port, f"{VERSION_PATH}?page={PAGE}") != version)
    assert "as Shandong builds parks" in get(port, PAGE)
    # The digest did not change: its open page is not reloaded.
    assert get(port, f"{VERSION_PATH}?page=/briefs/digest-fixture-alpha/index.html") == digest_version

    # A broken summary: the error is printed, the last good site stays up.
    version = get(port, f"{VERSION_PATH}?page={PAGE}")
    edit(content / "briefs" / "fixture-brief.md", "audience: Test readers\n", "")
    log = tmp_path / "serve.log"
    wait_for(lambda: "Not rebuilt" in log.read_text())
    assert "audience: required field is missing" in log.read_text()
    assert get(port, f"{VERSION_PATH}?page={PAGE}") == version
    assert "as Shandong builds parks" in get(port, PAGE)

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0


def test_serve_checks_anchors_against_the_sources(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """`serve` verifies anchors as `build` does (a hint told analysts to pass --sources, which
    serve did not accept); a failing anchor is a warning in a preview, not a refusal."""
    import logging

    from policybrief.options import Options
    from policybrief.serve import rebuild

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", content)
    options = Options(project=tmp_path, content=content, output=tmp_path / "out", pdf=False, jobs=1)
    with caplog.at_level(logging.INFO, logger="policybrief"):
        assert rebuild(options, FIXTURES / "sources")
    assert "evidence anchors verified against the sources" in caplog.text
    assert "not checked against sources" not in caplog.text
    edit(content / "documents" / "fixture-alpha.md", "select 50 smart factories", "select 50 smart robots")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="policybrief"):
        assert rebuild(options, FIXTURES / "sources")
    assert "anchor not found" in caplog.text
