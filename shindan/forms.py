"""Forms of the Shindan pages: they validate at the edge; services do the writing."""

import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Role, User
from portal.accounts.rules import GROUP_FOR_ROLE
from portal.companies.models import Company
from portal.core.dates import normalize_input_year
from portal.core.forms import LocalDateField, PortalForm, PortalModelForm
from shindan import selectors, services
from shindan.models import (
    Action,
    ActionStatus,
    ConsultantProfile,
    FinancialStatement,
    Finding,
    Recommendation,
    Stage,
)
from shindan.ratios import LINE_ITEMS

MAX_CHECKLIST_BYTES = 1_000_000


def consultants_queryset():
    return User.objects.filter(groups__name=GROUP_FOR_ROLE[Role.CONSULTANT], is_active=True).order_by("email")


class ConsultantProfileForm(PortalModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=[("th", _("Thai")), ("ja", _("Japanese")), ("en", _("English"))],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ConsultantProfile
        fields = ["qualification", "registration_no", "valid_until", "organisation", "languages"]
        field_classes = {"valid_until": LocalDateField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["languages"] = self.instance.language_list()

    def clean_languages(self) -> str:
        return ",".join(self.cleaned_data["languages"])


class ConsultantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.email


class AssignmentForm(PortalForm):
    consultant = ConsultantChoiceField(label=_("Consultant"), queryset=User.objects.none())
    company = forms.CharField(
        label=_("Company"),
        max_length=64,
        help_text=_("Type part of its name, its registration number or its external ID, then choose it."),
    )
    starts_on = LocalDateField(label=_("From"), initial=timezone.localdate)
    ends_on = LocalDateField(label=_("Until"), required=False, help_text=_("Empty: open-ended."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = consultants_queryset()
        # Suggestions as one types (static/js/directory_suggest.js); choosing one fills in its
        # registration number.
        self.fields["company"].widget.attrs.update(
            {
                "data-suggest-url": reverse("shindan:assignment_companies"),
                "data-suggest-submit": "false",
                "data-suggest-label": _("Companies"),
                "autocomplete": "off",
            }
        )

    def clean_company(self) -> Company:
        found = selectors.companies_for_assignment(self.cleaned_data["company"])
        if not found:
            raise ValidationError(
                _("No company has that registration number, external ID or name."), code="unknown"
            )
        if len(found) > 1:
            raise ValidationError(
                _("Several companies have that name: choose one from the suggestions."), code="ambiguous"
            )
        return found[0]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The assignment must end on or after the day it starts."))
        return cleaned


class ChecklistUploadForm(PortalForm):
    file = forms.FileField(
        label=_("Checklist (JSON)"), help_text=_("The same format as the default checklist.")
    )

    def clean_file(self) -> dict:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CHECKLIST_BYTES:
            raise ValidationError(_("The file is larger than 1 MB."))
        try:
            data = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValidationError(_("This is not a valid JSON file: %(error)s") % {"error": error}) from error
        return data


class DiagnosisCreateForm(PortalForm):
    requested_on = LocalDateField(label=_("Requested on"), initial=timezone.localdate)
    purpose = forms.CharField(
        label=_("Purpose and scope"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    stated_needs = forms.CharField(
        label=_("The company's stated needs"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    co_consultants = forms.ModelMultipleChoiceField(
        label=_("Other consultants"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, company: Company, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        assigned = company.shindan_assignments.active().values_list("consultant_id", flat=True)
        self.fields["co_consultants"].queryset = (
            consultants_queryset().filter(pk__in=assigned).exclude(pk=user.pk)
        )
        self.fields["co_consultants"].label_from_instance = lambda obj: obj.get_full_name() or obj.email
        if not self.fields["co_consultants"].queryset.exists():  # say why the list is empty
            self.fields["co_consultants"].help_text = _(
                "No other consultant is assigned to this company: "
                "coordinators assign consultants to companies."
            )

    def clean_requested_on(self):
        value = self.cleaned_data["requested_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The request date cannot be in the future."))
        return value


class DiagnosisForm(PortalForm):
    site_visit_on = LocalDateField(label=_("Site visit on"), required=False)
    purpose = forms.CharField(
        label=_("Purpose and scope"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    methods = forms.CharField(
        label=_("Methods"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Questionnaire, interviews, factory walk, financial analysis…"),
    )
    stated_needs = forms.CharField(
        label=_("The company's stated needs"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    overview = forms.CharField(
        label=_("Company overview"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    external_analysis = forms.CharField(
        label=_("External analysis"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    conclusion = forms.CharField(
        label=_("Overall conclusion"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    follow_up_plan = forms.CharField(
        label=_("Follow-up plan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class IntervieweeForm(PortalForm):
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    name = forms.CharField(label=_("Name"), max_length=120, required=False)


IntervieweeFormSet = forms.formset_factory(IntervieweeForm, extra=2, max_num=30)


class StageDetailsForm(PortalForm):
    """The date and note of a stage change; the stage comes from the button that was pressed."""

    on = LocalDateField(label=_("Date"), initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class TransitionForm(StageDetailsForm):
    to_stage = forms.ChoiceField(label=_("Move to"), choices=[])

    def __init__(self, *args, stage: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = services.STAGES.allowed(stage)
        self.fields["to_stage"].choices = [(code, label) for code, label in Stage.choices if code in allowed]


class RevisionForm(PortalForm):
    reason = forms.CharField(label=_("Why is the report being revised?"), max_length=300)


SCORE_CHOICES = [
    (services.NOT_ASSESSED, _("Not assessed")),
    ("1", "1"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5"),
    (services.NOT_APPLICABLE, _("N/A")),
]
MAX_PHOTO_BYTES = 5 * 1024 * 1024


class AreaScoresForm(PortalForm):
    """One row per checklist item of an area: score, evidence and an optional photo."""

    def __init__(self, *args, items, existing: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            row = existing.get(item.pk)
            value = services.NOT_ASSESSED if row is None else row.value
            self.fields[f"score_{item.pk}"] = forms.ChoiceField(
                label=item.code,
                choices=SCORE_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                initial=value,
            )
            self.fields[f"evidence_{item.pk}"] = forms.CharField(
                label=_("Evidence"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial="" if row is None else row.evidence,
            )
            self.fields[f"photo_{item.pk}"] = forms.ImageField(label=_("Photo"), required=False)

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
            photo = cleaned.get(f"photo_{item.pk}")
            if photo and photo.size > MAX_PHOTO_BYTES:
                self.add_error(f"photo_{item.pk}", _("A photo may be at most 5 MB."))
        return cleaned

    def entries(self) -> list[dict]:
        return [
            {
                "item": item,
                "value": self.cleaned_data.get(f"score_{item.pk}", ""),
                "evidence": self.cleaned_data.get(f"evidence_{item.pk}", ""),
                "photo": self.cleaned_data.get(f"photo_{item.pk}"),
            }
            for item in self.items
        ]

    def rows(self):
        for item in self.items:
            yield item, self[f"score_{item.pk}"], self[f"evidence_{item.pk}"], self[f"photo_{item.pk}"]


class FiscalYearField(forms.IntegerField):
    """A fiscal year typed in C.E. or B.E. (≥ 2400); cleaned to C.E."""

    default_error_messages = {"invalid": _("Enter the year as a number.")}

    def clean(self, value):
        year = super().clean(value)
        if year is None:
            return year
        year = normalize_input_year(year)
        if not 1950 <= year <= timezone.localdate().year + 1:
            raise ValidationError(_("Enter a fiscal year between 1950 and next year (C.E. or B.E.)."))
        return year


class AmountField(forms.DecimalField):
    """A line item typed as people write it: digit groups separated by commas or spaces (1,000,000) are
    accepted. A text input: a number input refuses the commas in the browser."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"(?<=\d)[,，\s](?=\d{3}(?!\d))", "", value.strip())
            if "e" in value.lower():  # 1.2e6: Decimal reads it, a person reading the statement would not
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class StatementForm(PortalModelForm):
    fiscal_year = FiscalYearField(label=_("Fiscal year"), help_text=_("C.E. or B.E., e.g. 2024 or 2567."))

    class Meta:
        model = FinancialStatement
        fields = ["fiscal_year", "period_end", "currency", "unit", *LINE_ITEMS]
        field_classes = {"period_end": LocalDateField, **dict.fromkeys(LINE_ITEMS, AmountField)}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in services.SIGNED_LINE_ITEMS:
            # A phone's decimal keypad has no minus sign: a loss is typed on the full keyboard.
            self.fields[name].widget.attrs["inputmode"] = "text"

    def _post_clean(self):
        # Uniqueness of the year, the currency and the amounts' signs are the service's rules; skip the
        # model's own checks.
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class FindingForm(PortalModelForm):
    class Meta:
        model = Finding
        fields = ["kind", "severity", "area", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class RecommendationForm(PortalModelForm):
    class Meta:
        model = Recommendation
        fields = ["area", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class ActionForm(PortalModelForm):
    class Meta:
        model = Action
        fields = ["area", "what", "owner", "due_on", "kpi"]
        field_classes = {"due_on": LocalDateField}


class ActionStatusForm(PortalForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class FollowUpForm(PortalForm):
    visited_on = LocalDateField(label=_("Visited on"), initial=timezone.localdate)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, actions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.actions = list(actions)
        for action in self.actions:
            self.fields[f"action_{action.pk}"] = forms.ChoiceField(
                label=action.what, choices=ActionStatus.choices, initial=action.status
            )

    def clean_visited_on(self):
        value = self.cleaned_data["visited_on"]
        if value > timezone.localdate():
            raise ValidationError(_("A visit cannot be in the future."))
        return value

    def statuses(self) -> dict[int, str]:
        return {action.pk: self.cleaned_data[f"action_{action.pk}"] for action in self.actions}
