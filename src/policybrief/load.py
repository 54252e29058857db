"""Load stage: read content/ into typed models, collecting every problem before failing.

Layout of a content folder (documented in docs/content-format.md):

    content/taxonomy.yaml          jurisdictions, actors, instruments, themes
    content/documents/<id>.md      one structured summary per source document
    content/briefs/<id>.md         one definition per brief
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel

from .corpus import Corpus
from .invisible import scan_body, scan_data
from .limits import DEFAULT_LIMITS, Limits
from .models import Brief, SourceDocument, Taxonomy
from .problems import ContentError, Problem
from .safefiles import UnsafeFile, check_folder, read_text
from .schema import validate_model
from .validate import check_corpus
from .yamlmap import Located, YamlError, parse, split_front_matter

if TYPE_CHECKING:
    from .project import ProjectSettings

M = TypeVar("M", bound=BaseModel)


def _read(path: Path, root: Path, problems: list[Problem], limits: Limits) -> str | None:
    """The file's text, if it is a regular UTF-8 text file inside the content folder within
    the size limit (policybrief.safefiles); else a problem naming the file."""
    rel = _rel(path, root)
    try:
        return read_text(path, root, limits.max_file_bytes)
    except UnsafeFile as exc:
        problems.append(Problem(rel, None, "", str(exc)))
    except OSError as exc:
        problems.append(Problem(rel, None, "", f"cannot read: {exc.strerror}"))
    return None


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _load_front_matter(
    path: Path, root: Path, model: type[M], body_field: str, problems: list[Problem], limits: Limits
) -> tuple[M, Located] | None:
    rel = _rel(path, root)
    text = _read(path, root, problems, limits)
    if text is None:
        return None
    if model is SourceDocument:
        problems.extend(_review_markers(rel, text))
    try:
        fm = split_front_matter(text, limits)
    except YamlError as exc:
        problems.append(Problem(rel, exc.line, exc.field, exc.message))
        return None
    if not isinstance(fm.meta.data, dict):
        problems.append(Problem(rel, 2, "", "front matter must be a mapping of fields"))
        return None
    leading = len(fm.body) - len(fm.body.lstrip("\n"))
    problems.extend(scan_data(fm.meta, rel))
    problems.extend(scan_body(fm.body, rel, fm.body_line, body_field))
    fm.meta.data[body_field] = fm.body.strip()
    fm.meta.lines[(body_field,)] = fm.body_line + leading - fm.meta.line_offset
    stem_ok = fm.meta.data.get("id") in (None, path.stem)
    record = validate_model(model, fm.meta, rel, problems)
    if not stem_ok:
        problems.append(
            Problem(
                rel,
                fm.meta.line_of(("id",)),
                "id",
                f"id '{fm.meta.data.get('id')}' differs from the file name '{path.stem}'",
            )
        )
        return None
    return (record, fm.meta) if record is not None else None


def _review_markers(rel: str, text: str) -> list[Problem]:
    """A drafted summary's unconfirmed guesses: each is an error until a person resolves it."""
    from .draft.markers import MARKER, find_markers

    return [
        Problem(rel, line, "review", f"{what} [confirm or correct, then delete '{MARKER}']")
        for line, what in find_markers(text)
    ]


def _files(folder: Path, root: Path, problems: list[Problem]) -> list[Path]:
    """The `*.md` files of `folder` (documents/ or briefs/), which must be a folder inside
    the content folder: a symlink to another folder would publish files from elsewhere."""
    if not folder.exists() and not folder.is_symlink():
        return []
    try:
        check_folder(folder, root)
    except UnsafeFile as exc:
        problems.append(Problem(_rel(folder, root), None, "", str(exc)))
        return []
    return sorted(folder.glob("*.md"))


def load_corpus(
    root: Path, settings: ProjectSettings | None = None, limits: Limits = DEFAULT_LIMITS
) -> Corpus:
    """Read and validate a content folder; raise ContentError listing every problem.
    `settings` are the project file's: codes are checked against its country's ISO 3166
    list, and names against its languages. `limits` bound what content may take
    (policybrief.limits, docs/threat-model.md)."""

    problems: list[Problem] = []
    root = root.resolve()
    if not root.is_dir():
        raise ContentError([Problem(str(root), None, "", "content folder not found")])

    taxonomy: Taxonomy | None = None
    origins: dict[tuple[str, str], tuple[str, Located]] = {}
    files: list[Path] = []
    tax_path = root / "taxonomy.yaml"
    tax_rel = _rel(tax_path, root)
    if not tax_path.exists() and not tax_path.is_symlink():
        problems.append(Problem(tax_rel, None, "", "taxonomy file not found"))
    else:
        files.append(tax_path)
        text = _read(tax_path, root, problems, limits)
        if text is not None:
            try:
                located = parse(text, limits=limits)
            except YamlError as exc:
                problems.append(Problem(tax_rel, exc.line, exc.field, exc.message))
            else:
                problems.extend(scan_data(located, tax_rel))
                taxonomy = validate_model(Taxonomy, located, tax_rel, problems)
                origins[("taxonomy", "")] = (tax_rel, located)

    documents: list[SourceDocument] = []
    document_files = _files(root / "documents", root, problems)
    for path in document_files:
        files.append(path)
        loaded = _load_front_matter(path, root, SourceDocument, "summary", problems, limits)
        if loaded:
            documents.append(loaded[0])
            origins[("document", loaded[0].id)] = (_rel(path, root), loaded[1])

    briefs: list[Brief] = []
    for path in _files(root / "briefs", root, problems):
        files.append(path)
        loaded_brief = _load_front_matter(path, root, Brief, "body", problems, limits)
        if loaded_brief:
            briefs.append(loaded_brief[0])
            origins[("brief", loaded_brief[0].id)] = (_rel(path, root), loaded_brief[1])

    if not documents and not problems:
        problems.append(Problem(_rel(root / "documents", root), None, "", "no documents found"))

    if taxonomy is None:
        raise ContentError(problems)
    if settings is not None:
        taxonomy = taxonomy.model_copy(update={"levels": settings.level_labels()})
    national = next((j.code for j in taxonomy.jurisdictions if j.level.value == "national"), "")
    documents = [d if d.subject else d.model_copy(update={"subject": national}) for d in documents]
    corpus = Corpus(root, taxonomy, documents, briefs, origins, files, limits)
    # When a summary failed to load, references to its ids cannot be judged: checking them
    # would bury the real error under "unknown id" reports.
    complete = len(documents) == len(document_files)
    problems.extend(check_corpus(corpus, references=complete, settings=settings))
    if any(p.severity == "error" for p in problems):
        raise ContentError(problems)
    corpus.warnings = sorted(problems)
    return corpus
