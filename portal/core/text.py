"""Control characters in text: the one rule for what people may type, and cleaning for what is written out.

A single-line field (a name, a title, a phone number, a booth) takes no control character at all: no
line break, tab, escape or other C0/C1 character, and no Unicode line or paragraph separator. Such a
character is invisible on the page but breaks what is built from the text: a header line of an .ics file
or an e-mail, a CSV row, an XLSX cell. A multi-line field (a description, a message) keeps line breaks
(LF, or CRLF as browsers send a textarea) and tabs, nothing else.

The rule is applied at every edge where text comes in:

- forms: ``portal.core.forms.ControlCharactersMixin`` (every project form; single-line unless the widget
  is a textarea);
- the API: ``portal.core.api.ControlCharactersSerializerMixin`` (every serializer; multi-line when the
  field is styled as a textarea, as DRF styles a model ``TextField``);
- imports: ``portal.companies.importer`` checks every cell.

What is already stored is cleaned where it is written out (``single_line``/``multi_line``): .ics files,
CSV and XLSX exports (``portal.core.spreadsheets.safe_cell``).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 controls, DEL, C1 controls, and the Unicode line and paragraph separators.
_SINGLE_LINE_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The same, less tab and line feed; a carriage return only as part of CRLF.
_MULTI_LINE_FORBIDDEN = re.compile("\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")

SINGLE_LINE_MESSAGE = _(
    "Remove the line breaks, tabs and other control characters: this field is a single line of text."
)
MULTI_LINE_MESSAGE = _(
    "Remove the control characters (invisible characters other than line breaks and tabs)."
)


@deconstructible
class ControlCharacterValidator:
    """Refuses control characters; ``multiline=True`` keeps line breaks and tabs."""

    code = "control_characters"

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        pattern = _MULTI_LINE_FORBIDDEN if self.multiline else _SINGLE_LINE_FORBIDDEN
        if pattern.search(value):
            raise ValidationError(
                MULTI_LINE_MESSAGE if self.multiline else SINGLE_LINE_MESSAGE, code=self.code
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, ControlCharacterValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((type(self), self.multiline))


validate_single_line = ControlCharacterValidator()
validate_multi_line = ControlCharacterValidator(multiline=True)


def single_line(value) -> str:
    """``value`` as one line for output: each run of control characters becomes one space."""
    text = "" if value is None else str(value)
    return re.sub(f"(?:{_SINGLE_LINE_FORBIDDEN.pattern})+", " ", text).strip()


def multi_line(value) -> str:
    """``value`` for output keeping its lines: CRLF and CR become LF, other control characters go."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _MULTI_LINE_FORBIDDEN.sub("", text)


def spreadsheet_cell(value, *, multiline: bool = False) -> str:
    """The same as ``portal.core.spreadsheets.safe_cell`` (the formula-injection guard lives there)."""
    from portal.core.spreadsheets import safe_cell  # spreadsheets imports this module: a cycle at the top

    return safe_cell(value, multiline=multiline)
