"""Field checks shared by forms, the importer and the API (translated errors)."""

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.companies.identifiers import InvalidRegistrationNumber, normalize_registration_number
from portal.core.dates import BE_INPUT_THRESHOLD, BE_OFFSET, normalize_input_year


def clean_registration_number(country: str, value: str) -> str:
    """The 13 digits of a valid number for ``country``, or a ValidationError saying what is wrong."""
    try:
        return normalize_registration_number(country, value or "")
    except InvalidRegistrationNumber as exc:
        if country == "TH":
            if exc.code == "checksum":
                message = _(
                    "This Thai juristic person number is not valid: the check digit (the last one) is wrong."
                )
            else:
                message = _("A Thai juristic person number has 13 digits and starts with 0.")
        elif exc.code == "checksum":
            message = _(
                "This Japanese corporate number is not valid: the check digit (the first one) is wrong."
            )
        else:
            message = _("A Japanese corporate number has 13 digits.")
        raise ValidationError(message, code=f"registration_{exc.code}") from exc
    except KeyError as exc:
        raise ValidationError(_("Choose Thailand or Japan."), code="country") from exc


def clean_founded_year(value: int | None, *, current_year: int) -> int | None:
    """A C.E. year; B.E. years (≥ 2400) are converted. Rejects years in the future or before 1800."""
    if value is None:
        return None
    year = normalize_input_year(int(value))
    if year < 1800 or year > current_year:
        # In the reader's era: a Thai reader writes and reads Buddhist Era years (the field shows them). A
        # year typed below BE_INPUT_THRESHOLD is read as C.E., so the Thai range starts there.
        thai = (get_language() or "").startswith("th")
        first, last = (BE_INPUT_THRESHOLD, current_year + BE_OFFSET) if thai else (1800, current_year)
        raise ValidationError(
            _("Enter a year between %(first)s and %(year)s (Buddhist Era years such as 2560 are accepted).")
            % {"first": first, "year": last},
            code="founded_year",
        )
    return year
