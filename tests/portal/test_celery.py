"""The Celery app's reliability settings and the housekeeping tasks."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.celery import app
from portal.core.tasks import clear_expired_sessions, ping


def test_reliability_settings_are_configured_in_one_place():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_time_limit == 10 * 60
    assert app.conf.task_soft_time_limit == 9 * 60 + 30
    assert app.conf.broker_transport_options["visibility_timeout"] > app.conf.task_time_limit


def test_beat_schedule_names_registered_tasks():
    app.loader.import_default_modules()

    assert app.conf.beat_schedule
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks


def test_ping_task():
    assert ping.apply().get() == "pong"


@pytest.mark.django_db
def test_clear_expired_sessions_deletes_only_expired_ones_and_is_idempotent():
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - datetime.timedelta(days=1))
    Session.objects.create(session_key="live", session_data="", expire_date=now + datetime.timedelta(days=1))

    assert clear_expired_sessions.apply().get() == 1
    assert clear_expired_sessions.apply().get() == 0
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
