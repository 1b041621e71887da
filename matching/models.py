"""Matching: weights (versioned), runs, proposals (derived, replaced on every run), member feedback and
coordinator-mediated introductions (kept across runs)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.models import TimeStampedModel


class MatchingWeights(TimeStampedModel):
    """One row per version: saving new weights adds a version; the newest is in force."""

    industry = models.FloatField(_("industry"), default=0.20)
    complementarity = models.FloatField(_("complementarity"), default=0.15)
    certification = models.FloatField(_("certification fit"), default=0.10)
    text = models.FloatField(_("text similarity"), default=0.50)
    practical = models.FloatField(_("practical fit"), default=0.05)
    missing_certification_penalty = models.FloatField(
        _("penalty for a missing required certification"), default=0.5,
        help_text=_("0 = none; 1 = a partner that lacks every required certification scores 0."),
    )  # fmt: skip
    top_k = models.PositiveSmallIntegerField(_("proposals kept per company"), default=20)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(industry__gte=0) & Q(complementarity__gte=0) & Q(certification__gte=0)
                & Q(text__gte=0) & Q(practical__gte=0)
                & Q(missing_certification_penalty__gte=0) & Q(missing_certification_penalty__lte=1),
                name="weights_in_range",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"v{self.pk}"


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class MatchRun(TimeStampedModel):
    class Kind(models.TextChoices):
        FULL = "full", _("Full recompute")
        COMPANY = "company", _("One company")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    company = models.ForeignKey("companies.Company", on_delete=models.SET_NULL, null=True, blank=True)
    weights = models.ForeignKey(MatchingWeights, on_delete=models.PROTECT)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    shards_total = models.PositiveIntegerField(default=1)
    shards_done = models.PositiveIntegerField(default=0)
    # A full run's last sign of life: a shard started or finished, or stalled shards were re-queued
    # (matching.services.runs_requeue_stalled).
    progress_at = models.DateTimeField(null=True, blank=True)
    companies = models.PositiveIntegerField(_("companies"), default=0)
    proposals = models.PositiveIntegerField(_("proposals"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"


class MatchRunShard(models.Model):
    """One slice of a full run (rows of one country against all of the other); done at most once."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="shards")
    country = models.CharField(max_length=2)
    offset = models.PositiveIntegerField()
    limit = models.PositiveIntegerField()
    done = models.BooleanField(default=False)
    # Stamped while a worker computes the shard (portal/core/heartbeat.py); None until one starts it.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "country", "offset"], name="shard_unique")]

    def __str__(self) -> str:
        return f"run {self.run_id} {self.country}[{self.offset}:{self.offset + self.limit}]"


