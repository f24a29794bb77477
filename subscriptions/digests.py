"""Digests: which period each subscriber is due for, what goes in it, and the
exactly-once delivery protocol.

Periods. Boundaries fall at ``DIGEST_SEND_HOUR`` in the site's time zone
(``TIME_ZONE``): every day, every week on ``DIGEST_SEND_WEEKDAY`` (cron
numbering, 1 = Monday) or on the first of every month. A subscriber's next
digest covers [end of the previous delivery (or confirmation), latest boundary):
consecutive digests are contiguous, so nothing is shown twice or skipped, and a
run after an outage sends one digest covering all the missed time.

Exactly once. ``DigestDelivery`` rows are unique on (subscription,
period_start). A batch *claims* its rows with one INSERT … ON CONFLICT DO
NOTHING carrying a fresh claim token and then reads back the rows holding that
token: only those are its to send. A row is confirmed (sent/skipped) right
after SMTP accepts the message, guarded by the token. A repeated tick or a
redelivered batch finds the rows already claimed and sends nothing; a claim left
behind by a dead worker is re-claimed after ``DIGEST_CLAIM_STALE_SECONDS`` by the
next run; an SMTP failure is retried with exponential backoff by Celery and ends
in the ``failed`` state, which the next period's digest picks up again (its start
is the failed row's start), so its content is not lost either.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from smtplib import SMTPException
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import nh3
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contributions.models import ConsultationPage, Contribution
from cooperation_hub.process_memo import forget, kept_by_process
from cooperation_hub.request_memo import kept_within
from cooperation_hub.sites import PageAddresses, absolute_reverse
from cooperation_hub.text import name_list, truncate_words
from experiences.media import EMAIL_COVER_SPEC, cover_rendition
from experiences.models import ExperiencePage, ExperiencePageTag
from experiences.regions import country_name

from . import matching, tokens
from .models import DigestDelivery, Frequency, Subscription

logger = logging.getLogger(__name__)

SEND_ERRORS: tuple[type[BaseException], ...] = (SMTPException, OSError)


# Settings are read when used, never at import: ``override_settings`` and a
# worker's own settings module reach them.
def default_batch_size() -> int:
    return int(getattr(settings, "DIGEST_BATCH_SIZE", 200))


def stale_after() -> timedelta:
    """How long a claim may stay unconfirmed before its worker is presumed dead."""
    return timedelta(seconds=getattr(settings, "DIGEST_CLAIM_STALE_SECONDS", 30 * 60))


def soon() -> timedelta:
    """How far ahead a consultation's opening or closing is announced."""
    return timedelta(days=getattr(settings, "DIGEST_SOON_DAYS", 7))


PEERS_PER_DIGEST = 3


def confirm_every() -> int:
    """A batch confirms its sent digests in one transaction every this many e-mails (and at
    its end). A worker killed between an e-mail and its confirmation leaves its row claimed,
    and the stale-claim recovery sends it again (same Message-ID): this is how many readers
    could get a digest twice. 1 by default (exactly once but for one); grouping them saves
    a commit per e-mail, most of a digest's cost on SQLite (``DIGEST_CONFIRM_EVERY``)."""
    return max(1, int(getattr(settings, "DIGEST_CONFIRM_EVERY", 1)))


ITEMS_PER_SECTION = 20


# --- Periods -------------------------------------------------------------------


def site_timezone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _at_send_hour(day: date) -> datetime:
    return datetime.combine(day, time(settings.DIGEST_SEND_HOUR), tzinfo=site_timezone())


def period_boundary(frequency: str, now: datetime | None = None) -> datetime:
    """The latest period boundary at or before ``now`` (aware, site time zone)."""
    local = timezone.localtime(now or timezone.now(), site_timezone())
    today = local.date()
    if frequency == Frequency.DAILY:
        boundary = _at_send_hour(today)
        if boundary > local:
            boundary = _at_send_hour(today - timedelta(days=1))
    elif frequency == Frequency.WEEKLY:
        send_weekday = (settings.DIGEST_SEND_WEEKDAY - 1) % 7  # cron (0=Sunday) -> Python (0=Monday)
        day = today - timedelta(days=(today.weekday() - send_weekday) % 7)
        boundary = _at_send_hour(day)
        if boundary > local:
            boundary = _at_send_hour(day - timedelta(days=7))
    elif frequency == Frequency.MONTHLY:
        boundary = _at_send_hour(today.replace(day=1))
        if boundary > local:
            previous = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
            boundary = _at_send_hour(previous)
    else:
        raise ValueError(f"unknown frequency: {frequency!r}")
    return boundary


def _last_ends(subscription_ids: Iterable[int]) -> dict[int, datetime]:
    """End of each subscription's latest delivery that counts (sent, skipped or in flight)."""
    rows = (
        DigestDelivery.objects.filter(subscription_id__in=list(subscription_ids))
        .exclude(state=DigestDelivery.State.FAILED)
        .values("subscription_id")
        .annotate(last_end=Max("period_end"))
        .values_list("subscription_id", "last_end")
    )
    return dict(rows)


