"""One answer for "missing" and "not allowed": 404 (as Zulip's ``access_*_by_id``).

Every app's selectors look objects up as ``<entity>_get_for_user(*, user, pk, permission=…)`` and end with
``allowed_or_404``, so a person cannot tell an object they may not see from one that does not exist::

    def participant_get_for_user(*, user, pk, permission="events.view_agenda", event=None) -> Participant:
        participant = _participants().filter(pk=pk).first()
        return allowed_or_404(participant, user=user, permission=permission)

Views and API views call the selector and never write ``if … : raise Http404`` themselves.
"""

from typing import TypeVar

from django.http import Http404

T = TypeVar("T")


def allowed_or_404(obj: T | None, *, user, permission: str | None) -> T:
    """``obj`` when it exists and ``user`` holds ``permission`` (a django-rules name) on it; ``None`` as the
    permission means that existing is enough (the caller's queryset already scopes it). Else Http404.

    ``user.has_perm`` goes through the authentication backends (django-rules, then Django's, which lets an
    active superuser do anything), as the templates' ``{% if perms… %}`` and DRF do."""
    if obj is None or (permission is not None and not user.has_perm(permission, obj)):
        raise Http404
    return obj


def permission_or_404(*, user, permission: str) -> None:
    """For pages with no object yet (a "new …" form): 404 unless ``user`` holds ``permission``."""
    if not user.has_perm(permission):
        raise Http404
