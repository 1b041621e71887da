"""Members' pages: their company's participation (invitations, exhibiting, representatives,
availability), partners and meeting requests, and the agenda (page, .ics, PDF)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import exports, selectors, services
from events.forms import (
    AnswerForm,
    ExhibitorForm,
    MeetingReportForm,
    MeetingRequestForm,
    RepresentativeForm,
)
from events.models import (
    Event,
    Participant,
)
from events.views._common import _event
from portal.companies.selectors import (
    company_get_for_editor,
    company_list_for_member,
)
from portal.core.redirects import safe_next
from portal.core.service_calls import call_service_for_form, call_service_for_view

# --- Members -----------------------------------------------------------------------------------------


@login_required
def my_participation(request: HttpRequest, slug: str) -> HttpResponse:
    return _participation_page(request, _event(request, slug))


def _participation_page(
    request: HttpRequest,
    event: Event,
    *,
    refused_representative: tuple[int, RepresentativeForm] | None = None,
) -> HttpResponse:
    """The member's participation page; ``refused_representative``: (participant pk, the bound form) of a
    representative that was not added, shown again with what was typed and its errors."""
    mine = selectors.participations_for_user(user=request.user, event=event)
    taking_part = {p.company_id for p in mine}
    companies = list(company_list_for_member(user=request.user))
    can_exhibit = [c for c in companies if c.country == "TH" and c.pk not in taking_part]
    rows = [(p, selectors.requests_for(p)) for p in mine]
    context = {
        "event": event,
        "rows": rows,
        "can_exhibit": can_exhibit,
        "has_company": bool(companies),
        "staff": None if companies or mine else _staff_part(request.user),
        "exhibitor_form": ExhibitorForm(),
        "representative_form": RepresentativeForm(),
        "refused_for": refused_representative[0] if refused_representative else None,
        "refused_form": refused_representative[1] if refused_representative else None,
        "answer_form": AnswerForm(),
        "slots": selectors.slots_for(event),
    }
    return render(request, "events/my_participation.html", context)


def _staff_part(user) -> str | None:
    """What a person without a company is at an event: "manages" (a coordinator), "staff" (a consultant)
    or None (anyone else). Staff have no company, so the page says where their part of the event is rather
    than how to register one. Asked only when the page has nothing else to show, so a member's page costs
    no query more."""
    if user.has_perm("events.manage_event"):
        return "manages"
    return "staff" if user.has_perm("portal.access_consultant_desk") else None


def _own_participant(request: HttpRequest, slug: str, pk: int) -> tuple[Event, Participant]:
    """The event and one of its participants the user acts for (404 otherwise)."""
    event = _event(request, slug)
    participant = selectors.participant_get_for_user(
        user=request.user, pk=pk, event=event, permission="events.act_for_participant"
    )
    return event, participant


@login_required
@require_POST
def respond_invitation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event, participant = _own_participant(request, slug, pk)
    call_service_for_form(
        request,
        AnswerForm(request.POST),
        services.participant_respond,
        refused=_("Choose to accept or decline."),
        name_fields=True,
        participant=participant,
        success=_("Thank you, your answer is recorded."),
    )
    return redirect("events:mine", slug=slug)


@login_required
@require_POST
def register_exhibitor(request: HttpRequest, slug: str, company_pk: int) -> HttpResponse:
    event = _event(request, slug)
    company = company_get_for_editor(user=request.user, pk=company_pk)
    call_service_for_form(
        request,
        ExhibitorForm(request.POST),
        services.exhibitor_register,
        name_fields=True,
        event=event,
        company=company,
        success=_("Your application to exhibit was sent to the coordinators."),
    )
    return redirect("events:mine", slug=slug)


@login_required
@require_POST
def add_representative(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event, participant = _own_participant(request, slug, pk)
    remove = request.POST.get("remove", "")
    if remove:  # "Remove" beside a listed representative
        call_service_for_view(
            request,
            services.representative_remove,
            participant=participant,
            pk=int(remove) if remove.isdigit() else 0,
            success=_("Representative removed."),
        )
        return redirect("events:mine", slug=slug)
    form = RepresentativeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The representative is not added: correct the form below."))
        return _participation_page(request, event, refused_representative=(participant.pk, form))
    data = form.cleaned_data
    result = call_service_for_view(
        request,
        services.representative_add,
        participant=participant,
        name=data["name"],
        role=data["role"],
        languages=",".join(data["languages"]),
        success=_("Representative added."),
    )
    if not result.ok:  # what was typed stays in the form
        return _participation_page(request, event, refused_representative=(participant.pk, form))
    return redirect("events:mine", slug=slug)


@login_required
@require_POST
def set_availability(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event, participant = _own_participant(request, slug, pk)
    available = {int(value) for value in request.POST.getlist("available") if value.isdigit()}
    slots = selectors.slots_for(event)
    unavailable = [slot for slot in slots if slot.pk not in available]
    result = call_service_for_view(
        request,
        services.participant_set_availability,
        participant=participant,
        unavailable=unavailable,
        success=_("Your availability is saved."),
    )
    if result.ok and slots and len(unavailable) == len(slots):
        messages.warning(
            request,
            _(
                "Your company is free at no time of the event: the scheduler cannot place its meetings. "
                "Tick the times you can meet."
            ),
        )
    return redirect("events:mine", slug=slug)


@login_required
def participants(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event, participant = _own_participant(request, slug, pk)
    rows = selectors.counterparts_for(participant)
    sent = participant.requests_sent  # as the service counts them against the event's cap
    context = {
        "event": event,
        "participant": participant,
        "rows": rows,
        "sent": sent,
        "capped": sent >= event.max_requests_per_company,
        "form": MeetingRequestForm(),
    }
    return render(request, "events/participants.html", context)


@login_required
@require_POST
def request_meeting(request: HttpRequest, slug: str, pk: int, other_pk: int) -> HttpResponse:
    event, participant = _own_participant(request, slug, pk)
    other = selectors.participant_get_for_user(user=request.user, pk=other_pk, event=event, permission=None)
    call_service_for_form(
        request,
        MeetingRequestForm(request.POST),
        services.meeting_request_create,
        name_fields=True,
        actor=request.user,
        sender=participant,
        recipient=other,
        success=_("Your meeting request was sent."),
    )
    return redirect(safe_next(request, reverse("events:participants", args=[slug, pk])))


@login_required
@require_POST
def answer_request(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    meeting_request = selectors.meeting_request_get_for_user(
        user=request.user, pk=pk, event=event, permission="events.answer_request"
    )
    form = AnswerForm(request.POST)
    result = call_service_for_form(
        request,
        form,
        services.meeting_request_respond,
        refused=_("Choose to accept or decline."),
        name_fields=True,
        actor=request.user,
        meeting_request=meeting_request,
        success=_("Your answer was sent."),
    )
    if result is not None and result.ok:  # what the answer did, and what comes next
        messages.info(
            request,
            _(
                "Accepted: the meeting gets its time and table when the coordinators publish the schedule; "
                "you are told then."
            )
            if form.cleaned_data["accept"]
            else _("Declined: the request is closed."),
        )
    return redirect("events:mine", slug=slug)


@login_required
def report_meeting(request: HttpRequest, slug: str, pk: int, meeting_pk: int) -> HttpResponse:
    """A member's own report on one of their company's meetings: outcome, private rating, note."""
    event = _event(request, slug)
    participant, meeting = selectors.meeting_to_report_for_user(
        user=request.user, event=event, pk=pk, meeting_pk=meeting_pk
    )
    report = meeting.reports.filter(participant=participant).first()
    form = MeetingReportForm(request.POST or None, instance=report)
    if request.method == "POST":
        result = call_service_for_form(
            request,
            form,
            services.meeting_report_save,
            form=form,
            actor=request.user,
            meeting=meeting,
            participant=participant,
            success=_("Thank you: your report on the meeting is saved."),
        )
        if result is not None and result.ok:
            return redirect("events:agenda", slug=slug, pk=pk)
    context = {
        "event": event,
        "participant": participant,
        "meeting": meeting,
        "other": meeting.request.other_side(participant),
        "report": report,
        "form": form,
    }
    return render(request, "events/meeting_report.html", context)


def _agenda(request: HttpRequest, slug: str, pk: int):
    event = _event(request, slug)
    participant = selectors.participant_get_for_user(
        user=request.user, pk=pk, event=event, permission="events.view_agenda"
    )
    return event, participant, selectors.agenda_for(participant)


@login_required
def agenda(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event, participant, rows = _agenda(request, slug, pk)
    # Only the company's own members report on its meetings and get "Message this company" (coordinators
    # see the agenda too); the deals app's view decides whether the conversation may open.
    acts = request.user.has_perm("events.act_for_participant", participant)
    context = {
        "event": event,
        "participant": participant,
        "rows": rows,
        "can_report": acts,
        "can_message": acts,
    }
    return render(request, "events/agenda.html", context)


@login_required
def agenda_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event, participant, rows = _agenda(request, slug, pk)
    ics = exports.agenda_ics(event=event, participant=participant, rows=rows, host=request.get_host())
    return _attachment(
        ics,
        "text/calendar; charset=utf-8",
        exports.agenda_file_name(event=event, participant=participant, suffix=".ics"),
    )


@login_required
def agenda_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event, participant, rows = _agenda(request, slug, pk)
    pdf = exports.agenda_pdf(event=event, participant=participant, rows=rows, request=request)
    name = exports.agenda_file_name(event=event, participant=participant, suffix="-agenda.pdf")
    return _attachment(pdf, "application/pdf", name)


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
