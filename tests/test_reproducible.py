"""Reproducible output: the same content gives byte-identical PDFs, SVGs and HTML, whatever the
folder, the hash seed, the time zone or the clock; SOURCE_DATE_EPOCH fixes the build date;
output/manifest.json describes exactly the files published.

Both builds ignore the build cache (--clean): each renders everything itself."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from checkers import ROOT, Site, build_site, built_sites, chart_fixture
from conftest import tree_digest

pytestmark = pytest.mark.slow

EPOCH = 1_700_000_000  # 14 November 2023, 22:13 UTC


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return chart_fixture(tmp_path_factory.mktemp("repro") / "content")


def start_build_elsewhere(content: Path, output: Path, epoch: int | None) -> subprocess.Popen[str]:
    """Start a build in another process: another folder, hash seed, time zone and working
    directory. It runs while the test builds in-process (two cores, half the wait)."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(PYTHONHASHSEED="4242", TZ="Pacific/Kiritimati")
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    output.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(ROOT / "build.py"), "--quiet", "--clean", "--project", str(ROOT)]
    command += ["--content", str(content), "--output", str(output)]
    return subprocess.Popen(
        command, cwd=output.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def assert_identical(first: Path, second: Path) -> None:
    a, b = tree_digest(first), tree_digest(second)
    assert sorted(a) == sorted(b)
    differ = [path for path in a if a[path] != b[path]]
    assert not differ, f"differ between builds: {differ}"
    kinds = {Path(path).suffix for path in a}
    assert {".pdf", ".svg", ".html", ".csv", ".json"} <= kinds, kinds


@pytest.mark.parametrize("epoch", [None, EPOCH], ids=["edition-date", "SOURCE_DATE_EPOCH"])
def test_two_builds_are_byte_identical(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, epoch: int | None
) -> None:
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    there = tmp_path / "b" / "deeper" / "site"
    elsewhere = start_build_elsewhere(content, there, epoch)
    try:
        here = build_site(content, tmp_path / "a" / "output", clean=True)
    finally:
        _out, err = elsewhere.communicate(timeout=300)
    assert elsewhere.returncode == 0, err
    assert_identical(here, there)

    index = (here / "index.html").read_text(encoding="utf-8")
    digest_pdf = next(here.glob("briefs/digest-*/*.pdf"))
    with pikepdf.open(digest_pdf) as pdf:
        created = str(pdf.docinfo["/CreationDate"])
    if epoch is not None:
        # The build date follows SOURCE_DATE_EPOCH, in UTC, on the pages and in the digests.
        assert "Edition date 14 November 2023" in index
        assert created == "D:20231114"
    else:
        assert "Edition date 1 November 2026" in index  # the newest brief's edition
        assert created == "D:20261101"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, ...]:
    return built_sites(tmp_path_factory)


def test_manifest_lists_every_file_with_its_hash_and_size(sites: tuple[Site, ...]) -> None:
    for site in sites:
        manifest = json.loads((site.output / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["generator"] == "policybrief"
        dt.date.fromisoformat(manifest["edition"])
        listed = {entry["path"]: entry for entry in manifest["files"]}
        assert len(listed) == len(manifest["files"]), "a path is listed twice"
        assert [e["path"] for e in manifest["files"]] == sorted(listed)
        on_disk = {
            p.relative_to(site.output).as_posix(): p
            for p in site.output.rglob("*")
            if p.is_file() and p.name != "manifest.json"
        }
        assert sorted(listed) == sorted(on_disk), site.name
        for path, entry in listed.items():
            data = on_disk[path].read_bytes()
            assert entry["bytes"] == len(data), path
            assert entry["sha256"] == hashlib.sha256(data).hexdigest(), path
