"""Publishing: output/ is replaced as a whole, and a build killed at any moment leaves either
the old complete output or the new one, never a mix."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import FIXTURES, ROOT, edit, make_project, tree_digest
from policybrief.publish import MANIFEST, manifest_bytes, output_signature, publish, recover


def test_publish_replaces_the_whole_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    source = tmp_path / "source.txt"
    source.write_bytes(b"copied\n")
    files = {"a.txt": b"first\n", "sub/b.txt": source}
    manifest = manifest_bytes({"a.txt": (hashlib.sha256(b"first\n").hexdigest(), 6)}, dt.date(2026, 1, 2))
    assert publish(out, files, manifest) == 3
    assert tree_digest(out) == {
        "a.txt": hashlib.sha256(b"first\n").hexdigest(),
        "sub/b.txt": hashlib.sha256(b"copied\n").hexdigest(),
        MANIFEST: hashlib.sha256(manifest).hexdigest(),
    }
    publish(out, {"c.txt": b"second\n"}, manifest)
    assert sorted(tree_digest(out)) == ["c.txt", MANIFEST]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_manifest_format() -> None:
    data = manifest_bytes({"b": ("bb", 2), "a": ("aa", 1)}, dt.date(2026, 3, 4))
    assert json.loads(data) == {
        "generator": "policybrief",
        "edition": "2026-03-04",
        "files": [{"path": "a", "sha256": "aa", "bytes": 1}, {"path": "b", "sha256": "bb", "bytes": 2}],
    }
    assert data.endswith(b"}\n") and b'\n  "files": [\n' in data


def test_signature_sees_any_change(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, {"a.txt": b"1\n"}, b"{}\n")
    before = output_signature(out)
    assert output_signature(out) == before
    (out / "extra").write_text("x")
    assert output_signature(out) != before
    assert output_signature(tmp_path / "missing") is None


def test_recover_keeps_a_running_build_s_staging_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        running = tmp_path / f".out.staging-{alive.pid}-abcd1234"
        dead = tmp_path / ".out.staging-999999999-abcd1234"
        old_style = tmp_path / ".out.staging-abcd1234"
        for folder in (running, dead, old_style):
            folder.mkdir()
        recover(out)
        assert running.exists() and not dead.exists() and not old_style.exists()
    finally:
        alive.kill()
        alive.wait()


def _build(project: Path, content: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            *(sys.executable, str(ROOT / "build.py"), "--project", str(project), "--content", str(content)),
            *("--output", str(out), "--no-pdf", "-q", *extra),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill takes its workers too
    )


def _finish(process: subprocess.Popen[bytes]) -> None:
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()


def _wait_for_staging(folder: Path, build: subprocess.Popen[bytes]) -> None:
    limit = time.monotonic() + 30
    while build.poll() is None and time.monotonic() < limit:
        if any(folder.glob(".out.staging-*")):
            return
        time.sleep(0.001)


def test_sigkill_at_any_moment_leaves_old_or_new_output(tmp_path: Path) -> None:
    project = tmp_path / "project"
    make_project(project)
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(FIXTURES / "content", old)
    shutil.copytree(FIXTURES / "content", new)
    edit(new / "briefs" / "fixture-brief.md", "while Shandong builds parks", "as Shandong builds parks")
    edit(new / "documents" / "fixture-alpha.md", "A synthetic article for tests.", "An edited article.")

    out = tmp_path / "out"
    _finish(_build(project, old, out))
    old_tree = tree_digest(out)
    started = time.perf_counter()
    _finish(_build(project, new, tmp_path / "reference", "--clean"))
    duration = time.perf_counter() - started
    new_tree = tree_digest(tmp_path / "reference")
    assert old_tree != new_tree

    rng = random.Random(20261124)
    outcomes = []
    deadline = time.monotonic() + 40
    for attempt in range(10):
        if time.monotonic() > deadline:
            break
        if tree_digest(out) != old_tree:
            _finish(_build(project, old, out))
        # Odd attempts start from an empty cache and die at a random moment (mostly while
        # rendering); even ones reuse the cache and die just after publishing began, in the
        # few milliseconds around the swap.
        if attempt % 2:
            build = _build(project, new, out, "--clean")
            time.sleep(rng.uniform(0.05, duration * 1.1))
        else:
            build = _build(project, new, out)
            _wait_for_staging(tmp_path, build)
            time.sleep(rng.uniform(0, 0.03))
        os.killpg(build.pid, signal.SIGKILL)
        build.communicate()
        tree = tree_digest(out)
        assert tree in (old_tree, new_tree), f"attempt {attempt}: output/ is a mix"
        outcomes.append("new" if tree == new_tree else "old")
    assert len(outcomes) >= 5, outcomes
    # Whatever the kills left in the cache, the next build publishes the right output.
    _finish(_build(project, new, out))
    assert tree_digest(out) == new_tree
