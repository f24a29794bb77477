"""Synthetic experience reports in French and English, in the import format of docs/product.md.

Sentences are assembled from templates about what cities really do (energy
plans with schools, bus lanes, compost, flood alerts…), so that the words,
their inflections and their spread look like the real reports'.
"""

import json
import random
from collections.abc import Iterator

from experiences import vocabulary

CITIES = [
    ("Béthune", "FR", 25000), ("Lyon", "FR", 520000), ("Dakar", "SN", 1100000), ("Saint-Louis", "SN", 210000),
    ("Wuhan", "CN", 10000000), ("Montpellier", "FR", 290000), ("Grenoble", "FR", 158000), ("Dubai", "AE", 3600000),
    ("Ouagadougou", "BF", 2400000), ("Annecy", "FR", 130000), ("Cahors", "FR", 20000), ("Hué", "VN", 450000),
    ("Rabat", "MA", 580000), ("Lorient", "FR", 57000), ("Porto-Novo", "BJ", 264000), ("Saumur", "FR", 26000),
    ("Curitiba", "BR", 1900000), ("Chefchaouen", "MA", 42000), ("Lille", "FR", 235000), ("Da Nang", "VN", 1200000),
    ("Québec", "CA", 550000), ("Tunis", "TN", 640000), ("Liège", "BE", 197000), ("Bamako", "ML", 2700000),
]  # fmt: skip

FR = {
    "subjects": ["la ville", "la commune", "la métropole", "l'agglomération", "la mairie", "le conseil municipal"],
    "actions": [
        "associe les écoles à",
        "lance",
        "évalue",
        "finance",
        "coordonne",
        "partage les résultats de",
        "étend",
        "teste avec les habitants",
    ],
    "objects": [
        "son plan climat-air-énergie",
        "un réseau de bus à haut niveau de service",
        "le compostage des déchets",
        "des compteurs communicants dans les écoles",
        "un service numérique d'alerte inondation",
        "une application de covoiturage",
        "la rénovation énergétique des logements",
        "un budget participatif",
        "des jardins partagés",
        "un indice de bonheur des habitants",
        "la cantine scolaire bio",
        "une maison de santé",
        "le marché des producteurs locaux",
        "une plateforme de données ouvertes",
        "des pistes cyclables sécurisées",
    ],
    "partners": [
        "avec une université",
        "avec des associations de quartier",
        "avec une ville partenaire du Sud",
        "avec une entreprise locale",
        "avec les parents d'élèves",
        "avec la région",
    ],
    "results": [
        "La consommation a baissé de {n} %.",
        "{n} familles ont participé.",
        "Les élèves suivent les données.",
        "Le projet a été repris par {n} communes voisines.",
        "Les habitants ont voté pour {n} projets.",
    ],
    "title": "{city} : {object}",
}
EN = {
    "subjects": ["the city", "the municipality", "the metropolitan area", "the town council", "city hall"],
    "actions": [
        "involves schools in",
        "launches",
        "evaluates",
        "funds",
        "coordinates",
        "shares the results of",
        "extends",
        "tests with residents",
    ],
    "objects": [
        "its climate and energy plan",
        "a bus rapid transit network",
        "household waste composting",
        "smart meters in schools",
        "a digital flood alert service",
        "a car-sharing app",
        "energy renovation of housing",
        "a participatory budget",
        "community gardens",
        "a residents' happiness index",
        "organic school meals",
        "a community health centre",
        "the local farmers' market",
        "an open data platform",
        "safe cycle lanes",
    ],
    "partners": [
        "with a university",
        "with neighbourhood associations",
        "with a partner city in the South",
        "with a local company",
        "with pupils' parents",
        "with the region",
    ],
    "results": [
        "Consumption fell by {n}%.",
        "{n} families took part.",
        "Pupils follow the data.",
        "{n} neighbouring towns took the project up.",
        "Residents voted for {n} projects.",
    ],
    "title": "{city}: {object}",
}
TAGS = [
    "energy",
    "schools",
    "smart city",
    "north-south",
    "participation",
    "compost",
    "mobility",
    "open data",
    "happiness index",
    "climate",
    "écoles",
    "coopération décentralisée",
    "pcaet",
    "health",
    "bus",
]


def _sentence(rng: random.Random, lang: dict) -> str:
    s = (
        f"{rng.choice(lang['subjects'])} {rng.choice(lang['actions'])} {rng.choice(lang['objects'])} "
        f"{rng.choice(lang['partners'])}."
    )
    return s[0].upper() + s[1:] + " " + rng.choice(lang["results"]).format(n=rng.randint(3, 90))


def records(count: int, seed: int = 11) -> Iterator[dict]:
    """``count`` records: count/2 reports, each in French and in English."""
    rng = random.Random(seed)
    themes = [t.slug for t in vocabulary.THEMES]
    statuses = [t.slug for t in vocabulary.STATUSES]
    for number in range(count // 2 + count % 2):
        city, country, population = rng.choice(CITIES)
        base = {
            "external_id": f"bench-search-{number:06d}", "city": city, "country": country, "population": population,
            "themes": rng.sample(themes, 2), "sdgs": rng.sample(range(1, 18), 3), "tags": rng.sample(TAGS, 3),
            "status": rng.choice(statuses), "start_year": rng.randint(2012, 2025),
        }  # fmt: skip
        state = rng.getstate()
        for code, lang in (("fr", FR), ("en", EN)):
            rng.setstate(state)  # the same story in both languages
            obj = rng.choice(lang["objects"])
            yield {
                **base,
                "language": code,
                "title": lang["title"].format(city=city, object=obj) + f" ({number})",
                "summary": " ".join(_sentence(rng, lang) for _ in range(2)),
                "body": " ".join(_sentence(rng, lang) for _ in range(8)),
                "lessons": _sentence(rng, lang),
            }


def write(path: str, count: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for record in records(count):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
