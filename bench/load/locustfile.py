"""The load benchmark's visitors: readers, searchers, contributors and API clients.

Run by ``python -m bench.load``, which prepares the site and passes two files
in the environment: LOAD_TARGETS (URLs, slugs and accounts to use, JSON) and
LOAD_LEDGER (where this process writes what it saw succeed, for the count in
the database afterwards). Every request is named by page type, so the stats
come out per page type. LOAD_MARKER tags every text posted.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from collections import Counter

from locust import HttpUser, between, events, task

TARGETS = json.loads(open(os.environ["LOAD_TARGETS"], encoding="utf-8").read())
MARKER = os.environ.get("LOAD_MARKER", "loadtest")
LEDGER = {"contributions": 0, "replies": 0, "supports": set(), "server_errors": Counter()}
_accounts = itertools.cycle(TARGETS["accounts"])
_sequence = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PERMALINK = re.compile(r"/contributions/(\d+)/")


@events.request.add_listener
def _count_server_errors(name, response=None, exception=None, **kwargs) -> None:
    if response is not None and getattr(response, "status_code", 0) >= 500:
        LEDGER["server_errors"][name] += 1


@events.test_stop.add_listener
def _write_ledger(**kwargs) -> None:
    with open(os.environ["LOAD_LEDGER"], "w", encoding="utf-8") as out:
        json.dump({**LEDGER, "supports": sorted(LEDGER["supports"])}, out)


def _lang() -> str:
    return random.choice(["fr", "fr", "en"])


class Reader(HttpUser):
    """Browses experiences: lists with filters and pages, reports, tags, themes, cities, peers, the map."""

    weight = 55
    wait_time = between(1, 4)

    @task(3)
    def home(self):
        self.client.get(f"/{_lang()}/", name="home")

    @task(6)
    def experience_list(self):
        lang = _lang()
        params = random.choice(
            [
                {},
                {"page": random.randint(2, 6)},
                {"theme": random.choice(TARGETS["themes"])},
                {"region": "south", "sort": "newest"},
                {"sdg": random.randint(1, 17)},
                {"country": random.choice(TARGETS["countries"]), "status": "in_progress"},
            ]
        )
        self.client.get(f"/{lang}/experiences/", params=params, name="experiences list")

    @task(6)
    def report(self):
        self.client.get(random.choice(TARGETS["experiences"][_lang()]), name="report page")

    @task(2)
    def tag(self):
        self.client.get(f"/{_lang()}/experiences/tag/{random.choice(TARGETS['tags'])}/", name="tag page")

    @task(2)
    def theme(self):
        self.client.get(f"/{_lang()}/experiences/theme/{random.choice(TARGETS['themes'])}/", name="theme page")

    @task(2)
    def city(self):
        self.client.get(f"/{_lang()}/experiences/city/{random.choice(TARGETS['cities'])}/", name="city page")

    @task(1)
    def peers(self):
        self.client.get(f"/{_lang()}/cities/{random.choice(TARGETS['cities'])}/peers/", name="peers page")

    @task(1)
    def map(self):
        self.client.get(f"/{_lang()}/experiences/map/", name="map")

    @task(1)
    def feed(self):
        self.client.get(f"/{_lang()}/experiences/feed/", name="feed")

    @task(2)
    def consultation(self):
        lang = _lang()
        self.client.get(TARGETS["consultation"][lang], name="consultation page")

    @task(1)
    def synthesis(self):
        self.client.get(TARGETS["consultation"][_lang()] + "synthesis/", name="synthesis")


class Searcher(HttpUser):
    """Types in the search box: suggestions while typing, then the results page or the API."""

    weight = 20
    wait_time = between(1, 4)

    @task(3)
    def search_page(self):
        q = random.choice(TARGETS["queries"])
        for prefix in (q[:3], q[:5]):
            if len(prefix) >= 3:
                self.client.get(
                    "/api/search/autocomplete/", params={"q": prefix, "lang": _lang()}, name="api autocomplete"
                )
        self.client.get(f"/{_lang()}/search/", params={"q": q}, name="search page")

    @task(2)
    def search_api(self):
        params = {"q": random.choice(TARGETS["queries"]), "lang": _lang()}
        if random.random() < 0.4:
            params["theme"] = random.choice(TARGETS["themes"])
        self.client.get("/api/search/", params=params, name="api search")


class ApiClient(HttpUser):
    """Another site or a script: search, comparable projects, Wagtail's API, open data."""

    weight = 15
    wait_time = between(0.5, 2)

    @task(3)
    def search(self):
        self.client.get(
            "/api/search/", params={"q": random.choice(TARGETS["queries"]), "per_page": 50}, name="api search"
        )

    @task(3)
    def comparable(self):
        external_id = random.choice(TARGETS["external_ids"])
        self.client.get(f"/api/experiences/{external_id}/comparable/", params={"lang": _lang()}, name="api comparable")

    @task(2)
    def pages(self):
        self.client.get(
            "/api/v2/pages/",
            params={
                "type": "experiences.ExperiencePage",
                "limit": 20,
                "offset": random.randint(0, 200),
                "fields": "city,themes",
            },
            name="api v2 pages",
        )

    @task(2)
    def page(self):
        self.client.get(f"/api/v2/pages/{random.choice(TARGETS['page_ids'])}/", name="api v2 page")

    @task(1)
    def export(self):
        kind = random.choice(["csv", "json"])
        self.client.get(TARGETS["consultation"]["fr"] + f"export/{kind}/", name="consultation export")


