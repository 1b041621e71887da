"""Writes of the deals app: conversations, messages, blocks, reports, coordinator invitations, reads and
translations, the pipeline, and proposals on needs. Keyword-only, atomic; refusals are
``ValidationError(..., code=...)`` with a translated message."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.files import check_upload, content_type
from deals.models import (
    AbuseReport,
    Attachment,
    BlockKind,
    CompanyBlock,
    Conversation,
    ConversationStatus,
    CoordinatorInvite,
    CoordinatorRead,
    Message,
    MessageKind,
    MessageTranslation,
    Origin,
    Proposal,
    ProposalStatus,
    ReadState,
    RequestKind,
)
from deals.rules import member_company_ids
from deals.text import LANGUAGES, detect_language
from matching.models import Introduction, IntroductionStage, MatchProposal
from portal.accounts.models import Role, User
from portal.accounts.rules import GROUP_FOR_ROLE
from portal.companies.models import Company
from portal.core.storage import delete_file_on_commit
from portal.notifications.services import notification_send
from portal.postings.models import NEED_TYPES, PostingStatus

MAX_MESSAGE_CHARS = 10_000


# --- helpers ------------------------------------------------------------------------------------------
def _pair(company: Company, partner: Company) -> tuple[Company, Company]:
    return (company, partner) if company.country == "TH" else (partner, company)


def _members(company_id: int):
    return User.objects.filter(memberships__company_id=company_id, is_active=True)


def _coordinators():
    return User.objects.filter(groups__name=GROUP_FOR_ROLE[Role.COORDINATOR], is_active=True)


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


# --- conversations ------------------------------------------------------------------------------------
def _counts_toward_cap(company: Company, partner: Company) -> bool:
    """Not recommended either way, no proposal answering the partner's postings, no introduction."""
    recommended = MatchProposal.objects.filter(
        Q(company=company, partner=partner) | Q(company=partner, partner=company)
    ).exists()
    answered = Proposal.objects.filter(company=company, posting__company=partner).exists()
    thai, japanese = _pair(company, partner)
    introduced = Introduction.objects.filter(thai_company=thai, japanese_company=japanese).exists()
    return not (recommended or answered or introduced)


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
    other = conversation.other_company(company.pk)
    if not _muted_by(other.pk, company.pk):
        notification_send(
            kind="deals.message",
            recipients=_members(other.pk),
            target=conversation,
            url=_url(conversation),
            context={"company": company.display_name()},
            actor=actor,
            dedupe_key=f"deals.message:{message.pk}",
        )
    return message


def _own_message(message: Message, actor) -> Message:
    if message.author_id != actor.pk or message.kind != MessageKind.TEXT:
        raise ValidationError(_("You can change only your own messages."), code="not_author")
    if message.is_deleted:
        raise ValidationError(_("This message was deleted."), code="deleted")
    return message


@transaction.atomic
def message_edit(*, message: Message, actor, text: str) -> Message:
    message = _own_message(Message.objects.select_for_update().get(pk=message.pk), actor)
    window = datetime.timedelta(minutes=settings.DEALS_EDIT_WINDOW_MINUTES)
    if timezone.now() - message.created_at > window:
        raise ValidationError(
            _("A message can be edited for %(minutes)s minutes after it is sent.")
            % {"minutes": settings.DEALS_EDIT_WINDOW_MINUTES},
            code="edit_window",
        )
    text = _check_text(text)
    if not text:
        raise ValidationError(_("Write a message or attach a file."), code="empty")
    message.text, message.edited_at = text, timezone.now()
    message.language = detect_language(text, default=message.language)
    message.save(update_fields=["text", "edited_at", "language"])
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
        context={"company": company.display_name()},
        actor=actor,
    )
    return report


@transaction.atomic
def abuse_report_resolve(*, report: AbuseReport, actor, close: bool = False) -> AbuseReport:
    report.resolved_at, report.resolved_by = timezone.now(), actor
    report.save(update_fields=["resolved_at", "resolved_by", "updated_at"])
    if close:
        conversation_close(conversation=report.conversation, actor=actor)
    return report


@transaction.atomic
def conversation_close(*, conversation: Conversation, actor) -> Conversation:
    conversation.status = ConversationStatus.CLOSED
    conversation.save(update_fields=["status", "updated_at"])
    return conversation


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
        context={"company": company.display_name()},
        actor=actor,
        dedupe_key=f"deals.invite:{invite.pk}",
    )
    return invite


@transaction.atomic
def coordinator_invite_take(*, invite: CoordinatorInvite, actor) -> CoordinatorInvite:
    invite.coordinator = actor
    invite.save(update_fields=["coordinator", "updated_at"])
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


