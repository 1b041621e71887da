import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.companies.selectors import company_get_for_user
from portal.core.service_calls import call_service_for_view
from portal.postings.forms import ModerationForm, PostingForm, PostingStatusForm
from portal.postings.models import NEED_TYPES, PostingStatus, PostingType
from portal.postings.panels import posting_panels, postings_search_panels
from portal.postings.rules import is_posting_live
from portal.postings.selectors import (
    posting_filters_from_query,
    posting_get_for_user,
    posting_list_for_company_members,
    posting_search,
    posting_search_corrected,
)
from portal.postings.services import (
    TRANSITIONS,
    posting_create,
    posting_moderate,
    posting_set_status,
    posting_update,
)

PAGE_SIZE = 20


@require_GET
def posting_search_page(request: HttpRequest) -> HttpResponse:
    """Every live posting, with a search and filters; a signed-in person may save the search (an alert
    lists the new postings that match it: portal/notifications/services.py ``saved_search_alerts``)."""
    from portal.companies.models import Country

    filters = posting_filters_from_query(request.GET)
    page = Paginator(posting_search(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Nothing found: the misspelt words corrected, as the directory does (no query more when found).
    corrected = ""
    retry = posting_search_corrected(user=request.user, filters=filters) if not page.paginator.count else None
    if retry is not None:
        fixed = Paginator(retry[0], PAGE_SIZE).get_page(request.GET.get("page"))
        if fixed.paginator.count:
            page, corrected = fixed, retry[1]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "postings/search.html",
        {
            "page": page,
            "filters": filters,
            "corrected": corrected,
            "querystring": query.urlencode(),
            "types": PostingType.choices,
            "countries": Country.choices,
            "panels": postings_search_panels(request=request),
        },
    )


@login_required
def posting_list(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = company_get_for_user(user=request.user, pk=company_pk, permission="companies.edit_company")
    postings = posting_list_for_company_members(user=request.user, company=company)
    return render(request, "postings/posting_list.html", {"company": company, "postings": postings})


@login_required
def posting_new(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = company_get_for_user(user=request.user, pk=company_pk, permission="companies.edit_company")
    form = PostingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = call_service_for_view(
            request,
            posting_create,
            form=form,
            success=_("The posting is saved as a draft. Publish it when it is ready."),
            company=company,
            **form.cleaned_data,
        )
        if result.ok:
            return redirect("postings:detail", pk=result.value.pk)
    return render(request, "postings/posting_form.html", {"company": company, "form": form})


@login_required
def posting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    posting = posting_get_for_user(user=request.user, pk=pk, permission="postings.edit_posting")
    form = PostingForm(request.POST or None, initial=PostingForm.initial_for(posting))
    if request.method == "POST" and form.is_valid():
        result = call_service_for_view(
            request,
            posting_update,
            form=form,
            success=_("The posting is saved."),
            posting=posting,
            **form.cleaned_data,
        )
        if result.ok:
            return redirect("postings:detail", pk=posting.pk)
    return render(
        request, "postings/posting_form.html", {"company": posting.company, "form": form, "posting": posting}
    )


def posting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The posting. For who may change its status, ``?close=1`` (the page's "Close the posting" link) shows
    at the top the confirmation before closing, which is final; its form POSTs status=closed to
    ``posting_status``. Ignored for anybody else, or when the posting cannot be closed (already closed)."""
    posting = posting_get_for_user(user=request.user, pk=pk)
    can_edit = rules.has_perm("postings.edit_posting", request.user, posting)
    moves = TRANSITIONS.allowed(posting.status)
    return render(
        request,
        "postings/posting_detail.html",
        {
            "posting": posting,
            "can_edit": can_edit,
            "moves": moves,
            "confirm_close": can_edit and PostingStatus.CLOSED in moves and request.GET.get("close") == "1",
            "is_need": posting.type in NEED_TYPES,
            "can_moderate": rules.has_perm("postings.moderate_posting", request.user, posting),
            "panels": posting_panels(request=request, posting=posting),
            "noindex": not is_posting_live(request.user, posting),
        },
    )


@login_required
@require_POST
def posting_status(request: HttpRequest, pk: int) -> HttpResponse:
    posting = posting_get_for_user(user=request.user, pk=pk, permission="postings.edit_posting")
    form = PostingStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose publish, close or back to draft."))
        return redirect("postings:detail", pk=posting.pk)
    result = call_service_for_view(
        request, posting_set_status, posting=posting, status=form.cleaned_data["status"]
    )
    if result.ok:
        messages.success(request, _status_message(result.value))
    return redirect("postings:detail", pk=posting.pk)


def _status_message(posting) -> str:
    """What the member's click did, and who sees the posting now."""
    if posting.status == "published" and posting.company.is_verified:
        return _("The posting is published: partners find it on your company's page and in the directory.")
    if posting.status == "published":
        return _(
            "The posting is published. It is shown to partners once a coordinator has verified the company."
        )
    if posting.status == "closed":
        return _("The posting is closed: partners no longer see it.")
    return _("The posting is back to draft: partners no longer see it until you publish it again.")


@login_required
@require_POST
def posting_moderation(request: HttpRequest, pk: int) -> HttpResponse:
    posting = posting_get_for_user(user=request.user, pk=pk, permission="postings.moderate_posting")
    form = ModerationForm(request.POST)
    if form.is_valid():
        call_service_for_view(
            request,
            posting_moderate,
            success=_("Moderation saved."),
            posting=posting,
            hidden=form.cleaned_data["hidden"],
            note=form.cleaned_data["note"],
        )
    return redirect("postings:detail", pk=posting.pk)
