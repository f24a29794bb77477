"""The relevance benchmark's corpus (issue #17): reports that each exist in ONE language only, and
queries in both languages with the reports judged relevant to them.

Written for this benchmark, not taken from the lexicon's or the tests' examples: the lexicon
was not tuned to these queries (a query that fails here is listed as such in the output).
Each topic has one report; its queries are one in the report's language ("same") and one in
the other ("cross"), as a peer would type them. The distractors share everyday words with
the topics ("quartier", "city", "network"...) but are about something else.
"""

from typing import Any


def report(external_id: str, language: str, city: str, country: str, title: str, summary: str, **extra: Any) -> dict:
    return {
        "external_id": f"rel-{external_id}",
        "language": language,
        "city": city,
        "country": country,
        "title": title,
        "summary": summary,
        **extra,
    }


TOPICS: list[tuple[dict, str, str]] = [
    # (report, French query, English query)
    (report("medellin-cable", "en", "Medellín", "CO",
            "Medellín's Metrocable links hillside neighbourhoods to the metro",
            "Gondola lines carry thirty thousand passengers a day over the informal settlements of the slopes.",
            themes=["mobility-transport"]),
     "téléphérique urbain", "cable car"),
    (report("wuhan-schools", "en", "Wuhan", "CN",
            "Primary schools in Wuhan teach pupils how their city works",
            "Ten primary schools map their district with the children and present projects to the council.",
            themes=["education-employment"]),
     "écoles primaires", "primary schools"),
    (report("nottingham-tram", "en", "Nottingham", "GB",
            "Nottingham extends its tram network to the southern suburbs",
            "Two new light rail lines with park-and-ride sites replaced thousands of car trips.",
            themes=["mobility-transport"]),
     "extension du tramway", "tram extension"),
    (report("thimphu-happiness", "en", "Thimphu", "BT",
            "Thimphu measures the happiness of its residents every year",
            "A citywide happiness index asks residents about their well-being, trust and time use.",
            themes=["health-wellbeing"]),
     "bonheur des habitants", "residents happiness"),
    (report("kigali-car-free", "en", "Kigali", "RW",
            "Kigali closes its main avenues to cars twice a month",
            "On car-free days, streets are open to walking, cycling and free health check-ups.",
            themes=["mobility-transport", "health-wellbeing"]),
     "journée sans voiture", "car-free day"),
    (report("rotterdam-water-squares", "en", "Rotterdam", "NL",
            "Rotterdam's water squares store rainwater during storms",
            "Sunken playgrounds fill with stormwater during heavy rain and protect streets from flooding.",
            themes=["habitat-environment", "energy-climate"]),
     "eaux pluviales inondations", "stormwater flooding"),
    (report("seoul-heat", "en", "Seoul", "KR",
            "Seoul cools a district by restoring a buried stream",
            "Removing an elevated highway and opening the stream lowered summer temperatures: a smaller urban heat island.",
            themes=["energy-climate"]),
     "îlot de chaleur urbain", "urban heat island"),
    (report("pune-waste-pickers", "en", "Pune", "IN",
            "Pune's waste pickers run door-to-door collection as a cooperative",
            "Members collect household waste, sort recyclables and are paid a fee by each household.",
            themes=["habitat-environment", "mutual-aid-solidarity"]),
     "collecte des déchets en porte-à-porte", "door-to-door waste collection"),
    (report("tallinn-eservices", "en", "Tallinn", "EE",
            "Tallinn puts almost every municipal procedure online",
            "With the digital ID card, residents register a child, apply for a permit or pay a fee online.",
            themes=["digital-governance"]),
     "démarches administratives en ligne", "online procedures"),
    (report("accra-solar-lights", "en", "Accra", "GH",
            "Accra installs solar street lights in market streets",
            "Stand-alone solar lamps light the streets of three markets at night, with batteries replaced by local technicians.",
            themes=["energy-climate"]),
     "éclairage public solaire", "solar street lights"),
    (report("cape-town-drought", "en", "Cape Town", "ZA",
            "Cape Town avoided Day Zero during the drought",
            "Water restrictions, pressure management and leak repairs halved the city's water consumption.",
            themes=["habitat-environment"]),
     "sécheresse consommation d'eau", "drought water consumption"),
    (report("bristol-youth", "en", "Bristol", "GB",
            "Bristol's youth council advises the mayor",
            "Young people aged eleven to eighteen are elected in schools and give their opinion on every budget.",
            themes=["digital-governance", "education-employment"]),
     "conseil des jeunes", "youth council"),
    (report("ouaga-water", "fr", "Ouagadougou", "BF",
            "Ouagadougou étend l'accès à l'eau potable dans les quartiers périphériques",
            "Des bornes-fontaines gérées par des comités d'usagers, avec un tarif social au mètre cube.",
            themes=["habitat-environment"]),
     "eau potable", "drinking water"),
    (report("grenoble-budget", "fr", "Grenoble", "FR",
            "Grenoble : le budget participatif a dix ans",
            "Les habitants proposent puis votent les projets financés chaque année dans leur quartier.",
            themes=["digital-governance"]),
     "budget participatif", "participatory budgeting"),
    (report("nouakchott-waste", "fr", "Nouakchott", "MR",
            "Nouakchott organise le tri des déchets ménagers",
            "Des coopératives de femmes trient les ordures et revendent le plastique et le métal.",
            themes=["habitat-environment", "mutual-aid-solidarity"]),
     "tri des déchets", "waste sorting"),
    (report("dakar-brt", "fr", "Dakar", "SN",
            "Dakar met en service son bus à haut niveau de service",
            "Une ligne en site propre relie la banlieue au centre en quarante-cinq minutes.",
            themes=["mobility-transport"]),
     "bus à haut niveau de service", "bus rapid transit"),
    (report("lyon-compost", "fr", "Lyon", "FR",
            "Lyon installe des composteurs partagés au pied des immeubles",
            "Les biodéchets des habitants deviennent un amendement pour les espaces verts de l'arrondissement.",
            themes=["habitat-environment"]),
     "compostage partagé", "community composting"),
    (report("abidjan-health", "fr", "Abidjan", "CI",
            "Abidjan forme des agents de santé communautaires",
            "Ils suivent les femmes enceintes et orientent les enfants malades vers les centres de santé.",
            themes=["health-wellbeing"]),
     "agents de santé communautaires", "community health workers"),
    (report("tunis-housing", "fr", "Tunis", "TN",
            "Tunis réhabilite ses quartiers d'habitat informel",
            "Voirie, assainissement et éclairage dans les quartiers spontanés, sans déplacer les familles.",
            themes=["habitat-environment"]),
     "habitat informel", "informal settlements"),
    (report("montreal-farming", "fr", "Montréal", "CA",
            "Montréal cultive sur les toits : l'agriculture urbaine en plein essor",
            "Serres sur les toits, jardins collectifs et marchés de quartier rapprochent les légumes des habitants.",
            themes=["food-consumption"]),
     "agriculture urbaine", "urban farming"),
    (report("rennes-opendata", "fr", "Rennes", "FR",
            "Rennes ouvre ses données publiques",
            "Horaires des bus, budgets et qualité de l'air sont publiés en données ouvertes et réutilisés par des entreprises.",
            themes=["digital-governance"]),
     "données ouvertes", "open data"),
    (report("niamey-canteens", "fr", "Niamey", "NE",
            "Niamey approvisionne ses cantines scolaires auprès des maraîchers",
            "Un repas chaud par jour pour les élèves, préparé avec les légumes des producteurs locaux.",
            themes=["food-consumption", "education-employment"]),
     "cantines scolaires", "school meals"),
    (report("cotonou-coast", "fr", "Cotonou", "BJ",
            "Cotonou protège son littoral contre l'érosion côtière",
            "Des épis et la plantation de cocotiers ralentissent le recul de la plage.",
            themes=["energy-climate"]),
     "érosion côtière", "coastal erosion"),
    (report("strasbourg-bikes", "fr", "Strasbourg", "FR",
            "Strasbourg relie ses quartiers par un réseau express de pistes cyclables",
            "Des pistes larges et continues font du vélo le premier mode de déplacement pour aller au travail.",
            themes=["mobility-transport"]),
     "pistes cyclables", "bike lanes"),
]  # fmt: skip