class PendingRescoring(models.Model):
    """A company whose rescoring is queued and not yet done: the durable side of the debounced
    ``matching.score_company`` task. ``stamp`` identifies the latest request (an older task finding a newer
    stamp steps aside); the row is deleted when that request's rescoring is done, so a row that stays —
    its worker died, its message was lost — is re-queued by ``services.rescorings_requeue_stalled``."""

    company = models.OneToOneField(
        "companies.Company", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    stamp = models.BigIntegerField()
    requested_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # tasks that started this request

    def __str__(self) -> str:
        return f"rescore {self.company_id} @{self.stamp}"


class MatchProposal(models.Model):
    """``partner`` is one of ``company``'s best matches (rank 1 = best). A company's list is replaced whole
    when it is rescored; its row in its partners' lists is moved in place (matching/services/runs.py)."""

    # No index of their own: the unique (company, partner) and (company, rank) pairs serve every lookup by
    # company, and the weights are read from a proposal, never searched by. A full recompute rewrites every
    # row, so each index less is less work for it (README, "Sizing workers and machines").
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="proposals", db_index=False
    )
    partner = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    components = models.JSONField(_("score components"), default=dict)
    reasons = models.JSONField(_("reasons"), default=list)
    # The weights are checked by Django (PROTECT: a version any proposal cites cannot be deleted), not by a
    # database constraint: its per-row check at commit was a third of the 0.5 s each shard's 40,000 rows cost.
    weights = models.ForeignKey(
        MatchingWeights, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("match proposal")
        verbose_name_plural = _("match proposals")
        ordering = ["company_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["company", "partner"], name="proposal_unique_pair"),
            models.UniqueConstraint(fields=["company", "rank"], name="proposal_unique_rank"),
        ]
        # The last place of every list (rank = top k) with its score, read by one company's rescoring.
        indexes = [models.Index(fields=["rank", "company", "score"], name="proposal_list_ends")]

    def __str__(self) -> str:
        return f"{self.company_id} → {self.partner_id} #{self.rank} ({self.score:.1f})"


class Interest(TimeStampedModel):
    """A member's reaction to a partner: interested, or not interested (the pair is then never proposed)."""

    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="interests")
    partner = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    interested = models.BooleanField(_("interested"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        constraints = [models.UniqueConstraint(fields=["company", "partner"], name="interest_unique_pair")]


class IntroductionStage(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    INTRODUCED = "introduced", _("Introduced")
    DECLINED = "declined", _("Not introduced")
    TALKING = "talking", _("Talking")
    NDA = "nda", _("NDA signed")
    SAMPLES = "samples", _("Samples / RFQ")
    ORDER = "order", _("Order")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    NO_DEAL = "no_deal", _("No deal")


class Introduction(TimeStampedModel):
    """Coordinator-mediated introduction of a Thai and a Japanese company, then the outcome pipeline."""

    thai_company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    japanese_company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requesting_company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    message = models.TextField(_("message"), blank=True)
    stage = models.CharField(
        _("stage"), max_length=16, choices=IntroductionStage.choices, default="requested"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    introduced_at = models.DateTimeField(_("introduced at"), null=True, blank=True)
    stage_changed_at = models.DateTimeField(_("stage changed at"), auto_now_add=True)
    note = models.TextField(_("coordinator's note"), blank=True)

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["thai_company", "japanese_company"], name="introduction_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.thai_company} ↔ {self.japanese_company} ({self.stage})"


class InferenceKind(models.TextChoices):
    OFFERS = "offers", _("Offers")
    SEEKS = "seeks", _("Looks for")
    LOOKING_FOR = "looking_for", _("Partner type wanted")
    HELD = "held", _("Certificate stated")


class InferenceOverride(TimeStampedModel):
    """The company's word on something matching inferred from its text: confirmed (counts as declared) or
    removed (inference no longer yields it). See matching/understanding/."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="inference_overrides"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=InferenceKind.choices)
    slug = models.SlugField(_("slug"), max_length=40)
    confirmed = models.BooleanField(_("confirmed"))

    class Meta:
        verbose_name = _("inference override")
        verbose_name_plural = _("inference overrides")
        constraints = [
            models.UniqueConstraint(fields=["company", "kind", "slug"], name="inference_override_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.slug} {'+' if self.confirmed else '-'}"


class ReportOutcome(models.TextChoices):
    """What a company says came of an introduction: the same values and English words as the events app's
    meeting ``Outcome`` (one translation per term), defined here because matching may not import events."""

    NO_INTEREST = "no_interest", _("No interest")
    # Further talks after a meeting: not the Shindan stage "Follow-up" (its own word in Thai and Japanese)
    FOLLOW_UP = "follow_up", pgettext_lazy("meeting outcome", "Follow-up")
    NDA = "nda", _("NDA")
    SAMPLES = "samples", _("Samples / RFQ")
    ORDER = "order", _("Order")
    JOINT_VENTURE = "joint_venture", _("Joint venture")


# A pair reports once it has been introduced; a request still waiting or declined has nothing to report on.
NOT_REPORTABLE_STAGES = frozenset({IntroductionStage.REQUESTED, IntroductionStage.DECLINED})


class IntroductionReport(TimeStampedModel):
    """One side's own report on an introduction: the outcome it sees and a private rating of the
    introduction, which only that company and the coordinators see. Both sides reporting the same outcome
    moves the introduction forward (``matching.services.reports``)."""

    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE, related_name="reports")
    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=16, choices=ReportOutcome.choices)
    rating = models.PositiveSmallIntegerField(_("rating of the introduction"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("introduction report")
        verbose_name_plural = _("introduction reports")
        ordering = ["introduction_id", "company_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["introduction", "company"], name="introduction_report_one_per_side"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="introduction_report_rating_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} on introduction {self.introduction_id}: {self.outcome}"
