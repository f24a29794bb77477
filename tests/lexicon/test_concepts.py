"""The concepts a text names (peer matching and comparable projects compare them): read through
one table of both languages' expressions and only the lengths they have, the same concepts as
trying every length in each language's table — on the demo's reports, the benchmark's generated
texts and expressions that overlap."""

import pytest

from bench.search.generate import records
from experiences.models import ExperiencePage
from lexicon import lexicon as lx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

OVERLAPS = [
    "Cable cars and gondola lifts in Medellín",
    "Des téléphériques urbains pour les quartiers hauts",
    "Qualité de l'air et qualité air : transports publics, bus électriques",
    "budget participatif, budgets participatifs, écoles primaires de Wuhan",
    "smart city smart cities ville intelligente villes intelligentes",
    "",
]


def _every_length(lexicon: lx.Lexicon, text: str) -> set[str]:
    """The algorithm as it was: at each word, every length from the longest, in both tables."""
    words = [lx.singular(w) for w in lx.WORD_RE.findall(lx.fold(text)) if w not in lx._KEY_STOPWORDS]
    out: set[str] = set()
    start = 0
    while start < len(words):
        for size in range(min(lx.MAX_CONCEPT_WORDS, len(words) - start), 0, -1):
            gram = " ".join(words[start : start + size])
            named = lexicon.concept_of["en"].get(gram, set()) | lexicon.concept_of["fr"].get(gram, set())
            if named:
                out |= named
                start += size
                break
        else:
            start += 1
    return out


def test_the_same_concepts_as_trying_every_length():
    lexicon = lx.current()
    texts = [*OVERLAPS]
    texts += [f"{p.title} . {p.summary}" for p in ExperiencePage.objects.all()]
    texts += [f"{r['title']} . {r['summary']} {r['body']}" for r in records(200)]
    named = 0
    for text in texts:
        expected = _every_length(lexicon, text)
        assert lexicon.concepts(text) == expected, text
        named += bool(expected)
    assert named > len(texts) // 2, "most texts name no concept: the comparison proves little"
