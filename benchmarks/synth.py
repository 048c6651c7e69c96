"""Write N valid, varied synthetic cases for benchmarks.

    python benchmarks/synth.py 1000 benchmarks/out/cases-1000 [--seed 1]

Every text field has a realistic length (problems of 100-300 words), every
vocabulary term is used, each case has 1-3 councils, related links and
measures, so the load resembles the real catalogue. Output is deterministic for
a given seed and passes ``casebook validate``.
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from generator.core.register import councils
from generator.core.schema import vocabularies

WORDS = [
    "council",
    "data",
    "residents",
    "service",
    "families",
    "housing",
    "care",
    "analysis",
    "team",
    "records",
    "social",
    "workers",
    "budget",
    "savings",
    "early",
    "help",
    "demand",
    "risk",
    "model",
    "dashboard",
    "partners",
    "health",
    "police",
    "schools",
    "roads",
    "sensors",
    "waste",
    "recycling",
    "tenants",
    "repairs",
    "benefits",
    "council-tax",
    "fraud",
    "discounts",
    "evidence",
    "pilot",
    "frontline",
    "managers",
    "insight",
    "officers",
    "systems",
    "quality",
    "sharing",
    "agreement",
    "governance",
    "cabinet",
    "neighbourhood",
    "ward",
    "district",
    "county",
    "borough",
    "analysts",
    "procurement",
    "supplier",
    "platform",
    "warehouse",
    "prevention",
    "homelessness",
    "rough",
    "sleeping",
    "temporary",
    "accommodation",
    "visits",
    "inspections",
    "hazards",
    "carers",
    "adults",
    "children",
    "attendance",
    "exclusions",
    "transport",
    "congestion",
    "parking",
    "gritting",
    "winter",
]
PLACES = (
    "Ashford",
    "Bexley",
    "Caerphilly",
    "Dundee",
    "Exeter",
    "Fermanagh",
    "Gateshead",
    "Harrow",
    "Ipswich",
    "Jarrow",
    "Kirklees",
    "Lambeth",
    "Merthyr",
    "Newry",
    "Oldham",
    "Perth",
    "Rhondda",
    "Salford",
    "Torbay",
    "Walsall",
    "Ynys Môn",
    "Zetland",
)


def words(rng: random.Random, low: int, high: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def paragraphs(rng: random.Random, low: int, high: int) -> str:
    total = rng.randint(low, high)
    parts, left = [], total
    while left > 0:
        n = min(left, rng.randint(30, 90))
        parts.append(words(rng, n, n))
        left -= n
    return "\n\n".join(parts) + "\n"


def pick(rng: random.Random, vocab: str, low: int, high: int, i: int) -> list[Any]:
    terms = vocabularies()[vocab].ids()
    first = terms[i % len(terms)]  # cycling guarantees every term is used
    rest = rng.sample([t for t in terms if t != first], rng.randint(low, high) - 1)
    return [first, *rest]


def council(rng: random.Random, i: int) -> dict[str, Any]:
    """A council as case format 1.2 accepts it: a register row with its code, or a partnership."""
    types = vocabularies()["council_types"].ids()
    kind = types[i % len(types)]
    if kind == "partnership":
        regions = vocabularies()["regions"].ids()
        return {"name": f"Councils of {rng.choice(PLACES)}", "type": kind, "region": regions[i % len(regions)]}
    row = rng.choice([c for c in councils().values() if c.type == kind])
    return {"name": f"{row.name} Council", "gss_code": row.code, "type": row.type, "region": row.region}


def make_case(rng: random.Random, i: int, n: int, today: date) -> dict[str, Any]:
    case_id = f"synthetic-case-{i:05d}"
    vocab = vocabularies()
    case: dict[str, Any] = {
        "id": case_id,
        "title": f"Case {i}: " + words(rng, 5, 12)[:100],
        "summary": words(rng, 15, 35)[:290],
        "councils": [council(rng, i + k) for k in range(rng.randint(1, 3))],
        "partners": [f"{rng.choice(PLACES)} NHS Trust", f"University of {rng.choice(PLACES)}"][: rng.randint(0, 2)],
        "themes": pick(rng, "themes", 1, 4, i),
        "techniques": pick(rng, "techniques", 1, 5, i),
        "status": vocab["status"].ids()[i % 5],
        "year_started": rng.randint(2005, today.year),
        "problem": paragraphs(rng, 100, 300),
        "data": [
            {
                "name": words(rng, 2, 5)[:-1],
                "owner": f"{rng.choice(PLACES)} Council",
                "kind": vocab["data_kinds"].ids()[(i + k) % 6],
                "personal": rng.random() < 0.5,
            }
            for k in range(rng.randint(1, 4))
        ],
        "approach": paragraphs(rng, 80, 200),
        "impact": {
            "summary": paragraphs(rng, 30, 80),
            "evidence_level": vocab["evidence_levels"].ids()[i % 5],
            "measures": [
                {
                    "metric": words(rng, 2, 4)[:-1],
                    "value": round(rng.uniform(1, 2_000_000), rng.choice([0, 1])),
                    "unit": vocab["units"].ids()[(i + k) % 7],
                    "period": vocab["periods"].ids()[(i + k) % 3],
                    "year": rng.randint(2010, today.year),
                }
                for k in range(rng.randint(0, 3))
            ],
        },
        "challenges": [{"category": c, "description": words(rng, 10, 30)} for c in pick(rng, "challenges", 1, 3, i)],
        "success_factors": [
            {"category": c, "description": words(rng, 10, 30)} for c in pick(rng, "success_factors", 1, 3, i)
        ],
        "replication": {
            "guidance": paragraphs(rng, 30, 90),
            "adopted_by": sorted({f"{rng.choice(PLACES)} Council" for _ in range(rng.randint(0, 2))}),
        },
        "sources": [
            {
                "title": words(rng, 4, 10)[:-1],
                "url": f"https://www.example-{k}.org.uk/reports/{case_id}",
                "publisher": f"{rng.choice(PLACES)} Council",
                "published": str(rng.randint(2010, today.year)),
            }
            for k in range(rng.randint(1, 3))
        ],
        "contact": {
            "role": "Head of Data and Insight",
            "organisation": f"{rng.choice(PLACES)} Council",
            "email": f"insight.team{i}@example.gov.uk",
        },
        "related": sorted({f"synthetic-case-{rng.randrange(n):05d}" for _ in range(rng.randint(0, 3))} - {case_id}),
        "licence": rng.choice(["OGL-3.0", "CC-BY-4.0"]),
        "last_reviewed": (today - timedelta(days=rng.randint(0, 600))).isoformat(),
    }
    if not case["impact"]["measures"]:
        del case["impact"]["measures"]
    if not case["replication"]["adopted_by"]:
        del case["replication"]["adopted_by"]
    add_format_1_1(case, rng, i)
    return case


def add_format_1_1(case: dict[str, Any], rng: random.Random, i: int) -> None:
    """The 1.1 fields, filled as the evidence rules require (level 3 and up: a comparison, and so on)."""
    vocab = vocabularies()
    level = case["impact"]["evidence_level"]
    sources = len(case["sources"])
    for measure in case["impact"].get("measures", []):
        measure["source"] = rng.randint(1, sources)
    if level >= 3 or i % 2:
        case["impact"]["evaluation"] = {
            "design": "randomised-trial" if level >= 3 else vocab["evaluation_designs"].ids()[i % 5],
            "by": "independent" if level >= 3 else vocab["evaluators"].ids()[i % 3],
            "result": "positive" if level >= 2 else vocab["results"].ids()[i % 5],
            "source": rng.randint(1, sources),
        }
    if i % 5:
        case["replication"]["effort"] = {
            "cost": vocab["cost_bands"].ids()[i % 5],
            "time_to_first_result": vocab["durations"].ids()[i % 4],
            "team": sorted({str(rng.choice(vocab["roles"].ids())) for _ in range(rng.randint(1, 4))}),
        }
        case["replication"]["prerequisites"] = sorted(
            {str(rng.choice(vocab["prerequisites"].ids())) for _ in range(rng.randint(1, 3))}
        )
    if i % 3 == 0:
        kind = vocab["artefact_kinds"].ids()[i % 9]
        case["replication"]["artefacts"] = [
            {"title": f"Reusable {kind}", "url": f"https://www.example.org.uk/{case['id']}/{kind}", "kind": kind}
        ]


def write_catalogue(n: int, out: Path, seed: int = 1, today: date | None = None) -> None:
    """Write ``n`` cases to ``out`` (emptied first)."""
    today = today or date.today()
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for i in range(n):
        case = make_case(rng, i, n, today)
        text = yaml.dump(case, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
        (out / f"{case['id']}.yaml").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="how many cases")
    parser.add_argument("outdir", type=Path, help="folder to write them to (emptied first)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args()
    write_catalogue(args.n, args.outdir, args.seed)
    print(f"wrote {args.n} cases to {args.outdir}")


if __name__ == "__main__":
    main()
