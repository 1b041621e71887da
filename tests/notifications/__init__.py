import re

from portal.notifications.unsubscribe import read_token

UNSUBSCRIBE = re.compile(r"/notifications/unsubscribe/([^/]+)/")


def unsubscribe_token(text: str, *, user, kind: str) -> str:
    """The unsubscribe token in ``text``, checked to stand for ``user`` and ``kind``. A token carries the
    second it was signed in, so a test cannot sign its own and compare: it reads the one the mail holds."""
    (token,) = set(UNSUBSCRIBE.findall(text))
    assert read_token(token) == (user.pk, kind)
    return token
