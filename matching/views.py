import math

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching import selectors, services
from matching.forms import (
    InterestForm,
    IntroductionReportForm,
    IntroductionRequestForm,
    IntroductionStageForm,
)
from matching.models import IntroductionStage
from matching.reasons_text import own_readiness_apart, render_proposal_reasons
from portal.companies.models import Company
from portal.companies.selectors import (
    company_get_for_user,
    company_get_with_permission,
    company_list_for_member,
)
from portal.core.redirects import safe_next
from portal.core.service_calls import call_service_for_form
from portal.taxonomy.selectors import taxonomy_choices

INTRODUCTIONS_PER_PAGE = 25


def _own_company(request: HttpRequest, pk: int) -> Company:
    return company_get_with_permission(user=request.user, pk=pk, permission="matching.act_for_company")


@login_required
def recommendations(request: HttpRequest) -> HttpResponse:
    company_id = request.GET.get("company")
    companies = list(company_list_for_member(user=request.user))  # the page's switcher, when more than one
    company, proposals = selectors.recommendations_for_member(
        user=request.user,
        company_id=int(company_id) if company_id and company_id.isdigit() else None,
        industry=request.GET.get("industry", "")[:40],
        offers=request.GET.get("offers", "")[:40],
        companies=companies,
    )
    return render(
        request,
        "matching/recommendations.html",
        {
            "company": company,
            "companies": companies,
            "proposals": proposals,
            # The company's own readiness is the same on every card: said once, above them.
            "own_readiness": own_readiness_apart(proposals[0].reasons or [])[1] if proposals else None,
            "choices": taxonomy_choices(),
            "industry": request.GET.get("industry", ""),
            "offers": request.GET.get("offers", ""),
        },
    )


