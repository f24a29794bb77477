"""Synthetic bilingual experience records in the import format of docs/product.md."""

import json
import random
from collections.abc import Iterator
from pathlib import Path

from experiences import vocabulary

CITIES = [
    ("Béthune", "FR", 50.53, 2.64, 25000), ("Lyon", "FR", 45.76, 4.84, 520000), ("Dakar", "SN", 14.69, -17.44, 1100000),
    ("Saint-Louis", "SN", 16.03, -16.49, 210000), ("Wuhan", "CN", 30.58, 114.27, 10000000),
    ("Montpellier", "FR", 43.61, 3.88, 290000), ("Grenoble", "FR", 45.19, 5.72, 158000),
    ("Dubai", "AE", 25.20, 55.27, 3600000), ("Ouagadougou", "BF", 12.37, -1.53, 2400000),
    ("Annecy", "FR", 45.90, 6.13, 130000), ("Cahors", "FR", 44.45, 1.44, 20000), ("Hué", "VN", 16.46, 107.59, 450000),
    ("Rabat", "MA", 34.02, -6.83, 580000), ("Lorient", "FR", 47.75, -3.37, 57000), ("Porto-Novo", "BJ", 6.50, 2.60, 264000),
]  # fmt: skip
THEMES = [t.slug for t in vocabulary.THEMES]
ACTORS = [t.slug for t in vocabulary.ACTORS]
STATUSES = [t.slug for t in vocabulary.STATUSES]
WORDS = (
    "mobilité énergie école quartier habitants données solaire vélo marché santé eau déchets culture "
    "numérique participation coopération jardin bus réseau climat"
).split()


def records(count: int, seed: int = 7, prefix: str = "bench") -> Iterator[dict]:
    """``count`` records: count/2 experiences, each in French and in English."""
    rng = random.Random(seed)
    for number in range(count // 2 + count % 2):
        city, country, lat, lon, population = rng.choice(CITIES)
        partner = rng.choice([c for c in CITIES if c[0] != city])
        base = {
            "external_id": f"{prefix}-{number:06d}",
            "city": city, "country": country, "latitude": lat, "longitude": lon, "population": population,
            "partner_cities": [{"city": partner[0], "country": partner[1]}],
            "themes": rng.sample(THEMES, 2), "sdgs": rng.sample(range(1, 18), 3),
            "tags": rng.sample(WORDS, 3), "status": rng.choice(STATUSES),
            "start_year": rng.randint(2010, 2024), "end_year": None, "actors": rng.sample(ACTORS, 2),
            "indicators": [{"name": "Participants", "value": rng.randint(10, 5000), "unit": "", "year": None}],
            "source_url": f"https://example.org/{number}",
        }  # fmt: skip
        words = " ".join(rng.choices(WORDS, k=120))
        for language in ("fr", "en"):
            yield {
                **base,
                "language": language,
                "title": f"Expérience {number} à {city}" if language == "fr" else f"Experience {number} in {city}",
                "summary": words[:300],
                "body": f"<p>{words}</p><p>{words[::-1]}</p>",
                "lessons": words[:200],
            }


def lines(count: int, seed: int = 7, prefix: str = "bench") -> list[str]:
    return [json.dumps(r, ensure_ascii=False) for r in records(count, seed, prefix)][:count]


def write(path: Path, count: int, seed: int = 7, prefix: str = "bench") -> Path:
    """The same records written line by line to ``path`` (never all in memory)."""
    with path.open("w", encoding="utf-8") as handle:
        for written, record in enumerate(records(count, seed, prefix)):
            if written == count:
                break
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
