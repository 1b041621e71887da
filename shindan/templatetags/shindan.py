"""Template helpers of the Shindan pages: ratio values with their units, score levels, translated texts."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from shindan.labels import RATIO_LABELS, UNIT_LABELS
from shindan.models import pick_text

register = template.Library()


@register.filter
def ratio_value(value: Decimal | None, unit: str = "") -> str:
    """``12.3 %``, ``45.0 days``, ``1,234,567``; "n/a" when the ratio has no value."""
    if value is None:
        return _("n/a")
    if unit in ("amount", "amount/person"):
        shown = number_format(round(value), use_l10n=True, force_grouping=True)
    else:
        shown = number_format(round(value, 1), decimal_pos=1, use_l10n=True, force_grouping=True)
    suffix = str(UNIT_LABELS.get(unit, ""))
    if not suffix:
        return shown
    return f"{shown}{suffix}" if suffix == "%" else f"{shown} {suffix}"


@register.filter
def ratio_cell(value: Decimal | None, row) -> str:
    """A ratio table's cell: ``ratio_value`` with the currency of the amounts (``RatioRow.currency``):
    ``160,000,000 THB``, ``2,133,333 THB per person``."""
    if value is None or not getattr(row, "currency", "") or row.unit not in ("amount", "amount/person"):
        return ratio_value(value, row.unit)
    amount = ratio_value(value, "amount")
    if row.unit == "amount":
        return f"{amount} {row.currency}"
    return _("%(amount)s %(currency)s per person") % {"amount": amount, "currency": row.currency}


@register.filter
def ratio_label(code: str) -> str:
    return str(RATIO_LABELS.get(code, code))


@register.filter
def score(value) -> str:
    """An area or overall score (0–100) with one decimal, a half rounded up as people do (an overall
    43.25 is 43.3, not Python's 43.2); "–" when nothing was scored."""
    if value in (None, ""):
        return "–"
    shown = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return number_format(shown, decimal_pos=1, use_l10n=True)


@register.filter
def text_in(texts: dict, language: str | None = None) -> str:
    return pick_text(texts, language)


@register.filter
def described(change) -> dict:
    """A history row as people read it (shindan/history.py)."""
    from shindan.history import describe

    return describe(change)
