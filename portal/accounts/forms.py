from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User


class PreferencesForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=[("", _("Same as my browser"))] + list(settings.LANGUAGES),
        required=False,
        help_text=_("Pages and e-mails use this language."),
    )

    @staticmethod
    def initial_for(user: User) -> dict:
        return {"first_name": user.first_name, "last_name": user.last_name, "language": user.language}
