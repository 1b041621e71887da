from django import forms
from django.utils.translation import gettext_lazy as _

from matching.models import IntroductionReport
from portal.core.forms import PortalForm, PortalModelForm


class InterestForm(PortalForm):
    interested = forms.TypedChoiceField(
        choices=[("1", _("Interested")), ("0", _("Not interested"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class IntroductionRequestForm(PortalForm):
    message = forms.CharField(
        label=_("Message to the coordinators"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class IntroductionStageForm(PortalForm):
    stage = forms.ChoiceField(label=_("Stage"), choices=[])
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args, choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = choices


RATING_CHOICES = [("", _("No rating")), *[(str(n), str(n)) for n in range(1, 6)]]


class IntroductionReportForm(PortalModelForm):
    """A member's own report on an introduction: the outcome, a private rating (1–5, optional) and a note."""

    rating = forms.TypedChoiceField(
        label=_("Your rating of the introduction"),
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("1 = not useful, 5 = very useful. Only your company and the coordinators see it."),
    )

    class Meta:
        model = IntroductionReport
        fields = ["outcome", "rating", "note"]
        labels = {"outcome": _("Outcome"), "note": _("Note (optional)")}
        help_texts = {"note": _("Only your company and the coordinators see it.")}
        widgets = {"outcome": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 3, "maxlength": 1000})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [c for c in self.fields["outcome"].choices if c[0]]
        self.fields["note"].max_length = 1000
