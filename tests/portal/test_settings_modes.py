"""The two ways to run: the embedded default and production, each loaded in a clean process."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR
STRONG_KEY = "k" * 20 + "Q7v$ZpL2#xN9@rT4mW8!bH6^cJ3&fD5*gS1"
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "postgres://portal:secret@db.example.org:5432/portal",
    "CELERY_BROKER_URL": "redis://redis.example.org:6379/0",
}
PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "secure_cookies": settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE,
    "mfa_required": settings.PORTAL_REQUIRE_MFA_FOR_STAFF,
    "static": settings.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def _clean_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    env.update(overrides)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_nothing_set_gives_the_embedded_default():
    result = _run(["-c", PROBE], _clean_env())

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "debug": True,
        "engine": "django.db.backends.sqlite3",
        "eager": True,
        "broker": "memory://",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "email": "django.core.mail.backends.console.EmailBackend",
        "hsts": 0,
        "secure_cookies": False,
        "mfa_required": False,
        "static": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }


def test_production_variables_give_postgres_redis_and_hardening():
    result = _run(["-c", PROBE], _clean_env(**PRODUCTION_ENV))

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "debug": False,
        "engine": "django.db.backends.postgresql",
        "eager": False,
        "broker": "redis://redis.example.org:6379/0",
        "cache": "portal.core.cache.ResilientRedisCache",
        "email": "django.core.mail.backends.smtp.EmailBackend",
        "hsts": 31_536_000,
        "secure_cookies": True,
        "mfa_required": True,
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    }


@pytest.mark.parametrize(
    "secret_key",
    ["", "short", "django-insecure-" + "x" * 60, "a" * 60],
    ids=["missing", "short", "django-insecure", "low-entropy"],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    result = _run(["-c", PROBE], _clean_env(**{**PRODUCTION_ENV, "SECRET_KEY": secret_key}))

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("missing", ["ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL"])
def test_production_refuses_to_start_without_its_services(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}

    result = _run(["-c", PROBE], _clean_env(**env))

    assert result.returncode != 0
    assert missing in result.stderr


def test_check_deploy_passes_in_production_mode():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _clean_env(**PRODUCTION_ENV))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_invalid_boolean_is_reported_clearly():
    result = _run(["-c", PROBE], _clean_env(DEBUG="maybe"))

    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_secret_key_fallbacks_keep_old_signatures_valid_during_a_rotation():
    old_key = "o" * 20 + "Lp3#Qz8!Vw2@Xr5$Ty7^Un1&Ik4*Hj6%Gf9"
    probe = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core import signing\n"
        f"print(settings.SECRET_KEY_FALLBACKS == [{old_key!r}], signing.loads({_signed_with(old_key)!r}))"
    )

    result = _run(["-c", probe], _clean_env(**PRODUCTION_ENV, SECRET_KEY_FALLBACKS=old_key))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "signed-before-the-rotation"]


def _signed_with(key: str) -> str:
    from django.core import signing

    return signing.dumps("signed-before-the-rotation", key=key)
