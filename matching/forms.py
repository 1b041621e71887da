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
    """The coordinators' form: the next stage (``choices``, the allowed steps) or none (the first choice says
    the stage stays, so saving a note never moves the introduction), and a note."""

    stage = forms.ChoiceField(label=_("Stage"), choices=[], required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args, choices, current: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        stays = _("No change (stays “%(stage)s”)") % {"stage": current}
        self.fields["stage"].choices = [("", stays), *choices]

    def clean(self):
        data = super().clean()
        if not data.get("stage") and not (data.get("note") or "").strip():
            raise forms.ValidationError(_("Choose the next stage or write a note."), code="nothing")
        return data


class IntroductionReportForm(OwnReportForm):
    """A member's own report on an introduction: the outcome, a private rating (1–5, optional) and a note."""

    rating = rating_field(_("Your rating of the introduction"))

    class Meta(OwnReportForm.Meta):
        model = IntroductionReport
