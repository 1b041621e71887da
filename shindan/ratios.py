"""Financial ratios of a Shindan diagnosis (pure: Decimal, no Django).
Formulas: docs/domain.md "Financial ratios".

Every ratio is a ``Decimal`` or ``None`` ("n/a"): a zero or missing denominator, or a missing numerator,
gives ``None`` rather than a misleading number. Percentages are already ×100.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal

HUNDRED = Decimal(100)
DAYS = Decimal(365)


@dataclass(frozen=True)
class Statement:
    """One fiscal year's line items (amounts in one currency and unit; ``None`` when not reported)."""

    fiscal_year: int
    sales: Decimal | None = None
    gross_profit: Decimal | None = None
    operating_profit: Decimal | None = None
    ordinary_profit: Decimal | None = None
    net_income: Decimal | None = None
    fixed_costs: Decimal | None = None
    variable_costs: Decimal | None = None
    total_assets: Decimal | None = None
    current_assets: Decimal | None = None
    quick_assets: Decimal | None = None
    fixed_assets: Decimal | None = None
    current_liabilities: Decimal | None = None
    liabilities: Decimal | None = None
    equity: Decimal | None = None
    interest_and_dividends_received: Decimal | None = None
    interest_paid: Decimal | None = None
    borrowings: Decimal | None = None
    cash: Decimal | None = None
    depreciation: Decimal | None = None
    receivables: Decimal | None = None
    inventory: Decimal | None = None
    payables: Decimal | None = None
    external_purchases: Decimal | None = None
    personnel_costs: Decimal | None = None
    employees: Decimal | None = None


LINE_ITEMS = tuple(f.name for f in fields(Statement) if f.name != "fiscal_year")


@dataclass(frozen=True)
class RatioDefinition:
    code: str
    group: str  # profitability, safety, efficiency, productivity, growth
    unit: str  # "%", "times", "days", "years", "amount", "amount/person"
    higher_is_better: bool | None


