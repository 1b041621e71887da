"""Diagnoses: the stage and its history, the people interviewed, item scores, revisions and the
change history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.core.models import TimeStampedModel
from portal.core.storage import private_storage
from shindan.models.checklists import Checklist, ChecklistItem

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


# An item's answer as the forms and the API write it: "1"…"5", N/A, or not assessed yet.
NOT_ASSESSED = ""
NOT_APPLICABLE = "na"


class ItemScoreQuerySet(models.QuerySet):
    def answered(self) -> "ItemScoreQuerySet":
        """Rows that answer their item: a score 1–5, or N/A (not the notes of an item not assessed yet)."""
        return self.filter(Q(score__isnull=False) | Q(not_applicable=True))


class ItemScore(models.Model):
    """An item's answer: ``score`` 1–5, or ``not_applicable`` (N/A, no score). A row with neither keeps the
    notes (evidence, a photo) of an item that is not assessed yet: it does not count as answered."""

    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="item_scores")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    not_applicable = models.BooleanField(_("N/A"), default=False)
    evidence = models.TextField(_("evidence"), blank=True)
    photo = models.ImageField(
        _("photo"), upload_to="shindan/evidence/%Y/%m/", storage=private_storage, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemScoreQuerySet.as_manager()

    class Meta:
        ordering = ["diagnosis_id", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["diagnosis", "item"], name="item_score_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=1) & Q(score__lte=5)), name="item_score_1_5"
            ),
            models.CheckConstraint(
                condition=Q(not_applicable=False) | Q(score__isnull=True), name="item_score_na_has_no_score"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value or 'not assessed'}"

    @property
    def value(self) -> str:
        """The answer as the forms and the API write it: "1"…"5", "na" (N/A) or "" (not assessed)."""
        if self.not_applicable:
            return NOT_APPLICABLE
        return NOT_ASSESSED if self.score is None else str(self.score)


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
