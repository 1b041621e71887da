from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from portal.accounts.selectors import user_roles


def navigation(request: HttpRequest) -> dict:
    """Role names for the navigation (computed only if a template asks) and the language list."""
    user = getattr(request, "user", None)
    return {
        "portal_roles": SimpleLazyObject(lambda: user_roles(user=user) if user is not None else frozenset()),
        "portal_languages": settings.LANGUAGES,
    }
