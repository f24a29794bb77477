"""North–South peer matching: which cities a city should talk to, and why.

The facts of every live experience are loaded in a handful of queries
(``load_city_facts``) and the scoring is plain Python over those facts, so a
digest run or a city page costs the same few queries whatever the number of
cities. Each experience counts once, whatever the number of its translations.

Score of a pair (A, B), symmetric part:
  shared theme 3 · shared tag 2 · shared SDG 1 · same size class 2 (adjacent 1)
  · across the North–South divide +4 (only when they share something).
Directional part: A "could teach" B on a theme when A is further along on it
(completed vs planned / in progress, in progress vs planned): +3 per theme.
Shared lexicon concepts of the reports (lexicon app: "téléphérique" and "cable car" are one):
+1 each, up to four. A pair sharing no theme, tag, SDG or two concepts is not a match.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from cooperation_hub import page_cache
from cooperation_hub.text import elide, name_list
from experiences.models import City, ExperiencePage, ExperiencePageTag, Theme
from lexicon import lexicon

SIZE_ORDER = {"small": 0, "medium": 1, "large": 2, "metropolis": 3}
STATUS_LEVEL = {"planned": 0, "in_progress": 1, "completed": 2}

W_THEME, W_TAG, W_SDG, W_SAME_SIZE, W_NEAR_SIZE, W_DIVIDE, W_TEACH = 3, 2, 1, 2, 1, 4, 3
# Lexicon concepts of the reports' titles, summaries and tags, the same in French and English (#17):
# one point each, for a few; two of them make a match even without a shared theme, tag or SDG.
W_CONCEPT, MAX_CONCEPTS = 1, 4


@dataclass
class CityFacts:
    city_id: int
    name: str
    slug: str
    country: str
    region: str
    size: str
    themes: set[int] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    sdgs: set[int] = field(default_factory=set)
    concepts: set[str] = field(default_factory=set)  # lexicon concepts, whatever the reports' language
    # theme id -> levels reached by this city's experiences on that theme
    theme_levels: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))


@dataclass
class Corpus:
    cities: dict[int, CityFacts]
    theme_names: dict[int, tuple[str, str]]  # id -> (en, fr)
    # Pairs of cities already in a partnership, from the apps that register the
    # ``subscriptions_partnered_pairs`` Wagtail hook (partnerships): evidence in the reasons.
    partnered: set[frozenset[int]] = field(default_factory=set)
    # tag -> the languages of the reports that carry it (tags are one vocabulary for both languages)
    tag_languages: dict[str, set[str]] = field(default_factory=dict)
    # (city id, limit) -> its best pairs, ranked once for this corpus whatever the reader's language
    # (a digest run asks for each subscriber's city for French readers and for English ones).
    ranked: dict[tuple[int, int | None], list] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class PeerMatch:
    city_id: int
    name: str
    slug: str
    country: str
    region: str
    score: int
    reasons: list[str]
    teaches: list[int]  # themes on which the peer is further along than the reader's city
    learns: list[int]  # themes on which the reader's city is further along


def kept_corpus() -> Corpus:
    """The corpus, read once per generation of the site, not per view (refreshed by a worker after a
    publication: subscriptions/wagtail_hooks.py)."""
    return page_cache.kept_for_generation("peer-corpus:v3", load_corpus, seconds=page_cache.REFRESHED_SECONDS)


def load_corpus() -> Corpus:
    """The facts of every experience visible to the public, grouped by city, in seven queries
    (and one for the pairs of cities already in a partnership, from the partnerships app's hook)."""
    visible = ExperiencePage.objects.visible_to_public().order_by()
    pages = list(
        visible.values_list("id", "translation_key", "city_id", "status", "title", "summary", "locale__language_code")
    )
    canonical: dict = {}
    texts: dict[int, str] = {}  # for the concepts: one translation's title and summary
    page_language: dict[int, str] = {}
    for page_id, key, city_id, status, title, summary, language in pages:
        if key not in canonical:
            canonical[key] = (page_id, city_id, status)
            texts[page_id] = f"{title} . {summary or ''}"
            page_language[page_id] = language[:2]
    page_city = {pid: (city_id, status) for pid, city_id, status in canonical.values()}
    # The pages are named by a subquery, not by their ids: 10,000 ids as parameters made each of these
    # statements dear to build and to run (~760 ms at 10,000 reports on SQLite). The rows of the other
    # translations come too, and are left out here: each report counts once, as its first version read.
    city_ids = {c for c, _s in page_city.values()}
    cities = {
        c["id"]: CityFacts(c["id"], c["name"], c["slug"], c["country"], c["region"], c["size"])
        for c in City.objects.filter(id__in=visible.values("city_id")).values(
            "id", "name", "slug", "country", "region", "size"
        )
        if c["id"] in city_ids
    }
    through_themes = ExperiencePage.themes.through.objects.filter(experiencepage_id__in=visible.values("pk"))
    for page_id, theme_id in through_themes.values_list("experiencepage_id", "theme_id"):
        if page_id not in page_city:
            continue
        city_id, status = page_city[page_id]
        facts = cities[city_id]
        facts.themes.add(theme_id)
        facts.theme_levels[theme_id].add(STATUS_LEVEL.get(status, 1))
    through_sdgs = ExperiencePage.sdgs.through.objects.filter(experiencepage_id__in=visible.values("pk"))
    for page_id, sdg_number in through_sdgs.values_list("experiencepage_id", "sustainabledevelopmentgoal__number"):
        if page_id in page_city:
            cities[page_city[page_id][0]].sdgs.add(sdg_number)
    # The lexicon in force read once: ``lexicon.concepts`` reads its generation from the shared cache on
    # every call (20,000 file-cache reads, ~600 ms at 10,000 reports, most of this function).
    in_force = lexicon.current()
    tag_languages: dict[str, set[str]] = {}
    tagged = ExperiencePageTag.objects.filter(content_object_id__in=visible.values("pk"))
    for page_id, name in tagged.values_list("content_object_id", "tag__name"):
        if page_id not in page_city:
            continue
        cities[page_city[page_id][0]].tags.add(name.lower())
        tag_languages.setdefault(name.lower(), set()).add(page_language[page_id])
        cities[page_city[page_id][0]].concepts |= in_force.concepts(name)
    for page_id, text in texts.items():
        cities[page_city[page_id][0]].concepts |= in_force.concepts(text)
    theme_names = {t.id: (t.name_en, t.name_fr) for t in Theme.objects.all()}
    from wagtail import hooks

    partnered = {frozenset(pair) for hook in hooks.get_hooks("subscriptions_partnered_pairs") for pair in hook()}
    return Corpus(cities, theme_names, partnered, tag_languages)


def _theme_label(corpus: Corpus, theme_id: int, language: str) -> str:
    en, fr = corpus.theme_names.get(theme_id, ("?", "?"))
    return fr if language.startswith("fr") else en


def _size_phrase(size: str) -> str:
    return {
        "small": _("both small cities"),
        "medium": _("both medium-sized cities"),
        "large": _("both large cities"),
        "metropolis": _("both metropolises"),
    }[size]


def _further_along(a: CityFacts, b: CityFacts, theme_id: int) -> tuple[int, int] | None:
    """(A's best level, B's lowest level) when A is further along than B on the theme."""
    best_a = max(a.theme_levels.get(theme_id, {-1}))
    low_b = min(b.theme_levels.get(theme_id, {3}))
    return (best_a, low_b) if best_a > low_b else None


def _teach_phrase(teacher: str, learner: str, levels: tuple[int, int], themes: str) -> str:
    params = {"a": teacher, "b": learner, "themes": themes}
    if levels == (2, 0):
        phrase = _("%(a)s completed what %(b)s plans (%(themes)s)")
    elif levels == (2, 1):
        phrase = _("%(a)s completed what %(b)s is working on (%(themes)s)")
    else:
        phrase = _("%(a)s is already doing what %(b)s plans (%(themes)s)")
    return elide(phrase % params)  # "ce qu’Annecy prévoit"


@dataclass
class _Pair:
    score: int
    themes: list[int]
    tags: list[str]
    sdgs: list[int]
    concepts: list[str]
    teaches: dict[tuple[int, int], list[int]]
    learns: dict[tuple[int, int], list[int]]


def _pair(a: CityFacts, b: CityFacts) -> _Pair | None:
    """The numbers of a match, without words (cheap enough to run for every city)."""
    shared_themes = sorted(a.themes & b.themes)
    shared_tags = sorted(a.tags & b.tags)
    shared_sdgs = sorted(a.sdgs & b.sdgs)
    # The most specific (longest) concepts first: they are the ones the reasons name.
    shared_concepts = sorted(a.concepts & b.concepts, key=lambda c: (-len(c.split()), c))[:MAX_CONCEPTS]
    if a.city_id == b.city_id or not (shared_themes or shared_tags or shared_sdgs or len(shared_concepts) > 1):
        return None
    score = W_THEME * len(shared_themes) + W_TAG * len(shared_tags) + W_SDG * len(shared_sdgs)
    score += W_CONCEPT * len(shared_concepts)
    if a.size and a.size == b.size:
        score += W_SAME_SIZE
    elif a.size and b.size and abs(SIZE_ORDER[a.size] - SIZE_ORDER[b.size]) == 1:
        score += W_NEAR_SIZE
    if a.region and b.region and a.region != b.region:
        score += W_DIVIDE
    teaches: dict[tuple[int, int], list[int]] = defaultdict(list)
    learns: dict[tuple[int, int], list[int]] = defaultdict(list)
    for theme_id in shared_themes:
        if levels := _further_along(b, a, theme_id):
            teaches[levels].append(theme_id)
        elif levels := _further_along(a, b, theme_id):
            learns[levels].append(theme_id)
    score += W_TEACH * (sum(map(len, teaches.values())) + sum(map(len, learns.values())))
    return _Pair(score, shared_themes, shared_tags, shared_sdgs, shared_concepts, teaches, learns)


def _tag_label(corpus: Corpus, tag: str, language: str) -> str:
    """A shared tag as a reader of ``language`` reads it: as written when a report in that language
    carries it, otherwise the lexicon's translation from the language of the reports that do."""
    written_in = corpus.tag_languages.get(tag, set())
    if not written_in or language in written_in:
        return tag
    return lexicon.translate(tag, min(written_in), language)


def _match(a: CityFacts, b: CityFacts, pair: _Pair, corpus: Corpus, language: str) -> PeerMatch:
    """The match with its reasons in words, in the reader's language."""
    reasons: list[str] = []
    with translation.override(language):
        if frozenset((a.city_id, b.city_id)) in corpus.partnered:
            reasons.append(_("already cooperating in a partnership of the network"))
        if a.size and a.size == b.size:
            reasons.append(_size_phrase(a.size))
        if a.region and b.region and a.region != b.region:
            reasons.append(_("across the North–South divide"))
        if pair.themes:
            labels = name_list(_theme_label(corpus, t, language) for t in pair.themes)
            reasons.append(_("shared themes: %(themes)s") % {"themes": labels})
        if pair.tags:
            tags = dict.fromkeys(_tag_label(corpus, t, language[:2]) for t in pair.tags[:5])
            reasons.append(_("shared tags: %(tags)s") % {"tags": name_list(tags)})
        if pair.sdgs:
            reasons.append(_("shared SDGs: %(sdgs)s") % {"sdgs": ", ".join(str(n) for n in pair.sdgs)})
        if pair.concepts:  # in the reader's language, whatever language each city wrote in
            labels = name_list(lexicon.concept_labels(pair.concepts, language[:2]))
            reasons.append(_("shared subjects: %(subjects)s") % {"subjects": labels})
        for levels, themes in sorted(pair.teaches.items(), reverse=True):
            labels = name_list(_theme_label(corpus, t, language) for t in themes)
            reasons.append(_teach_phrase(b.name, a.name, levels, labels))
        for levels, themes in sorted(pair.learns.items(), reverse=True):
            labels = name_list(_theme_label(corpus, t, language) for t in themes)
            reasons.append(_teach_phrase(a.name, b.name, levels, labels))
    return PeerMatch(
        b.city_id,
        b.name,
        b.slug,
        b.country,
        b.region,
        pair.score,
        reasons,
        [t for ts in pair.teaches.values() for t in ts],
        [t for ts in pair.learns.values() for t in ts],
    )


def score_pair(a: CityFacts, b: CityFacts, corpus: Corpus, language: str = "en") -> PeerMatch | None:
    """How well city B matches city A, with the reasons in the reader's language.

    Returns None when the two cities have nothing comparable."""
    pair = _pair(a, b)
    return _match(a, b, pair, corpus, language) if pair else None


def _ranked_pairs(me: CityFacts, corpus: Corpus) -> list[tuple[CityFacts, _Pair]]:
    pairs = [(other, p) for other in corpus.cities.values() if (p := _pair(me, other))]
    # Pairs across the North–South divide first (the point of the network), then
    # the best score, then by name: the digest and the peers page share this order.
    pairs.sort(key=lambda op: (bool(me.region) and op[0].region == me.region, -op[1].score, op[0].name))
    return pairs


def rank_peers(city_id: int, corpus: Corpus, language: str = "en", limit: int | None = 10) -> list[PeerMatch]:
    """Peer cities of ``city_id``: across the North–South divide first, then best score, then by name.

    Words are only built for the matches returned."""
    me = corpus.cities.get(city_id)
    if me is None:
        return []
    if (city_id, limit) not in corpus.ranked:
        pairs = _ranked_pairs(me, corpus)
        corpus.ranked[city_id, limit] = pairs[:limit] if limit else pairs
    return [_match(me, other, pair, corpus, language) for other, pair in corpus.ranked[city_id, limit]]


@dataclass
class PeerLists:
    learn_from: list[PeerMatch]  # cities you could learn from
    could_learn_from_you: list[PeerMatch]
    comparable: list[PeerMatch]  # comparable, neither ahead nor behind


def peer_lists(city_id: int, corpus: Corpus, language: str = "en", limit: int = 6) -> PeerLists:
    me = corpus.cities.get(city_id)
    if me is None:
        return PeerLists([], [], [])
    pairs = _ranked_pairs(me, corpus)

    def words(selected):
        return [_match(me, other, pair, corpus, language) for other, pair in selected[:limit]]

    return PeerLists(
        learn_from=words([(o, p) for o, p in pairs if p.teaches]),
        could_learn_from_you=words([(o, p) for o, p in pairs if p.learns]),
        comparable=words([(o, p) for o, p in pairs if not p.teaches and not p.learns]),
    )
