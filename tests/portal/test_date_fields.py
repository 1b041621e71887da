"""Dates in forms follow the UI language, not the browser: one text field (portal/core/forms.py) shows Thai
dd/mm/yyyy with the B.E. year, Japanese yyyy/mm/dd and English yyyy-mm-dd, says so in its placeholder, and
reads any of them (B.E. years, Thai and full-width digits too)."""

import datetime
import importlib
import inspect
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from portal.core.forms import LocalDateField, LocalDateInput
from tests.factories import MembershipFactory, add_certificate

FORM_MODULES = [
    "portal.accounts.forms",
    "portal.companies.forms",
    "portal.postings.forms",
    "portal.privacy.forms",
    "matching.forms",
    "shindan.forms",
    "events.forms",
]


def _form_classes():
    for name in FORM_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                yield cls
            if issubclass(cls, forms.BaseFormSet) and hasattr(cls, "form"):
                yield cls.form


def test_every_date_in_every_form_is_a_local_date_field():
    dates = {
        f"{cls.__module__}.{cls.__name__}.{field_name}": type(field).__name__
        for cls in _form_classes()
        for field_name, field in cls.base_fields.items()
        if isinstance(field, forms.DateField)
    }

    assert len(dates) >= 14
    assert {name: kind for name, kind in dates.items() if kind != "LocalDateField"} == {}


def test_no_browser_date_input_anywhere():
    sources = [*Path(settings.BASE_DIR, "templates").rglob("*.html")]
    sources += [
        p
        for app in ("portal", "matching", "shindan", "events")
        for p in Path(settings.BASE_DIR, app).rglob("*.py")
    ]
    browser_input = re.compile(r"""type["']?\s*[:=]\s*["'](?:date|time)["']""")
    offenders = [str(p) for p in sources if browser_input.search(p.read_text())]
    assert offenders == []


@pytest.mark.parametrize(
    ("language", "shown", "placeholder"),
    [
        ("th", "31/01/2573", "dd/mm/yyyy (B.E.)"),
        ("ja", "2030/01/31", "yyyy/mm/dd"),
        ("en", "2030-01-31", "yyyy-mm-dd"),
    ],
)
def test_widget_shows_the_date_and_the_order_of_the_ui_language(language, shown, placeholder):
    with translation.override(language):
        html = LocalDateInput().render("due_on", datetime.date(2030, 1, 31))
        expected_placeholder = translation.gettext(placeholder)

    assert f'value="{shown}"' in html
    assert f'placeholder="{expected_placeholder}"' in html
    assert 'type="text"' in html
    assert 'inputmode="numeric"' in html


@pytest.mark.parametrize(
    "typed",
    [
        "31/01/2573",
        "31/1/2030",
        "2030/01/31",
        "2030-01-31",
        "2573-01-31",
        "๓๑/๐๑/๒๕๗๓",
        "２０３０／０１／３１",
        "31.01.2030",
    ],
)
def test_field_reads_every_order_and_buddhist_era_years(typed):
    assert LocalDateField().clean(typed) == datetime.date(2030, 1, 31)


@pytest.mark.parametrize("language", ["th", "ja", "en"])
@pytest.mark.parametrize("typed", ["31/02/2030", "12/31/2030", "2030-13-01", "tomorrow", "1/1/30"])
def test_field_explains_a_bad_date_in_the_ui_language(language, typed):
    with translation.override(language), pytest.raises(forms.ValidationError) as caught:
        LocalDateField().clean(typed)

    message = caught.value.messages[0]
    with translation.override(language):
        pattern = translation.gettext(
            {"th": "dd/mm/yyyy (B.E.)", "ja": "yyyy/mm/dd", "en": "yyyy-mm-dd"}[language]
        )
    assert pattern in message
    if language != "en":
        assert "Enter the date" not in message


@pytest.mark.django_db
def test_thai_owner_sees_and_saves_certificate_dates_in_buddhist_era(client):
    membership = MembershipFactory(user__language="th")
    company = membership.company
    add_certificate(company, "iso-13485", expires_on=datetime.date(2030, 1, 31), number="MD-1")
    client.force_login(membership.user)
    url = reverse("companies:edit", args=[company.pk, "capabilities"])

    page = client.get(url).content.decode()
    assert 'value="31/01/2573"' in page

    client.post(
        url,
        {
            "industries": ["medical-devices"],
            "languages": ["th"],
            "certificates-TOTAL_FORMS": "1",
            "certificates-INITIAL_FORMS": "0",
            "certificates-0-certification": "iso-13485",
            "certificates-0-number": "MD-1",
            "certificates-0-expires_on": "28/02/2574",
        },
    )

    assert company.certificates.get().expires_on == datetime.date(2031, 2, 28)


@pytest.mark.parametrize(("language", "placeholder"), [("th", "ชช:นน"), ("ja", "時:分"), ("en", "hh:mm")])
def test_times_are_typed_on_a_24_hour_clock_whatever_the_browser(language, placeholder):
    from portal.core.forms import LocalTimeInput

    with translation.override(language):
        html = LocalTimeInput().render("starts_at", datetime.time(17, 0))

    assert 'type="text"' in html
    assert 'value="17:00"' in html
    assert f'placeholder="{placeholder}"' in html


def test_a_date_the_calendar_lacks_is_named_and_japanese_dates_with_kanji_are_read():
    with translation.override("en"), pytest.raises(forms.ValidationError) as caught:
        LocalDateField().clean("31/02/2570")
    assert caught.value.messages[0].startswith("There is no such date: 31/02/2570. Enter the date as ")
    with translation.override("en"), pytest.raises(forms.ValidationError) as caught:
        LocalDateField().clean("tomorrow")
    assert caught.value.messages[0].startswith("Enter the date as ")
    assert LocalDateField().clean("2030年1月31日") == datetime.date(2030, 1, 31)
