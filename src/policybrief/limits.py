"""Resource limits on content: one typed object with documented defaults.

Content is written by many hands and copied from the web. Every limit here is checked before
the expensive step it protects (file size before reading, nesting while parsing, Markdown
structure before converting), so that no input can crash the interpreter, run for minutes or
take gigabytes. The defaults are far above what a real summary or brief needs (the largest
file of the example corpus is 20 kB, nested 6 levels deep) and far below what would hurt.

A project's `[limits]` table in policybrief.toml sets any of these fields
(policybrief.project.LimitSettings), and docs/threat-model.md lists them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    #: Largest content file (taxonomy.yaml, a summary, a brief), in bytes. Checked with
    #: stat before the file is opened.
    max_file_bytes: int = 1_048_576
    #: Largest source text file read by `check --sources`, in bytes.
    max_source_bytes: int = 16_777_216
    #: Deepest nesting of YAML mappings and lists. Checked while the parser streams, before
    #: any data is built; the example corpus nests 6 deep.
    max_yaml_depth: int = 32
    #: Largest Markdown body (a summary or a brief's text), in characters.
    max_body_chars: int = 262_144
    #: Deepest nesting of Markdown brackets (`[`, `(`) and of raw HTML tags in any text that
    #: is rendered as Markdown. python-markdown's inline patterns backtrack over nested
    #: brackets: a few thousand unclosed `[` take minutes.
    max_inline_nesting: int = 16
    #: Most `::view` placeholders in one brief (each renders a table or a chart).
    max_views_per_brief: int = 24
    #: Most rows in one Markdown table.
    max_table_rows: int = 1_000
    #: Largest magnitude of a figure's value; a figure is 0 or at least `min_abs_value` in
    #: magnitude (a subnormal number breaks log scales and says nothing a reader can use).
    max_abs_value: float = 1e15
    min_abs_value: float = 1e-9
    #: Highest rank (unit "rank") a figure may give.
    max_rank: int = 100_000
    #: Earliest and latest year of a period (a plan's start and end). Wide enough for any
    #: country's legislation still in force; set narrower in a project to catch typos.
    min_year: int = 1800
    max_year: int = 2100

    def __post_init__(self) -> None:
        for name, value in self.__dict__.items():
            if not isinstance(value, int | float) or isinstance(value, bool) or not value > 0:
                raise ValueError(f"limit {name} must be a positive number, not {value!r}")
        if self.min_year > self.max_year:
            raise ValueError(f"min_year {self.min_year} is after max_year {self.max_year}")
        if self.min_abs_value > self.max_abs_value:
            raise ValueError("min_abs_value is larger than max_abs_value")


DEFAULT_LIMITS = Limits()

__all__ = ["DEFAULT_LIMITS", "Limits"]
