"""Writes on companies, their profile, certificates, contacts, members and join requests; import jobs."""

import logging

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.models import Role, User
from portal.accounts.selectors import users_with_role
from portal.companies.models import (
    Company,
    CompanyCertification,
    CompanyContact,
    ImportJob,
    ImportJobStatus,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipRole,
    VerificationStatus,
)
from portal.companies.search import build_search_text
from portal.companies.signals import announce_company_changed
from portal.companies.sizing import size_class
from portal.companies.validation import clean_registration_number
from portal.core import outbox
from portal.core.heartbeat import Heartbeat, claim, requeue_stalled
from portal.core.images import web_image_variants
from portal.core.phones import normalize_phone
from portal.core.storage import delete_file_on_commit
from portal.core.transitions import Transitions
from portal.notifications.kinds import each_language, each_language_text
from portal.notifications.services import notification_send, notifications_settle
from portal.taxonomy.models import Certification

logger = logging.getLogger(__name__)

PROFILE_FIELDS = {
    "name_en", "name_th", "name_ja", "sector", "region", "employees", "annual_revenue", "capital", "currency",
    "founded_year", "languages", "description_en", "description_th", "description_ja", "website", "logo",
    "pitch_en", "pitch_th", "pitch_ja",
    "endorsed_by", "endorsed_on",
}  # fmt: skip
M2M_FIELDS = {"industries", "capabilities", "seeking", "requires", "looking_for"}

VERIFICATION = Transitions(
    VerificationStatus,
    {
        VerificationStatus.PENDING: {VerificationStatus.VERIFIED, VerificationStatus.REJECTED},
        # A rejected company that its owner edits goes back to review (company_update_profile).
        VerificationStatus.REJECTED: {VerificationStatus.PENDING, VerificationStatus.VERIFIED},
        VerificationStatus.VERIFIED: {VerificationStatus.REJECTED},
    },
    message=gettext_lazy("A company cannot go from “%(from)s” to “%(to)s”."),
)


def _ensure_unique_registration(country: str, digits: str, *, exclude_pk: int | None = None) -> None:
    taken = Company.objects.filter(country=country, registration_no=digits).exclude(pk=exclude_pk)
    if taken.exists():
        message = _(
            "A company with this registration number is already on the portal. "
            "Ask its owner to add you instead."
        )
        raise ValidationError({"registration_no": ValidationError(message, code="registration_taken")})


def company_derived_fields(
    *, company: Company, industries=(), capabilities=(), region=None, postings=(), products=()
) -> dict[str, str]:
    """Size class and search text from the profile and the given related objects (no queries)."""
    size, basis = size_class(
        country=company.country,
        sector=company.sector,
        employees=company.employees,
        revenue=company.annual_revenue,
        capital=company.capital,
        currency=company.currency,
        thai_rule=settings.PORTAL_THAI_SIZE_RULE,
    )
    parts = [company.name_en, company.name_th, company.name_ja, company.registration_no]
    parts += [company.description_en, company.description_th, company.description_ja]
    parts += [company.pitch_en, company.pitch_th, company.pitch_ja]
    for product in products:  # the showcase (portal/showcase): the directory search finds products
        parts += product.texts()
    for term in [*industries, *capabilities]:
        parts += [term.slug, term.name_en, term.name_th, term.name_ja]
    if region is not None:
        parts += [region.name_en, region.name_th, region.name_ja]
    for posting in postings:
        parts += [
            posting.title_en,
            posting.title_th,
            posting.title_ja,
            posting.body_en,
            posting.body_th,
            posting.body_ja,
        ]
    return {"size_class": size, "size_basis": basis, "search_text": build_search_text(parts)}


def company_refresh_derived(*, company: Company) -> Company:
    """Recompute what is derived from the profile (size class, search text) and save it."""
    derived = company_derived_fields(
        company=company,
        industries=company.industries.all(),
        capabilities=company.capabilities.all(),
        region=company.region,
        postings=company.postings.exclude(status="draft"),
        products=company.products.filter(is_hidden=False),
    )
    for field, value in derived.items():
        setattr(company, field, value)
    company.save(update_fields=[*derived, "updated_at"])
    announce_company_changed(company.pk)
    return company


