"""Problems found in content, reported all at once as `path:line: field: message`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None
    field: str
    message: str
    # "error" stops the build; "warning" is printed and the build goes on.
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" {self.field}:" if self.field else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}:{field} {prefix}{self.message}"


class ContentError(Exception):
    """Raised with every problem found, so the analyst can fix them in one pass."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.field, p.message))
        super().__init__(f"{len(self.problems)} problem(s) in content")


def field_path(loc: tuple[str | int, ...]) -> str:
    """('measures', 2, 'period') -> 'measures[2].period'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