def due_subscription_ids(frequency: str, boundary: datetime) -> list[int]:
    """Active subscriptions of this frequency whose next period ends at ``boundary``."""
    counted = ~Q(deliveries__state=DigestDelivery.State.FAILED)
    return list(
        Subscription.objects.active()
        .filter(frequency=frequency, confirmed_at__lt=boundary)
        .annotate(last_end=Max("deliveries__period_end", filter=counted))
        .filter(Q(last_end__isnull=True) | Q(last_end__lt=boundary))
        .order_by("id")
        .values_list("id", flat=True)
    )


def periods_for(subscriptions: Iterable[Subscription], boundary: datetime) -> dict[int, tuple[datetime, datetime]]:
    subscriptions = list(subscriptions)
    last = _last_ends(s.pk for s in subscriptions)
    periods = {}
    for sub in subscriptions:
        start = last.get(sub.pk) or sub.confirmed_at
        if start and start < boundary:
            periods[sub.pk] = (start, boundary)
    return periods


# --- What goes into a digest -------------------------------------------------------

EXCERPT_WORDS = 60
EXCERPT_CHARS = 300


def contribution_excerpt_html(body: str) -> str:
    """The start of a (stored, sanitized) contribution body as e-mail HTML.

    Sanitized again with the contributions' allow-list minus links: the item's
    title already links to the permalink, and a reader's link in our e-mail
    would look like ours. Paragraphs keep a small inline margin (e-mail clients
    ignore style sheets)."""
    from contributions.sanitize import ALLOWED_TAGS

    html = nh3.clean(body or "", tags=ALLOWED_TAGS - {"a"}, attributes={}, clean_content_tags=set())
    html = Truncator(html).words(EXCERPT_WORDS, html=True)
    # nh3 leaves no attribute on these tags, so the bare tags are the only forms.
    html = html.replace("<p>", '<p style="margin:0 0 6px;">').replace("<ul>", '<ul style="margin:0 0 6px;">')
    return mark_safe(html.replace("<ol>", '<ol style="margin:0 0 6px;">'))


def contribution_excerpt_text(body: str) -> str:
    """The same start as plain text: tags stripped, entities decoded, a line per paragraph."""
    from contributions.sanitize import to_text

    # A list item reads as a bullet, not as a paragraph of its own.
    lines = [" ".join(line.split()) for line in to_text((body or "").replace("<li>", "<li>• ")).splitlines()]
    text = "\n".join(line for line in lines if line)
    if len(text) > EXCERPT_CHARS:
        text = text[: EXCERPT_CHARS - 1].rsplit(" ", 1)[0].rstrip() + "…"
    return text


def _permalinks(
    contribution_id: int, translations: list[ConsultationPage], page_urls: dict[int, str]
) -> dict[str, str]:
    """The contribution's permalink on each loaded translation of its consultation,
    from the page addresses built once for the batch (``ConsultationPage.contribution_url``
    is the one definition of the permalink)."""
    return {
        page.locale.language_code: page.contribution_url(contribution_id, page_url=page_urls[page.pk])
        for page in translations
    }


@dataclass
class ExperienceItem:
    id: int
    title: str
    summary: str
    url: str
    language: str
    city: str
    country: str
    region: str
    first_published_at: datetime
    last_published_at: datetime
    themes: set[int] = field(default_factory=set)
    theme_labels: list[str] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)
    sdgs: set[int] = field(default_factory=set)
    excerpt: str = ""
    html: str = ""  # the e-mail fragment, rendered once per batch rather than once per digest
    cover: dict | None = None  # {url (absolute), width, height, alt} of the report's cover (experiences.media)


@dataclass
class ContributionItem:
    id: int
    title: str
    html: str  # the start of the sanitized body, still HTML (no links: the permalink is the link)
    text: str  # the same start as plain text: tags stripped, entities decoded, one line per paragraph
    consultation_key: str
    created_at: datetime
    # Permalink (absolute) on the consultation page of each language loaded in the batch.
    urls: dict[str, str] = field(default_factory=dict)

    @property
    def text_lines(self) -> list[str]:
        return [line for line in self.text.splitlines() if line.strip()]


@dataclass
class ConsultationItem:
    key: str
    title: str
    url: str
    language: str
    opens_at: datetime
    closes_at: datetime


@dataclass
class Entry:
    """One item of one subscriber's digest and why it is there, in the reader's words."""

    item: ExperienceItem | ContributionItem | ConsultationItem | matching.PeerMatch
    why: str
    url: str = ""  # the link for this reader when it depends on the reader's language
    # (label, address) links other apps put beside an item (the "subscriptions_peer_action" hook).
    actions: list[tuple[str, str]] = field(default_factory=list)


def peer_actions(city_id: int | None, peer_city_id: int, language: str) -> list[tuple[str, str]]:
    """Links beside a peer city in a digest, from the apps that register the
    ``subscriptions_peer_action`` Wagtail hook (exchanges: "Propose an exchange");
    this app imports none of them."""
    from wagtail import hooks

    return [hook(city_id, peer_city_id, language) for hook in hooks.get_hooks("subscriptions_peer_action")]


