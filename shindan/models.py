"""Shindan: consultants and their assignments, versioned checklists, diagnoses (scores, statements,
findings, recommendations, action plan, follow-ups), their revisions and change history.

Every write goes through ``shindan.services`` (which keeps the history); models only hold data."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.core.i18n import language_order
from portal.core.models import TimeStampedModel
from portal.core.storage import PrivateFileSystemStorage, private_storage

# Migration 0003 built the photo field with this class; the field now uses portal.core.storage.
PrivateStorage = PrivateFileSystemStorage


def pick_text(texts: dict | None, language: str | None = None) -> str:
    """A ``{"en": …, "th": …, "ja": …}`` text in the viewer's language, falling back to what exists."""
    texts = texts or {}
    for code in language_order(language):
        if texts.get(code):
            return texts[code]
    return ""


class Area(models.TextChoices):
    STRATEGY = "STRATEGY", _("Strategy")
    ORG_HR = "ORG_HR", _("Organisation and people")
    MARKETING = "MARKETING", _("Marketing and sales")
    PRODUCTION = "PRODUCTION", _("Production")
    FINANCE = "FINANCE", _("Finance")
    IT = "IT", _("IT and data")
    LEGAL = "LEGAL", _("Legal and compliance")


AREA_ORDER = [code for code, _label in Area.choices]


# --- Consultants -------------------------------------------------------------------------------------


class Qualification(models.TextChoices):
    DIP = "dip", _("DIP-trained Shindan consultant")
    SHINDANSHI = "shindanshi", _("Japanese SME management consultant (中小企業診断士)")
    OTHER = "other", _("Other")


