"""The personal data of portal's own apps and of the libraries it uses (accounts, e-mail addresses, second
factors, API tokens, admin history, companies, consents and data requests), registered in
portal/privacy/registry.py. matching, shindan and events register theirs from their AppConfig.ready()."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from portal.privacy.registry import ERASED, Found, Person, place_ids, register


def _iso(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


# --- the account and what the libraries keep for it --------------------------------------------------
def _export_account(user, companies) -> dict:
    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        }
    }


def _export_email_addresses(user, companies) -> dict:
    from allauth.account.models import EmailAddress

    return {
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ]
    }


def _erase_email_addresses(person: Person) -> dict:
    from allauth.account.models import EmailAddress

    return {"email_addresses": EmailAddress.objects.filter(user=person.user).delete()[0]}


def _export_email_confirmations(user, companies) -> dict:
    from allauth.account.models import EmailConfirmation

    sent = EmailConfirmation.objects.filter(email_address__user=user).select_related("email_address")
    return {"email_confirmations": [{"email": c.email_address.email, "sent": _iso(c.sent)} for c in sent]}


def _erase_email_confirmations(person: Person) -> dict:
    from allauth.account.models import EmailConfirmation

    sent = EmailConfirmation.objects.filter(email_address__user=person.user)
    return {"email_confirmations": sent.delete()[0]}


def _export_two_factor(user, companies) -> dict:
    from allauth.mfa.models import Authenticator

    return {"two_factor": [a.type for a in Authenticator.objects.filter(user=user)]}


def _erase_two_factor(person: Person) -> dict:
    from allauth.mfa.models import Authenticator

    return {"two_factor": Authenticator.objects.filter(user=person.user).delete()[0]}


def _export_api_tokens(user, companies) -> dict:
    from portal.accounts.selectors import api_tokens_export

    return api_tokens_export(user, companies)


def _erase_api_tokens(person: Person) -> dict:
    from portal.accounts.services import api_token_delete_all

    return {"api_tokens": api_token_delete_all(user=person.user)}


def _export_admin_history(user, companies) -> dict:
    from django.contrib.admin.models import LogEntry

    return {
        "admin_changes": [
            {"at": _iso(e.action_time), "object": e.object_repr, "change": e.get_change_message()}
            for e in LogEntry.objects.filter(user=user).order_by("action_time")
        ]
    }


# --- companies ----------------------------------------------------------------------------------------
def _export_memberships(user, companies) -> dict:
    return {
        "memberships": [
            {
                "company": m.company.display_name(),
                "registration_no": m.company.registration_no,
                "role": m.role,
            }
            for m in user.memberships.select_related("company")
        ]
    }


def _erase_memberships(person: Person) -> dict:
    """The person leaves their companies; a company it was the only owner of is left without one, and the
    coordinators are told (the privacy page warned the member first)."""
    from portal.companies.selectors import companies_owned_alone
    from portal.companies.services import companies_left_without_owner

    alone = companies_owned_alone(user=person.user)
    deleted = person.user.memberships.all().delete()[0]
    companies_left_without_owner(companies=alone)
    return {"memberships": deleted}


def _export_join_requests(user, companies) -> dict:
    from portal.companies.models import JoinRequest

    return {
        "join_requests": [
            {
                "company": j.company.display_name(),
                "status": j.status,
                "message": j.message,
                "created_at": _iso(j.created_at),
            }
            for j in user.join_requests.select_related("company")
        ],
        "join_requests_decided": [
            {"company": j.company.display_name(), "status": j.status, "decided_at": _iso(j.decided_at)}
            for j in JoinRequest.objects.filter(decided_by=user).select_related("company")
        ],
    }


def _erase_join_requests(person: Person) -> dict:
    return {"join_requests": person.user.join_requests.all().delete()[0]}


def _export_contacts(user, companies) -> dict:
    from portal.companies.models import CompanyContact

    contacts = CompanyContact.objects.filter(company__in=companies)
    if user.email:
        contacts = contacts | CompanyContact.objects.filter(email__iexact=user.email)
    return {
        "company_contacts": [
            {"company": c.company.display_name(), "name": c.name, "email": c.email, "phone": c.phone}
            for c in contacts.select_related("company").distinct()
        ]
    }


def _contacts_of(name: str, email: str, companies=None, places=None):
    from portal.companies.models import CompanyContact

    match = Q(pk__in=[])
    if email:
        match |= Q(email__iexact=email)
    if name:
        by_name = Q(name=name) if companies is None else Q(name=name, company__in=companies)
        if places is not None:  # the companies a coordinator ticked among namesakes
            by_name &= Q(company_id__in=place_ids(places, "company"))
        match |= by_name
    return CompanyContact.objects.filter(match)


def _erase_contacts(person: Person) -> dict:
    """The person as a contact: anywhere by their e-mail, in their own companies by their name."""
    contacts = _contacts_of(person.name, person.email, person.companies)
    return {"contacts": contacts.update(name=ERASED, email="", phone="")}


def _erase_contact_person(name: str, email: str, places=None) -> dict:
    return {"contacts": _contacts_of(name, email, places=places).update(name=ERASED, email="", phone="")}


def _find_contact_person(name: str, email: str) -> list[Found]:
    return [
        Found(
            f"company:{row.company_id}",
            row.company.display_name(),
            gettext("company contact"),
            by_name=not (email and row.email.lower() == email.lower()),
        )
        for row in _contacts_of(name, email).select_related("company")
    ]


def _export_verified(user, companies) -> dict:
    from portal.companies.models import Company

    return {
        "companies_verified": [
            {"company": c.display_name(), "verified_at": _iso(c.verified_at)}
            for c in Company.objects.filter(verified_by=user)
        ]
    }


def _export_imports(user, companies) -> dict:
    from portal.companies.models import ImportJob

    return {
        "imports": [
            {"file": j.filename, "uploaded_at": _iso(j.created_at), "status": j.status}
            for j in ImportJob.objects.filter(created_by=user).defer("errors")
        ]
    }


# --- privacy --------------------------------------------------------------------------------------------
def _export_consents(user, companies) -> dict:
    return {
        "consents": [
            {
                "purpose": c.purpose,
                "notice_version": c.notice_version,
                "given_at": _iso(c.given_at),
                "withdrawn_at": _iso(c.withdrawn_at),
            }
            for c in user.consents.all()
        ]
    }


def _erase_consents(person: Person) -> dict:
    """The consents end with the account; the rows stay as the record of what was agreed and when."""
    active = person.user.consents.filter(withdrawn_at__isnull=True)
    return {"consents": active.update(withdrawn_at=timezone.now())}


def _export_data_requests(user, companies) -> dict:
    from portal.privacy.models import DataRequest

    return {
        "data_requests": [
            {
                "kind": r.kind,
                "status": r.status,
                "details": r.details,
                "created_at": _iso(r.created_at),
                "due_on": _iso(r.due_on),
            }
            for r in user.data_requests.all()
        ],
        "data_requests_handled": [
            {"kind": r.kind, "status": r.status, "handled_at": _iso(r.handled_at)}
            for r in DataRequest.objects.filter(handled_by=user)
        ],
    }


def _erase_data_requests(person: Person) -> dict:
    """The person's own requests stay as the record that they were answered, without their e-mail, name or
    what they wrote."""
    return {"data_requests": person.user.data_requests.update(email="", name="", details="")}


register(
    "accounts.User",
    fields=("email", "first_name", "last_name"),
    export=_export_account,
    kept="account_erase anonymises the row itself, after every eraser has run: others' records point at it",
)
register(
    "account.EmailAddress",
    fields=("user", "email"),
    export=_export_email_addresses,
    erase=_erase_email_addresses,
)
register(
    "account.EmailConfirmation",
    fields=("email_address",),
    export=_export_email_confirmations,
    erase=_erase_email_confirmations,
)
register("mfa.Authenticator", fields=("user",), export=_export_two_factor, erase=_erase_two_factor)
register("accounts.ApiToken", fields=("user", "name"), export=_export_api_tokens, erase=_erase_api_tokens)
register(
    "admin.LogEntry",
    fields=("user",),
    export=_export_admin_history,
    kept="the admin's change history: it points at the anonymised account",
)
register("companies.Membership", fields=("user",), export=_export_memberships, erase=_erase_memberships)
register(
    "companies.JoinRequest",
    fields=("user", "decided_by"),
    export=_export_join_requests,
    erase=_erase_join_requests,
)
register(
    "companies.CompanyContact",
    fields=("name", "email", "phone"),
    export=_export_contacts,
    erase=_erase_contacts,
    erase_person=_erase_contact_person,
    find_person=_find_contact_person,
)
register(
    "companies.Company",
    fields=("verified_by",),
    export=_export_verified,
    kept="who verified a company: it points at the anonymised account",
)
register(
    "companies.ImportJob",
    fields=("created_by",),
    export=_export_imports,
    kept="who imported which file (the file itself is deleted when the import ends)",
)
register("privacy.Consent", fields=("user",), export=_export_consents, erase=_erase_consents)
register(
    "privacy.DataRequest",
    fields=("user", "handled_by", "name", "email"),
    export=_export_data_requests,
    erase=_erase_data_requests,
)