@transaction.atomic
def company_create(
    *,
    owner: User,
    country: str,
    registration_no: str,
    name_en: str = "",
    name_th: str = "",
    name_ja: str = "",
) -> Company:
    """Create a company (pending verification) with ``owner`` as its first owner."""
    digits = clean_registration_number(country, registration_no)
    if not (name_en or name_th or name_ja):
        raise ValidationError(_("Give the company's name in at least one language."), code="name_required")
    _ensure_unique_registration(country, digits)
    company = Company(
        country=country,
        registration_no=digits,
        name_en=name_en,
        name_th=name_th,
        name_ja=name_ja,
        currency="THB" if country == "TH" else "JPY",
        # Its own language only: English is ticked by the company (profile step), never assumed, or every new
        # Thai and Japanese pair would seem to share it and meet without an interpreter
        # (events/services/participants.py, participant_languages).
        languages="th" if country == "TH" else "ja",
    )
    company.save()
    Membership.objects.create(user=owner, company=company, role=MembershipRole.OWNER)
    company_refresh_derived(company=company)
    _tell_coordinators_of_vetting(company, actor=owner)
    return company


def _tell_coordinators_of_vetting(company: Company, *, actor: User | None) -> None:
    """A company is new or sent again for review: the coordinators are told (their bell links the queue);
    once per submission."""
    notification_send(
        kind="companies.awaiting_vetting",
        recipients=users_with_role(role=Role.COORDINATOR),
        target=company,
        url=reverse("companies:vetting"),
        context={"company": each_language(company)},
        actor=actor,
        dedupe_key=f"companies.awaiting_vetting:{company.pk}:{timezone.now().isoformat()}",
    )


def companies_left_without_owner(*, companies: list[Company]) -> None:
    """The only owner of each of ``companies`` deleted their account (portal/privacy/personal.py): the
    coordinators are told, with the members page, where they see who is left."""
    coordinators = list(users_with_role(role=Role.COORDINATOR)) if companies else []  # one query for all
    for company in companies:
        notification_send(
            kind="companies.owner_left",
            recipients=coordinators,
            target=company,
            url=reverse("companies:members", args=[company.pk]),
            context={"company": each_language(company)},
            dedupe_key=f"companies.owner_left:{company.pk}:{timezone.now().isoformat()}",
        )


def _web_logo(upload):
    """The uploaded logo re-encoded as a small WebP under a content-hashed name (EXIF and any payload
    dropped), so cards load a few kilobytes and browsers keep it for a year (portal/core/images.py)."""
    try:
        (logo,) = web_image_variants(
            upload, max_bytes=settings.PORTAL_LOGO_MAX_BYTES, sizes={"logo": settings.PORTAL_LOGO_BOX}
        )
    except ValidationError as error:
        raise ValidationError({"logo": error.messages}, code=error.code) from None
    return logo.content


@transaction.atomic
def company_update_profile(*, company: Company, **changes) -> Company:
    """Change profile fields and taxonomy links; recompute the size class and search text.

    A rejected company that is edited goes back to review (pending).
    """
    unknown = set(changes) - PROFILE_FIELDS - M2M_FIELDS - {"registration_no"}
    if unknown:
        raise TypeError(f"Not profile fields: {sorted(unknown)}")
    if "registration_no" in changes:
        digits = clean_registration_number(company.country, changes.pop("registration_no"))
        _ensure_unique_registration(company.country, digits, exclude_pk=company.pk)
        company.registration_no = digits
    if "logo" in changes:
        # The logo it replaces (or clears) leaves the storage once this commits.
        delete_file_on_commit(company.logo)
        if changes["logo"]:
            changes["logo"] = _web_logo(changes["logo"])
    for field in PROFILE_FIELDS & set(changes):
        setattr(company, field, changes[field])
    if not (company.name_en or company.name_th or company.name_ja):
        raise ValidationError(_("Give the company's name in at least one language."), code="name_required")
    company.full_clean(exclude=["logo", "search_text"], validate_unique=False, validate_constraints=False)
    company.save()
    if company.verification_status == VerificationStatus.REJECTED:
        # The owner's edit is the re-submission: back to review, through the one status service.
        company = company_set_verification(company=company, actor=None, status=VerificationStatus.PENDING)
        _tell_coordinators_of_vetting(company, actor=None)
    for field in M2M_FIELDS & set(changes):
        getattr(company, field).set(changes[field])
    return company_refresh_derived(company=company)


