"""The output folder is replaced as a whole: make sure it is one policybrief may replace.

A build publishes by swapping a new folder in for the output folder and deleting the old
one. Pointed at the wrong place by a one-character slip (`output = "."`, `--output ..`,
`--output ~/Documents`), that swap would delete the project, its content or a folder of the
user's own files. So before anything is rendered the output folder must be:

- not the project folder, the content, templates or sources folder, nor a folder that holds
  any of them (deleting it would delete them), nor inside the content or templates folder
  (the build would read its own output as content and theme);
- either absent, empty, or a previous policybrief output (it holds the `manifest.json` a
  build writes, with `"generator": "policybrief"`).

Anything else is refused with a message naming the folder; nothing is written.
"""

from __future__ import annotations

import json
from pathlib import Path

from .publish import MANIFEST


def _is_policybrief_output(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("generator") == "policybrief"


def output_problem(output: Path, project: Path, content: Path, sources: Path | None = None) -> str | None:
    """Why `output` must not be replaced by a build, or None when it may be."""
    output = output.resolve()
    guarded = {
        "project folder": project,
        "content folder": content,
        "templates folder": project / "templates",
    }
    if sources is not None:
        guarded["sources folder"] = sources
    for name, folder in guarded.items():
        folder = folder.resolve()
        if folder == output or folder.is_relative_to(output):
            return (
                f"output folder {output} is or holds the {name} ({folder}); a build replaces its "
                "output folder as a whole and would delete it: choose a folder of its own, such as output/"
            )
    for name in ("content folder", "templates folder"):
        if output.is_relative_to(guarded[name].resolve()):
            return f"output folder {output} is inside the {name}; choose a folder outside it, such as output/"
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        return f"output folder {output} is not a folder; a build replaces it as a whole"
    if output.is_dir() and any(output.iterdir()) and not _is_policybrief_output(output):
        return (
            f"output folder {output} holds files that are not a policybrief build (no {MANIFEST} "
            "from policybrief); a build replaces the folder as a whole and would delete them: "
            "empty it, or choose another folder"
        )
    return None


__all__ = ["output_problem"]
