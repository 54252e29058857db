"""Shared helpers for the distribution checks: test_pdf, test_html and test_reproducible.

The site is built once per test session (`built_sites`): the fixture corpus with every
chart view switched on, and the real corpus when ../shared/seeds is present (that is, when
the real content's sources are there). The checkers are independent tools (pdfua, qpdf,
poppler, the Nu Html Checker, axe-core in Chromium). A missing checker never passes
silently: under CI (CI set to anything but "", "0", "false", "no") it fails the test;
elsewhere the test is skipped with the reason and the command that installs it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from policybrief.options import Options
from policybrief.pipeline import build
from policybrief.products import CHART_VIEWS

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(available: bool, what: str, install: str) -> None:
    """Fail under CI, skip elsewhere, when a checker is missing."""
    if available:
        return
    message = f"{what} is not available; install it with: {install}"
    if in_ci():
        pytest.fail(f"{message} (CI is set: a missing checker is a failure, not a skip)", pytrace=False)
    pytest.skip(message)


def tool(name: str, package: str) -> str:
    """The path of a command-line checker from a Debian package."""
    path = shutil.which(name)
    require(path is not None, f"`{name}`", f"make test (or: sudo apt-get install {package})")
    assert path is not None
    return path


def venv_tool(name: str) -> str:
    path = Path(sys.executable).with_name(name)
    require(path.is_file(), f"`{name}` in {path.parent}", "make test (pip install -e '.[test]')")
    return str(path)


# -- the site, built once per session ---------------------------------------------------


@dataclass(frozen=True)
class Site:
    name: str
    content: Path
    output: Path

    def files(self, suffix: str) -> list[Path]:
        return sorted(p for p in self.output.rglob(f"*{suffix}") if p.is_file())

    @property
    def pdfs(self) -> list[Path]:
        return self.files(".pdf")

    @property
    def pages(self) -> list[Path]:
        return self.files(".html")


def chart_fixture(target: Path) -> Path:
    """A copy of the fixture corpus whose brief shows every chart view too."""
    shutil.copytree(FIXTURES / "content", target)
    brief = target / "briefs" / "fixture-brief.md"
    text = brief.read_text(encoding="utf-8")
    match = re.search(r"^views: \[(.*)\]$", text, flags=re.M)
    assert match, f"no `views: [...]` line in {brief}"
    views = [v.strip() for v in match.group(1).split(",") if v.strip()]
    views += [v for v in CHART_VIEWS if v not in views]
    brief.write_text(text.replace(match.group(0), f"views: [{', '.join(views)}]"), encoding="utf-8")
    return target


def build_site(content: Path, output: Path, **options: object) -> Path:
    build(Options(project=ROOT, content=content, output=output, **options))  # type: ignore[arg-type]
    return output


_SITES: dict[int, tuple[Site, ...]] = {}


def built_sites(factory: pytest.TempPathFactory) -> tuple[Site, ...]:
    """Build the sites the checks look at, once per session (whichever test asks first)."""
    key = id(factory)
    if key not in _SITES:
        base = factory.mktemp("sites")
        content = chart_fixture(base / "fixture-content")
        sites = [Site("fixture", content, build_site(content, base / "fixture"))]
        if SEEDS.is_dir():
            real = ROOT / "content"
            sites.append(Site("real", real, build_site(real, base / "real")))
        _SITES[key] = tuple(sites)
    return _SITES[key]


# -- reading what was built -------------------------------------------------------------


def meta(page: Path, name: str) -> str | None:
    match = re.search(rf'<meta name="{re.escape(name)}" content="([^"]*)">', page.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def concatenated_json(text: str) -> list[dict]:
    """pdfua prints one JSON object per file, one after another."""
    decoder = json.JSONDecoder()
    objects, index = [], 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return objects
        obj, index = decoder.raw_decode(text, index)
        objects.append(obj)


# -- the PDF structure tree -------------------------------------------------------------


def struct_elements(node: Dictionary) -> Iterator[Dictionary]:
    """Every structure element under `node`, in document order."""
    kids = node.get("/K")
    for kid in kids if isinstance(kids, Array) else [kids]:
        if isinstance(kid, Dictionary) and "/S" in kid:
            yield kid
            yield from struct_elements(kid)


def structure_problems(path: Path) -> list[str]:
    """Consistency of the structure tree with the parent tree and the annotations.

    Every element is reached once and names its parent; every marked-content id the tree
    holds is mapped back to its element by the parent tree, and the parent tree maps
    nothing to an element outside the tree; marked content does not nest (so no artifact
    sits inside tagged content); every link annotation's /StructParent is the element
    holding its /OBJR; every /Headers id names a header cell of the same table.
    """
    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root.StructTreeRoot
        seen: set[tuple[int, int]] = set()
        content: dict[tuple[tuple[int, int], int], tuple[int, int]] = {}
        objr: dict[tuple[int, int], tuple[int, int]] = {}
        stack = [(kid, root) for kid in root.K]
        while stack:
            node, parent = stack.pop()
            if node.objgen in seen:
                problems.append(f"element {node.objgen} reached twice")
                continue
            seen.add(node.objgen)
            if node.get("/P") is None or node.P.objgen != parent.objgen:
                problems.append(f"{node.S} {node.objgen}: /P is not its parent")
            kids = node.get("/K")
            for kid in kids if isinstance(kids, Array) else ([] if kids is None else [kids]):
                if isinstance(kid, int):
                    content[(node.Pg.objgen, kid)] = node.objgen
                elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                    content[(kid.get("/Pg", node.get("/Pg")).objgen, int(kid.MCID))] = node.objgen
                elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
                    objr[kid.Obj.objgen] = node.objgen
                elif isinstance(kid, Dictionary) and "/S" in kid:
                    stack.append((kid, node))
                else:
                    problems.append(f"{node.S} {node.objgen}: unexpected kid {kid!r:.60}")
        nums = root.ParentTree.Nums
        entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        mapped = set()
        for number, page in enumerate(pdf.pages, start=1):
            for mcid, element in enumerate(entries[int(page.StructParents)]):
                if isinstance(element, Dictionary):
                    mapped.add((page.obj.objgen, mcid))
                    if content.get((page.obj.objgen, mcid)) != element.objgen:
                        problems.append(f"page {number} MCID {mcid}: parent tree points outside the tree")
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" not in annot:
                    problems.append(f"page {number}: annotation without /StructParent")
                elif objr.get(annot.objgen) != entries[int(annot.StructParent)].objgen:
                    problems.append(f"page {number}: annotation /StructParent is not its /Link")
        for number, page in enumerate(pdf.pages, start=1):
            # Marked content is never nested: no artifact inside tagged content.
            depth = 0
            for instruction in pikepdf.parse_content_stream(page):
                operator = str(getattr(instruction, "operator", ""))
                if operator in ("BDC", "BMC"):
                    depth += 1
                    if depth > 1:
                        problems.append(f"page {number}: marked content nested in marked content")
                elif operator == "EMC":
                    depth -= 1
        if set(content) - mapped:
            problems.append(f"{len(set(content) - mapped)} marked-content ids missing from the parent tree")
        for table in struct_elements(root):
            if str(table.S) != "/Table":
                continue
            cells = list(struct_elements(table))
            ids = {str(c.ID) for c in cells if str(c.S) == "/TH" and "/ID" in c}
            for cell in cells:
                attrs = cell.get("/A")
                if isinstance(attrs, Dictionary) and "/Headers" in attrs:
                    missing = [str(h) for h in attrs.Headers if str(h) not in ids]
                    if missing:
                        problems.append(f"table cell points at unknown headers {missing}")
    return problems
