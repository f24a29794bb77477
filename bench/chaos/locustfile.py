"""The soak's visitors (python -m bench.chaos --soak): bench.load's mix, through the load balancer.

Readers, searchers and API clients are bench/load/locustfile.py's own classes. Contributors
(posting contributions, REPLIES and SUPPORTS) and subscribers (subscribing, then confirming with
the link of the e-mail the SMTP sink received) are written here, because the soak must know
WHICH writes were acknowledged, not only how many: each acknowledgement is a line of
SOAK_LEDGER (JSON lines), each request a line of SOAK_SAMPLES (time, name, status, ms,
Retry-After, X-Search-Backend), written as they happen, so that nothing is lost if locust is
stopped abruptly. Every member and subscriber sends from a loopback address of its own
(127.0.1.N, 127.0.2.N): the production per-address rate limits apply, as for people.

Environment: LOAD_TARGETS (bench.load's targets file, written by bench.chaos.soak_data),
LOAD_LEDGER (bench.load's counts, unused here), LOAD_MARKER, SOAK_SAMPLES, SOAK_LEDGER,
SOAK_MAILDIR (the sink's files: one folder per recipient).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from pathlib import Path

from locust import HttpUser, between, events, task

import bench.load.locustfile as load
from bench.chaos.addresses import SourceAddress

TARGETS = load.TARGETS
MARKER = os.environ.get("LOAD_MARKER", "soak")
MAILDIR = Path(os.environ["SOAK_MAILDIR"])
_samples = open(os.environ["SOAK_SAMPLES"], "a", encoding="utf-8", buffering=1)  # noqa: SIM115 (for the run)
_ledger = open(os.environ["SOAK_LEDGER"], "a", encoding="utf-8", buffering=1)  # noqa: SIM115
_accounts = itertools.cycle(TARGETS["accounts"])
_sequence = itertools.count()
_contributor_address = itertools.count(1)
_subscriber_address = itertools.count(1)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PERMALINK = re.compile(r"/contributions/(\d+)/")
CONFIRM_LINK = re.compile(r"https?://[^\s\"'<>]+/subscriptions/confirm/[^\s\"'<>/]+/")


@events.request.add_listener
def _sample(request_type, name, response_time, response=None, exception=None, **kwargs) -> None:
    status = getattr(response, "status_code", 0) or 0
    headers = getattr(response, "headers", None) or {}
    _samples.write(json.dumps([
        round(time.time(), 3), f"{request_type} {name}", status, round(response_time or 0), "Retry-After" in headers,
        headers.get("X-Search-Backend", ""),
    ]) + "\n")  # fmt: skip


def acknowledged(kind: str, key) -> None:
    _ledger.write(json.dumps([round(time.time(), 3), kind, key]) + "\n")


class Reader(load.Reader):
    pass


class Searcher(load.Searcher):
    pass


class ApiClient(load.ApiClient):
    pass


class Contributor(HttpUser):
    """A verified member during the open consultation: contributes, replies, supports (bench.load's weights)."""

    weight = load.Contributor.weight
    wait_time = between(2, 6)

    def on_start(self):
        self.client.mount("http://", SourceAddress(f"127.0.1.{next(_contributor_address) % 250 + 1}"))
        self.account = next(_accounts)
        self.lang = random.choice(["fr", "en"])
        self.page = TARGETS["consultation"][self.lang]
        self.contribution_ids = list(TARGETS["contribution_ids"])
        self.signed_in = False
        self._sign_in()

    def _sign_in(self) -> None:
        form = self.client.get(f"/{self.lang}/accounts/login/", name="login")
        token = CSRF.search(form.text or "")
        if not token:
            return
        done = self.client.post(
            f"/{self.lang}/accounts/login/", name="login", allow_redirects=False,
            data={"login": self.account["email"], "password": self.account["password"],
                  "csrfmiddlewaretoken": token.group(1)},
        )  # fmt: skip
        self.signed_in = done.status_code == 302

    def _form_token(self, url: str, name: str) -> str | None:
        if not self.signed_in:  # a sign-in cut by a fault: again
            self._sign_in()
            if not self.signed_in:
                return None
        page = self.client.get(url, name=name)
        if page.status_code != 200:
            return None
        self.contribution_ids += [int(i) for i in PERMALINK.findall(page.text)[:5]]
        found = CSRF.search(page.text)
        return found.group(1) if found else None

    def _acknowledged(self, response) -> bool:
        """A redirect to the contribution's permalink; one to the sign-in page is not (session lost)."""
        location = response.headers.get("Location", "") if response.status_code == 302 else ""
        if "/accounts/login" in location:
            self.signed_in = False
        return bool(PERMALINK.search(location)) and "/accounts/login" not in location

    @task(3)
    def contribute(self):
        token = self._form_token(self.page, "consultation page (member)")
        if token is None:
            return
        title = f"{MARKER} idea {next(_sequence)}"
        data = {"title": title, "body": f"{MARKER}: a twinning of schools, with data to share.",
                "tags": "load, schools", "section": "", "website": "", "csrfmiddlewaretoken": token}  # fmt: skip
        response = self.client.post(self.page, data=data, name="contribution", allow_redirects=False)
        found = PERMALINK.search(response.headers.get("Location", "")) if self._acknowledged(response) else None
        if found:
            acknowledged("contribution", title)
            self.contribution_ids.append(int(found.group(1)))

    @task(3)
    def reply(self):
        url = f"{self.page}contributions/{random.choice(self.contribution_ids)}/"
        token = self._form_token(url, "contribution permalink (member)")
        if token is None:
            return
        body = f"{MARKER}: we tried this too, reply {next(_sequence)}."
        response = self.client.post(
            url + "reply/", data={"body": body, "website": "", "csrfmiddlewaretoken": token}, name="reply",
            allow_redirects=False,
        )  # fmt: skip
        if self._acknowledged(response):
            acknowledged("reply", body)

    @task(2)
    def support(self):
        contribution = random.choice(self.contribution_ids)
        url = f"{self.page}contributions/{contribution}/"
        token = self._form_token(url, "contribution permalink (member)")
        if token is None:
            return
        response = self.client.post(
            url + "support/", data={"supported": "1", "csrfmiddlewaretoken": token}, name="support",
            allow_redirects=False,
        )  # fmt: skip
        if self._acknowledged(response):
            acknowledged("support", [self.account["email"], contribution])

    @task(1)
    def read_synthesis(self):
        self.client.get(self.page + "synthesis/", name="synthesis (member)")


class Subscriber(HttpUser):
    """Subscribes to the digest with a new address, then confirms with the link from the e-mail."""

    weight = 5
    wait_time = between(5, 15)

    def on_start(self):
        self.client.mount("http://", SourceAddress(f"127.0.2.{next(_subscriber_address) % 250 + 1}"))

    @task
    def subscribe_and_confirm(self):
        lang = random.choice(["fr", "en"])
        form = self.client.get(f"/{lang}/subscribe/", name="subscribe form")
        token = CSRF.search(form.text or "") if form.status_code == 200 else None
        if not token:
            return
        email = f"{MARKER.lower()}-s{next(_sequence)}@soak.example"
        response = self.client.post(
            f"/{lang}/subscribe/", name="subscribe", allow_redirects=False,
            data={"email": email, "frequency": "weekly", "language": lang, "csrfmiddlewaretoken": token.group(1)},
        )  # fmt: skip
        if response.status_code != 302:
            return
        acknowledged("subscription", email)
        link = None
        deadline = time.monotonic() + 60  # the confirmation e-mail goes through the broker and a worker
        while link is None and time.monotonic() < deadline:
            for message in sorted((MAILDIR / email).glob("*.eml")) if (MAILDIR / email).is_dir() else []:
                found = CONFIRM_LINK.search(message.read_text(errors="replace").replace("=\n", ""))
                if found:
                    link = found.group(0)
                    break
            if link is None:
                time.sleep(1)  # gevent-patched: other users go on
        if link is None:
            return
        path = re.sub(r"^https?://[^/]+", "", link)
        page = self.client.get(path, name="confirm page")
        token = CSRF.search(page.text or "") if page.status_code == 200 else None
        if token:
            done = self.client.post(path, data={"csrfmiddlewaretoken": token.group(1)}, name="confirm")
            if done.status_code == 200:
                acknowledged("confirmation", email)
