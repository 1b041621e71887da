"""Coordinators' pages: manage an event (days, delegations, interpreters, must-meets), delegations,
applications and check-in, scheduler runs and publishing, the grid, on-site records and KPIs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from events import selectors, services
from events.forms import (
    DelegationForm,
    InterpreterForm,
    MeetingDayForm,
    MeetingRecordForm,
    MustMeetForm,
)
from events.models import (
    Attendance,
    Event,
    Meeting,
    MeetingDay,
    Outcome,
    ParticipantStatus,
    RequestStatus,
    ScheduleRun,
)
from events.views._common import _manager
from portal.companies.selectors import (
    company_get_with_permission,
)
from portal.core.api import pk_or_404
from portal.core.redirects import safe_next
from portal.core.service_calls import ServiceResult, call_service_for_form, call_service_for_view
from portal.core.spreadsheets import safe_cell, spreadsheet_response
from portal.core.templatetags.portal import localdate

# --- Coordinators ------------------------------------------------------------------------------------


# The forms of the manage page: kind (the form's hidden "kind" field) → form class and prefix.
MANAGE_FORMS = {
    "day": (MeetingDayForm, "day"),
    "delegation": (DelegationForm, "delegation"),
    "interpreter": (InterpreterForm, "interpreter"),
    "must_meet": (MustMeetForm, "must"),
}


def _manage_form(kind: str, event: Event, data=None):
    form_class, prefix = MANAGE_FORMS[kind]
    return form_class(data, prefix=prefix, **({"event": event} if form_class is MustMeetForm else {}))


# A meeting day's refusals, by code, at the field of the day form they are about.
DAY_ERROR_FIELDS = {
    "day_outside_event": "date",
    "day_taken": "date",
    "day_ends_before_start": "ends_at",
    "slot_too_short": "slot_minutes",
    "no_slot_fits": "slot_minutes",
    "day_has_meetings": "date",
    "invalid_breaks": "breaks",
    "break_outside_day": "breaks",
}


def _meeting_day_save(**kwargs):
    """``services.meeting_day_save``, its refusal on the field it is about (the form shows it there)."""
    try:
        return services.meeting_day_save(**kwargs)
    except ValidationError as error:
        field = DAY_ERROR_FIELDS.get(getattr(error, "code", None))
        if field is None:
            raise
        raise ValidationError({field: [error]}) from error


def _manage_submit(
    request: HttpRequest, event: Event, kind: str, form, changing: MeetingDay | None = None
) -> ServiceResult:
    data = form.cleaned_data
    if kind == "day":
        # The form of a listed day's "Edit" (?day=<pk>, kept in the form's URL) changes that day, its date
        # too; the form of a new day adds one (or changes the day the event has on that date).
        success = _("Meeting day saved; its slots are ready.")
        if changing is None and event.days.filter(date=data["date"]).exists():
            success = _(
                "The event already had a meeting day on %(date)s: it is changed; its slots are ready."
            ) % {"date": localdate(data["date"])}
        result = call_service_for_view(
            request, _meeting_day_save, form=form, event=event, day=changing, **data, success=success
        )
        if result.ok:
            _warn_of_meetings_outside(request, result.value)
        return result
    if kind == "delegation":
        return call_service_for_view(
            request, services.delegation_create, actor=request.user, event=event, **data
        )
    if kind == "interpreter":
        success = _("Interpreter added.")
        return call_service_for_view(request, services.interpreter_add, event=event, **data, success=success)
    japanese, thai = data["japanese"], data["thai"]
    pair = Q(sender=japanese, recipient=thai) | Q(sender=thai, recipient=japanese)
    if event.requests.filter(pair, must_meet=True, status=RequestStatus.ACCEPTED).exists():
        messages.info(request, _("These two companies are already a must-meet pair."))
        return ServiceResult(ok=True)
    return call_service_for_view(
        request,
        services.meeting_request_create,
        actor=request.user,
        sender=japanese,
        recipient=thai,
        must_meet=True,
        success=_("Must-meet pair added."),
    )


def _warn_of_meetings_outside(request: HttpRequest, day: MeetingDay) -> None:
    """A day's new hours or slot length leave out published meetings (their slots are kept): say so."""
    times = {begins for begins, _ends in services.day_slot_times(day)}
    outside = Meeting.objects.filter(slot__day=day).exclude(slot__starts_at__in=times).count()
    if outside:
        messages.warning(
            request,
            ngettext(
                "%(n)s published meeting is at a time outside the day's new hours: it stays there until "
                "you run the scheduler again and publish its draft.",
                "%(n)s published meetings are at times outside the day's new hours: they stay there until "
                "you run the scheduler again and publish its draft.",
                outside,
            )
            % {"n": outside},
        )


