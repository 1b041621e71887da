"""Consents, the member's copy of their data, account erasure and erasure of people without an account.

Erasure anonymises rather than deletes where other records need the row (a diagnosis keeps its scores and
history, an event its meetings), and removes the personal fields: names, e-mail addresses, phones."""

import csv
import datetime
import io
import json

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.accounts.models import User
from portal.core.spreadsheets import safe_cell
from portal.privacy import registry
from portal.privacy.models import (
    REQUIRED_PURPOSES,
    RESPONSE_DAYS,
    Consent,
    DataRequest,
    Purpose,
    RequestKind,
    RequestStatus,
)
from portal.privacy.notice import CURRENT_VERSION

ERASED = registry.ERASED


def due_date(start: datetime.date | None = None) -> datetime.date:
    return (start or timezone.localdate()) + datetime.timedelta(days=RESPONSE_DAYS)


@transaction.atomic
def consents_record(*, user: User, purposes, version: str = CURRENT_VERSION) -> list[Consent]:
    """Record consent to ``purposes`` under notice ``version`` (a purpose already consented is kept)."""
    active = set(
        user.consents.filter(withdrawn_at__isnull=True, notice_version=version).values_list(
            "purpose", flat=True
        )
    )
    return [
        Consent.objects.create(user=user, purpose=purpose, notice_version=version)
        for purpose in purposes
        if purpose not in active
    ]


@transaction.atomic
def consent_withdraw(*, user: User, purpose: str) -> int:
    """Withdraw an optional consent. Required ones end with the account (``account_erase``)."""
    if purpose in REQUIRED_PURPOSES:
        raise ValidationError(
            _("This consent is needed to use the portal. To withdraw it, delete your account below."),
            code="consent_required",
        )
    if purpose not in Purpose.values:
        raise ValidationError(_("Unknown purpose."), code="unknown_purpose")
    withdrawn = user.consents.filter(purpose=purpose, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if withdrawn:
        DataRequest.objects.create(
            user=user,
            email=user.email,
            kind=RequestKind.WITHDRAWAL,
            details=purpose,
            status=RequestStatus.DONE,
            due_on=due_date(),
            handled_at=timezone.now(),
            outcome=gettext_noop("Withdrawn by the member."),  # shown translated (DataRequest.outcome_text)
        )
    return withdrawn


def standing_versions(consents) -> dict[str, str]:
    """Of a member's consents (newest first, as ``Consent.Meta`` orders them), each purpose still given and
    the notice version it was last given under."""
    versions: dict[str, str] = {}
    for consent in consents:
        if consent.is_active:
            versions.setdefault(consent.purpose, consent.notice_version)
    return versions


def active_purposes(user: User) -> set[str]:
    return set(user.consents.filter(withdrawn_at__isnull=True).values_list("purpose", flat=True))


def needs_consent(user: User) -> bool:
    """True when the member has not accepted the current notice's required purposes."""
    current = set(
        user.consents.filter(withdrawn_at__isnull=True, notice_version=CURRENT_VERSION).values_list(
            "purpose", flat=True
        )
    )
    return not set(REQUIRED_PURPOSES) <= current


def notice_changed_for(user: User) -> bool:
    """True when the member agreed to an earlier notice but not yet to the current one (a member who never
    agreed, e.g. an account made by a coordinator, is asked on "My data and consents" without being told
    the notice changed)."""
    return needs_consent(user) and user.consents.exclude(notice_version=CURRENT_VERSION).exists()


def personal_data(user: User) -> dict:
    """Everything the portal holds about ``user`` as a person and everything they wrote, with the personal
    data of their companies (contacts, event representatives) — what "download my data" returns. Each app
    contributes through portal/privacy/registry.py."""
    companies = [m.company for m in user.memberships.select_related("company")]
    data = {"exported_at": timezone.now().isoformat()}
    for entry in registry.entries.values():
        data.update(entry.export(user, companies))
    for exporter in registry.exporters:
        data.update(exporter(user, companies))
    return data


def personal_data_csv(data: dict) -> str:
    """The same data flattened to section, item, field, value rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "item", "field", "value"])
    for section, value in data.items():
        if isinstance(value, dict):
            for field, item in value.items():
                writer.writerow([section, 1, field, safe_cell(item, multiline=True)])
        elif isinstance(value, list):
            for index, row in enumerate(value, start=1):
                for field, item in row.items() if isinstance(row, dict) else [("value", row)]:
                    writer.writerow([section, index, field, safe_cell(item, multiline=True)])
        else:
            writer.writerow([section, 1, section, safe_cell(value, multiline=True)])
    return buffer.getvalue()


def export_record(*, user: User) -> DataRequest:
    return DataRequest.objects.create(
        user=user,
        email=user.email,
        kind=RequestKind.ACCESS,
        status=RequestStatus.DONE,
        due_on=due_date(),
        handled_at=timezone.now(),
        outcome=gettext_noop("Downloaded by the member."),  # shown translated (DataRequest.outcome_text)
    )


@transaction.atomic
def account_erase(*, user: User) -> DataRequest:
    """Delete a member's account: every registered eraser runs for the person (portal/privacy/registry.py)
    — what they wrote to others is blanked, their rows as a contact or representative go, their name,
    e-mail and phone are replaced in the notes they wrote as staff — their sessions are deleted, and the
    account is anonymised last; the records others need stay, pointing at it (their company, diagnoses,
    meetings and history). Returns the erasure's record, with what was erased as its outcome."""
    from portal.companies.models import CompanyContact

    request = DataRequest.objects.create(
        user=user,
        kind=RequestKind.ERASURE,
        status=RequestStatus.DONE,
        due_on=due_date(),
        handled_at=timezone.now(),
        outcome=gettext_noop("Account deleted by the member."),  # shown translated (DataRequest.outcome_text)
    )
    phones = ()
    if user.email:
        contacts = CompanyContact.objects.filter(email__iexact=user.email).exclude(phone="")
        phones = tuple(contacts.values_list("phone", flat=True))
    person = registry.Person(
        user=user,
        companies=tuple(m.company for m in user.memberships.select_related("company")),
        name=user.get_full_name().strip(),
        first_name=user.first_name.strip(),
        last_name=user.last_name.strip(),
        email=user.email,
        phones=phones,
    )
    counts: dict[str, int] = {}
    for entry in registry.entries.values():
        if entry.erase is not None:
            counts.update(entry.erase(person))
    counts["sessions"] = sessions_delete(user=user)
    user.groups.clear()
    user.email = f"erased-{user.pk}@erased.invalid"
    user.first_name = user.last_name = ""
    user.language = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    request.details = json.dumps(counts, sort_keys=True)
    request.save(update_fields=["details", "updated_at"])
    return request


def sessions_delete(*, user: User) -> int:
    """Delete every session of ``user`` (a session row keeps the user id inside its encoded data, so each
    unexpired one is decoded; erasure is rare, and this runs once per account)."""
    key = str(user.pk)
    doomed = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == key
    ]
    return Session.objects.filter(session_key__in=doomed).delete()[0]


