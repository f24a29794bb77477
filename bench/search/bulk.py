"""The generator's bulk path: 100,000 live reports in minutes, for the benchmarks only.

The real importer (``import_experiences --publish``) writes a page, its child rows and
a revision per record and sends ``page_published``: about 13 records/s on PostgreSQL,
two hours for 100,000. The timed import stays the importer (bench/import); this path
fills a database for the page and search benchmarks at the size a national network
reaches. Each record goes through the importer's own ``fill`` (the same fields, cities,
tags, themes, SDGs and body as an import), then a whole batch is written in a handful
of statements: the ``wagtailcore_page`` rows with ``bulk_create``, the report rows with
one ``executemany``, the many-to-many and tag rows with ``bulk_create``.

What it skips, and what a benchmark must do after it:
- revisions (a live page needs none to be served; the admin's history is empty);
- ``page_published`` and every save signal: no page-cache bump, no reference index,
  no search indexing (rebuild the indexes afterwards: ``search.indexing.rebuild``),
  no comparable-projects refresh (work out the lists of the reports a benchmark reads);
- the importer's validation (``full_clean``): the generator's records are known good.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page

from cooperation_hub.compat import first_child_path, next_sibling_path
from cooperation_hub.text import sort_key
from experiences.importer import _Writer, fingerprint
from experiences.models import ExperiencePage

BATCH = 2_000


def _batches(records: Iterable[dict], size: int) -> Iterator[list[dict]]:
    it = iter(records)
    while batch := list(islice(it, size)):
        yield batch


def _insert_report_rows(pages: list[ExperiencePage]) -> None:
    """The reports' own table (the child of ``wagtailcore_page``), one statement per batch:
    Django's ``bulk_create`` refuses a model with a concrete parent."""
    fields = ExperiencePage._meta.local_concrete_fields
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(ExperiencePage._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    rows = [[f.get_db_prep_save(getattr(page, f.attname), connection) for f in fields] for page in pages]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _write_batch(writer: _Writer, records: list[dict], content_type: ContentType) -> int:
    now = timezone.now()
    pages: list[ExperiencePage] = []
    relations: list[dict[str, list]] = []
    for record in records:
        locale = writer.locales[record["language"]]
        if (record["external_id"], locale.pk) in writer.existing:
            continue  # already written by an earlier run
        page = ExperiencePage(external_id=record["external_id"], locale=locale, content_type=content_type)
        if key := writer.translation_keys.get(record["external_id"]):
            page.translation_key = key  # the other language's report: translations of each other
        relations.append(writer.fill(page, record))
        index = writer.index_for(record["language"])
        last = writer.last_child_path[index.pk]
        page.depth = index.depth + 1
        page.path = first_child_path(index.path, page.depth) if last is None else next_sibling_path(last)
        page.url_path = f"{index.url_path}{page.slug}/"
        page.live, page.has_unpublished_changes, page.draft_title = True, False, page.title
        page.first_published_at = page.last_published_at = now
        page.import_fingerprint = fingerprint(record)
        page.sort_title = sort_key(page.title)  # what ExperiencePage.save sets
        writer.last_child_path[index.pk] = page.path
        writer.added_children[index.pk] = writer.added_children.get(index.pk, 0) + 1
        writer.translation_keys.setdefault(page.external_id, page.translation_key)
        pages.append(page)
    if not pages:
        return 0
    base_fields = [f.attname for f in Page._meta.concrete_fields if f.attname != "id"]
    bases = Page.objects.bulk_create([Page(**{name: getattr(p, name) for name in base_fields}) for p in pages])
    for page, base in zip(pages, bases, strict=True):
        page.pk = page.page_ptr_id = base.pk
    _insert_report_rows(pages)
    for name in ("themes", "sdgs"):
        field = ExperiencePage._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [
                through(**{f"{source}_id": p.pk, target: o})
                for p, rel in zip(pages, relations, strict=True)
                for o in rel[name]
            ],
            batch_size=5_000,
        )
    tagged = []
    for page, rel in zip(pages, relations, strict=True):
        for item in rel["tagged_items"]:
            item.content_object_id = page.pk
            tagged.append(item)
    if tagged:
        type(tagged[0]).objects.bulk_create(tagged, batch_size=5_000)
    return len(pages)


def create_reports(records: Iterable[dict], progress: bool = True) -> int:
    """Write the generator's ``records`` as live reports (see the module docstring); returns how many."""
    started, written = time.perf_counter(), 0
    content_type = ContentType.objects.get_for_model(ExperiencePage)
    with transaction.atomic():
        writer = _Writer(publish=True)
        for batch in _batches(records, BATCH):
            written += _write_batch(writer, batch, content_type)
            if progress:
                rate = written / max(time.perf_counter() - started, 1e-3)
                print(f"\rbulk: {written:,} reports written ({rate:,.0f}/s)", end="", flush=True)
        writer.finish()  # the indexes' numchild
    if progress:
        print()
    return written


def ensure_reports(n: int, *, bulk: bool) -> bool:
    """At least ``n`` of the generator's reports (half French, half English) in the benchmark's
    database, on top of the demo; returns whether any were written (the indexes are then stale).

    Through the real importer (``import_experiences --publish``, its search indexing and the
    comparable-projects refresh left out: tasks run eagerly here, inside the import's
    transaction), or with ``bulk`` through ``create_reports``."""
    import os
    import sys

    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    from .generate import records, write

    call_command("migrate", verbosity=0)
    if ExperiencePage.objects.filter(external_id__startswith="bench-search-").count() >= n:
        return False
    call_command("load_demo", verbosity=0)
    started = time.perf_counter()
    if bulk:
        create_reports(records(n))
    else:
        import search.comparable_store as comparable_store

        path = os.path.join(os.environ["HUB_VAR_DIR"], "bench.jsonl")
        write(path, n)
        comparable_store._send = lambda ids, neighbours: None
        database = {"BACKEND": "wagtail.search.backends.database", **settings.WAGTAILSEARCH_BACKENDS["database"]}
        quiet = {"database": {**database, "AUTO_UPDATE": False}, "default": {**database, "AUTO_UPDATE": False}}
        with override_settings(WAGTAILSEARCH_BACKENDS=quiet):
            call_command("import_experiences", path, "--publish", verbosity=0)
    how = "written in bulk" if bulk else "imported"
    print(f"{n} reports {how} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    from cooperation_hub.planner import refresh_statistics

    refresh_statistics()  # the planner's statistics at the benchmark's size, as `migrate` leaves them
    return True
