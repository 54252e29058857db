"""Draft one source into a project: extract, propose, write; nothing written on any error.

Order matters for "nothing written": every check that can fail (the id, an existing summary,
the source's format and text, the taxonomy, the language model) runs before the first byte is
written, and the two files are written atomically (temporary file, then rename).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..models import Taxonomy
from . import DraftError
from .extract import extract
from .propose import Proposal, propose
from .write import render, slug

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class DraftResult:
    summary: Path
    source: Path
    source_reused: bool
    proposal: Proposal
    markers: int
    warnings: list[str]


def load_taxonomy(content: Path) -> Taxonomy:
    """The taxonomy alone: other summaries may still be under review and fail `check`."""
    from pydantic import ValidationError

    from ..yamlmap import YamlError, parse

    path = content / "taxonomy.yaml"
    try:
        located = parse(path.read_text(encoding="utf-8"))
        return Taxonomy.model_validate(located.data)
    except FileNotFoundError:
        raise DraftError(f"{path}: taxonomy not found: run draft in a project (or give --project)") from None
    except (YamlError, ValidationError, UnicodeDecodeError, OSError) as exc:
        raise DraftError(f"{path}: the taxonomy does not load; run `policybrief check` ({exc})") from None


def default_id(source: Path) -> str:
    return slug(source.stem.replace("_", "-"), limit=60) or "source"


def draft_file(
    source: Path,
    content: Path,
    sources_dir: Path,
    doc_id: str | None = None,
    llm: object | None = None,
) -> DraftResult:
    """Draft `source` into content/documents/<id>.md and store its text in `sources_dir`.

    `llm` is an `llm.Backend` or None (rules only).
    """
    doc_id = doc_id or default_id(source)
    if not _SLUG.match(doc_id) or len(doc_id) > 80:
        raise DraftError(f"--id '{doc_id}': an id is a lowercase slug (letters, digits, single hyphens)")
    summary = content / "documents" / f"{doc_id}.md"
    if summary.exists():
        raise DraftError(
            f"{summary}: a summary with this id exists already; draft never overwrites (give --id)"
        )
    taxonomy = load_taxonomy(content)
    extracted = extract(source)

    data = extracted.raw if extracted.raw is not None else extracted.text.encode("utf-8")
    name = source.name if extracted.raw is not None else f"{source.stem}.txt"
    stored = sources_dir / name
    reused = False
    if stored.exists():
        if not stored.is_file() or stored.read_bytes() != data:
            raise DraftError(
                f"{stored}: a different file of this name is already in the sources folder; rename the source"
            )
        reused = True
    sha = hashlib.sha256(data).hexdigest()

    text = data.decode("utf-8")
    proposal = propose(text, taxonomy, extracted.title, extracted.date)
    warnings: list[str] = []
    backend = "rules"
    if llm is not None:
        from .llm import merge

        warnings = merge(llm, text, taxonomy, proposal)  # raises DraftError on a failed call
        backend = f"rules + language model {getattr(llm, 'model', '')}".strip()
    rendered = render(proposal, doc_id, name, sha, source.name, backend)

    from .markers import find_markers

    markers = sum(1 for _ in find_markers(rendered))
    if not reused:
        _writable(sources_dir)
        try:
            sources_dir.mkdir(parents=True, exist_ok=True)
            _atomic_write(stored, data)
        except OSError as exc:
            raise DraftError(
                f"{sources_dir}: cannot store the source text there ({exc.strerror}); give --sources DIR"
            ) from None
    try:
        summary.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(summary, rendered.encode("utf-8"), exclusive=True)
    except BaseException as exc:
        if not reused:
            stored.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise DraftError(f"{summary.parent}: cannot write the summary there ({exc.strerror})") from None
        raise
    return DraftResult(summary, stored, reused, proposal, markers, warnings)


def _writable(folder: Path) -> None:
    """Refuse a folder marked read-only. Permission bits do not stop root, and a shared
    corpus of sources (the example project's ../shared/seeds) is read-only on purpose."""
    existing = folder
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if existing.is_dir() and not existing.stat().st_mode & stat.S_IWUSR:
        raise DraftError(f"{existing}: the sources folder is read-only; give --sources DIR")


def _atomic_write(path: Path, data: bytes, exclusive: bool = False) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; a project's files are ordinary files
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if exclusive:
            # link() fails if the target appeared meanwhile: never overwrite a summary.
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise DraftError(
                    f"{path}: a summary with this id appeared meanwhile; nothing written"
                ) from None
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
