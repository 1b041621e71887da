"""Forms of the company pages: onboarding steps, join requests, members, vetting, import."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from PIL import Image

from portal.companies.models import (
    Company,
    Country,
    Currency,
    Endorser,
    MembershipRole,
    Sector,
    VerificationStatus,
)
from portal.companies.validation import clean_founded_year, clean_registration_number
from portal.core.forms import LocalDateField, PortalForm, missing_in_every_language
from portal.core.i18n import language_order
from portal.core.images import open_image
from portal.core.phones import normalize_phone
from portal.taxonomy.models import Capability, Certification, Industry, LookingFor, Region

WORKING_LANGUAGE_CHOICES = [("th", _("Thai")), ("ja", _("Japanese")), ("en", _("English"))]


def term_group(term) -> tuple[int, str] | None:
    """(order, label) of the group a taxonomy term is shown in on forms, or None for ungrouped terms."""
    if isinstance(term, Industry):
        return (0, _("Focus industries")) if term.is_focus else (1, _("Other industries"))
    if isinstance(term, Capability | Certification):
        groups = type(term)._meta.get_field("group").choices
        codes = [code for code, _label in groups]
        return codes.index(term.group), dict(groups)[term.group]
    return None


class TermBoundField(forms.BoundField):
    @cached_property
    def groups(self) -> list[tuple[str, list]]:
        """The checkboxes in groups, [(group label, [checkbox, ...]), ...] in the groups' order, or [] when
        the terms have no groups (templates/portal/_form_fields.html shows each group as a fieldset)."""
        grouped: dict[tuple[int, str], list] = {}
        for checkbox in self.subwidgets:
            group = term_group(checkbox.data["value"].instance)
            if group is None:
                return []
            grouped.setdefault(group, []).append(checkbox)
        return [(label, checkboxes) for (_order, label), checkboxes in sorted(grouped.items())]


class TermChoiceField(forms.ModelMultipleChoiceField):
    """Taxonomy terms as checkboxes, labelled in the viewer's language, submitted by slug, shown in groups
    (focus and other industries, the capabilities' and certifications' groups)."""

    widget = forms.CheckboxSelectMultiple
    bound_field_class = TermBoundField

    def __init__(self, queryset, **kwargs) -> None:
        super().__init__(queryset=queryset, to_field_name="slug", required=False, **kwargs)

    def label_from_instance(self, obj) -> str:
        return obj.name()


class RegionChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(to_field_name="code", **kwargs)

    def label_from_instance(self, obj) -> str:
        return obj.name()


class AmountField(forms.DecimalField):
    """An amount of money, typed as people write it: digit groups separated by commas or spaces (12,000,000)
    are accepted."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, **kwargs) -> None:
        super().__init__(min_value=0, max_digits=18, decimal_places=2, required=False, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"(?<=\d)[,，\s](?=\d{3}(?!\d))", "", value.strip())
        return super().to_python(value)


class CompanyBasicsForm(PortalForm):
    """Step 1: who the company is. Creates it (pending verification)."""

    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    registration_no = forms.CharField(
        label=_("Registration number"),
        max_length=20,
        help_text=_("Thai juristic person number or Japanese corporate number (13 digits)."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": r"[0-9\- ]{13,17}"}
        ),
    )
    name_en = forms.CharField(label=_("Company name in English"), max_length=200, required=False)
    name_th = forms.CharField(label=_("Company name in Thai"), max_length=200, required=False)
    name_ja = forms.CharField(label=_("Company name in Japanese"), max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].initial = country_of_language()
        # The company's name in the reader's own language first, then the others.
        self.order_fields(["country", "registration_no", *(f"name_{code}" for code in language_order())])

    def clean(self):
        data = super().clean()
        _clean_registration_no(self, data)
        if missing_in_every_language(self, data, "name"):
            raise ValidationError(_("Give the company's name in at least one language."))
        return data


