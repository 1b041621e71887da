"""The portal site: settings, URLs, the Celery app, accounts, roles and SME profiles."""

from portal.celery import app as celery_app

__all__ = ["celery_app"]
