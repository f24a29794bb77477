"""The counters that outdate what is kept (page_cache's generations, the lexicon's) live apart
from the pages they outdate. On the embedded default, the file cache culls a third of its
entries at random once it holds 300: a crawl of a few hundred pages culled a counter now and
then, which started a new generation, and every kept answer was worked out again."""

from django.core.cache import cache

from cooperation_hub import page_cache
from lexicon import lexicon


def test_a_crawl_of_many_pages_leaves_the_generations_alone():
    site, tag, words = page_cache.site_generation(), page_cache.generation("consultation:probe"), lexicon.generation()
    keys = [f"crawl-probe-{n}" for n in range(2000)]
    try:
        for key in keys:  # what a crawler leaves in the cache: one page per address
            cache.set(key, "<html>…</html>")
        assert page_cache.site_generation() == site
        assert page_cache.generation("consultation:probe") == tag
        assert lexicon.generation() == words
    finally:
        cache.delete_many(keys)


def test_a_change_still_outdates_what_is_kept():
    before = page_cache.site_generation()
    page_cache.forget_all()
    assert page_cache.site_generation() != before
    kept = page_cache.kept_for_generation("generations-probe", lambda: "first")
    assert kept == "first"
    assert page_cache.kept_for_generation("generations-probe", lambda: "second") == "first"
    page_cache.forget_all()
    assert page_cache.kept_for_generation("generations-probe", lambda: "second") == "second"