def new_partnerships(start: datetime, end: datetime) -> list:
    """Partnerships made public between ``start`` and ``end``, from the apps that register the
    ``subscriptions_digest_partnerships`` Wagtail hook (partnerships). Each item has ``title``,
    ``cities`` (a label), ``themes`` (theme ids), ``theme_names`` ({id: (en, fr)}), ``news_at``
    (the moment it became news: when it was first shown) and ``urls`` ({language: address})."""
    from wagtail import hooks

    return [item for hook in hooks.get_hooks("subscriptions_digest_partnerships") for item in hook(start, end)]


@dataclass
class Digest:
    subscription: Subscription
    start: datetime
    end: datetime
    new_experiences: list[Entry]
    updated_experiences: list[Entry]
    contributions: list[tuple[ConsultationItem, list[Entry]]]
    opening_soon: list[Entry]
    closing_soon: list[Entry]
    peers: list[Entry]
    # New partnerships in the subscriber's themes (the "subscriptions_digest_partnerships" hook):
    # news in their own right, counted like new reports.
    partnerships: list[Entry] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return (
            len(self.new_experiences)
            + len(self.updated_experiences)
            + sum(len(c) for _k, c in self.contributions)
            + len(self.opening_soon)
            + len(self.closing_soon)
            + len(self.partnerships)
        )

    @property
    def is_empty(self) -> bool:
        # Peer suggestions alone are not news: they do not justify an e-mail.
        return self.item_count == 0


@dataclass
class PeriodReports:
    """The reports published in [``start``, ``end``) in ``languages``, ready for any digest of the
    period: each with its e-mail fragment rendered, and the themes' names for the why-lines."""

    start: datetime
    end: datetime
    languages: frozenset[str]
    experiences: list[ExperienceItem]
    theme_names: dict[int, tuple[str, str]]

    def covers(self, start: datetime, end: datetime, languages: set[str]) -> bool:
        return self.start <= start and self.end == end and languages <= self.languages

    def kept_weight(self) -> int:
        """Its size in characters, for what a process keeps (cooperation_hub/process_memo.py)."""
        return sum(len(item.html) + len(item.summary) + len(item.excerpt) for item in self.experiences) + 1000


def load_period_reports(start: datetime, end: datetime, languages: set[str], page_url: PageAddresses) -> PeriodReports:
    """The reports a digest of [``start``, ``end``) may show, in a fixed number of queries."""
    pages = list(
        ExperiencePage.objects.visible_to_public()
        .filter(last_published_at__gte=start, last_published_at__lt=end, locale__language_code__in=languages)
        .select_related("city", "locale", "cover_image")
        .prefetch_related("cover_image__renditions")
        .order_by("-first_published_at", "id")
    )
    ids = [p.pk for p in pages]
    themes: dict[int, set[int]] = defaultdict(set)
    for pid, tid in ExperiencePage.themes.through.objects.filter(experiencepage_id__in=ids).values_list(
        "experiencepage_id", "theme_id"
    ):
        themes[pid].add(tid)
    sdgs: dict[int, set[int]] = defaultdict(set)
    for pid, number in ExperiencePage.sdgs.through.objects.filter(experiencepage_id__in=ids).values_list(
        "experiencepage_id", "sustainabledevelopmentgoal__number"
    ):
        sdgs[pid].add(number)
    tags: dict[int, set[str]] = defaultdict(set)
    for pid, name in ExperiencePageTag.objects.filter(content_object_id__in=ids).values_list(
        "content_object_id", "tag__name"
    ):
        tags[pid].add(name.lower())
    from experiences.models import Theme

    theme_names = {
        t.id: (t.name_en, t.name_fr) for t in Theme.objects.filter(id__in={t for s in themes.values() for t in s})
    }
    experiences = []
    for page in pages:
        lang = page.locale.language_code
        experiences.append(
            ExperienceItem(
                id=page.pk,
                title=page.title,
                summary=page.summary,
                url=page_url(page),
                language=lang,
                city=page.city.name,
                country=page.city.country,
                region=page.city.region,
                first_published_at=page.first_published_at,
                last_published_at=page.last_published_at,
                themes=themes[page.pk],
                sdgs=sdgs[page.pk],
                tags=tags[page.pk],
                theme_labels=[theme_names[t][1 if lang == "fr" else 0] for t in sorted(themes[page.pk])],
                excerpt=truncate_words(page.summary, 40),  # French spaces kept
                cover=cover_rendition(page, EMAIL_COVER_SPEC),
            )
        )
    for item in experiences:
        item.html = mark_safe(render_to_string("subscriptions/email/experience_item.html", {"item": item}))
    return PeriodReports(start, end, frozenset(languages), experiences, theme_names)


