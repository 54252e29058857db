"""Rendered HTML compared as files with golden copies (tests/golden/).

After an intended change to templates or rendering, regenerate with
`UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py` and review the diff in git.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from policybrief.options import Options
from policybrief.pipeline import build

GOLDEN = Path(__file__).resolve().parent / "golden"
PAGES = {
    "index.html": "index.html",
    "fixture-brief.html": "briefs/fixture-brief/index.html",
    "digest-fixture-alpha.html": "briefs/digest-fixture-alpha/index.html",
    "fixture-brief-measures.csv": "briefs/fixture-brief/data/fixture-brief-measures.csv",
    "fixture-brief-figures.json": "briefs/fixture-brief/data/fixture-brief-figures.json",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden") / "out"
    build(Options(project=ROOT, content=FIXTURES / "content", output=out, pdf=False))
    return out


@pytest.mark.parametrize("golden", sorted(PAGES))
def test_matches_golden(built: Path, golden: str) -> None:
    actual = (built / PAGES[golden]).read_text(encoding="utf-8")
    path = GOLDEN / golden
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                f"golden/{golden}",
                f"built/{PAGES[golden]}",
                n=2,
            )
        )
        pytest.fail(f"{golden} differs from its golden copy:\n{diff[:6000]}")