def _div(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else value * HUNDRED


def _sub(left: Decimal | None, right: Decimal | None) -> Decimal | None:
    return None if left is None or right is None else left - right


def _add(left: Decimal | None, right: Decimal | None) -> Decimal | None:
    return None if left is None or right is None else left + right


def _days(amount: Decimal | None, sales: Decimal | None) -> Decimal | None:
    share = _div(amount, sales)
    return None if share is None else share * DAYS


def _percent(numerator: str, denominator: str) -> Callable[[Statement], Decimal | None]:
    """The ratio of two items of a statement, in per cent (None when either is unknown or the base is 0)."""
    return lambda s: _pct(_div(getattr(s, numerator), getattr(s, denominator)))


def _per_equity(item: str) -> Callable[[Statement], Decimal | None]:
    """An item of a statement in per cent of the equity; n/a when the equity is negative (liabilities
    exceed the assets): a loss over negative equity would read as a positive return, and debt or fixed
    assets over it as a negative, "better than none" ratio. ROE, debt-to-equity and the fixed ratio use it;
    the statements page and the report name the years (``selectors.negative_equity_years``)."""

    def ratio(s: Statement) -> Decimal | None:
        if s.equity is not None and s.equity < 0:
            return None
        return _pct(_div(getattr(s, item), s.equity))

    return ratio


def _sales_days(item: str) -> Callable[[Statement], Decimal | None]:
    """An item of a statement in days of sales."""
    return lambda s: _days(getattr(s, item), s.sales)


def _break_even(s: Statement) -> Decimal | None:
    variable_share = _div(s.variable_costs, s.sales)
    if variable_share is None or s.fixed_costs is None or variable_share >= 1:
        return None  # a contribution margin of zero or less has no break-even point
    return s.fixed_costs / (1 - variable_share)


def _value_added(s: Statement) -> Decimal | None:
    return _sub(s.sales, s.external_purchases)


def _cash_conversion_cycle(s: Statement) -> Decimal | None:
    receivable, inventory, payable = (
        _days(s.receivables, s.sales),
        _days(s.inventory, s.sales),
        _days(s.payables, s.sales),
    )
    if receivable is None or inventory is None or payable is None:
        return None
    return receivable + inventory - payable


def _growth(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    return _pct(_div(_sub(current, previous), previous))


SINGLE_YEAR: dict[str, tuple[RatioDefinition, Callable[[Statement], Decimal | None]]] = {
    d.code: (d, f)
    for d, f in [
        (RatioDefinition("gross_margin", "profitability", "%", True), _percent("gross_profit", "sales")),
        (
            RatioDefinition("operating_margin", "profitability", "%", True),
            _percent("operating_profit", "sales"),
        ),
        (
            RatioDefinition("ordinary_margin", "profitability", "%", True),
            _percent("ordinary_profit", "sales"),
        ),
        (RatioDefinition("net_margin", "profitability", "%", True), _percent("net_income", "sales")),
        (RatioDefinition("roa", "profitability", "%", True), _percent("ordinary_profit", "total_assets")),
        (RatioDefinition("roe", "profitability", "%", True), _per_equity("net_income")),
        (RatioDefinition("break_even_sales", "profitability", "amount", False), _break_even),
        (
            RatioDefinition("current_ratio", "safety", "%", True),
            _percent("current_assets", "current_liabilities"),
        ),
        (
            RatioDefinition("quick_ratio", "safety", "%", True),
            _percent("quick_assets", "current_liabilities"),
        ),
        (RatioDefinition("equity_ratio", "safety", "%", True), _percent("equity", "total_assets")),
        (RatioDefinition("debt_to_equity", "safety", "%", False), _per_equity("liabilities")),
        (RatioDefinition("fixed_ratio", "safety", "%", False), _per_equity("fixed_assets")),
        (
            RatioDefinition("interest_coverage", "safety", "times", True),
            lambda s: _div(_add(s.operating_profit, s.interest_and_dividends_received), s.interest_paid),
        ),
        (
            RatioDefinition("net_debt_to_ebitda", "safety", "years", False),
            lambda s: _div(_sub(s.borrowings, s.cash), _add(s.operating_profit, s.depreciation)),
        ),
        (
            RatioDefinition("asset_turnover", "efficiency", "times", True),
            lambda s: _div(s.sales, s.total_assets),
        ),
        (RatioDefinition("receivable_days", "efficiency", "days", False), _sales_days("receivables")),
        (RatioDefinition("inventory_days", "efficiency", "days", False), _sales_days("inventory")),
        (RatioDefinition("payable_days", "efficiency", "days", None), _sales_days("payables")),
        (RatioDefinition("cash_conversion_cycle", "efficiency", "days", False), _cash_conversion_cycle),
        (RatioDefinition("value_added", "productivity", "amount", True), _value_added),
        (
            RatioDefinition("labour_productivity", "productivity", "amount/person", True),
            lambda s: _div(_value_added(s), s.employees),
        ),
        (
            RatioDefinition("labour_share", "productivity", "%", None),
            lambda s: _pct(_div(s.personnel_costs, _value_added(s))),
        ),
    ]
}

GROWTH: dict[str, tuple[RatioDefinition, str]] = {
    "sales_growth": (RatioDefinition("sales_growth", "growth", "%", True), "sales"),
    "ordinary_profit_growth": (
        RatioDefinition("ordinary_profit_growth", "growth", "%", True),
        "ordinary_profit",
    ),
    "total_assets_growth": (RatioDefinition("total_assets_growth", "growth", "%", None), "total_assets"),
}

DEFINITIONS: dict[str, RatioDefinition] = {
    **{code: definition for code, (definition, _f) in SINGLE_YEAR.items()},
    **{code: definition for code, (definition, _item) in GROWTH.items()},
}


def compute_ratios(current: Statement, previous: Statement | None = None) -> dict[str, Decimal | None]:
    """Every ratio of docs/domain.md for ``current`` (growth against ``previous``, n/a without it)."""
    ratios = {code: function(current) for code, (_definition, function) in SINGLE_YEAR.items()}
    for code, (_definition, item) in GROWTH.items():
        ratios[code] = _growth(getattr(current, item), getattr(previous, item)) if previous else None
    return ratios


def trends(statements: Sequence[Statement], years: int = 5) -> dict[str, list[tuple[int, Decimal | None]]]:
    """Each ratio over the last ``years`` fiscal years, oldest first (growth uses the year before)."""
    ordered = sorted(statements, key=lambda s: s.fiscal_year)
    by_year: Mapping[int, Statement] = {s.fiscal_year: s for s in ordered}
    result: dict[str, list[tuple[int, Decimal | None]]] = {code: [] for code in DEFINITIONS}
    for statement in ordered[-years:]:
        ratios = compute_ratios(statement, by_year.get(statement.fiscal_year - 1))
        for code, value in ratios.items():
            result[code].append((statement.fiscal_year, value))
    return result


def median(values: Sequence[Decimal | None], minimum: int = 5) -> Decimal | None:
    """Median of the known values, or None when fewer than ``minimum`` companies have one (a peer
    comparison needs at least five)."""
    known = sorted(value for value in values if value is not None)
    if len(known) < minimum:
        return None
    middle = len(known) // 2
    return known[middle] if len(known) % 2 else (known[middle - 1] + known[middle]) / 2
