"""The base of every form in the project: text fields refuse control characters (``portal/core/text.py``).

A text field is single-line unless its widget is a textarea; password fields are left alone. Forms
inherit ``PortalForm`` or ``PortalModelForm`` (or put ``ControlCharactersMixin`` first when they extend
another library's form); the Django admin's forms get it from ``apply_to_admin`` (called once at start by
``CoreConfig.ready``), so no ``admin.py`` has to remember it. ``tests/portal/test_control_characters.py``
fails for a form that has not got it.
"""

from django import forms

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


class PortalForm(ControlCharactersMixin, forms.Form):
    pass


class PortalModelForm(ControlCharactersMixin, forms.ModelForm):
    pass


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
