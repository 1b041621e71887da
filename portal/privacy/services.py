"""Consents, the member's copy of their data, account erasure and erasure of people without an account.

Erasure anonymises rather than deletes where other records need the row (a diagnosis keeps its scores and
history, an event its meetings), and removes the personal fields: names, e-mail addresses, phones."""

import csv
import datetime
import io
import json

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.accounts.services import api_token_delete_all
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

ERASED = "(erased)"


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
            _("This consent is needed to use the portal. To withdraw it, delete your account below.")
        )
    if purpose not in Purpose.values:
        raise ValidationError(_("Unknown purpose."))
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
            outcome=_("Withdrawn by the member."),
        )
    return withdrawn


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


def _iso(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def personal_data(user: User) -> dict:
    """Everything the portal holds about ``user`` as a person, and the personal data of their companies
    (contacts, event representatives) — what "download my data" returns."""
    memberships = list(user.memberships.select_related("company"))
    companies = [m.company for m in memberships]
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "two_factor": [a.type for a in Authenticator.objects.filter(user=user)],
        "consents": [
            {
                "purpose": c.purpose,
                "notice_version": c.notice_version,
                "given_at": _iso(c.given_at),
                "withdrawn_at": _iso(c.withdrawn_at),
            }
            for c in user.consents.all()
        ],
        "memberships": [
            {
                "company": m.company.display_name(),
                "registration_no": m.company.registration_no,
                "role": m.role,
            }
            for m in memberships
        ],
        "join_requests": [
            {"company": j.company.display_name(), "status": j.status, "created_at": _iso(j.created_at)}
            for j in user.join_requests.select_related("company")
        ],
        "company_contacts": [
            {
                "company": contact.company.display_name(),
                "name": contact.name,
                "email": contact.email,
                "phone": contact.phone,
            }
            for company in companies
            for contact in company.contacts.all()
        ],
        "data_requests": [
            {"kind": r.kind, "status": r.status, "created_at": _iso(r.created_at), "due_on": _iso(r.due_on)}
            for r in user.data_requests.all()
        ],
    }
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
                writer.writerow([section, 1, field, _cell(item)])
        elif isinstance(value, list):
            for index, row in enumerate(value, start=1):
                for field, item in row.items() if isinstance(row, dict) else [("value", row)]:
                    writer.writerow([section, index, field, _cell(item)])
        else:
            writer.writerow([section, 1, section, _cell(value)])
    return buffer.getvalue()


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def export_record(*, user: User) -> DataRequest:
    return DataRequest.objects.create(
        user=user,
        email=user.email,
        kind=RequestKind.ACCESS,
        status=RequestStatus.DONE,
        due_on=due_date(),
        handled_at=timezone.now(),
        outcome=_("Downloaded by the member."),
    )


@transaction.atomic
def account_erase(*, user: User) -> DataRequest:
    """Delete a member's account: the person's data goes, the records others need stay without them
    (their company, diagnoses, meetings and history refer to an anonymous, inactive account)."""
    request = DataRequest.objects.create(
        user=user,
        kind=RequestKind.ERASURE,
        status=RequestStatus.DONE,
        due_on=due_date(),
        handled_at=timezone.now(),
        outcome=_("Account deleted by the member."),
    )
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.memberships.all().delete()
    user.join_requests.all().delete()
    user.groups.clear()
    user.email = f"erased-{user.pk}@erased.invalid"
    user.first_name = user.last_name = ""
    user.language = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    api_token_delete_all(user=user)
    return request


@transaction.atomic
def person_erase(*, actor: User, request: DataRequest) -> dict[str, int]:
    """A coordinator erases a person without an account (a company contact, an interviewee, an event
    representative) found by the request's e-mail and/or exact name; returns what was erased."""
    from portal.companies.models import CompanyContact

    if request.kind != RequestKind.ERASURE or request.status != RequestStatus.OPEN:
        raise ValidationError(_("Only open erasure requests can be carried out."))
    name, email = request.name.strip(), request.email.strip()
    if not name and not email:
        raise ValidationError(_("The request needs the person's name or e-mail."))
    counts = {"contacts": 0}
    contacts = CompanyContact.objects.none()
    if email:
        contacts = CompanyContact.objects.filter(email__iexact=email)
    if name:
        contacts = contacts | CompanyContact.objects.filter(name=name)
    counts["contacts"] = contacts.update(name=ERASED, email="", phone="")
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
        raise ValidationError(_("This request is already closed."))
    if status not in (RequestStatus.DONE, RequestStatus.REJECTED) or not outcome.strip():
        raise ValidationError(_("Say what was done (or why the request is rejected)."))
    request.status, request.outcome = status, outcome.strip()
    request.handled_by, request.handled_at = actor, timezone.now()
    request.save(update_fields=["status", "outcome", "handled_by", "handled_at", "updated_at"])
    return request
