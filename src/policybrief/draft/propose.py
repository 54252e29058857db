"""Turn a source text into proposals for the analyst: quantities, damage, dates, measures.

Every proposal says why it was made (`*_reason`), because the analyst decides faster when the
reason for a guess is written beside it. Nothing here is final: `write` marks every proposal
for review.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from ..models import QuantityKind, Taxonomy
from .match import Matcher, Mention, Metonym
from .numbers import (
    Damage,
    Figure,
    Year,
    chinese_figures,
    chinese_years,
    english_figures,
    english_years,
    is_chinese,
    split_digits,
)

MAX_ANCHOR_WORDS = 12


@dataclass
class QuantityProposal:
    figure: Figure
    anchor: str
    reading: str | None  # the anchor with damaged digits corrected
    kind: str
    kind_reason: str
    sentence: int
    enterprise: str | None = None
    jurisdiction: str | None = None
    period: tuple[int | None, int | None] | None = None
    period_reason: str = ""
    note: str | None = None  # e.g. "the sentence may be broken"


@dataclass
class DamageNote:
    damage: Damage
    anchor: str
    reading: str
    figure: bool  # is the damaged number also a proposed quantity


@dataclass
class MeasureProposal:
    sentences: list[int]
    anchors: list[str]
    jurisdiction: str
    jurisdiction_reason: str
    actors: list[str]
    actors_reason: str
    instrument: str
    instrument_reason: str
    themes: list[str]
    themes_reason: str
    status: str
    status_reason: str
    period: tuple[int | None, int | None]
    period_reason: str
    plan: str | None
    quantities: list[QuantityProposal] = field(default_factory=list)


@dataclass
class Proposal:
    language: str
    title: str
    title_reason: str
    published: dt.date
    precision: str
    basis: str  # stated | inferred
    published_reason: str
    outlet: str | None
    subject: str
    subject_reason: str
    quantities: list[QuantityProposal]
    damage: list[DamageNote]
    metonyms: list[Metonym]
    unknown_bodies: list[str]
    measures: list[MeasureProposal]
    loose: list[QuantityProposal]  # quantities in no candidate measure
    sentences: list[tuple[int, int]]


# --------------------------------------------------------------------------- sentences

_EN_SENT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9\"“(‘-])|\n+")
_ZH_SENT = re.compile(r"(?<=[。！？；])|\n+")


def sentences(text: str, chinese: bool) -> list[tuple[int, int]]:
    out = []
    start = 0
    for m in (_ZH_SENT if chinese else _EN_SENT).finditer(text):
        if m.start() > start and text[start : m.start()].strip():
            out.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    # Trim white space at both ends so that anchors never start with a blank.
    trimmed = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        trimmed.append((s, e))
    return trimmed


def _sentence_of(bounds: list[tuple[int, int]], pos: int) -> int:
    """The sentence holding `pos` (or the one before it, when `pos` falls between two)."""
    i = bisect.bisect_right(bounds, (pos, float("inf"))) - 1
    return max(0, min(i, len(bounds) - 1))


# --------------------------------------------------------------------------- anchors


def anchor_around(text: str, start: int, end: int, bounds: tuple[int, int], chinese: bool) -> str:
    """A verbatim phrase of at most a dozen words containing text[start:end], within its sentence.

    Words before the figure are added (up to four) so that the anchor says what happens to
    the number ("build 12 …", "establishing 421 …"); a figure phrase longer than a dozen
    words is cut at its end.
    """
    s_start, s_end = bounds
    if chinese:
        a = max(s_start, start - 8)
        b = min(s_end, end + 4)
        # Start after a comma when there is one close before the figure.
        comma = max(text.rfind("，", a, start), text.rfind("、", a, start))
        if comma >= 0:
            a = comma + 1
        return text[a:b].strip()
    words_before = list(re.finditer(r"\S+", text[s_start:start]))
    figure_words = text[start:end].split()
    if len(figure_words) >= MAX_ANCHOR_WORDS:
        head = " ".join(figure_words[:MAX_ANCHOR_WORDS])
        return head.rstrip(",;:")
    room = min(4, MAX_ANCHOR_WORDS - len(figure_words))
    chosen = words_before[-room:] if room else []
    # Never start inside a clause's punctuation: drop words up to the last comma or dash.
    for i in range(len(chosen) - 1, -1, -1):
        if chosen[i].group(0).endswith((",", ";", ":", "—", "--", ")", "]")) or chosen[i].group(0) in {
            "-",
            "–",
        }:
            chosen = chosen[i + 1 :]
            break
    a = s_start + chosen[0].start() if chosen else start
    phrase = " ".join(text[a:end].split()).strip(" ,;:")
    phrase = phrase.lstrip("(\"“‘'")
    if len(phrase) < 3:  # the content model needs three characters: widen to the right
        phrase = " ".join(text[a : min(s_end, end + 20)].split()[:3])
    return phrase


# --------------------------------------------------------------------------- kinds

_EN_TARGET = re.compile(
    r"\b(will|shall|aims?|aiming|plans?|planned to|target(s|ed)?|goal|proposes?|proposed to|"
    r"expected to|strive|striving|seeks?|intends?|calls? for|should|would|is to|are to|"
    r"by (?:the end of )?20\d\d|within (?:\w+ )?(?:years?|months?)|set aside|earmarked|"
    r"to (?:build|support|cultivate|train|select|add|reach|retire|upgrade|create|achieve))\b",
    re.I,
)
_EN_BASELINE = re.compile(
    r"\b(at the end of (?:19|20)\d\d|last year|stood at|accounting for|accounts for|at present|"
    r"currently|up from|already (?:has|have)|on top of|in (?:19|20)\d\d, |numbered|from the)\b",
    re.I,
)
_EN_RESULT = re.compile(
    r"\b(has|have|had|reached|rose|grew|increased|decreased|fell|cut|achieved|led to|now|so far|"
    r"already|was|were|installed|certified|established|establishing|launched|created|"
    r"implemented|completed|produced|built|raised|reduced|to the)\b",
    re.I,
)
_EN_FIRM = re.compile(
    r"\b(Co\.,? Ltd|the company|the firm|its (?:own|new)|company's|firm's|maker|steelmaker|"
    r"manufacturer said|managers? said|plant|Group said|said its)\b",
    re.I,
)
# A count of a plan's own parts ("26 measures", "two batches"), where the content model has
# a kind for it.
MAKE_UP = "make-up" in {k.value for k in QuantityKind}
_MAKE_UP = re.compile(
    r"^[\w,.]+\s+(?:[\w-]+\s+){0,2}(?:measures|actions|tasks|batches|pathways|articles|items|key tasks|"
    r"policy measures|supporting measures)\b",
    re.I,
)
_ZH_TARGET = re.compile(r"到20\d\d年|提出|计划|将|力争|目标|要|预计|安排|不少于|培育|建设|新增|带动")
_ZH_RESULT = re.compile(r"已|截至|同比|累计|达到|建成|实现|超过.*亿元")


def guess_kind(
    sentence: str, offset: int, chinese: bool, enterprise: str | None, firm_word: bool
) -> tuple[str, str]:
    """(kind, reason). `offset` is the figure's position in the sentence."""
    if MAKE_UP and not chinese and _MAKE_UP.search(sentence[offset : offset + 60]):
        return "make-up", "counts the parts of a plan or programme, not a goal or an outcome"
    if enterprise or firm_word:
        return "anecdote", (
            f"the sentence is about one firm ({enterprise})"
            if enterprise
            else "the sentence is about one firm"
        )
    if chinese:
        target = _ZH_TARGET.search(sentence)
        result = _ZH_RESULT.search(sentence)
        if result and (not target or (result.start() > target.start() and "已" in result.group(0))):
            return "result", f"'{result.group(0)}' reports something achieved"
        if target:
            return "target", f"'{target.group(0)}' reads as a goal"
        return "result", "no goal word found: read as an achieved figure"
    # "from the 34th in 2012 to the 11th in 2022": the first is the baseline, the second the result.
    before = sentence[:offset]
    if re.search(r"\bfrom (?:the )?$", before[-10:]) or re.search(r"\bup from\s*$", before[-12:]):
        return "baseline", "the starting point of a change ('from …')"
    if re.search(r"\bto (?:the )?$", before[-8:]) and re.search(r"\bfrom\b", before):
        return "result", "the end point of a change ('… to')"
    # The cue nearest the figure decides: a long sentence often mixes what was done with
    # what is planned. Cues after the figure count for less than cues before it.
    best: tuple[float, str, str] | None = None
    for kind, pattern, says in (
        ("target", _EN_TARGET, "reads as a goal"),
        ("baseline", _EN_BASELINE, "describes a starting level"),
        ("result", _EN_RESULT, "reports something achieved"),
    ):
        for cue in pattern.finditer(sentence):
            distance = offset - cue.end() if cue.end() <= offset else (cue.start() - offset) * 1.5 + 20
            if best is None or distance < best[0]:
                best = (distance, kind, f"'{cue.group(0).strip(', ')}' {says}")
    if best is not None:
        return best[1], best[2]
    return "result", "no tense cue found: read as an achieved figure"


