from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.forms import PortalForm


class VerifyStatedCertificateForm(PortalForm):
    expires_on = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))
