"""Industries, capabilities, certifications, what companies look for, and regions.

Loaded by a data migration from ``portal/taxonomy/data/*.json`` (slugs are fixed: imports and APIs use
them). Every term has a name in English, Thai and Japanese.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.i18n import pick


class TrilingualTerm(models.Model):
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_th = models.CharField(_("name (Thai)"), max_length=120)
    name_ja = models.CharField(_("name (Japanese)"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name()

    def name(self, language: str | None = None) -> str:
        return pick(self, "name", language)


class Industry(TrilingualTerm):
    isic_codes = models.CharField(
        _("ISIC Rev.4 classes"), max_length=200, blank=True, help_text=_("Comma-separated 4-digit classes.")
    )
    is_focus = models.BooleanField(_("focus industry"), default=False)

    class Meta(TrilingualTerm.Meta):
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    @property
    def isic_list(self) -> list[str]:
        return [code for code in self.isic_codes.split(",") if code]


class CapabilityGroup(models.TextChoices):
    """How forms group the capabilities (the choices' order is the groups' order on screen)."""

    FORMING = "forming", _("Machining and forming")
    FINISHING = "finishing", _("Finishing and joining")
    ELECTRONICS = "electronics", _("Electronics")
    ASSEMBLY = "assembly", _("Assembly and clean manufacturing")
    AUTOMATION = "automation", _("Automation and software")
    ENGINEERING = "engineering", _("Engineering, testing and materials")
    TRADE = "trade", _("Distribution and logistics")
    OTHER = "other", _("Other")


class CertificationGroup(models.TextChoices):
    MANAGEMENT = "management", _("Management systems")
    PROCESS = "process", _("Processes and safety")
    PRODUCT = "product", _("Product approvals and marks")
    OTHER = "other", _("Other")


class CapabilityKind(models.TextChoices):
    """Second-level terms (portal/taxonomy/data/taxonomy_leaves.json); first-level capabilities have none."""

    PROCESS = "process", _("Process")
    PRODUCT = "product", _("Product")
    SERVICE = "service", _("Service")
    MATERIAL = "material", _("Material")


class Capability(TrilingualTerm):
    """A capability (first level, ``kind`` empty) or a second-level term under its ``parent``: a process,
    product, service or material. A materials group is a material without a parent. A leaf matches its
    parent fully and its siblings partly (matching/understanding/terms.py)."""

    group = models.CharField(
        _("group"), max_length=20, choices=CapabilityGroup.choices, default=CapabilityGroup.OTHER
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CapabilityKind.choices, blank=True)

    class Meta(TrilingualTerm.Meta):
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")


class Certification(TrilingualTerm):
    equivalent_to = models.ForeignKey(
        "self",
        verbose_name=_("equivalent to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="equivalents",
        help_text=_("The same standard under another name (JIS Q 9100 is AS9100)."),
    )
    group = models.CharField(
        _("group"), max_length=20, choices=CertificationGroup.choices, default=CertificationGroup.OTHER
    )

    class Meta(TrilingualTerm.Meta):
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    @property
    def canonical_slug(self) -> str:
        """The slug that stands for the whole equivalence class (``jis-q-9100`` → ``as9100``)."""
        return self.equivalent_to.slug if self.equivalent_to_id else self.slug


class LookingFor(TrilingualTerm):
    class Meta(TrilingualTerm.Meta):
        verbose_name = _("partnership type")
        verbose_name_plural = _("partnership types")


class RegionQuerySet(models.QuerySet):
    def in_eec(self) -> "RegionQuerySet":
        return self.filter(code__in=settings.PORTAL_EEC_PROVINCES)


class Region(models.Model):
    """A Thai province or Japanese prefecture (ISO 3166-2)."""

    code = models.CharField(_("ISO 3166-2 code"), max_length=6, unique=True)
    country = models.CharField(_("country"), max_length=2)
    name_en = models.CharField(_("name (English)"), max_length=80)
    name_th = models.CharField(_("name (Thai)"), max_length=80)
    name_ja = models.CharField(_("name (Japanese)"), max_length=80)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["country", "code"]

    def __str__(self) -> str:
        return self.name()

    def name(self, language: str | None = None) -> str:
        return pick(self, "name", language)

    @property
    def in_eec(self) -> bool:
        """Eastern Economic Corridor: derived from the province, never stored."""
        return self.code in settings.PORTAL_EEC_PROVINCES
