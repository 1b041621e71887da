from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.forms import PortalForm
from portal.notifications.kinds import THRESHOLD_MAX, THRESHOLD_MIN, kind_label
from portal.notifications.models import Frequency, SearchTarget


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


THRESHOLD_FIELD = "{}.threshold"


class PreferencesForm(PortalForm):
    """One choice per kind that can be switched off: immediately, daily digest, weekly digest, off; and
    for a kind about a score (a new strong match) the score from which it is announced."""

    def __init__(
        self, *args, kinds, current: dict[str, str], thresholds: dict[str, int] | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        thresholds = thresholds or {}
        for kind in kinds:
            self.fields[kind.name] = forms.ChoiceField(
                label=kind_label(kind.name),
                choices=Frequency.choices,
                initial=current.get(kind.name, kind.default),
            )
            if kind.threshold is not None:
                self.fields[THRESHOLD_FIELD.format(kind.name)] = forms.IntegerField(
                    label=_("Lowest score for “%(kind)s”") % {"kind": kind_label(kind.name)},
                    help_text=_("From %(low)s to %(high)s (the best matches score near 100).")
                    % {"low": THRESHOLD_MIN, "high": THRESHOLD_MAX},
                    min_value=THRESHOLD_MIN,
                    max_value=THRESHOLD_MAX,
                    required=False,  # left empty (or not posted): the current score stays
                    initial=thresholds.get(kind.name, kind.threshold),
                )

    def choices(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if not name.endswith(".threshold")}

    def thresholds(self) -> dict[str, int]:
        suffix = THRESHOLD_FIELD.format("")
        return {
            name.removesuffix(suffix): value
            for name, value in self.cleaned_data.items()
            if name.endswith(suffix) and value is not None
        }


class SavedSearchForm(PortalForm):
    name = forms.CharField(label=_("Name of the search"), max_length=100)
    target = forms.ChoiceField(choices=SearchTarget.choices, required=False, widget=forms.HiddenInput)
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)
    frequency = forms.ChoiceField(
        label=_("Alert"),
        choices=[(Frequency.DAILY, _("Daily")), (Frequency.WEEKLY, _("Weekly"))],
        initial=Frequency.WEEKLY,
    )