# --------------------------------------------------------------------------- measures

_POLICY_CUE = re.compile(
    r"\b(plan|guideline|guiding opinions?|policy|policies|pilot|programs?|programmes?|measures?|"
    r"support|subsid\w*|funds?|will|aims?|proposes?|proposed|issued|released|launched|approved|"
    r"calls? for|encourag\w*|promot\w*|build|cultivat\w*|establish\w*|requires?|list)\b"
    r"|方案|规划|意见|通知|办法|提出|计划|将|支持|培育|建设|推进|印发|安排",
    re.I,
)
_PLAN_NAME = re.compile(
    # Quoted: "Three-year Action Plan for … (2023-2025)", 《…方案》; or a Title-Case name.
    r"[\"“《]([^\"”》]{8,200}?(?:Plan|Programme|Program|Opinions?|Guidelines?|方案|规划|意见|计划)[^\"”》]{0,120})[\"”》]"
    r"|\b((?:[A-Z][\w-]*\s+(?:(?:of|for|on|in|and|the|to)\s+)*){1,8}(?:Plan|Programme|Opinions|Guideline)"
    r"(?:\s+(?:(?:of|for|on|in|and|the|to)\s+)*[A-Z][\w-]*)*(?:\s*\((?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d\))?)"
)
_INSTRUMENTS = [
    (r"pilot|demonstration|示范|试点", "governance/pilot"),
    (r"action plan|three-year|five-year|plan\b|行动方案|规划|计划", "governance/plan"),
    (r"guideline|guiding opinion|指导意见|意见", "governance/guideline"),
    (r"reward|subsid|special fund|funds?\b|奖励|补贴|资金", "financial/reward"),
    (r"financ|loan|insurance|金融|贷款", "financial/finance"),
    (r"procurement|采购", "financial/procurement"),
    (r"standard|标准", "regulatory/standards"),
    (r"land\b|land use|用地", "land/land-use"),
    (r"platform|internet|5G|network|平台|互联网", "infrastructure/platform"),
    (r"park|cluster|园区|集群", "infrastructure/parks"),
    (r"talent|training|skills|人才|培训", "human-capital/training"),
    (r"technolog|research|R&D|breakthrough|技术|研发", "innovation/technology-programme"),
]
_THEMES = [
    (r"digital|数字", "digital-transformation"),
    (r"intelligent|smart|AI\b|robot|智能", "intelligent-manufacturing"),
    (r"service-oriented|services? (?:and|with) manufactur|服务型制造", "service-oriented-manufacturing"),
    (r"chain|cluster|产业链|集群", "chains-and-clusters"),
    (r"innovation|technolog|R&D|创新|研发", "innovation-capability"),
    (r"green|energy|emission|carbon|绿色|能耗|节能", "green-and-energy"),
    (r"small and medium|SMEs?\b|中小企业", "smes"),
    (r"standard|标准", "standards"),
    (r"talent|training|skills|人才", "talent"),
    (r"\bland\b|用地", "land-and-space"),
]


