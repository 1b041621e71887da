from django import forms
from django.utils.translation import gettext_lazy as _

from matching.models import IntroductionReport
from portal.core.forms import OwnReportForm, PortalForm, rating_field


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


class IntroductionReportForm(OwnReportForm):
    """A member's own report on an introduction: the outcome, a private rating (1–5, optional) and a note."""

    rating = rating_field(_("Your rating of the introduction"))

    class Meta(OwnReportForm.Meta):
        model = IntroductionReport
