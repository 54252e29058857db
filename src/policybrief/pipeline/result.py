"""What a build reports: the products it built and reused, the files, the warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem


@dataclass
class BuildResult:
    output: Path
    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    files: int = 0
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    unchecked_anchors: int = 0
    #: False when output/ already held exactly this build and was left alone.
    published: bool = True

    def summary(self) -> str:
        parts = [f"built {len(self.built)} brief(s)"]
        if self.reused:
            parts.append(f"reused {len(self.reused)} unchanged")
        parts.append(f"{self.files} files in {self.output}")
        parts.append(f"{self.seconds:.1f} s")
        text = "Done: " + ", ".join(parts) + "."
        if self.unchecked_anchors:
            text += (
                f" {self.unchecked_anchors} evidence anchors were not checked against sources"
                " (run with --sources DIR to verify them)."
            )
        return text