class DigestData:
    """Everything a set of digests may show, loaded in a fixed number of queries.

    What every batch of a run shares is kept by the worker process for the site's generation
    (cooperation_hub/process_memo.py), not loaded again by each batch: the period's reports with
    their rendered fragments, the peer matching's corpus and each city's ranked peers. Each of them
    changes only through a write that bumps that generation (a publication, a city, a theme, a
    privacy setting); a run's batches share one period's end. At 1,000 subscribers in batches of
    200 they were half of what a digest cost above rendering and sending it (bench.digests)."""

    def __init__(self, subscriptions: list[Subscription], periods: dict[int, tuple[datetime, datetime]]):
        self.periods = periods
        self._peers: dict[tuple[int, str], list[Entry]] = {}
        self._periods_items: dict[tuple[str, datetime, datetime], list[tuple[ExperienceItem, bool]]] = {}
        # Readers who follow the same things get the same why-lines: worded once per batch.
        self._whys: dict[tuple, str] = {}
        self.soon = soon()
        # Every page address of the batch from one read of the site's root paths.
        self.page_url = PageAddresses()
        if not periods:
            self.experiences: list[ExperienceItem] = []
            self.contributions: dict[str, list[ContributionItem]] = {}
            self.consultations: dict[tuple[str, str], ConsultationItem] = {}
            self.theme_names: dict[int, tuple[str, str]] = {}
            self.corpus = None
            self.partnerships: list = []
            return
        start = min(s for s, _e in periods.values())
        end = max(e for _s, e in periods.values())
        languages = {s.language for s in subscriptions}
        reports = self._period_reports(start, end, languages)
        self.experiences = reports.experiences
        self.theme_names = reports.theme_names  # the why-lines name the followed themes an item matched
        followed = {key for s in subscriptions for key in (s.consultations or [])}
        self._load_consultations(start, end, followed)
        self.corpus = (
            kept_by_process("digests:peer-corpus", matching.kept_corpus)
            if any(s.city_id for s in subscriptions)
            else None
        )
        self.partnerships = new_partnerships(start, end) if any(s.themes.all() for s in subscriptions) else []

    def _period_reports(self, start: datetime, end: datetime, languages: set[str]) -> PeriodReports:
        """The kept reports of the period when they cover this batch's (one batch may start earlier:
        a reader whose last digest failed), else loaded again for the widest of both."""
        name = f"digests:reports:{end.isoformat()}"
        reports = kept_by_process(name, lambda: load_period_reports(start, end, languages, self.page_url))
        if not reports.covers(start, end, languages):
            start, languages = min(start, reports.start), languages | reports.languages
            forget(name)
            reports = kept_by_process(name, lambda: load_period_reports(start, end, languages, self.page_url))
        return reports

    def _load_consultations(self, start: datetime, end: datetime, followed: set[str]) -> None:
        ahead = self.soon
        window = Q(opens_at__gte=start + ahead, opens_at__lt=end + ahead) | Q(
            closes_at__gte=start + ahead, closes_at__lt=end + ahead
        )
        pages = list(
            ConsultationPage.objects.visible_to_public()
            .filter(window | Q(translation_key__in=followed))
            .select_related("locale")
        )
        page_urls = {p.pk: self.page_url(p) for p in pages}
        self.consultations = {
            (str(p.translation_key), p.locale.language_code): ConsultationItem(
                key=str(p.translation_key),
                title=p.title,
                url=page_urls[p.pk],
                language=p.locale.language_code,
                opens_at=p.opens_at,
                closes_at=p.closes_at,
            )
            for p in pages
        }
        self.contributions = defaultdict(list)
        if followed:
            pages_by_key: dict[str, list[ConsultationPage]] = defaultdict(list)
            for p in pages:
                pages_by_key[str(p.translation_key)].append(p)
            rows = (
                Contribution.objects.visible_to_public()
                .filter(
                    created_at__gte=start,
                    created_at__lt=end,
                    consultation__translation_key__in=followed,
                )
                .only("id", "title", "body", "created_at", "consultation_id")
                .annotate(consultation_key=F("consultation__translation_key"))
                .order_by("created_at", "id")
            )
            for contribution in rows:
                key = str(contribution.consultation_key)
                self.contributions[key].append(
                    ContributionItem(
                        contribution.pk,
                        contribution.title,
                        contribution_excerpt_html(contribution.body),
                        contribution_excerpt_text(contribution.body),
                        key,
                        contribution.created_at,
                        urls=_permalinks(contribution.pk, pages_by_key[key], page_urls),
                    )
                )

    # Per subscriber, in Python only.

    def digest_for(self, sub: Subscription) -> Digest:
        start, end = self.periods[sub.pk]
        theme_ids = {t.pk for t in sub.themes.all()}
        sdg_numbers = {s.number for s in sub.sdgs.all()}
        tag_names = {t.lower() for t in (sub.tags or [])}
        regions, countries = set(sub.regions or []), {c.upper() for c in (sub.countries or [])}
        new: list[ExperienceItem] = []
        updated: list[ExperienceItem] = []
        with translation.override(sub.language):
            narrowed, placed = bool(theme_ids or sdg_numbers or tag_names), bool(regions or countries)
            for item, is_new in self._in_period(sub.language, start, end):
                if (
                    narrowed
                    and item.themes.isdisjoint(theme_ids)
                    and item.sdgs.isdisjoint(sdg_numbers)
                    and item.tags.isdisjoint(tag_names)
                ):
                    continue
                if placed and item.region not in regions and item.country not in countries:
                    continue
                (new if is_new else updated).append(item)
                if len(new) >= ITEMS_PER_SECTION and len(updated) >= ITEMS_PER_SECTION:
                    break  # both sections are full

            def entry(item: ExperienceItem) -> Entry:
                # Only for the items a section shows: a reader who follows everything matched
                # ~100 reports a day in the benchmark, and wording why cost as much as rendering.
                matched = (
                    item.first_published_at >= start,
                    sub.language,
                    tuple(sorted(item.themes & theme_ids)),
                    tuple(sorted(item.tags & tag_names)),
                    tuple(sorted(item.sdgs & sdg_numbers)),
                    item.region if item.region in regions else None,
                    item.country if item.country in countries else None,
                )
                if matched not in self._whys:
                    is_new, language, themes, tags, sdgs, region, country = matched
                    self._whys[matched] = experience_why(
                        item,
                        is_new,
                        language,
                        themes=[self.theme_names[t][language == "fr"] for t in themes],
                        tags=list(tags),
                        sdgs=list(sdgs),
                        region=region is not None,
                        country=country is not None,
                    )
                return Entry(item, self._whys[matched], item.url)

            new_entries = [entry(item) for item in new[:ITEMS_PER_SECTION]]
            updated_entries = [entry(item) for item in updated[:ITEMS_PER_SECTION]]
            contributions = []
            for key in sub.consultations or []:
                items = [c for c in self.contributions.get(str(key), []) if start <= c.created_at < end]
                consultation = self.consultations.get((str(key), sub.language)) or next(
                    (c for (k, _lang), c in self.consultations.items() if k == str(key)), None
                )
                if items and consultation:
                    why = _("because you follow the consultation “%(title)s”") % {"title": consultation.title}
                    contributions.append(
                        (
                            consultation,
                            [
                                Entry(
                                    c,
                                    why,
                                    c.urls.get(consultation.language) or next(iter(c.urls.values()), consultation.url),
                                )
                                for c in items[:ITEMS_PER_SECTION]
                            ],
                        )
                    )
            followed = {str(k) for k in sub.consultations or []}
            mine = [c for (_k, lang), c in self.consultations.items() if lang == sub.language]
            opening = [
                Entry(c, consultation_why(c, followed), c.url) for c in mine if start <= c.opens_at - self.soon < end
            ]
            closing = [
                Entry(c, consultation_why(c, followed), c.url) for c in mine if start <= c.closes_at - self.soon < end
            ]
            peers = []
            if (corpus := self.corpus) is not None and (city_id := sub.city_id):
                key = (city_id, sub.language)
                if key not in self._peers:  # many subscribers share a city: rank it once per process
                    self._peers[key] = kept_by_process(
                        f"digests:peers:{city_id}:{sub.language}",
                        lambda: self._peer_entries(city_id, sub.language, corpus),
                    )
                peers = list(self._peers[key])
            partnerships = [
                Entry(
                    item,
                    _("a new partnership in your themes: %(themes)s")
                    % {
                        "themes": name_list(
                            item.theme_names[t][sub.language == "fr"] for t in sorted(item.themes & theme_ids)
                        )
                    },
                    item.urls.get(sub.language, ""),
                )
                for item in self.partnerships
                if start <= item.news_at < end and item.themes & theme_ids
            ]
        return Digest(
            sub,
            start,
            end,
            new_entries,
            updated_entries,
            contributions,
            opening,
            closing,
            peers,
            partnerships[:ITEMS_PER_SECTION],
        )

    def _in_period(self, language: str, start: datetime, end: datetime) -> list[tuple[ExperienceItem, bool]]:
        """The reports in ``language`` of [``start``, ``end``), newest first, each with whether it is
        new in the period (else updated): sorted out once per period, as a batch's readers share one."""
        key = (language, start, end)
        if key not in self._periods_items:
            self._periods_items[key] = [
                (item, item.first_published_at >= start)
                for item in self.experiences
                if item.language == language and start <= item.last_published_at < end
            ]
        return self._periods_items[key]

    @staticmethod
    def _peer_entries(city_id: int, language: str, corpus: matching.Corpus) -> list[Entry]:
        """The peers of the reader's city, each with why and what to do, in the reader's language
        (active here: ``digest_for``)."""
        return [
            Entry(
                peer,
                _("a city comparable to yours: %(reasons)s") % {"reasons": reasons_joined(peer.reasons)},
                peer_page_url(peer.slug, language),
                peer_actions(city_id, peer.city_id, language),
            )
            for peer in matching.rank_peers(city_id, corpus, language, limit=PEERS_PER_DIGEST)
        ]


