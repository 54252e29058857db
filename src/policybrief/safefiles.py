"""Read only the project's own files: regular files inside a folder, within a size limit.

Content and source files are named by whoever wrote the content. Before a file is opened we
check, with `lstat`/`stat` on its resolved path, that it lies inside its folder (no symlink
leading out, no `..`, no absolute name) and that it is a regular file: a FIFO would block the
build forever and a device (`/dev/zero`) would never end. The file is then opened with
O_NONBLOCK and O_NOFOLLOW, checked again with `fstat` (the path could have been swapped in
between), and read to at most the size limit plus one byte, so a file that grows or lies
about its size still cannot take more memory than the limit.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path, PurePosixPath

_KINDS = [
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
]


class UnsafeFile(Exception):
    """A file that is not the project's own regular text file; the message says why."""


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def inside(path: Path, folder: Path) -> Path:
    """The resolved `path`, if it lies inside the resolved `folder`; else UnsafeFile."""
    real_folder = folder.resolve()
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise UnsafeFile("not found") from None
    except (OSError, RuntimeError) as exc:  # a symlink loop, a name too long
        raise UnsafeFile(f"cannot be resolved ({exc.__class__.__name__})") from None
    if real != real_folder and not real.is_relative_to(real_folder):
        what = "a symlink" if path.is_symlink() or path != path.absolute() else "a path"
        raise UnsafeFile(
            f"{what} leading outside {folder.name}/ (to {real}): only the project's own files are read"
        )
    return real


def check_folder(folder: Path, root: Path) -> Path:
    """`folder` resolved, if it is a folder inside `root` (e.g. content/documents)."""
    real = inside(folder, root)
    mode = os.stat(real).st_mode
    if not stat.S_ISDIR(mode):
        raise UnsafeFile(f"is {_kind(mode)}, not a folder")
    return real


def read_bytes(path: Path, root: Path, limit: int) -> bytes:
    """The bytes of `path`, a regular file inside `root` of at most `limit` bytes."""
    real = inside(path, root)
    st = os.stat(real)
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeFile(f"is {_kind(st.st_mode)}, not a regular file: it is not read")
    if st.st_size > limit:
        raise UnsafeFile(f"{st.st_size:,} bytes is larger than the limit of {limit:,} bytes")
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UnsafeFile(f"cannot be opened ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):  # swapped after the check above
            raise UnsafeFile(f"is {_kind(st.st_mode)}, not a regular file: it is not read")
        data = f.read(limit + 1)
    if len(data) > limit:
        raise UnsafeFile(f"larger than the limit of {limit:,} bytes")
    return data


def read_text(path: Path, root: Path, limit: int) -> str:
    """`read_bytes` decoded as UTF-8 text (a byte-order mark is dropped). Text with NUL
    bytes, or that does not decode, is not text: UnsafeFile names the first bad byte."""
    data = read_bytes(path, root, limit)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsafeFile("is UTF-16 text (it starts with a UTF-16 byte-order mark): save it as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UnsafeFile(f"is not UTF-8 text: byte {exc.start:,} (line {line}) cannot be decoded") from None
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise UnsafeFile(f"is not text: it holds a NUL byte (line {line})")
    return text


def sha256(path: Path, root: Path, limit: int) -> str:
    return hashlib.sha256(read_bytes(path, root, limit)).hexdigest()


def fingerprint(path: Path, root: Path, limit: int) -> str:
    """The SHA-256 of a readable content file; for one the loader will refuse (a FIFO, a
    symlink out, a file over the limit) a description built from `lstat` alone, without
    opening or reading it. The build's "nothing changed" check hashes every content file
    before loading: this keeps that step bounded too (a sparse 2 GB file took 16 s to hash),
    and still changes the fingerprint, so the loader gets to report the problem."""
    try:
        return sha256(path, root, limit)
    except (UnsafeFile, OSError) as exc:
        try:
            st = os.lstat(path)
            stamp = f"{stat.S_IFMT(st.st_mode)}:{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            stamp = "missing"
        return f"unread:{stamp}:{exc}"


def plain_name(name: str) -> str | None:
    """Why `name` is not a plain file name (no folder, no `..`, not absolute, no control
    characters), or None if it is one."""
    if not name or name in (".", ".."):
        return "is empty or a folder name"
    if "\0" in name or any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "holds control characters"
    if "/" in name or "\\" in name or PurePosixPath(name).is_absolute():
        return "is a path, not a plain file name in the sources folder"
    return None


__all__ = [
    "UnsafeFile",
    "check_folder",
    "fingerprint",
    "inside",
    "plain_name",
    "read_bytes",
    "read_text",
    "sha256",
]
