"""Signed one-click unsubscribe links, one per person and kind (``ALL`` for a digest: every kind that
can be switched off). The signature is the whole check: the link works without signing in, and a changed
or made-up link is refused (``BadToken``)."""

from django.core import signing
from django.urls import reverse

from portal.core.links import absolute_url

SALT = "portal.notifications.unsubscribe"
ALL = "*"


class BadToken(Exception):
    pass


def make_token(*, user, kind: str) -> str:
    return signing.dumps([user.pk, kind], salt=SALT, compress=False)


def read_token(token: str) -> tuple[int, str]:
    try:
        user_pk, kind = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadToken from None
    if not isinstance(user_pk, int) or not isinstance(kind, str):
        raise BadToken
    return user_pk, kind


def unsubscribe_url(*, user, kind: str) -> str:
    return absolute_url(reverse("notifications:unsubscribe", args=[make_token(user=user, kind=kind)]))


def headers(*, user, kind: str) -> dict:
    """RFC 2369 and RFC 8058 headers: mail programs show an "Unsubscribe" button that POSTs the link."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user=user, kind=kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