def experience_why(
    item: ExperienceItem,
    is_new: bool,
    language: str,
    *,
    themes: list[str],
    tags: list[str],
    sdgs: list[int],
    region: bool,
    country: bool,
) -> str:
    """Why an experience is in this reader's digest: the followed topics it
    matched, then the followed place it is in (call inside the reader's language)."""
    parts = []
    if themes:
        parts.append(
            ngettext("because you follow the theme %(names)s", "because you follow the themes %(names)s", len(themes))
            % {"names": name_list(themes)}
        )
    if tags:
        parts.append(
            ngettext("because you follow the tag %(names)s", "because you follow the tags %(names)s", len(tags))
            % {"names": name_list(tags)}
        )
    if sdgs:
        parts.append(
            ngettext("because you follow SDG %(names)s", "because you follow SDGs %(names)s", len(sdgs))
            % {"names": name_list([str(n) for n in sdgs])}
        )
    if country:
        params = {"place": country_name(item.country, language)}
        parts.append(
            (_("new in %(place)s, a country you follow") if is_new else _("updated in %(place)s, a country you follow"))
            % params
        )
    elif region:
        parts.append(_region_phrase(item.region, is_new))
    if not parts:
        # Nothing chosen narrows the digest: every experience in the reader's language is news.
        parts.append(
            _("new on Cooperation Hub: you follow every topic")
            if is_new
            else _("updated on Cooperation Hub: you follow every topic")
        )
    return reasons_joined(parts)


