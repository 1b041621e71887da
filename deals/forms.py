from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from deals.files import allowed_extensions, check_upload
from deals.models import BlockKind, Origin, PriceBasis, RequestKind
from deals.services import PIPELINE_STEPS
from portal.companies.models import Currency
from portal.core.forms import PortalForm

LANGUAGE_CHOICES = [
    ("", _("Detect from the text")),
    ("th", _("Thai")),
    ("ja", _("Japanese")),
    ("en", _("English")),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def _files_help_text() -> str:
    kinds = _("PDF, images, drawings (CAD) and Office documents: %(types)s.") % {
        "types": allowed_extensions()
    }
    limits = _("At most %(count)s files, %(size)s MB each.") % {
        "count": settings.DEALS_ATTACHMENTS_PER_MESSAGE,
        "size": settings.DEALS_ATTACHMENT_MAX_BYTES // (1024 * 1024),
    }
    return f"{kinds} {limits}"


# Formatted when shown, in the reader's language (a lazy string formatted at import would stay English).
_files_help = lazy(_files_help_text, str)


class MessageForm(PortalForm):
    text = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    language = forms.ChoiceField(label=_("Language of the message"), choices=LANGUAGE_CHOICES, required=False)
    files = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_files_help(),
    )


class EditForm(PortalForm):
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))


class OpenForm(PortalForm):
    company = forms.IntegerField(widget=forms.HiddenInput)
    origin = forms.ChoiceField(choices=Origin.choices, initial=Origin.COMPANY_PAGE, widget=forms.HiddenInput)


class BlockForm(PortalForm):
    kind = forms.ChoiceField(
        label=_("Notifications and messages from this company"),
        choices=[
            ("none", _("Allow")),
            (BlockKind.MUTE, _("Mute notifications")),
            (BlockKind.BLOCK, _("Block")),
        ],
    )


class ReportForm(PortalForm):
    reason = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))


class HelpForm(PortalForm):
    kind = forms.ChoiceField(label=_("You need"), choices=RequestKind.choices)
    note = forms.CharField(
        label=_("Note for the coordinator"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


STEP_LABELS = {
    "nda": _("NDA signed"),
    "samples": _("Samples / RFQ sent"),
    "order": _("Order"),
    "joint_venture": _("Joint venture"),
    "no_deal": _("No deal"),
}


class StepForm(PortalForm):
    # Nothing chosen at first (the empty choice reads "Choose…"): a step is recorded on purpose, never by
    # sending the form on its first option.
    step = forms.ChoiceField(
        label=_("Where the deal stands"),
        choices=[("", BLANK_CHOICE_DASH[0][1]), *[(k, STEP_LABELS[k]) for k in PIPELINE_STEPS]],
    )
    reason = forms.CharField(
        label=_("Reason (required for “no deal”)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class TranslationForm(PortalForm):
    language = forms.ChoiceField(label=_("Translation into"), choices=LANGUAGE_CHOICES[1:])
    text = forms.CharField(label=_("Translation"), widget=forms.Textarea(attrs={"rows": 3}))


class ProposalForm(PortalForm):
    offer = forms.CharField(label=_("What you offer for this need"), widget=forms.Textarea(attrs={"rows": 6}))
    capabilities = forms.ModelMultipleChoiceField(
        label=_("Capabilities that apply"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    certificates = forms.ModelMultipleChoiceField(
        label=_("Certificates that apply"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    lead_time_days = forms.IntegerField(label=_("Lead time (days)"), min_value=0, max_value=3650)
    price_min = forms.DecimalField(
        label=_("Price from (optional)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    price_max = forms.DecimalField(
        label=_("Price to (optional)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=[("", "—"), *Currency.choices], required=False)
    price_basis = forms.ChoiceField(
        label=_("The price is"), choices=[("", "—"), *PriceBasis.choices], required=False
    )
    files = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_files_help(),
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        self.fields["capabilities"].queryset = company.capabilities.all()
        self.fields["certificates"].queryset = company.certificates.select_related("certification")
        today = timezone.localdate()
        self.fields["certificates"].label_from_instance = lambda c: (
            f"{c.certification} — " + str(_("expired"))
            if c.expires_on and c.expires_on < today
            else str(c.certification)
        )

    def clean(self):
        # The price's rules are ``proposal_submit``'s (all broken ones at once, put on their fields by the
        # view); here only the note that chosen files are gone when the form comes back.
        data = super().clean()
        if self.errors:
            self.note_files_dropped()
        return data

    def note_files_dropped(self) -> None:
        """Files chosen in a form that comes back with errors are not chosen any more (browsers never
        refill a file box): say so beside it, or, for a file we would refuse anyway (its type, its size),
        why, so that the same file is not chosen again (``files.check_upload``, as the service checks)."""
        uploads = self.files.getlist("files")
        if not uploads or "files" in self.errors:
            return
        refused = []
        for upload in uploads:
            try:
                check_upload(upload)
            except ValidationError as error:
                refused.extend(error.messages)
        general = self._errors.get(NON_FIELD_ERRORS)
        if refused and general:
            # The service refused the same file for the whole form: said once, at the file box.
            kept = [error for error in general.as_data() if not set(error.messages) & set(refused)]
            if kept:
                self._errors[NON_FIELD_ERRORS] = self.error_class(kept, error_class="nonfield")
            else:
                del self._errors[NON_FIELD_ERRORS]
        self.add_error(
            "files",
            refused or [_("Choose the files again: a form that comes back with an error keeps none.")],
        )


class DecisionForm(PortalForm):
    status = forms.ChoiceField(
        choices=[("shortlisted", _("Shortlist")), ("declined", _("Decline")), ("accepted", _("Accept"))]
    )
    reason = forms.CharField(
        label=_("Reason (told to the proposer)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
