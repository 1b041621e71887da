"""The coordinators' desk: invitations and abuse reports."""

import rules
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deals import selectors, services
from deals.models import AbuseReport, CoordinatorInvite
from portal.core.service_calls import call_service_for_view


def _require_desk(user) -> None:
    """404 for anyone the desk is not for (as the desk page itself)."""
    if not rules.has_perm("deals.access_desk", user):
        raise Http404


# --- coordinators -----------------------------------------------------------------------------------------
@login_required
def desk(request: HttpRequest) -> HttpResponse:
    return render(request, "deals/desk.html", selectors.desk_for_coordinator(user=request.user))


@login_required
@require_POST
def desk_invite(request: HttpRequest, pk: int) -> HttpResponse:
    _require_desk(request.user)
    invite = CoordinatorInvite.objects.filter(pk=pk).first()
    if invite is None:
        raise Http404
    if request.POST.get("action") == "close":
        call_service_for_view(
            request,
            services.coordinator_invite_close,
            invite=invite,
            actor=request.user,
            success=_("Closed."),
        )
        return redirect("deals:desk")
    call_service_for_view(request, services.coordinator_invite_take, invite=invite, actor=request.user)
    return redirect("deals:conversation", pk=invite.conversation_id)


@login_required
@require_POST
def desk_report(request: HttpRequest, pk: int) -> HttpResponse:
    _require_desk(request.user)
    report = AbuseReport.objects.filter(pk=pk, resolved_at=None).first()
    if report is None:
        raise Http404
    call_service_for_view(
        request,
        services.abuse_report_resolve,
        report=report,
        actor=request.user,
        close=request.POST.get("close") == "1",
        success=_("The report is resolved."),
    )
    return redirect("deals:desk")