def reasons_joined(reasons: list[str]) -> str:
    """Reasons on one line, apart by a middle dot in every language: a semicolon already parts
    theme names that hold a comma inside a reason (cooperation_hub.text.name_list), and in French
    "thèmes communs : Habitat, environnement ; Alimentation, consommation ; ODD communs : 11" read
    as one list."""
    return " · ".join(reasons)


def _region_phrase(region: str, is_new: bool) -> str:
    # Whole sentences per region: "the Global South" and "les pays du Sud" do not share a grammar.
    if region == "south":
        return (
            _("new in the Global South, a region you follow")
            if is_new
            else _("updated in the Global South, a region you follow")
        )
    return (
        _("new in the Global North, a region you follow")
        if is_new
        else _("updated in the Global North, a region you follow")
    )


def consultation_why(consultation: ConsultationItem, followed: set[str]) -> str:
    if consultation.key in followed:
        return _("because you follow this consultation")
    return _("every subscriber hears when a consultation opens or closes")


def load_subscriptions(ids: Iterable[int], frequency: str | None = None) -> list[Subscription]:
    qs = (
        Subscription.objects.active().filter(id__in=list(ids)).select_related("city").prefetch_related("themes", "sdgs")
    )
    if frequency:
        qs = qs.filter(frequency=frequency)
    return list(qs.order_by("id"))


def digest_for_period(subscription: Subscription, start: datetime, end: datetime) -> Digest:
    """The digest of one subscription over one period, whatever its state (web version, preview)."""
    sub = Subscription.objects.select_related("city").prefetch_related("themes", "sdgs").get(pk=subscription.pk)
    return DigestData([sub], {sub.pk: (start, end)}).digest_for(sub)


