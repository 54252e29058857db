"""A synthetic corpus for the benchmarks: N documents over all 34 provincial-level divisions,
M briefs, in the real content format (it passes `build.py check`).

    .venv/bin/python bench/synthetic.py OUT_DIR [--documents 250] [--briefs 40] [--seed 1]

The taxonomy is content/taxonomy.yaml plus one synthetic government and one synthetic firm
per provincial-level division (so every measure has a real actor). Documents are
deterministic for a given seed: one in 17 is national, the rest cycle through the 34
divisions; each records 2-5 measures with figures, and its summary names every figure it
mentions. Briefs come in three shapes, so that a brief's size grows with the corpus the
way an analyst's would:

- comparative: three provinces on one theme (about 9% × 15% of the measures),
- thematic: one theme within one instrument family,
- a fixed list of six documents.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
TAXONOMY = ROOT / "content" / "taxonomy.yaml"

VERBS = ["expand", "upgrade", "support", "accelerate", "build", "strengthen", "promote", "pilot"]
OBJECTS = [
    ("smart factories", "factories"),
    ("digital workshops", "workshops"),
    ("industrial internet platforms", "platforms"),
    ("specialised SMEs", "enterprises"),
    ("demonstration parks", "parks"),
    ("training places", "places"),
    ("standards", "standards"),
    ("innovation centres", "centres"),
    ("green factories", "factories"),
    ("industrial clusters", "clusters"),
]
ADJECTIVES = ["provincial", "regional", "targeted", "multi-year", "new", "second", "expanded", "local"]
NOUNS = ["plan", "programme", "action plan", "pilot scheme", "support policy", "initiative"]
OUTLETS = ["Synthetic Wire", "Bench Daily", "Test Economic Review", "Model Policy Weekly"]
FILLER = (
    "The report describes how the measure is to be carried out, which bodies take part and "
    "how progress will be reviewed, in the words of the officials quoted."
)


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def taxonomy(base: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The base taxonomy plus a synthetic government and firm per provincial division."""
    tax = dict(base)
    provinces = [j for j in tax["jurisdictions"] if j["level"] == "provincial"]
    actors = list(tax["actors"])
    for p in provinces:
        slug = p["code"].lower()
        actors.append(
            {
                "id": f"synthetic-government-{slug}",
                "name": f"Synthetic People's Government of {p['name']} ({p['code']})",
                "kind": "local-government",
                "jurisdiction": p["code"],
            }
        )
        actors.append(
            {
                "id": f"synthetic-firm-{slug}",
                "name": f"Synthetic Manufacturing Company of {p['name']} ({p['code']})",
                "kind": "enterprise",
                "jurisdiction": p["code"],
            }
        )
    tax["actors"] = actors
    return tax, provinces