@transaction.atomic
def company_set_certificates(*, company: Company, certificates: list[dict]) -> list[CompanyCertification]:
    """Replace the certificates: dicts of certification (object or slug), number, issuer, expires_on."""
    company.certificates.all().delete()
    rows = []
    for item in certificates:
        certification = item["certification"]
        if isinstance(certification, str):
            certification = Certification.objects.get(slug=certification)
        rows.append(
            CompanyCertification(
                company=company,
                certification=certification,
                number=item.get("number", ""),
                issuer=item.get("issuer", ""),
                expires_on=item.get("expires_on"),
            )
        )
    created = CompanyCertification.objects.bulk_create(rows)
    Company.objects.filter(pk=company.pk).update(updated_at=timezone.now())
    announce_company_changed(company.pk)
    return created


@transaction.atomic
def company_set_primary_contact(
    *, company: Company, name: str, email: str = "", phone: str = ""
) -> CompanyContact:
    """The primary contact person; ``phone`` in the national form of the company's country or the
    international form, stored in E.164 (``ValidationError(code="invalid_phone")`` otherwise)."""
    phone = normalize_phone(phone, country=company.country)
    contact = company.contacts.filter(is_primary=True).first() or CompanyContact(
        company=company, is_primary=True
    )
    contact.name, contact.email, contact.phone = name, email, phone
    contact.full_clean(exclude=["company"])
    contact.save()
    return contact


@transaction.atomic
def company_set_verification(
    *,
    company: Company,
    actor: User | None,
    status: str,
    reason: str = "",
    endorsed_by: str = "",
    endorsed_on=None,
) -> Company:
    """The one place a company's verification status changes (table: ``VERIFICATION``).

    Side effects: verified → records who verified it and when (and the endorsement, if given), owners are
    e-mailed; rejected → needs a reason, kept for the owner, owners are e-mailed; pending (the owner's
    re-submission of a rejected profile, ``actor`` None) → the last reason stays until the next decision,
    nobody is e-mailed. Every change announces the company as changed (search, matching).
    """
    company = Company.objects.select_for_update().get(pk=company.pk)
    VERIFICATION.check(company.verification_status, status)
    if actor is not None and company.memberships.filter(user=actor).exists():
        raise ValidationError(
            _("You belong to this company: another coordinator decides on it."), code="own_company"
        )
    if status == VerificationStatus.REJECTED and not reason.strip():
        message = _("Say why the company is rejected; the owner will read it.")
        raise ValidationError({"reason": ValidationError(message, code="reason_required")})
    company.verification_status = status
    if status == VerificationStatus.REJECTED:
        company.rejection_reason = reason.strip()
    elif status == VerificationStatus.VERIFIED:
        company.rejection_reason = ""
    if status == VerificationStatus.VERIFIED:
        company.verified_by, company.verified_at = actor, timezone.now()
        if endorsed_by:
            company.endorsed_by, company.endorsed_on = endorsed_by, endorsed_on or timezone.localdate()
    company.save()
    announce_company_changed(company.pk)
    if status in (VerificationStatus.VERIFIED, VerificationStatus.REJECTED):
        # decided: the coordinators' "waiting for review" no longer waits (the bell, the list)
        notifications_settle(kind="companies.awaiting_vetting", model=Company, ids=[company.pk])
        owners = list(
            User.objects.filter(memberships__company=company, memberships__role=MembershipRole.OWNER)
        )
        verified = status == VerificationStatus.VERIFIED
        # verified: on to the description; rejected: the wizard's first step, as the e-mail says
        step = "about" if verified else "profile"
        notification_send(
            kind="companies.verified" if verified else "companies.rejected",
            recipients=owners,
            target=company,
            url=reverse("companies:edit", kwargs={"pk": company.pk, "step": step}),
            context={"company": each_language(company)},
            dedupe_key=f"companies.vetting:{company.pk}:{status}:{timezone.now().isoformat()}",
            email_context={"company": company},
        )
    return company


