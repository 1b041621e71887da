"""Operations: structured logs and the API docs served without a CDN."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from tests.portal.test_settings_modes import PRODUCTION_ENV

LOG_PROBE = """
import logging, django
django.setup()
logging.getLogger("portal.test").warning("matching run finished", extra={"companies": 70})
"""


def test_production_logs_are_json_lines():
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "portal.settings", **PRODUCTION_ENV}

    result = subprocess.run(
        [sys.executable, "-c", LOG_PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["level"] == "WARNING"
    assert record["logger"] == "portal.test"
    assert record["message"] == "matching run finished"
    assert record["companies"] == 70
    assert "time" in record


@pytest.mark.django_db
def test_api_docs_and_schema_are_served_locally(client):
    docs = client.get(reverse("api-docs")).content.decode()
    schema = client.get(reverse("api-schema"))

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower()
    assert schema.status_code == 200
    assert schema["Content-Type"].startswith("application/vnd.oai.openapi")