_INSTRUMENT_RES = [(re.compile(p, re.I), ident) for p, ident in _INSTRUMENTS]
_THEME_RES = [(re.compile(p, re.I), ident) for p, ident in _THEMES]


def _instrument(text: str, taxonomy: Taxonomy) -> tuple[str, str]:
    known = taxonomy.instrument_ids()
    for pattern, ident in _INSTRUMENT_RES:
        m = pattern.search(text)
        if m and ident in known:
            return ident, f"the text says '{m.group(0)}'"
    fallback = next(iter(sorted(known)))
    return fallback, "no instrument word found: pick one"


def _themes(text: str, taxonomy: Taxonomy) -> tuple[list[str], str]:
    known = {t.id for t in taxonomy.themes}
    found, why = [], []
    for pattern, ident in _THEME_RES:
        m = pattern.search(text)
        if m and ident in known and ident not in found:
            found.append(ident)
            why.append(f"'{m.group(0)}'")
    if not found:
        return [sorted(known)[0]], "no theme word found: pick one"
    return found[:3], "the text says " + ", ".join(why[:3])


# --------------------------------------------------------------------------- dates

_MONTH_NUM = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}  # fmt: skip
_MONTH_RE = "|".join(sorted(_MONTH_NUM, key=len, reverse=True))
_FULL_DATE = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}}),?\s+((?:19|20)\d\d)\b", re.I)
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\.?\s+((?:19|20)\d\d)\b", re.I)
_DATELINE = re.compile(rf"^[A-Z][A-Z ,.'-]{{2,40}},\s+({_MONTH_RE})\.?\s+(\d{{1,2}})\b", re.I | re.M)
_ZH_DATE = re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日")