# Reports about something else, sharing everyday words with the topics.
DISTRACTORS = [
    report("lille-museum", "fr", "Lille", "FR", "Lille rouvre son musée des beaux-arts après travaux",
           "Le musée accueille les écoles du quartier et propose des visites le soir."),
    report("annecy-lake", "fr", "Annecy", "FR", "Annecy surveille la qualité de l'eau du lac",
           "Des capteurs mesurent la température de l'eau et alertent les baigneurs."),
    report("rabat-tourism", "fr", "Rabat", "MA", "Rabat fait visiter sa médina avec une application",
           "Une carte numérique des monuments pour les touristes et les habitants."),
    report("liege-library", "fr", "Liège", "BE", "Liège ouvre une bibliothèque dans une ancienne gare",
           "Le réseau des bibliothèques de la ville prête aussi des outils et des jeux."),
    report("oslo-port", "en", "Oslo", "NO", "Oslo electrifies the ferries of its port",
           "Charging points on the quays let the city's ferries run on batteries."),
    report("leeds-library", "en", "Leeds", "GB", "Leeds turns a former bank into a public library",
           "The library network of the city lends books, tools and laptops."),
    report("austin-music", "en", "Austin", "US", "Austin protects its live music venues",
           "Grants help small venues of the downtown district pay their rent."),
    report("hue-heritage", "en", "Hué", "VN", "Hué restores the citadel's gates with local craftsmen",
           "Heritage restoration trains young people of the neighbourhood in traditional carpentry."),
]  # fmt: skip


def topic_queries(topics: list[tuple[dict, str, str]]) -> list[dict[str, Any]]:
    """Each topic's two queries: text, language, the relevant reports' ids, and "same" or "cross"."""
    out = []
    for record, fr, en in topics:
        for lang, text in (("fr", fr), ("en", en)):
            kind = "same" if lang == record["language"] else "cross"
            out.append({"q": text, "lang": lang, "relevant": {record["external_id"]}, "kind": kind})
    return out


def topic_records(topics: list[tuple[dict, str, str]], distractors: list[dict]) -> list[dict]:
    return [record for record, _fr, _en in topics] + distractors


def queries() -> list[dict[str, Any]]:
    return topic_queries(TOPICS)


def records() -> list[dict]:
    return topic_records(TOPICS, DISTRACTORS)
