"""The search engine stopped while people search and write, then restarted."""

import time

import pytest

from .stack import Visitor, page_text, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.slow]

WORD = "Quetzalbrique"  # in no demo text: only the contributions below contain it


def _engine_answers(reader: Visitor, titles: list[str]) -> bool:
    page = reader.get(f"/fr/search/?q={WORD}")
    return "search-notice" not in page.text and all(t in page_text(page) for t in titles)


def test_search_falls_back_while_the_engine_is_down_and_what_was_written_meanwhile_reaches_it_afterwards(healthy):
    stack, site = healthy, healthy.site
    m = site.members
    writer = Visitor(site).sign_in(m["replier"], m["password"])
    reader = Visitor(site)

    stack.services.stop("opensearch")
    down_at = time.monotonic()
    titles = [f"{WORD} écrite hors index {n}" for n in range(2)]
    statuses, with_notice, found_meanwhile = [], 0, 0
    for title in titles:
        response = writer.post(m["consultation"], {"title": title, "body": f"Le mot {WORD} pendant la panne."})
        statuses.append(response.status_code)
        assert response.status_code == 302, page_text(response)[-1500:]
    # The worker writes the database index at once, even though the engine refuses the update.
    fallback_found = wait_until(
        lambda: all(t in page_text(reader.get(f"/fr/search/?q={WORD}")) for t in titles),
        timeout=60,
        what="the database fallback to find what was just written",
    )
    for query in [WORD, "energie", "ecole", WORD]:
        page = reader.get(f"/fr/search/?q={query}")
        statuses.append(page.status_code)
        with_notice += "search-notice" in page.text
        found_meanwhile += query == WORD and all(t in page_text(page) for t in titles)
    api = reader.get(f"/api/search/?q={WORD}&lang=fr")
    statuses.append(api.status_code)
    outage = time.monotonic() - down_at

    assert statuses.count(302) == 2 and all(s in (200, 302) for s in statuses), statuses
    assert with_notice == 4, "every search answered from the database says so"
    assert found_meanwhile == 2
    assert api.headers.get("X-Search-Notice") == "engine-unavailable" and api.json()["count"] == 2
    assert site.count("SELECT count(*) FROM contributions_contribution WHERE title = ANY(%s)", titles) == 2

    engine_start = stack.services.start("opensearch")
    back_at = time.monotonic()
    # The index updates that failed during the outage are retried by the worker.
    caught_up = wait_until(
        lambda: _engine_answers(reader, titles),
        timeout=90,
        interval=1,
        what="the engine to find what was written during the outage",
    )
    # The periodic reconciliation then finds nothing missing from the engine.
    report = site.manage("reconcile_search_index", "--backend", "default", "--verbosity", "0")
    assert " 0 added," in report and " 0 removed" in report, report

    stack.record(
        "search engine stopped and restarted",
        requests_during_outage=len(statuses),
        failed=sum(s >= 500 for s in statuses),
        answered_from_database_with_notice=with_notice,
        found_by_fallback_after_s=round(fallback_found, 1),
        outage_s=round(outage, 1),
        engine_restart_s=round(engine_start, 1),
        index_caught_up_after_restart_s=round(caught_up, 1),
        reconcile_report=report.strip(),
        total_after_restart_s=round(time.monotonic() - back_at, 1),
    )
