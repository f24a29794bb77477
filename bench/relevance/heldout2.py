"""The relevance benchmark's SECOND held-out set (issue #17): how the lexicon generalises AFTER it was
enriched for the first held-out set's misses (bench/relevance/heldout.py).

Same shape as corpus.py and heldout.py, on topics that neither set covers and for which no
vocabulary was added (homeless shelters, malaria, walking school buses, food banks, potholes,
plastic bags, road safety, public Wi-Fi, nurseries, measles, beaches, fishing, noise, youth
jobs, moto-taxis, sports grounds). Written after the enrichment and scored once, with no pair
added for it afterwards: its first score is the estimate of what peers' own queries get.
Caveat: its author had read lexicon/data/core.tsv by then (the first set's author had not).
"""

from typing import Any

from .corpus import report, topic_queries, topic_records

TOPICS: list[tuple[dict, str, str]] = [
    # (report, French query, English query)
    # -- English-only reports
    (report("h2-manchester-shelters", "en", "Manchester", "GB",
            "Manchester opens winter night shelters for rough sleepers",
            "Churches and council buildings offer a bed, a hot meal and housing advice every night from "
            "December to March.",
            themes=["mutual-aid-solidarity", "habitat-environment"]),
     "hébergement des sans-abri", "homeless shelters"),
    (report("h2-lusaka-malaria", "en", "Lusaka", "ZM",
            "Lusaka hands out bed nets to fight malaria",
            "Community health volunteers distribute insecticide-treated mosquito nets and spray homes before "
            "the rainy season.",
            themes=["health-wellbeing"]),
     "moustiquaires paludisme", "malaria bed nets"),
    (report("h2-auckland-walking-bus", "en", "Auckland", "NZ",
            "Auckland's walking school buses take children to school on foot",
            "Parent volunteers walk set routes and collect pupils at stops along the way.",
            themes=["mobility-transport", "education-employment"]),
     "pédibus scolaire", "walking school bus"),
    (report("h2-leicester-food-bank", "en", "Leicester", "GB",
            "Leicester's food banks share out unsold groceries",
            "Supermarkets donate unsold food, volunteers sort it and families referred by social workers "
            "collect a parcel each week.",
            themes=["food-consumption", "mutual-aid-solidarity"]),
     "banques alimentaires", "food banks"),
    (report("h2-colombo-potholes", "en", "Colombo", "LK",
            "Colombo residents report potholes with a mobile app",
            "Photos of damaged roads go to the road department, which repairs them within ten days.",
            themes=["digital-governance", "mobility-transport"]),
     "signaler les nids-de-poule", "report potholes"),
    (report("h2-mombasa-plastic-bags", "en", "Mombasa", "KE",
            "Mombasa bans single-use plastic bags",
            "Shops switched to paper and cloth bags; traders who keep selling plastic ones are fined.",
            themes=["habitat-environment"]),
     "interdiction des sacs plastiques", "plastic bag ban"),
    (report("h2-chennai-road-safety", "en", "Chennai", "IN",
            "Chennai cuts road deaths around its schools",
            "Speed humps, zebra crossings, lower speed limits and traffic wardens made the journey to school safer.",
            themes=["mobility-transport", "health-wellbeing"]),
     "sécurité routière", "road safety"),
    (report("h2-singapore-wifi", "en", "Singapore", "SG",
            "Singapore extends free public Wi-Fi to its hawker centres",
            "Wireless hotspots in food courts and libraries let residents go online without a data plan.",
            themes=["digital-governance"]),
     "wifi public gratuit", "free public wifi"),
    # -- French-only reports
    (report("h2-lome-nurseries", "fr", "Lomé", "TG",
            "Lomé ouvre des crèches municipales pour les mères qui travaillent au marché",
            "Les tout-petits sont gardés pendant la journée par des auxiliaires de puériculture formées.",
            themes=["education-employment", "mutual-aid-solidarity"]),
     "crèches municipales", "childcare centres"),
    (report("h2-bobo-measles", "fr", "Bobo-Dioulasso", "BF",
            "Bobo-Dioulasso vaccine les enfants contre la rougeole dans les quartiers",
            "Des équipes mobiles de vaccination passent dans les écoles et sur les marchés.",
            themes=["health-wellbeing"]),
     "vaccination rougeole", "measles vaccination"),
    (report("h2-marseille-beaches", "fr", "Marseille", "FR",
            "Marseille mobilise des bénévoles pour nettoyer ses plages",
            "Chaque printemps, les habitants ramassent mégots et plastiques sur le littoral avec les associations.",
            themes=["habitat-environment"]),
     "nettoyage des plages", "beach clean-up"),
    (report("h2-mbour-fishing", "fr", "Mbour", "SN",
            "Mbour modernise le quai de pêche artisanale",
            "Les pêcheurs débarquent le poisson sur un quai couvert, avec une chambre froide et une fabrique de glace.",
            themes=["food-consumption", "education-employment"]),
     "pêche artisanale", "small-scale fisheries"),
    (report("h2-brussels-noise", "fr", "Bruxelles", "BE",
            "Bruxelles publie la carte du bruit routier",
            "Les mesures acoustiques montrent les rues où les riverains subissent le plus de bruit ; des "
            "revêtements silencieux y sont posés.",
            themes=["habitat-environment", "health-wellbeing"]),
     "carte du bruit", "noise map"),
    (report("h2-yaounde-youth-jobs", "fr", "Yaoundé", "CM",
            "Yaoundé forme les jeunes aux métiers du bâtiment",
            "Des chantiers-écoles emploient des jeunes sans diplôme pour construire des équipements publics.",
            themes=["education-employment"]),
     "emploi des jeunes", "youth employment"),
    (report("h2-brazzaville-moto-taxis", "fr", "Brazzaville", "CG",
            "Brazzaville immatricule ses motos-taxis",
            "Les conducteurs reçoivent un gilet numéroté, un casque et une formation au code de la route.",
            themes=["mobility-transport"]),
     "moto-taxis", "motorbike taxis"),
    (report("h2-lausanne-sports", "fr", "Lausanne", "CH",
            "Lausanne ouvre ses équipements sportifs scolaires le week-end",
            "Les stades et les gymnases des écoles accueillent les clubs et les familles le samedi et le dimanche.",
            themes=["health-wellbeing", "education-employment"]),
     "équipements sportifs", "sports facilities"),
]  # fmt: skip

