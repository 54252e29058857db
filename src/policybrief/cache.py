"""The build cache: rendered products kept by content hash, in PROJECT/.cache/policybrief/.

Layout (all writes are atomic: a temporary file in the same folder, then a rename):

    objects/ab/<sha256>            file contents, named by their SHA-256 (content-addressed)
    entries/product/<key>.json     one rendered product: its files (path -> blob), the
                                   templates the render read, the PDF entry it used
    entries/pdf/<key>.json         one PDF: the blob of the PDF and of the print HTML it came from
    state/<name>.json              the last successful build per (content, output, options):
                                   what lets a build with nothing changed stop early

A product key is the SHA-256 of a canonical JSON document naming everything the product is a
function of, except the templates: those are known only once rendered, so the entry records
the templates the RecordingLoader saw (with their hashes) and a lookup re-hashes them. Every
entry carries a checksum of its own payload and every blob is named by its hash: a truncated
file, bad JSON or a changed byte makes the entry a miss (and the product is rendered again),
never served.

Nothing here imports the renderers: a build that finds everything in the cache loads
neither WeasyPrint nor matplotlib.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

SCHEMA = 1
CACHE_DIR = Path(".cache") / "policybrief"
_TEMPLATE_SKIP = (".", "#")  # editor swap and lock files


def cache_root(project: Path) -> Path:
    return project / CACHE_DIR


def canonical(obj: Any) -> bytes:
    """One byte string per value: sorted keys, no white space, dates as ISO strings."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key_of(obj: Any) -> str:
    return sha256(canonical(obj))


