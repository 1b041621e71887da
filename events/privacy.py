"""The personal data the events app holds (registered in portal/privacy/registry.py from apps.py): the
representatives a company names (people, often without an account), interpreters, the messages a member
wrote with meeting requests and in their reports on meetings, and which coordinator ran what."""

from django.utils.translation import gettext

from events.models import Delegation, Interpreter, MeetingReport, MeetingRequest, Representative, ScheduleRun
from portal.privacy.registry import ERASED, Found, Person, found, register, rows_named


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _export_representatives(user, companies) -> dict:

    rows = Representative.objects.filter(participant__company__in=companies).select_related(
        "participant__event", "participant__company"
    )
    return {
        "event_representatives": [
            {
                "event": row.participant.event.name(),
                "company": row.participant.company.display_name(),
                "name": row.name,
                "role": row.role,
                "languages": row.languages,
            }
            for row in rows
        ]
    }


def _erase_representatives(person: Person) -> dict:
    """The person as a representative of their own companies: the rows go."""

    if not person.name:
        return {"event_representatives": 0}
    rows = Representative.objects.filter(participant__company__in=person.companies, name=person.name)
    return {"event_representatives": rows.delete()[0]}


def _erase_representative_person(name: str, email: str, places=None) -> dict:
    if not name:
        return {"event_representatives": 0}
    rows = rows_named(Representative.objects, name, places, at="participant__company_id")
    return {"event_representatives": rows.update(name=ERASED)}


def _find_representative_person(name: str, email: str) -> list[Found]:
    if not name:
        return []
    rows = rows_named(Representative.objects, name, at="participant__company_id")
    return found(
        rows.select_related("participant__company"),
        what=gettext("event representative"),
        place=lambda row: row.participant.company,
    )


def _export_interpreters(user, companies) -> dict:

    name = user.get_full_name().strip()
    rows = Interpreter.objects.filter(name=name).select_related("event") if name else []
    return {"interpreting": [{"event": row.event.name(), "languages": row.language_pairs} for row in rows]}


def _erase_interpreter_person(name: str, email: str, places=None) -> dict:
    if not name:
        return {"interpreters": 0}
    rows = rows_named(Interpreter.objects, name, places, at="event_id", kind="event")
    return {"interpreters": rows.update(name=ERASED)}


def _find_interpreter_person(name: str, email: str) -> list[Found]:
    if not name:
        return []
    rows = rows_named(Interpreter.objects, name, at="event_id", kind="event").select_related("event")
    return found(rows, what=gettext("interpreter"), kind="event", place=lambda row: row.event)


def _export_meeting_requests(user, companies) -> dict:

    rows = MeetingRequest.objects.filter(created_by=user).select_related(
        "event", "sender__company", "recipient__company"
    )
    return {
        "meeting_requests": [
            {
                "event": row.event.name(),
                "from": row.sender.company.display_name(),
                "to": row.recipient.company.display_name(),
                "message": row.message,
                "status": row.status,
                "at": _iso(row.created_at),
            }
            for row in rows
        ]
    }


def _erase_meeting_requests(person: Person) -> dict:
    """The request stays for both companies (and its meeting); the message they wrote goes."""

    written = MeetingRequest.objects.filter(created_by=person.user).exclude(message="")
    return {"meeting_request_messages": written.update(message="")}


def _export_meeting_reports(user, companies) -> dict:

    rows = MeetingReport.objects.filter(reported_by=user).select_related(
        "meeting__event", "participant__company"
    )
    return {
        "meeting_reports": [
            {
                "event": row.meeting.event.name(),
                "company": row.participant.company.display_name(),
                "outcome": row.outcome,
                "rating": row.rating,
                "note": row.note,
                "at": _iso(row.updated_at),
            }
            for row in rows
        ]
    }


def _erase_meeting_reports(person: Person) -> dict:
    """The report stays for the company and the coordinators (it is the company's); what the person
    wrote in its note loses their name, e-mail and phones."""

    changed = 0
    for report in MeetingReport.objects.filter(reported_by=person.user).exclude(note=""):
        scrubbed = person.scrub(report.note)
        if scrubbed != report.note:
            MeetingReport.objects.filter(pk=report.pk).update(note=scrubbed)
            changed += 1
    return {"meeting_report_notes": changed}


def _export_delegations(user, companies) -> dict:

    return {
        "delegations_coordinated": [
            {"event": row.event.name(), "delegation": row.name()}
            for row in Delegation.objects.filter(coordinator=user).select_related("event")
        ]
    }


def _export_schedule_runs(user, companies) -> dict:

    return {
        "scheduler_runs_started": [
            {"event": row.event.name(), "at": _iso(row.created_at), "status": row.status}
            for row in ScheduleRun.objects.filter(started_by=user).select_related("event")
        ]
    }


KEPT = "which coordinator ran an event's work: the rows point at the anonymised account"


def register_personal_data() -> None:
    register(
        "events.Representative",
        fields=("name",),
        export=_export_representatives,
        erase=_erase_representatives,
        erase_person=_erase_representative_person,
        find_person=_find_representative_person,
    )
    register(
        "events.Interpreter",
        fields=("name",),
        export=_export_interpreters,
        erase_person=_erase_interpreter_person,
        find_person=_find_interpreter_person,
        kept="an interpreter is a person without an account: a coordinator erases one by name on request",
    )
    register(
        "events.MeetingRequest",
        fields=("created_by",),
        export=_export_meeting_requests,
        erase=_erase_meeting_requests,
    )
    register(
        "events.MeetingReport",
        fields=("reported_by", "note"),
        export=_export_meeting_reports,
        erase=_erase_meeting_reports,
    )
    register("events.Delegation", fields=("coordinator",), export=_export_delegations, kept=KEPT)
    register("events.ScheduleRun", fields=("started_by",), export=_export_schedule_runs, kept=KEPT)
