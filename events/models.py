"""Expo events: meeting days and slots, delegations and participants (with representatives), interpreters,
meeting requests, the meetings the scheduler places (draft → published) and their on-site outcomes.

Every write goes through ``events.services``; models only hold data."""

import datetime
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.i18n import pick, pick_with_language
from portal.core.models import TimeStampedModel

LANGUAGE_CHOICES = [("th", _("Thai")), ("ja", _("Japanese")), ("en", _("English"))]


class Event(TimeStampedModel):
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_th = models.CharField(_("name (Thai)"), max_length=200, blank=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    venue_en = models.CharField(_("venue (English)"), max_length=200)
    venue_th = models.CharField(_("venue (Thai)"), max_length=200, blank=True)
    venue_ja = models.CharField(_("venue (Japanese)"), max_length=200, blank=True)
    organiser_en = models.CharField(_("organiser (English)"), max_length=200)
    organiser_th = models.CharField(_("organiser (Thai)"), max_length=200, blank=True)
    organiser_ja = models.CharField(_("organiser (Japanese)"), max_length=200, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    time_zone = models.CharField(_("time zone"), max_length=40, default="Asia/Bangkok")
    is_public = models.BooleanField(_("public"), default=True)
    industries = models.ManyToManyField("taxonomy.Industry", verbose_name=_("focus industries"), blank=True)
    request_expiry_hours = models.PositiveIntegerField(_("requests expire after (hours)"), default=72)
    max_requests_per_company = models.PositiveIntegerField(_("requests a company may send"), default=15)
    max_meetings_per_company = models.PositiveIntegerField(_("meetings a company may have"), default=12)
    min_meetings_per_company = models.PositiveIntegerField(
        _("meetings each company should get"), default=2, help_text=_("The scheduler aims for this minimum.")
    )
    scheduler_seconds = models.PositiveIntegerField(_("scheduler time limit (seconds)"), default=30)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="event_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name_en

    def name(self, language: str | None = None) -> str:
        return pick(self, "name", language)

    def description(self, language: str | None = None) -> str:
        return pick(self, "description", language)

    def description_with_language(self, language: str | None = None) -> tuple[str, str]:
        """(the description in the viewer's language order, the language it is written in)."""
        return pick_with_language(self, "description", language)

    def venue(self, language: str | None = None) -> str:
        return pick(self, "venue", language)

    def organiser(self, language: str | None = None) -> str:
        return pick(self, "organiser", language)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def ends_at(self) -> datetime.datetime:
        """Midnight after the last day, in the event's time zone: from then on the event is over."""
        return datetime.datetime.combine(self.ends_on + datetime.timedelta(days=1), datetime.time(), self.tz)

    def is_over_at(self, moment: datetime.datetime) -> bool:
        return moment >= self.ends_at

    @property
    def has_started(self) -> bool:
        """Its first day has come, in the event's time zone: participants check in from then on."""
        return timezone.now() >= datetime.datetime.combine(self.starts_on, datetime.time(), self.tz)

    @property
    def is_over(self) -> bool:
        return self.is_over_at(timezone.now())


class MeetingDay(models.Model):
    """A B2B meeting day: a time window cut into slots of ``slot_minutes``, minus breaks, at ``tables``."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"), default=datetime.time(9, 0))
    ends_at = models.TimeField(_("until"), default=datetime.time(17, 0))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    breaks = models.JSONField(_("breaks"), default=list, blank=True, help_text=_('e.g. [["12:00", "13:00"]]'))
    tables = models.PositiveSmallIntegerField(_("tables"), default=20)

    class Meta:
        ordering = ["event_id", "date"]
        constraints = [models.UniqueConstraint(fields=["event", "date"], name="meeting_day_unique")]

    def __str__(self) -> str:
        return f"{self.event} {self.date}"


class Slot(models.Model):
    day = models.ForeignKey(MeetingDay, on_delete=models.CASCADE, related_name="slots")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["day", "starts_at"], name="slot_unique_start")]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at, self.event.tz) if self.event_id else self.starts_at
        return f"{local:%Y-%m-%d %H:%M}"


class Delegation(TimeStampedModel):
    """A curated group, e.g. "SMRJ / Keidanren Japanese delegation"."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="delegations")
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_th = models.CharField(_("name (Thai)"), max_length=200, blank=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, default="JP")
    target_size = models.PositiveIntegerField(_("target size"), default=30)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["event_id", "name_en"]
        verbose_name = _("delegation")
        verbose_name_plural = _("Delegations")

    def __str__(self) -> str:
        return self.name_en

    def name(self, language: str | None = None) -> str:
        """The name in ``language`` (default: the viewer's), falling back to what exists."""
        return pick(self, "name", language)


class ParticipantKind(models.TextChoices):
    DELEGATE = "delegate", _("Delegation member")
    EXHIBITOR = "exhibitor", _("Exhibitor")


class ParticipantStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    APPLIED = "applied", _("Applied")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    ARRIVED = "arrived", _("Arrived")


ACTIVE_STATUSES = (ParticipantStatus.CONFIRMED, ParticipantStatus.ARRIVED)


class Participant(TimeStampedModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="event_participations"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ParticipantKind.choices)
    delegation = models.ForeignKey(
        Delegation, on_delete=models.SET_NULL, null=True, blank=True, related_name="participants"
    )
    status = models.CharField(_("status"), max_length=10, choices=ParticipantStatus.choices)
    booth = models.CharField(_("booth"), max_length=20, blank=True)
    unavailable_slots = models.ManyToManyField(
        Slot, blank=True, related_name="+", verbose_name=_("not available")
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["event_id", "company__name_en", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "company"], name="participant_unique")]

    def __str__(self) -> str:
        return f"{self.company} @ {self.event}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class Representative(models.Model):
    """A person attending for a participant (personal data)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="representatives")
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=120, blank=True)
    languages = models.CharField(_("languages"), max_length=20, help_text=_("e.g. ja,en"))

    class Meta:
        ordering = ["participant_id", "pk"]

    def __str__(self) -> str:
        return self.name

    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class Interpreter(TimeStampedModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="interpreters")
    name = models.CharField(_("name"), max_length=120)
    language_pairs = models.CharField(
        _("language pairs"), max_length=60, help_text=_("e.g. th-ja, en-ja (comma-separated)")
    )
    unavailable_slots = models.ManyToManyField(
        Slot, blank=True, related_name="+", verbose_name=_("not available")
    )

    class Meta:
        ordering = ["event_id", "name"]
        verbose_name = _("Interpreter")
        verbose_name_plural = _("Interpreters")

    def __str__(self) -> str:
        return f"{self.name} ({self.language_pairs})"

    def pairs(self) -> list[tuple[str, str]]:
        result = []
        for chunk in self.language_pairs.split(","):
            parts = [part.strip() for part in chunk.split("-")]
            if len(parts) == 2 and parts[0] and parts[1] and parts[0] != parts[1]:
                result.append((parts[0], parts[1]))
        return result


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingRequest(TimeStampedModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="requests")
    sender = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="sent_requests")
    recipient = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="received_requests")
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    must_meet = models.BooleanField(_("must meet"), default=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The pair, smallest participant id first, so a pair has one request whichever side asked.
    low = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "low", "high"], name="meeting_request_unique_pair"),
            models.CheckConstraint(
                condition=~Q(sender=models.F("recipient")), name="meeting_request_two_sides"
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.sender} → {self.recipient} ({self.status})"

    def other_side(self, participant: Participant) -> Participant:
        return self.recipient if participant.pk == self.sender_id else self.sender


class Attendance(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("No-show")


class Outcome(models.TextChoices):
    NONE = "", _("Not recorded")
    NO_INTEREST = "no_interest", _("No interest")
    # Further talks after a meeting: not the Shindan stage "Follow-up" (its own word in Thai and Japanese)
    FOLLOW_UP = "follow_up", pgettext_lazy("meeting outcome", "Follow-up")
    NDA = "nda", _("NDA")
    SAMPLES = "samples", _("Samples / RFQ")
    ORDER = "order", _("Order")
    JOINT_VENTURE = "joint_venture", _("Joint venture")


class Meeting(TimeStampedModel):
    """A published meeting: an accepted request placed in a slot at a table (with an interpreter when the
    two sides share no language). The scheduler's drafts live in ``ScheduleRun.placements`` until a
    coordinator publishes one."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="meetings")
    table = models.CharField(_("table"), max_length=20)
    interpreter = models.ForeignKey(
        Interpreter, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    interpreter_languages = models.CharField(max_length=10, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.SCHEDULED
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["slot__starts_at", "table", "pk"]
        constraints = [models.UniqueConstraint(fields=["slot", "table"], name="meeting_unique_table")]

    def __str__(self) -> str:
        return f"{self.request} @ {self.slot} T{self.table}"


class ScheduleRun(TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="schedule_runs")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    requests = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0)
    upper_bound = models.PositiveIntegerField(null=True, blank=True)
    solver_status = models.CharField(max_length=20, blank=True)
    solve_seconds = models.FloatField(null=True, blank=True)
    # The draft: [{"request", "slot", "table", "interpreter", "languages"}] and [{"request", "reason"}].
    placements = models.JSONField(default=list, blank=True)
    unplaced = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Which task holds the run and when it last showed life (portal/core/heartbeat.py): a run whose worker
    # died is re-queued by events.requeue_stalled, and a late copy of a message leaves a live run alone.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("scheduler run")
        verbose_name_plural = _("scheduler runs")

    def __str__(self) -> str:
        return f"{self.event} run {self.pk} ({self.status})"


# Members report on meetings of the last two weeks: older ones leave the to-do list and get no reminder (a
# new deployment does not nudge for every past event).
REPORT_WINDOW_DAYS = 14


class MeetingReport(TimeStampedModel):
    """One side's own report on a published meeting: the outcome it sees (the coordinators' ``Outcome``
    vocabulary) and a private rating of the meeting, which only that company and the coordinators see.
    Both sides reporting the same outcome moves the pair's introduction (``events.services.reports``)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reports")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="meeting_reports")
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=[c for c in Outcome.choices if c[0] != Outcome.NONE]
    )
    rating = models.PositiveSmallIntegerField(_("rating of the meeting"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting report")
        verbose_name_plural = _("meeting reports")
        ordering = ["meeting_id", "participant_id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "participant"], name="meeting_report_one_per_side"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="meeting_report_rating_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} on {self.meeting_id}: {self.outcome}"


class MeetingReportNudge(models.Model):
    """The reminder to report sent to one side of a meeting: at most one per meeting and company."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting_id", "participant_id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "participant"], name="meeting_report_nudge_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} reminded of {self.meeting_id}"
