"""The machine-translation slot. Offline there is none (``DEALS_MACHINE_TRANSLATION = ""``); a backend is
a callable ``translate(text: str, source: str, target: str) -> str`` named by its dotted path in that
setting (README "Deals"). Its output is shown labelled as a machine translation, below any coordinator's."""

from django.conf import settings
from django.utils.module_loading import import_string


def backend():
    path = settings.DEALS_MACHINE_TRANSLATION
    return import_string(path) if path else None


def machine_translate(text: str, *, source: str, target: str) -> str:
    """The backend's translation, or "" (no backend, same language, empty text, or the backend failed)."""
    translate = backend()
    if translate is None or not text or source == target:
        return ""
    try:
        return str(translate(text, source, target) or "")
    except Exception:  # an outside service: a failure shows the original only
        return ""
