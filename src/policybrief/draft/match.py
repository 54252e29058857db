"""Find the taxonomy's jurisdictions and actors in a text, and the bodies it does not know.

Names are matched longest first, aliases and Chinese names included, so "Beijing Jiaotong
University" is an actor and not the municipality of Beijing. A place name followed by a verb
("Beijing will…", "Shandong proposes…") usually stands for a government: such mentions are
flagged as possible metonyms for the analyst to decide. Organisation names that the taxonomy
lacks are listed as candidates for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import ActorKind, Level, Taxonomy


@dataclass(frozen=True)
class Mention:
    kind: str  # jurisdiction | actor
    id: str  # jurisdiction code or actor id
    name: str  # as printed
    start: int
    end: int


@dataclass(frozen=True)
class Metonym:
    mention: Mention
    stands_for: str  # "the central government" / "the provincial government"
    anchor: str


_VERB = (
    r"will|would|has|have|had|is|was|plans?|planned|aims?|aimed|proposes?|proposed|requires?|"
    r"issued|released|launched|announced|said|says|wants?|vows?|calls?|pledged|seeks?|"
    r"intends?|is to|has started|started"
)
_ORG_HEADS = (
    r"Ministry|Department|Commission|Bureau|Administration|Office|Council|Committee|University|"
    r"Institute|Academy|Association|Federation|Group|Corporation|Company|Bank|Government|"
    r"Co\.,? Ltd\.?|Ltd\.?|Inc\.?|Forum|Centre|Center|Agency|Authority|Zone|Park"
)
_ORG_EN = re.compile(
    rf"\b(?:[A-Z][\w&'’.-]*\s+(?:(?:of|and|for|the|on)\s+)?){{1,7}}(?:{_ORG_HEADS})\b"
    rf"(?:\s+(?:of|for|on)\s+(?:[A-Z][\w&'’-]*(?:\s+(?:and|of)\s+)?\s*){{1,6}})?"
)
_ORG_ZH = re.compile(
    r"[\u4e00-\u9fff]{2,14}?(?:部|厅|委员会|局|办公室|人民政府|政府|集团|公司|大学|研究院|协会)"
)
_ZH_STOP = re.compile(r"^(?:近日|日前|此外|同时|其中|截至|根据|由|在|据|对|与|和|及|为|将|已)")


class Matcher:
    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        names: dict[str, tuple[str, str]] = {}
        for j in taxonomy.jurisdictions:
            for name in (j.name, *j.names.values(), *j.short.values()):
                if name and len(name) >= 2:
                    names.setdefault(name, ("jurisdiction", j.code))
            if j.level is Level.provincial:
                names.setdefault(f"{j.name} {j.type.title()}", ("jurisdiction", j.code))
                names.setdefault(f"{j.name} Province", ("jurisdiction", j.code))
        for a in taxonomy.actors:
            for name in (a.name, *a.names.values(), *a.aliases):
                if name and len(name) >= 2:
                    names[name] = ("actor", a.id)
        self.names = names
        # One alternation, longest first, word boundaries once around it (English names) or
        # none (Chinese): a boundary test per alternative made long texts slow.
        english = sorted((n for n in names if not re.search(r"[\u4e00-\u9fff]", n)), key=len, reverse=True)
        chinese = sorted((n for n in names if re.search(r"[\u4e00-\u9fff]", n)), key=len, reverse=True)
        parts = [rf"(?<!\w)(?:{'|'.join(map(re.escape, english))})(?!\w)"] if english else []
        parts += [f"(?:{'|'.join(map(re.escape, chinese))})"] if chinese else []
        self._re = re.compile("|".join(parts))
        self._known = {_norm(n) for n in names}

    def mentions(self, text: str) -> list[Mention]:
        out = []
        for m in self._re.finditer(text):
            kind, ident = self.names[m.group(0)]
            out.append(Mention(kind, ident, m.group(0), m.start(), m.end()))
        return out

    def metonyms(self, text: str, mentions: list[Mention]) -> list[Metonym]:
        out = []
        for mention in mentions:
            if mention.kind != "jurisdiction":
                continue
            level = self.taxonomy.jurisdiction(mention.id).level
            tail = re.match(rf"(?:\s+(?:Province|Municipality))?\s+(?:{_VERB})\b", text[mention.end :])
            if not tail:
                continue
            anchor = " ".join(text[mention.start : mention.end + tail.end()].split())
            if mention.id == "CN-BJ":
                out.append(Metonym(mention, "the central government (CN), if it means the centre", anchor))
            elif level is Level.provincial:
                name = self.taxonomy.jurisdiction(mention.id).name
                out.append(Metonym(mention, f"the {name} provincial government", anchor))
        return out

    def unknown_bodies(self, text: str) -> list[str]:
        """Organisation names in the text that no taxonomy name or alias covers."""
        found: dict[str, None] = {}
        for m in _ORG_EN.finditer(text):
            name = m.group(0).strip()
            name = re.sub(r"^(?:The|A|An|In|On|At|By|For|From|Under|According to|Meanwhile)\s+", "", name)
            name = re.sub(r"(?:\s+(?:and|of|for|on|the))+$", "", name)
            if _norm(name) not in self._known and not any(_norm(name) == _norm(k) for k in found):
                found[name] = None
        for m in _ORG_ZH.finditer(text):
            name = _ZH_STOP.sub("", m.group(0))
            if len(name) >= 3 and _norm(name) not in self._known:
                found.setdefault(name, None)
        return list(found)

    def enterprise_ids(self) -> set[str]:
        return {a.id for a in self.taxonomy.actors if a.kind is ActorKind.enterprise}

    def government_of(self, code: str) -> str | None:
        """The actor id of a jurisdiction's government, when the taxonomy has one."""
        for a in self.taxonomy.actors:
            if a.jurisdiction == code and a.kind is ActorKind.local_government:
                return a.id
        national = next((j.code for j in self.taxonomy.jurisdictions if j.level is Level.national), None)
        return "central-government" if code == national else None

    def province_government(self, code: str) -> str | None:
        prov = self.taxonomy.province_of(code)
        return self.government_of(prov.code) if prov else self.government_of(code)


def _norm(name: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", name.casefold().removeprefix("the ")).split())
