"""The package's shape: chart kinds listed in one place, no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

from policybrief import charts
from policybrief.charts.kinds import KINDS
from policybrief.models import VIEW_NAMES
from policybrief.products import CHART_VIEWS

PACKAGE = Path(charts.__file__).resolve().parents[1]
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
