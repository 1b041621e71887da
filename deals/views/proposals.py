"""Pages of proposals on needs: submit, list for the need's company, detail, decide."""

import rules
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from deals import selectors, services
from deals.forms import (
    DecisionForm,
    ProposalForm,
)
from deals.glossary import glossary_terms
from deals.machine import machine_translate
from deals.models import OPEN_PROPOSAL_STATUSES, ProposalStatus
from deals.rules import member_company_ids
from deals.views.helpers import reader_language
from portal.companies.models import Company
from portal.core.redirects import safe_next
from portal.core.service_calls import call_service_for_view


# --- proposals ------------------------------------------------------------------------------------------
def _proposing_company(user, posting):
    ids = member_company_ids(user)
    return Company.objects.filter(pk__in=ids).exclude(country=posting.company.country).order_by("pk").first()


@login_required
def proposal_new(request: HttpRequest, posting_pk: int) -> HttpResponse:
    posting = selectors.need_get_for_proposer(user=request.user, pk=posting_pk)
    company = _proposing_company(request.user, posting)
    if company is None:
        raise Http404
    # One proposal per company and need: once sent, the way to it, not a form that could only fail.
    sent = selectors.proposal_sent(posting=posting, company=company)
    if sent is not None:
        return render(
            request, "deals/proposal_form.html", {"posting": posting, "company": company, "sent": sent}
        )
    form = ProposalForm(request.POST or None, request.FILES or None, company=company)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        result = call_service_for_view(
            request,
            services.proposal_submit,
            posting=posting,
            company=company,
            actor=request.user,
            success=_(
                "Your proposal is sent. The company will shortlist, decline or accept it; you will be told."
            ),
            form=form,
            **data,
        )
        if result.ok:
            return redirect("deals:proposal", pk=result.value.pk)
        form.note_files_dropped()
    return render(request, "deals/proposal_form.html", {"posting": posting, "company": company, "form": form})


def _in_reader_language(proposal, language: str) -> None:
    """What helps a reader of another language (``deals/_proposal_card.html``): the glossary aid, the
    machine translation when a backend is set (``deals.machine``), and ``other_language``, which shows how to
    ask the coordinators for a translation."""
    proposal.other_language = proposal.language != language
    proposal.glossary = glossary_terms(proposal.offer, language=language) if proposal.other_language else []
    proposal.machine = (
        machine_translate(proposal.offer, source=proposal.language, target=language)
        if proposal.other_language
        else ""
    )


@login_required
def need_proposals(request: HttpRequest, posting_pk: int) -> HttpResponse:
    posting = selectors.need_get_for_poster(user=request.user, pk=posting_pk)
    rows = selectors.proposal_list_for_need(user=request.user, posting=posting)
    language = reader_language()
    for row in rows:
        _in_reader_language(row.proposal, language)
    return render(
        request,
        "deals/need_proposals.html",
        {
            "posting": posting,
            "rows": rows,
            "can_decide": rules.has_perm("deals.decide_proposal", request.user, rows[0].proposal)
            if rows
            else False,
            "decision_form": DecisionForm(),
            "language": reader_language(),
            # The poster's own readiness, said once above the list (to the poster: it reads "your").
            "own_readiness": next((row.own_readiness for row in rows if row.own_readiness), ""),
        },
    )


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposal, with the poster's answer form. The proposer withdraws it here: a POST with
    ``status=withdrawn`` (any other POST changes nothing and answers 405)."""
    proposal = selectors.proposal_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        if request.POST.get("status") != ProposalStatus.WITHDRAWN:
            return HttpResponseNotAllowed(["GET"])
        return _withdraw(request, proposal)
    _in_reader_language(proposal, reader_language())
    is_proposer = rules.has_perm("deals.withdraw_proposal", request.user, proposal)
    return render(
        request,
        "deals/proposal_detail.html",
        {
            "proposal": proposal,
            "can_decide": rules.has_perm("deals.decide_proposal", request.user, proposal),
            "is_proposer": is_proposer,
            "can_withdraw": is_proposer and proposal.status in OPEN_PROPOSAL_STATUSES,
            "decision_form": DecisionForm(),
            "statuses": ProposalStatus,
        },
    )


# What the poster is told once a decision is saved.
_DECIDED = {
    "shortlisted": gettext_lazy("%(company)s's proposal is on your shortlist; they are told so."),
    "declined": gettext_lazy("%(company)s's proposal is declined; they are told so, with your reason."),
    "accepted": gettext_lazy(
        "%(company)s's proposal is accepted; they are told so. The conversation with them is open."
    ),
}


@login_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_user(user=request.user, pk=pk)
    if not rules.has_perm("deals.decide_proposal", request.user, proposal):
        raise Http404
    form = DecisionForm(request.POST)
    # Back to the page it was decided on: the need's list of proposals, or the proposal's own page.
    back = safe_next(request, reverse("deals:need_proposals", kwargs={"posting_pk": proposal.posting_id}))
    if not form.is_valid():
        flash.error(request, _("Choose shortlist, decline or accept."))
        return redirect(back)
    result = call_service_for_view(
        request,
        services.proposal_decide,
        proposal=proposal,
        actor=request.user,
        success=_DECIDED[form.cleaned_data["status"]] % {"company": proposal.company.display_name()},
        **form.cleaned_data,
    )
    if result.ok and result.value.conversation_id and result.value.status == ProposalStatus.ACCEPTED:
        return redirect("deals:conversation", pk=result.value.conversation_id)
    return redirect(back)


def _withdraw(request: HttpRequest, proposal) -> HttpResponse:
    if not rules.has_perm("deals.withdraw_proposal", request.user, proposal):
        raise Http404
    call_service_for_view(
        request,
        services.proposal_withdraw,
        proposal=proposal,
        actor=request.user,
        success=_(
            "Your proposal is withdrawn; the company is told. You may send a new one while the need is open."
        ),
    )
    return redirect("deals:proposal", pk=proposal.pk)
