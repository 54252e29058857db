"""The project file's identity keys ([site]): parsed, and refused with `path:line` errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policybrief.problems import ContentError
from policybrief.project import load_project

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def _project(root: Path, site: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "policybrief.toml").write_text(f'[site]\ntitle = "Test briefs"\n{site}\n[country]\ncode = "BE"\n')
    return root


def _problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as exc:
        load_project(root)
    return [str(p) for p in exc.value.problems]


def test_identity_keys_are_read(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        'series = "Working papers"\npublisher = "Example Institute"\nlogo = "brand/logo.png"\n'
        'contact = "briefs@example.org"\nlicence = "CC BY 4.0"\n'
        '[[site.authors]]\nname = "A. Analyst"\naffiliation = "Example Institute"\n'
        '[[site.authors]]\nname = "B. Writer"\n',
    )
    (root / "brand").mkdir()
    (root / "brand" / "logo.png").write_bytes(PNG)
    site = load_project(root).settings.site
    assert (site.series_name, site.publisher, site.contact, site.licence) == (
        "Working papers",
        "Example Institute",
        "briefs@example.org",
        "CC BY 4.0",
    )
    assert [a.label() for a in site.authors] == ["A. Analyst (Example Institute)", "B. Writer"]
    assert site.logo_asset() == "assets/logo.png"


def test_defaults_name_no_publisher_and_the_series_is_the_title(tmp_path: Path) -> None:
    site = load_project(_project(tmp_path, "")).settings.site
    assert site.publisher is None and site.authors == [] and site.logo is None
    assert site.series_name == "Test briefs"


def test_plain_author_names_are_still_read(tmp_path: Path) -> None:
    site = load_project(_project(tmp_path, 'authors = ["A. Analyst"]')).settings.site
    assert site.authors[0].name == "A. Analyst" and site.authors[0].affiliation is None


def test_an_unknown_author_key_names_its_line(tmp_path: Path) -> None:
    root = _project(
        tmp_path, '[[site.authors]]\nname = "A. Analyst"\n\n[[site.authors]]\nname = "B"\nemail = "b@x.org"\n'
    )
    assert _problems(root) == [
        "policybrief.toml:8: site.authors[1].email: unknown field (check the spelling against docs/content-format.md)"
    ]


def test_a_contact_of_two_lines_is_refused(tmp_path: Path) -> None:
    problems = _problems(_project(tmp_path, 'contact = """one\ntwo"""'))
    assert problems == [
        "policybrief.toml:3: site.contact: must be one line of text (leave the key out to print nothing)"
    ]


@pytest.mark.parametrize(
    ("logo", "setup", "message"),
    [
        ("logo.gif", None, "a logo is an SVG or PNG file (.svg, .png)"),
        ("missing.svg", None, "'missing.svg' not found"),
        ("../outside.svg", "outside", "'../outside.svg' a path leading outside"),
        ("link.svg", "symlink", "'link.svg' a symlink leading outside"),
        ("/etc/logo.svg", None, "'/etc/logo.svg' is an absolute path"),
        ("fake.png", "fake-png", "'fake.png' is not a PNG image (no PNG signature)"),
        ("fake.svg", "fake-svg", "'fake.svg' is not an SVG image (no <svg> element)"),
        ("big.svg", "big", "'big.svg' 600,005 bytes is larger than the limit of 524,288 bytes"),
        ("folder.svg", "folder", "'folder.svg' is a folder, not a regular file"),
    ],
)
def test_a_bad_logo_is_refused_with_its_line(
    tmp_path: Path, logo: str, setup: str | None, message: str
) -> None:
    root = _project(tmp_path / "project", f'publisher = "X"\nlogo = "{logo}"')
    outside = tmp_path / "outside.svg"
    outside.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    if setup == "symlink":
        os.symlink(outside, root / "link.svg")
    elif setup == "fake-png":
        (root / "fake.png").write_text("<svg/>")
    elif setup == "fake-svg":
        (root / "fake.svg").write_text("not a picture")
    elif setup == "big":
        (root / "big.svg").write_text("<svg>" + " " * 600_000)
    elif setup == "folder":
        (root / "folder.svg").mkdir()
    problems = _problems(root)
    assert len(problems) == 1
    assert problems[0].startswith("policybrief.toml:4: site.logo: "), problems
    assert message in problems[0], problems