def _removing(event: Event, wanted: str) -> dict | None:
    """What "Remove" beside a listed day or interpreter (?remove=day-<pk> or interpreter-<pk>) asks the
    coordinator to confirm, with what removing it does; None without such a request."""
    kind, _dash, pk = wanted.partition("-")
    if not pk.isdigit():
        return None
    if kind == "day":
        day = selectors.meeting_days_for(event).filter(pk=pk).first()
        if day is None or day.meeting_count:
            return None
        question = ngettext(
            "Remove the meeting day of %(date)s and its %(n)s slot? The companies' availability on it is "
            "lost.",
            "Remove the meeting day of %(date)s and its %(n)s slots? The companies' availability on them is "
            "lost.",
            day.slot_count,
        ) % {"date": localdate(day.date), "n": day.slot_count}
        return {"kind": "remove_day", "pk": day.pk, "question": question, "warning": ""}
    if kind == "interpreter":
        interpreter = selectors.interpreters_for(event).filter(pk=pk).first()
        if interpreter is None:
            return None
        warning = ""
        if interpreter.meeting_count:
            warning = ngettext(
                "%(name)s interprets %(n)s published meeting: it keeps its time without an interpreter "
                "until you run the scheduler again and publish its draft. Add the interpreter who replaces "
                "them first.",
                "%(name)s interprets %(n)s published meetings: they keep their times without an interpreter "
                "until you run the scheduler again and publish its draft. Add the interpreter who replaces "
                "them first.",
                interpreter.meeting_count,
            ) % {"name": interpreter.name, "n": interpreter.meeting_count}
            warning += " " + _("Both companies of each meeting are told that it has no interpreter now.")
        question = _("Remove %(name)s from the interpreters?") % {"name": interpreter.name}
        return {"kind": "remove_interpreter", "pk": interpreter.pk, "question": question, "warning": warning}
    return None


def _manage_remove(request: HttpRequest, event: Event, kind: str, pk: int) -> None:
    """The "Remove" of a listed meeting day or interpreter, confirmed (``_removing`` asked first)."""
    if kind == "remove_day":
        result = call_service_for_view(request, services.meeting_day_remove, event=event, pk=pk)
        if result.ok:
            messages.success(
                request,
                _("The meeting day of %(date)s is removed, with its slots.")
                % {"date": localdate(result.value.date)},
            )
        return
    interpreter = event.interpreters.filter(pk=pk).first()
    result = call_service_for_view(request, services.interpreter_remove, event=event, pk=pk)
    if not result.ok:
        return
    messages.success(request, _("%(name)s is removed from the interpreters.") % {"name": interpreter.name})
    if result.value:
        messages.warning(
            request,
            ngettext(
                "%(n)s published meeting has no interpreter now: run the scheduler again and publish its "
                "draft.",
                "%(n)s published meetings have no interpreter now: run the scheduler again and publish its "
                "draft.",
                result.value,
            )
            % {"n": result.value},
        )


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    event = _manager(request, slug)
    forms = {kind: _manage_form(kind, event) for kind in MANAGE_FORMS}
    # "Change" beside a listed day (?day=<pk>) fills the day form with it: saving a date the event has
    # changes that day (events.services.meeting_day_save).
    wanted = request.GET.get("day", "")
    changing = event.days.filter(pk=wanted).first() if wanted.isdigit() else None
    if changing is not None:
        forms["day"].initial = {
            "date": changing.date,
            "starts_at": changing.starts_at,
            "ends_at": changing.ends_at,
            "slot_minutes": changing.slot_minutes,
            "breaks": ", ".join(f"{start}-{end}" for start, end in changing.breaks),
            "tables": changing.tables,
        }
    if request.method == "POST" and request.POST.get("kind") in ("remove_day", "remove_interpreter"):
        _manage_remove(request, event, request.POST["kind"], pk_or_404(request.POST.get("pk", "")))
        return redirect("events:manage", slug=slug)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in MANAGE_FORMS:
            messages.error(request, _("Unknown form."))
        else:
            form = forms[kind] = _manage_form(kind, event, request.POST)
            result = _manage_submit(request, event, kind, form, changing) if form.is_valid() else None
            if changing is not None and result is not None and not result.ok:
                # The refused values were set on it: the heading names the day as saved.
                changing.refresh_from_db()
            if result and result.ok and kind == "delegation":
                return redirect("events:delegation", slug=slug, pk=result.value.pk)
            if result and result.ok:
                return redirect("events:manage", slug=slug)
    runs = list(
        event.schedule_runs.select_related("started_by").annotate(
            number=Window(RowNumber(), order_by=F("pk").asc())
        )[:10]
    )
    participants_qs = event.participants.select_related("company", "delegation").order_by(
        "kind", "company__name_en"
    )
    context = {
        "event": event,
        "forms": forms,
        "removing": _removing(event, request.GET.get("remove", "")),
        "days": selectors.meeting_days_for(event),
        "changing": changing,
        "delegations": selectors.delegations_for(event),
        "interpreters": selectors.interpreters_for(event),
        "applications": participants_qs.filter(status=ParticipantStatus.APPLIED),
        "must_meets": event.requests.filter(must_meet=True)
        .select_related("sender__company", "recipient__company")
        .order_by("pk"),
        "participants": participants_qs,
        # Numbered within the event (its first run is run 1, whatever other events ran before).
        "runs": runs,
        "published": any(run.published_at for run in runs),
        "kpis": selectors.kpis(event),
    }
    return render(request, "events/manage.html", context)


