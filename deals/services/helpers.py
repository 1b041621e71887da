"""Shared pieces of the deals writes: pairs, members, blocks, the acting company, links, text and files."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from deals.files import check_upload, content_type
from deals.models import (
    Attachment,
    BlockKind,
    CompanyBlock,
    Conversation,
    ConversationStatus,
)
from deals.rules import member_company_ids
from portal.accounts.models import Role, User
from portal.accounts.selectors import users_with_role
from portal.companies.models import Company
from portal.notifications.kinds import each_language
from portal.notifications.services import notification_send

MAX_MESSAGE_CHARS = 10_000


# --- helpers ------------------------------------------------------------------------------------------
def _pair(company: Company, partner: Company) -> tuple[Company, Company]:
    return (company, partner) if company.country == "TH" else (partner, company)


def _members(company_id: int):
    return User.objects.filter(memberships__company_id=company_id, is_active=True)


def _coordinators():
    return users_with_role(role=Role.COORDINATOR)


def _blocked(company_id: int, other_id: int) -> CompanyBlock | None:
    """A block between the two companies, either way (None when there is none)."""
    return (
        CompanyBlock.objects.filter(kind=BlockKind.BLOCK)
        .filter(Q(company_id=company_id, other_id=other_id) | Q(company_id=other_id, other_id=company_id))
        .first()
    )


def _refuse_if_blocked(company_id: int, other_id: int) -> None:
    block = _blocked(company_id, other_id)
    if block is None:
        return
    if block.company_id == company_id:
        raise ValidationError(_("You blocked this company. Unblock it to write again."), code="you_blocked")
    # The blocked side is not told that it was blocked.
    raise ValidationError(_("This conversation does not take new messages."), code="closed")


def _muted_by(company_id: int, other_id: int) -> bool:
    """``company_id`` muted or blocked ``other_id`` (no notifications from it)."""
    return CompanyBlock.objects.filter(company_id=company_id, other_id=other_id).exists()


def _acting_company(user, conversation: Conversation) -> Company:
    ids = member_company_ids(user)
    if conversation.thai_company_id in ids:
        return conversation.thai_company
    if conversation.japanese_company_id in ids:
        return conversation.japanese_company
    raise ValidationError(_("Only members of the two companies can do this."), code="not_member")


def _url(conversation: Conversation) -> str:
    return reverse("deals:conversation", kwargs={"pk": conversation.pk})


def _tell_members(kind: str, *, conversation: Conversation, company_id: int, about: Company, actor, key: str):
    """A notification of ``kind`` to the members of company ``company_id`` (one side of ``conversation``),
    naming the company ``about`` in every language and linking the conversation; once per ``key``."""
    notification_send(
        kind=kind,
        recipients=_members(company_id),
        target=conversation,
        url=_url(conversation),
        context={"company": each_language(about)},
        actor=actor,
        dedupe_key=key,
    )


def _writable(conversation: Conversation, company: Company) -> None:
    if conversation.status == ConversationStatus.CLOSED:
        raise ValidationError(_("A coordinator closed this conversation."), code="closed_by_coordinator")
    _refuse_if_blocked(company.pk, conversation.other_company(company.pk).pk)


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_MESSAGE_CHARS:
        raise ValidationError(
            _("A message can have at most %(count)s characters.") % {"count": MAX_MESSAGE_CHARS},
            code="too_long",
        )
    return text


def _attach(files, *, actor, message=None, proposal=None) -> list[Attachment]:
    files = list(files or [])
    limit = settings.DEALS_ATTACHMENTS_PER_MESSAGE
    if len(files) > limit:
        raise ValidationError(
            _("At most %(count)s files at a time.") % {"count": limit}, code="too_many_files"
        )
    checked = [(upload, *check_upload(upload)) for upload in files]  # every file checked before any is kept
    attachments = []
    for upload, name, stored in checked:
        attachment = Attachment(
            message=message,
            proposal=proposal,
            uploaded_by=actor,
            name=name,
            content_type=content_type(name),
            size=upload.size,
        )
        attachment.file.save(stored, upload, save=False)
        attachment.save()
        attachments.append(attachment)
    return attachments