class CurrentLogoInput(forms.FileInput):
    """A file box with the company's current logo before it (the box replaces it; "Remove the current
    logo" below removes it)."""

    def __init__(self, *args, current_url: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.current_url = current_url

    def render(self, name, value, attrs=None, renderer=None):
        current = format_html(
            '<span class="current-logo">{}: <img src="{}" alt="" class="logo" width="48" height="48"></span>',
            _("Current logo"),
            self.current_url,
        )
        return current + super().render(name, value, attrs, renderer)


class CompanyProfileForm(PortalForm):
    """Step 2: size and place (the size class is computed from these)."""

    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    region = RegionChoiceField(
        label=_("Province or prefecture"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("Choose…"),
    )
    employees = forms.IntegerField(label=_("Employees"), min_value=0, required=False)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    annual_revenue = AmountField(
        label=_("Annual revenue"),
        help_text=_("The whole amount in the currency above (e.g. 12,000,000), not in thousands."),
    )
    capital = AmountField(
        label=_("Registered capital"),
        help_text=_("The whole amount in the currency above (e.g. 12,000,000), not in thousands."),
    )
    founded_year = forms.IntegerField(
        label=_("Year founded"), required=False, help_text=_("Buddhist Era years (e.g. 2540) are accepted.")
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    # A plain file field: the picture is read by portal/core/images.py (clean_logo), which says why it is
    # refused (too many pixels, not a PNG/JPEG/WebP), where Django's ImageField says only "not a valid image".
    logo = forms.FileField(label=_("Logo"), required=False, help_text=_("PNG, JPEG or WebP, at most 1 MB."))
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    def __init__(self, *args, company: Company, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if company.logo:  # shown at its field, with the box to remove it just below
            self.fields["logo"].widget = CurrentLogoInput(current_url=company.logo.url)
        else:
            del self.fields["remove_logo"]
        self.fields["region"].queryset = Region.objects.filter(country=company.country)
        if company.country != Country.THAILAND:  # Buddhist Era years are a Thai company's habit
            self.fields["founded_year"].help_text = ""

    def clean_founded_year(self):
        return clean_founded_year(
            self.cleaned_data.get("founded_year"), current_year=timezone.localdate().year
        )

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo:
            return logo
        if logo.size > settings.PORTAL_LOGO_MAX_BYTES:
            raise ValidationError(_("The logo may be at most 1 MB."), code="logo_size")
        # Checked by content: Pillow reads the picture within the pixel limit and only PNG, JPEG and WebP
        # pass (open_image says which rule a file breaks); then the formats the settings allow for logos.
        # The service re-encodes it (services._web_logo).
        open_image(logo, max_bytes=settings.PORTAL_LOGO_MAX_BYTES)
        logo.seek(0)
        with Image.open(logo) as header:
            if header.format not in settings.PORTAL_LOGO_FORMATS:
                raise ValidationError(_("The logo must be a PNG, JPEG or WebP image."), code="logo_format")
        logo.seek(0)
        return logo


class CompanyCapabilitiesForm(PortalForm):
    """Step 3: what the company does and what it looks for."""

    industries = TermChoiceField(Industry.objects.all(), label=_("Industries"))
    # First level only; second-level terms (set by import or API) are kept on save (views/manage.py).
    capabilities = TermChoiceField(Capability.objects.filter(kind=""), label=_("What your company can do"))
    seeking = TermChoiceField(Capability.objects.filter(kind=""), label=_("What you look for in a partner"))
    requires = TermChoiceField(Certification.objects.all(), label=_("Certifications your partners must hold"))
    looking_for = TermChoiceField(LookingFor.objects.all(), label=_("You are looking for"))
    languages = forms.MultipleChoiceField(
        label=_("Working languages"), choices=WORKING_LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )


class CertificateForm(PortalForm):
    certification = forms.ModelChoiceField(
        label=_("Certification"), queryset=Certification.objects.all(), required=False, to_field_name="slug"
    )
    number = forms.CharField(label=_("Certificate number"), max_length=80, required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=120, required=False)
    expires_on = LocalDateField(label=_("Expires on"), required=False)


class BaseCertificateFormSet(forms.BaseFormSet):
    def clean(self):
        seen = set()
        for form in self.forms:
            certification = form.cleaned_data.get("certification") if hasattr(form, "cleaned_data") else None
            if certification is None:
                continue
            if certification.pk in seen:
                raise ValidationError(_("List each certification once."))
            seen.add(certification.pk)

    def certificates(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data.get("certification")]


CertificateFormSet = forms.formset_factory(
    CertificateForm, formset=BaseCertificateFormSet, extra=2, max_num=20
)


class CompanyAboutForm(PortalForm):
    """Step 4: descriptions (any of the three languages) and the contact person (private)."""

    pitch_en = forms.CharField(
        label=_("One-line pitch in English"),
        max_length=160,
        required=False,
        help_text=_(
            "Shown on every card of your company, e.g. “Precision aluminium die-casting for EV parts”."
        ),
    )
    pitch_th = forms.CharField(label=_("One-line pitch in Thai"), max_length=160, required=False)
    pitch_ja = forms.CharField(label=_("One-line pitch in Japanese"), max_length=160, required=False)

    description_en = forms.CharField(
        label=_("Description in English"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_th = forms.CharField(
        label=_("Description in Thai"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_ja = forms.CharField(
        label=_("Description in Japanese"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=120)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=40,
        required=False,
        help_text=_("National or international format, e.g. 02 123 4567 or +66 2 123 4567."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, country: str = "", **kwargs):
        """``country``: the company's, whose numbering plan reads a phone typed in the national form."""
        self.country = country
        super().__init__(*args, **kwargs)
        # The reader's language first (as the name, product and posting forms ask), the pitch's example with
        # the first pitch.
        languages = language_order()
        self.fields[f"pitch_{languages[0]}"].help_text, self.fields["pitch_en"].help_text = (
            self.fields["pitch_en"].help_text,
            self.fields[f"pitch_{languages[0]}"].help_text,
        )
        self.order_fields(
            [*(f"pitch_{code}" for code in languages), *(f"description_{code}" for code in languages)]
        )
        if country == "JP":
            self.fields["contact_phone"].help_text = _(
                "National or international format, e.g. 03-1234-5678 or +81 3-1234-5678."
            )

    def clean_contact_phone(self):
        return normalize_phone(self.cleaned_data.get("contact_phone", ""), country=self.country)

    def clean(self):
        data = super().clean()
        if missing_in_every_language(self, data, "description"):
            raise ValidationError(_("Describe the company in at least one language."))
        return data


class JoinRequestForm(PortalForm):
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    registration_no = forms.CharField(label=_("The company's registration number"), max_length=20)
    message = forms.CharField(
        label=_("Message to the owner"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].initial = country_of_language()

    def clean(self):
        """A number that cannot be valid is said at its field, as on the register form (the service checks
        it again and looks it up)."""
        data = super().clean()
        _clean_registration_no(self, data)
        return data


def _clean_registration_no(form: forms.Form, data: dict) -> None:
    """``data["registration_no"]`` as its 13 digits for ``data["country"]``, or the reason it cannot be
    valid at the field, with a hint when it is valid for the other country."""
    country, number = data.get("country"), data.get("registration_no")
    if not (country and number):
        return
    try:
        data["registration_no"] = clean_registration_number(country, number)
    except ValidationError as exc:
        form.add_error("registration_no", exc)
        if hint := other_country_hint(country, number):
            form.add_error("registration_no", hint)


def country_of_language() -> str:
    """The country a new company most likely has, from the page's language: Japan in Japanese, else
    Thailand (the portal's Thai and English readers are mostly Thai SMEs)."""
    return Country.JAPAN if (translation.get_language() or "").startswith("ja") else Country.THAILAND


def other_country_hint(country: str, number: str) -> str:
    """When ``number`` is not valid for ``country`` but is for the other one, a sentence that says so (the
    country box is the likelier mistake); else ""."""
    other = Country.JAPAN if country == Country.THAILAND else Country.THAILAND
    try:
        clean_registration_number(other, number)
    except ValidationError:
        return ""
    return _(
        "This is a valid number for %(country)s: if the company is there, choose %(country)s as its country."
    ) % {"country": other.label}


class JoinDecisionForm(PortalForm):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])


class MembershipForm(PortalForm):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class VettingForm(PortalForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(VerificationStatus.VERIFIED, _("Verify")), (VerificationStatus.REJECTED, _("Reject"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose Verify or Reject.")},
    )
    reason = forms.CharField(
        label=_("Reason (required to reject; sent to the owner)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    endorsed_by = forms.ChoiceField(
        label=_("Endorsed by"), choices=[("", _("No endorsement"))] + list(Endorser.choices), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == VerificationStatus.REJECTED and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the company is rejected; the owner will read it."))
        return data


class ImportForm(PortalForm):
    file = forms.FileField(label=_("CSV (UTF-8) or XLSX file"))

    def __init__(self, *args, too_large: str = "", **kwargs) -> None:
        """``too_large``: the upload stopped at the size limit before the file was stored (views)."""
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.fields["file"].help_text = _(
            "The columns of the import contract; at most %(size)s and %(rows)s rows."
        ) % {
            "size": filesizeformat(settings.PORTAL_IMPORT_MAX_BYTES),
            "rows": number_format(settings.PORTAL_IMPORT_MAX_ROWS, force_grouping=True),
        }

    def clean_file(self):
        from portal.companies.importer import ImportFailed, precheck_upload

        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload a .csv or .xlsx file."))
        try:
            precheck_upload(upload)
        except ImportFailed as failure:
            raise ValidationError(
                [error.message if error.column == "-" else str(error) for error in failure.errors]
            ) from None
        return upload

    def clean(self):
        if self.too_large:
            self.errors.pop("file", None)
            self.add_error("file", self.too_large)
        return super().clean()