@login_required
@require_POST
def interest(request: HttpRequest, pk: int, partner_pk: int) -> HttpResponse:
    company = _own_company(request, pk)
    partner = company_get_for_user(user=request.user, pk=partner_pk)
    back = redirect(safe_next(request, f"{_recommendations_url()}?company={company.pk}"))
    if request.POST.get("undo") == "1":
        if services.interest_clear(company=company, partner=partner):
            messages.success(
                request,
                _("%(partner)s can be proposed to you again: it is back in your recommendations in a moment.")
                % {"partner": partner.display_name()},
            )
        else:
            messages.info(request, _("Nothing was changed."))
        return back
    form = InterestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose “Interested” or “Not interested”."))
        return back
    try:
        interest = services.interest_set(
            company=company, partner=partner, actor=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    if interest.interested:
        # Said as a rule, not as a fact about this pair: the coordinators see the interest once it is mutual.
        messages.success(request, _("Saved. Coordinators see mutual interest and can introduce you."))
    else:
        messages.success(
            request,
            _("%(partner)s is hidden from your recommendations. To undo it, open its company page.")
            % {"partner": partner.display_name()},
        )
    return back


@login_required
@require_POST
def introduction_request(request: HttpRequest, pk: int, partner_pk: int) -> HttpResponse:
    company = _own_company(request, pk)
    partner = company_get_for_user(user=request.user, pk=partner_pk)
    call_service_for_form(
        request,
        IntroductionRequestForm(request.POST),
        services.introduction_request,
        name_fields=True,
        company=company,
        partner=partner,
        actor=request.user,
        success=_("Your request was sent to the coordinators."),
    )
    return redirect(safe_next(request, f"{_recommendations_url()}?company={company.pk}"))


def _recommendations_url() -> str:
    from django.urls import reverse

    return reverse("matching:recommendations")


@login_required
def introductions(request: HttpRequest) -> HttpResponse:
    # One address for everybody: coordinators get the dashboard below, members the introductions of their
    # companies (member_introductions), anyone else a 404.
    if not rules.has_perm("matching.manage_introductions", request.user):
        return member_introductions(request)
    if request.method == "POST":  # "Take up" a mutual interest: its introduction, to decide on its page
        pair = [request.POST.get(side, "") for side in ("thai", "japanese")]
        try:
            if not all(pk.isdigit() for pk in pair):
                raise ValidationError(_("Choose a pair of companies."), code="no_pair")
            introduction = services.introduction_open_for_mutual(
                thai_pk=int(pair[0]), japanese_pk=int(pair[1]), actor=request.user
            )
        except ValidationError as error:  # said on the dashboard itself (below), nothing changed
            messages.error(request, " ".join(error.messages))
        else:
            return redirect("matching:introduction", pk=introduction.pk)
    stage = request.GET.get("stage", "")
    stage = stage if stage in IntroductionStage.values else ""
    # Newest first, a page at a time: a coordinator reaches every introduction, however many there are.
    page = Paginator(
        selectors.with_reports(selectors.introduction_list_for_coordinator(user=request.user, stage=stage)),
        INTRODUCTIONS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    for item in page:
        item.sides = selectors.introduction_sides(item)
    querystring = request.GET.copy()
    querystring.pop("page", None)
    figures = selectors.dashboard_figures(user=request.user)
    country = request.GET.get("country", "") if request.GET.get("country") in ("TH", "JP") else ""
    industry = request.GET.get("industry", "")[:40]
    try:
        min_score = float(request.GET.get("min_score") or 0)
    except ValueError:
        min_score = 0.0
    min_score = max(0.0, min(100.0, min_score)) if math.isfinite(min_score) else 0.0  # "nan", "inf": none
    pairs = selectors.pair_list_for_coordinator(
        user=request.user, country=country, industry=industry, min_score=min_score, limit=50
    )
    return render(
        request,
        "matching/introductions.html",
        {
            "introductions": page,
            "querystring": querystring.urlencode(),
            "stages": IntroductionStage.choices,
            "stage": stage,
            "stage_label": IntroductionStage(stage).label if stage else "",
            "figures": figures,
            "pairs": pairs,
            "filters": {"country": country, "industry": industry, "min_score": min_score},
            "choices": taxonomy_choices(),
        },
    )


def member_introductions(request: HttpRequest) -> HttpResponse:
    if not rules.has_perm("matching.view_own_introductions", request.user):
        raise Http404
    return render(
        request,
        "matching/my_introductions.html",
        {"introductions": selectors.introduction_rows_for_member(user=request.user)},
    )


@login_required
def introduction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = (
        selectors.with_reports(selectors.introduction_list_for_coordinator(user=request.user))
        .filter(pk=pk)
        .first()
    )
    if introduction is None:
        raise Http404
    allowed = services.INTRODUCTION_TRANSITIONS.allowed(introduction.stage)
    agreed = selectors.agreed_outcome(introduction)
    match = selectors.introduction_match(introduction)
    # Both sides report the same outcome the introduction has not reached: pre-select the next step to it.
    path = (
        services.introduction_path(introduction.stage, services.MEETING_OUTCOME_STAGES[agreed])
        if agreed
        else []
    )
    form = IntroductionStageForm(
        request.POST or None,
        choices=[(value, label) for value, label in IntroductionStage.choices if value in allowed],
        current=introduction.get_stage_display(),
        # The note as it stands: saving edits it rather than silently replacing it with an empty box's text
        initial={"note": introduction.note, **({"stage": path[0]} if path else {})},
    )
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["stage"]:
                services.introduction_set_stage(
                    introduction=introduction, actor=request.user, **form.cleaned_data
                )
            else:
                services.introduction_note_set(
                    introduction=introduction, actor=request.user, note=form.cleaned_data["note"]
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The introduction is updated."))
            return redirect("matching:introduction", pk=introduction.pk)
    context = {
        "introduction": introduction,
        "form": form,
        "sides": selectors.introduction_sides(introduction),
        "agreed": agreed,
        "match": match,
        "match_interests": [
            (introduction.thai_company.display_name(), match.thai_interest),
            (introduction.japanese_company.display_name(), match.japanese_interest),
        ],
        "reasons": render_proposal_reasons(match.proposal, viewer_id=introduction.thai_company_id)
        if match.proposal
        else [],
    }
    return render(request, "matching/introduction_detail.html", context)


@login_required
def report_introduction(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's own report on one of their companies' introductions: outcome, private rating, note."""
    company_pk = request.GET.get("company", "")
    company, introduction = selectors.introduction_to_report_for_user(
        user=request.user, pk=pk, company_pk=int(company_pk) if company_pk.isdigit() else None
    )
    report = introduction.reports.filter(company=company).first()
    form = IntroductionReportForm(request.POST or None, instance=report)
    if request.method == "POST":
        result = call_service_for_form(
            request,
            form,
            services.introduction_report_save,
            form=form,
            actor=request.user,
            introduction=introduction,
            company=company,
            success=_("Thank you: your report on the introduction is saved."),
        )
        if result is not None and result.ok:
            return redirect("matching:introductions")
    partner = (
        introduction.japanese_company if company == introduction.thai_company else introduction.thai_company
    )
    context = {
        "introduction": introduction,
        "company": company,
        "partner": partner,
        "report": report,
        "form": form,
        "reportable": services.introduction_reportable(introduction),
    }
    return render(request, "matching/introduction_report.html", context)
