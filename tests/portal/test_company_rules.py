"""Pure company rules: registration-number check digits, SME size classes, B.E. year input."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.companies.identifiers import format_registration_number
from portal.companies.sizing import japan_size_class, size_class, thai_size_class
from portal.companies.validation import clean_founded_year, clean_registration_number


@pytest.mark.parametrize(
    ("country", "typed", "digits"),
    [
        ("TH", "0105536112014", "0105536112014"),
        ("TH", "0-10-5-536-11201-4", "0105536112014"),
        ("TH", "0994000617721", "0994000617721"),
        ("JP", "4011001098993", "4011001098993"),
        ("JP", "5835678256246", "5835678256246"),
        ("JP", "4-0110-0109-8993", "4011001098993"),
    ],
)
def test_valid_registration_numbers_are_normalised_to_digits(country, typed, digits):
    assert clean_registration_number(country, typed) == digits


@pytest.mark.parametrize(
    ("country", "typed", "code"),
    [
        ("TH", "0105536112015", "registration_checksum"),
        ("TH", "1105536112014", "registration_format"),
        ("TH", "010553611201", "registration_format"),
        ("JP", "5011001098993", "registration_checksum"),
        ("JP", "40110010989", "registration_format"),
        ("JP", "abcdefghijklm", "registration_format"),
    ],
)
def test_wrong_registration_numbers_get_a_clear_error(country, typed, code):
    with pytest.raises(ValidationError) as error:
        clean_registration_number(country, typed)

    assert error.value.code == code


def test_wrong_check_digit_error_is_translated():
    with translation.override("th"), pytest.raises(ValidationError) as thai:
        clean_registration_number("TH", "0105536112015")
    with translation.override("ja"), pytest.raises(ValidationError) as japanese:
        clean_registration_number("JP", "5011001098993")

    english_th = "This Thai juristic person number is not valid: the check digit (the last one) is wrong."
    english_jp = "This Japanese corporate number is not valid: the check digit (the first one) is wrong."
    assert thai.value.messages[0] not in ("", english_th)
    assert japanese.value.messages[0] not in ("", english_jp)


def test_registration_numbers_are_formatted_for_display():
    assert format_registration_number("TH", "0105536112014") == "0-10-5-536-11201-4"
    assert format_registration_number("JP", "4011001098993") == "4-0110-0109-8993"


@pytest.mark.parametrize(
    ("sector", "employees", "revenue", "expected"),
    [
        ("manufacturing", 5, Decimal("1800000"), ("micro", "th:both-agree")),
        ("manufacturing", 6, Decimal("1800000"), ("micro", "th:revenue-prevails")),
        ("manufacturing", 50, Decimal("100000000"), ("small", "th:both-agree")),
        ("manufacturing", 51, Decimal("100000000"), ("small", "th:revenue-prevails")),
        ("manufacturing", 50, Decimal("100000001"), ("medium", "th:revenue-prevails")),
        ("manufacturing", 200, Decimal("500000000"), ("medium", "th:both-agree")),
        ("manufacturing", 201, Decimal("500000001"), ("large", "th:both-agree")),
        ("services", 30, Decimal("50000000"), ("small", "th:both-agree")),
        ("wholesale", 31, Decimal("50000000"), ("small", "th:revenue-prevails")),
        ("retail", 100, Decimal("300000000"), ("medium", "th:both-agree")),
        ("services", 101, None, ("large", "th:employees-only")),
        ("manufacturing", None, Decimal("2000000"), ("small", "th:revenue-only")),
        ("manufacturing", None, None, ("", "")),
    ],
)
def test_thai_size_class_on_the_boundaries(sector, employees, revenue, expected):
    assert thai_size_class(sector=sector, employees=employees, revenue_thb=revenue) == expected


def test_thai_tie_break_rule_is_a_setting():
    figures = {"sector": "manufacturing", "employees": 150, "revenue_thb": Decimal("80000000")}

    assert thai_size_class(**figures, rule="revenue") == ("small", "th:revenue-prevails")
    assert thai_size_class(**figures, rule="higher") == ("medium", "th:whichever-higher")


@pytest.mark.parametrize(
    ("sector", "employees", "capital", "expected"),
    [
        ("manufacturing", 300, Decimal("300000000"), ("medium", "jp:capital-and-employees")),
        ("manufacturing", 301, Decimal("300000000"), ("medium", "jp:capital")),
        ("manufacturing", 300, Decimal("300000001"), ("medium", "jp:employees")),
        ("manufacturing", 301, Decimal("310000000"), ("large", "jp:above-limits")),
        ("manufacturing", 20, Decimal("10000000"), ("small", "jp:small-enterprise")),
        ("manufacturing", 21, Decimal("10000000"), ("medium", "jp:capital-and-employees")),
        ("wholesale", 100, Decimal("100000001"), ("medium", "jp:employees")),
        ("wholesale", 101, Decimal("100000001"), ("large", "jp:above-limits")),
        ("services", 5, None, ("small", "jp:small-enterprise")),
        ("services", 6, Decimal("50000000"), ("medium", "jp:capital-and-employees")),
        ("retail", 51, Decimal("50000001"), ("large", "jp:above-limits")),
        ("retail", 50, None, ("medium", "jp:employees")),
    ],
)
def test_japanese_size_class_on_the_boundaries(sector, employees, capital, expected):
    assert japan_size_class(sector=sector, employees=employees, capital_jpy=capital) == expected


def test_money_in_the_other_countrys_currency_does_not_count():
    assert size_class(
        country="TH",
        sector="manufacturing",
        employees=None,
        revenue=Decimal("1000"),
        capital=None,
        currency="JPY",
    ) == ("", "")


@pytest.mark.parametrize(("typed", "stored"), [(2560, 2017), (2017, 2017), (2400, 1857), (1800, 1800)])
def test_founded_year_accepts_buddhist_era(typed, stored):
    assert clean_founded_year(typed, current_year=2026) == stored


@pytest.mark.parametrize("typed", [2027, 2570, 1799])
def test_founded_year_rejects_the_future_and_the_implausible(typed):
    with pytest.raises(ValidationError):
        clean_founded_year(typed, current_year=2026)
