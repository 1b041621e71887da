from allauth.account.forms import SignupForm
from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.forms import ControlCharactersMixin, LocalDateField, PortalForm
from portal.privacy import services
from portal.privacy.models import Purpose, RequestKind

_format_html_lazy = lazy(format_html, str)


def _notice_help():
    return _format_html_lazy(
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        reverse_lazy("privacy_notice"),
        _("Read the privacy notice"),
    )


# An unticked required consent: "tick the box", not Django's "this field is required" (fill in the box).
_TICK = {"required": _("Tick the box to agree: the portal cannot run an account without it.")}


class ConsentSignupForm(ControlCharactersMixin, SignupForm):
    """allauth's sign-up with the consents the portal needs (recorded with the notice version)."""

    consent_account = forms.BooleanField(label=Purpose.ACCOUNT.label, required=True, error_messages=_TICK)
    consent_transfer_japan = forms.BooleanField(
        label=Purpose.TRANSFER_JAPAN.label, required=True, error_messages=_TICK
    )
    consent_news = forms.BooleanField(label=Purpose.NEWS.label, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent_account"].help_text = _notice_help()
        # The account first (e-mail, password twice), then what the person agrees to, just above the button.
        consents = [name for name in self.fields if name.startswith("consent_")]
        self.order_fields([*(name for name in self.fields if name not in consents), *consents])

    def save(self, request):
        user = super().save(request)
        purposes = [Purpose.ACCOUNT, Purpose.TRANSFER_JAPAN]
        if self.cleaned_data.get("consent_news"):
            purposes.append(Purpose.NEWS)
        services.consents_record(user=user, purposes=purposes)
        return user


class ReconsentForm(PortalForm):
    """Asked when the notice changed: the required purposes again, news optional."""

    consent_account = forms.BooleanField(label=Purpose.ACCOUNT.label, required=True, error_messages=_TICK)
    consent_transfer_japan = forms.BooleanField(
        label=Purpose.TRANSFER_JAPAN.label, required=True, error_messages=_TICK
    )
    consent_news = forms.BooleanField(label=Purpose.NEWS.label, required=False)


class DeleteAccountForm(PortalForm):
    """The password (the view adds allauth's re-authentication rate limit, so it cannot be guessed here from
    a session left open)."""

    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("The password is not correct."), code="wrong_password")
        return ""


class LogRequestForm(PortalForm):
    kind = forms.ChoiceField(label=pgettext_lazy("data request", "Request"), choices=RequestKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    received_on = LocalDateField(label=_("Received on"))
    details = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean_received_on(self):
        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():  # the 30 days run from it: a date ahead would push them out
            raise forms.ValidationError(_("The date cannot be in the future."), code="future_date")
        return received

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("name") and not cleaned.get("email"):
            raise forms.ValidationError(_("Give the person's name or e-mail."))
        return cleaned


class CloseRequestForm(PortalForm):
    status = forms.ChoiceField(
        label=_("Result"),
        choices=[("done", _("Done")), ("rejected", pgettext_lazy("data request", "Rejected"))],
    )
    outcome = forms.CharField(label=_("What was done"), max_length=2000)
