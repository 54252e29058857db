"""A small synthetic corpus built from the models directly, for the analyse and chart tests.

It does not depend on content/ (written by other people, and changing), so the expected
numbers in the tests are known by construction:

    national:   ndrc-pilots (governance/pilot; service-oriented, 2020-2022)
                digital-plan (governance/plan; digital + intelligent, 2024-2026 inferred)
                national-standards (regulatory/standards; standards + intelligent, from 2019)
    provincial: sd-plan, sd-rewards (Shandong, one named plan, 2023-2025)
                sh-plan (Shanghai), hn-plan (Hunan), jx-cloud (Jiangxi, infrastructure)
    municipal:  hangzhou-pilot (Hangzhou, under Zhejiang; from 2021, open-ended)
    zone:       binhai-platform (a Tianjin zone; 2021)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from policybrief.load import Corpus
from policybrief.models import (
    Actor,
    Evidence,
    InstrumentFamily,
    InstrumentType,
    Jurisdiction,
    Measure,
    Period,
    Published,
    Quantity,
    Scope,
    SourceDocument,
    SourceFile,
    Taxonomy,
    Theme,
)

# code suffix, English, Chinese, short Chinese, type, tile (row, column): the project's layout.
PROVINCES: list[tuple[str, str, str, str, str, tuple[int, int]]] = [
    ("AH", "Anhui", "安徽省", "安徽", "province", (4, 5)),
    ("BJ", "Beijing", "北京市", "北京", "municipality", (1, 5)),
    ("CQ", "Chongqing", "重庆市", "重庆", "municipality", (4, 3)),
    ("FJ", "Fujian", "福建省", "福建", "province", (6, 5)),
    ("GD", "Guangdong", "广东省", "广东", "province", (6, 4)),
    ("GS", "Gansu", "甘肃省", "甘肃", "province", (2, 2)),
    ("GX", "Guangxi", "广西壮族自治区", "广西", "autonomous region", (6, 3)),
    ("GZ", "Guizhou", "贵州省", "贵州", "province", (5, 3)),
    ("HA", "Henan", "河南省", "河南", "province", (3, 4)),
    ("HB", "Hubei", "湖北省", "湖北", "province", (4, 4)),
    ("HE", "Hebei", "河北省", "河北", "province", (2, 5)),
    ("HI", "Hainan", "海南省", "海南", "province", (7, 3)),
    ("HK", "Hong Kong", "香港特别行政区", "香港", "special administrative region", (7, 5)),
    ("HL", "Heilongjiang", "黑龙江省", "黑龙江", "province", (0, 7)),
    ("HN", "Hunan", "湖南省", "湖南", "province", (5, 4)),
    ("JL", "Jilin", "吉林省", "吉林", "province", (1, 7)),
    ("JS", "Jiangsu", "江苏省", "江苏", "province", (4, 6)),
    ("JX", "Jiangxi", "江西省", "江西", "province", (5, 5)),
    ("LN", "Liaoning", "辽宁省", "辽宁", "province", (1, 6)),
    ("MO", "Macao", "澳门特别行政区", "澳门", "special administrative region", (7, 4)),
    ("NM", "Inner Mongolia", "内蒙古自治区", "内蒙古", "autonomous region", (1, 4)),
    ("NX", "Ningxia", "宁夏回族自治区", "宁夏", "autonomous region", (2, 3)),
    ("QH", "Qinghai", "青海省", "青海", "province", (3, 2)),
    ("SC", "Sichuan", "四川省", "四川", "province", (4, 2)),
    ("SD", "Shandong", "山东省", "山东", "province", (3, 5)),
    ("SH", "Shanghai", "上海市", "上海", "municipality", (4, 7)),
    ("SN", "Shaanxi", "陕西省", "陕西", "province", (3, 3)),
    ("SX", "Shanxi", "山西省", "山西", "province", (2, 4)),
    ("TJ", "Tianjin", "天津市", "天津", "municipality", (2, 6)),
    ("TW", "Taiwan", "台湾省", "台湾", "province", (6, 6)),
    ("XJ", "Xinjiang", "新疆维吾尔自治区", "新疆", "autonomous region", (2, 1)),
    ("XZ", "Tibet (Xizang)", "西藏自治区", "西藏", "autonomous region", (3, 1)),
    ("YN", "Yunnan", "云南省", "云南", "province", (5, 2)),
    ("ZJ", "Zhejiang", "浙江省", "浙江", "province", (5, 6)),
]

THEMES = [
    ("digital-transformation", "Digital transformation"),
    ("intelligent-manufacturing", "Intelligent manufacturing"),
    ("service-oriented-manufacturing", "Service-oriented manufacturing"),
    ("chains-and-clusters", "Industrial chains and clusters"),
    ("green-and-energy", "Green and energy efficiency"),
    ("smes", "Small and medium-sized enterprises"),
    ("standards", "Standards"),
    ("talent", "Talent"),
]

INSTRUMENTS = {
    "governance": ("Governance", [("plan", "Plan or strategy"), ("pilot", "Pilot programme")]),
    "financial": ("Financial support", [("reward", "Reward or subsidy")]),
    "regulatory": ("Regulation and standards", [("standards", "Standards and certification")]),
    "infrastructure": ("Infrastructure", [("platform", "Platform or network")]),
}


def taxonomy(
    extra_themes: list[tuple[str, str]] | None = None,
    extra_instruments: dict[str, tuple[str, list[tuple[str, str]]]] | None = None,
) -> Taxonomy:
    jurisdictions = [
        Jurisdiction(
            code="CN",
            level="national",
            type="country",
            name="China",
            names={"zh-Hans": "中华人民共和国"},
            short={"zh-Hans": "中国"},
        )
    ]
    for code, en, zh, short, kind, tile in PROVINCES:
        jurisdictions.append(
            Jurisdiction(
                code=f"CN-{code}",
                level="provincial",
                type=kind,
                name=en,
                names={"zh-Hans": zh},
                short={"zh-Hans": short},
                parent="CN",
                tile=tile,
            )
        )
    jurisdictions += [
        Jurisdiction(
            code="CN-ZJ-HZ",
            level="municipal",
            type="city",
            name="Hangzhou",
            names={"zh-Hans": "杭州市"},
            short={"zh-Hans": "杭州"},
            parent="CN-ZJ",
        ),
        Jurisdiction(
            code="CN-TJ-BH",
            level="zone",
            type="new area",
            name="Binhai New Area",
            names={"zh-Hans": "滨海新区"},
            parent="CN-TJ",
        ),
        Jurisdiction(
            code="CN-NM-YILI",
            level="enterprise",
            type="enterprise",
            name="Yili Group",
            names={"zh-Hans": "伊利集团"},
            parent="CN-NM",
        ),
    ]
    actors = [
        Actor(id="state-council", name="State Council", kind="state-council", jurisdiction="CN"),
        Actor(id="ndrc", name="NDRC", kind="ministry", jurisdiction="CN"),
        Actor(id="miit", name="MIIT", kind="ministry", jurisdiction="CN"),
        Actor(id="local", name="A provincial government", kind="local-government", jurisdiction="CN"),
        Actor(id="yili", name="Yili", kind="enterprise", jurisdiction="CN-NM"),
    ]
    instruments = {**INSTRUMENTS, **(extra_instruments or {})}
    return Taxonomy(
        jurisdictions=jurisdictions,
        actors=actors,
        instruments=[
            InstrumentFamily(id=fam, label=label, types=[InstrumentType(id=t, label=tl) for t, tl in types])
            for fam, (label, types) in instruments.items()
        ],
        themes=[Theme(id=t, label=label) for t, label in THEMES + (extra_themes or [])],
    )


def _ev(text: str = "as the source says") -> Evidence:
    return Evidence(anchor=text)


def quantity(
    qid: str,
    value: float | tuple[float, float],
    unit: str,
    counts: str,
    kind: str,
    **extra: Any,
) -> Quantity:
    return Quantity(id=qid, value=value, unit=unit, counts=counts, kind=kind, evidence=_ev(), **extra)


def measure(
    mid: str,
    jurisdiction: str,
    instrument: str,
    themes: list[str],
    start: int | None,
    end: int | None,
    *,
    title: str | None = None,
    plan: str | None = None,
    inferred: bool = False,
    quantities: list[Quantity] | None = None,
    status: str = "in-force",
) -> Measure:
    return Measure(
        id=mid,
        title=title or f"Measure {mid}",
        description="A synthetic measure for the tests.",
        jurisdiction=jurisdiction,
        actors=["local"],
        instrument=instrument,
        themes=themes,
        scope=Scope(type="general"),
        period=Period(
            start=start,
            end=end,
            inferred=inferred,
            reason="inferred from the plan's dates" if inferred else None,
        ),
        status=status,
        plan=plan,
        quantities=quantities or [],
        evidence=[_ev()],
    )


def document(
    doc_id: str,
    measures: list[Measure],
    quantities: list[Quantity] | None = None,
    subject: str = "CN",
) -> SourceDocument:
    return SourceDocument(
        id=doc_id,
        title=f"Document {doc_id}",
        outlet="Synthetic Daily",
        kind="news-report",
        published=Published(date=dt.date(2023, 5, 1), precision="day", basis="stated"),
        source=SourceFile(file=f"{doc_id}.txt", sha256="0" * 64),
        subject=subject,
        key_points=["one", "two", "three"],
        measures=measures,
        quantities=quantities or [],
        summary="Synthetic.",
    )


def documents() -> list[SourceDocument]:
    nat_pilots = document(
        "nat-pilots",
        [
            measure(
                "ndrc-pilots",
                "CN",
                "governance/pilot",
                ["service-oriented-manufacturing"],
                2020,
                2022,
                title="Pilots integrating advanced manufacturing and modern services",
                plan="Integration pilot programme",
                quantities=[
                    quantity(
                        "pilot-regions",
                        40,
                        "regions",
                        "pilot regions",
                        "result",
                        period=Period(start=2020, end=2022),
                    ),
                    quantity("pilot-firms", 80, "enterprises", "pilot enterprises", "result"),
                ],
            ),
            measure(
                "hangzhou-pilot",
                "CN-ZJ-HZ",
                "governance/pilot",
                ["service-oriented-manufacturing"],
                2021,
                None,
                title="Hangzhou service-oriented manufacturing zone",
            ),
        ],
        quantities=[
            quantity("yili-trace", 98.5, "%", "product traceability", "anecdote", enterprise="yili"),
        ],
    )
    nat_digital = document(
        "nat-digital",
        [
            measure(
                "digital-plan",
                "CN",
                "governance/plan",
                ["digital-transformation", "intelligent-manufacturing"],
                2024,
                2026,
                inferred=True,
                plan="Digital manufacturing action plan",
                title="Action plan for the digital transformation of manufacturing",
                quantities=[
                    quantity(
                        "pilot-factories",
                        200,
                        "factories",
                        "pilot factories",
                        "target",
                        approx="over",
                        period=Period(end=2026),
                    ),
                ],
            ),
            measure(
                "national-standards",
                "CN",
                "regulatory/standards",
                ["standards", "intelligent-manufacturing"],
                2019,
                None,
                title="Standards system for intelligent manufacturing",
            ),
            measure(
                "jx-cloud",
                "CN-JX",
                "infrastructure/platform",
                ["digital-transformation", "smes"],
                2022,
                2023,
                title="Jiangxi cloud platform for small firms",
                quantities=[
                    quantity("jx-firms", 2000, "enterprises", "enterprises on the cloud", "result"),
                ],
            ),
        ],
    )
    prov_plans = document(
        "prov-plans",
        [
            measure(
                "sd-plan",
                "CN-SD",
                "governance/plan",
                ["chains-and-clusters", "digital-transformation"],
                2023,
                2025,
                plan="Shandong manufacturing action plan",
                title="Shandong action plan",
                quantities=[
                    quantity(
                        "sd-firms",
                        1000,
                        "enterprises",
                        "enterprises upgraded",
                        "target",
                        period=Period(end=2025),
                    ),
                    quantity(
                        "sd-base",
                        600,
                        "enterprises",
                        "enterprises upgraded",
                        "baseline",
                        period=Period(start=2022, end=2022),
                    ),
                ],
            ),
            measure(
                "sd-rewards",
                "CN-SD",
                "financial/reward",
                ["chains-and-clusters"],
                2023,
                2025,
                plan="Shandong manufacturing action plan",
                title="Rewards for chain leader firms",
            ),
            measure(
                "sh-plan",
                "CN-SH",
                "governance/plan",
                ["intelligent-manufacturing", "green-and-energy"],
                2023,
                2025,
                title="Shanghai intelligent manufacturing plan",
                quantities=[
                    quantity("sh-energy", 13.5, "%", "cut in energy use per unit", "target"),
                ],
            ),
            measure(
                "hn-plan",
                "CN-HN",
                "governance/plan",
                ["chains-and-clusters"],
                2023,
                2025,
                title="Hunan plan for industrial chains",
                quantities=[
                    quantity("hn-growth", (10, 12), "%", "manufacturing value added growth", "target"),
                ],
            ),
            measure(
                "binhai-platform",
                "CN-TJ-BH",
                "infrastructure/platform",
                ["digital-transformation"],
                2021,
                2021,
                title="Binhai industrial internet platform",
            ),
        ],
        quantities=[
            quantity(
                "mfg-share",
                27.4,
                "%",
                "manufacturing share of GDP",
                "baseline",
                period=Period(start=2022, end=2022),
            ),
        ],
    )
    return [nat_pilots, nat_digital, prov_plans]


def corpus(extra_documents: list[SourceDocument] | None = None, tax: Taxonomy | None = None) -> Corpus:
    return Corpus(
        root=Path("synthetic-content"),
        taxonomy=tax or taxonomy(),
        documents=documents() + (extra_documents or []),
        briefs=[],
    )


def corpus_with_new_content() -> Corpus:
    """The base corpus plus a document that brings a new province, theme and instrument.

    Only content changes: the taxonomy gains a theme and an instrument family, as a content
    editor would add them; no code knows their names.
    """
    tax = taxonomy(
        extra_themes=[("big-data", "Big data industry")],
        extra_instruments={"tax": ("Tax incentives", [("credit", "Tax credit")])},
    )
    new_doc = document(
        "gz-bigdata",
        [
            measure(
                "gz-data-credit",
                "CN-GZ",
                "tax/credit",
                ["big-data"],
                2022,
                2025,
                title="Guizhou tax credit for data centres",
                plan="Guizhou big data plan",
                quantities=[
                    quantity("gz-centres", 30, "data centres", "data centres", "target"),
                ],
            ),
        ],
    )
    return corpus([new_doc], tax)
