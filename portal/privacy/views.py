"""Privacy pages: the notice, a member's consents, "download my data", "delete my account", and the
coordinators' list of data requests with their due dates."""

import json

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal.accounts.rules import is_coordinator_or_admin
from portal.companies.selectors import companies_owned_alone
from portal.privacy import notice, services
from portal.privacy.forms import CloseRequestForm, DeleteAccountForm, LogRequestForm, ReconsentForm
from portal.privacy.models import (
    REQUIRED_PURPOSES,
    DataRequest,
    Purpose,
    RequestKind,
    RequestStatus,
    erased_text,
)
from portal.privacy.registry import ERASED

CLOSED_REQUESTS_PER_PAGE = 25  # the desk's history of closed requests, the last handled first
DELETE_ERROR_KEY = "privacy_delete_error"  # a refused "Delete my account", for the page it returns to


def _delete_form(request: HttpRequest) -> DeleteAccountForm:
    """The "Delete my account" form; after a refused attempt, with its error at the password field (its error
    summary takes the focus: portal/_error_summary.html)."""
    form = DeleteAccountForm(user=request.user)
    error = request.session.pop(DELETE_ERROR_KEY, "")
    if error:
        form.errors["password"] = form.error_class([error])
    return form


def notice_page(request: HttpRequest) -> HttpResponse:
    version = request.GET.get("version", notice.CURRENT_VERSION)
    if version not in notice.VERSIONS:
        raise Http404
    context = {
        "version": version,
        "current": notice.CURRENT_VERSION,
        "versions": sorted(notice.VERSIONS, reverse=True),
    }
    return render(request, notice.VERSIONS[version], context)


@login_required
def my_privacy(request: HttpRequest) -> HttpResponse:
    user = request.user
    reconsent = ReconsentForm(request.POST or None) if services.needs_consent(user) else None
    if request.method == "POST" and reconsent is not None and reconsent.is_valid():
        purposes = [Purpose.ACCOUNT, Purpose.TRANSFER_JAPAN] + (
            [Purpose.NEWS] if reconsent.cleaned_data["consent_news"] else []
        )
        services.consents_record(user=user, purposes=purposes)
        messages.success(request, _("Thank you. Your consent is recorded."))
        return redirect("my_privacy")
    consents = list(user.consents.all())  # the history below, and what stands under which version
    given = services.standing_versions(consents)
    context = {
        "consents": consents,
        # (code, label, given, required, earlier version or ""): a required consent is withdrawn only by
        # deleting the account; one given under an earlier notice says so (the card above asks again)
        "purposes": [
            (
                code,
                label,
                code in given,
                code in REQUIRED_PURPOSES,
                given[code] if given.get(code, notice.CURRENT_VERSION) != notice.CURRENT_VERSION else "",
            )
            for code, label in Purpose.choices
        ],
        "reconsent": reconsent,
        "delete_form": _delete_form(request),
        # Deleting the account would leave these without an owner: said before the button.
        "owned_alone": companies_owned_alone(user=user),
        "requests": user.data_requests.all(),
        "version": notice.CURRENT_VERSION,
    }
    return render(request, "privacy/my_privacy.html", context)


@login_required
@require_POST
def consent_change(request: HttpRequest) -> HttpResponse:
    purpose = request.POST.get("purpose", "")
    try:
        if request.POST.get("give"):
            if purpose not in Purpose.values:
                raise ValidationError(_("Unknown purpose."))
            services.consents_record(user=request.user, purposes=[purpose])
        else:
            services.consent_withdraw(user=request.user, purpose=purpose)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your choice is saved."))
    return redirect("my_privacy")


@login_required
@require_safe
def download(request: HttpRequest) -> HttpResponse:
    data = services.personal_data(request.user)
    services.export_record(user=request.user)
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "csv":
        response = HttpResponse(
            "\ufeff" + services.personal_data_csv(data), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.csv"'
    else:
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    # allauth's limit on re-entering one's password (ACCOUNT_RATE_LIMITS["reauthenticate"], per user): the
    # password cannot be guessed here from a session left open.
    refused = ratelimit.consume_or_429(request, action="reauthenticate", user=request.user)
    if refused:
        return refused
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        error = " ".join(form.errors.get("password", [])) or _("The password is not correct.")
        # said at the field, with the form's error summary (my_privacy), not a third time in a banner
        request.session[DELETE_ERROR_KEY] = error
        return redirect("my_privacy")
    user = request.user
    logout(request)
    services.account_erase(user=user)
    messages.success(request, _("Your account is deleted and your personal data erased."))
    return redirect("home")


@login_required
def requests_desk(request: HttpRequest) -> HttpResponse:
    if not is_coordinator_or_admin(request.user):
        raise Http404
    form = LogRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_log(actor=request.user, **form.cleaned_data)
        messages.success(request, _("The request is logged with its due date."))
        return redirect("privacy_requests")
    open_requests = list(
        DataRequest.objects.filter(status=RequestStatus.OPEN).select_related("user").order_by("due_on", "pk")
    )
    for data_request in open_requests:  # what an erasure would empty, place by place, shown before it runs
        data_request.places = (
            services.person_places(data_request) if data_request.kind == RequestKind.ERASURE else []
        )
        data_request.namesakes = sum(place["by_name"] for place in data_request.places) > 1
    context = {
        "form": form,
        "open": open_requests,
        "closed": Paginator(
            DataRequest.objects.exclude(status=RequestStatus.OPEN)
            .select_related("user")  # whose request, said in its row
            .order_by("-handled_at", "-pk"),
            CLOSED_REQUESTS_PER_PAGE,
        ).get_page(request.GET.get("page")),
        "today": timezone.localdate(),
        "close_form": CloseRequestForm(),
        "erasure": RequestKind.ERASURE,
        "erased": ERASED,
        # an erasure refused (no place ticked among namesakes) opens its panel again, beside the reason
        "reopen": int(request.GET["erase"]) if request.GET.get("erase", "").isdigit() else None,
    }
    return render(request, "privacy/requests.html", context)


@login_required
@require_POST
def request_handle(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_coordinator_or_admin(request.user):
        raise Http404
    data_request = get_object_or_404(DataRequest, pk=pk)
    try:
        if request.POST.get("action") == "erase":
            # the places ticked among namesakes (the form offers them when the name alone finds some)
            places = request.POST.getlist("place") if request.POST.get("choose_places") else None
            counts = services.person_erase(actor=request.user, request=data_request, places=places)
            if any(counts.values()):
                messages.success(request, _("Erased: %(counts)s") % {"counts": erased_text(counts)})
            else:  # a true answer too ("we hold nothing about you"), but not to be read as an erasure
                messages.warning(
                    request,
                    _(
                        "Nothing was found under this name or e-mail, so nothing was erased. The request is "
                        "closed: tell the person that the portal holds no data about them."
                    ),
                )
        else:
            form = CloseRequestForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Say what was done (or why the request is rejected)."))
            services.request_close(actor=request.user, request=data_request, **form.cleaned_data)
            messages.success(request, _("The request is closed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if request.POST.get("action") == "erase":
            return redirect(f"{reverse('privacy_requests')}?erase={data_request.pk}#erase-{data_request.pk}")
    return redirect("privacy_requests")
