"""A new document bringing a new province, theme and instrument flows everywhere it belongs."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from conftest import ROOT, edit
from policybrief.options import Options
from policybrief.pipeline import build

NEW_DOC = """---
id: fixture-guizhou
title: Synthetic note on Guizhou data centres
outlet: Test Wire
kind: news-report
published: {date: 2025-01-10, precision: day, basis: stated}
source: {file: fixture-guizhou.txt, sha256: "0000000000000000000000000000000000000000000000000000000000000000"}
subject: CN-GZ
key_points:
  - Guizhou plans computing hubs for manufacturers.
  - The plan names 8 hubs.
  - It runs to 2027.
measures:
  - id: guizhou-computing-hubs
    title: Guizhou computing hubs for manufacturers
    description: Guizhou builds computing hubs that serve manufacturing firms.
    jurisdiction: CN-GZ
    actors: [guizhou-government]
    instrument: computing/hubs
    themes: [computing-power]
    scope: {type: general}
    period: {start: 2025, end: 2027}
    status: announced
    quantities:
      - id: guizhou-hubs-target
        value: 8
        unit: hubs
        counts: computing hubs
        kind: target
        evidence: {anchor: "build 8 computing hubs"}
    evidence:
      - anchor: "Guizhou will build computing hubs"
---
Guizhou plans 8 computing hubs for manufacturers.
"""


def test_new_province_theme_and_instrument_flow_into_every_view(content: Path, tmp_path: Path) -> None:
    tax = content / "taxonomy.yaml"
    edit(
        tax,
        "\ninstruments:\n",
        """
  - id: guizhou-government
    name: Guizhou Provincial Government
    kind: local-government
    jurisdiction: CN-GZ

instruments:
  - id: computing
    label: Computing infrastructure
    types:
      - {id: hubs, label: Computing hubs}
""",
    )
    edit(tax, "\nthemes:\n", "\nthemes:\n  - id: computing-power\n    label: Computing power\n")
    (content / "documents" / "fixture-guizhou.md").write_text(NEW_DOC)
    out = tmp_path / "out"
    build(Options(project=ROOT, content=content, output=out, pdf=False))

    page = (out / "briefs" / "fixture-brief" / "index.html").read_text()
    matrix = page[page.index('id="table-matrix"') : page.index("</table>", page.index('id="table-matrix"'))]
    matrix = re.sub(r"<[^>]+>", "", matrix)  # the text, as read: cells hold their last words in a span
    assert "Computing power" in matrix and "Guizhou computing hubs for manufacturers" in matrix
    assert "Guizhou" in page[page.index('id="fig-heatmap"') :].split("</figure>")[0]
    assert "Guizhou 1" in page[page.index('id="fig-tilemap"') :].split("</figure>")[0]
    alignment = page[page.index('id="table-alignment-theme"') :].split("</table>")[0]
    assert "Guizhou" in alignment
    who = page[page.index('id="table-who"') :].split("</table>")[0]
    assert "Guizhou" in who and "Computing hubs" in who and "Computing power" in who
    svg = (out / "briefs" / "fixture-brief" / "charts" / "heatmap.svg").read_text()
    assert "Guizhou" in svg or "<path" in svg  # glyphs are paths; the alt text carries the name

    with (out / "briefs" / "fixture-brief" / "data" / "fixture-brief-measures.csv").open() as f:
        rows = {r["measure_id"]: r for r in csv.DictReader(f)}
    assert rows["guizhou-computing-hubs"]["instrument"] == "Computing infrastructure › Computing hubs"
    assert rows["guizhou-computing-hubs"]["jurisdiction_name_zh-Hans"] == "贵州省"

    digest = (out / "briefs" / "digest-fixture-guizhou" / "index.html").read_text()
    assert "8 hubs" in digest
    index = (out / "index.html").read_text()
    assert "briefs/digest-fixture-guizhou/index.html" in index
