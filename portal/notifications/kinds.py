"""The registry of notification kinds: what each kind says (a subject and a sentence, translated, with
``%(name)s`` placeholders filled from the notification's context). Apps register their kinds from
``AppConfig.ready()``; ``notification_send`` refuses an unknown kind."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    subject: str  # lazy translated string with %(placeholders)s
    body: str
    email: bool = True  # False: in-app only

    def render(self, context: dict) -> tuple[str, str]:
        """(subject, body) in the active language; a missing placeholder shows as empty, never an error."""
        values = _Defaulting(context or {})
        return str(self.subject) % values, str(self.body) % values


class _Defaulting(dict):
    def __missing__(self, key):
        return ""


_kinds: dict[str, Kind] = {}


def register_kind(name: str, *, subject, body, email: bool = True) -> Kind:
    kind = Kind(name=name, subject=subject, body=body, email=email)
    _kinds[name] = kind
    return kind


def get_kind(name: str) -> Kind:
    return _kinds[name]


def kind_names() -> list[str]:
    return sorted(_kinds)
