"""The registry of notification kinds: what each kind says (a subject and a sentence, translated, with
``%(name)s`` placeholders filled from the notification's context). Apps register their kinds from
``AppConfig.ready()``; ``notification_send`` refuses an unknown kind."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from portal.core.i18n import japanese_name_spacing


@dataclass(frozen=True)
class Kind:
    name: str
    subject: str  # lazy translated string with %(placeholders)s
    body: str
    email: bool = True  # False: in-app only (the app sends its own e-mail, or none)
    label: str = ""  # lazy translated short name for filters and preferences; else the subject
    template: str = ""  # e-mail rendered by templates/email/<template>_*.txt (portal/core/notify.py)
    default: str = "immediately"  # the e-mail frequency without a preference (models.Frequency)
    mandatory: bool = False  # security and account mails: always immediately, no preference, no unsubscribe
    # For a kind with a template: rebuilds the template's context from the notification's target object, so
    # a worker can send the e-mail later (through Celery); without it the e-mail leaves after commit in the
    # process that wrote the notification, with the caller's ``email_context``.
    email_context: Callable[[object], dict] | None = None
    email_related: tuple[str, ...] = ()  # what the loader reads of the target (select_related)
    # A kind about a score (matching's "new strong match"): the default score (0–100) a person may change
    # in their preferences (THRESHOLD_MIN..THRESHOLD_MAX); None: the kind has no threshold.
    threshold: int | None = None
    # Who receives it: "" anyone; "staff" coordinators and admins only; "consultants" consultants only;
    # "members" the members of companies (not coordinators or consultants: a company's messages, proposals,
    # matches and meetings). The preferences page lists a person only the kinds they can receive.
    audience: str = ""
    # For a kind that asks for an answer by a deadline ("accept or decline it before it expires"): the
    # sentence the list shows once the notification is read, when the request may be answered, expired or
    # settled by a colleague (services.notifications_settle) and the deadline no longer speaks to anyone.
    read_body: str = ""
    # What a placeholder says when a notification's context lacks it (a placeholder added to a kind after
    # some of its notifications were written): lazy translated strings, e.g. {"decision": _("answered")}.
    defaults: dict | None = None

    def render(self, context: dict, *, read: bool = False) -> tuple[str, str]:
        """(subject, body) in the active language; a missing placeholder shows as empty, never an error.
        A value may be ``{language: text}`` (``each_language``): the active language's text is used."""
        language = (translation.get_language() or "en").split("-")[0]
        values = _Defaulting(
            {
                **{key: str(value) for key, value in (self.defaults or {}).items()},
                **{
                    key: (value.get(language) or value.get("en") or next(iter(value.values()), ""))
                    if isinstance(value, dict)
                    else value
                    for key, value in (context or {}).items()
                },
            }
        )
        body = self.read_body if read and self.read_body else self.body
        subject, body = str(self.subject) % values, str(body) % values
        if language == "ja":  # "武蔵カテーテル株式会社 と貴社" → "…株式会社と貴社"
            subject, body = japanese_name_spacing(subject), japanese_name_spacing(body)
        return subject, body


class _Defaulting(dict):
    def __missing__(self, key):
        return ""


_kinds: dict[str, Kind] = {}


def register_kind(
    name: str,
    *,
    subject,
    body,
    email: bool = True,
    label="",
    template: str = "",
    default: str = "immediately",
    mandatory: bool = False,
    email_context: Callable[[object], dict] | None = None,
    email_related: tuple[str, ...] = (),
    threshold: int | None = None,
    audience: str = "",
    read_body="",
    defaults: dict | None = None,
) -> Kind:
    kind = Kind(
        name=name,
        subject=subject,
        body=body,
        email=email,
        label=label,
        template=template,
        default=default,
        mandatory=mandatory,
        email_context=email_context,
        email_related=email_related,
        threshold=threshold,
        audience=audience,
        read_body=read_body,
        defaults=defaults,
    )
    _kinds[name] = kind
    return kind


def get_kind(name: str) -> Kind:
    return _kinds[name]


def kind_names() -> list[str]:
    return sorted(_kinds)


def find_kind(name: str) -> Kind | None:
    """The kind, or None for one no app registers any more (old rows stay readable)."""
    return _kinds.get(name)


def kind_label(name: str) -> str:
    kind = _kinds.get(name)
    if kind is None:
        return name
    return str(kind.label) if kind.label else " ".join(kind.render({})[0].split())


# The scores a person may choose for a kind with a threshold. Below 50 a "strong" match would be any
# match, and matching reads only the pairs at or above THRESHOLD_MIN before it swaps lists
# (matching/services/strong.py).
THRESHOLD_MIN = 50
THRESHOLD_MAX = 100


def threshold_kinds() -> list[Kind]:
    """The kinds whose notifications depend on a score the person chooses, sorted by name."""
    return [_kinds[name] for name in sorted(_kinds) if _kinds[name].threshold is not None]


def email_kinds(user=None) -> list[Kind]:
    """The kinds a person may choose a frequency for (e-mailed, not mandatory), sorted by name; with
    ``user``, only those they can receive (``Kind.audience``)."""
    return [
        kind
        for name in sorted(_kinds)
        if (kind := _kinds[name]).email and not kind.mandatory and (user is None or _receives(user, kind))
    ]


def _receives(user, kind: Kind) -> bool:
    from portal.accounts.rules import is_consultant, is_coordinator_or_admin

    if kind.audience == "staff":
        return is_coordinator_or_admin(user)
    if kind.audience == "consultants":
        return is_consultant(user) or user.is_superuser
    if kind.audience == "members":
        return user.is_superuser or not (is_coordinator_or_admin(user) or is_consultant(user))
    return True


def each_language(obj, method: str = "display_name") -> dict[str, str]:
    """A name in every portal language (``{"en": …, "th": …, "ja": …}``) for a notification's context, so
    each recipient reads it in their own language (a company's Thai name for a Thai reader)."""
    return {code: getattr(obj, method)(code) for code, _name in settings.LANGUAGES}


def each_language_text(text) -> dict[str, str]:
    """A lazy translated text (e.g. a choice's label) in every portal language, for a context."""
    result = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            result[code] = str(text)
    return result