@login_required
def delegation_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _manager(request, slug)
    delegation = selectors.delegation_get_for_user(user=request.user, event=event, pk=pk)
    if request.method == "POST":
        company = company_get_with_permission(
            user=request.user, pk=pk_or_404(request.POST.get("company")), permission="companies.see_company"
        )
        call_service_for_view(
            request,
            services.participant_invite,
            actor=request.user,
            delegation=delegation,
            company=company,
            success=_("%(company)s is invited.") % {"company": company.display_name()},
        )
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
    participant = selectors.participant_get_for_user(
        user=request.user, pk=pk, event=event, permission="events.manage_event"
    )
    action = request.POST.get("action", "")
    booth = request.POST.get("booth", "")
    calls = {
        "approve": (services.participant_decide, {"approve": True, "booth": booth}),
        "reject": (
            services.participant_decide,
            {"approve": False, "booth": booth, "reason": request.POST.get("reason", "")},
        ),
        "check_in": (services.participant_check_in, {}),
        "withdraw": (services.participant_withdraw_invitation, {}),
    }
    if action in calls:
        service, arguments = calls[action]
        said = {
            "approve": _("%(company)s's application is approved; they are told so."),
            "reject": _("%(company)s's application is declined; they are told so."),
            "check_in": _("%(company)s is checked in."),
            "withdraw": _("The invitation to %(company)s is withdrawn."),
        }
        success = said[action] % {"company": participant.company.display_name()}
        call_service_for_view(
            request, service, actor=request.user, participant=participant, **arguments, success=success
        )
    else:
        messages.error(request, _("Unknown action."))
    return redirect(safe_next(request, reverse("events:manage", args=[slug])))


@login_required
@require_POST
def schedule_run_start(request: HttpRequest, slug: str) -> HttpResponse:
    event = _manager(request, slug)
    result = call_service_for_view(request, services.schedule_run_start, actor=request.user, event=event)
    if not result.ok:
        return redirect("events:manage", slug=slug)
    run = result.value
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
def schedule_run_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _manager(request, slug)
    run = selectors.schedule_run_get_for_user(user=request.user, event=event, pk=pk)
    if request.method == "POST":
        result = call_service_for_view(request, services.schedule_run_publish, actor=request.user, run=run)
        if result.ok:
            count = result.value
            messages.success(
                request, _("%(count)s meetings are published on the agendas.") % {"count": count}
            )
            return redirect("events:grid", slug=slug)
    context = {
        "event": event,
        "run": run,
        "number": event.schedule_runs.filter(pk__lte=run.pk).count(),
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
    meeting = selectors.meeting_get_for_user(user=request.user, event=event, pk=pk)
    call_service_for_form(
        request,
        MeetingRecordForm(request.POST),
        services.meeting_record,
        refused=_("Choose the attendance and the outcome."),
        actor=request.user,
        meeting=meeting,
        success=_("Meeting recorded."),
    )
    return redirect(safe_next(request, reverse("events:grid", args=[slug])))


@login_required
def meeting_reports(request: HttpRequest, slug: str) -> HttpResponse:
    """Both sides' reports on each meeting beside the coordinators' own record, which confirms the
    outcome and moves the pair's introduction (``meeting_record``)."""
    event = _manager(request, slug)
    reported_only = request.GET.get("show") != "all"
    context = {
        "event": event,
        "rows": selectors.meeting_reports_for(event, reported_only=reported_only),
        "reported_only": reported_only,
        "form": MeetingRecordForm(),
    }
    return render(request, "events/meeting_reports.html", context)


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
                    [str(group), safe_cell(name), *[counter.get(column, 0) for column in KPI_COLUMNS]]
                )
        return spreadsheet_response(rows, name=f"{event.slug}-kpis", export=export)
    return render(
        request, "events/kpis.html", {"event": event, "figures": figures, "columns": _kpi_columns()}
    )
