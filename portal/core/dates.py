"""Buddhist Era (B.E.) years and typed dates: one place for showing and reading Thai years.

Dates are stored in C.E.; the Thai UI shows B.E. (C.E. + 543) and users may type a B.E. year.
Pure module: no Django imports, so it is trivial to test.
"""

import datetime

BE_OFFSET = 543
# A year this large can only be B.E. (C.E. 2400 is centuries away; B.E. 2400 is C.E. 1857).
BE_INPUT_THRESHOLD = 2400


def to_buddhist_year(year: int) -> int:
    return year + BE_OFFSET


def normalize_input_year(year: int) -> int:
    """Return the C.E. year for a year typed by a user, who may have typed it in B.E."""
    return year - BE_OFFSET if year >= BE_INPUT_THRESHOLD else year


def with_buddhist_year(fmt: str, year: int) -> str:
    """Rewrite a Django date format string so ``Y``/``y`` print the B.E. year instead of the C.E. one.

    Escaped characters (``\\Y``) stay as they are. The year becomes escaped literal digits, so
    ``"j F Y"`` for 2017 becomes ``"j F \\2\\5\\6\\0"``.
    """
    be_year = str(to_buddhist_year(year))
    out: list[str] = []
    escaped = False
    for char in fmt:
        if escaped:
            out.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "Y":
            out.append("".join("\\" + digit for digit in be_year))
        elif char == "y":
            out.append("".join("\\" + digit for digit in be_year[-2:]))
        else:
            out.append(char)
    return "".join(out)


# ----------------------------------------------------------------------------------------------------
# Dates typed into forms. Browsers show their own date input in the browser's locale (mm/dd/yyyy for an
# English browser) whatever the portal's language, and never in B.E.; the portal's forms use a text field
# in the UI language's order instead (portal/core/forms.py):
#   Thai     dd/mm/yyyy with the B.E. year (31/01/2573)
#   Japanese yyyy/mm/dd (2030/01/31)
#   English  yyyy-mm-dd (2030-01-31)
# Any of these orders is accepted in any language, with "/", "-" or "." between the parts (or 年, 月, 日),
# Thai or full-width digits, and a B.E. year (>= 2400) wherever a year is typed.
# ----------------------------------------------------------------------------------------------------
DATE_INPUT_ORDER = {"th": "dmy", "ja": "ymd", "en": "ymd"}
_DIGITS = {ord("๐") + i: str(i) for i in range(10)} | {ord("０") + i: str(i) for i in range(10)}
# Japanese also writes 2030年1月31日.
_SEPARATORS = str.maketrans(
    {"-": "/", ".": "/", "／": "/", "－": "/", "．": "/", " ": "", "年": "/", "月": "/", "日": ""}
)


class NoSuchDate(ValueError):
    """A date typed in a right order that the calendar does not have (31/02)."""


def format_date_input(value: datetime.date, language: str) -> str:
    """``value`` as the date field of ``language`` shows it (B.E. year in Thai)."""
    if DATE_INPUT_ORDER.get(language[:2], "ymd") == "dmy":
        return f"{value.day:02d}/{value.month:02d}/{to_buddhist_year(value.year)}"
    separator = "/" if language[:2] == "ja" else "-"
    return f"{value.year:04d}{separator}{value.month:02d}{separator}{value.day:02d}"


def parse_date_input(text: str) -> datetime.date:
    """A typed date in any of the orders above; raises ``ValueError`` when it is not a real date.

    A four-digit first part is a year (yyyy/mm/dd), else the last part is (dd/mm/yyyy); never mm/dd.
    """
    parts = text.strip().translate(_DIGITS).translate(_SEPARATORS).split("/")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise ValueError(text)
    if len(parts[0]) == 4:
        year, month, day = (int(part) for part in parts)
    elif len(parts[2]) == 4:
        day, month, year = (int(part) for part in parts)
    else:
        raise ValueError(text)
    try:
        return datetime.date(normalize_input_year(year), month, day)
    except ValueError as error:
        raise NoSuchDate(text) from error
