"""Browser contexts already signed in as a user (a session cookie made by Django's test client), for tests
about how pages look and behave rather than about signing in (tests/e2e/helpers.py signs in by the form)."""

from django.conf import settings
from django.test import Client

LOCALES = {"en": "en-US", "th": "th-TH", "ja": "ja-JP"}


def signed_in_context(browser, live_server, user=None, *, language: str = "en", width: int = 1280, **options):
    """A new browser context at ``width`` px in ``language`` (the user's preference and the browser's),
    signed in as ``user`` (anonymous when None). Close it when done."""
    context = browser.new_context(
        locale=LOCALES[language], viewport={"width": width, "height": 900}, **options
    )
    context.set_default_timeout(15_000)
    if user is not None:
        if user.language != language:
            user.language = language
            user.save(update_fields=["language"])
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
    return context


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two CSS colours given as ``rgb(r, g, b)`` or ``rgba(...)``."""

    def luminance(color: str) -> float:
        channels = [int(float(part)) / 255 for part in color[color.index("(") + 1 : -1].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(first), luminance(second)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def tp(language: str, context: str, message: str) -> str:
    """``pgettext`` in ``language``: a short word the catalogues translate by its context."""
    from django.utils import translation

    with translation.override(language):
        return translation.pgettext(context, message)
