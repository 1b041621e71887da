"""The diagnosis history as a person reads it (the History tab).

``Change`` rows keep what changed as JSON with field names and codes (``{'stage': 'site_visit'}``); the page
showed that raw, in English, in every language. ``describe`` gives the kind of change and the values before
and after with the fields' translated names, choice labels (stages, areas, statuses) and dates in the reader's
calendar (B.E. in Thai).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portal.core.i18n import join_list
from portal.core.templatetags.portal import localdate, year
from shindan.models import (
    NOT_APPLICABLE,
    Action,
    Change,
    Diagnosis,
    FinancialStatement,
    Finding,
    FollowUpVisit,
    ItemScore,
    Recommendation,
    Revision,
    StageChange,
)

# kind -> (what the change is called, the model whose fields the values are)
KINDS = {
    "created": (_("Diagnosis created"), Diagnosis),
    "fields": (_("Report texts"), Diagnosis),
    "interviewees": (_("People interviewed"), Diagnosis),
    "stage": (_("Stage"), StageChange),
    "revision_opened": (_("Revision opened"), Revision),
    "revision_issued": (_("Revised report issued"), Revision),
    "score": (_("Score"), ItemScore),
    "statement": (_("Financial statement"), FinancialStatement),
    "statement_deleted": (_("Financial statement removed"), FinancialStatement),
    "finding": (_("Finding"), Finding),
    "finding_deleted": (_("Finding removed"), Finding),
    "recommendation": (_("Recommendation"), Recommendation),
    "recommendation_deleted": (_("Recommendation removed"), Recommendation),
    "action": (_("Action"), Action),
    "action_deleted": (_("Action removed"), Action),
    "action_status": (_("Action status"), Action),
    "follow_up": (_("Follow-up visit"), FollowUpVisit),
}
# Keys that are not a field of the kind's model.
KEY_FIELDS = {"stage": (Diagnosis, "stage"), "people": None, "checklist": None, "company": None}
KEY_LABELS = {
    "people": _("People interviewed"),
    "checklist": _("Checklist"),
    "on": _("date"),
    "note": _("Note"),  # an action's status change (Action has no such field)
}
HIDDEN_KEYS = {"company"}  # an id: the page is the company's already


def _field(model, key: str) -> models.Field | None:
    model, name = KEY_FIELDS.get(key) or (model, key)
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _value(field, key: str, value) -> str:
    if value in (None, ""):
        return "—"
    if key == "score" and value == NOT_APPLICABLE:  # an item's answer: 1–5 or N/A
        return str(_("N/A"))
    if key == "people":
        return join_list(f"{position} ({name})" if name else position for name, position in value)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateField) or key == "on":
        try:
            return localdate(datetime.date.fromisoformat(str(value)[:10]))
        except ValueError:
            return str(value)
    # Years and amounts as the statements page shows them: B.E. in Thai, thousands grouped.
    if key == "fiscal_year":
        return year(value)
    if isinstance(field, models.DecimalField | models.FloatField | models.IntegerField):
        try:
            return number_format(Decimal(str(value)), force_grouping=True)
        except ArithmeticError:
            return str(value)
    return str(value)


def _pairs(model, values) -> list[tuple[str, str]]:
    if not isinstance(values, dict):
        return [] if values is None else [("", str(values))]
    pairs = []
    for key, value in values.items():
        if key in HIDDEN_KEYS:
            continue
        field = _field(model, key) if model is not None else None
        label = KEY_LABELS.get(key) or (field.verbose_name if field is not None else key)
        pairs.append((capfirst(str(label)), _value(field, key, value)))
    return pairs


def describe(change: Change) -> dict:
    """``{"what": "Stage", "target": "PRD-01", "before": [(label, value)], "after": [...]}``."""
    label, model = KINDS.get(change.kind, (change.kind, None))
    target = change.target
    if change.kind in ("statement", "statement_deleted") and target.startswith("FY"):
        target = ""  # the fiscal year is among the values
    elif change.kind not in ("score", "revision_opened", "revision_issued"):
        target = ""  # an id
    return {
        "what": str(label),
        "target": target,
        "before": _pairs(model, change.before),
        "after": _pairs(model, change.after),
    }
