"""Company registration numbers: validation and display (pure; python-stdnum does the check digits).

* Thailand: 13-digit juristic person number (``stdnum.th.moa``), check digit last.
* Japan: 13-digit corporate number, 法人番号 (``stdnum.jp.cn``), check digit first.
"""

from stdnum import exceptions as stdnum_exceptions
from stdnum.jp import cn as jp_cn
from stdnum.th import moa as th_moa


class InvalidRegistrationNumber(ValueError):
    """``code`` says why: ``format`` (not 13 digits) or ``checksum`` (wrong check digit)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


_MODULES = {"TH": th_moa, "JP": jp_cn}


def normalize_registration_number(country: str, value: str) -> str:
    """Return the 13 digits of a valid number, or raise :class:`InvalidRegistrationNumber`."""
    module = _MODULES[country]
    try:
        return module.validate(value)
    except stdnum_exceptions.InvalidChecksum as exc:
        raise InvalidRegistrationNumber("checksum") from exc
    except stdnum_exceptions.ValidationError as exc:
        raise InvalidRegistrationNumber("format") from exc


def format_registration_number(country: str, digits: str) -> str:
    return _MODULES[country].format(digits)