# ------------------------------------------------------------------------------------------------
# Members and join requests
# ------------------------------------------------------------------------------------------------
@transaction.atomic
def join_request_create(*, user: User, country: str, registration_no: str, message: str = "") -> JoinRequest:
    digits = clean_registration_number(country, registration_no)
    company = Company.objects.filter(country=country, registration_no=digits).first()
    if company is None:
        message = _("No company with this registration number is on the portal yet. Register it.")
        raise ValidationError({"registration_no": ValidationError(message, code="unknown_company")})
    if company.memberships.filter(user=user).exists():
        raise ValidationError(_("You are already a member of this company."), code="already_member")
    if company.join_requests.filter(user=user, status=JoinRequestStatus.PENDING).exists():
        raise ValidationError(_("You have already asked to join this company."), code="already_requested")
    join_request = JoinRequest.objects.create(user=user, company=company, message=message)
    owners = list(User.objects.filter(memberships__company=company, memberships__role=MembershipRole.OWNER))
    notification_send(
        kind="companies.join_requested",
        recipients=owners,
        target=join_request,
        url=reverse("companies:members", kwargs={"pk": company.pk}),
        context={"company": each_language(company), "name": join_request.requester_label},
        dedupe_key=f"companies.join_requested:{join_request.pk}",
        email_context={"join_request": join_request},
    )
    return join_request


def _ensure_owner(actor: User, company: Company) -> None:
    """Owners manage their members (coordinators and admins too): the same rule as the pages."""
    if not rules.has_perm("companies.manage_members", actor, company):
        raise PermissionDenied


@transaction.atomic
def join_request_decide(*, join_request: JoinRequest, actor: User, approve: bool) -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    _ensure_owner(actor, join_request.company)
    if join_request.status != JoinRequestStatus.PENDING:
        raise ValidationError(_("This request has already been answered."), code="already_decided")
    join_request.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
    join_request.decided_by, join_request.decided_at = actor, timezone.now()
    join_request.save()
    if approve:
        Membership.objects.get_or_create(
            user=join_request.user, company=join_request.company, defaults={"role": MembershipRole.MEMBER}
        )
    # Answered by one owner: the request no longer waits for the others (or for this one's bell).
    notifications_settle(kind="companies.join_requested", model=JoinRequest, ids=[join_request.pk])
    decision = (
        gettext_lazy("An owner approved your request: the company is now on your dashboard.")
        if approve
        else gettext_lazy("An owner declined your request. Ask the company, or register your own company.")
    )
    notification_send(
        kind="companies.join_decided",
        recipients=[join_request.user],
        target=join_request,
        # approved: the company's page; declined: where one joins or registers a company
        url=reverse("companies:detail", kwargs={"pk": join_request.company_id})
        if approve
        else reverse("companies:start"),
        context={"company": each_language(join_request.company), "decision": each_language_text(decision)},
        dedupe_key=f"companies.join_decided:{join_request.pk}",
        email_context={"join_request": join_request},
    )
    return join_request


@transaction.atomic
def membership_set_role(*, membership: Membership, actor: User, role: str) -> Membership:
    _ensure_owner(actor, membership.company)
    if role not in MembershipRole.values:
        raise ValidationError(_("Unknown role."), code="role")
    if membership.role == MembershipRole.OWNER and role != MembershipRole.OWNER:
        _ensure_another_owner(membership)
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """An owner (or a coordinator) removes a member, who is told: the notifications they had of the
    company's work now lead to pages closed to them, and this one says why."""
    _ensure_owner(actor, membership.company)
    if membership.role == MembershipRole.OWNER:
        _ensure_another_owner(membership)
    user, company = membership.user, membership.company
    membership.delete()
    if user != actor:
        notification_send(
            kind="companies.membership_removed",
            recipients=[user],
            target=company,
            url=reverse("dashboard"),
            context={"company": each_language(company)},
            actor=actor,
        )


def _ensure_another_owner(membership: Membership) -> None:
    others = Membership.objects.select_for_update().filter(
        company=membership.company, role=MembershipRole.OWNER
    )
    if not others.exclude(pk=membership.pk).exists():
        raise ValidationError(_("A company needs at least one owner."), code="last_owner")


# ------------------------------------------------------------------------------------------------
# Import jobs (the coordinators' import page): the upload is kept, a worker imports it
# ------------------------------------------------------------------------------------------------
def import_job_create(*, actor: User, upload, language: str) -> ImportJob:
    """Keep an upload that passed the quick checks (size, type, an XLSX's zip) and queue its import after
    commit. On the embedded default the task runs inline, so the job is finished when this returns."""
    from portal.companies.tasks import run_import_job

    job = ImportJob.objects.create(
        created_by=actor, file=upload, filename=upload.name[:200], size=upload.size, language=language
    )
    transaction.on_commit(lambda: outbox.send(run_import_job, kwargs={"job_id": job.pk}))
    return job


