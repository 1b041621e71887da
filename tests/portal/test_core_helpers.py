"""The shared helpers every app's services and views use: transition tables and view service calls."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.test import RequestFactory

from portal.core.service_calls import call_service_for_form, call_service_for_view, error_codes
from portal.core.transitions import INVALID_TRANSITION, Transitions


class Light(TextChoices):
    RED = "red", "Red"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"


LIGHTS = Transitions(
    Light,
    {Light.RED: {Light.GREEN}, Light.GREEN: {Light.AMBER}, Light.AMBER: {Light.RED}},
    message="A light cannot go from “%(from)s” to “%(to)s”.",
)


def test_transitions_allow_exactly_the_table():
    assert LIGHTS.allowed(Light.RED) == frozenset({"green"})
    assert LIGHTS.allowed("amber") == frozenset({"red"})
    assert LIGHTS.can("red", Light.GREEN) is True
    assert LIGHTS.can(Light.RED, "amber") is False
    assert LIGHTS.allowed("unknown") == frozenset()


def test_transition_refusal_names_both_states_and_carries_a_code():
    with pytest.raises(ValidationError) as refused:
        LIGHTS.check(Light.RED, Light.AMBER)

    assert refused.value.messages == ["A light cannot go from “Red” to “Amber”."]
    assert refused.value.code == INVALID_TRANSITION
    assert refused.value.params == {"from": "red", "to": "amber"}


def test_transition_table_with_an_unknown_state_is_refused_at_import():
    with pytest.raises(ValueError, match="unknown states"):
        Transitions(Light, {Light.RED: {"blue"}}, message="")


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_view_service_call_reports_success():
    request = _request()

    result = call_service_for_view(request, lambda *, x: x * 2, x=21, success="Done.")

    assert (result.ok, result.value, result.error) == (True, 42, None)
    assert [str(m) for m in get_messages(request)] == ["Done."]


def test_view_service_call_turns_a_refusal_into_one_error_message_with_codes():
    def refuse(**kwargs):
        raise ValidationError({"name": ValidationError("No name.", code="name_required")})

    request = _request()

    result = call_service_for_view(request, refuse, success="Done.")

    assert result.ok is False
    assert result.codes == frozenset({"name_required"})
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [("error", "No name.")]


def test_error_codes_of_a_list_of_errors():
    error = ValidationError([ValidationError("a", code="one"), ValidationError("b", code="two")])

    assert error_codes(error) == frozenset({"one", "two"})


def test_view_service_call_with_a_form_puts_the_refusal_on_the_form_not_in_messages():
    from django import forms

    class NameForm(forms.Form):
        name = forms.CharField()

    def refuse(**kwargs):
        raise ValidationError(
            {
                "name": ValidationError("Taken.", code="taken"),
                "other": ValidationError("Not on the form.", code="other"),
            }
        )

    request = _request()
    form = NameForm({"name": "Siam"})
    assert form.is_valid()

    result = call_service_for_view(request, refuse, form=form, success="Done.")

    assert result.codes == frozenset({"taken", "other"})
    assert form.errors == {"name": ["Taken."], "__all__": ["Not on the form."]}
    assert list(get_messages(request)) == []


def test_form_service_call_passes_the_fields_when_valid_and_flashes_the_refusal_otherwise():
    from django import forms

    class NameForm(forms.Form):
        name = forms.CharField()

    calls = []
    request = _request()

    result = call_service_for_form(
        request, NameForm({"name": "Siam"}), lambda **kw: calls.append(kw) or "ok", refused="Say a name.", x=1
    )

    assert (result.ok, result.value, calls) == (True, "ok", [{"x": 1, "name": "Siam"}])
    invalid = call_service_for_form(request, NameForm({}), calls.append, refused="Say a name.")
    assert (invalid, len(calls)) == (None, 1)
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [("error", "Say a name.")]


def test_form_service_call_can_name_what_was_wrong():
    from django import forms

    class AnswerForm(forms.Form):
        accept = forms.ChoiceField(choices=[("1", "Yes"), ("0", "No")])
        reason = forms.CharField(label="Reason", max_length=3, required=False)

    calls = []
    request = _request()

    invalid = call_service_for_form(
        request, AnswerForm({"reason": "long"}), calls.append, refused="Choose one.", name_fields=True
    )

    assert (invalid, calls) == (None, [])
    assert [str(m) for m in get_messages(request)] == [
        "Choose one. Reason: Ensure this value has at most 3 characters (it has 4)."
    ]


def test_japanese_date_and_time_are_spaced():
    """Django's ja DATETIME_FORMAT runs the date into the time ("2026年12月6日13:44"); ours
    (portal/formats/ja/formats.py) spaces them, as Japanese dates and times are written."""
    import datetime

    from django.utils import translation

    from portal.core.templatetags.portal import localdatetime

    moment = datetime.datetime(2026, 12, 6, 6, 44, tzinfo=datetime.UTC)  # 13:44 in Bangkok
    with translation.override("ja"):
        assert localdatetime(moment) == "2026年12月6日 13:44"
    with translation.override("th"):
        assert localdatetime(moment) == "6 ธันวาคม 2569, 13:44"
