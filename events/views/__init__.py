"""Event pages: public (list, event), members (my participation, participants, agenda with .ics/PDF) and
coordinators (manage, delegation, scheduler draft and publishing, grid, on-site records, KPIs)."""

from events.views.coordinators import (
    decide_participant,
    delegation_detail,
    grid,
    kpi_dashboard,
    manage,
    meeting_reports,
    record_meeting,
    schedule_run_detail,
    schedule_run_start,
)
from events.views.members import (
    add_representative,
    agenda,
    agenda_ics,
    agenda_pdf,
    answer_request,
    my_participation,
    participants,
    register_exhibitor,
    report_meeting,
    request_meeting,
    respond_invitation,
    set_availability,
)
from events.views.public import event_detail, event_edit, event_list

__all__ = [
    "add_representative",
    "agenda",
    "agenda_ics",
    "agenda_pdf",
    "answer_request",
    "decide_participant",
    "delegation_detail",
    "event_detail",
    "event_edit",
    "event_list",
    "grid",
    "kpi_dashboard",
    "manage",
    "meeting_reports",
    "my_participation",
    "participants",
    "record_meeting",
    "register_exhibitor",
    "report_meeting",
    "request_meeting",
    "respond_invitation",
    "schedule_run_detail",
    "schedule_run_start",
    "set_availability",
]
