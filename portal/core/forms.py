"""The base of every form in the project: text fields refuse control characters (``portal/core/text.py``).

A text field is single-line unless its widget is a textarea; password fields are left alone. Forms
inherit ``PortalForm`` or ``PortalModelForm`` (or put ``ControlCharactersMixin`` first when they extend
another library's form); ``tests/portal/test_control_characters.py`` fails for a form that does not.
"""

from django import forms

from portal.core.text import ControlCharacterValidator


class ControlCharactersMixin:
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
                continue
            validator = ControlCharacterValidator(multiline=isinstance(field.widget, forms.Textarea))
            if validator not in field.validators:
                field.validators.append(validator)


class PortalForm(ControlCharactersMixin, forms.Form):
    pass


class PortalModelForm(ControlCharactersMixin, forms.ModelForm):
    pass
