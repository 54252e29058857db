"""Measure the drafts against what analysts recorded: recall and precision, not assertions.

`evaluate_corpus` drafts (in memory) the source of every reviewed summary and compares: a
proposed quantity matches a reviewed one when their values agree and their anchors overlap in
the source (the same place, not merely the same number). Kinds and qualifiers are scored on
the matched pairs. Split-digit damage is scored against the reviewed summaries' extraction
notes: flagged, and flagged with the right reading.

`evaluate_expected` does the same against a hand-written list of expected figures (the test
texts in tests/fixtures/draft), where values alone are matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Quantity, Taxonomy
from ..sources import normalise, quantities_of
from .propose import Proposal, QuantityProposal, propose


@dataclass
class Score:
    name: str
    expected: int = 0
    proposed: int = 0
    matched: int = 0
    kind_right: int = 0
    approx_right: int = 0
    damage_expected: int = 0
    damage_flagged: int = 0
    damage_right: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in (
            "expected", "proposed", "matched", "kind_right", "approx_right",
            "damage_expected", "damage_flagged", "damage_right",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.missed += [f"{other.name}: {m}" for m in other.missed]
        self.extra += [f"{other.name}: {m}" for m in other.extra]

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.proposed if self.proposed else 1.0

    def line(self) -> str:
        parts = [
            f"quantities recall {self.recall:.0%} ({self.matched}/{self.expected})",
            f"precision {self.precision:.0%} ({self.matched}/{self.proposed})",
            f"kinds {_pct(self.kind_right, self.matched)}",
            f"qualifiers {_pct(self.approx_right, self.matched)}",
        ]
        if self.damage_expected:
            parts.append(
                f"split digits flagged {self.damage_flagged}/{self.damage_expected}, "
                f"right reading {self.damage_right}/{self.damage_expected}"
            )
        return f"{self.name}: " + ", ".join(parts)


def _pct(n: int, d: int) -> str:
    return f"{n / d:.0%} ({n}/{d})" if d else "n/a"


def _value(v: float | tuple[float, float] | list[float]) -> tuple[float, ...]:
    return tuple(float(x) for x in v) if isinstance(v, list | tuple) else (float(v),)


def _overlap(a: str, b: str) -> bool:
    a, b = normalise(a).lower(), normalise(b).lower()
    if a in b or b in a:
        return True
    words_a, words_b = set(re.findall(r"\w+", a)), set(re.findall(r"\w+", b))
    return len(words_a & words_b) >= 3


_SPLIT = re.compile(r"(?<![\w.,])\d{1,3} \d{1,3}(?![\d,])")


def score_document(name: str, proposal: Proposal, reviewed: list[Quantity], notes: list) -> Score:  # type: ignore[type-arg]
    score = Score(name, expected=len(reviewed), proposed=len(proposal.quantities))
    free: list[QuantityProposal] = list(proposal.quantities)
    for rq in reviewed:
        hit = next(
            (
                p
                for p in free
                if _value(p.figure.value) == _value(rq.value)
                and (_overlap(p.anchor, rq.evidence.anchor) or _overlap(p.anchor, rq.evidence.reading or ""))
            ),
            None,
        )
        if hit is None:
            score.missed.append(f"{rq.display_value()} ({rq.evidence.anchor})")
            continue
        free.remove(hit)
        score.matched += 1
        score.kind_right += hit.kind == rq.kind.value
        score.approx_right += hit.figure.approx == rq.approx
    score.extra = [f"{_show(p.figure.value)} {p.figure.unit} ({p.anchor})" for p in free]
    # Split digits: the reviewed summaries' extraction notes whose anchor prints a split number.
    for note in notes:
        ev = note.evidence
        if note.kind.value != "extraction" or ev is None or not ev.reading or not _SPLIT.search(ev.anchor):
            continue
        score.damage_expected += 1
        printed = _SPLIT.search(ev.anchor).group(0)  # type: ignore[union-attr]
        flag = next(
            (d for d in proposal.damage if d.damage.printed == printed and _overlap(d.anchor, ev.anchor)),
            None,
        )
        if flag is not None:
            score.damage_flagged += 1
            score.damage_right += bool(re.search(rf"(?<!\d){flag.damage.reading}(?!\d)", ev.reading))
    return score


def _show(v: float | tuple[float, float]) -> str:
    if isinstance(v, tuple):
        return f"{v[0]:g}-{v[1]:g}"
    return f"{v:g}"


def evaluate_corpus(content: Path, sources_dir: Path) -> tuple[Score, list[Score], list[str]]:
    """(total, per document, documents skipped with why)."""
    import shutil
    import tempfile

    from ..load import load_corpus
    from .markers import find_markers

    total, per_doc, skipped = Score("all documents"), [], []
    # Drafts still under review are no reference: leave them out (from a copy of content/).
    pending = [
        p
        for p in sorted((content / "documents").glob("*.md"))
        if any(find_markers(p.read_text(encoding="utf-8")))
    ]
    with tempfile.TemporaryDirectory() as tmp:
        if pending:
            copy = Path(tmp) / "content"
            shutil.copytree(content, copy)
            for path in pending:
                (copy / "documents" / path.name).unlink()
                skipped.append(f"{path.stem}: still under review (review markers left)")
            content = copy
        corpus = load_corpus(content)
    for doc in corpus.documents:
        path = sources_dir / doc.source.file
        if not path.is_file():
            skipped.append(f"{doc.id}: source {doc.source.file} not in {sources_dir}")
            continue
        proposal = propose(path.read_text(encoding="utf-8"), corpus.taxonomy)
        score = score_document(doc.id, proposal, quantities_of(doc), list(doc.notes))
        per_doc.append(score)
        total.add(score)
    return total, per_doc, skipped


def evaluate_expected(text: str, expected: list[dict], taxonomy: Taxonomy, name: str) -> Score:  # type: ignore[type-arg]
    """Score against hand-written expectations {value, unit, approx, kind}: values matched as a multiset."""
    proposal = propose(text, taxonomy)
    score = Score(name, expected=len(expected), proposed=len(proposal.quantities))
    free = list(proposal.quantities)
    for item in expected:
        want = _value(item["value"])
        hit = next((p for p in free if _value(p.figure.value) == want), None)
        if hit is None:
            score.missed.append(f"{_show(item['value'])} {item.get('unit', '')}")
            continue
        free.remove(hit)
        score.matched += 1
        score.kind_right += hit.kind == item.get("kind")
        score.approx_right += hit.figure.approx == item.get("approx")
    score.extra = [f"{_show(p.figure.value)} {p.figure.unit} ({p.anchor})" for p in free]
    return score
