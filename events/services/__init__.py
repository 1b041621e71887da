"""Every write of the events app: slots, delegations and participants, meeting requests with caps and
expiry, the scheduler run (draft) and its publication, check-in and outcomes. Views and the API check
permissions (``events.rules``); services check business rules and keep writes atomic.

One module per part, along the banners the single module had: ``days`` (events, meeting days and
slots), ``participants`` (delegations, invitations, applications, check-in), ``meeting_requests``
(asking, answering, expiry), ``scheduling`` (runs, publication, on-site records) and ``reports``
(members' own reports on their meetings, and the reminder to write them). Import from
``events.services``: the names below are the public API."""

from events.services._common import EVENT_OVER, EVENT_OVER_CODE, sources
from events.services.days import (
    day_slot_times,
    event_save,
    meeting_day_remove,
    meeting_day_save,
    validate_breaks,
)
from events.services.meeting_requests import (
    REQUEST_STATES,
    meeting_request_create,
    meeting_request_nudges,
    meeting_request_respond,
    meeting_request_set_status,
    meeting_requests_expire,
    meeting_requests_set_status,
)
from events.services.participants import (
    INVITATION_ANSWERS,
    PARTICIPANT_STATES,
    delegation_candidates,
    delegation_create,
    exhibitor_register,
    interpreter_add,
    interpreter_remove,
    participant_check_in,
    participant_decide,
    participant_invite,
    participant_languages,
    participant_respond,
    participant_set_availability,
    participant_set_status,
    participant_withdraw_invitation,
    representative_add,
    representative_remove,
)
from events.services.reports import meeting_report_nudges, meeting_report_save
from events.services.scheduling import (
    RUN_STATES,
    UNFINISHED_RUN,
    build_problem,
    meeting_record,
    schedule_run_publish,
    schedule_run_set_status,
    schedule_run_solve,
    schedule_run_start,
    schedule_runs_requeue_stalled,
)

__all__ = [
    "EVENT_OVER",
    "EVENT_OVER_CODE",
    "INVITATION_ANSWERS",
    "PARTICIPANT_STATES",
    "REQUEST_STATES",
    "RUN_STATES",
    "UNFINISHED_RUN",
    "build_problem",
    "day_slot_times",
    "delegation_candidates",
    "delegation_create",
    "event_save",
    "exhibitor_register",
    "interpreter_add",
    "interpreter_remove",
    "meeting_day_remove",
    "meeting_day_save",
    "meeting_record",
    "meeting_report_nudges",
    "meeting_report_save",
    "meeting_request_create",
    "meeting_request_nudges",
    "meeting_request_respond",
    "meeting_request_set_status",
    "meeting_requests_expire",
    "meeting_requests_set_status",
    "participant_check_in",
    "participant_decide",
    "participant_invite",
    "participant_languages",
    "participant_respond",
    "participant_withdraw_invitation",
    "participant_set_availability",
    "participant_set_status",
    "representative_add",
    "representative_remove",
    "schedule_run_publish",
    "schedule_run_set_status",
    "schedule_run_solve",
    "schedule_run_start",
    "schedule_runs_requeue_stalled",
    "sources",
    "validate_breaks",
]