class ConsultantProfile(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultant_profile"
    )
    qualification = models.CharField(_("qualification"), max_length=12, choices=Qualification.choices)
    registration_no = models.CharField(_("registration number"), max_length=40, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    languages = models.CharField(_("languages"), max_length=20, blank=True, help_text=_("e.g. th,en"))
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("consultant profile")
        verbose_name_plural = _("consultant profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_qualification_display()})"

    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    def is_valid_on(self, day: datetime.date | None = None) -> bool:
        return self.valid_until is None or self.valid_until >= (day or timezone.localdate())


class AssignmentQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None) -> "AssignmentQuerySet":
        day = on or timezone.localdate()
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Assignment(TimeStampedModel):
    """A coordinator assigns a consultant to a company for a period (open-ended when ``ends_on`` is empty)."""

    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shindan_assignments"
    )
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="shindan_assignments"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="assignment_period_ordered",
            )
        ]
        indexes = [models.Index(fields=["consultant", "company"])]

    def __str__(self) -> str:
        return f"{self.consultant} → {self.company} ({self.starts_on}–{self.ends_on or '…'})"

    def is_active(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


# --- Checklists --------------------------------------------------------------------------------------


class Checklist(TimeStampedModel):
    """One version of a checklist. Published versions are frozen; a diagnosis keeps the one it used."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    title = models.JSONField(_("title"), default=dict)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="checklist_unique_version")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def title_in(self, language: str | None = None) -> str:
        return pick_text(self.title, language)


class ChecklistArea(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("area"), max_length=12, choices=Area.choices)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.JSONField(_("title"), default=dict)

    class Meta:
        ordering = ["checklist_id", "position"]
        constraints = [models.UniqueConstraint(fields=["checklist", "code"], name="checklist_area_unique")]

    def __str__(self) -> str:
        return f"{self.checklist} {self.code}"

    def title_in(self, language: str | None = None) -> str:
        """The area's name: the glossary's name of its code (docs/glossary.md), so an area reads the same on
        the tabs, the overview, the report and across checklist versions. The version's own ``title`` (as
        loaded from its JSON) is kept as data but not shown."""
        if language:
            with translation.override(language):
                return str(Area(self.code).label)
        return str(Area(self.code).label)


class ChecklistItem(models.Model):
    area = models.ForeignKey(ChecklistArea, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=20)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.JSONField(_("text"), default=dict)
    guidance = models.JSONField(_("guidance"), default=dict, blank=True)
    descriptors = models.JSONField(_("what a 1, 3 and 5 look like"), default=dict)

    class Meta:
        ordering = ["area__position", "position"]
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="checklist_item_unique")]

    def __str__(self) -> str:
        return self.code

    def text_in(self, language: str | None = None) -> str:
        return pick_text(self.text, language)

    def guidance_in(self, language: str | None = None) -> str:
        return pick_text(self.guidance, language)

    def descriptor_in(self, level: int | str, language: str | None = None) -> str:
        return pick_text(self.descriptors.get(str(level)), language)


# --- Diagnoses ---------------------------------------------------------------------------------------


class Stage(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PRE_SURVEY = "pre_survey", _("Pre-survey")
    SITE_VISIT = "site_visit", _("Site visit")
    ANALYSIS = "analysis", _("Analysis")
    REPORTING = "reporting", _("Reporting")
    REPORTED = "reported", _("Reported")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


STAGE_ORDER = [code for code, _label in Stage.choices]
# Stages in which the company's members see the report.
REPORT_STAGES = frozenset({Stage.REPORTED, Stage.FOLLOW_UP, Stage.CLOSED})
# Before the report: a company has at most one diagnosis in these stages.
IN_PROGRESS_STAGES = frozenset(set(Stage) - REPORT_STAGES)


class DiagnosisQuerySet(models.QuerySet):
    def reported(self) -> "DiagnosisQuerySet":
        return self.filter(stage__in=REPORT_STAGES)


class Diagnosis(TimeStampedModel):
    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="diagnoses")
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="diagnoses")
    consultants = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="shindan_diagnoses")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.REQUESTED)
    requested_on = models.DateField(_("requested on"))
    site_visit_on = models.DateField(_("site visit on"), null=True, blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    purpose = models.TextField(_("purpose and scope"), blank=True)
    stated_needs = models.TextField(_("the company's stated needs"), blank=True)
    methods = models.TextField(_("methods"), blank=True)
    overview = models.TextField(_("company overview"), blank=True)
    external_analysis = models.TextField(_("external analysis"), blank=True)
    conclusion = models.TextField(_("overall conclusion"), blank=True)
    follow_up_plan = models.TextField(_("follow-up plan"), blank=True)
    # Derived from the item scores by the services (kept for lists, charts and readiness).
    area_scores = models.JSONField(_("area scores"), default=dict, blank=True)
    overall_score = models.DecimalField(_("overall score"), max_digits=5, decimal_places=2, null=True)
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    # After "reported" the diagnosis is frozen; a consultant opens a revision (with a reason) to change it.
    revision_open = models.BooleanField(_("revision open"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = DiagnosisQuerySet.as_manager()

    class Meta:
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")
        ordering = ["-requested_on", "-pk"]
        indexes = [models.Index(fields=["company", "stage"])]

    def __str__(self) -> str:
        return f"{self.company} {self.requested_on:%Y-%m-%d}"

    @property
    def is_reported(self) -> bool:
        return self.stage in REPORT_STAGES

    @property
    def is_closed(self) -> bool:
        return self.stage == Stage.CLOSED


class StageChange(models.Model):
    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Stage.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["diagnosis_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.diagnosis_id}: {self.from_stage} → {self.to_stage}"


class Interviewee(models.Model):
    """A person interviewed during the site visit (personal data: erased on request, the role stays)."""

    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="interviewees")
    name = models.CharField(_("name"), max_length=120, blank=True)
    position = models.CharField(_("position"), max_length=120)

    class Meta:
        ordering = ["diagnosis_id", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})" if self.name else self.position


class ItemScore(models.Model):
    """A row means the item was assessed: ``score`` 1–5, or empty for N/A."""

    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="item_scores")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    photo = models.ImageField(
        _("photo"), upload_to="shindan/evidence/%Y/%m/", storage=private_storage, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["diagnosis_id", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["diagnosis", "item"], name="item_score_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=1) & Q(score__lte=5)), name="item_score_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}={self.score if self.score is not None else 'N/A'}"


class Revision(models.Model):
    """Opened when a reported diagnosis is changed: keeps the report as it was and why it changed."""

    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    reason = models.CharField(_("reason"), max_length=300)
    snapshot = models.JSONField(_("the diagnosis before the change"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["diagnosis_id", "number"]
        constraints = [models.UniqueConstraint(fields=["diagnosis", "number"], name="revision_unique")]

    def __str__(self) -> str:
        return f"{self.diagnosis_id} r{self.number}"


class Change(models.Model):
    """The history: who changed what, when (values before and after)."""

    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revision = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20)
    target = models.CharField(max_length=80, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["diagnosis_id", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.diagnosis_id} {self.kind} {self.target}"


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
