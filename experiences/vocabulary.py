"""The network's controlled vocabulary (docs/product.md): stable slugs, bilingual labels.

Labels are given in both languages here rather than through gettext so that the
vocabulary is complete wherever it is read (templates, e-mails, API, imports).
"""

from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import get_language


@dataclass(frozen=True)
class Term:
    slug: str
    en: str
    fr: str

    @property
    def label(self) -> str:
        return self.fr if (get_language() or "fr").startswith("fr") else self.en

    def __str__(self) -> str:
        return self.label


THEMES: tuple[Term, ...] = (
    Term("habitat-environment", "Habitat & environment", "Habitat, environnement"),
    Term("mobility-transport", "Mobility & transport", "Mobilité, transports"),
    Term("education-employment", "Education & employment", "Éducation, emploi"),
    Term("food-consumption", "Food & consumption", "Alimentation, consommation"),
    Term("leisure-culture", "Leisure & culture", "Loisirs, culture"),
    Term("health-wellbeing", "Health & well-being", "Santé, bien-être"),
    Term("mutual-aid-solidarity", "Mutual aid & solidarity", "Entraide, solidarité"),
    Term("energy-climate", "Energy & climate", "Énergie, climat"),
    Term("digital-governance", "Digital services & participation", "Services numériques, participation"),
)

SDGS: tuple[Term, ...] = (
    Term("1", "No poverty", "Pas de pauvreté"),
    Term("2", "Zero hunger", "Faim « zéro »"),
    Term("3", "Good health and well-being", "Bonne santé et bien-être"),
    Term("4", "Quality education", "Éducation de qualité"),
    Term("5", "Gender equality", "Égalité entre les sexes"),
    Term("6", "Clean water and sanitation", "Eau propre et assainissement"),
    Term("7", "Affordable and clean energy", "Énergie propre et d'un coût abordable"),
    Term("8", "Decent work and economic growth", "Travail décent et croissance économique"),
    Term("9", "Industry, innovation and infrastructure", "Industrie, innovation et infrastructure"),
    Term("10", "Reduced inequalities", "Inégalités réduites"),
    Term("11", "Sustainable cities and communities", "Villes et communautés durables"),
    Term("12", "Responsible consumption and production", "Consommation et production responsables"),
    Term("13", "Climate action", "Mesures relatives à la lutte contre les changements climatiques"),
    Term("14", "Life below water", "Vie aquatique"),
    Term("15", "Life on land", "Vie terrestre"),
    Term("16", "Peace, justice and strong institutions", "Paix, justice et institutions efficaces"),
    Term("17", "Partnerships for the goals", "Partenariats pour la réalisation des objectifs"),
)

STATUSES: tuple[Term, ...] = (
    Term("planned", "Planned", "Prévu"),
    Term("in_progress", "In progress", "En cours"),
    Term("completed", "Completed", "Réalisé"),
)

ACTORS: tuple[Term, ...] = (
    Term("public", "Public authorities", "Acteurs publics"),
    Term("private", "Companies", "Entreprises"),
    Term("academic", "Universities & research", "Universités, recherche"),
    Term("schools", "Schools", "Écoles"),
    Term("associations", "Associations", "Associations"),
    Term("citizens", "Residents", "Habitants"),
)

REGIONS: tuple[Term, ...] = (
    Term("north", "Global North", "Nord"),
    Term("south", "Global South", "Sud"),
)

# French numbers keep non-breaking spaces (\u00a0): "> 1 000 000" never breaks across lines.
SIZES: tuple[Term, ...] = (
    Term("small", "Small city (< 20,000)", "Petite ville (<\u00a020\u00a0000)"),
    Term("medium", "Medium-sized city (20,000–100,000)", "Ville moyenne (20\u00a0000–100\u00a0000)"),
    Term("large", "Large city (100,000–1,000,000)", "Grande ville (100\u00a0000–1\u00a0000\u00a0000)"),
    Term("metropolis", "Metropolis (> 1,000,000)", "Métropole (>\u00a01\u00a0000\u00a0000)"),
)


def by_slug(terms: tuple[Term, ...]) -> dict[str, Term]:
    return {term.slug: term for term in terms}


def _label(term: Term) -> str:
    return term.label


# Lazy: a model field's choices are built at import, their labels read in each request's language.
_lazy_label = lazy(_label, str)


def choices(terms: tuple[Term, ...]) -> list[tuple[str, str]]:
    """Django field choices; labels follow the active language when rendered (the admin's
    listings and filters: "Nord", "Grande ville (…)" in French, not "north", "large")."""
    return [(term.slug, _lazy_label(term)) for term in terms]


def size_class(population: int | None) -> str | None:
    """The size class (docs/product.md) of a city of this population."""
    if population is None:
        return None
    if population < 20_000:
        return "small"
    if population <= 100_000:
        return "medium"
    if population <= 1_000_000:
        return "large"
    return "metropolis"