# --- pipeline -----------------------------------------------------------------------------------------
PIPELINE_STEPS = {
    "nda": IntroductionStage.NDA,
    "samples": IntroductionStage.SAMPLES,
    "order": IntroductionStage.ORDER,
    "joint_venture": IntroductionStage.JOINT_VENTURE,
    "no_deal": IntroductionStage.NO_DEAL,
}
# The step's outcome for matching.services.introduction_from_meeting (which walks the allowed stages).
_OUTCOMES = {
    "nda": "nda",
    "samples": "samples",
    "order": "order",
    "joint_venture": "joint_venture",
    "no_deal": "no_interest",
}


@transaction.atomic
def conversation_mark_step(*, conversation: Conversation, actor, step: str, reason: str = "") -> Introduction:
    """Either side marks "NDA signed", "samples/RFQ sent", "order", "joint venture" or "no deal" (with a
    reason): the pair's introduction (created if needed) moves through the allowed stages, and the step is
    written into the conversation for both sides."""
    from matching.services import introduction_from_meeting

    company = _acting_company(actor, conversation)
    if step not in PIPELINE_STEPS:
        raise ValidationError(_("Choose a step of the pipeline."), code="step")
    reason = _check_text(reason)
    if step == "no_deal" and not reason:
        raise ValidationError(_("Say why there is no deal."), code="reason_required")
    introduction = Introduction.objects.filter(
        thai_company=conversation.thai_company, japanese_company=conversation.japanese_company
    ).first()
    target = PIPELINE_STEPS[step]
    if introduction is not None and introduction.stage == target:
        raise ValidationError(_("The pipeline is already at this step."), code="same_step")
    if introduction is not None and introduction.stage in (
        IntroductionStage.NO_DEAL,
        IntroductionStage.JOINT_VENTURE,
        IntroductionStage.DECLINED,
    ):
        raise ValidationError(_("This pipeline has ended; a coordinator can reopen it."), code="ended")
    introduction = introduction_from_meeting(
        thai=conversation.thai_company,
        japanese=conversation.japanese_company,
        outcome=_OUTCOMES[step],
        actor=actor,
        note=reason,
    )
    if introduction.stage != target:
        raise ValidationError(
            _("The pipeline cannot move from “%(old)s” to “%(new)s”.")
            % {"old": introduction.get_stage_display(), "new": target.label},
            code="invalid_transition",
        )
    Message.objects.create(
        conversation=conversation,
        author=actor,
        company=company,
        kind=MessageKind.EVENT,
        step=step,
        text=reason,
        language=detect_language(reason, default=actor.language or "en"),
    )
    return introduction


# --- proposals on needs -------------------------------------------------------------------------------
def _check_posting_open(posting) -> None:
    if posting.type not in NEED_TYPES:
        raise ValidationError(_("Proposals can be sent only on needs."), code="not_a_need")
    today = timezone.localdate()
    if posting.expires_on is not None and posting.expires_on < today:
        raise ValidationError(
            _("This need closed for proposals on %(date)s: proposals are no longer accepted.")
            % {"date": posting.expires_on.isoformat()},
            code="closed",
        )
    if posting.status != PostingStatus.PUBLISHED or posting.is_hidden or not posting.company.is_verified:
        raise ValidationError(_("This need is not open for proposals."), code="not_open")