class Contributor(HttpUser):
    """A verified member during the open consultation: reads it, contributes, replies, supports."""

    weight = 10
    wait_time = between(2, 6)

    def on_start(self):
        self.account = next(_accounts)
        self.lang = random.choice(["fr", "en"])
        self.page = TARGETS["consultation"][self.lang]
        form = self.client.get(f"/{self.lang}/accounts/login/", name="login")
        token = CSRF.search(form.text)
        self.client.post(
            f"/{self.lang}/accounts/login/",
            name="login",
            data={
                "login": self.account["email"],
                "password": self.account["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
        )
        self.contribution_ids = list(TARGETS["contribution_ids"])
        self.own_ids: set[int] = set()

    def _form_token(self, url: str, name: str) -> str | None:
        """The page with the form, as a member opens it first; None if it did not come."""
        page = self.client.get(url, name=name)
        if page.status_code != 200:
            return None
        self.contribution_ids += [int(i) for i in PERMALINK.findall(page.text)[:5]]
        found = CSRF.search(page.text)
        return found.group(1) if found else None

    @task(3)
    def contribute(self):
        token = self._form_token(self.page, "consultation page (member)")
        if token is None:
            return
        n = next(_sequence)
        data = {"title": f"{MARKER} idea {n}", "body": f"{MARKER}: a twinning of schools, with data to share, "
                f"number {n}.", "tags": "load, schools", "section": "", "website": "",
                "csrfmiddlewaretoken": token}  # fmt: skip
        with self.client.post(
            self.page, data=data, name="contribution", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302 and PERMALINK.search(response.headers.get("Location", "")):
                LEDGER["contributions"] += 1
                own = int(PERMALINK.search(response.headers["Location"]).group(1))
                self.contribution_ids.append(own)
                self.own_ids.add(own)
                response.success()
            else:
                response.failure(f"contribution not accepted: {response.status_code}")

    @task(3)
    def reply(self):
        contribution = random.choice(self.contribution_ids)
        url = f"{self.page}contributions/{contribution}/"
        token = self._form_token(url, "contribution permalink (member)")
        if token is None:
            return
        data = {
            "body": f"{MARKER}: we tried this too, reply {next(_sequence)}.",
            "website": "",
            "csrfmiddlewaretoken": token,
        }
        with self.client.post(
            url + "reply/", data=data, name="reply", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302:
                LEDGER["replies"] += 1
                response.success()
            else:
                response.failure(f"reply not accepted: {response.status_code}")

    @task(2)
    def support(self):
        # Nobody supports their own contribution (the site answers 403, as it should).
        others = [i for i in self.contribution_ids if i not in self.own_ids]
        if not others:
            return
        contribution = random.choice(others)
        url = f"{self.page}contributions/{contribution}/"
        token = self._form_token(url, "contribution permalink (member)")
        if token is None:
            return
        data = {"supported": "1", "csrfmiddlewaretoken": token}
        with self.client.post(
            url + "support/", data=data, name="support", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302:
                LEDGER["supports"].add((self.account["email"], contribution))
                response.success()
            else:
                response.failure(f"support not accepted: {response.status_code}")

    @task(1)
    def read_synthesis(self):
        self.client.get(self.page + "synthesis/", name="synthesis (member)")
