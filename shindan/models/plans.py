"""What a diagnosis works out: financial statements, findings, recommendations, the action plan and
follow-up visits."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.models import TimeStampedModel
from shindan.models.checklists import Area
from shindan.models.diagnoses import Diagnosis

# --- Financial statements ----------------------------------------------------------------------------


class StatementCurrency(models.TextChoices):
    THB = "THB", "THB"
    JPY = "JPY", "JPY"
    USD = "USD", "USD"


class StatementUnit(models.IntegerChoices):
    ONE = 1, _("units")
    THOUSAND = 1_000, _("thousands")
    MILLION = 1_000_000, _("millions")


def _amount(label):
    return models.DecimalField(label, max_digits=18, decimal_places=2, null=True, blank=True)


class FinancialStatement(TimeStampedModel):
    """One fiscal year of line items (the ones the ratios of docs/domain.md need). Years are stored in C.E."""

    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="statements")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    period_end = models.DateField(_("period end"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=StatementCurrency.choices)
    unit = models.PositiveIntegerField(_("unit"), choices=StatementUnit.choices, default=StatementUnit.ONE)
    sales = _amount(_("sales"))
    gross_profit = _amount(_("gross profit"))
    operating_profit = _amount(_("operating profit"))
    ordinary_profit = _amount(_("ordinary profit"))
    net_income = _amount(_("net income"))
    fixed_costs = _amount(_("fixed costs"))
    variable_costs = _amount(_("variable costs"))
    total_assets = _amount(_("total assets"))
    current_assets = _amount(_("current assets"))
    quick_assets = _amount(_("quick assets"))
    fixed_assets = _amount(_("fixed assets"))
    current_liabilities = _amount(_("current liabilities"))
    liabilities = _amount(_("total liabilities"))
    equity = _amount(_("equity"))
    interest_and_dividends_received = _amount(_("interest and dividends received"))
    interest_paid = _amount(_("interest paid"))
    borrowings = _amount(_("borrowings"))
    cash = _amount(_("cash"))
    depreciation = _amount(_("depreciation"))
    receivables = _amount(_("receivables"))
    inventory = _amount(_("inventory"))
    payables = _amount(_("payables"))
    external_purchases = _amount(_("external purchases"))
    personnel_costs = _amount(_("personnel costs"))
    employees = models.DecimalField(_("employees"), max_digits=9, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("financial statement")
        verbose_name_plural = _("financial statements")
        ordering = ["diagnosis_id", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["diagnosis", "fiscal_year"], name="statement_unique_year"),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=1950) & Q(fiscal_year__lte=2200), name="statement_year_ce"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.diagnosis_id} FY{self.fiscal_year}"


# --- Findings, recommendations, action plan, follow-ups ---------------------------------------------


class FindingKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    WEAKNESS = "weakness", _("Weakness")
    OPPORTUNITY = "opportunity", _("Opportunity")
    THREAT = "threat", _("Threat")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Finding(TimeStampedModel):
    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=12, choices=FindingKind.choices)
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM
    )
    area = models.CharField(_("area"), max_length=12, choices=Area.choices, blank=True)
    text = models.TextField(_("finding"))

    class Meta:
        ordering = ["diagnosis_id", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text[:40]}"


class Recommendation(TimeStampedModel):
    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="recommendations")
    area = models.CharField(_("area"), max_length=12, choices=Area.choices)
    text = models.TextField(_("recommendation"))

    class Meta:
        ordering = ["diagnosis_id", "area", "pk"]

    def __str__(self) -> str:
        return f"{self.area}: {self.text[:40]}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class ActionQuerySet(models.QuerySet):
    def overdue(self, on: datetime.date | None = None) -> "ActionQuerySet":
        return self.filter(status__in=OPEN_ACTION_STATUSES, due_on__lt=on or timezone.localdate())


class Action(TimeStampedModel):
    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="actions")
    area = models.CharField(_("area"), max_length=12, choices=Area.choices, blank=True)
    what = models.CharField(_("what"), max_length=300)
    owner = models.CharField(
        _("who"), max_length=120, help_text=_("A role at the company, e.g. plant manager.")
    )
    due_on = models.DateField(_("by when"))
    kpi = models.CharField(_("KPI"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["diagnosis_id", "due_on", "pk"]

    def __str__(self) -> str:
        return self.what

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        return self.status in OPEN_ACTION_STATUSES and self.due_on < (on or timezone.localdate())


class FollowUpVisit(TimeStampedModel):
    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="follow_ups")
    visited_on = models.DateField(_("visited on"))
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["diagnosis_id", "-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.diagnosis_id} {self.visited_on}"


class ActionUpdate(models.Model):
    """A status change of an action, at a follow-up visit or between visits."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    visit = models.ForeignKey(
        FollowUpVisit, on_delete=models.CASCADE, null=True, blank=True, related_name="updates"
    )
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["action_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.action_id} → {self.status}"
