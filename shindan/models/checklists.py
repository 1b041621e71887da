"""Versioned checklists (areas and items with their texts in three languages) and the areas."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.core.i18n import language_order
from portal.core.models import TimeStampedModel


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

    def label(self) -> str:
        """What a reader is shown: the title in their language and the version ("DIP Shindan checklist,
        version 1"), not the internal code."""
        return _("%(title)s, version %(version)s") % {
            "title": self.title_in() or self.code,
            "version": self.version,
        }


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
