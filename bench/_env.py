"""Shared set-up for benchmarks: a throw-away database (in-memory SQLite on the embedded default,
a test_<name> database on PostgreSQL when DATABASE_URL says so) and timing helpers."""

import contextlib
import resource
import statistics
import time


@contextlib.contextmanager
def bench_database():
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
        teardown_test_environment,
    )

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    config = setup_databases(verbosity=0, interactive=False)
    try:
        yield settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    finally:
        teardown_databases(config, verbosity=0)
        teardown_test_environment()


def peak_reset() -> bool:
    """Start the process's peak resident memory (ru_maxrss) afresh, so that a bench's set-up (importing
    200,000 companies) does not count as the peak of the work measured after it. Linux only
    (``/proc/self/clear_refs``, "5"); False where it cannot."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def timed(function, *args, **kwargs):
    """(result, seconds, the process's peak resident memory in MiB so far)."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    seconds = time.perf_counter() - start
    return result, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def latency(client, path: str, *, n: int, params: dict | None = None) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path, params or {})  # warm up
    timings = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(n):
            start = time.perf_counter()
            response = client.get(path, params or {})
            timings.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
    timings.sort()
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": timings[max(0, int(len(timings) * 0.95) - 1)],
        "queries": len(queries) / n,
    }


def print_latency_table(title: str, rows: list[tuple[str, dict]]) -> None:
    print(title)
    print(f"{'page':<52}{'median ms':>11}{'p95 ms':>9}{'queries':>9}")
    for name, figures in rows:
        print(f"{name:<52}{figures['median_ms']:>11.2f}{figures['p95_ms']:>9.2f}{figures['queries']:>9.1f}")
