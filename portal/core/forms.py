"""Form pieces shared by every app.

* The base of every form: text fields refuse control characters (``portal/core/text.py``). A text field is
  single-line unless its widget is a textarea; password fields are left alone. Forms inherit
  ``PortalForm`` or ``PortalModelForm`` (or put ``ControlCharactersMixin`` first when they extend another
  library's form); the Django admin's forms get it from ``apply_to_admin`` (called once at start by
  ``CoreConfig.ready``), so no ``admin.py`` has to remember it. ``tests/portal/test_control_characters.py``
  fails for a form that has not got it.
* The one date field of the portal. The browser's own date input follows the browser's locale
  (mm/dd/yyyy in an English browser, whatever the portal's language) and never shows a Buddhist Era year.
  ``LocalDateField`` is a text field that shows and reads dates in the UI language's order
  (portal/core/dates.py: Thai dd/mm/yyyy B.E., Japanese yyyy/mm/dd, English yyyy-mm-dd), with a
  placeholder that says so. Every form with a date uses it (tests/portal/test_date_fields.py).
* A select's empty choice reads "Choose…" (or "—" when the field is optional), never "---------"
  (``EmptyChoiceMixin``, part of ``PortalForm`` and ``PortalModelForm``).
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_lazy

from portal.core.dates import DATE_INPUT_ORDER, NoSuchDate, format_date_input, parse_date_input
from portal.core.text import ControlCharacterValidator


class ControlCharactersMixin:
    def full_clean(self) -> None:
        # At validation time, not in __init__: forms that add fields in their own __init__ get it too.
        for field in self.fields.values():
            if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
                continue
            validator = ControlCharacterValidator(multiline=isinstance(field.widget, forms.Textarea))
            if validator not in field.validators:
                field.validators.append(validator)
        super().full_clean()


BLANK_LABEL = "---------"  # Django's empty choice (django.db.models.fields.BLANK_CHOICE_DASH)


class EmptyChoiceMixin:
    """A select's empty choice says what to do, in the reader's language, instead of Django's "---------":
    "Choose…" when a value is required, "—" when none may be chosen. Applied when a field is rendered, so
    fields a form adds in its own ``__init__`` get it too."""

    def __getitem__(self, name):
        field = self.fields.get(name)
        if isinstance(field, forms.ChoiceField):
            empty = gettext_lazy("Choose…") if field.required else "—"
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label == BLANK_LABEL:
                    field.empty_label = empty
            elif any(value == "" and label == BLANK_LABEL for value, label in field.choices):
                field.choices = [
                    (value, empty if value == "" and label == BLANK_LABEL else label)
                    for value, label in field.choices
                ]
        return super().__getitem__(name)


class PortalForm(EmptyChoiceMixin, ControlCharactersMixin, forms.Form):
    pass


class PortalModelForm(EmptyChoiceMixin, ControlCharactersMixin, forms.ModelForm):
    pass


RATING_CHOICES = [("", gettext_lazy("No rating")), *[(str(n), str(n)) for n in range(1, 6)]]


class OwnReportForm(PortalModelForm):
    """One side's own report on a meeting or an introduction (``events.MeetingReport``,
    ``matching.IntroductionReport``): the outcome, a private rating (1–5, optional) and a note. A subclass
    names its model in ``class Meta(OwnReportForm.Meta)`` and its rating's label with ``rating_field``."""

    class Meta:
        fields = ["outcome", "rating", "note"]
        labels = {"outcome": gettext_lazy("Outcome"), "note": gettext_lazy("Note (optional)")}
        help_texts = {"note": gettext_lazy("Only your company and the coordinators see it.")}
        widgets = {"outcome": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 3, "maxlength": 1000})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [c for c in self.fields["outcome"].choices if c[0]]
        self.fields["note"].max_length = 1000


def missing_in_every_language(form: forms.BaseForm, data: dict, field: str) -> bool:
    """Whether a text the portal needs in at least one language (``<field>_en``/``_th``/``_ja``) is in
    none: not given in any, and not refused in one (a name too long was typed: the form says what is wrong
    with it, not that it is missing)."""
    names = [f"{field}_{code}" for code in ("en", "th", "ja")]
    return not any(data.get(name) for name in names) and not any(name in form.errors for name in names)


def rating_field(label) -> forms.TypedChoiceField:
    """The private 1–5 rating of an ``OwnReportForm`` (none allowed)."""
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "1 = not useful, 5 = very useful. Only your company and the coordinators see it."
        ),
    )


def with_control_characters_rule(form_class: type) -> type:
    """``form_class`` with the mixin in front (itself when it has it already)."""
    if issubclass(form_class, ControlCharactersMixin):
        return form_class
    return type(
        form_class.__name__, (ControlCharactersMixin, form_class), {"__module__": form_class.__module__}
    )


def apply_to_admin(site) -> None:
    """Every form of every registered ModelAdmin and of its inlines refuses control characters."""
    for model_admin in site._registry.values():
        for attribute in ("form", "add_form"):
            if hasattr(model_admin, attribute):
                setattr(model_admin, attribute, with_control_characters_rule(getattr(model_admin, attribute)))
        for inline in model_admin.inlines:
            inline.form = with_control_characters_rule(inline.form)


# What the placeholder and the error message say the order is, per language.
DATE_PATTERNS = {
    "dmy": gettext_lazy("dd/mm/yyyy (B.E.)"),
    "ymd-ja": gettext_lazy("yyyy/mm/dd"),
    "ymd": gettext_lazy("yyyy-mm-dd"),
}


def _language() -> str:
    return (get_language() or "en")[:2]


def date_pattern(language: str | None = None) -> str:
    language = language or _language()
    order = DATE_INPUT_ORDER.get(language, "ymd")
    return str(DATE_PATTERNS["ymd-ja" if order == "ymd" and language == "ja" else order])


class LocalDateInput(forms.TextInput):
    """A text input showing the date in the active language's order, with the order as placeholder."""

    def __init__(self, attrs=None) -> None:
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "size": 12, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return format_date_input(value, _language())
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", date_pattern())
        return context


class LocalDateField(forms.DateField):
    widget = LocalDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return timezone.localdate(value) if timezone.is_aware(value) else value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date_input(str(value))
        except ValueError as error:
            example = format_date_input(timezone.localdate(), _language())
            message = gettext("Enter the date as %(pattern)s, e.g. %(example)s.") % {
                "pattern": date_pattern(),
                "example": example,
            }
            if isinstance(error, NoSuchDate):  # well written, but not in the calendar (31/02): say so first
                message = (
                    gettext("There is no such date: %(date)s.") % {"date": str(value).strip()} + " " + message
                )
            raise ValidationError(message, code="invalid") from error


class LocalTimeInput(forms.TimeInput):
    """A 24-hour hh:mm text input: the browser's own time input shows 09:00 AM in an English browser."""

    def __init__(self, attrs=None) -> None:
        attrs = {"inputmode": "numeric", "autocomplete": "off", "size": 6, **(attrs or {})}
        super().__init__(attrs, format="%H:%M")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", gettext("hh:mm"))
        return context