def file_sha(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def template_sha(path: Path) -> str:
    """The hash RecordingLoader records: of the decoded text (universal newlines), re-encoded."""
    return sha256(path.read_text(encoding="utf-8").encode())


# --------------------------------------------------------------------------- fingerprints


_CODE_VERSION: str | None = None
_NOT_CODE = ("theme", "scaffold")


def code_version() -> str:
    """Hash of the policybrief package's files, the Python version and the installed
    distributions (names and versions, from their .dist-info folders): a new release of
    WeasyPrint or matplotlib changes the output as surely as a change to our code."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        h = hashlib.sha256(sys.version.encode())
        package = Path(__file__).resolve().parent
        for path in sorted(package.rglob("*")):
            rel = path.relative_to(package).parts
            # The default theme is hashed file by file as templates are (a product depends on
            # the ones it read); the scaffold of `policybrief new` is no input to a build.
            if rel[0] in _NOT_CODE:
                continue
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                h.update(path.relative_to(package).as_posix().encode() + b"\0")
                h.update(path.read_bytes() + b"\0")
        dists: set[str] = set()
        for entry in sys.path:
            with contextlib.suppress(OSError):
                dists.update(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        h.update("\n".join(sorted(dists)).encode())
        _CODE_VERSION = h.hexdigest()
    return _CODE_VERSION


def fonts_fingerprint() -> str:
    """The pinned PDF fonts (policybrief.fonts.fingerprint) and the font folders they come
    from, which also hold the fonts the charts are set in."""
    from . import fonts

    h = hashlib.sha256(fonts.fingerprint().encode())
    for folder in (fonts.NOTO, fonts.NOTO_CJK):
        with contextlib.suppress(OSError):
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                with contextlib.suppress(OSError):
                    st = entry.stat()
                    h.update(f"{entry.name}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def tree_hashes(folder: Path, patterns: Iterable[str] = ("**/*",)) -> dict[str, str]:
    """Relative path -> SHA-256 of every file matching `patterns` under `folder`."""
    out: dict[str, str] = {}
    if not folder.is_dir():
        return out
    for pattern in patterns:
        for path in folder.glob(pattern):
            if path.is_file() and not path.name.startswith(_TEMPLATE_SKIP) and not path.name.endswith("~"):
                out[path.relative_to(folder).as_posix()] = file_sha(path)
    return dict(sorted(out.items()))


def content_files(content: Path) -> list[Path]:
    """Exactly the files the loader reads."""
    return [
        content / "taxonomy.yaml",
        *sorted((content / "documents").glob("*.md")),
        *sorted((content / "briefs").glob("*.md")),
    ]


# --------------------------------------------------------------------------- the store


class Cache:
    """Blobs and checksummed entries under `root`. With `read=False` (--clean) every lookup
    misses, but what is rendered is still stored for the next build."""

    def __init__(self, root: Path, *, read: bool = True) -> None:
        self.root = root
        self.read = read
        # Blobs this process wrote or read back and hashed: a PDF or chart stored by its own
        # entry and again by its product's is hashed once, not three times.
        self._known: set[str] = set()

    # ---- blobs

    def blob_path(self, digest: str) -> Path:
        return self.root / "objects" / digest[:2] / digest

    def put_blob(self, data: bytes) -> str:
        digest = sha256(data)
        if digest not in self._known and not self.has_blob(digest, len(data)):
            atomic_write(self.blob_path(digest), data)  # absent, or damaged: write it (again)
        self._known.add(digest)
        return digest

    def get_blob(self, digest: str) -> bytes | None:
        try:
            data = self.blob_path(digest).read_bytes()
        except OSError:
            return None
        return data if sha256(data) == digest else None

    def has_blob(self, digest: str, size: int) -> bool:
        """Present and intact (read and hashed: a blob is never trusted on its name alone)."""
        path = self.blob_path(digest)
        try:
            if path.stat().st_size != size:
                return False
            return file_sha(path) == digest
        except OSError:
            return False

    # ---- entries

    def _entry_path(self, kind: str, key: str) -> Path:
        return self.root / "entries" / kind / f"{key}.json"

    def put_entry(self, kind: str, key: str, payload: Mapping[str, Any]) -> None:
        body = {"schema": SCHEMA, "kind": kind, "key": key, "payload": payload}
        record = {"checksum": key_of(body), **body}
        atomic_write(self._entry_path(kind, key), canonical(record) + b"\n")

    def get_entry(self, kind: str, key: str) -> dict[str, Any] | None:
        if not self.read:
            return None
        path = self._entry_path(kind, key)
        try:
            record = json.loads(path.read_bytes())
            checksum = record.pop("checksum")
            ok = (
                checksum == key_of(record)
                and record.get("schema") == SCHEMA
                and record.get("kind") == kind
                and record.get("key") == key
                and isinstance(record.get("payload"), dict)
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            ok = False
        if not ok:
            if path.exists():
                with contextlib.suppress(OSError):
                    path.unlink()  # corrupt: drop it, the caller renders again
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # last use, for prune()
        return record["payload"]

    # ---- build states

    def get_state(self, name: str) -> dict[str, Any] | None:
        return self.get_entry("state", name)

    def put_state(self, name: str, payload: Mapping[str, Any]) -> None:
        self.put_entry("state", name, payload)

    # ---- housekeeping

    def prune(self, max_age_days: float = 30.0) -> int:
        """Drop entries unused for `max_age_days`, then blobs no remaining entry names."""
        cutoff = time.time() - max_age_days * 86400
        removed = 0
        live: set[str] = set()
        for kind_dir in (self.root / "entries").glob("*"):
            for path in kind_dir.glob("*.json"):
                try:
                    if path.stat().st_mtime < cutoff:
                        path.unlink()
                        removed += 1
                        continue
                    live.update(_blob_names(json.loads(path.read_bytes()).get("payload", {})))
                except (OSError, ValueError, AttributeError):
                    with contextlib.suppress(OSError):
                        path.unlink()
        for path in (self.root / "objects").glob("*/*"):
            with contextlib.suppress(OSError):  # another build may remove or rename it meanwhile
                if path.name not in live and path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
        return removed


def _blob_names(payload: Any) -> Iterable[str]:
    """Every blob an entry payload refers to: [sha, size] pairs and "blob" fields."""
    if isinstance(payload, dict):
        for value in payload.values():
            yield from _blob_names(value)
    elif isinstance(payload, list):
        if len(payload) == 2 and isinstance(payload[0], str) and isinstance(payload[1], int):
            yield payload[0]
        else:
            for value in payload:
                yield from _blob_names(value)


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary sibling, then rename over `path`: readers (and a build killed
    half-way) see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


__all__ = [
    "SCHEMA",
    "Cache",
    "atomic_write",
    "cache_root",
    "canonical",
    "code_version",
    "content_files",
    "file_sha",
    "fonts_fingerprint",
    "key_of",
    "sha256",
    "template_sha",
    "tree_hashes",
]
