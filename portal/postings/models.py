"""Postings: what a company offers or needs (J-GoodTech "needs", EU partnering "offers/requests")."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.companies.search import build_search_text
from portal.core.i18n import pick, pick_with_language
from portal.core.models import TimeStampedModel


class PostingType(models.TextChoices):
    SUPPLY_OFFER = "supply-offer", _("Supply offer")
    SUPPLY_NEED = "supply-need", _("Supply need")
    TECHNOLOGY_OFFER = "technology-offer", _("Technology offer")
    TECHNOLOGY_NEED = "technology-need", _("Technology need")
    PARTNERSHIP = "partnership", _("Partnership / joint venture")
    INVESTMENT = "investment", _("Investment")


TEXT_FIELDS = ("title_en", "title_th", "title_ja", "body_en", "body_th", "body_ja")
OFFER_TYPES = {PostingType.SUPPLY_OFFER, PostingType.TECHNOLOGY_OFFER}
NEED_TYPES = {PostingType.SUPPLY_NEED, PostingType.TECHNOLOGY_NEED}


class PostingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")
    CLOSED = "closed", _("Closed")


class PostingQuerySet(models.QuerySet):
    def live(self) -> "PostingQuerySet":
        """Published, not hidden by a coordinator, not past its expiry date, of a verified company."""
        return self.filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()),
            status=PostingStatus.PUBLISHED,
            is_hidden=False,
            company__verification_status="verified",
        )


class Posting(TimeStampedModel):
    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="postings")
    type = models.CharField(_("type"), max_length=20, choices=PostingType.choices)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_th = models.CharField(_("title (Thai)"), max_length=200, blank=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    body_th = models.TextField(_("text (Thai)"), blank=True)
    body_ja = models.TextField(_("text (Japanese)"), blank=True)
    industries = models.ManyToManyField("taxonomy.Industry", verbose_name=_("industries"), blank=True)
    capabilities = models.ManyToManyField("taxonomy.Capability", verbose_name=_("capabilities"), blank=True)
    required_certifications = models.ManyToManyField(
        "taxonomy.Certification", verbose_name=_("required certifications"), blank=True
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PostingStatus.choices, default=PostingStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by a coordinator"), default=False)
    moderation_note = models.TextField(_("moderation note"), blank=True)
    # The titles and texts of every language, normalised as the directory's (portal/companies/search.py
    # ``build_search_text``: NFKC, case and kana folded, Thai tone marks dropped, the readings of kanji), so
    # the postings search finds what the directory would; kept by ``save``.
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = PostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_en="") | ~Q(title_th="") | ~Q(title_ja=""), name="posting_has_a_title"
            ),
        ]

    def __str__(self) -> str:
        return self.title()

    def save(self, *args, **kwargs):
        # Derived from the row's own fields, like a cache, and kept here rather than in the services:
        # postings are also written outside them (the admin, tests), and every row must be findable.
        self.search_text = build_search_text(getattr(self, field) for field in TEXT_FIELDS)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(TEXT_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def title(self, language: str | None = None) -> str:
        return pick(self, "title", language)

    def body(self, language: str | None = None) -> tuple[str, str]:
        return pick_with_language(self, "body", language)

    @property
    def is_offer(self) -> bool:
        return self.type in OFFER_TYPES
