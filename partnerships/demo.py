"""Two partnerships for the demo (cooperation_hub/demo calls ``load_demo_partnerships``): a North–South
technical cooperation still running and a South–South study visit that ended, both between cities
whose demo reports name each other as partners. Running it again changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from experiences.models import City, ExperiencePage

from .models import Partnership, PartnershipCity

DEMO: list[dict[str, Any]] = [  # one partnership each, its fields by name
    {
        "title_en": "Lorient – Da Nang: school energy and flood alerts",
        "title_fr": "Lorient – Da Nang : énergie des écoles et alertes aux inondations",
        "cities": [("Lorient", "FR", PartnershipCity.Role.LEAD), ("Da Nang", "VN", PartnershipCity.Role.PARTNER)],
        "kind": Partnership.Kind.TECHNICAL_COOPERATION,
        "status": Partnership.Status.ACTIVE,
        "start_date": datetime.date(2024, 3, 1),
        "end_date": datetime.date(2026, 12, 31),
        "themes": ["energy-climate", "education-employment", "habitat-environment"],
        "sdgs": [7, 11, 13],
        "reports": ["lorient-school-energy-monitoring", "da-nang-flood-alerts"],
        "description_en": (
            "Technical staff of both cities compare how they monitor energy use in schools and how they "
            "warn residents of floods, and adapt each other's tools."
        ),
        "description_fr": (
            "Les services techniques des deux villes comparent leur suivi de la consommation d’énergie "
            "des écoles et leurs alertes aux inondations, et adaptent les outils l’une de l’autre."
        ),
        "budget": "",
        "cofunding_source": "",
        "financials_public": False,
        "internal_notes": "Demo: the budget is still being negotiated; nothing to publish yet.",
    },
    {
        "title_en": "Saint-Louis – Curitiba: recycling for food",
        "title_fr": "Saint-Louis – Curitiba : des déchets recyclables contre des aliments",
        "cities": [("Curitiba", "BR", PartnershipCity.Role.LEAD), ("Saint-Louis", "SN", PartnershipCity.Role.PARTNER)],
        "kind": Partnership.Kind.STUDY_VISIT,
        "status": Partnership.Status.COMPLETED,
        "start_date": datetime.date(2023, 5, 15),
        "end_date": datetime.date(2024, 6, 30),
        "themes": ["food-consumption", "habitat-environment", "mutual-aid-solidarity"],
        "sdgs": [2, 11, 12],
        "reports": ["curitiba-recycling-for-food", "southern-cities-learning-from-north"],
        "description_en": (
            "A delegation from Saint-Louis studied Curitiba's exchange of recyclable waste for food, "
            "then tried it in two neighbourhoods."
        ),
        "description_fr": (
            "Une délégation de Saint-Louis a étudié l’échange de déchets recyclables contre des aliments "
            "à Curitiba, puis l’a essayé dans deux quartiers."
        ),
        "budget": "Demo figure: 20,000 EUR",
        "cofunding_source": "Demo: a decentralised-cooperation call",
        "financials_public": True,
        "internal_notes": "",
    },
]


@transaction.atomic
def load_demo_partnerships() -> list[Partnership]:
    """The demo partnerships, created or brought back to their demo state; public at once."""
    result = []
    for spec in DEMO:
        cities = []
        for name, country, role in spec["cities"]:
            city = City.objects.filter(name=name, country=country).first()
            if city is None:  # the demo reports did not load this city: skip the partnership
                break
            cities.append((city, role))
        else:
            # Found by either title: a demo loaded before the titles were translated has the English
            # one in both languages.
            partnership = (
                Partnership.objects.filter(title_en=spec["title_en"]).first()
                or Partnership.objects.filter(title_fr=spec["title_fr"]).first()
                or Partnership(kind=spec["kind"])
            )
            for field in ("title_fr", "title_en", "kind", "status", "start_date", "end_date", "description_fr",
                          "description_en", "budget", "cofunding_source", "financials_public",
                          "internal_notes"):  # fmt: skip
                setattr(partnership, field, spec[field])
            partnership.is_public = True
            partnership.save()
            PartnershipCity.objects.filter(partnership=partnership).delete()
            PartnershipCity.objects.bulk_create(
                PartnershipCity(partnership=partnership, city=city, role=role, sort_order=order)
                for order, (city, role) in enumerate(cities)
            )
            partnership.themes.set(partnership.themes.model.objects.filter(slug__in=spec["themes"]))
            partnership.sdgs.set(partnership.sdgs.model.objects.filter(number__in=spec["sdgs"]))
            partnership.reports.set(ExperiencePage.objects.filter(external_id__in=spec["reports"]))
            partnership.save()
            result.append(partnership)
    return result
