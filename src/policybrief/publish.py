"""Publish stage: assemble the new output/ in a staging folder, then swap it into place.

The swap is one atomic step on Linux (renameat2 with RENAME_EXCHANGE): at every instant
output/ is either the previous complete build or the new complete one, even if the process
is killed with SIGKILL. Elsewhere it falls back to two renames, and a later build restores
the previous output if a crash fell between them. Every file is flushed to disk before the
swap, so that a power cut cannot expose a new output/ with empty files either.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import errno
import json
import os
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.json"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass(frozen=True)
class Unchanged:
    """A file of the current output/ that the new one keeps as it is: hard-linked into the
    new tree (no copy, and already on disk), copied where links are not possible."""

    path: Path


def publish(output: Path, files: Mapping[str, Path | bytes | Unchanged], manifest: bytes) -> int:
    """Make `output` hold exactly `files` (relative path -> bytes, a file to copy, or a file
    of the current output to keep) and the manifest. Returns the number of files published."""
    output.parent.mkdir(parents=True, exist_ok=True)
    recover(output)
    staging = output.parent / f".{output.name}.staging-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        staging.mkdir()
        folders = {staging}
        written = []
        for rel, source in files.items():
            target = staging / rel
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.update(f for f in target.parents if f.is_relative_to(staging))
            if isinstance(source, Unchanged):
                try:
                    os.link(source.path, target)
                    continue
                except OSError:
                    source = source.path
            if isinstance(source, bytes):
                target.write_bytes(source)
            else:
                shutil.copyfile(source, target)
            written.append(target)
        (staging / MANIFEST).write_bytes(manifest)
        # The swap must not become visible before the data it points at is on disk.
        for path in [*written, staging / MANIFEST]:
            _fsync(path)
        for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
            _fsync(folder)
        swap(staging, output)
        _fsync(output.parent)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(files) + 1


def manifest_bytes(files: Mapping[str, tuple[str, int]], edition: dt.date) -> bytes:
    """output/manifest.json for `files` (path -> (sha256, size)), paths in sorted order."""
    entries = [{"path": rel, "sha256": sha, "bytes": size} for rel, (sha, size) in sorted(files.items())]
    manifest = {"generator": "policybrief", "edition": edition.isoformat(), "files": entries}
    return (json.dumps(manifest, indent=2) + "\n").encode()


def output_signature(output: Path) -> dict[str, list[int]] | None:
    """Path -> [size, mtime in ns] of every file in output/: cheap to take, and it changes
    when anything there is added, removed, replaced or edited."""
    if not output.is_dir():
        return None
    out: dict[str, list[int]] = {}
    for folder, _dirs, names in os.walk(output):
        base = Path(folder).relative_to(output).as_posix()
        prefix = "" if base == "." else base + "/"
        for name in names:
            with contextlib.suppress(OSError):
                st = os.stat(os.path.join(folder, name), follow_symlinks=False)
                out[prefix + name] = [st.st_size, st.st_mtime_ns]
    return dict(sorted(out.items()))


def _fsync(path: Path) -> None:
    """Flush `path` to disk. A failed flush (EIO, ENOSPC) raises, so that nothing is swapped
    in on top of it; a folder the system will not open or flush (EINVAL) is passed over."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno != errno.EINVAL:
            raise
    finally:
        os.close(fd)


def _renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return None
    libc = ctypes.CDLL(libc_name, use_errno=True)
    return getattr(libc, "renameat2", None)


def swap(staging: Path, output: Path) -> None:
    """Make `staging` the new `output`; the old output ends up at `staging` (then removed)."""
    if not output.exists():
        os.rename(staging, output)
        staging.mkdir()  # keep the caller's cleanup simple
        return
    func = _renameat2()
    if func is not None:
        rc = func(_AT_FDCWD, os.fsencode(staging), _AT_FDCWD, os.fsencode(output), _RENAME_EXCHANGE)
        if rc == 0:
            return
    # Fallback: two renames, with `recover` healing a crash between them.
    old = output.parent / f".{output.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    os.rename(output, old)
    os.rename(staging, output)
    os.rename(old, staging)


def recover(output: Path) -> None:
    """Undo a fallback swap interrupted between its renames; drop stale staging folders."""
    old = output.parent / f".{output.name}.old"
    if old.exists() and not output.exists():
        os.rename(old, output)
    for stale in output.parent.glob(f".{output.name}.staging-*"):
        if not _owner_alive(stale.name.rsplit("-", 2)[-2]):
            shutil.rmtree(stale, ignore_errors=True)


def _owner_alive(pid: str) -> bool:
    """Whether the build that made a staging folder still runs (another build's folder in
    progress must not be removed from under it)."""
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
