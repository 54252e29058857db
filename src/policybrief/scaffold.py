"""`policybrief new DIR`: a project that builds as it is.

The files come from the package's `scaffold/` folder, with a few `$names` filled in: the
country (ISO 3166-1) and its first-level divisions with their ISO 3166-2 codes and names, as
pycountry lists them, laid out alphabetically on the tile map; the example document and its
source text name the first of those divisions, and the document records the source's SHA-256
so that `check` verifies its anchors from the start.
"""

from __future__ import annotations

import hashlib
import math
import string
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pycountry

from .jurisdictions import check_country, country_name

SCAFFOLD = Path(str(resources.files("policybrief") / "scaffold"))
#: Files renamed on the way out (a dot file would be skipped by some packaging tools).
_RENAMES = {"gitignore": ".gitignore"}
_SOURCE = "sources/example-programme.txt"


class ScaffoldError(Exception):
    def __init__(self, message: str, *, folder_in_use: bool = False) -> None:
        super().__init__(message)
        self.folder_in_use = folder_in_use


@dataclass
class Created:
    root: Path
    files: list[Path] = field(default_factory=list)


def _yaml_text(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    import json

    return json.dumps(value, ensure_ascii=False)


def _divisions(country: str) -> list[tuple[str, str]]:
    """(code, name) of each first-level division, by code."""
    found = pycountry.subdivisions.get(country_code=country) or []
    return sorted((s.code, s.name) for s in found if s.parent_code is None)


def _jurisdictions_yaml(country: str, divisions: list[tuple[str, str]]) -> str:
    lines = [
        f"  - code: {country}",
        "    level: national",
        "    type: country",
        f"    name: {_yaml_text(country_name(country))}",
    ]
    columns = max(1, math.ceil(math.sqrt(len(divisions))))
    for i, (code, name) in enumerate(divisions):
        kind = next(
            (s.type for s in pycountry.subdivisions.get(country_code=country) or [] if s.code == code),
            "division",
        )
        lines += [
            f"  - code: {code}",
            "    level: provincial",
            f"    type: {_yaml_text(kind.lower())}",
            f"    name: {_yaml_text(name)}",
            f"    parent: {country}",
            f"    tile: [{i // columns + 1}, {i % columns + 1}]",
        ]
    return "\n".join(lines) + "\n"


def create_project(directory: Path, country: str = "DE", title: str | None = None) -> Created:
    """Write a new project into `directory` (which must not exist, or be empty)."""
    country = country.upper()
    try:
        check_country(country)
    except ValueError as exc:
        raise ScaffoldError(str(exc)) from None
    divisions = _divisions(country)
    if not divisions:
        raise ScaffoldError(f"ISO 3166-2 lists no subdivisions for {country}: nothing to compare")
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ScaffoldError(f"{directory} exists and is not an empty folder", folder_in_use=True)
    root = directory.resolve()
    division_code, division_name = divisions[0]
    values = {
        "title": (title or root.name).replace('"', "'"),
        "country": country,
        "country_name": country_name(country),
        "division_code": division_code,
        "division_name": division_name,
        "jurisdictions": _jurisdictions_yaml(country, divisions),
    }
    source = string.Template((SCAFFOLD / _SOURCE).read_text(encoding="utf-8")).substitute(values)
    values["sha256"] = hashlib.sha256(source.encode("utf-8")).hexdigest()
    created = Created(root)
    for path in sorted(SCAFFOLD.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(SCAFFOLD)
        target = root / rel.parent / _RENAMES.get(rel.name, rel.name)
        text = string.Template(path.read_text(encoding="utf-8")).substitute(values)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
        created.files.append(target)
    return created


__all__ = ["SCAFFOLD", "Created", "ScaffoldError", "create_project"]
