"""Writes on postings: create, edit, the lifecycle (draft → published → expired/closed), moderation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.companies.models import Company
from portal.companies.services import company_refresh_derived
from portal.core.transitions import Transitions
from portal.postings.models import Posting, PostingStatus

TEXT_FIELDS = ("type", "title_en", "title_th", "title_ja", "body_en", "body_th", "body_ja", "expires_on")
TERM_FIELDS = ("industries", "capabilities", "required_certifications")

TRANSITIONS = Transitions(
    PostingStatus,
    {
        PostingStatus.DRAFT: {PostingStatus.PUBLISHED, PostingStatus.CLOSED},
        PostingStatus.PUBLISHED: {PostingStatus.CLOSED, PostingStatus.EXPIRED, PostingStatus.DRAFT},
        PostingStatus.EXPIRED: {PostingStatus.PUBLISHED, PostingStatus.CLOSED},
        PostingStatus.CLOSED: set(),
    },
    message=gettext_lazy("A posting cannot go from “%(from)s” to “%(to)s”."),
)


def _validate(posting: Posting) -> None:
    if not (posting.title_en or posting.title_th or posting.title_ja):
        raise ValidationError(_("Give the posting a title in at least one language."), code="title_required")
    if posting.expires_on and posting.expires_on < timezone.localdate():
        raise ValidationError(
            {"expires_on": ValidationError(_("The expiry date is in the past."), code="expired")}
        )


@transaction.atomic
def posting_create(*, company: Company, **fields) -> Posting:
    posting = Posting(company=company, **{key: fields[key] for key in TEXT_FIELDS if key in fields})
    _validate(posting)
    posting.save()
    for key in TERM_FIELDS:
        if key in fields:
            getattr(posting, key).set(fields[key])
    return posting


@transaction.atomic
def posting_update(*, posting: Posting, **fields) -> Posting:
    for key in TEXT_FIELDS:
        if key in fields:
            setattr(posting, key, fields[key])
    _validate(posting)
    posting.save()
    for key in TERM_FIELDS:
        if key in fields:
            getattr(posting, key).set(fields[key])
    if posting.status != PostingStatus.DRAFT:
        company_refresh_derived(company=posting.company)
    return posting


@transaction.atomic
def posting_set_status(*, posting: Posting, status: str) -> Posting:
    """The one place the lifecycle changes (table: ``TRANSITIONS``; ``ValidationError(code=
    "invalid_transition")`` otherwise). Side effects: published → ``published_at`` set the first time
    (the posting is validated again); every change refreshes the company's derived fields (search)."""
    posting = Posting.objects.select_for_update().select_related("company").get(pk=posting.pk)
    TRANSITIONS.check(posting.status, status)
    if status == PostingStatus.PUBLISHED:
        _validate(posting)
        posting.published_at = posting.published_at or timezone.now()
    posting.status = status
    posting.save(update_fields=["status", "published_at", "updated_at"])
    company_refresh_derived(company=posting.company)
    return posting


@transaction.atomic
def posting_moderate(*, posting: Posting, hidden: bool, note: str = "") -> Posting:
    """A coordinator hides (or shows again) a posting, with a note the company can read."""
    posting.is_hidden, posting.moderation_note = hidden, note
    posting.save(update_fields=["is_hidden", "moderation_note", "updated_at"])
    return posting


def posting_expire_due() -> int:
    """Mark published postings whose expiry date has passed as expired (daily task). Idempotent."""
    due = Posting.objects.filter(status=PostingStatus.PUBLISHED, expires_on__lt=timezone.localdate())
    expired = 0
    for posting in due.select_related("company"):
        posting_set_status(posting=posting, status=PostingStatus.EXPIRED)
        expired += 1
    return expired
