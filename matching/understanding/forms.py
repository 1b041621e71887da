from django import forms
from django.utils.translation import gettext_lazy as _

from matching.models import InferenceKind
from portal.core.forms import LocalDateField, PortalForm


class VerifyStatedCertificateForm(PortalForm):
    expires_on = LocalDateField(label=_("Valid until"))


class InferenceOverrideForm(PortalForm):
    kind = forms.ChoiceField(choices=InferenceKind.choices)
    slug = forms.SlugField(max_length=40)
    confirmed = forms.TypedChoiceField(
        choices=[("1", _("Confirm")), ("0", _("Remove"))], coerce=lambda v: v == "1"
    )
