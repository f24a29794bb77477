"""PostgreSQL restarted under the running site and worker."""

import time

import pytest

from .stack import Visitor, page_text, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.slow]

PAGES = ["/fr/", "/fr/experiences/", "/en/"]


def test_site_and_worker_recover_from_a_postgres_restart_without_being_restarted(healthy):
    stack, site, smtp = healthy, healthy.site, healthy.smtp
    m = site.members
    replier = Visitor(site).sign_in(m["replier"], m["password"])
    reader = Visitor(site)
    gunicorn, worker = site.process.pid, stack.worker.process.pid
    assert all(reader.get(path).status_code == 200 for path in PAGES)  # connections are open and pooled
    mails_before = len(smtp.handler.to(m["author"]))

    stack.services.stop("postgres")
    down_at = time.monotonic()
    # Anonymous pages may come from the page cache; a member's session needs the database.
    anonymous = [reader.get(path).status_code for path in PAGES]
    member = [replier.get(path).status_code for path in PAGES]
    outage = time.monotonic() - down_at
    # Served from the page cache, or a "come back soon" page: never a hang, never a bare 500.
    assert all(status in (200, 503) for status in anonymous + member), anonymous + member
    stack.services.start("postgres")
    back_at = time.monotonic()

    recovery = wait_until(
        lambda: replier.get("/fr/").status_code == 200, timeout=30, interval=0.2, what="the site to answer again"
    )
    after = [visitor.get(path).status_code for path in PAGES * 2 for visitor in (reader, replier)]
    assert set(after) == {200}, after
    # A signed-in member writes, and the worker (same process) sends the notification.
    response = replier.post(
        f"{m['consultation']}contributions/{m['authors_contribution']}/reply/",
        {"body": "Réponse après le redémarrage de PostgreSQL"},
    )
    assert response.status_code == 302, page_text(response)[-1500:]
    wait_until(
        lambda: any(
            "redémarrage de PostgreSQL" in n.get_body(("plain",)).get_content()
            for n in smtp.handler.to(m["author"])[mails_before:]
        ),
        timeout=60,
        what="the worker to send the reply notification",
    )
    assert site.count("SELECT count(*) FROM contributions_reply WHERE body LIKE %s", "%redémarrage de PostgreSQL%") == 1
    assert site.process.pid == gunicorn and site.process.poll() is None
    assert stack.worker.process.pid == worker and stack.worker.process.poll() is None

    stack.record(
        "postgresql restarted",
        requests_during_outage=len(anonymous + member),
        anonymous_served_during_outage=anonymous.count(200),
        member_pages_failed_during_outage=sum(s != 200 for s in member),
        outage_s=round(outage, 1),
        first_page_after_restart_s=round(recovery, 2),
        requests_after=len(after) + 1,
        failed_after=sum(s != 200 for s in after),
        total_after_restart_s=round(time.monotonic() - back_at, 1),
    )
