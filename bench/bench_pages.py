"""Pages under the full middleware stack (in-process, Django test client, throw-away SQLite database).

Baseline: a view that returns a constant response through the same middleware stack, measured in the
same run: what remains above it is the cost of our pages themselves (templates, queries).
"""

import statistics
import tempfile
import time
from pathlib import Path

REQUESTS = 300


def _measure(client, path: str, *, n: int = REQUESTS) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm up
    timings = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(n):
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
    timings.sort()
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "queries": len(queries) / n,
    }


def main() -> None:
    import os

    tmp = Path(tempfile.mkdtemp())
    os.environ["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from django.urls import path

    from portal import urls as portal_urls
    from portal.core.demo import DEMO_PASSWORD, demo_users_seed

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    demo_users_seed()

    def constant(request):
        return HttpResponse("ok")

    class BenchUrls:
        urlpatterns = [path("__baseline__", constant), *portal_urls.urlpatterns]

    with override_settings(ROOT_URLCONF=BenchUrls):
        anonymous = Client(HTTP_ACCEPT_LANGUAGE="th")
        member = Client(HTTP_ACCEPT_LANGUAGE="th")
        member.login(username="owner.th@demo.example", password=DEMO_PASSWORD)
        rows = [
            ("baseline: constant view (anonymous)", _measure(anonymous, "/__baseline__")),
            ("home (anonymous, Thai)", _measure(anonymous, "/")),
            ("login page (anonymous)", _measure(anonymous, "/accounts/login/")),
            ("healthz", _measure(anonymous, "/healthz")),
            ("baseline: constant view (member)", _measure(member, "/__baseline__")),
            ("dashboard (member, Thai)", _measure(member, "/dashboard/")),
        ]
    print(f"{REQUESTS} requests each, in-process, SQLite")
    print(f"{'page':<40}{'median ms':>11}{'p95 ms':>9}{'queries':>9}")
    for name, figures in rows:
        print(f"{name:<40}{figures['median_ms']:>11.2f}{figures['p95_ms']:>9.2f}{figures['queries']:>9.1f}")
