"""Locust users for bench_load (not a bench module: bench/bench_load.py runs it as `locust --headless`).

Half anonymous visitors (directory and company pages), half members who sign in through the allauth form
(directory, company pages, recommendations and their own Expo agenda), 1–3 s of thinking between pages.
Two environment variables, set by bench_load: BENCH_LOAD_TARGETS, a JSON file with the company ids, the
member logins and their agenda paths; BENCH_LOAD_RESULTS, where every request's start (epoch seconds) and
response time (ms, unrounded) and every failure are written per page when locust quits.
"""

import itertools
import json
import os
import random
import re
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, events, task

TARGETS = json.loads(Path(os.environ["BENCH_LOAD_TARGETS"]).read_text(encoding="utf-8"))
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DIRECTORY = [
    ("/directory/", "directory, no filter"),
    ("/directory/?q=machining", "directory ?q=machining"),
    ("/directory/?country=JP", "directory ?country=JP"),
    ("/directory/?industry=medical-devices", "directory ?industry=medical-devices"),
]
LANGUAGES = ["en", "th", "ja"]
_members = itertools.cycle(TARGETS["members"])
_timings: dict[str, list[tuple[float, float]]] = defaultdict(list)
_failures: dict[str, Counter] = defaultdict(Counter)


@events.request.add_listener
def _record(name, response_time, exception, start_time, **kwargs) -> None:
    _timings[name].append((start_time, response_time))
    if exception is not None:
        _failures[name][str(exception)[:300]] += 1


@events.quitting.add_listener
def _write_results(**kwargs) -> None:
    results = {
        name: {"requests": requests, "failures": dict(_failures[name])} for name, requests in _timings.items()
    }
    Path(os.environ["BENCH_LOAD_RESULTS"]).write_text(json.dumps(results), encoding="utf-8")


class _Browsing(FastHttpUser):
    abstract = True
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.headers = {"Accept-Language": random.choice(LANGUAGES)}

    def page(self, path: str, name: str) -> None:
        """GET a page that must answer 200 itself (a redirect, to the login page say, is a failure)."""
        with self.client.get(
            path, name=name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} {response.headers.get('Location', '')}")

    def directory(self) -> None:
        if random.random() < 0.2:
            number = random.randint(2, TARGETS["directory_pages"])
            self.page(f"/directory/?page={number}", "directory ?page=N")
        else:
            self.page(*random.choice(DIRECTORY))

    def company(self) -> None:
        self.page(f"/directory/{random.choice(TARGETS['company_ids'])}/", "company page")


class Visitor(_Browsing):
    @task(3)
    def browse_directory(self) -> None:
        self.directory()

    @task(4)
    def open_company(self) -> None:
        self.company()


class Member(_Browsing):
    def on_start(self) -> None:
        super().on_start()
        member = next(_members)
        self.agenda = member["agenda"]
        with self.client.get(
            "/accounts/login/", name="login page", headers=self.headers, catch_response=True
        ) as response:
            token = CSRF_INPUT.search(response.text or "")
            if response.status_code != 200 or token is None:
                response.failure(f"HTTP {response.status_code}, CSRF token found: {token is not None}")
                return
        form = {"login": member["email"], "password": TARGETS["password"], "csrfmiddlewaretoken": token[1]}
        with self.client.post(
            "/accounts/login/",
            name="login (POST)",
            data=urlencode(form),
            headers={**self.headers, "Content-Type": "application/x-www-form-urlencoded"},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or "/accounts/" in location:
                response.failure(f"HTTP {response.status_code} {location}")

    @task(2)
    def browse_directory(self) -> None:
        self.directory()

    @task(2)
    def open_company(self) -> None:
        self.company()

    @task(2)
    def recommendations(self) -> None:
        self.page("/matching/recommendations/", "recommendations")

    @task(1)
    def own_agenda(self) -> None:
        self.page(self.agenda, "Expo agenda")
