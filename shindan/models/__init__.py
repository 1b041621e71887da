"""Shindan: consultants and their assignments, versioned checklists, diagnoses (scores, statements,
findings, recommendations, action plan, follow-ups), their revisions and change history.

Every write goes through ``shindan.services`` (which keeps the history); models only hold data. The
models live in ``checklists``, ``people``, ``diagnoses`` and ``plans``; import them from here."""

from portal.core.storage import PrivateFileSystemStorage
from shindan.models.checklists import AREA_ORDER, Area, Checklist, ChecklistArea, ChecklistItem, pick_text
from shindan.models.diagnoses import (
    IN_PROGRESS_STAGES,
    NOT_APPLICABLE,
    NOT_ASSESSED,
    REPORT_STAGES,
    STAGE_ORDER,
    Change,
    Diagnosis,
    DiagnosisQuerySet,
    Interviewee,
    ItemScore,
    ItemScoreQuerySet,
    Revision,
    Stage,
    StageChange,
)
from shindan.models.people import Assignment, AssignmentQuerySet, ConsultantProfile, Qualification
from shindan.models.plans import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionQuerySet,
    ActionStatus,
    ActionUpdate,
    FinancialStatement,
    Finding,
    FindingKind,
    FollowUpVisit,
    Recommendation,
    Severity,
    StatementCurrency,
    StatementUnit,
)

# Migration 0003 built the photo field with this class; the field now uses portal.core.storage.
PrivateStorage = PrivateFileSystemStorage

__all__ = [
    "AREA_ORDER",
    "IN_PROGRESS_STAGES",
    "NOT_APPLICABLE",
    "NOT_ASSESSED",
    "OPEN_ACTION_STATUSES",
    "REPORT_STAGES",
    "STAGE_ORDER",
    "Action",
    "ActionQuerySet",
    "ActionStatus",
    "ActionUpdate",
    "Area",
    "Assignment",
    "AssignmentQuerySet",
    "Change",
    "Checklist",
    "ChecklistArea",
    "ChecklistItem",
    "ConsultantProfile",
    "Diagnosis",
    "DiagnosisQuerySet",
    "FinancialStatement",
    "Finding",
    "FindingKind",
    "FollowUpVisit",
    "Interviewee",
    "ItemScore",
    "ItemScoreQuerySet",
    "PrivateStorage",
    "Qualification",
    "Recommendation",
    "Revision",
    "Severity",
    "Stage",
    "StageChange",
    "StatementCurrency",
    "StatementUnit",
    "pick_text",
]