@transaction.atomic
def proposal_submit(
    *,
    posting,
    company: Company,
    actor,
    offer: str,
    lead_time_days: int,
    capabilities=(),
    certificates=(),
    price_min=None,
    price_max=None,
    currency: str = "",
    files=(),
) -> Proposal:
    """A company of the other country proposes on a published need (once per need). Capabilities and
    certificates come from its own profile; the poster's members are notified."""
    if company.pk not in member_company_ids(actor):
        raise ValidationError(_("Only members of the company can propose for it."), code="not_member")
    _check_posting_open(posting)
    if company.country == posting.company.country:
        raise ValidationError(_("Proposals come from companies of the other country."), code="same_country")
    if not company.is_verified:
        raise ValidationError(_("Your company must be verified before it can propose."), code="not_verified")
    _refuse_if_blocked(company.pk, posting.company_id)
    offer = _check_text(offer)
    if not offer:
        raise ValidationError(
            {"offer": ValidationError(_("Say what you offer for this need."), code="empty")}
        )
    if lead_time_days is None or lead_time_days < 0 or lead_time_days > 3650:
        raise ValidationError(
            {
                "lead_time_days": ValidationError(
                    _("Give a lead time between 0 and 3650 days."), code="lead_time"
                )
            }
        )
    if (price_min is not None or price_max is not None) and not currency:
        raise ValidationError(
            {"currency": ValidationError(_("Choose the currency of the price."), code="currency")}
        )
    if price_min is not None and price_max is not None and price_min > price_max:
        raise ValidationError(
            {"price_max": ValidationError(_("The upper price is below the lower one."), code="price_range")}
        )
    own_capabilities = set(company.capabilities.values_list("pk", flat=True))
    capabilities = list(capabilities)
    if any(c.pk not in own_capabilities for c in capabilities):
        raise ValidationError(
            {
                "capabilities": ValidationError(
                    _("Choose capabilities from your company's profile."), code="capabilities"
                )
            }
        )
    certificates = list(certificates)
    if any(c.company_id != company.pk for c in certificates):
        raise ValidationError(
            {
                "certificates": ValidationError(
                    _("Choose certificates from your company's profile."), code="certificates"
                )
            }
        )
    if Proposal.objects.filter(posting=posting, company=company).exists():
        raise ValidationError(_("Your company has already sent a proposal for this need."), code="duplicate")
    proposal = Proposal.objects.create(
        posting=posting,
        company=company,
        author=actor,
        offer=offer,
        lead_time_days=lead_time_days,
        price_min=price_min,
        price_max=price_max,
        currency=currency,
        language=detect_language(offer, default=actor.language or "en"),
    )
    proposal.capabilities.set(capabilities)
    proposal.certificates.set(certificates)
    _attach(files, actor=actor, proposal=proposal)
    notification_send(
        kind="deals.proposal_received",
        recipients=_members(posting.company_id),
        target=proposal,
        url=reverse("deals:need_proposals", kwargs={"posting_pk": posting.pk}),
        context={"company": company.display_name(), "need": posting.title()},
        actor=actor,
    )
    return proposal


PROPOSAL_DECISIONS = {
    ProposalStatus.SUBMITTED: {ProposalStatus.SHORTLISTED, ProposalStatus.DECLINED, ProposalStatus.ACCEPTED},
    ProposalStatus.SHORTLISTED: {ProposalStatus.DECLINED, ProposalStatus.ACCEPTED},
    ProposalStatus.DECLINED: set(),
    ProposalStatus.ACCEPTED: set(),
}


@transaction.atomic
def proposal_decide(*, proposal: Proposal, actor, status: str, reason: str = "") -> Proposal:
    """The poster shortlists, declines (with a reason the proposer reads in its language's notification)
    or accepts a proposal; accepting opens the pair's conversation and tells the coordinators."""
    from portal.core.transitions import Transitions

    proposal = (
        Proposal.objects.select_for_update()
        .select_related("posting", "posting__company", "company")
        .get(pk=proposal.pk)
    )
    if proposal.posting.company_id not in member_company_ids(actor):
        raise ValidationError(_("Only the need's company decides on its proposals."), code="not_member")
    Transitions(
        ProposalStatus, PROPOSAL_DECISIONS, message=_("A proposal cannot move from “%(from)s” to “%(to)s”.")
    ).check(proposal.status, status)
    reason = _check_text(reason)
    if status == ProposalStatus.DECLINED and not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Give the proposer a reason."), code="reason_required")}
        )
    proposal.status, proposal.decided_by, proposal.decided_at = status, actor, timezone.now()
    proposal.decline_reason = reason if status == ProposalStatus.DECLINED else ""
    url = reverse("deals:proposal", kwargs={"pk": proposal.pk})
    context = {
        "company": proposal.posting.company.display_name(),
        "need": proposal.posting.title(),
        "reason": reason,
    }
    if status == ProposalStatus.ACCEPTED:
        conversation, _created = conversation_open(
            company=proposal.posting.company, partner=proposal.company, actor=actor, origin=Origin.PROPOSAL
        )
        if conversation.status == ConversationStatus.CLOSED:
            raise ValidationError(_("A coordinator closed this conversation."), code="closed_by_coordinator")
        proposal.conversation = conversation
        url = _url(conversation)
        notification_send(
            kind="deals.proposal_accepted_coordinators",
            recipients=_coordinators(),
            target=proposal,
            url=reverse("deals:desk"),
            context=context,
            actor=actor,
        )
    proposal.save()
    notification_send(
        kind=f"deals.proposal_{status}",
        recipients=_members(proposal.company_id),
        target=proposal,
        url=url,
        context=context,
        actor=actor,
        dedupe_key=f"deals.proposal:{proposal.pk}:{status}",
    )
    return proposal


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