def guess_published(
    text: str, years: list[Year], head_chars: int, meta_date: str | None
) -> tuple[dt.date, str, str, str]:
    """(date, precision, basis, reason)."""
    if meta_date:
        try:
            date = dt.date.fromisoformat(meta_date[:10])
            # htmldate, which trafilatura uses, also guesses from URLs and page text: a person
            # must see where the page states it before calling it stated.
            return date, "day", "inferred", f"the page gives {meta_date[:10]} (metadata or text): check where"
        except ValueError:
            pass
    head = text[:head_chars]
    for pattern, order in ((_FULL_DATE, "mdy"), (_DAY_MONTH_YEAR, "dmy"), (_ZH_DATE, "ymd")):
        m = pattern.search(head)
        if m:
            parts = m.groups()
            if order == "mdy":
                month, day, year = _MONTH_NUM[parts[0].lower()], int(parts[1]), int(parts[2])
            elif order == "dmy":
                day, month, year = int(parts[0]), _MONTH_NUM[parts[1].lower()], int(parts[2])
            else:
                year, month, day = (int(p) for p in parts)
            try:
                return dt.date(year, month, day), "day", "stated", f"the text is dated '{m.group(0)}'"
            except ValueError:
                continue
    # Plans name future years: the latest year the text reports *in*, or the first year of a
    # period it names, is the better guess for when it was written.
    this_year = dt.date.today().year
    latest = max(
        (y.value for y in years if y.relation in ("in", "range", "since") and y.value <= this_year),
        default=None,
    )
    dateline = _DATELINE.search(head)
    if dateline and latest:
        month = _MONTH_NUM[dateline.group(1).lower()]
        return (
            dt.date(latest, month, int(dateline.group(2))),
            "day",
            "inferred",
            f"the dateline '{dateline.group(0).strip()}' has no year; {latest} is the latest year "
            "the text mentions: check the year",
        )
    if latest:
        return (
            dt.date(latest, 1, 1),
            "year",
            "inferred",
            f"the text carries no date; {latest} is the latest year it reports events in or "
            "starts a period in: find the real date (outlet, events reported)",
        )
    return dt.date.today(), "year", "inferred", "the text carries no date and names no year: find it"


# --------------------------------------------------------------------------- the whole text


