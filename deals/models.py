"""Deals: conversations between a Thai and a Japanese company (one per pair), their messages, attachments
and coordinator translations, blocks, abuse reports, coordinator invitations and reads, and proposals on
need postings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.models import TimeStampedModel
from portal.core.storage import private_storage


class Origin(models.TextChoices):
    # Not a Shindan recommendation (advice): the portal's partner recommendations.
    RECOMMENDATION = "recommendation", pgettext_lazy("where a conversation started", "Recommendation")
    COMPANY_PAGE = "company_page", _("Company page")
    MUTUAL = "mutual", _("Mutual interest")
    INTRODUCTION = "introduction", _("Introduction")
    POSTING = "posting", _("Posting")
    PROPOSAL = "proposal", _("Proposal")
    MEETING = "meeting", _("Expo meeting")


class ConversationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed by a coordinator")


class Conversation(TimeStampedModel):
    thai_company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    japanese_company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_by_company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    origin = models.CharField(_("opened from"), max_length=20, choices=Origin.choices)
    # Opened with a company that is neither recommended nor answered: counts toward the daily cap.
    counts_toward_cap = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.OPEN
    )
    last_message_at = models.DateTimeField(null=True, blank=True)
    last_message_company = models.ForeignKey(
        "companies.Company", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["thai_company", "japanese_company"], name="conversation_unique_pair"
            )
        ]
        indexes = [
            models.Index(fields=["thai_company", "-last_message_at"], name="conversation_thai_inbox"),
            models.Index(fields=["japanese_company", "-last_message_at"], name="conversation_japanese_inbox"),
            models.Index(fields=["opened_by_company", "created_at"], name="conversation_opened"),
        ]

    def __str__(self) -> str:
        return f"{self.thai_company} ↔ {self.japanese_company}"

    def company_ids(self) -> tuple[int, int]:
        return (self.thai_company_id, self.japanese_company_id)

    def other_company(self, company_id: int):
        return self.japanese_company if company_id == self.thai_company_id else self.thai_company


class MessageKind(models.TextChoices):
    TEXT = "text", _("Message")
    EVENT = "event", _("Pipeline step")


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=MessageKind.choices, default=MessageKind.TEXT)
    step = models.CharField(max_length=16, blank=True)  # a pipeline step (kind "event")
    text = models.TextField(_("message"), blank=True)
    language = models.CharField(_("language"), max_length=2, default="en")
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["pk"]
        indexes = [models.Index(fields=["conversation", "id"], name="message_conversation_id")]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.conversation_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Attachment(models.Model):
    """A file on a message or a proposal (exactly one), in the private storage."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    proposal = models.ForeignKey(
        "deals.Proposal", on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(storage=private_storage, upload_to="deals/attachments/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(message__isnull=False, proposal__isnull=True)
                | Q(message__isnull=True, proposal__isnull=False),
                name="attachment_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class MessageTranslation(TimeStampedModel):
    """A coordinator's translation of a message, shown beside the original."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="translations")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=2)
    text = models.TextField(_("translation"))

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["message", "language"], name="translation_unique_language")
        ]

    def __str__(self) -> str:
        return f"{self.language} of {self.message_id}"


class ReadState(models.Model):
    """How far a member has read a conversation (the last message id seen)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="read_state_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.conversation_id} to {self.last_read_id}"


class BlockKind(models.TextChoices):
    MUTE = "mute", _("Muted")
    BLOCK = "block", _("Blocked")


class CompanyBlock(TimeStampedModel):
    """``company`` muted (no notifications) or blocked (no conversation, no message) ``other``."""

    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5, choices=BlockKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "other"], name="block_unique_pair")]

    def __str__(self) -> str:
        return f"{self.company_id} {self.kind} {self.other_id}"


class RequestKind(models.TextChoices):
    HELP = "help", _("Help")
    INTERPRET = "interpret", _("Interpretation")


class CoordinatorInvite(TimeStampedModel):
    """One side asked a coordinator to join (help or interpretation); open until a coordinator closes it."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="invites")
    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    note = models.TextField(_("note"), blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} in {self.conversation_id}"


class CoordinatorRead(models.Model):
    """A coordinator opened a conversation (who, when, why): shown to both companies."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="coordinator_reads")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(max_length=20)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.coordinator_id} read {self.conversation_id}"


class AbuseReport(TimeStampedModel):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reports")
    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("what happened"))
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"report on {self.conversation_id}"


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Received")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    DECLINED = "declined", _("Declined")
    ACCEPTED = "accepted", _("Accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")  # by the company that sent it, before an answer


# What may still move: the poster answers it, the proposer may withdraw it.
OPEN_PROPOSAL_STATUSES = (ProposalStatus.SUBMITTED, ProposalStatus.SHORTLISTED)


class PriceBasis(models.TextChoices):
    """What a proposal's price is for: a price says little without it."""

    PIECE = "piece", _("per piece")
    THOUSAND = "thousand", _("per 1,000 pieces")
    SET = "set", _("per set")
    MONTH = "month", _("per month")
    TOTAL = "total", _("in total")


class Proposal(TimeStampedModel):
    """A company's answer to another country's need posting."""

    posting = models.ForeignKey("postings.Posting", on_delete=models.CASCADE, related_name="deal_proposals")
    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offer = models.TextField(_("what you offer"))
    language = models.CharField(_("language"), max_length=2, default="en")
    capabilities = models.ManyToManyField("taxonomy.Capability", verbose_name=_("capabilities"), blank=True)
    certificates = models.ManyToManyField(
        "companies.CompanyCertification", verbose_name=_("certificates"), blank=True
    )
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"))
    price_min = models.DecimalField(_("price from"), max_digits=14, decimal_places=2, null=True, blank=True)
    price_max = models.DecimalField(_("price to"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    price_basis = models.CharField(_("price basis"), max_length=10, choices=PriceBasis.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    decline_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One proposal per company and need; a withdrawn one makes room for a new one.
            models.UniqueConstraint(
                fields=["posting", "company"],
                condition=~Q(status="withdrawn"),
                name="deal_proposal_unique",
            ),
            models.CheckConstraint(
                condition=Q(price_min__isnull=True)
                | Q(price_max__isnull=True)
                | Q(price_min__lte=models.F("price_max")),
                name="deal_proposal_price_range",
            ),
        ]

    def __str__(self) -> str:
        return f"proposal {self.pk} on {self.posting_id}"
