"""What the deals pages share: the reader's language."""

from django.utils.translation import get_language


def reader_language() -> str:
    return (get_language() or "en")[:2]
