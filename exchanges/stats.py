"""The network dashboard's figures: how exchange requests are answered and what
partnerships the network forms, by month. Plain functions over the database in a
fixed number of queries, whatever the number of requests (tests/exchanges/test_dashboard.py).

- *sent*: every request, by the month it was sent;
- *answered*: requests a city contact answered (a first message, an acceptance or a
  declining sets ``answered_at``; a hand-over clears it: the colleague owes the answer);
  a requester's withdrawal is not an answer;
- *answer time*: from sending to that first answer; the median, not the mean, so that
  one request left for weeks does not hide how quickly most are answered;
- *acceptance rate*: accepted among the requests decided (accepted or declined); open
  and withdrawn requests are not decided and do not count;
- partnerships by *region pair* (partnerships.models.region_pair) and *theme*, by the
  month they started (the month they were recorded when no start date is known).
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from experiences.models import Theme

from .models import ExchangeRequest


def month_of(moment: date | datetime) -> date:
    """The first day of the month of ``moment`` (a datetime in the site's time zone)."""
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date()
    return moment.replace(day=1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from ``first`` to ``last`` (firsts of months), none skipped: an empty month is a zero."""
    months, current = [], first
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


@dataclass
class RequestMonth:
    month: date
    sent: int = 0
    answered: int = 0
    accepted: int = 0
    declined: int = 0
    answer_times: list[timedelta] = field(default_factory=list, repr=False)

    @property
    def median_answer_time(self) -> timedelta | None:
        return median_duration(self.answer_times)

    @property
    def acceptance_rate(self) -> float | None:
        return acceptance_rate(self.accepted, self.declined)

    @property
    def median_answer_days(self) -> float | None:
        return in_days(self.median_answer_time)

    @property
    def acceptance_percent(self) -> float | None:
        return as_percent(self.acceptance_rate)


@dataclass
class NetworkFigures:
    sent: int
    answered: int
    accepted: int
    declined: int
    open: int
    median_answer_time: timedelta | None
    acceptance_rate: float | None
    months: list[date]
    requests: list[RequestMonth]
    # (value, label) of each region pair, and per month the partnerships of each (in that order).
    region_pairs: list[tuple[str, str]]
    partnerships_by_region_pair: list[tuple[date, list[int]]]
    # Themes with at least one partnership, and per month the partnerships on each.
    themes: list[Theme]
    partnerships_by_theme: list[tuple[date, list[int]]]
    partnerships: int

    @property
    def median_answer_days(self) -> float | None:
        return in_days(self.median_answer_time)

    @property
    def acceptance_percent(self) -> float | None:
        return as_percent(self.acceptance_rate)

    def region_pair_totals(self) -> list[int]:
        return [sum(row[i] for _, row in self.partnerships_by_region_pair) for i in range(len(self.region_pairs))]

    def theme_totals(self) -> list[int]:
        return [sum(row[i] for _, row in self.partnerships_by_theme) for i in range(len(self.themes))]


def median_duration(durations: list[timedelta]) -> timedelta | None:
    """The median of ``durations`` (None when there is none), to the second."""
    if not durations:
        return None
    return timedelta(seconds=round(statistics.median(d.total_seconds() for d in durations)))


def in_days(value: timedelta | None) -> float | None:
    return value.total_seconds() / 86400 if value is not None else None


def as_percent(rate: float | None) -> float | None:
    return rate * 100 if rate is not None else None


def acceptance_rate(accepted: int, declined: int) -> float | None:
    """Accepted among decided requests, between 0 and 1; None when none was decided yet."""
    decided = accepted + declined
    return accepted / decided if decided else None


def network_figures() -> NetworkFigures:
    """Every figure of the dashboard: 1 query for the requests, 3 for the partnerships
    with their cities and themes (1 when there is none)."""
    from partnerships.models import Partnership, PartnershipCity, RegionPair

    rows = list(ExchangeRequest.objects.order_by().values_list("created_at", "answered_at", "state"))
    partnerships = list(
        Partnership.objects.order_by()
        .only("pk", "start_date", "created_at", "title_fr", "title_en")
        .prefetch_related(
            Prefetch(
                "partner_cities",
                queryset=PartnershipCity.objects.select_related("city").only(
                    "partnership", "city__region", "city__name"
                ),
            ),
            Prefetch("themes", queryset=Theme.objects.order_by("id")),
        )
    )

    started = [(p, p.start_date or month_of(p.created_at)) for p in partnerships]
    known = [month_of(created) for created, _a, _s in rows] + [month_of(day) for _p, day in started]
    months = months_between(min(known), max(known)) if known else []

    by_month = {m: RequestMonth(m) for m in months}
    all_times: list[timedelta] = []
    totals: Counter[str] = Counter()  # requests by state
    for created, answered, state in rows:
        month = by_month[month_of(created)]
        month.sent += 1
        if answered is not None:
            month.answered += 1
            month.answer_times.append(answered - created)
            all_times.append(answered - created)
        if state == ExchangeRequest.State.ACCEPTED:
            month.accepted += 1
        elif state == ExchangeRequest.State.DECLINED:
            month.declined += 1
        totals[state] += 1

    pairs = [(pair.value, str(pair.label)) for pair in RegionPair]
    pair_rows = {m: [0] * len(pairs) for m in months}
    pair_index = {value: i for i, (value, _label) in enumerate(pairs)}
    themes: dict[int, Theme] = {}
    theme_counts: Counter = Counter()
    for partnership, day in started:
        pair = partnership.region_pair
        if pair:
            pair_rows[month_of(day)][pair_index[pair]] += 1
        for theme in partnership.themes.all():
            themes[theme.pk] = theme
            theme_counts[(month_of(day), theme.pk)] += 1
    theme_list = sorted(themes.values(), key=lambda t: t.pk)

    accepted = totals[ExchangeRequest.State.ACCEPTED]
    declined = totals[ExchangeRequest.State.DECLINED]
    return NetworkFigures(
        sent=len(rows),
        answered=len(all_times),
        accepted=accepted,
        declined=declined,
        open=sum(totals[state] for state in ExchangeRequest.OPEN_STATES),
        median_answer_time=median_duration(all_times),
        acceptance_rate=acceptance_rate(accepted, declined),
        months=months,
        requests=[by_month[m] for m in months],
        region_pairs=pairs,
        partnerships_by_region_pair=[(m, pair_rows[m]) for m in months],
        themes=theme_list,
        partnerships_by_theme=[(m, [theme_counts[(m, t.pk)] for t in theme_list]) for m in months],
        partnerships=len(partnerships),
    )


def csv_rows(figures: NetworkFigures) -> list[list[str]]:
    """The dashboard's tables as one CSV sheet: a row per month, then the totals.

    Durations in days with one decimal and rates as percentages, so that a spreadsheet reads them as numbers."""
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    def one_decimal(value: float | None) -> str:
        return f"{value:.1f}" if value is not None else ""

    header = [
        _("Month"),
        _("Requests sent"),
        _("Requests answered"),
        pgettext("exchange requests", "Accepted"),
        pgettext("exchange requests", "Declined"),
        _("Median answer time (days)"),
        _("Acceptance rate (%)"),
        *[_("Partnerships %(pair)s") % {"pair": label} for _value, label in figures.region_pairs],
        *[_("Partnerships on %(theme)s") % {"theme": theme.label} for theme in figures.themes],
    ]
    out = [header]
    for requests, (_m, pairs), (_m2, themes) in zip(
        figures.requests, figures.partnerships_by_region_pair, figures.partnerships_by_theme, strict=True
    ):
        out.append(
            [
                requests.month.strftime("%Y-%m"),
                str(requests.sent),
                str(requests.answered),
                str(requests.accepted),
                str(requests.declined),
                one_decimal(requests.median_answer_days),
                one_decimal(requests.acceptance_percent),
                *map(str, pairs),
                *map(str, themes),
            ]
        )
    out.append(
        [
            _("Total"),
            str(figures.sent),
            str(figures.answered),
            str(figures.accepted),
            str(figures.declined),
            one_decimal(figures.median_answer_days),
            one_decimal(figures.acceptance_percent),
            *map(str, figures.region_pair_totals()),
            *map(str, figures.theme_totals()),
        ]
    )
    return out
