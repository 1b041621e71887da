"""A company's showcase: its products and technologies (an ordered list), their photos and brochures.

Files live in the private storage (portal/core/storage.py) under content-hashed names and go out through
``portal.showcase.views.showcase_file``, which checks who may see the product and lets the browser keep
public ones for a year (a new upload always gets a new name)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.i18n import pick, pick_with_language
from portal.core.models import TimeStampedModel
from portal.core.storage import private_storage


def file_url(file) -> str:
    """The URL of a showcase file (``portal.showcase.views.showcase_file``); "" when there is none."""
    if not file or not file.name:
        return ""
    return reverse("showcase:file", args=[file.name.removeprefix("showcase/")])


def showcase_path(instance, filename: str) -> str:
    """``filename`` is already the SHA-256 of the content (portal/core/images.py)."""
    return f"showcase/{filename}"


class ProductQuerySet(models.QuerySet):
    def public(self) -> "ProductQuerySet":
        """Shown to everybody: not hidden by a coordinator, of a verified company."""
        return self.filter(is_hidden=False, company__verification_status="verified")


class Product(TimeStampedModel):
    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="products")
    position = models.PositiveIntegerField(_("position"), default=0)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)
    name_th = models.CharField(_("name (Thai)"), max_length=160, blank=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=160, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    specs_en = models.TextField(_("key specifications (English)"), blank=True)
    specs_th = models.TextField(_("key specifications (Thai)"), blank=True)
    specs_ja = models.TextField(_("key specifications (Japanese)"), blank=True)
    capabilities = models.ManyToManyField(
        "taxonomy.Capability", verbose_name=_("capabilities"), blank=True, related_name="products"
    )
    industries = models.ManyToManyField(
        "taxonomy.Industry", verbose_name=_("industries"), blank=True, related_name="products"
    )
    is_hidden = models.BooleanField(_("hidden by a coordinator"), default=False)
    moderation_note = models.TextField(_("reason for hiding"), blank=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product or technology")
        verbose_name_plural = _("products and technologies")
        ordering = ["company_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_en="") | ~Q(name_th="") | ~Q(name_ja=""), name="product_has_a_name"
            ),
            models.CheckConstraint(
                condition=Q(is_hidden=False) | ~Q(moderation_note=""), name="product_hidden_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self, language: str | None = None) -> str:
        return pick(self, "name", language)

    def description(self, language: str | None = None) -> tuple[str, str]:
        return pick_with_language(self, "description", language)

    def specs(self, language: str | None = None) -> tuple[list[str], str]:
        """(the key specifications, one per line, in the viewer's language order; their language)."""
        text, language = pick_with_language(self, "specs", language)
        return [line.strip() for line in text.splitlines() if line.strip()], language

    def texts(self) -> list[str]:
        """Every text of the product in every language (search and matching)."""
        return [
            getattr(self, f"{part}_{code}")
            for part in ("name", "description", "specs")
            for code in ("en", "th", "ja")
        ]


class ProductPhoto(TimeStampedModel):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveIntegerField(_("position"), default=0)
    image = models.FileField(
        _("photo"), storage=private_storage, upload_to=showcase_path, max_length=200, db_index=True
    )
    thumbnail = models.FileField(
        _("thumbnail"), storage=private_storage, upload_to=showcase_path, max_length=200, db_index=True
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption_en = models.CharField(_("caption (English)"), max_length=200, blank=True)
    caption_th = models.CharField(_("caption (Thai)"), max_length=200, blank=True)
    caption_ja = models.CharField(_("caption (Japanese)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["product_id", "position", "pk"]

    def __str__(self) -> str:
        return self.caption() or self.image.name

    def caption(self, language: str | None = None) -> str:
        return pick(self, "caption", language)

    @property
    def url(self) -> str:
        return file_url(self.image)

    @property
    def thumbnail_url(self) -> str:
        return file_url(self.thumbnail)


class ProductBrochure(TimeStampedModel):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="brochures")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("PDF file"), storage=private_storage, upload_to=showcase_path, max_length=200)
    preview = models.FileField(
        _("preview of the first page"),
        storage=private_storage,
        upload_to=showcase_path,
        max_length=200,
        blank=True,
        db_index=True,
    )
    size = models.PositiveIntegerField(_("size in bytes"), default=0)

    class Meta:
        verbose_name = _("brochure")
        verbose_name_plural = _("brochures")
        ordering = ["product_id", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def preview_url(self) -> str:
        return file_url(self.preview)
