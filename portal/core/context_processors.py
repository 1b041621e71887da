from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from portal.accounts.selectors import user_roles


def navigation(request: HttpRequest) -> dict:
    """Role names for the navigation (computed only if a template asks), the language list and the
    coordinators' address (``CONTACT_EMAIL``, the footer's)."""
    user = getattr(request, "user", None)
    return {
        "portal_roles": SimpleLazyObject(lambda: user_roles(user=user) if user is not None else frozenset()),
        "portal_languages": settings.LANGUAGES,
        "contact_email": settings.CONTACT_EMAIL,
    }
