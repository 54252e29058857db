"""The output state: what output/ holds, what the last build saved about it, and the files
of the new output/ (which come from the cache, which are kept as they are).

The saved state of the last successful build (per content, output and options) is what lets
a build with nothing changed stop early, and a build with little changed keep most files of
output/ as they are (hard links, not copies).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import Cache, file_sha, sha256
from ..options import Options
from ..problems import Problem
from ..publish import MANIFEST, Unchanged, output_signature
from .entry import ProductEntry
from .keys import Inputs, state_name
from .result import BuildResult

if TYPE_CHECKING:
    from ..models import Brief

_PRUNE_EVERY = 86400.0  # seconds between cache clean-ups

#: Where a file of the new output/ comes from: a blob in the cache, or a file of the current
#: output/ kept as it is.
Source = Path | Unchanged


@dataclass
class BuildState:
    """What the last successful build saved (in the cache, as `state/<name>.json`)."""

    fingerprint: str  # keys.Inputs.fingerprint
    manifest: str  # sha256 of the manifest.json it published
    outputs: dict[str, list[int]] | None  # publish.output_signature of output/ after it
    costs: dict[str, float] = field(default_factory=dict)  # product -> render seconds
    entries: dict[str, str] = field(default_factory=dict)  # product -> its cache key
    products: list[str] = field(default_factory=list)
    files: int = 0
    warnings: list[Problem] = field(default_factory=list)
    unchecked_anchors: int = 0
    kinds: dict[str, str] = field(default_factory=dict)  # product -> its kind

    def to_payload(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "manifest": self.manifest,
            "outputs": self.outputs,
            "costs": dict(sorted(self.costs.items())),
            # Which cache entry holds each product (the benchmark reads the print pages).
            "entries": dict(sorted(self.entries.items())),
            "result": {
                "products": self.products,
                "files": self.files,
                "warnings": [[p.path, p.line, p.field, p.message, p.severity] for p in self.warnings],
                "unchecked_anchors": self.unchecked_anchors,
                "kinds": dict(sorted(self.kinds.items())),
            },
        }

    @classmethod
    def load(cls, cache: Cache, options: Options) -> BuildState | None:
        payload = cache.get_state(state_name(options))
        if payload is None:
            return None
        try:
            result = payload["result"]
            return cls(
                fingerprint=payload["fingerprint"],
                manifest=payload["manifest"],
                outputs=payload["outputs"],
                costs={str(k): float(v) for k, v in payload["costs"].items()},
                entries=dict(payload["entries"]),
                products=list(result["products"]),
                files=int(result["files"]),
                warnings=[Problem(*p) for p in result["warnings"]],
                unchecked_anchors=int(result["unchecked_anchors"]),
                kinds={str(k): str(v) for k, v in result.get("kinds", {}).items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # an older or damaged layout: as if there were none

    def save(self, cache: Cache, options: Options) -> None:
        cache.put_state(state_name(options), self.to_payload())


def unchanged(options: Options, state: BuildState) -> BuildResult | None:
    """The last build's result, if output/ still holds exactly what it published."""
    if output_signature(options.output) != state.outputs:
        return None
    return BuildResult(
        options.output,
        built=[],
        reused=list(state.products),
        files=state.files,
        warnings=list(state.warnings),
        unchecked_anchors=state.unchecked_anchors,
        published=False,
        kinds=dict(state.kinds),
    )


def current_output(options: Options, state: BuildState | None) -> dict[str, str]:
    """Path -> sha256 of the files in output/, if it is exactly what the last build published
    (same names, sizes and modification times as recorded then); else nothing."""
    if state is None or output_signature(options.output) != state.outputs:
        return {}
    try:
        data = (options.output / MANIFEST).read_bytes()
        if sha256(data) != state.manifest:
            return {}
        return {f["path"]: f["sha256"] for f in json.loads(data)["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def output_files(
    options: Options,
    wanted: list[Brief],
    entries: dict[str, ProductEntry],
    index: ProductEntry,
    cache: Cache,
    current: dict[str, str],
) -> tuple[dict[str, tuple[str, int, Source]], bool]:
    """Every file of the new output/: path -> (sha256, size, where it comes from: a file of
    the current output/ kept as it is, or a blob); and whether some come from the current
    output/ beyond that (--only keeps the other briefs)."""
    files: dict[str, tuple[str, int, Source]] = {}
    for entry in [*(entries[b.id] for b in wanted), index]:
        for rel, (sha, size) in entry.files.items():
            same = current.get(rel) == sha
            files[rel] = (sha, size, Unchanged(options.output / rel) if same else cache.blob_path(sha))
    kept = False
    if options.only and options.output.is_dir():
        owned = tuple(f"briefs/{b.id}/" for b in wanted)
        for path in sorted(options.output.rglob("*")):
            rel = path.relative_to(options.output).as_posix()
            if path.is_file() and rel != MANIFEST and rel not in files and not rel.startswith(owned):
                files[rel] = (current.get(rel) or file_sha(path), path.stat().st_size, Unchanged(path))
                kept = True
    return dict(sorted(files.items())), kept


def save_state(
    options: Options,
    cache: Cache,
    inputs: Inputs,
    result: BuildResult,
    products: list[Brief],
    costs: dict[str, float],
    entries: dict[str, ProductEntry],
    keys: dict[str, str],
    manifest: bytes,
) -> None:
    """Record this build (for the next one's early stop and kept files); prune the cache
    once a day."""
    costs = dict(costs)
    for brief_id in result.built:
        costs[brief_id] = entries[brief_id].seconds
    known = {b.id for b in products}
    BuildState(
        fingerprint=inputs.fingerprint,
        manifest=sha256(manifest),
        outputs=output_signature(options.output),
        costs={k: v for k, v in costs.items() if k in known},
        entries=keys,
        products=[*result.built, *result.reused],
        files=result.files,
        warnings=result.warnings,
        unchecked_anchors=result.unchecked_anchors,
        kinds=result.kinds,
    ).save(cache, options)
    stamp = cache.root / "pruned"
    try:
        due = time.time() - stamp.stat().st_mtime > _PRUNE_EVERY
    except OSError:
        due = True
    if due:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
        cache.prune()
