"""Redis (cache and broker) stopped while people use the site, then restarted."""

import time

import pytest

from .stack import Visitor, page_text, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.slow]

PAGES = ["/fr/", "/en/", "/fr/experiences/", "/fr/search/?q=energie"]


def test_contributions_posted_while_redis_is_down_are_kept_and_their_notifications_sent_after_it_returns(healthy):
    stack, site, smtp = healthy, healthy.site, healthy.smtp
    m = site.members
    replier = Visitor(site).sign_in(m["replier"], m["password"])
    reader = Visitor(site)
    consultation, theirs = m["consultation"], m["authors_contribution"]
    mails_before = len(smtp.handler.to(m["author"]))

    stack.services.stop("redis")
    down_at = time.monotonic()
    statuses, slowest = [], 0.0
    for path in PAGES * 2:
        start = time.monotonic()
        statuses.append(reader.get(path).status_code)
        slowest = max(slowest, time.monotonic() - start)
    titles = [f"Proposition pendant la panne Redis {n}" for n in range(3)]
    for title in titles:
        start = time.monotonic()
        response = replier.post(consultation, {"title": title, "body": "Écrite pendant que Redis était arrêté."})
        slowest = max(slowest, time.monotonic() - start)
        statuses.append(response.status_code)
        assert response.status_code == 302, page_text(response)[-1500:]
    replies = [f"Réponse pendant la panne Redis {n}" for n in range(2)]
    for body in replies:
        response = replier.post(f"{consultation}contributions/{theirs}/reply/", {"body": body})
        statuses.append(response.status_code)
        assert response.status_code == 302, page_text(response)[-1500:]
    outage = time.monotonic() - down_at

    # Nothing was lost: saved at once, and the work that could not be queued kept in the database.
    assert site.count("SELECT count(*) FROM contributions_contribution WHERE title = ANY(%s)", titles) == 3
    assert site.count("SELECT count(*) FROM contributions_reply WHERE body LIKE %s", "%pendant la panne Redis%") == 2
    kept = site.count("SELECT count(*) FROM cooperation_hub_deferredtask")
    assert (
        site.count(
            "SELECT count(*) FROM cooperation_hub_deferredtask WHERE task_name = %s", "contributions.tasks.notify_reply"
        )
        == 2
    )
    assert all(status in (200, 302) for status in statuses), statuses

    stack.services.start("redis")
    back_at = time.monotonic()
    recovery = wait_until(
        lambda: len(smtp.handler.to(m["author"])) >= mails_before + 2,
        timeout=90,
        what="the reply notifications held back during the outage",
    )
    wait_until(
        lambda: site.count("SELECT count(*) FROM cooperation_hub_deferredtask") == 0,
        timeout=60,
        what="every deferred task to be queued",
    )
    # The search engine got the contributions written during the outage.
    wait_until(
        lambda: (
            all(t in page_text(reader.get(f"/fr/search/?q={t.replace(' ', '+')}")) for t in titles[:1])
            and "search-notice" not in reader.get("/fr/search/?q=panne+Redis").text
        ),
        timeout=60,
        what="the contributions in the search engine",
    )
    time.sleep(3)  # a duplicate would arrive now
    notices = smtp.handler.to(m["author"])[mails_before:]
    assert len(notices) == 2
    assert sorted(b for b in replies if any(b in n.get_body(("plain",)).get_content() for n in notices)) == sorted(
        replies
    )
    assert reader.get("/fr/").status_code == 200

    stack.record(
        "redis stopped and restarted",
        requests_during_outage=len(statuses),
        failed=sum(s >= 500 for s in statuses),
        slowest_response_s=round(slowest, 2),
        outage_s=round(outage, 1),
        tasks_kept_in_database=kept,
        notifications_sent_after_restart_s=round(recovery, 1),
        total_after_restart_s=round(time.monotonic() - back_at, 1),
    )
