"""What the portal holds about a person, model by model (Thailand's PDPA, Japan's APPI).

Every model that refers to a user (a ForeignKey, OneToOneField or ManyToManyField to the user model) or holds
a personal field (a person's name, e-mail address or phone) is registered here by the app that owns it
(portal imports no other app: matching, shindan and events register from their AppConfig.ready()):

- ``export(user, companies) -> dict``: sections of "download my data" — what the portal holds about the
  person and everything they wrote (``companies``: the companies they are a member of);
- ``erase(person) -> dict[str, int]`` (a :class:`Person`): what deleting their account does to those rows
  (delete them, blank what the person wrote, or replace their name, e-mail and phone in staff notes with
  "(erased)"); or, when the rows only point at the account (which is anonymised) and others need them,
  ``kept`` says so and why;
- ``erase_person(name, email, places=None) -> dict[str, int]`` (people without an account: company
  contacts, interviewees, event representatives, interpreters): what a coordinator's erasure request does;
  ``places`` (``Found.place`` keys), when given, limits what is found by the name alone to those places;
- ``find_person(name, email) -> list[Found]``: the same rows, found and not touched, each with its place (a
  company, an event), shown to the coordinator before the erasure (namesakes at other companies are other
  people).

tests/portal/test_privacy_registry.py goes through the app registry: a model with a user field or a personal
field that no entry covers fails it, and so does an entry without an exporter, or without an eraser or a
reason to keep its rows. tests/portal/test_privacy_complete.py builds one person who touched every app and
checks that the export has everything they wrote and that nothing of them is left after erasure.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

ERASED = "(erased)"


@dataclass(frozen=True)
class PersonalData:
    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]  # the user and personal fields this entry answers for
    export: Callable[..., dict]
    erase: Callable[..., dict] | None = None
    erase_person: Callable[..., dict] | None = None
    kept: str = ""
    find_person: Callable[..., list] | None = None


@dataclass(frozen=True)
class Found:
    """A row a coordinator's erasure request would empty: where it is (``place``, "company:12" or
    "event:3", and its name in the viewer's language), what it is (a translated label) and whether only the
    name matched (``by_name``; an e-mail address is the person's own, a name may be a namesake's)."""

    place: str
    place_label: str
    what: str
    by_name: bool = True


def place_ids(places, kind: str) -> list[int]:
    """The ids of ``kind`` ("company", "event") among ``places`` keys ("company:12")."""
    return [
        int(key.split(":", 1)[1])
        for key in places
        if key.startswith(f"{kind}:") and key[len(kind) + 1 :].isdigit()
    ]


def rows_named(rows, name: str, places=None, *, at: str, kind: str = "company"):
    """``rows`` of the person named ``name``; with ``places`` (the ones a coordinator ticked among
    namesakes), only those whose ``at`` (a company or event id lookup, of ``kind``) is among them."""
    rows = rows.filter(name=name)
    if places is not None:
        rows = rows.filter(**{f"{at}__in": place_ids(places, kind)})
    return rows


def found(rows, *, what: str, kind: str = "company", place) -> list[Found]:
    """``rows`` as ``Found``, each at ``place(row)`` (its company or event, which has ``pk`` and a
    translated ``name()`` or ``display_name()``)."""
    result = []
    for row in rows:
        where = place(row)
        label = where.display_name() if hasattr(where, "display_name") else where.name()
        result.append(Found(f"{kind}:{where.pk}", label, what))
    return result


entries: dict[str, PersonalData] = {}


def register(
    model: str,
    *,
    fields: tuple[str, ...],
    export: Callable[..., dict],
    erase: Callable[..., dict] | None = None,
    erase_person: Callable[..., dict] | None = None,
    kept: str = "",
    find_person: Callable[..., list] | None = None,
) -> None:
    if erase is None and not kept:
        raise ValueError(f"{model}: give an eraser, or say why its rows are kept")
    if erase_person is not None and find_person is None:
        raise ValueError(f"{model}: an erasure by name or e-mail needs a finder that shows it first")
    entries[model] = PersonalData(model, tuple(fields), export, erase, erase_person, kept, find_person)


# Earlier registrations without a model (kept for apps that still use them): an exporter adds sections to
# "download my data"; a person eraser is run by a coordinator's erasure request.
exporters: list[Callable] = []
person_erasers: list[Callable] = []


def register_exporter(function: Callable) -> None:
    if function not in exporters:
        exporters.append(function)


def register_person_eraser(function: Callable) -> None:
    if function not in person_erasers:
        person_erasers.append(function)


@dataclass(frozen=True)
class Person:
    """Who is being erased, taken before anything is: the account, their companies, and what identifies
    them in a text (name, e-mail, the phones of the company contacts with their e-mail)."""

    user: object
    companies: tuple
    name: str
    first_name: str
    last_name: str
    email: str
    phones: tuple[str, ...] = ()

    def strings(self) -> list[str]:
        values = [self.name, self.email, *self.phones]
        return sorted({value for value in values if value and len(value) >= 3}, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        """``text`` with the person's name, e-mail and phones replaced by "(erased)" (case-insensitively),
        and their first and last names too where they stand as words."""
        for value in self.strings():
            text = re.sub(re.escape(value), ERASED, text, flags=re.IGNORECASE)
        for value in (self.first_name, self.last_name):
            if len(value) >= 2:
                text = re.sub(rf"\b{re.escape(value)}\b", ERASED, text, flags=re.IGNORECASE)
        return text

    def scrub_value(self, value):
        """The same through JSON: every string inside dicts and lists."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, list):
            return [self.scrub_value(item) for item in value]
        if isinstance(value, dict):
            return {key: self.scrub_value(item) for key, item in value.items()}
        return value

    def scrub_rows(self, queryset, field: str) -> int:
        """Scrub ``field`` in the rows (notes the person wrote as staff); returns how many changed."""
        changed = 0
        for pk, value in queryset.values_list("pk", field):
            cleaned = self.scrub_value(value if value is not None else "")
            if cleaned != (value if value is not None else ""):
                queryset.model.objects.filter(pk=pk).update(**{field: cleaned})
                changed += 1
        return changed

    @classmethod
    def without_account(cls, name: str, email: str) -> "Person":
        """A person a coordinator erases on request: known by name and/or e-mail only."""
        return cls(user=None, companies=(), name=name, first_name="", last_name="", email=email)
