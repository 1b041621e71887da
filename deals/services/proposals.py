"""Proposals on needs: submit, decide, and withdraw (by the company that sent one, before an answer)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import (
    OPEN_PROPOSAL_STATUSES,
    ConversationStatus,
    Origin,
    PriceBasis,
    Proposal,
    ProposalStatus,
)
from deals.rules import member_company_ids
from deals.services.conversations import conversation_open
from deals.services.helpers import (
    _attach,
    _check_text,
    _coordinators,
    _members,
    _refuse_if_blocked,
    _url,
)
from deals.text import detect_language
from portal.companies.models import Company
from portal.notifications.kinds import each_language
from portal.notifications.services import notification_send, notifications_settle
from portal.postings.models import NEED_TYPES, PostingStatus


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
    price_basis: str = "",
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
    _check_price(price_min, price_max, currency, price_basis)
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
    if (
        Proposal.objects.filter(posting=posting, company=company)
        .exclude(status=ProposalStatus.WITHDRAWN)
        .exists()
    ):
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
        price_basis=price_basis,
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
        context={"company": each_language(company), "need": each_language(posting, "title")},
        actor=actor,
    )
    return proposal


PROPOSAL_DECISIONS = {
    ProposalStatus.SUBMITTED: {ProposalStatus.SHORTLISTED, ProposalStatus.DECLINED, ProposalStatus.ACCEPTED},
    ProposalStatus.SHORTLISTED: {ProposalStatus.DECLINED, ProposalStatus.ACCEPTED},
    ProposalStatus.DECLINED: set(),
    ProposalStatus.ACCEPTED: set(),
    ProposalStatus.WITHDRAWN: set(),
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
        "company": each_language(proposal.posting.company),
        "need": each_language(proposal.posting, "title"),
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
            url=reverse("deals:proposal", kwargs={"pk": proposal.pk}),  # the desk lists only waiting ones
            context=context,
            actor=actor,
        )
    proposal.save()
    # Decided by one member: "a proposal was received" waits for none of them any more.
    notifications_settle(kind="deals.proposal_received", model=Proposal, ids=[proposal.pk])
    if status != ProposalStatus.SHORTLISTED:  # "shortlisted" is superseded by the final answer below
        notifications_settle(kind="deals.proposal_shortlisted", model=Proposal, ids=[proposal.pk])
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


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, actor) -> Proposal:
    """The company that sent a proposal takes it back before an answer (received or shortlisted): the need's
    company is told, nothing waits for it any more, and the proposer may send a new proposal on the need
    while it is open (the withdrawn one stays in the need's list, marked so)."""
    proposal = (
        Proposal.objects.select_for_update()
        .select_related("posting", "posting__company", "company")
        .get(pk=proposal.pk)
    )
    if proposal.company_id not in member_company_ids(actor):
        raise ValidationError(_("Only the company that sent a proposal can withdraw it."), code="not_member")
    if proposal.status not in OPEN_PROPOSAL_STATUSES:
        raise ValidationError(
            _("This proposal is already answered (“%(status)s”): it can no longer be withdrawn.")
            % {"status": proposal.get_status_display()},
            code="invalid_transition",
        )
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    ids = [proposal.pk]
    for kind in ("deals.proposal_received", "deals.proposal_shortlisted"):
        notifications_settle(kind=kind, model=Proposal, ids=ids)
    notification_send(
        kind="deals.proposal_withdrawn",
        recipients=_members(proposal.posting.company_id),
        target=proposal,
        url=reverse("deals:need_proposals", kwargs={"posting_pk": proposal.posting_id}),
        context={
            "company": each_language(proposal.company),
            "need": each_language(proposal.posting, "title"),
        },
        actor=actor,
        dedupe_key=f"deals.proposal:{proposal.pk}:withdrawn",
    )
    return proposal


def _check_price(price_min, price_max, currency: str, price_basis: str) -> None:
    """The price's rules, every broken one at once on its field (a form shows them all in one round)."""
    errors = {}
    priced = price_min is not None or price_max is not None
    if priced and not currency:
        errors["currency"] = ValidationError(_("Choose the currency of the price."), code="currency")
    if price_basis and price_basis not in PriceBasis.values:
        errors["price_basis"] = ValidationError(_("Choose what the price is for."), code="price_basis")
    elif price_basis and not priced:
        errors["price_basis"] = ValidationError(
            _("Give a price for this basis, or leave it empty."), code="price_basis"
        )
    if price_min is not None and price_max is not None and price_min > price_max:
        errors["price_max"] = ValidationError(
            _("The upper price is below the lower one."), code="price_range"
        )
    if errors:
        raise ValidationError(errors)
