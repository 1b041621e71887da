"""Event pages: public (list, event), members (my participation, participants, agenda with .ics/PDF) and
coordinators (manage, delegation, scheduler draft and publishing, grid, on-site records, KPIs)."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import selectors, services
from events.forms import (
    AnswerForm,
    DelegationForm,
    EventForm,
    ExhibitorForm,
    InterpreterForm,
    MeetingDayForm,
    MeetingRecordForm,
    MeetingRequestForm,
    MustMeetForm,
    RepresentativeForm,
)
from events.models import (
    Attendance,
    Delegation,
    Event,
    Meeting,
    MeetingRequest,
    Outcome,
    Participant,
    ParticipantStatus,
    ScheduleRun,
)
from portal.companies.models import Company
from portal.companies.selectors import company_list_for_member
from portal.core.pdf import font_faces
from portal.core.redirects import safe_next
from portal.core.text import multi_line, single_line, spreadsheet_cell


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _manager(request: HttpRequest, slug: str):
    if not request.user.has_perm("events.manage_event"):
        raise Http404
    return selectors.event_get(slug=slug, user=request.user)


# --- Public ------------------------------------------------------------------------------------------


def event_list(request: HttpRequest) -> HttpResponse:
    can_manage = request.user.has_perm("events.manage_event")
    events = Event.objects.order_by("-starts_on") if can_manage else selectors.event_list_public()
    return render(request, "events/event_list.html", {"events": events, "can_manage": can_manage})


@login_required
def event_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Coordinators create an event or change its details (meeting days are on the manage page)."""
    if not request.user.has_perm("events.manage_event"):
        raise Http404
    event = get_object_or_404(Event, slug=slug) if slug else None
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        event = form.save()
        messages.success(request, _("The event is saved."))
        return redirect("events:manage", slug=event.slug)
    return render(request, "events/event_edit.html", {"form": form, "event": event})


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get(slug=slug, user=request.user)
    context = {
        "event": event,
        **selectors.public_participants(event),
        "days": event.days.all(),
        "delegations": selectors.delegations_for(event),
        "mine": selectors.participations_for_user(user=request.user, event=event),
        "can_manage": request.user.has_perm("events.manage_event"),
        "noindex": not event.is_public,
    }
    return render(request, "events/event_detail.html", context)


# --- Members -----------------------------------------------------------------------------------------