def document(
    n: int, rng: random.Random, tax: dict[str, Any], provinces: list[dict[str, Any]]
) -> tuple[str, str, str]:
    """(id, file text, source text) of synthetic document number n."""
    national = n % 17 == 0
    place = None if national else provinces[n % len(provinces)]
    code = "CN" if place is None else place["code"]
    name = "China" if place is None else place["name"]
    slug = "cn" if place is None else place["code"].lower()
    themes = [t["id"] for t in tax["themes"]]
    instruments = sorted(f"{f['id']}/{t['id']}" for f in tax["instruments"] for t in f["types"])
    doc_id = f"synthetic-{n:04d}-{slug}"
    year = 2019 + n % 6
    published = dt.date(year, 1 + n % 12, 1 + n % 28)
    actor = "miit" if national else f"synthetic-government-{slug}"
    firm = (
        f"synthetic-firm-{slug}"
        if place is not None
        else f"synthetic-firm-{provinces[n % 34]['code'].lower()}"
    )

    measures = []
    figures: list[tuple[str, int, str]] = []  # (counted, value, unit) for the summary
    anchors: list[str] = []
    for m in range(rng.randint(2, 5)):
        verb = rng.choice(VERBS)
        counted, unit = rng.choice(OBJECTS)
        adjective, noun = rng.choice(ADJECTIVES), rng.choice(NOUNS)
        start = year + rng.randint(-1, 1)
        measure_id = f"{doc_id}-m{m + 1}"
        quantities = []
        for q in range(rng.randint(0, 2)):
            value = rng.randint(3, 900)
            kind = rng.choice(["target", "target", "result", "baseline"])
            anchor = f"{verb} {value} {counted} under the {noun} {q + 1}"
            quantities.append(
                {
                    "id": f"{measure_id}-q{q + 1}",
                    "value": value,
                    "unit": unit,
                    "counts": counted,
                    "kind": kind,
                    "period": {"start": start, "end": start + 2} if kind == "target" else None,
                    "evidence": {"anchor": anchor},
                }
            )
            figures.append((counted, value, unit))
            anchors.append(anchor)
        evidence = f"the {adjective} {noun} issued in {start} by {name} authorities"
        anchors.append(evidence)
        measures.append(
            {
                "id": measure_id,
                "title": f"{name}: {adjective} {noun} to {verb} {counted}",
                "description": (f"The {adjective} {noun} of {name} sets out to {verb} {counted}; {FILLER}"),
                "jurisdiction": code,
                "actors": [actor],
                "instrument": rng.choice(instruments),
                "themes": rng.sample(themes, rng.randint(1, 2)),
                "scope": {"type": rng.choice(["general", "targeted"])},
                "period": {"start": start, "end": start + rng.randint(0, 4)},
                "status": rng.choice(["announced", "in-force", "in-force", "completed"]),
                "quantities": quantities,
                "evidence": [{"anchor": evidence}],
            }
        )
    doc_quantities = []
    if n % 3 == 0:
        value = rng.randint(5, 95)
        anchor = f"output per worker at the firm rose {value} percent"
        doc_quantities.append(
            {
                "id": f"{doc_id}-anecdote",
                "value": value,
                "unit": "%",
                "counts": "rise in output per worker at one firm",
                "kind": "anecdote",
                "enterprise": firm,
                "jurisdiction": None if place is not None else provinces[n % 34]["code"],
                "evidence": {"anchor": anchor},
            }
        )
        figures.append(("rise in output per worker at one firm", value, "%"))
        anchors.append(anchor)

    source = "\n".join(anchors) + "\n"
    title = f"{name} moves to {measures[0]['title'].split(' to ', 1)[1]} (synthetic report {n})"
    meta = {
        "id": doc_id,
        "title": title,
        "outlet": OUTLETS[n % len(OUTLETS)],
        "authors": [],
        "kind": "news-report" if n % 5 else "policy-text",
        "published": {"date": published, "precision": "day", "basis": "stated"},
        "language": "en",
        "source": {"file": f"{doc_id}.txt", "sha256": hashlib.sha256(source.encode()).hexdigest()},
        "url": None,
        "subject": code,
        "key_points": [f"{name} issues measures to {m['title'].split(' to ', 1)[1]}." for m in measures[:4]]
        + ["The report quotes officials on how the measures will be reviewed."][: max(0, 3 - len(measures))],
        "notes": [],
        "measures": measures,
        "quantities": doc_quantities,
    }
    paragraphs = [
        "This synthetic report covers several measures "
        f"in {name}, issued by the {'central ministries' if national else 'provincial government'}.",
    ]
    for counted, value, unit in figures:
        number = f"{value}%" if unit == "%" else f"{value} {unit}"
        paragraphs.append(f"One figure recorded is {number} ({counted}).")
    paragraphs.append(FILLER)
    body = " ".join(paragraphs[:1]) + "\n\n" + " ".join(paragraphs[1:]) + "\n"
    return doc_id, "---\n" + _yaml(meta) + "---\n" + body, source


