"""Forms of the event pages (validation at the edge; services write)."""

import datetime
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.models import Attendance, Event, MeetingReport, Outcome, Participant
from portal.core.forms import (
    LocalDateField,
    LocalTimeInput,
    OwnReportForm,
    PortalForm,
    PortalModelForm,
    rating_field,
)
from portal.core.i18n import language_names

TIME_WIDGET = LocalTimeInput()


class MeetingDayForm(PortalForm):
    date = LocalDateField(label=_("Date"))
    starts_at = forms.TimeField(
        label=pgettext_lazy("time of day", "From"), widget=TIME_WIDGET, initial=datetime.time(9, 0)
    )
    ends_at = forms.TimeField(
        label=pgettext_lazy("time of day", "Until"), widget=TIME_WIDGET, initial=datetime.time(17, 0)
    )
    slot_minutes = forms.IntegerField(
        label=_("Slot length (minutes)"), min_value=10, max_value=240, initial=30
    )
    breaks = forms.CharField(
        label=_("Breaks"), required=False, initial="12:00-13:00", help_text=_("e.g. 12:00-13:00, 15:00-15:15")
    )
    tables = forms.IntegerField(label=_("Tables"), min_value=1, max_value=500, initial=20)

    def clean_breaks(self) -> list[list[str]]:
        result = []
        for chunk in self.cleaned_data["breaks"].split(","):
            chunk = chunk.strip()
            if not chunk:
                continue
            try:
                start, end = (datetime.time.fromisoformat(part.strip()) for part in chunk.split("-"))
            except ValueError as error:
                raise ValidationError(_("Write breaks as 12:00-13:00, separated by commas.")) from error
            if end <= start:
                raise ValidationError(_("A break must end after it starts."))
            result.append([start.strftime("%H:%M"), end.strftime("%H:%M")])
        return result


class DelegationForm(PortalForm):
    name_en = forms.CharField(label=capfirst(_("name (English)")), max_length=200)
    name_th = forms.CharField(label=capfirst(_("name (Thai)")), max_length=200, required=False)
    name_ja = forms.CharField(label=capfirst(_("name (Japanese)")), max_length=200, required=False)
    target_size = forms.IntegerField(label=_("Target size"), min_value=1, max_value=1000, initial=30)


LANGUAGE_ORDER = ["th", "en", "ja"]  # of the two languages of a stored pair
LANGUAGE_PAIRS = ["th-ja", "en-ja", "th-en"]


class LanguagePairsField(forms.MultipleChoiceField):
    """Checkboxes of the pairs an interpreter covers ("Thai–Japanese", …), stored as "th-ja, en-ja". A pair
    typed as text ("ja-th, en-ja", the API's and the admin's form) is read too, in either direction."""

    def __init__(self, **kwargs) -> None:
        choices = [(pair, lazy(language_names, str)(pair)) for pair in LANGUAGE_PAIRS]
        super().__init__(choices=choices, widget=forms.CheckboxSelectMultiple, **kwargs)

    def to_python(self, value) -> list[str]:
        pairs = []
        for piece in (piece for item in super().to_python(value) for piece in item.split(",")):
            chunk = piece.strip()
            parts = [part.strip() for part in chunk.split("-")]
            if len(parts) == 2 and set(parts) <= set(LANGUAGE_ORDER) and parts[0] != parts[1]:
                chunk = "-".join(sorted(parts, key=LANGUAGE_ORDER.index))
            if chunk and chunk not in pairs:
                pairs.append(chunk)
        return pairs


class InterpreterForm(PortalForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    language_pairs = LanguagePairsField(label=_("Language pairs"), initial=["th-ja"])

    def clean_language_pairs(self) -> str:
        """The chosen pairs as stored, in the order of the choices."""
        chosen = self.cleaned_data["language_pairs"]
        return ", ".join(value for value, _label in self.fields["language_pairs"].choices if value in chosen)


class ParticipantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.company.display_name()


class MustMeetForm(PortalForm):
    thai = ParticipantChoiceField(label=_("Thai company"), queryset=Participant.objects.none())
    japanese = ParticipantChoiceField(label=_("Japanese company"), queryset=Participant.objects.none())

    def __init__(self, *args, event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        active = event.participants.filter(status__in=["confirmed", "arrived"]).select_related("company")
        self.fields["thai"].queryset = active.filter(company__country="TH")
        self.fields["japanese"].queryset = active.filter(company__country="JP")


class ExhibitorForm(PortalForm):
    booth = forms.CharField(label=_("Booth (if known)"), max_length=20, required=False)


class RepresentativeForm(PortalForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    role = forms.CharField(label=_("Role"), max_length=120, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=[("th", _("Thai")), ("ja", _("Japanese")), ("en", _("English"))],
        widget=forms.CheckboxSelectMultiple,
    )


class MeetingRequestForm(PortalForm):
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000
    )


class AnswerForm(PortalForm):
    accept = forms.TypedChoiceField(
        choices=[("1", _("Accept")), ("0", _("Decline"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class MeetingRecordForm(PortalForm):
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Attendance.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, required=False)
    notes = forms.CharField(label=_("Notes"), max_length=1000, required=False)


class MeetingReportForm(OwnReportForm):
    """A member's own report on a meeting: the outcome, a private rating (1–5, optional) and a note."""

    rating = rating_field(_("Your rating of the meeting"))

    class Meta(OwnReportForm.Meta):
        model = MeetingReport


class EventForm(PortalModelForm):
    class Meta:
        model = Event
        fields = [
            "slug", "name_en", "name_th", "name_ja", "description_en", "description_th", "description_ja",
            "venue_en", "venue_th", "venue_ja", "organiser_en", "organiser_th", "organiser_ja",
            "starts_on", "ends_on", "time_zone", "is_public", "industries",
            "request_expiry_hours", "max_requests_per_company", "max_meetings_per_company",
            "min_meetings_per_company", "scheduler_seconds",
        ]  # fmt: skip
        field_classes = {"starts_on": LocalDateField, "ends_on": LocalDateField}
        widgets = {
            "industries": forms.CheckboxSelectMultiple,
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "description_th": forms.Textarea(attrs={"rows": 3}),
            "description_ja": forms.Textarea(attrs={"rows": 3}),
        }
        # Django's own message says "slug", a word a coordinator never reads on the form.
        help_texts = {
            "slug": _("Part of the event's web address, e.g. thailand-industry-expo-2027."),
        }
        error_messages = {
            "slug": {
                "invalid": _(
                    "Use only lower-case Latin letters, digits and hyphens, e.g. thailand-industry-expo-2027."
                )
            },
        }

    def clean_time_zone(self) -> str:
        value = self.cleaned_data["time_zone"]
        if value not in zoneinfo.available_timezones():
            raise ValidationError(_("Unknown time zone, e.g. Asia/Bangkok."))
        return value

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day cannot be before the first."))
        least, most = cleaned.get("min_meetings_per_company"), cleaned.get("max_meetings_per_company")
        if least is not None and most is not None and least > most:
            self.add_error(
                "min_meetings_per_company",
                _("The meetings each company should get cannot be more than it may have (%(most)s).")
                % {"most": most},
            )
        return cleaned
