"""Shared fixtures and the rules for tests that need real services.

Tests marked ``postgres``, ``redis``, ``worker``, ``e2e`` or ``s3`` need PostgreSQL, Redis, a Celery
worker, Chromium or an S3 endpoint (tests/s3.py). On the embedded default they are skipped with the
reason; with ``PORTAL_REQUIRE_SERVICES=1`` (CI) a missing service fails the test instead, and any skipped
test fails the run. The S3 endpoint is there on a fresh clone too: moto's server comes with the dev extras.
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
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    """Files a test stores never land in the project's var/ (filesystem storage)."""
    root = tmp_path_factory.getbasetemp()
    settings.MEDIA_ROOT = root / "media"
    settings.PRIVATE_MEDIA_ROOT = root / "private"


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """An S3 endpoint: ``PORTAL_TEST_S3_ENDPOINT`` (.ci/run starts one) or a moto server started here."""
    from tests import s3

    endpoint = s3.endpoint_from_environment()
    if endpoint:
        if not s3.answers(endpoint):
            _unavailable(f"PORTAL_TEST_S3_ENDPOINT={endpoint} does not answer")
        yield endpoint
        return
    started = s3.start_moto_server(tmp_path_factory.getbasetemp() / "moto.log")
    if started is None:
        _unavailable("needs an S3 endpoint: install moto[server] (dev extras) or set PORTAL_TEST_S3_ENDPOINT")
    process, endpoint = started
    yield endpoint
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    """Both storages on S3 (fresh public and private buckets, the settings an operator would set)."""
    from tests import s3

    buckets = s3.create_buckets(s3_endpoint)
    env = s3.environment(s3_endpoint, buckets)
    settings.STORAGES = s3.storages_setting(env, settings.STORAGES["staticfiles"])
    yield {"endpoint": s3_endpoint, "buckets": buckets, "env": env, "client": s3.client(s3_endpoint)}
    s3.drop_buckets(s3_endpoint, buckets)


@pytest.fixture(params=["filesystem", pytest.param("s3", marks=pytest.mark.s3)])
def storage_backend(request, settings, tmp_path):
    """Run a test on both storages: folders on disk (empty ones) and S3 (empty buckets)."""
    if request.param == "s3":
        return {"name": "s3", **request.getfixturevalue("s3_storage")}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return {"name": "filesystem", "media": tmp_path / "media", "private": tmp_path / "private"}


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
    ("portal.taxonomy.migrations.0003_term_groups", "load_groups"),
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


@pytest.fixture
def inline_tasks(settings):
    """The embedded default (tasks run inline, before the response), also when CI points Celery at a broker
    with a worker; the worker tests (tests/*/test_worker.py) cover the distributed path."""
    from portal.celery import app

    saved = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved
