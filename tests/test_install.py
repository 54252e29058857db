"""The package on its own: a wheel installed into a fresh virtual environment outside the
repository gives a `policybrief` that starts a project and builds it (issue 13).

Slow: pip installs the dependencies into the new environment (from pip's cache when warm).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def _run(args: list[str | Path], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


def test_wheel_installs_and_builds_a_new_project(tmp_path: Path) -> None:
    assert not tmp_path.is_relative_to(ROOT)
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, ROOT], cwd=tmp_path)
    [wheel] = wheels.glob("policybrief-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    # The default theme and the scaffold travel in the wheel.
    for needed in (
        "policybrief/theme/brief.html",
        "policybrief/theme/partials/view-matrix.html",
        "policybrief/theme/assets/print.css",
        "policybrief/scaffold/policybrief.toml",
        "policybrief/scaffold/sources/example-programme.txt",
    ):
        assert needed in names, needed

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    pip = [venv / "bin" / "python", "-m", "pip", "install", "-q", "-c", ROOT / "constraints.txt"]
    _run([*pip, wheel], cwd=tmp_path)
    policybrief = venv / "bin" / "policybrief"
    from policybrief import __version__

    assert _run([policybrief, "--version"], cwd=tmp_path).stdout.strip() == f"policybrief {__version__}"
    _run([policybrief, "new", "demo"], cwd=tmp_path)
    demo = tmp_path / "demo"
    built = _run([policybrief, "build"], cwd=demo)
    assert "Done: 1 brief(s) and 1 digest(s)" in built.stdout
    assert "All 4 evidence anchors verified against the sources." in built.stdout
    page = (demo / "output" / "briefs" / "example-brief" / "index.html").read_text(encoding="utf-8")
    assert "The nation builds one platform" in page
    pdf = demo / "output" / "briefs" / "example-brief" / "example-brief.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    # From a subfolder, the project is found upwards.
    _run([policybrief, "check", "--strict"], cwd=demo / "content" / "briefs")
