"""Conversations and messages: open, send, edit, delete, read marks, blocks, retention."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import (
    Attachment,
    BlockKind,
    CompanyBlock,
    Conversation,
    Message,
    MessageKind,
    MessageTranslation,
    Origin,
    Proposal,
    ReadState,
)
from deals.rules import member_company_ids
from deals.services.helpers import (
    _acting_company,
    _attach,
    _check_text,
    _muted_by,
    _pair,
    _refuse_if_blocked,
    _tell_members,
    _writable,
)
from deals.text import LANGUAGES, detect_language
from events.models import MeetingRequest, RequestStatus
from matching.models import Introduction, MatchProposal
from portal.companies.models import Company
from portal.core.storage import delete_file_on_commit
from portal.notifications.services import notification_mark_read_for_target


# --- conversations ------------------------------------------------------------------------------------
def _counts_toward_cap(company: Company, partner: Company) -> bool:
    """Not recommended either way, no proposal answering the partner's postings, no introduction, no
    accepted Expo meeting request between them."""
    recommended = MatchProposal.objects.filter(
        Q(company=company, partner=partner) | Q(company=partner, partner=company)
    ).exists()
    answered = Proposal.objects.filter(company=company, posting__company=partner).exists()
    thai, japanese = _pair(company, partner)
    introduced = Introduction.objects.filter(thai_company=thai, japanese_company=japanese).exists()
    if recommended or answered or introduced:
        return False
    met = MeetingRequest.objects.filter(
        Q(sender__company=company, recipient__company=partner)
        | Q(sender__company=partner, recipient__company=company),
        status=RequestStatus.ACCEPTED,
    ).exists()
    return not met


@transaction.atomic
def conversation_open(
    *, company: Company, partner: Company, actor, origin: str = Origin.COMPANY_PAGE
) -> tuple[Conversation, bool]:
    """The pair's conversation (opened now if there is none). Both companies must be verified and from
    different countries; a block refuses; a company not recommended counts toward the daily cap."""
    if company.pk not in member_company_ids(actor):
        raise ValidationError(
            _("Only members of the company can open a conversation for it."), code="not_member"
        )
    if company.country == partner.country:
        raise ValidationError(_("Partners come from the other country."), code="same_country")
    if not company.is_verified or not partner.is_verified:
        raise ValidationError(
            _("Both companies must be verified before they can talk here."), code="not_verified"
        )
    if origin not in Origin.values:
        raise ValidationError(_("Unknown starting point."), code="origin")
    thai, japanese = _pair(company, partner)
    existing = Conversation.objects.filter(thai_company=thai, japanese_company=japanese).first()
    if existing is not None:
        return existing, False
    _refuse_if_blocked(company.pk, partner.pk)
    capped = _counts_toward_cap(company, partner)
    if capped:
        since = timezone.now() - datetime.timedelta(days=1)
        opened = Conversation.objects.filter(
            opened_by_company=company, counts_toward_cap=True, created_at__gte=since
        ).count()
        if opened >= settings.DEALS_DAILY_OPEN_CAP:
            raise ValidationError(
                _(
                    "Your company has opened %(count)s conversations with companies outside its "
                    "recommendations in the last 24 hours, the most allowed. Try again tomorrow, or start "
                    "from a recommendation or a posting."
                )
                % {"count": opened},
                code="daily_cap",
            )
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                thai_company=thai,
                japanese_company=japanese,
                opened_by=actor,
                opened_by_company=company,
                origin=origin,
                counts_toward_cap=capped,
            )
    except IntegrityError:  # opened by the other side at the same moment
        return Conversation.objects.get(thai_company=thai, japanese_company=japanese), False
    return conversation, True


@transaction.atomic
def message_send(
    *, conversation: Conversation, actor, text: str, language: str = "", files=(), kind=MessageKind.TEXT
) -> Message:
    """A member writes to the other company (text and/or files). Its language is detected from the script
    unless given; the other company's members are notified (unless they muted this company)."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    company = _acting_company(actor, conversation)
    _writable(conversation, company)
    text = _check_text(text)
    if not text and not files:
        raise ValidationError(_("Write a message or attach a file."), code="empty")
    if language and language not in LANGUAGES:
        raise ValidationError(_("Choose Thai, Japanese or English."), code="language")
    message = Message.objects.create(
        conversation=conversation,
        author=actor,
        company=company,
        kind=kind,
        text=text,
        language=language or detect_language(text, default=actor.language or "en"),
    )
    _attach(files, actor=actor, message=message)
    conversation.last_message_at, conversation.last_message_company = message.created_at, company
    conversation.save(update_fields=["last_message_at", "last_message_company", "updated_at"])
    ReadState.objects.update_or_create(
        conversation=conversation, user=actor, defaults={"last_read_id": message.pk}
    )
    # Who writes has read what came before: the bell no longer says "new message" for this conversation
    # (as the inbox no longer counts it), whether the reply came from the page or the API.
    notification_mark_read_for_target(user=actor, target=conversation)
    other = conversation.other_company(company.pk)
    if not _muted_by(other.pk, company.pk):
        _tell_members(
            "deals.message", conversation=conversation, company_id=other.pk, about=company, actor=actor,
            key=f"deals.message:{message.pk}",
        )  # fmt: skip
    return message


