"""Loader and validation: every problem reported at once, as path:line: field: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import edit, line_of
from policybrief.load import load_corpus
from policybrief.problems import ContentError

DOC = "documents/fixture-alpha.md"
BRIEF = "briefs/fixture-brief.md"


def problems(content: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_corpus(content)
    return [str(p) for p in info.value.problems]


def test_fixture_corpus_loads(content: Path) -> None:
    corpus = load_corpus(content)
    assert [d.id for d in corpus.documents] == ["fixture-alpha"]
    assert [b.id for b in corpus.briefs] == ["fixture-brief"]
    doc = corpus.documents[0]
    assert [m.id for m in doc.measures] == ["alpha-smart-factory-pilot", "alpha-shandong-parks"]
    assert doc.summary.startswith("A synthetic article for tests.")
    assert corpus.warnings == []


def test_missing_field(content: Path) -> None:
    path = content / DOC
    edit(path, "    status: announced\n", "")
    line = line_of(path, "- id: alpha-smart-factory-pilot")
    assert problems(content) == [
        f"content/{DOC}:{line}: measures[0].status: required field is missing (one of: announced, in-force, completed, proposed, unknown)"
    ]


def test_wrong_type_names_the_line_of_the_key(content: Path) -> None:
    path = content / DOC
    edit(path, "value: 50", "value: fifty")
    line = line_of(path, "value: fifty")
    [message] = problems(content)
    assert message.startswith(
        f"content/{DOC}:{line}: measures[0].quantities[0].value: Input should be a valid number"
    )


def test_unknown_jurisdiction_and_theme_reported_together(content: Path) -> None:
    path = content / DOC
    edit(path, "jurisdiction: CN-SD\n    actors", "jurisdiction: CN-XX\n    actors")
    edit(path, "themes: [intelligent-manufacturing]", "themes: [robots]")
    assert problems(content) == [
        f"content/{DOC}:{line_of(path, 'themes: [robots]')}: measures[0].themes[0]: unknown theme 'robots'",
        f"content/{DOC}:{line_of(path, 'jurisdiction: CN-XX')}: measures[1].jurisdiction: unknown jurisdiction 'CN-XX' (codes are listed under jurisdictions in content/taxonomy.yaml: add it there, or check the spelling)",
    ]


def test_duplicate_id(content: Path) -> None:
    path = content / DOC
    edit(path, "- id: alpha-shandong-parks\n", "- id: alpha-smart-factory-pilot\n")
    line = line_of(path, "  - id: alpha-smart-factory-pilot", nth=2)
    assert problems(content) == [
        f"content/{DOC}:{line}: measures[1].id: duplicate id 'alpha-smart-factory-pilot' (already used by a measure)"
    ]


def test_malformed_yaml(content: Path) -> None:
    path = content / DOC
    edit(path, "outlet: Test Wire", "outlet: [Test Wire")
    [message] = problems(content)
    assert message.startswith(f"content/{DOC}:")
    assert "malformed YAML" in message


def test_duplicate_yaml_key(content: Path) -> None:
    path = content / DOC
    edit(path, "outlet: Test Wire\n", "outlet: Test Wire\noutlet: Other Wire\n")
    assert problems(content) == [
        f"content/{DOC}:{line_of(path, 'outlet: Other')}: outlet: duplicate key 'outlet'"
    ]


def test_broken_markdown_table(content: Path) -> None:
    path = content / BRIEF
    edit(path, "::view targets", "| a | b |\n| --- | --- |\n| x | y | z |")
    line = line_of(path, "| x | y | z |")
    assert problems(content) == [f"content/{BRIEF}:{line}: body: table row has 3 cells; the header has 2"]


def test_figure_without_citation_in_brief(content: Path) -> None:
    path = content / BRIEF
    edit(path, "Only the centre reports a pilot [@fixture-alpha].", "Only the centre reports 3 pilots.")
    line = line_of(path, "reports 3 pilots")
    assert problems(content) == [
        f"content/{BRIEF}:{line}: body: the figure '3' cites no source: cite the quantity it states "
        "([@id] in the same sentence), or compute it ([=count …], [=value id])"
    ]


def test_unknown_citation(content: Path) -> None:
    path = content / BRIEF
    edit(path, "[@fixture-alpha]", "[@nowhere]")
    line = line_of(path, "[@nowhere]")
    assert problems(content) == [
        f"content/{BRIEF}:{line}: body: citation [@nowhere] names no document, measure or quantity"
    ]


def test_inferred_date_needs_reason(content: Path) -> None:
    path = content / DOC
    text = path.read_text()
    start = text.index("published:")
    end = text.index("\n", start)
    path.write_text(
        text[:start] + "published: {date: 2024-03-03, precision: day, basis: inferred}" + text[end:]
    )
    line = line_of(path, "published:")
    assert problems(content) == [f"content/{DOC}:{line}: published: an inferred date needs a reason"]


def test_anecdote_needs_enterprise(content: Path) -> None:
    path = content / DOC
    edit(path, "    enterprise: jinan-enterprise\n", "")
    line = line_of(path, "- id: alpha-jinan-output")
    assert problems(content) == [
        f"content/{DOC}:{line}: quantities[0]: an anecdote quantity names its enterprise (actor id)"
    ]


def test_same_actor_under_two_spellings(content: Path) -> None:
    tax = content / "taxonomy.yaml"
    edit(
        tax,
        "    name: Shandong Provincial Government\n",
        "    name: Shandong Provincial Government\n    aliases: [MIIT]\n",
    )
    line = line_of(tax, "aliases: [MIIT]", nth=2)
    [message] = problems(content)
    assert message == (
        f"content/taxonomy.yaml:{line}: actors[1].aliases[0]: 'MIIT' also names actor 'miit': "
        "the same actor under two ids?"
    )


def test_document_without_measures_and_period(content: Path) -> None:
    path = content / DOC
    edit(path, "    period: {start: 2024, end: 2026}", "    period: {}")
    line = line_of(path, "period: {}")
    assert problems(content) == [
        f"content/{DOC}:{line}: measures[0].period: a measure without a period: give start or end, "
        "or a reason why the source has none"
    ]


def test_unknown_field_is_an_error(content: Path) -> None:
    path = content / DOC
    edit(path, "outlet: Test Wire", "outlet: Test Wire\noutlett: typo")
    line = line_of(path, "outlett:")
    assert problems(content) == [
        f"content/{DOC}:{line}: outlett: unknown field (check the spelling against docs/content-format.md)"
    ]


def test_all_problems_at_once_across_files(content: Path) -> None:
    edit(content / DOC, "value: 50", "value: fifty")
    edit(content / BRIEF, "reports a pilot [@fixture-alpha]", "reports 1 pilot")
    found = problems(content)
    assert len(found) == 2
    assert found[0].startswith(f"content/{BRIEF}:")
    assert found[1].startswith(f"content/{DOC}:")


def test_id_must_match_file_name(content: Path) -> None:
    (content / DOC).rename(content / "documents" / "renamed.md")
    [message] = problems(content)
    assert message == (
        "content/documents/renamed.md:2: id: id 'fixture-alpha' differs from the file name 'renamed'"
    )


# --------------------------------------------------------------------------- the map's members


def _add_map(content: Path, block: str) -> Path:
    path = content / "taxonomy.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + block, encoding="utf-8")
    return path


def test_map_leave_out_loads_and_says_what_the_map_draws(content: Path) -> None:
    path = content / "taxonomy.yaml"
    # A division left off the map needs no tile position.
    edit(
        path,
        "    short: {zh-Hans: 香港}\n    parent: CN\n    tile: [7, 5]\n",
        "    short: {zh-Hans: 香港}\n    parent: CN\n",
    )
    _add_map(
        content, "map:\n  leave_out: [CN-HK, CN-MO]\n  divisions: drawn divisions\n  note: Not drawn here.\n"
    )
    tax = load_corpus(content).taxonomy
    drawn = [j.code for j in tax.map_divisions()]
    assert "CN-HK" not in drawn and "CN-MO" not in drawn and "CN-SD" in drawn
    assert len(drawn) == sum(j.level.value == "provincial" for j in tax.jurisdictions) - 2
    assert tax.map_divisions_label() == "drawn divisions"
    assert tax.map.note == "Not drawn here."


def test_map_leave_out_names_first_level_divisions(content: Path) -> None:
    path = _add_map(content, "map:\n  leave_out: [CN-XX, CN, CN-SD, CN-SD]\n")
    line = line_of(path, "leave_out:")
    assert problems(content) == [
        f"content/taxonomy.yaml:{line}: map.leave_out[0]: unknown jurisdiction 'CN-XX'",
        f"content/taxonomy.yaml:{line}: map.leave_out[1]: 'CN' is not a first-level division "
        "(level provincial): the map draws only those",
        f"content/taxonomy.yaml:{line}: map.leave_out[3]: 'CN-SD' is listed twice",
    ]


def test_a_drawn_division_needs_a_tile(content: Path) -> None:
    path = content / "taxonomy.yaml"
    edit(
        path,
        "    short: {zh-Hans: 香港}\n    parent: CN\n    tile: [7, 5]\n",
        "    short: {zh-Hans: 香港}\n    parent: CN\n",
    )
    [message] = problems(content)
    assert "jurisdictions[" in message and "tile-grid position" in message and "map.leave_out" in message
