"""The viewer's match with a company, on that company's page (registered in ``MatchingConfig.ready``)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from matching.selectors import declined_interests_for_partner_page, proposal_list_for_partner_page


def partner_panel(*, request: HttpRequest, company) -> str:
    """Score, reasons and actions (interest, not interested, introduction) for each proposal of the viewer's
    companies for ``company``; without any, a way to undo a "not interested" of theirs; else ""."""
    proposals = proposal_list_for_partner_page(user=request.user, partner=company)
    if not proposals:
        hidden = declined_interests_for_partner_page(user=request.user, partner=company)
        if not hidden:
            return ""
        return render_to_string(
            "matching/_partner_hidden.html",
            {"hidden": hidden, "partner": company, "next": request.get_full_path()},
            request=request,
        )
    return render_to_string(
        "matching/_partner_panel.html",
        {"proposals": proposals, "next": request.get_full_path()},
        request=request,
    )