def _own_message(message: Message, actor) -> Message:
    if message.author_id != actor.pk or message.kind != MessageKind.TEXT:
        raise ValidationError(_("You can change only your own messages."), code="not_author")
    if message.is_deleted:
        raise ValidationError(_("This message was deleted."), code="deleted")
    return message


def message_editable(message: Message) -> bool:
    """Whether its author may still change the text: within DEALS_EDIT_WINDOW_MINUTES of sending."""
    window = datetime.timedelta(minutes=settings.DEALS_EDIT_WINDOW_MINUTES)
    return timezone.now() - message.created_at <= window


@transaction.atomic
def message_edit(*, message: Message, actor, text: str) -> Message:
    """The author changes their text within the edit window, while the conversation takes messages (not
    closed by a coordinator, not blocked). A coordinator's translation of the earlier text goes with it:
    it no longer says what the message says (the reader can ask for a translation again)."""
    message = _own_message(Message.objects.select_for_update().get(pk=message.pk), actor)
    _writable(message.conversation, message.company)
    if not message_editable(message):
        raise ValidationError(
            _("A message can be edited for %(minutes)s minutes after it is sent.")
            % {"minutes": settings.DEALS_EDIT_WINDOW_MINUTES},
            code="edit_window",
        )
    text = _check_text(text)
    if not text:
        raise ValidationError(_("Write a message or attach a file."), code="empty")
    if text == message.text:
        return message  # nothing changed: not marked "edited", its translations kept
    message.text, message.edited_at = text, timezone.now()
    message.language = detect_language(text, default=message.language)
    message.save(update_fields=["text", "edited_at", "language"])
    message.translations.all().delete()
    return message


@transaction.atomic
def message_delete(*, message: Message, actor) -> Message:
    """The text and files go; a "deleted" marker stays in their place."""
    message = _own_message(Message.objects.select_for_update().get(pk=message.pk), actor)
    for attachment in message.attachments.all():
        delete_file_on_commit(attachment.file)
    message.attachments.all().delete()
    message.translations.all().delete()
    message.text, message.deleted_at = "", timezone.now()
    message.save(update_fields=["text", "deleted_at"])
    return message


def conversation_mark_read(*, conversation: Conversation, user, up_to_id: int | None = None) -> int:
    """The user has read the conversation up to ``up_to_id`` (default: its last message); never backwards."""
    if up_to_id is None:
        up_to_id = conversation.messages.order_by("-pk").values_list("pk", flat=True).first() or 0
    state, _created = ReadState.objects.get_or_create(conversation=conversation, user=user)
    if up_to_id > state.last_read_id:
        ReadState.objects.filter(pk=state.pk, last_read_id__lt=up_to_id).update(last_read_id=up_to_id)
    return up_to_id


@transaction.atomic
def company_block_set(*, conversation: Conversation, actor, kind: str) -> CompanyBlock | None:
    """Mute, block, or ("none") lift either, for the actor's company against the other one. Nothing is
    deleted and the other company is not told."""
    company = _acting_company(actor, conversation)
    other = conversation.other_company(company.pk)
    if kind == "none":
        CompanyBlock.objects.filter(company=company, other=other).delete()
        return None
    if kind not in BlockKind.values:
        raise ValidationError(_("Choose mute, block or neither."), code="kind")
    block, _created = CompanyBlock.objects.update_or_create(
        company=company, other=other, defaults={"kind": kind, "actor": actor}
    )
    return block


def messages_purge_expired() -> int:
    """Retention (``DEALS_RETENTION_DAYS``, 0 = keep): older messages lose their text and files."""
    days = settings.DEALS_RETENTION_DAYS
    if days <= 0:
        return 0
    cutoff = timezone.now() - datetime.timedelta(days=days)
    old = Message.objects.filter(created_at__lt=cutoff, deleted_at=None)
    Attachment.objects.filter(message__in=old).delete()  # files go after commit (connect_file_cleanup)
    MessageTranslation.objects.filter(message__in=old).delete()
    return old.update(text="", deleted_at=timezone.now())
