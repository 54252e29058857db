"""Shared fixtures: a copy of the fixture corpus to break, and paths to the real ones."""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A writable copy of the fixture corpus (tests/fixtures/content)."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing `needle`."""
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{needle!r} not in {path} {nth} time(s)")


def make_project(target: Path) -> Path:
    """A project folder of its own (its own build cache): the example's project file, and the
    default theme copied into templates/ as overrides, so that a test can edit a template."""
    from policybrief.theme import DEFAULT_THEME

    shutil.copytree(DEFAULT_THEME, target / "templates")
    shutil.copy(ROOT / "policybrief.toml", target / "policybrief.toml")
    return target


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present (fresh clone)")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_renderer_warnings() -> Iterator[None]:
    """WeasyPrint and matplotlib report problems (an unsupported CSS rule, a missing glyph)
    through logging, not the warnings module: a test fails on any of them (WeasyPrint's own
    assert_no_logs habit)."""
    handler = _Collect()
    loggers = [logging.getLogger(name) for name in ("weasyprint", "matplotlib", "fontTools")]
    for logger in loggers:
        logger.addHandler(handler)
    yield
    for logger in loggers:
        logger.removeHandler(handler)
    assert not handler.records, [f"{r.name}: {r.getMessage()}" for r in handler.records]


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` (relative POSIX path) -> its SHA-256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
