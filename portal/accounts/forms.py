from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.core.forms import PortalForm


class PreferencesForm(PortalForm):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=[("", _("Same as my browser"))] + list(settings.LANGUAGES),
        required=False,
        help_text=_("Pages and e-mails use this language."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if (translation.get_language() or "").startswith("ja"):
            self.order_fields(["last_name", "first_name"])  # 姓 before 名, as Japanese forms ask

    @staticmethod
    def initial_for(user: User) -> dict:
        return {"first_name": user.first_name, "last_name": user.last_name, "language": user.language}


class ApiTokenForm(PortalForm):
    """A new API token. ``code`` is asked only of users with two-factor authentication who have not used
    it in this session in the last minutes (``api_token_issue`` decides)."""

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What will use the token, for example “ERP export script”."),
    )
    expires_in_days = forms.IntegerField(label=_("Valid for (days)"), min_value=1)
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=64,
        help_text=_("Or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, ask_code: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        days = self.fields["expires_in_days"]
        days.max_value = settings.PORTAL_API_TOKEN_MAX_DAYS
        days.validators.append(MaxValueValidator(settings.PORTAL_API_TOKEN_MAX_DAYS))
        days.widget.attrs.update(min=1, max=settings.PORTAL_API_TOKEN_MAX_DAYS)
        days.initial = settings.PORTAL_API_TOKEN_DAYS
        days.help_text = _("At most %(days)d days.") % {"days": settings.PORTAL_API_TOKEN_MAX_DAYS}
        if ask_code:
            self.fields["code"].required = True
        else:
            del self.fields["code"]
