"""Reads of the deals app, scoped to a user (missing or not allowed → Http404)."""

import datetime
from dataclasses import dataclass

import rules
from django.conf import settings
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from deals.models import (
    AbuseReport,
    Attachment,
    CompanyBlock,
    Conversation,
    CoordinatorInvite,
    CoordinatorRead,
    Message,
    MessageTranslation,
    Proposal,
    ProposalStatus,
    ReadState,
)
from deals.rules import coordinator_access_reason, member_company_ids
from matching.reasons_text import own_readiness_apart, proposal_reasons, render_reason, render_reasons
from matching.selectors import pair_scores
from portal.companies.models import Membership
from portal.core.pagination import Queue
from portal.postings.models import NEED_TYPES, Posting
from portal.taxonomy.models import Industry

PAGE_SIZE = 50


def conversation_list_for_user(*, user):
    """The conversations of the user's companies, latest activity first, each with ``unread`` (its
    messages from the other company after what the user has read). One query: the read state is looked up
    once per conversation, then the unread messages are counted on the (conversation, id) index."""
    ids = list(member_company_ids(user))
    if not ids:
        return Conversation.objects.none()
    last_read = ReadState.objects.filter(conversation=OuterRef("pk"), user=user).values("last_read_id")[:1]
    unread = (
        Message.objects.filter(conversation=OuterRef("pk"), deleted_at=None, pk__gt=OuterRef("last_read"))
        .exclude(company_id__in=ids)
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Conversation.objects.filter(Q(thai_company_id__in=ids) | Q(japanese_company_id__in=ids))
        .select_related("thai_company", "japanese_company")
        .annotate(last_read=Coalesce(Subquery(last_read), Value(0), output_field=IntegerField()))
        .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))
        .order_by(F("last_message_at").desc(nulls_last=True), "-pk")
    )


def unread_count_for_user(*, user) -> int:
    """Unread messages in all the user's conversations (one query; for the header and the poll)."""
    if not member_company_ids(user):
        return 0
    rows = conversation_list_for_user(user=user).order_by().select_related(None)
    return rows.aggregate(total=Sum("unread"))["total"] or 0


def conversation_get_for_user(*, user, pk: int) -> Conversation:
    """The conversation, with ``help_asked_at``: when its open request for a coordinator was made (None
    without one), ``accepted_proposal_pk``: the latest proposal accepted into it (its price, lead time
    and files are one click away), and ``thai_staffed``/``japanese_staffed``: whether the company has a
    member on the portal (nobody reads a company's messages once its last member left), all in the same
    query (the page says so instead of offering to ask again)."""
    open_invites = CoordinatorInvite.objects.filter(conversation=OuterRef("pk"), closed_at=None)
    accepted = Proposal.objects.filter(conversation=OuterRef("pk"), status=ProposalStatus.ACCEPTED)
    conversation = (
        Conversation.objects.select_related("thai_company", "japanese_company")
        .annotate(
            help_asked_at=Subquery(open_invites.order_by("created_at").values("created_at")[:1]),
            accepted_proposal_pk=Subquery(accepted.order_by("-decided_at", "-pk").values("pk")[:1]),
            thai_staffed=Exists(Membership.objects.filter(company=OuterRef("thai_company_id"))),
            japanese_staffed=Exists(Membership.objects.filter(company=OuterRef("japanese_company_id"))),
        )
        .filter(pk=pk)
        .first()
    )
    if conversation is None or not rules.has_perm("deals.view_conversation", user, conversation):
        raise Http404
    return conversation


def conversation_get_for_member(*, user, pk: int) -> Conversation:
    conversation = conversation_get_for_user(user=user, pk=pk)
    if not rules.has_perm("deals.act_on_conversation", user, conversation):
        raise Http404
    return conversation


def coordinator_reason(*, user, conversation) -> str:
    """Why a coordinator reads this conversation ("" for a member of it)."""
    if rules.has_perm("deals.act_on_conversation", user, conversation):
        return ""
    return coordinator_access_reason(user, conversation)


def _related(messages):
    """Attachments and translations of ``messages`` as plain lists (``attachment_list``,
    ``translation_list``): one query each. ``to_attr`` keeps Django from building a related queryset per
    message (a clone per message and relation: a third of the conversation page's time at 50 messages)."""
    return messages.prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"), to_attr="attachment_list"),
        Prefetch(
            "translations",
            queryset=MessageTranslation.objects.select_related("author").order_by("pk"),
            to_attr="translation_list",
        ),
    )


