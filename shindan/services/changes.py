"""The diagnosis' history: every service records what it changed (who, when, before, after) through
``record``; ``diagnosis_snapshot`` is what a revision keeps of the version it replaces."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shindan.models import Change, Diagnosis
from shindan.ratios import LINE_ITEMS

DIAGNOSIS_TEXT_FIELDS = (
    "purpose",
    "stated_needs",
    "methods",
    "overview",
    "external_analysis",
    "conclusion",
    "follow_up_plan",
)


def plain(value):
    """A value as JSON keeps it (Decimal and dates as text)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _plain_dict(value):
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return plain(value)


def record(diagnosis: Diagnosis, actor, kind: str, target: str = "", before=None, after=None) -> Change:
    return Change.objects.create(
        diagnosis=diagnosis,
        actor=actor,
        revision=diagnosis.revision,
        kind=kind,
        target=target,
        before=_plain_dict(before),
        after=_plain_dict(after),
    )


def ensure_editable(diagnosis: Diagnosis) -> None:
    """A reported diagnosis changes only inside an open revision; a closed one never."""
    if diagnosis.is_closed:
        raise ValidationError(_("This diagnosis is closed and cannot be changed."), code="closed")
    if diagnosis.is_reported and not diagnosis.revision_open:
        raise ValidationError(
            _("This diagnosis has been reported. Open a revision, with a reason, to change it."),
            code="reported",
        )


def locked(diagnosis: Diagnosis) -> Diagnosis:
    """Re-read the diagnosis with a row lock so concurrent edits serialise."""
    return Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)


def diagnosis_snapshot(diagnosis: Diagnosis) -> dict:
    """The report's content as plain data (what a revision keeps of the version it replaces)."""
    return {
        "revision": diagnosis.revision,
        "fields": {name: getattr(diagnosis, name) for name in DIAGNOSIS_TEXT_FIELDS},
        "area_scores": diagnosis.area_scores,
        "overall_score": plain(diagnosis.overall_score),
        # An item's score, "na" for N/A; None for the notes of an item not assessed yet.
        "scores": {
            row.item.code: "na" if row.not_applicable else row.score
            for row in diagnosis.item_scores.select_related("item").order_by("item__code")
        },
        "statements": [
            {"fiscal_year": s.fiscal_year, **{name: plain(getattr(s, name)) for name in LINE_ITEMS}}
            for s in diagnosis.statements.all()
        ],
        "findings": [[f.kind, f.severity, f.area, f.text] for f in diagnosis.findings.all()],
        "recommendations": [[r.area, r.text] for r in diagnosis.recommendations.all()],
        "actions": [
            [a.what, a.owner, a.due_on.isoformat(), a.kpi, a.status] for a in diagnosis.actions.all()
        ],
    }
