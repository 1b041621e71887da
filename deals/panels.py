"""A "Message this company" section on a partner's company page (registered in ``DealsConfig.ready``)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from deals import selectors
from deals.models import Conversation, Origin
from deals.rules import member_company_ids
from portal.companies.models import Company


def conversation_panel(*, request: HttpRequest, company, origin: str = Origin.COMPANY_PAGE) -> str:
    """For a member of a verified company of the other country: open (or go to) the conversation
    (``origin``: where it starts, a company page or one of its postings)."""
    ids = member_company_ids(request.user)
    if not ids or company.pk in ids or not company.is_verified:
        return ""
    mine = [c for c in Company.objects.filter(pk__in=ids).exclude(country=company.country) if c.is_verified]
    if not mine:
        return ""
    existing = {
        (c.thai_company_id if company.country == "JP" else c.japanese_company_id): c
        for c in Conversation.objects.filter(
            thai_company_id__in=[company.pk, *ids], japanese_company_id__in=[company.pk, *ids]
        )
    }
    rows = [{"company": c, "conversation": existing.get(c.pk)} for c in mine]
    return render_to_string(
        "deals/_company_panel.html", {"rows": rows, "partner": company, "origin": origin}, request=request
    )


def posting_panel(*, request: HttpRequest, posting) -> str:
    """On a need: "Send a proposal" for a member of a company of the other country; the proposals for a
    member of the posting's company. On an offer or a cooperation: "Send a message" to its company."""
    from portal.postings.models import NEED_TYPES, PostingStatus

    if posting.type not in NEED_TYPES:
        return conversation_panel(request=request, company=posting.company, origin=Origin.POSTING)
    ids = member_company_ids(request.user)
    if not ids:
        return ""
    if posting.company_id in ids:
        if posting.status != PostingStatus.PUBLISHED:
            return ""  # a draft takes no proposals: nothing to see yet (its page says to publish it)
        counts = selectors.proposal_counts(posting=posting)
        return render_to_string(
            "deals/_posting_panel.html", {"posting": posting, "poster": True, **counts}, request=request
        )
    proposers = list(
        Company.objects.filter(pk__in=ids).exclude(country=posting.company.country).order_by("pk")
    )
    if not proposers:
        return ""
    # The proposal the viewer's company already sent (one per company and need): its state, not a new form.
    sent = selectors.proposal_sent(posting=posting, company=proposers[0])
    return render_to_string(
        "deals/_posting_panel.html", {"posting": posting, "poster": False, "sent": sent}, request=request
    )


SENT_PROPOSALS_SHOWN = 50  # the latest proposals of a member's companies, on the postings search


def sent_proposals_panel(*, request: HttpRequest) -> str:
    """On the postings search, for a member: the proposals their companies sent on other companies' needs,
    the latest first, each with its status and a link to it (``deals:proposal``)."""
    ids = member_company_ids(request.user)
    if not ids:
        return ""
    proposals = list(selectors.proposals_sent_by(company_ids=ids)[:SENT_PROPOSALS_SHOWN])
    if not proposals:
        return ""
    return render_to_string("deals/_sent_proposals.html", {"proposals": proposals}, request=request)