# What changed AFTER this set's blind run (2026-11-30); no query or report above was changed.
# Pairs in lexicon/data/core.tsv, in the blocks headed "added after the second held-out set's blind run"
# (about 170 pairs: social services and homelessness, public health campaigns, road safety and walking to
# school, public space and sport, fishing and local economy, "en ligne"/online) and "relational
# adjectives" (scolaire: school, routière: road, alimentaire: food...; French keys do not fold genders).
AFTER_BLIND = ("missing pair", "relational adjective", "hyphenated spelling (wifi / Wi-Fi)")

# Reports about something else, sharing everyday words with the topics.
DISTRACTORS = [
    report("h2-nice-jazz", "fr", "Nice", "FR", "Nice organise un festival de jazz sur la plage",
           "Des concerts gratuits chaque soir de juillet, avec des navettes depuis la gare."),
    report("h2-poitiers-pool", "fr", "Poitiers", "FR", "Poitiers rénove sa piscine municipale",
           "Le bassin olympique rouvre avec des créneaux pour les écoles et les clubs."),
    report("h2-boston-marathon", "en", "Boston", "US", "Boston closes roads for its marathon",
           "Volunteers staff water stations along the route and the city reopens the roads by the evening."),
    report("h2-edinburgh-books", "en", "Edinburgh", "GB", "Edinburgh's book festival comes to public libraries",
           "Free readings for children and families in every library of the city."),
]  # fmt: skip


def queries() -> list[dict[str, Any]]:
    return topic_queries(TOPICS)


def records() -> list[dict]:
    return topic_records(TOPICS, DISTRACTORS)