@login_required
def my_participation(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get(slug=slug, user=request.user)
    mine = selectors.participations_for_user(user=request.user, event=event)
    taking_part = {p.company_id for p in mine}
    can_exhibit = [
        c for c in company_list_for_member(user=request.user) if c.country == "TH" and c.pk not in taking_part
    ]
    rows = [(p, selectors.requests_for(p)) for p in mine]
    context = {
        "event": event,
        "rows": rows,
        "can_exhibit": can_exhibit,
        "exhibitor_form": ExhibitorForm(),
        "representative_form": RepresentativeForm(),
        "answer_form": AnswerForm(),
        "slots": selectors.slots_for(event),
    }
    return render(request, "events/my_participation.html", context)


def _own_participant(request: HttpRequest, event, pk: int) -> Participant:
    return selectors.participant_get_for_user(
        user=request.user, event=event, pk=pk, permission="events.act_for_participant"
    )


@login_required
@require_POST
def respond_invitation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_get(slug=slug, user=request.user)
    participant = _own_participant(request, event, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or decline."))
    else:
        try:
            services.participant_respond(participant=participant, **form.cleaned_data)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Thank you, your answer is recorded."))
    return redirect("events:mine", slug=slug)


@login_required
@require_POST
def register_exhibitor(request: HttpRequest, slug: str, company_pk: int) -> HttpResponse:
    event = selectors.event_get(slug=slug, user=request.user)
    company = get_object_or_404(Company, pk=company_pk)
    if not request.user.has_perm("companies.edit_company", company):
        raise Http404
    form = ExhibitorForm(request.POST)
    form.is_valid()
    try:
        services.exhibitor_register(event=event, company=company, booth=form.cleaned_data.get("booth", ""))
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Your application to exhibit was sent to the coordinators."))
    return redirect("events:mine", slug=slug)


@login_required
@require_POST
def add_representative(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_get(slug=slug, user=request.user)
    participant = _own_participant(request, event, pk)
    form = RepresentativeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A representative needs a name and at least one language."))
    else:
        data = form.cleaned_data
        services.representative_add(
            participant=participant,
            name=data["name"],
            role=data["role"],
            languages=",".join(data["languages"]),
        )
        messages.success(request, _("Representative added."))
    return redirect("events:mine", slug=slug)


@login_required
@require_POST
def set_availability(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_get(slug=slug, user=request.user)
    participant = _own_participant(request, event, pk)
    available = {int(value) for value in request.POST.getlist("available") if value.isdigit()}
    unavailable = [slot for slot in selectors.slots_for(event) if slot.pk not in available]
    services.participant_set_availability(participant=participant, unavailable=unavailable)
    messages.success(request, _("Your availability is saved."))
    return redirect("events:mine", slug=slug)


@login_required
def participants(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_get(slug=slug, user=request.user)
    participant = _own_participant(request, event, pk)
    context = {
        "event": event,
        "participant": participant,
        "rows": selectors.counterparts_for(participant),
        "form": MeetingRequestForm(),
    }
    return render(request, "events/participants.html", context)


@login_required
@require_POST
def request_meeting(request: HttpRequest, slug: str, pk: int, other_pk: int) -> HttpResponse:
    event = selectors.event_get(slug=slug, user=request.user)
    participant = _own_participant(request, event, pk)
    other = get_object_or_404(Participant, pk=other_pk, event=event)
    form = MeetingRequestForm(request.POST)
    form.is_valid()
    try:
        services.meeting_request_create(
            actor=request.user,
            sender=participant,
            recipient=other,
            message=form.cleaned_data.get("message", ""),
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Your meeting request was sent."))
    return redirect(safe_next(request, reverse("events:participants", args=[slug, pk])))


@login_required
@require_POST
def answer_request(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_get(slug=slug, user=request.user)
    meeting_request = (
        MeetingRequest.objects.select_related("sender__company", "recipient__company")
        .filter(pk=pk, event=event)
        .first()
    )
    if meeting_request is None or not request.user.has_perm("events.answer_request", meeting_request):
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or decline."))
    else:
        try:
            services.meeting_request_respond(actor=request.user, request=meeting_request, **form.cleaned_data)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Your answer was sent."))
    return redirect("events:mine", slug=slug)


def _agenda(request: HttpRequest, slug: str, pk: int):
    event = selectors.event_get(slug=slug, user=request.user)
    participant = selectors.participant_get_for_user(
        user=request.user, event=event, pk=pk, permission="events.view_agenda"
    )
    return event, participant, selectors.agenda_for(participant)


@login_required
def agenda(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event, participant, rows = _agenda(request, slug, pk)
    return render(request, "events/agenda.html", {"event": event, "participant": participant, "rows": rows})


@login_required
def agenda_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

    event, participant, rows = _agenda(request, slug, pk)
    # Text written into the file is cleaned of control characters (portal/core/text.py): a stored name
    # with a line break would otherwise break its content line (and icalendar refuses it).
    calendar = Calendar()
    calendar.add("prodid", "-//DIP x SMRJ Thai-Japan SME Portal//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", single_line(f"{event.name()} — {participant.company.display_name()}"))
    for row in rows:
        meeting, other = row["meeting"], row["other"]
        item = CalendarEvent()
        item.add("uid", f"meeting-{meeting.pk}@{request.get_host()}")
        item.add("dtstamp", timezone.now())
        item.add("dtstart", meeting.slot.starts_at)
        item.add("dtend", meeting.slot.ends_at)
        summary = _("B2B meeting: %(company)s") % {"company": other.company.display_name()}
        item.add("summary", single_line(summary))
        where = _("Table %(table)s, %(venue)s") % {"table": meeting.table, "venue": event.venue()}
        item.add("location", single_line(where))
        lines = [single_line(reason) for reason in row["reasons"]]
        if meeting.interpreter:
            lines.insert(0, single_line(_("Interpreter: %(name)s") % {"name": meeting.interpreter.name}))
        item.add("description", multi_line("\n".join(lines)))
        calendar.add_component(item)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    name = slugify(participant.company.name_en or str(participant.pk))
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-{name}.ics"'
    return response


@login_required
def agenda_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    from weasyprint import HTML

    event, participant, rows = _agenda(request, slug, pk)
    html = render_to_string(
        "events/agenda_pdf.html",
        {
            "event": event,
            "participant": participant,
            "rows": rows,
            "font_faces": font_faces(),
            "language": get_language(),
        },
        request=request,
    )
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(participant.company.name_en or str(participant.pk))
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-{name}-agenda.pdf"'
    return response


# --- Coordinators ------------------------------------------------------------------------------------


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    event = _manager(request, slug)
    forms = {
        "day": MeetingDayForm(prefix="day"),
        "delegation": DelegationForm(prefix="delegation"),
        "interpreter": InterpreterForm(prefix="interpreter"),
        "must_meet": MustMeetForm(prefix="must", event=event),
    }
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        try:
            if kind == "day":
                form = forms["day"] = MeetingDayForm(request.POST, prefix="day")
                if form.is_valid():
                    services.meeting_day_save(event=event, **form.cleaned_data)
                    messages.success(request, _("Meeting day saved; its slots are ready."))
                    return redirect("events:manage", slug=slug)
            elif kind == "delegation":
                form = forms["delegation"] = DelegationForm(request.POST, prefix="delegation")
                if form.is_valid():
                    delegation = services.delegation_create(
                        actor=request.user, event=event, **form.cleaned_data
                    )
                    return redirect("events:delegation", slug=slug, pk=delegation.pk)
            elif kind == "interpreter":
                form = forms["interpreter"] = InterpreterForm(request.POST, prefix="interpreter")
                if form.is_valid():
                    services.interpreter_add(event=event, **form.cleaned_data)
                    messages.success(request, _("Interpreter added."))
                    return redirect("events:manage", slug=slug)
            elif kind == "must_meet":
                form = forms["must_meet"] = MustMeetForm(request.POST, prefix="must", event=event)
                if form.is_valid():
                    data = form.cleaned_data
                    services.meeting_request_create(
                        actor=request.user, sender=data["japanese"], recipient=data["thai"], must_meet=True
                    )
                    messages.success(request, _("Must-meet pair added."))
                    return redirect("events:manage", slug=slug)
            else:
                messages.error(request, _("Unknown form."))
        except ValidationError as error:
            _error(request, error)
    participants_qs = event.participants.select_related("company", "delegation").order_by(
        "kind", "company__name_en"
    )
    context = {
        "event": event,
        "forms": forms,
        "days": event.days.annotate(slot_count=Count("slots")),
        "delegations": selectors.delegations_for(event),
        "interpreters": selectors.interpreters_for(event),
        "applications": participants_qs.filter(status=ParticipantStatus.APPLIED),
        "participants": participants_qs,
        "runs": event.schedule_runs.select_related("started_by")[:10],
        "kpis": selectors.kpis(event),
    }
    return render(request, "events/manage.html", context)


@login_required
def delegation_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _manager(request, slug)
    delegation = get_object_or_404(Delegation, pk=pk, event=event)
    if request.method == "POST":
        company = get_object_or_404(Company, pk=request.POST.get("company", 0) or 0)
        try:
            services.participant_invite(actor=request.user, delegation=delegation, company=company)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("%(company)s is invited.") % {"company": company.display_name()})
        return redirect("events:delegation", slug=slug, pk=pk)
    context = {
        "event": event,
        "delegation": delegation,
        "dashboard": selectors.delegation_dashboard(delegation),
        "candidates": services.delegation_candidates(delegation=delegation, limit=40),
    }
    return render(request, "events/delegation.html", context)


@login_required
@require_POST
def decide_participant(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _manager(request, slug)
    participant = get_object_or_404(Participant, pk=pk, event=event)
    action = request.POST.get("action")
    try:
        if action in ("approve", "reject"):
            services.participant_decide(
                actor=request.user,
                participant=participant,
                approve=action == "approve",
                booth=request.POST.get("booth", ""),
            )
        elif action == "check_in":
            services.participant_check_in(actor=request.user, participant=participant)
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect(request.POST.get("next") or reverse("events:manage", args=[slug]))


@login_required
@require_POST
def run_scheduler(request: HttpRequest, slug: str) -> HttpResponse:
    event = _manager(request, slug)
    try:
        run = services.schedule_start(actor=request.user, event=event)
    except ValidationError as error:
        _error(request, error)
        return redirect("events:manage", slug=slug)
    run.refresh_from_db()  # on the embedded default the run is already done; with a worker it is queued
    if run.status == ScheduleRun.Status.FINISHED:
        messages.success(
            request,
            _(
                "The draft schedule is ready: %(placed)s of %(total)s accepted requests placed. "
                "Review it, then publish it."
            )
            % {"placed": run.placed, "total": run.requests},
        )
    elif run.status == ScheduleRun.Status.FAILED:
        messages.error(request, _("The scheduler failed; the reason is below. Nothing was published."))
    else:
        messages.info(request, _("The scheduler is running; the draft appears here when it is done."))
    return redirect("events:run", slug=slug, pk=run.pk)


@login_required
def run_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _manager(request, slug)
    run = get_object_or_404(ScheduleRun, pk=pk, event=event)
    if request.method == "POST":
        try:
            count = services.schedule_publish(actor=request.user, run=run)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(
                request, _("%(count)s meetings are published on the agendas.") % {"count": count}
            )
            return redirect("events:grid", slug=slug)
    context = {
        "event": event,
        "run": run,
        "grid": selectors.grid(event, run.placements) if run.status == ScheduleRun.Status.FINISHED else None,
        "unplaced": selectors.unplaced_requests(run),
        "share": round(100 * run.placed / run.upper_bound, 1) if run.upper_bound else None,
    }
    return render(request, "events/run.html", context)


@login_required
def grid(request: HttpRequest, slug: str) -> HttpResponse:
    event = _manager(request, slug)
    return render(
        request,
        "events/grid.html",
        {"event": event, "grid": selectors.grid(event), "form": MeetingRecordForm()},
    )


@login_required
@require_POST
def record_meeting(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _manager(request, slug)
    meeting = get_object_or_404(Meeting, pk=pk, event=event)
    form = MeetingRecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the attendance and the outcome."))
    else:
        try:
            services.meeting_record(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Meeting recorded."))
    return redirect("events:grid", slug=slug)


KPI_COLUMNS = ("requests", "meetings", "held", "no_show", *selectors.OUTCOME_KEYS)


def _kpi_columns() -> list[tuple[str, str]]:
    labels = {
        "requests": _("Requests"),
        "meetings": _("Meetings"),
        **dict(Attendance.choices),
        **dict(Outcome.choices),
    }
    return [(key, str(labels[key])) for key in KPI_COLUMNS]


@login_required
def kpi_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    event = _manager(request, slug)
    figures = selectors.kpis(event)
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        rows = [[_("Group"), _("Name"), *[label for _key, label in _kpi_columns()]]]
        for group, items in ((_("Industry"), figures["by_industry"]), (_("Country"), figures["by_country"])):
            for name, counter in items:
                rows.append(
                    [str(group), _safe_cell(name), *[counter.get(column, 0) for column in KPI_COLUMNS]]
                )
        return _export(rows, f"{event.slug}-kpis", export)
    return render(
        request, "events/kpis.html", {"event": event, "figures": figures, "columns": _kpi_columns()}
    )


def _safe_cell(value) -> str:
    """A cell that would start a spreadsheet formula is written as text; control characters go."""
    return spreadsheet_cell(value)


def _export(rows: list[list], name: str, export: str) -> HttpResponse:
    if export == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
