"""Shared fixtures and the rules for tests that need real services.

Tests marked ``postgres``, ``redis``, ``worker`` or ``e2e`` need PostgreSQL, Redis, a Celery worker or
Chromium. On the embedded default they are skipped with the reason; with ``PORTAL_REQUIRE_SERVICES=1``
(CI) a missing service fails the test instead, and any skipped test fails the run.
"""

import functools
import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache

REQUIRE_SERVICES = os.environ.get("PORTAL_REQUIRE_SERVICES", "") == "1"
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")


def _unavailable(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"PORTAL_REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@functools.cache
def _redis_reachable() -> bool:
    import redis

    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis"):
        return False
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@functools.cache
def _worker_answers() -> bool:
    if not _redis_reachable():
        return False
    from portal.celery import app

    return bool(app.control.ping(timeout=3))


def pytest_runtest_setup(item: pytest.Item) -> None:
    markers = {mark.name for mark in item.iter_markers()}
    if "postgres" in markers and "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        _unavailable("needs PostgreSQL: set DATABASE_URL=postgres://…")
    if ("redis" in markers or "worker" in markers) and not _redis_reachable():
        _unavailable("needs Redis: set CELERY_BROKER_URL=redis://… to a running server")
    if "worker" in markers and not _worker_answers():
        _unavailable("needs a Celery worker on the broker, pointed at the test database (see .ci/run)")
    if "e2e" in markers and not shutil.which(CHROMIUM):
        _unavailable(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not REQUIRE_SERVICES:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"PORTAL_REQUIRE_SERVICES=1: {len(skipped)} test(s) skipped; failing the run.", red=True
        )
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits live in the cache: every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_matching_snapshots():
    """Workers keep each country's matching snapshot between tasks; a test starts without any (the ids
    of a rolled-back test come back in the next one)."""
    from matching.features import clear_snapshots

    clear_snapshots()


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request by a Thai or Japanese user activates that language for the thread; the next test starts in
    the default language whatever ran before it."""
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


REFERENCE_DATA = [
    ("portal.taxonomy.migrations.0002_load_taxonomy", "load"),
    ("portal.accounts.migrations.0002_role_groups", "create_groups"),
    ("portal.core.migrations.0001_site", "name_site"),
    ("matching.migrations.0002_initial_weights", "create"),
    ("shindan.migrations.0002_default_checklist", "load"),
]


def _load_reference_data() -> None:
    """Re-run the data migrations' loaders (all idempotent) with the live app registry."""
    import importlib

    from django.apps import apps

    from portal.accounts.roles import sync_role_permissions

    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(apps, None)
    sync_role_permissions()


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests (live server, real worker) end with a flush that also empties the data the
    migrations loaded (taxonomy, role groups, weights); put it back before each of them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or "transactional_db" in request.fixturenames
    if marker is not None and marker.kwargs.get("transaction"):
        transactional = True
    if transactional:
        request.getfixturevalue("transactional_db")
        _load_reference_data()
