"""Abuse reports, coordinator invitations and reads, closing, and translations added by hand."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import (
    AbuseReport,
    Conversation,
    ConversationStatus,
    CoordinatorInvite,
    CoordinatorRead,
    Message,
    MessageTranslation,
    RequestKind,
)
from deals.services.helpers import (
    _acting_company,
    _check_text,
    _coordinators,
    _tell_members,
    _url,
)
from deals.text import LANGUAGES
from portal.notifications.kinds import each_language
from portal.notifications.services import notification_send, notifications_settle


# --- reports, coordinators ------------------------------------------------------------------------------
@transaction.atomic
def abuse_report(*, conversation: Conversation, actor, reason: str) -> AbuseReport:
    company = _acting_company(actor, conversation)
    reason = _check_text(reason)
    if not reason:
        raise ValidationError(_("Say what happened."), code="empty")
    report = AbuseReport.objects.create(
        conversation=conversation, company=company, reporter=actor, reason=reason
    )
    notification_send(
        kind="deals.abuse_reported",
        recipients=_coordinators(),
        target=conversation,
        url=reverse("deals:desk"),
        context={"company": each_language(company)},
        actor=actor,
    )
    return report


@transaction.atomic
def abuse_report_resolve(*, report: AbuseReport, actor, close: bool = False) -> AbuseReport:
    report.resolved_at, report.resolved_by = timezone.now(), actor
    report.save(update_fields=["resolved_at", "resolved_by", "updated_at"])
    if not AbuseReport.objects.filter(conversation_id=report.conversation_id, resolved_at=None).exists():
        notifications_settle(kind="deals.abuse_reported", model=Conversation, ids=[report.conversation_id])
    if close:
        conversation_close(conversation=report.conversation, actor=actor)
    return report


@transaction.atomic
def conversation_close(*, conversation: Conversation, actor) -> Conversation:
    """A coordinator closes the conversation: both companies can read it, no longer write in it
    (``helpers._writable``), and their members are told, each with the other company's name."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.status == ConversationStatus.CLOSED:
        return conversation  # closed once, told once
    conversation.status = ConversationStatus.CLOSED
    conversation.save(update_fields=["status", "updated_at"])
    # Its open requests for a coordinator's help end with it (the desk no longer lists them), at the moment
    # of the closing, so that reopening the conversation can bring them back.
    conversation.invites.filter(closed_at=None).update(closed_at=conversation.updated_at)
    notifications_settle(kind="deals.help_requested", model=Conversation, ids=[conversation.pk])
    _tell_both_sides("deals.conversation_closed", conversation, actor)
    return conversation


@transaction.atomic
def conversation_reopen(*, conversation: Conversation, actor) -> Conversation:
    """A coordinator reopens a conversation they closed: both companies can write again, "closed" no
    longer stands in their bells, their members are told, and the requests for a coordinator's help that
    the closing ended are open again."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.status == ConversationStatus.OPEN:
        return conversation  # reopened once, told once
    # The requests for help that the closing ended wait on the desk again (and in the to-do of the
    # coordinator who had taken one); a request closed by a coordinator stays closed.
    if not conversation.invites.filter(closed_at=None).exists():
        conversation.invites.filter(closed_at=conversation.updated_at).update(closed_at=None)
    conversation.status = ConversationStatus.OPEN
    conversation.save(update_fields=["status", "updated_at"])
    notifications_settle(kind="deals.conversation_closed", model=Conversation, ids=[conversation.pk])
    _tell_both_sides("deals.conversation_reopened", conversation, actor)
    return conversation


def _tell_both_sides(kind: str, conversation: Conversation, actor) -> None:
    """``kind`` to each side's members, naming the other company; once per closing or reopening (a
    conversation may be closed again after it was reopened: the key holds the moment of this one)."""
    moment = conversation.updated_at.isoformat()
    for own, other in (
        (conversation.thai_company, conversation.japanese_company),
        (conversation.japanese_company, conversation.thai_company),
    ):
        _tell_members(
            kind, conversation=conversation, company_id=own.pk, about=other, actor=actor,
            key=f"{kind}:{conversation.pk}:{own.pk}:{moment}",
        )  # fmt: skip


@transaction.atomic
def coordinator_invite(*, conversation: Conversation, actor, kind: str, note: str = "") -> CoordinatorInvite:
    """A side asks a coordinator to join: for help, or to interpret. Coordinators are notified."""
    company = _acting_company(actor, conversation)
    if kind not in RequestKind.values:
        raise ValidationError(_("Choose help or interpretation."), code="kind")
    if conversation.invites.filter(closed_at=None).exists():
        raise ValidationError(_("A coordinator has already been asked to join."), code="already_asked")
    invite = CoordinatorInvite.objects.create(
        conversation=conversation, company=company, requested_by=actor, kind=kind, note=_check_text(note)
    )
    notification_send(
        kind="deals.help_requested",
        recipients=_coordinators(),
        target=conversation,
        url=_url(conversation),
        context={"company": each_language(company)},
        actor=actor,
        dedupe_key=f"deals.invite:{invite.pk}",
    )
    return invite


@transaction.atomic
def coordinator_invite_take(*, invite: CoordinatorInvite, actor) -> CoordinatorInvite:
    invite.coordinator = actor
    invite.save(update_fields=["coordinator", "updated_at"])
    # Taken by one coordinator: the request for help waits for no other.
    notifications_settle(kind="deals.help_requested", model=Conversation, ids=[invite.conversation_id])
    return invite


@transaction.atomic
def coordinator_invite_close(*, invite: CoordinatorInvite, actor) -> CoordinatorInvite:
    invite.closed_at = timezone.now()
    invite.coordinator = invite.coordinator or actor
    invite.save(update_fields=["closed_at", "coordinator", "updated_at"])
    return invite


def coordinator_read_record(*, conversation: Conversation, coordinator, reason: str) -> CoordinatorRead:
    return CoordinatorRead.objects.create(conversation=conversation, coordinator=coordinator, reason=reason)


@transaction.atomic
def translation_add(*, message: Message, actor, language: str, text: str) -> MessageTranslation:
    """A coordinator's translation under a message (one per language; a new one replaces it)."""
    if language not in LANGUAGES:
        raise ValidationError(_("Choose Thai, Japanese or English."), code="language")
    if message.is_deleted:
        raise ValidationError(_("This message was deleted."), code="deleted")
    if language == message.language:
        raise ValidationError(_("The message is already in this language."), code="same_language")
    text = _check_text(text)
    if not text:
        raise ValidationError(_("Write the translation."), code="empty")
    translation, _created = MessageTranslation.objects.update_or_create(
        message=message, language=language, defaults={"text": text, "author": actor}
    )
    return translation