def message_list(
    *, conversation, before: int | None = None, after: int | None = None, limit: int = PAGE_SIZE
):
    """A page of messages, oldest first: the latest ``limit`` (before ``before``), or those after
    ``after`` (the poll). Author joined; attachments and translations in two more queries; each message's
    company is one of the conversation's two (no join, no copy of the company per message)."""
    messages = _related(conversation.messages.select_related("author"))
    if after is not None:
        page = list(messages.filter(pk__gt=after).order_by("pk")[:limit])
    else:
        if before is not None:
            messages = messages.filter(pk__lt=before)
        page = list(messages.order_by("-pk")[:limit])
        page.reverse()
    companies = {c.pk: c for c in (conversation.thai_company, conversation.japanese_company)}
    for message in page:
        message.company = companies[message.company_id]
    return page


def message_with_related(*, message: Message) -> Message:
    """One message as ``message_list`` gives it (for the API's answer to a new message)."""
    return _related(Message.objects.select_related("author", "company")).get(pk=message.pk)


def message_get_for_user(*, user, pk: int) -> Message:
    message = Message.objects.select_related("conversation").filter(pk=pk).first()
    if message is None or not rules.has_perm("deals.view_conversation", user, message.conversation):
        raise Http404
    return message


def attachment_get_for_user(*, user, pk: int) -> Attachment:
    """A file of a message (both companies and a coordinator who may read the conversation) or of a
    proposal (both companies and coordinators)."""
    attachment = (
        Attachment.objects.select_related("message__conversation", "proposal__posting").filter(pk=pk).first()
    )
    if attachment is None:
        raise Http404
    if attachment.message_id:
        allowed = rules.has_perm("deals.view_conversation", user, attachment.message.conversation)
    else:
        allowed = rules.has_perm("deals.view_proposal", user, attachment.proposal)
    if not allowed:
        raise Http404
    return attachment


def block_state(*, conversation, company_id: int) -> str:
    """ "mute", "block" or "" — what ``company_id`` set against the other company."""
    other = (
        conversation.japanese_company_id
        if company_id == conversation.thai_company_id
        else conversation.thai_company_id
    )
    return (
        CompanyBlock.objects.filter(company_id=company_id, other_id=other)
        .values_list("kind", flat=True)
        .first()
        or ""
    )


@dataclass
class ReadVisit:
    """A coordinator's reads of a conversation on one day, as the companies see them: every page load is
    recorded (``CoordinatorRead``), but eleven loads in five minutes are one visit to a reader."""

    coordinator: object
    first: datetime.datetime
    last: datetime.datetime
    count: int


def coordinator_reads(*, conversation, limit: int = 200) -> list[ReadVisit]:
    """The latest reads (at most ``limit``), one entry per coordinator and day, the latest first."""
    visits: dict[tuple, ReadVisit] = {}
    reads = CoordinatorRead.objects.filter(conversation=conversation).select_related("coordinator")[:limit]
    for read in reads:  # the latest first (CoordinatorRead.Meta.ordering)
        key = (read.coordinator_id, timezone.localdate(read.at))
        visit = visits.get(key)
        if visit is None:
            visits[key] = ReadVisit(read.coordinator, read.at, read.at, 1)
        else:
            visit.first, visit.count = read.at, visit.count + 1
    return list(visits.values())


# --- proposals ------------------------------------------------------------------------------------------
def need_get_for_proposer(*, user, pk: int) -> Posting:
    """A live need posting the user may answer (a member of a company; the service checks the country)."""
    posting = Posting.objects.select_related("company").filter(pk=pk, type__in=NEED_TYPES).first()
    if (
        posting is None
        or not member_company_ids(user)
        or not rules.has_perm("postings.see_posting", user, posting)
    ):
        raise Http404
    return posting


def need_get_for_poster(*, user, pk: int) -> Posting:
    posting = Posting.objects.select_related("company").filter(pk=pk, type__in=NEED_TYPES).first()
    if posting is None or not rules.has_perm("deals.view_need_proposals", user, posting):
        raise Http404
    return posting


def proposal_get_for_user(*, user, pk: int) -> Proposal:
    proposal = (
        Proposal.objects.select_related("posting", "posting__company", "company", "conversation")
        .filter(pk=pk)
        .first()
    )
    if proposal is None or not rules.has_perm("deals.view_proposal", user, proposal):
        raise Http404
    return proposal


def proposal_sent(*, posting, company) -> Proposal | None:
    """The proposal ``company`` sent on ``posting`` and did not withdraw (one per company and need), or
    None."""
    return (
        Proposal.objects.filter(posting=posting, company=company)
        .exclude(status=ProposalStatus.WITHDRAWN)
        .first()
    )


def proposal_counts(*, posting) -> dict[str, int]:
    """How many proposals ``posting`` has (``total``, the withdrawn left out) and how many wait for its
    company's answer (``waiting``): one query, for the need's page before the poster opens the list."""
    return Proposal.objects.filter(posting=posting).aggregate(
        total=Count("pk", filter=~Q(status=ProposalStatus.WITHDRAWN)),
        waiting=Count("pk", filter=Q(status=ProposalStatus.SUBMITTED)),
    )