def import_job_run(*, job_id: int, token: str) -> ImportJob | None:
    """Import the job's file, once: the task ``token`` claims the job (another live task holding it makes
    this a no-op), the import and the job's result commit together, and the file is deleted after commit.
    A job whose worker died is re-queued by ``import_jobs_requeue_stalled`` and runs again from the start
    (the dead attempt's transaction wrote nothing); after PORTAL_MAX_ATTEMPTS it is marked failed."""
    from portal.companies.importer import ImportFailed, RowError, import_companies

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return job
    unfinished = ImportJob.objects.filter(pk=job_id).exclude(status__in=ImportJob.FINISHED)
    if not claim(unfinished, token=token):
        logger.info("import job held by another task", extra={"job": job_id})
        return job
    job.refresh_from_db()
    mine = unfinished.filter(claimed_by=token)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        if job.attempts > settings.PORTAL_MAX_ATTEMPTS:
            message = _(
                "The import stopped %(count)s times before it finished; nothing was written. "
                "Try again, or split the file."
            ) % {"count": job.attempts - 1}
            return _import_job_finish(mine, job, errors=[RowError(1, "-", message)])
        state = {"status": ImportJobStatus.CHECKING, "rows_done": 0, "rows_total": 0}

        def progress(phase: str, done: int) -> None:
            if phase == "read":
                state.update(rows_total=done, rows_done=0)
            else:
                state.update(status=ImportJobStatus.WRITING if phase == "writing" else state["status"])
                state["rows_done"] = done

        mine.update(status=ImportJobStatus.CHECKING, started_at=timezone.now(), rows_done=0)
        with Heartbeat(mine, values=lambda: dict(state)), transaction.atomic():
            errors, result = [], None
            try:
                with job.file.open("rb") as stream:
                    data = stream.read()
            except (FileNotFoundError, ValueError):
                errors = [RowError(1, "-", _("The uploaded file is no longer there; upload it again."))]
            else:
                try:
                    result = import_companies(
                        data=data, filename=job.filename, actor=job.created_by, progress=progress
                    )
                except ImportFailed as failure:
                    errors = failure.errors
            return _import_job_finish(mine, job, errors=errors, result=result, rows_total=state["rows_total"])


def _import_job_finish(mine, job: ImportJob, *, errors, result=None, rows_total: int = 0) -> ImportJob:
    """Record the outcome (in the import's transaction when there is one) and delete the file after commit."""
    values = {
        "status": ImportJobStatus.FAILED if errors else ImportJobStatus.SUCCEEDED,
        "errors": [
            {"line": e.line, "column": e.column, "message": str(e.message)}
            for e in errors[: ImportJob.MAX_STORED_ERRORS]
        ],
        "error_count": len(errors),
        "companies_created": result.created if result else 0,
        "companies_updated": result.updated if result else 0,
        "rows_total": rows_total or job.rows_total,
        "rows_done": rows_total if result else 0,
        "finished_at": timezone.now(),
        "file": "",
    }
    if mine.update(**values) and job.file.name:
        name, storage = job.file.name, job.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    job.refresh_from_db()
    return job


def import_job_fail(*, job_id: int, token: str, message: str) -> ImportJob | None:
    """Mark a job the task ``token`` holds as failed (it ran out of time); its transaction wrote nothing."""
    from portal.companies.importer import RowError

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return None
    mine = ImportJob.objects.filter(pk=job_id, claimed_by=token).exclude(status__in=ImportJob.FINISHED)
    return _import_job_finish(mine, job, errors=[RowError(1, "-", message)])


def import_jobs_requeue_stalled() -> int:
    """Queue again the jobs nobody is running: started by a worker that died (stale heartbeat), or queued
    long ago and never started (the message was lost with its worker). The job is leased to the new task
    (claimed_by = its id), so a late copy of an older message finds it held and does nothing."""
    from portal.companies.tasks import run_import_job

    return requeue_stalled(
        ImportJob.objects.exclude(status__in=ImportJob.FINISHED),
        run_import_job,
        argument="job_id",
        log=logger,
        message="import job re-queued",
        key="job",
    )
