"""The distributed mode against real services: PostgreSQL, Redis and a Celery worker (CI runs these)."""

import datetime
import uuid

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from portal.core.tasks import clear_expired_sessions, ping


@pytest.mark.postgres
@pytest.mark.django_db
def test_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 150000


@pytest.mark.redis
def test_cache_is_redis_and_round_trips():
    key = f"test:{uuid.uuid4()}"

    cache.set(key, {"ภาษา": "ไทย", "言語": "日本語"}, timeout=30)

    assert (
        settings.CACHES["default"]["BACKEND"] == "portal.core.cache.ResilientRedisCache"
    )  # Redis, degrading
    assert cache.get(key) == {"ภาษา": "ไทย", "言語": "日本語"}


@pytest.mark.redis
def test_tasks_are_queued_not_run_inline():
    assert settings.CELERY_TASK_ALWAYS_EAGER is False


@pytest.mark.worker
def test_a_real_worker_answers_through_the_broker():
    assert ping.delay().get(timeout=30) == "pong"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_writes_to_the_test_database():
    now = timezone.now()
    Session.objects.create(
        session_key="expired", session_data="", expire_date=now - datetime.timedelta(days=1)
    )
    Session.objects.create(session_key="live", session_data="", expire_date=now + datetime.timedelta(days=1))

    deleted = clear_expired_sessions.delay().get(timeout=30)

    assert deleted == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
