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
    #: Product id -> its kind (comparative, thematic, digest), to count briefs and digests apart.
    kinds: dict[str, str] = field(default_factory=dict)

    def summary(self, verified: int | None = None) -> str:
        """One line for the terminal. `verified`: how many evidence anchors were checked
        against the sources before the build (None: not checked). `unchecked_anchors` is the
        number of anchors in the corpus."""
        done = [*self.built, *self.reused]
        digests = sum(1 for b in done if self.kinds.get(b) == "digest")
        parts = [f"{len(done) - digests} brief(s) and {digests} digest(s)"]
        if self.reused:
            parts.append(f"{len(self.built)} rendered, {len(self.reused)} unchanged")
        parts.append(f"{self.files} files in {self.output}")
        parts.append(f"{self.seconds:.1f} s")
        text = "Done: " + ", ".join(parts) + "."
        total = self.unchecked_anchors
        if verified is not None and verified >= total:
            text += f" All {total} evidence anchors verified against the sources."
        elif verified is not None:
            text += f" {verified} of {total} evidence anchors verified against the sources."
        elif total:
            text += (
                f" {total} evidence anchors were not checked against sources"
                " (run with --sources DIR to verify them)."
            )
        return text
