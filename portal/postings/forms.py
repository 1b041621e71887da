from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.companies.forms import TermChoiceField
from portal.core.forms import LocalDateField, PortalForm, missing_in_every_language
from portal.core.i18n import language_order
from portal.postings.models import PostingType
from portal.taxonomy.models import Capability, Certification, Industry


class PostingForm(PortalForm):
    type = forms.ChoiceField(label=_("Type"), choices=PostingType.choices)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    title_th = forms.CharField(label=_("Title in Thai"), max_length=200, required=False)
    title_ja = forms.CharField(label=_("Title in Japanese"), max_length=200, required=False)
    body_en = forms.CharField(
        label=_("Text in English"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    body_th = forms.CharField(
        label=_("Text in Thai"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    body_ja = forms.CharField(
        label=_("Text in Japanese"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    industries = TermChoiceField(Industry.objects.all(), label=_("Industries"))
    capabilities = TermChoiceField(Capability.objects.filter(kind=""), label=_("Capabilities"))
    required_certifications = TermChoiceField(Certification.objects.all(), label=_("Required certifications"))
    expires_on = LocalDateField(label=_("Expires on"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The reader's own language first (a Thai member writes in Thai first), then the others.
        languages = language_order()
        self.order_fields(
            ["type", *(f"title_{code}" for code in languages), *(f"body_{code}" for code in languages)]
        )

    def clean_expires_on(self):
        # As the service refuses it (postings.services._validate), here too: with the form's other errors
        # at once, not on the next try.
        expires = self.cleaned_data.get("expires_on")
        if expires and expires < timezone.localdate():
            raise forms.ValidationError(_("The expiry date is in the past."), code="expired")
        return expires

    def clean(self):
        data = super().clean()
        if missing_in_every_language(self, data, "title"):
            raise forms.ValidationError(_("Give the posting a title in at least one language."))
        return data

    @staticmethod
    def initial_for(posting) -> dict:
        initial = {key: getattr(posting, key) for key in ("type", "expires_on")}
        for lang in ("en", "th", "ja"):
            initial[f"title_{lang}"] = getattr(posting, f"title_{lang}")
            initial[f"body_{lang}"] = getattr(posting, f"body_{lang}")
        for key in ("industries", "capabilities", "required_certifications"):
            initial[key] = list(getattr(posting, key).all())
        return initial


class PostingStatusForm(PortalForm):
    status = forms.ChoiceField(choices=[("published", "published"), ("closed", "closed"), ("draft", "draft")])


class ModerationForm(PortalForm):
    hidden = forms.BooleanField(label=_("Hide this posting"), required=False)
    note = forms.CharField(
        label=_("Note to the company"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