def next_period(subscription: Subscription, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The period the subscription's next digest covers so far: from the end of its
    last delivery (or its confirmation, or its creation) to ``now``."""
    now = now or timezone.now()
    start = _last_ends([subscription.pk]).get(subscription.pk) or subscription.confirmed_at or subscription.created_at
    return min(start, now), now


PERIOD_LENGTH: dict[str, timedelta] = {  # keyed by Frequency, read with a model's value
    Frequency.DAILY: timedelta(days=1),
    Frequency.WEEKLY: timedelta(days=7),
    Frequency.MONTHLY: timedelta(days=31),
}


def preview_period(subscription: Subscription, now: datetime | None = None) -> tuple[datetime, datetime, bool]:
    """The period ``send_digests --preview`` shows, and whether it was widened.

    The next digest so far (``next_period``); but a subscriber who has had no digest
    yet and confirmed a moment ago would see an empty one: they are shown a full
    period back from now instead, what a digest of theirs looks like."""
    now = now or timezone.now()
    start, end = next_period(subscription, now)
    if subscription.pk not in _last_ends([subscription.pk]):
        full = now - PERIOD_LENGTH[subscription.frequency]
        if full < start:
            return full, end, True
    return start, end, False


# --- Rendering -----------------------------------------------------------------------


def peer_page_url(city_slug: str, language: str) -> str:
    return absolute_reverse("subscriptions:city_peers", language=language, kwargs={"slug": city_slug})


def _site_domain() -> str:
    return urlparse(settings.SITE_URL).hostname or "localhost"


def digest_context(digest: Digest, *, web: bool = False) -> dict:
    """What the digest templates show; call inside the reader's language.

    ``web`` is the web version: it does not link to itself."""
    sub = digest.subscription
    return {
        "digest": digest,
        "subscription": sub,
        "language": sub.language,
        "site_url": settings.SITE_URL,
        "manage_url": tokens.manage_url(sub),
        "unsubscribe_url": tokens.unsubscribe_url(sub),
        "subscribe_url": absolute_reverse("subscriptions:subscribe", language=sub.language),
        "web_url": "" if web else tokens.digest_url(sub, digest.start, digest.end),
        "period_start": timezone.localtime(digest.start, site_timezone()),
        "period_end": timezone.localtime(digest.end, site_timezone()),
        "peer_page_url": peer_page_url(sub.city.slug, sub.language) if sub.city else "",
    }


def render_digest_html(digest: Digest, *, web: bool = False) -> str:
    """The HTML part of the digest; the web version shows the very same document."""
    with translation.override(digest.subscription.language):
        return render_to_string("subscriptions/email/digest.html", digest_context(digest, web=web))


def render_digest(digest: Digest, delivery: DigestDelivery | None = None) -> EmailMultiAlternatives:
    """The localized e-mail (plain text + inline-CSS HTML) with RFC 8058 headers."""
    sub = digest.subscription
    with translation.override(sub.language):
        context = digest_context(digest)
        unsubscribe = context["unsubscribe_url"]
        subject = " ".join(render_to_string("subscriptions/email/digest_subject.txt", context).split())
        text = render_to_string("subscriptions/email/digest.txt", context)
        html = render_to_string("subscriptions/email/digest.html", context)
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Cooperation Hub digest <digest.{_site_domain()}>",
        "Auto-Submitted": "auto-generated",
    }
    mailto = getattr(settings, "DIGEST_UNSUBSCRIBE_MAILTO", "")
    if mailto:
        headers["List-Unsubscribe"] += f", <mailto:{mailto}?subject=unsubscribe-{sub.pk}>"
    if delivery is not None and delivery.pk:
        # Stable across retries, so that a receiving system can recognise a resend.
        headers["Message-ID"] = f"<digest.{delivery.pk}.{delivery.period_start:%Y%m%d%H%M}@{_site_domain()}>"
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [sub.email], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


# --- Claims ------------------------------------------------------------------------------


def claim(periods: dict[int, tuple[datetime, datetime]], frequency: str) -> dict[int, DigestDelivery]:
    """Claim the delivery rows of these periods; returns only the ones this caller owns."""
    if not periods:
        return {}
    token = uuid.uuid4()
    now = timezone.now()
    # A failed period is re-opened and extended: its content goes out with the next digest.
    for row in DigestDelivery.objects.filter(subscription_id__in=list(periods), state=DigestDelivery.State.FAILED):
        start, end = periods[row.subscription_id]
        if row.period_start == start:
            DigestDelivery.objects.filter(pk=row.pk, state=DigestDelivery.State.FAILED).update(
                state=DigestDelivery.State.CLAIMED,
                claim_token=token,
                period_end=end,
                claimed_at=now,
                frequency=frequency,
            )
    DigestDelivery.objects.bulk_create(
        [
            DigestDelivery(
                subscription_id=sid,
                period_start=start,
                period_end=end,
                frequency=frequency,
                claim_token=token,
                claimed_at=now,
            )
            for sid, (start, end) in periods.items()
        ],
        ignore_conflicts=True,
    )
    return {d.subscription_id: d for d in DigestDelivery.objects.filter(claim_token=token)}


def recover_stale_claims(
    older_than: timedelta | None = None,
    now: datetime | None = None,
) -> list[tuple[int, str]]:
    """Re-claim deliveries left 'claimed' by a worker that died (``older_than``,
    default DIGEST_CLAIM_STALE_SECONDS); returns (id, new token)."""
    now = now or timezone.now()
    older_than = stale_after() if older_than is None else older_than
    recovered = []
    with transaction.atomic():
        qs = DigestDelivery.objects.filter(state=DigestDelivery.State.CLAIMED, claimed_at__lt=now - older_than)
        if db_connection.features.has_select_for_update_skip_locked:
            # Two concurrent runs split the stale rows between them instead of waiting.
            qs = qs.select_for_update(skip_locked=True)
        for pk in list(qs.order_by("id").values_list("id", flat=True)[:10_000]):
            token = uuid.uuid4()
            DigestDelivery.objects.filter(pk=pk, state=DigestDelivery.State.CLAIMED).update(
                claim_token=token, claimed_at=now
            )
            recovered.append((pk, str(token)))
    return recovered


def mark_failed(delivery_id: int, token: str, error: str) -> bool:
    """After the last retry (the attempt was already counted by ``send_one``)."""
    return DigestDelivery(pk=delivery_id, claim_token=token).mark_failed(error)


# --- Sending --------------------------------------------------------------------------------


@dataclass
class RunResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    already_claimed: int = 0
    retry_ids: list[tuple[int, str]] = field(default_factory=list)

    def add(self, other: RunResult) -> None:
        self.sent += other.sent
        self.skipped += other.skipped
        self.failed += other.failed
        self.already_claimed += other.already_claimed
        self.retry_ids += other.retry_ids


def _send(message: EmailMultiAlternatives, connection) -> None:
    message.connection = connection
    if not connection.send_messages([message]):
        raise SMTPException("the e-mail backend accepted no message")


class Confirmations:
    """The outcomes of a batch's claimed rows, written together: the sent ones every
    ``confirm_every()`` e-mails and when the batch ends, the nothing-new ones when it ends,
    each row only while still held under its claim (``DeliveryLedger``)."""

    def __init__(self) -> None:
        self.sent: list[tuple[DigestDelivery, dict]] = []
        self.skipped: list[DigestDelivery] = []

    def add_sent(self, delivery: DigestDelivery, **fields) -> None:
        self.sent.append((delivery, fields))
        if len(self.sent) >= confirm_every():
            self.flush()

    def flush(self) -> None:
        if not (self.sent or self.skipped):
            return
        # One commit for the lot; one row alone is one statement, committed as it runs (the default:
        # each e-mail confirmed as soon as it is sent), with no transaction to open around it.
        alone = len(self.sent) + len(self.skipped) == 1
        with nullcontext() if alone else transaction.atomic():
            if self.sent:
                DigestDelivery.mark_all_sent(self.sent)
            if self.skipped:
                DigestDelivery.mark_all_skipped(self.skipped, item_count=0)
        self.sent, self.skipped = [], []


def send_one(digest: Digest, delivery: DigestDelivery, connection, confirmations: Confirmations | None = None) -> str:
    """Send (or skip) one claimed digest and confirm it (at once, or with the batch's
    ``confirmations``). Returns 'sent' or 'skipped'.

    Raises the SMTP error after recording it on the delivery row."""
    sub = digest.subscription
    if digest.is_empty and not sub.nothing_new_note:
        if confirmations is None:
            delivery.mark_skipped(item_count=0)
        else:
            confirmations.skipped.append(delivery)
        return "skipped"
    message = render_digest(digest, delivery)
    try:
        _send(message, connection)
    except SEND_ERRORS as exc:
        delivery.note_error(f"{type(exc).__name__}: {exc}")
        raise
    fields = {"item_count": digest.item_count, "message_id": message.extra_headers.get("Message-ID", "")}
    if confirmations is None:
        delivery.mark_sent(**fields)
    else:
        confirmations.add_sent(delivery, **fields)
    return "sent"


def process_batch(
    subscription_ids: Iterable[int],
    frequency: str,
    boundary: datetime,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> RunResult:
    """Build and send the digests of one batch; the unit of work of a Celery worker."""
    # The site's generation read once for the batch: what the process keeps is valid for all of it.
    with kept_within():
        return _process_batch(subscription_ids, frequency, boundary, dry_run=dry_run, progress=progress)


def _process_batch(
    subscription_ids: Iterable[int],
    frequency: str,
    boundary: datetime,
    *,
    dry_run: bool,
    progress: Callable[[int], None] | None,
) -> RunResult:
    result = RunResult()
    subs = load_subscriptions(subscription_ids, frequency)
    periods = periods_for(subs, boundary)
    data = DigestData(subs, periods)
    owned = {} if dry_run else claim(periods, frequency)
    connection = None
    confirmations = Confirmations()
    try:
        for sub in subs:
            if sub.pk not in periods:
                result.already_claimed += 1
            elif dry_run:
                digest = data.digest_for(sub)
                if digest.is_empty and not sub.nothing_new_note:
                    result.skipped += 1
                else:
                    render_digest(digest)
                    result.sent += 1
            elif sub.pk not in owned:
                result.already_claimed += 1
            else:
                delivery = owned[sub.pk]
                digest = data.digest_for(sub)
                if connection is None and not (digest.is_empty and not sub.nothing_new_note):
                    connection = get_connection()
                    connection.open()
                try:
                    outcome = send_one(digest, delivery, connection, confirmations)
                except SEND_ERRORS as exc:
                    logger.warning("digest %s to subscription %s failed, will retry: %s", delivery.pk, sub.pk, exc)
                    result.failed += 1
                    result.retry_ids.append((delivery.pk, str(delivery.claim_token)))
                    if connection is not None:
                        connection.close()  # start afresh: the connection may be broken
                    connection = None
                else:
                    if outcome == "sent":
                        result.sent += 1
                    else:
                        result.skipped += 1
            if progress:
                progress(1)
    finally:
        if connection is not None:
            connection.close()
        confirmations.flush()  # what was sent is confirmed, whatever stopped the batch
    return result


def deliver_one(delivery_id: int, token: str) -> str:
    """(Re)try one claimed delivery on its own: retries and recovered claims.

    Returns 'sent', 'skipped' or 'not-owner' (someone else holds or finished it)."""
    now = timezone.now()
    # Touch the claim so that a slow retry is not mistaken for a dead worker.
    if not DigestDelivery.objects.filter(pk=delivery_id, claim_token=token, state=DigestDelivery.State.CLAIMED).update(
        claimed_at=now
    ):
        return "not-owner"
    delivery = DigestDelivery.objects.select_related("subscription").get(pk=delivery_id)
    subs = load_subscriptions([delivery.subscription_id])
    if not subs:  # unsubscribed or paused meanwhile: nothing to send
        delivery.mark_skipped("subscription no longer active")
        return "skipped"
    data = DigestData(subs, {delivery.subscription_id: (delivery.period_start, delivery.period_end)})
    connection = get_connection()
    try:
        return send_one(data.digest_for(subs[0]), delivery, connection)
    finally:
        connection.close()


def dispatch_due(
    frequency: str,
    now: datetime | None = None,
    batch_size: int | None = None,
) -> tuple[datetime, list[list[int]]]:
    """The boundary and the batches of subscription ids due at ``now`` (``batch_size``
    per batch, default DIGEST_BATCH_SIZE)."""
    size = batch_size or default_batch_size()
    boundary = period_boundary(frequency, now)
    ids = due_subscription_ids(frequency, boundary)
    return boundary, [ids[i : i + size] for i in range(0, len(ids), size)]
