"""Publish stage: write every rendered file to a staging folder, then swap it into output/.

The swap is one atomic step on Linux (renameat2 with RENAME_EXCHANGE): at every instant
output/ is either the previous complete build or the new complete one, even if the process
is killed with SIGKILL. Elsewhere it falls back to two renames, and a later build restores
the previous output if a crash fell between them.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

from .products import ProductFiles

MANIFEST = "manifest.json"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def publish(
    options,
    products: Iterable[ProductFiles],
    index: ProductFiles,
    *,  # type: ignore[no-untyped-def]
    keep_others: bool,
    edition: dt.date,
) -> int:
    output: Path = options.output
    output.parent.mkdir(parents=True, exist_ok=True)
    recover(output)
    staging = output.parent / f".{output.name}.staging-{uuid.uuid4().hex[:8]}"
    try:
        staging.mkdir()
        if keep_others and output.is_dir():
            _copy_tree(output, staging)
        for product in [*products, index]:
            if product.brief_id != "index":
                # A product owns its folder: remove what an earlier build left there.
                shutil.rmtree(staging / "briefs" / product.brief_id, ignore_errors=True)
            for rel, data in product.files.items():
                _write(staging / rel, data)
        count = write_manifest(staging, edition)
        _fsync_tree(staging)
        swap(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return count


def write_manifest(folder: Path, edition: dt.date) -> int:
    entries = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST):
        data = path.read_bytes()
        entries.append(
            {
                "path": path.relative_to(folder).as_posix(),
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
            }
        )
    manifest = {"generator": "policybrief", "edition": edition.isoformat(), "files": entries}
    _write(folder / MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode())
    return len(entries) + 1


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _copy_tree(src: Path, dst: Path) -> None:
    for path in src.rglob("*"):
        target = dst / path.relative_to(src)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def _fsync_tree(folder: Path) -> None:
    # The swap must not become visible before the data it points at is on disk.
    for path in folder.rglob("*"):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
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
        with contextlib.suppress(OSError):
            shutil.rmtree(stale)