def brief(
    i: int, tax: dict[str, Any], provinces: list[dict[str, Any]], doc_ids: list[str]
) -> tuple[str, str]:
    themes = tax["themes"]
    families = tax["instruments"]
    theme = themes[i % len(themes)]
    shape = ("comparative", "comparative", "thematic", "documents", "comparative")[i % 5]
    brief_id = f"synthetic-brief-{i + 1:02d}"
    if shape == "comparative":
        group = [provinces[(3 * i + k) % len(provinces)] for k in range(3)]
        names = ", ".join(p["name"] for p in group)
        covers: dict[str, Any] = {
            "documents": "all",
            "themes": [theme["id"]],
            "jurisdictions": [p["code"] for p in group],
        }
        title = f"{theme['label']} in {names}: three provinces compared"
        views = ["matrix", "heatmap", "tilemap", "timeline", "targets"]
        cite = [d for d in doc_ids if d.endswith("-" + group[0]["code"].lower())][:1] or doc_ids[:1]
    elif shape == "thematic":
        family = families[i % len(families)]
        covers = {"documents": "all", "themes": [theme["id"]], "instruments": [family["id"]]}
        title = f"{theme['label']} through {family['label'].lower()} instruments"
        views = ["matrix", "alignment", "heatmap", "quantities"]
        cite = doc_ids[i % len(doc_ids) : i % len(doc_ids) + 1]
    else:
        chosen = [doc_ids[(i * 7 + k * 41) % len(doc_ids)] for k in range(6)]
        covers = {"documents": sorted(set(chosen))}
        title = f"Six reports read side by side (set {i + 1})"
        views = ["matrix", "timeline", "targets", "measures"]
        cite = chosen[:1]
    meta = {
        "id": brief_id,
        "title": title,
        "subtitle": "A synthetic brief for the benchmarks",
        "kind": "thematic" if shape == "thematic" else "comparative",
        "audience": "Benchmark readers",
        "summary": f"A synthetic {shape} brief: {title.lower()}.",
        "edition": dt.date(2026, 1 + i % 12, 1 + i % 28),
        "number": f"PB-SYN-{i + 1:02d}",
        "key_messages": [
            f"The reports describe measures on {theme['label'].lower()} [@{cite[0]}].",
            "Provinces differ in the instruments they choose.",
            "Gaps mean “not reported in this corpus”.",
        ],
        "covers": covers,
        "views": views,
        "keywords": ["synthetic", theme["label"]],
    }
    body = (
        "## Executive summary\n\n"
        f"The documents this brief covers report measures on {theme['label'].lower()} [@{cite[0]}].\n\n"
        "::view timeline\n\n"
        "## Differences and gaps\n\n"
        "Some provinces report no matching measure; that is a gap in the corpus, not in reality.\n"
    )
    return brief_id, "---\n" + _yaml(meta) + "---\n" + body


def generate(out: Path, documents: int, briefs: int, seed: int = 1, sources: Path | None = None) -> Path:
    """Write the corpus to `out` (replacing it); return `out`."""
    rng = random.Random(seed)
    base = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    tax, provinces = taxonomy(base)
    if out.exists():
        shutil.rmtree(out)
    (out / "documents").mkdir(parents=True)
    (out / "briefs").mkdir()
    (out / "taxonomy.yaml").write_text(_yaml(tax), encoding="utf-8")
    if sources is not None:
        sources.mkdir(parents=True, exist_ok=True)
    doc_ids = []
    for n in range(1, documents + 1):
        doc_id, text, source_text = document(n, rng, tax, provinces)
        (out / "documents" / f"{doc_id}.md").write_text(text, encoding="utf-8")
        if sources is not None:
            (sources / f"{doc_id}.txt").write_text(source_text, encoding="utf-8")
        doc_ids.append(doc_id)
    for i in range(briefs):
        brief_id, text = brief(i, tax, provinces, doc_ids)
        (out / "briefs" / f"{brief_id}.md").write_text(text, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=250)
    parser.add_argument("--briefs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sources", type=Path, help="also write source texts holding every anchor")
    args = parser.parse_args(argv)
    generate(args.out, args.documents, args.briefs, args.seed, args.sources)
    print(f"{args.out}: {args.documents} documents, {args.briefs} briefs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