def proposals_sent_by(*, company_ids):
    """The proposals the companies sent, the latest first, with their needs and the needs' companies."""
    return (
        Proposal.objects.filter(company_id__in=company_ids)
        .select_related("posting", "posting__company")
        .order_by("-created_at", "-pk")
    )


def proposal_list_for_user(*, user):
    """Proposals the user's companies sent or received (coordinators: all)."""
    proposals = Proposal.objects.select_related("posting", "posting__company", "company")
    if rules.has_perm("deals.access_desk", user):
        return proposals
    ids = list(member_company_ids(user))
    return proposals.filter(Q(company_id__in=ids) | Q(posting__company_id__in=ids))


@dataclass
class RankedProposal:
    proposal: Proposal
    score: float | None
    reasons: list[str]  # the pair's, without the poster's own readiness (the same on every card)
    own_readiness: str = ""  # the poster's Shindan readiness, as a reason line; said once above the list


def proposal_list_for_need(*, user, posting) -> list[RankedProposal]:
    """The need's proposals ranked by their match score with the poster (reasons from the poster's side);
    proposals from companies outside both top-k lists come last, newest first. Five queries."""
    proposals = list(
        Proposal.objects.filter(posting=posting)
        .select_related("company", "company__region")
        .prefetch_related("capabilities", "certificates__certification", "attachments")
        .order_by("-created_at", "-pk")
    )
    scores = pair_scores([posting.company_id], [p.company_id for p in proposals])
    today = timezone.localdate()
    ranked = []
    for proposal in proposals:
        match = scores.get((posting.company_id, proposal.company_id))
        reasons, own = own_readiness_apart(
            proposal_reasons(match, viewer_id=posting.company_id) if match else []
        )
        for certificate in proposal.certificates.all():
            certificate.is_expired = certificate.expires_on is not None and certificate.expires_on < today
        ranked.append(
            RankedProposal(
                proposal=proposal,
                score=match.score if match else None,  # rounded once, where it is shown (59.46: 59, not 60)
                reasons=render_reasons(reasons),
                own_readiness=render_reason(own) if own else "",
            )
        )
    # Withdrawn proposals last: they wait for no answer (a company that withdrew and sent again has both).
    ranked.sort(
        key=lambda row: (
            row.proposal.status == ProposalStatus.WITHDRAWN,
            row.score is None,
            -(row.score or 0),
        )
    )
    return ranked


# --- coordinator desk -------------------------------------------------------------------------------------
DESK_QUEUE_ROWS = 100  # of each queue, the oldest first; the desk says how many wait in all
DESK_NEEDS_ROWS = 50  # needs with the most open proposals


def desk_for_coordinator(*, user) -> dict:
    """The coordinators' desk: help requests, abuse reports and quiet conversations, the oldest first, and
    the needs with the most open proposals; each a ``Queue`` (its first rows and how many wait)."""
    if not rules.has_perm("deals.access_desk", user):
        raise Http404
    quiet_since = timezone.now() - datetime.timedelta(days=settings.DEALS_UNANSWERED_DAYS)
    open_by_need = (
        Posting.objects.filter(
            deal_proposals__status__in=[ProposalStatus.SUBMITTED, ProposalStatus.SHORTLISTED]
        )
        .select_related("company")
        .annotate(open_proposals=Count("deal_proposals"))
        .order_by("-open_proposals", "pk")
    )
    open_proposals = Proposal.objects.filter(
        status__in=[ProposalStatus.SUBMITTED, ProposalStatus.SHORTLISTED]
    )
    by_industry = dict(
        open_proposals.filter(posting__industries__isnull=False)
        .values_list("posting__industries")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    industries = {i.pk: i for i in Industry.objects.filter(pk__in=list(by_industry))}
    return {
        "by_industry": sorted(
            ((industries[pk].name(), n) for pk, n in by_industry.items()), key=lambda row: (-row[1], row[0])
        ),
        "invites": Queue.of(
            CoordinatorInvite.objects.filter(closed_at=None)
            .select_related(
                "conversation__thai_company", "conversation__japanese_company", "company", "coordinator"
            )
            .order_by("created_at"),
            DESK_QUEUE_ROWS,
        ),
        "reports": Queue.of(
            AbuseReport.objects.filter(resolved_at=None)
            .select_related("conversation__thai_company", "conversation__japanese_company", "company")
            .order_by("created_at"),
            DESK_QUEUE_ROWS,
        ),
        "unanswered": Queue.of(
            Conversation.objects.filter(status="open", last_message_at__lt=quiet_since)
            .select_related("thai_company", "japanese_company", "last_message_company")
            .order_by("last_message_at"),
            DESK_QUEUE_ROWS,
        ),
        "needs": Queue.of(open_by_need, DESK_NEEDS_ROWS),
        "unanswered_days": settings.DEALS_UNANSWERED_DAYS,
    }
