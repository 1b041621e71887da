from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.forms import PortalForm
from portal.notifications.kinds import kind_label
from portal.notifications.models import Frequency


class NotificationFilterForm(PortalForm):
    """The list's filters (GET): a kind and unread only. An unknown kind is refused, never an error page."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    unread = forms.BooleanField(label=_("Unread only"), required=False)

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *kinds]


class MarkReadForm(PortalForm):
    """Mark one notification read, or (without ``notification``) all of them."""

    notification = forms.IntegerField(required=False, min_value=1)


class PreferencesForm(PortalForm):
    """One choice per kind that can be switched off: immediately, daily digest, weekly digest, off."""

    def __init__(self, *args, kinds, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind.name] = forms.ChoiceField(
                label=kind_label(kind.name),
                choices=Frequency.choices,
                initial=current.get(kind.name, kind.default),
            )


class SavedSearchForm(PortalForm):
    name = forms.CharField(label=_("Name of the search"), max_length=100)
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)
    frequency = forms.ChoiceField(
        label=_("Alert"),
        choices=[(Frequency.DAILY, _("Daily")), (Frequency.WEEKLY, _("Weekly"))],
        initial=Frequency.WEEKLY,
    )
