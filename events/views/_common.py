"""What every event page shares: the event from the URL, for everybody or for its coordinators."""

from django.http import HttpRequest

from events import selectors
from events.models import (
    Event,
)


def _event(request: HttpRequest, slug: str) -> Event:
    return selectors.event_get_for_user(user=request.user, slug=slug)


def _manager(request: HttpRequest, slug: str) -> Event:
    """An event's coordinators' pages: 404 for everybody else."""
    return selectors.event_get_for_user(user=request.user, slug=slug, permission="events.manage_event")
