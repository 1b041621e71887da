"""The Celery application. Every reliability setting lives in settings.py under ``CELERY_``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _follow_settings(*, setting: str, value=None, **kwargs) -> None:
    """A ``CELERY_*`` setting changed at run time (tests override ``CELERY_TASK_ALWAYS_EAGER``): the app's
    configuration, read once from settings, follows it, so an override means the same for Django code that
    reads the setting and for the tasks the app sends."""
    if setting.startswith("CELERY_"):
        app.conf[setting.removeprefix("CELERY_").lower()] = value


def _connect() -> None:
    from django.core.signals import setting_changed

    setting_changed.connect(_follow_settings, dispatch_uid="portal.celery.follow_settings")


_connect()