def propose(
    text: str, taxonomy: Taxonomy, meta_title: str | None = None, meta_date: str | None = None
) -> Proposal:
    chinese = is_chinese(text)
    matcher = Matcher(taxonomy)
    bounds = sentences(text, chinese)
    figures = chinese_figures(text) if chinese else english_figures(text)
    damage = [] if chinese else split_digits(text)
    years = chinese_years(text) if chinese else english_years(text)
    mentions = matcher.mentions(text)
    starts = [m.start for m in mentions]
    enterprises = matcher.enterprise_ids()

    subject, subject_reason = _subject(mentions, taxonomy)

    # Split numbers that are ranks printed without a suffix ("to the 1 1 in 2022").
    ranks = {
        text[f.number_start : f.number_end]
        for f in figures
        if f.reading
        and f.unit == "rank"
        and not re.search(r"(st|nd|rd|th)\b", text[f.number_end : f.number_end + 2])
    }
    quantities: list[QuantityProposal] = []
    for fig in figures:
        i = _sentence_of(bounds, fig.number_start)
        s, e = bounds[i]
        sentence = text[s:e]
        anchor = anchor_around(text, fig.start, fig.end, (s, e), chinese)
        reading = None
        if fig.reading is not None:
            reading = _read_damage(anchor, damage, ranks)
        in_sentence = _within(mentions, starts, s, e)
        firm = next((m.id for m in in_sentence if m.kind == "actor" and m.id in enterprises), None)
        firm_word = (
            bool(_EN_FIRM.search(sentence)) if not chinese else bool(re.search(r"公司|企业表示", sentence))
        )
        kind, why = guess_kind(sentence, fig.number_start - s, chinese, firm, firm_word)
        jur = next((m.id for m in in_sentence if m.kind == "jurisdiction"), None)
        period, period_reason = _period([y for y in years if s <= y.start < e])
        note = None
        if not fig.unit:
            note = "no unit follows the number: the sentence may be broken by extraction; give the unit and a reading"
        quantities.append(
            QuantityProposal(fig, anchor, reading, kind, why, i, firm, jur, period, period_reason, note)
        )

    damage_notes = []
    for d in damage:
        i = _sentence_of(bounds, d.start)
        as_figure = next((q for q in quantities if q.figure.number_start == d.start), None)
        if as_figure is not None:
            anchor = as_figure.anchor
        else:
            # The damaged number and the word after it ("in 20 12 to"), without the next damage.
            s_end = bounds[i][1]
            after = re.match(r"\s+[^\s\d]\S*", text[d.end : s_end])
            anchor = anchor_around(text, d.start, d.end + (after.end() if after else 0), bounds[i], chinese)
        damage_notes.append(DamageNote(d, anchor, _read_damage(anchor, damage, ranks), as_figure is not None))

    measures, loose = _measures(text, bounds, quantities, mentions, years, matcher, subject, chinese)
    title, title_reason = _title(text, meta_title)
    published = guess_published(text, years, 400, meta_date)
    outlet = "Xinhua" if re.search(r"\(Xinhua\)|新华社", text[:600]) else None
    return Proposal(
        language="zh" if chinese else "en",
        title=title,
        title_reason=title_reason,
        published=published[0],
        precision=published[1],
        basis=published[2],
        published_reason=published[3],
        outlet=outlet,
        subject=subject,
        subject_reason=subject_reason,
        quantities=quantities,
        damage=damage_notes,
        metonyms=matcher.metonyms(text, mentions),
        unknown_bodies=matcher.unknown_bodies(text),
        measures=measures,
        loose=loose,
        sentences=bounds,
    )


def _read_damage(anchor: str, damage: list[Damage], ranks: set[str]) -> str:
    """The anchor with every split number in it joined ("20 12 to the 1 1" -> "2012 to the
    11th": a rank printed without its suffix is read as the ordinal it is)."""
    for d in damage:
        reading = _ordinal(d.reading) if d.printed in ranks else d.reading
        anchor = re.sub(rf"(?<![\d,.]){re.escape(d.printed)}(?![\d,])", reading, anchor)
    return anchor


def _ordinal(digits: str) -> str:
    n = int(digits)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _within(mentions: list[Mention], starts: list[int], s: int, e: int) -> list[Mention]:
    """The mentions starting in [s, e); `starts` is their sorted start offsets."""
    return mentions[bisect.bisect_left(starts, s) : bisect.bisect_left(starts, e)]


def _title(text: str, meta_title: str | None) -> tuple[str, str]:
    if meta_title:
        return meta_title.strip(), "the file's own title (metadata)"
    for line in text.splitlines():
        line = line.strip()
        if line:
            if len(line) <= 160 and not line.endswith("."):
                return line, "the text's first line, probably its headline"
            break
    return "Untitled source", "the text has no headline"


def _subject(mentions: list[Mention], taxonomy: Taxonomy) -> tuple[str, str]:
    provincial: Counter[str] = Counter()
    for m in mentions:
        code = m.id if m.kind == "jurisdiction" else None
        if code:
            prov = taxonomy.province_of(code)
            provincial[prov.code if prov else code] += 1
    national = next((j.code for j in taxonomy.jurisdictions if j.level.value == "national"), "")
    if not provincial:
        return national, "no jurisdiction named: national by default"
    (top, n), *rest = [*provincial.most_common(), ("", 0)]
    if top != national and n >= 3 and (not rest or n >= 2 * rest[0][1]):
        return top, f"{taxonomy.jurisdiction(top).name} is named {n} times, far more than any other"
    return national, "several jurisdictions or the nation as a whole"


def _period(years: list[Year]) -> tuple[tuple[int | None, int | None] | None, str]:
    for y in years:
        if y.relation == "range" and y.other:
            return (y.value, y.other), f"the text gives {y.value}-{y.other}"
    for y in years:
        if y.relation == "by":
            return (None, y.value), f"'by {y.value}'"
    for y in years:
        if y.relation == "since":
            return (y.value, None), f"'since {y.value}'"
    for y in years:
        return (y.value, y.value), f"the sentence names {y.value}"
    return None, ""


