"""The theme: Jinja templates and stylesheets, looked up file by file.

The default theme ships inside the package (`policybrief/theme/`, package data in the wheel
and the sdist), so an installed `policybrief` builds a project that has only `content/`. A
project's own `templates/` folder overrides it file by file: `templates/partials/figure.html`
replaces that one partial, `templates/assets/print.css` that one stylesheet, and everything
else still comes from the default. One lookup rule serves Jinja, the stylesheets the PDF and
the index copy, and the build cache's hashes, so they never disagree about which file is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .cache import tree_hashes

#: The default theme inside the installed package.
DEFAULT_THEME = Path(str(resources.files("policybrief") / "theme"))


@dataclass(frozen=True)
class Theme:
    #: Folders searched in order, the first holding a file wins: the project's own
    #: templates/ first, then the default theme.
    folders: tuple[Path, ...]

    @classmethod
    def for_project(cls, overrides: Path) -> Theme:
        return cls((overrides, DEFAULT_THEME))

    def find(self, name: str) -> Path | None:
        """The file that serves template or asset `name` ("partials/figure.html"), or None."""
        for folder in self.folders:
            path = folder / name
            if path.is_file():
                return path
        return None

    def hashes(self) -> dict[str, str]:
        """Name -> SHA-256 of the file that serves it, for every name in the merged theme."""
        merged: dict[str, str] = {}
        for folder in reversed(self.folders):  # later folders are overridden by earlier ones
            merged.update(tree_hashes(folder))
        return dict(sorted(merged.items()))

    def assets(self, suffix: str = "") -> dict[str, Path]:
        """File name -> path of every file in the merged `assets/` folder."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            assets = folder / "assets"
            if assets.is_dir():
                found.update((p.name, p) for p in assets.iterdir() if p.is_file() and p.name.endswith(suffix))
        return dict(sorted(found.items()))

    def display_name(self, name: str, project: Path) -> str:
        """Where an error in template `name` should point: the file that serves it (relative
        to the project when it is the project's own), else the project's override path."""
        path = self.find(name) or self.folders[0] / name
        try:
            return str(path.relative_to(project))
        except ValueError:
            return str(path)
