"""The package's shape: chart kinds listed in one place, no import cycles."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from policybrief import charts
from policybrief.charts.kinds import KINDS
from policybrief.models import VIEW_NAMES
from policybrief.products import CHART_VIEWS

PACKAGE = Path(charts.__file__).resolve().parents[1]
ROOT = Path(__file__).resolve().parents[1]
#: Modules of the charts package that are not chart kinds.
CHART_SHARED = {"__init__", "chart", "draw", "kinds", "words"}


def _literal_groups(tree: ast.AST) -> list[tuple[int, set[str]]]:
    """Every tuple, list, set or dict literal, with the strings it holds (dict keys too)."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = [k for k in node.keys if k is not None]
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple):
            items = node.slice.elts  # Literal["a", "b"]
        else:
            continue
        strings = {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)}
        out.append((node.lineno, strings))
    return out


def test_chart_kinds_are_listed_only_in_their_registry() -> None:
    """Adding a chart kind is a module and one line in charts/kinds.py: no other module
    spells out the list of kinds (two or more kind names in one literal)."""
    kinds = set(KINDS)
    elsewhere = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "charts" / "kinds.py":
            continue
        for line, strings in _literal_groups(ast.parse(path.read_text(encoding="utf-8"))):
            if len(strings & kinds) >= 2:
                elsewhere.append(f"{path.relative_to(PACKAGE)}:{line}")
    assert elsewhere == []
    # ...and every list of views takes them from there, in their order.
    assert [v for v in VIEW_NAMES if v in kinds] == list(KINDS)
    assert tuple(CHART_VIEWS) == KINDS


def test_every_kind_is_a_module_with_its_chart_function() -> None:
    modules = {p.stem for p in (PACKAGE / "charts").glob("*.py")} - CHART_SHARED
    assert modules == set(KINDS)
    for kind in KINDS:
        assert callable(charts.chart_function(kind))


def test_no_import_cycles() -> None:
    """No module of the package imports itself through others (imports inside functions
    and for type checking only count too), so each reads on its own, `load` before
    `validate`, the stages before the build that runs them."""
    import grimp

    graph = grimp.build_graph("policybrief", cache_dir=None)
    cycles = sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if graph.chain_exists(importer=imported, imported=importer)
    )
    assert cycles == []
    assert not graph.direct_import_exists(importer="policybrief.validate", imported="policybrief.load")


#: A fifth chart kind, as an engineer would add it: measures by level of government.
LEVELS_MODULE = '''"""The levels chart: how many measures each level of government reports."""

from __future__ import annotations

from collections import Counter

from .. import chartstyle as style
from ..models import Level
from ..models import Taxonomy

LABELS = {level: level.value.capitalize() for level in Level}
from . import draw
from .chart import Chart, ChartInput, DataTable
from .words import documents, plural, source


def levels_chart(sel: ChartInput, taxonomy: Taxonomy | None = None) -> Chart | None:
    counts = Counter(m.level for m in sel.measures)
    levels = [level for level in LABELS if counts[level]]
    if not levels:
        return None
    height = 1.6 + 0.6 * len(levels)
    alt = "Measures by level of government: " + ", ".join(
        f"{LABELS[level]} {counts[level]}" for level in levels
    ) + "."
    with style.chart_style():
        fig = draw.figure(style.WIDTH_CM, height)
        ax = fig.add_subplot()
        ax.barh(
            range(len(levels)),
            [counts[level] for level in levels],
            color=[style.LEVEL_COLOURS[level.value] for level in levels],
        )
        ax.set_yticks(range(len(levels)), [LABELS[level] for level in levels])
        svg = draw.svg(fig, "levels", alt)
    table = DataTable(("Level", "Measures"), tuple((LABELS[lv], str(counts[lv])) for lv in levels))
    caption = f"{plural(sum(counts.values()), 'measure')} by level of government."
    docs = [m.document.id for m in sel.measures]
    return Chart("levels", svg, alt, caption, source(docs), table, style.WIDTH_CM, height, documents(docs))
'''


def test_a_fifth_chart_kind_is_a_module_a_line_and_a_template(tmp_path: Path) -> None:
    """What docs/architecture.md promises, done in a copy of the package: a new module, its
    name in charts/kinds.py and its figure template (in the default theme) are all a brief
    needs to show it."""
    src = tmp_path / "src"
    shutil.copytree(PACKAGE, src / "policybrief", ignore=shutil.ignore_patterns("__pycache__"))
    kinds = src / "policybrief" / "charts" / "kinds.py"
    registry = kinds.read_text(encoding="utf-8")
    kinds.write_text(
        registry.replace('    "tilemap",\n', '    "tilemap",\n    "levels",\n'), encoding="utf-8"
    )
    assert kinds.read_text(encoding="utf-8").count("\n") == registry.count("\n") + 1
    (src / "policybrief" / "charts" / "levels.py").write_text(LEVELS_MODULE, encoding="utf-8")

    partials = src / "policybrief" / "theme" / "partials"
    figure = (partials / "figure.html").read_text(encoding="utf-8")
    (partials / "figure-levels.html").write_text(
        figure.replace('class="chart"', 'class="chart chart-levels"'), encoding="utf-8"
    )
    project = tmp_path / "project"
    project.mkdir()
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "content", content)
    brief = content / "briefs" / "fixture-brief.md"
    text = brief.read_text(encoding="utf-8")
    assert "views: [who, matrix, heatmap, tilemap, alignment]" in text
    brief.write_text(text.replace("heatmap, tilemap", "heatmap, levels, tilemap"), encoding="utf-8")

    out = tmp_path / "out"
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv.pop(1)); from policybrief.cli import main; "
            "raise SystemExit(main(sys.argv[1:]))",
            str(src),
            *("--project", str(project), "--content", str(content), "--output", str(out)),
            *("--no-pdf", "--jobs", "1", "-q"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    page = (out / "briefs" / "fixture-brief" / "index.html").read_text(encoding="utf-8")
    assert '<figure class="chart chart-levels" id="fig-levels">' in page
    assert "by level of government." in page
    svg = (out / "briefs" / "fixture-brief" / "charts" / "levels.svg").read_text(encoding="utf-8")
    assert '<title id="levels-title">Measures by level of government: ' in svg
