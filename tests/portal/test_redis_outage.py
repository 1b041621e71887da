"""Redis stops while the site is in use: pages keep working (the cache degrades to misses), /healthz says
the broker is down, edits keep the tasks they trigger in the database, and when Redis is back they are
sent — nothing lost. A throw-away redis-server on its own port plays the part of the real one."""

import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.urls import reverse
from kombu import pools

from portal.celery import app
from portal.core import outbox
from portal.core.models import PendingTask
from tests.conftest import _unavailable
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_connect_timeout=1)
    for _ in range(50):
        try:
            if client.ping():
                return process
        except redis.RedisError:
            time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)


def _use_broker(url: str) -> None:
    """Point the Celery app at ``url`` (and drop its pooled connections)."""
    app.conf.broker_url = url
    app.conf.broker_write_url = None
    app.conf.task_always_eager = False
    pools.reset()  # kombu's global connection and producer pools
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def throwaway_redis(settings, monkeypatch):
    if not shutil.which("redis-server"):
        _unavailable("needs redis-server (apt-get install redis-server)")
    port = _free_port()
    url = f"redis://127.0.0.1:{port}/0"
    settings.CELERY_BROKER_URL = url
    # Celery reads these environment variables before its own configuration (CI sets them).
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.core.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    process = _start(port)
    _use_broker(url)
    state = {"port": port, "url": url, "process": process}
    yield state
    if state["process"].poll() is None:
        _stop(state["process"])
    # Back to following the Django settings: a value assigned to app.conf stays pinned over them, and a
    # later test that switches CELERY_TASK_ALWAYS_EAGER on would send its tasks to the broker instead.
    for key in ("broker_url", "broker_write_url", "task_always_eager"):
        app.conf.changes.pop(key, None)
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def test_pages_work_while_redis_is_down_and_tasks_are_sent_when_it_is_back(
    client, throwaway_redis, django_capture_on_commit_callbacks
):
    membership = MembershipFactory(company__description_en="Precision molds")
    company = membership.company
    assert client.get(reverse("healthz")).json()["broker"]["ok"] is True

    _stop(throwaway_redis["process"])  # Redis goes away while people use the site

    for url in (
        reverse("home"),
        reverse("companies:directory"),
        reverse("companies:detail", args=[company.pk]),
    ):
        assert client.get(url).status_code == 200, url
    login = client.post(reverse("account_login"), {"login": membership.user.email, "password": PASSWORD})
    assert login.status_code == 302  # rate limits live in the cache: best effort while it is down
    health = client.get(reverse("healthz"))
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["broker"]["ok"] is False

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("companies:edit", args=[company.pk, "about"]),
            {"description_en": "Precision molds for medical devices", "contact_name": "Somchai"},
        )
    assert response.status_code == 302
    kept = list(PendingTask.objects.values_list("name", "kwargs"))
    assert [(name, kwargs["company_id"]) for name, kwargs in kept] == [("matching.score_company", company.pk)]
    assert outbox.flush() == 0  # still down: nothing is lost
    assert PendingTask.objects.count() == 1
    assert client.get(reverse("healthz")).json()["broker"]["pending_tasks"] == 1

    throwaway_redis["process"] = _start(throwaway_redis["port"])  # Redis is back
    _use_broker(throwaway_redis["url"])
    assert outbox.flush() == 1
    assert PendingTask.objects.count() == 0
    queued = redis.Redis(port=throwaway_redis["port"]).llen("celery")
    assert queued == 1  # the rescoring is waiting for a worker
