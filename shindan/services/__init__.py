"""Every write of the Shindan app. Views and the API check permissions (``shindan.rules``); services check
business rules (``ValidationError`` with a ``code``), keep writes atomic and record each change in the
diagnosis' history (who, when, what).

- ``changes``: the history helpers (``record``, ``diagnosis_snapshot``) and the editable check;
- ``staffing``: consultant profiles, assignments, checklist versions;
- ``stages``: creating a diagnosis, its texts, its stage (``STAGES``) and revisions;
- ``content``: item scores, statements, findings, recommendations, actions, follow-ups.

Import from ``shindan.services``: the names below are its API.
"""

from shindan.services.changes import DIAGNOSIS_TEXT_FIELDS, diagnosis_snapshot
from shindan.services.content import (
    NOT_APPLICABLE,
    NOT_ASSESSED,
    SIGNED_LINE_ITEMS,
    STATEMENT_FIELDS,
    action_add,
    action_set_status,
    finding_add,
    follow_up_record,
    item_delete,
    item_scores_save,
    overdue_actions_remind,
    recommendation_add,
    statement_delete,
    statement_save,
)
from shindan.services.staffing import (
    assignment_create,
    assignment_end,
    checklist_current,
    checklist_import,
    checklist_publish,
    consultant_group,
    consultant_profile_save,
)
from shindan.services.stages import (
    ALREADY_IN_PROGRESS,
    FORWARD,
    STAGES,
    ReportIncomplete,
    diagnosis_create,
    diagnosis_overview_save,
    diagnosis_transition,
    diagnosis_update,
    interviewees_set,
    revision_issue,
    revision_open,
)

__all__ = [
    "ALREADY_IN_PROGRESS",
    "DIAGNOSIS_TEXT_FIELDS",
    "FORWARD",
    "NOT_APPLICABLE",
    "NOT_ASSESSED",
    "SIGNED_LINE_ITEMS",
    "STAGES",
    "STATEMENT_FIELDS",
    "ReportIncomplete",
    "action_add",
    "action_set_status",
    "assignment_create",
    "assignment_end",
    "checklist_current",
    "checklist_import",
    "checklist_publish",
    "consultant_group",
    "consultant_profile_save",
    "diagnosis_create",
    "diagnosis_overview_save",
    "diagnosis_snapshot",
    "diagnosis_transition",
    "diagnosis_update",
    "finding_add",
    "follow_up_record",
    "interviewees_set",
    "item_delete",
    "item_scores_save",
    "overdue_actions_remind",
    "recommendation_add",
    "revision_issue",
    "revision_open",
    "statement_delete",
    "statement_save",
]
