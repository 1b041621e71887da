"""Phone numbers: one reading for forms, the import and the API, one display for pages (docs/domain.md
"Phone numbers"). The ``phonenumbers`` library knows the Thai and Japanese numbering plans.

* ``normalize_phone(value, country=...)`` reads what a person typed: the national form of the company's
  country (``02 123 4567``, ``081 234 5678``, ``03-1234-5678``, ``090-1234-5678``) or the international
  form (``+66 2 123 4567``); returns E.164 (``+6621234567``), the stored form, or raises
  ``ValidationError(code="invalid_phone")``.
* ``format_phone(e164, viewer_country=...)`` shows a stored number in the national form to a viewer of
  the same country and in the international form otherwise (the ``phone`` template filter).
"""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

INVALID_PHONE = "invalid_phone"
# Longer input is not a phone number (E.164 has at most 15 digits; spaces, dashes and an extension aside).
MAX_INPUT_CHARS = 40


# What a refusal shows as examples: (national, international) per country.
EXAMPLES = {"TH": ("02 123 4567", "+66 2 123 4567"), "JP": ("03-1234-5678", "+81 3-1234-5678")}


def _invalid(country: str) -> ValidationError:
    if country in EXAMPLES:
        national, international = EXAMPLES[country]
        message = _("Enter a valid phone number, e.g. %(national)s or %(international)s.") % {
            "national": national,
            "international": international,
        }
    else:
        message = _("Enter the phone number in international format, e.g. %(international)s.") % {
            "international": "+66 2 123 4567"
        }
    return ValidationError(message, code=INVALID_PHONE)


def normalize_phone(value: str, *, country: str = "") -> str:
    """E.164 for ``value`` read in ``country``'s numbering plan (``"TH"``, ``"JP"``; empty: international
    form only). An empty value stays empty."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > MAX_INPUT_CHARS:
        raise _invalid(country)
    try:
        number = phonenumbers.parse(value, country or None)
    except phonenumbers.NumberParseException as error:
        raise _invalid(country) from error
    if not phonenumbers.is_valid_number(number):
        raise _invalid(country)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(value: str, *, viewer_country: str = "") -> str:
    """A stored number for display: national for a viewer in the number's country, else international.
    A value that does not parse is shown as stored."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    if viewer_country and phonenumbers.region_code_for_number(number) == viewer_country:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