def _measures(
    text: str,
    bounds: list[tuple[int, int]],
    quantities: list[QuantityProposal],
    mentions: list[Mention],
    years: list[Year],
    matcher: Matcher,
    subject: str,
    chinese: bool,
) -> tuple[list[MeasureProposal], list[QuantityProposal]]:
    """Candidate measure sentences, consecutive ones about the same body grouped into one."""
    taxonomy = matcher.taxonomy
    starts = [m.start for m in mentions]
    enterprises = matcher.enterprise_ids()
    by_sentence: dict[int, list[QuantityProposal]] = {}
    for q in quantities:
        by_sentence.setdefault(q.sentence, []).append(q)
    measures: list[MeasureProposal] = []
    loose: list[QuantityProposal] = []
    last_key: tuple[str, tuple[str, ...]] | None = None
    last_index = -2
    for i, (s, e) in enumerate(bounds):
        sentence = text[s:e]
        qs = by_sentence.get(i, [])
        if all(q.kind == "anecdote" for q in qs) and qs:
            loose.extend(qs)
            continue
        cue = _POLICY_CUE.search(sentence)
        here = _within(mentions, starts, s, e)
        bodies = [m for m in here if m.kind == "actor" and m.id not in enterprises]
        places = [m for m in here if m.kind == "jurisdiction"]
        # A measure sentence names who or where, says what is done (a policy word) and how
        # (an instrument word) or with what figure; background prose rarely has all three.
        instrument_word = any(p.search(sentence) for p, _ in _INSTRUMENT_RES)
        if not cue or not (bodies or places or qs) or not (instrument_word or qs) or len(sentence) < 40:
            loose.extend(qs)
            continue
        actors = list(dict.fromkeys(m.id for m in bodies))
        if places:
            jur = places[0].id
            jur_reason = f"'{places[0].name}' is named"
        elif actors:
            jur = taxonomy.actor(actors[0]).jurisdiction
            jur_reason = f"the jurisdiction of {taxonomy.actor(actors[0]).name}"
        else:
            jur, jur_reason = subject, "no place named: the document's subject"
        if not actors:
            gov = matcher.province_government(jur)
            actors = [gov] if gov else []
            actors_reason = "no body named: the jurisdiction's government" if gov else ""
        else:
            actors_reason = "named in the sentence"
        key = (jur, tuple(actors))
        anchor = _measure_anchor(text, s, e, chinese)
        if key == last_key and i == last_index + 1 and measures:
            current = measures[-1]
            current.sentences.append(i)
            if len(current.anchors) < 3:
                current.anchors.append(anchor)
            current.quantities.extend(qs)
        else:
            instrument, instrument_reason = _instrument(sentence, taxonomy)
            themes, themes_reason = _themes(sentence, taxonomy)
            period, period_reason = _period([y for y in years if s <= y.start < e])
            status, status_reason = _status(sentence, chinese)
            plan = _PLAN_NAME.search(sentence)
            measures.append(
                MeasureProposal(
                    [i], [anchor], jur, jur_reason, actors, actors_reason, instrument,
                    instrument_reason, themes, themes_reason, status, status_reason,
                    period or (None, None), period_reason or "the sentence names no year",
                    (plan.group(1) or plan.group(2)).strip() if plan else None, list(qs),
                )
            )  # fmt: skip
        last_key, last_index = key, i
    return measures, loose


def _status(sentence: str, chinese: bool) -> tuple[str, str]:
    if chinese:
        if re.search(r"印发|出台|发布|实施", sentence):
            return "in-force", "the text says it was issued"
        return "announced", "a plan or intention"
    m = re.search(r"\b(calls? for|should|recommend\w*|suggest\w*|proposed that)\b", sentence, re.I)
    if m and not re.search(r"\b(plan|government|ministry|province)\b", sentence[: m.start()], re.I):
        return "proposed", f"'{m.group(0)}': a recommendation, adopted by no government?"
    m = re.search(r"\b(issued|released|launched|has|have|implemented|approved)\b", sentence, re.I)
    if m:
        return "in-force", f"'{m.group(0)}'"
    return "announced", "a plan or intention"


def _measure_anchor(text: str, s: int, e: int, chinese: bool) -> str:
    if chinese:
        return text[s : min(e, s + 30)].strip("，。；、 ")
    words = text[s:e].split()
    return " ".join(words[:MAX_ANCHOR_WORDS]).rstrip(",;:.")
