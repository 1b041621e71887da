from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """The one abstract base that gives every model its ``created_at``/``updated_at``."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class PendingTask(models.Model):
    """A Celery task that could not be sent because the broker was down; sent again when it is back
    (``portal.core.outbox.flush``, every minute from beat). Nothing an edit triggers is lost."""

    name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.kwargs}"
