"""Forms of the showcase pages. Files are only carried here: their content is checked by the services."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.companies.forms import TermChoiceField
from portal.core.forms import PortalForm, missing_in_every_language
from portal.core.i18n import language_order
from portal.taxonomy.models import Capability, Industry

LANGUAGES = (("en", _("English")), ("th", _("Thai")), ("ja", _("Japanese")))


class ProductForm(PortalForm):
    name_th = forms.CharField(label=_("Name in Thai"), max_length=160, required=False)
    name_ja = forms.CharField(label=_("Name in Japanese"), max_length=160, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=160, required=False)
    description_th = forms.CharField(
        label=_("Description in Thai"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    description_ja = forms.CharField(
        label=_("Description in Japanese"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    description_en = forms.CharField(
        label=_("Description in English"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    specs_th = forms.CharField(
        label=_("Key specifications in Thai"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("One per line, e.g. “Tolerance ±0.01 mm”."),
    )
    specs_ja = forms.CharField(
        label=_("Key specifications in Japanese"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("One per line, e.g. “Tolerance ±0.01 mm”."),
    )
    specs_en = forms.CharField(
        label=_("Key specifications in English"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("One per line, e.g. “Tolerance ±0.01 mm”."),
    )
    capabilities = TermChoiceField(Capability.objects.filter(kind=""), label=_("Capabilities"))
    industries = TermChoiceField(Industry.objects.all(), label=_("Industries"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The first-level capabilities, in their groups, as a company's profile offers them (a product sheet
        # may have set a second-level term: it stays offered, so saving the form keeps it).
        kept = self.initial.get("capabilities") or []
        self.fields["capabilities"].queryset = Capability.objects.filter(Q(kind="") | Q(slug__in=kept))
        # The reader's own language first, then the others (as the posting form).
        languages = language_order()
        self.order_fields(
            [f"{field}_{code}" for field in ("name", "description", "specs") for code in languages]
        )

    def clean(self):
        data = super().clean()
        if missing_in_every_language(self, data, "name"):
            raise forms.ValidationError(_("Give the product a name in at least one language."))
        return data

    @classmethod
    def initial_for(cls, product) -> dict:
        initial = {
            key: getattr(product, key) for key in cls.base_fields if key not in ("capabilities", "industries")
        }
        initial["capabilities"] = [term.slug for term in product.capabilities.all()]
        initial["industries"] = [term.slug for term in product.industries.all()]
        return initial


class PhotoForm(PortalForm):
    photo = forms.FileField(
        label=_("Photo"), help_text=_("PNG, JPEG or WebP, at most 8 MB. Location data is removed.")
    )
    caption_th = forms.CharField(label=_("Caption in Thai"), max_length=200, required=False)
    caption_ja = forms.CharField(label=_("Caption in Japanese"), max_length=200, required=False)
    caption_en = forms.CharField(label=_("Caption in English"), max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The photo first, then the captions with the reader's own language first (as the product form).
        self.order_fields(["photo"] + [f"caption_{code}" for code in language_order()])


class BrochureForm(PortalForm):
    title = forms.CharField(label=_("Brochure title"), max_length=200)
    brochure = forms.FileField(label=_("Brochure (PDF)"), help_text=_("A PDF, at most 10 MB."))


class MoveForm(PortalForm):
    direction = forms.ChoiceField(choices=(("up", _("Up")), ("down", _("Down"))))


class ProductModerationForm(PortalForm):
    hidden = forms.BooleanField(label=_("Hide this product"), required=False)
    reason = forms.CharField(
        label=_("Reason (the company reads it)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
