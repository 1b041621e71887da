"""/healthz: database and broker status as JSON, 503 when the database is down."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

CLIENT_PROBE = """
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
response = Client().get("/healthz")
print(response.status_code)
print(response.content.decode())
"""


def _healthz_in_a_process(**env_overrides: str) -> tuple[int, dict]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", **env_overrides}
    env.pop("PYTEST_CURRENT_TEST", None)
    result = subprocess.run(
        [sys.executable, "-c", CLIENT_PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    status, body = result.stdout.strip().splitlines()[-2:]
    return int(status), json.loads(body)


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "vendor": connection.vendor}
    expected_mode = "inline" if settings.CELERY_TASK_ALWAYS_EAGER else "broker"
    expected = {"ok": True, "mode": expected_mode}
    if expected_mode == "broker":
        expected["pending_tasks"] = 0  # tasks kept while the broker was down (portal/core/outbox.py)
    assert body["broker"] == expected


def test_healthz_is_503_when_the_database_is_down():
    # A real, unreachable PostgreSQL server (nothing listens on port 1).
    status, body = _healthz_in_a_process(DATABASE_URL="postgres://portal@127.0.0.1:1/portal")

    assert status == 503
    assert body["status"] == "down"
    assert body["database"] == {"ok": False, "vendor": "postgresql", "error": "OperationalError"}


def test_healthz_reports_a_broker_outage_but_stays_up(tmp_path):
    status, body = _healthz_in_a_process(
        CELERY_BROKER_URL="redis://127.0.0.1:1/0",
        REDIS_URL="",
        DATABASE_URL="",
        SQLITE_PATH=str(tmp_path / "db.sqlite3"),
    )

    assert status == 200
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False
    assert body["broker"]["mode"] == "broker"