def person_found(request: DataRequest) -> list[registry.Found]:
    """What an open erasure request would empty, row by row with its place, before anything is erased."""
    name, email = request.name.strip(), request.email.strip()
    if not name and not email:
        return []
    return [
        found
        for entry in registry.entries.values()
        if entry.find_person is not None
        for found in entry.find_person(name, email)
    ]


def person_places(request: DataRequest) -> list[dict]:
    """``person_found`` by place, for the coordinator to choose among namesakes: [{"place", "label",
    "items": [(what, count)], "by_name"}], the places found by the name alone flagged."""
    places: dict[str, dict] = {}
    for found in person_found(request):
        place = places.setdefault(
            found.place, {"place": found.place, "label": found.place_label, "counts": {}, "by_name": True}
        )
        place["counts"][found.what] = place["counts"].get(found.what, 0) + 1
        place["by_name"] = place["by_name"] and found.by_name
    return [
        {**place, "items": sorted(place.pop("counts").items())}
        for place in sorted(places.values(), key=lambda place: place["label"])
    ]


@transaction.atomic
def person_erase(*, actor: User, request: DataRequest, places: list[str] | None = None) -> dict[str, int]:
    """A coordinator erases a person without an account (a company contact, an interviewee, an event
    representative, an interpreter) found by the request's e-mail and/or exact name; returns what was
    erased. What the name alone finds at more than one place (a company, an event) may be namesakes:
    ``places`` says which of them are the person's, else the erasure is refused and nothing changes."""
    if request.kind != RequestKind.ERASURE or request.status != RequestStatus.OPEN:
        raise ValidationError(_("Only open erasure requests can be carried out."), code="not_open")
    name, email = request.name.strip(), request.email.strip()
    if not name and not email:
        raise ValidationError(_("The request needs the person's name or e-mail."), code="person_required")
    by_name = {found.place for found in person_found(request) if found.by_name}
    if places is not None:
        places = [place for place in places if place in by_name]
        if not places and by_name:
            raise ValidationError(_("Tick the places where this person is found."), code="no_place")
    elif len(by_name) > 1:
        raise ValidationError(
            _(
                "This name is found at more than one company or event, and people can share a name: tick "
                "the places where this person is found, and only those are erased."
            ),
            code="namesakes",
        )
    counts: dict[str, int] = {}
    for entry in registry.entries.values():
        if entry.erase_person is not None:
            counts.update(entry.erase_person(name, email, places=places))
    for eraser in registry.person_erasers:
        counts.update(eraser(name, email))
    request.status = RequestStatus.DONE
    request.handled_by, request.handled_at = actor, timezone.now()
    request.outcome = json.dumps(counts)
    request.name, request.email = ERASED, ""
    request.save()
    return counts


def request_log(
    *,
    actor: User,
    kind: str,
    name: str = "",
    email: str = "",
    details: str = "",
    received_on: datetime.date | None = None,
) -> DataRequest:
    """A coordinator logs a request received outside the portal (letter, e-mail, phone)."""
    return DataRequest.objects.create(
        name=name.strip(),
        email=email.strip(),
        kind=kind,
        details=details.strip(),
        due_on=due_date(received_on),
    )


def request_close(*, actor: User, request: DataRequest, status: str, outcome: str) -> DataRequest:
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("This request is already closed."), code="already_closed")
    if status not in (RequestStatus.DONE, RequestStatus.REJECTED) or not outcome.strip():
        raise ValidationError(
            _("Say what was done (or why the request is rejected)."), code="outcome_required"
        )
    request.status, request.outcome = status, outcome.strip()
    request.handled_by, request.handled_at = actor, timezone.now()
    request.save(update_fields=["status", "outcome", "handled_by", "handled_at", "updated_at"])
    return request
