"""SME size classes by each country's rule (pure; docs/domain.md "SME size classes").

Thailand (Ministerial Regulation B.E. 2562): employees and annual revenue (THB) each give a class; when
they disagree, ``rule`` decides: ``"revenue"`` (revenue prevails, the Thai-language sources) or
``"higher"`` (whichever is higher, the English OSMEP page).

Japan (SME Basic Act art. 2): an SME when capital (JPY) OR regular employees are within the sector's
limit; a "small enterprise" (小規模企業者) when employees ≤ 20 (≤ 5 in commerce and services). Japan has
no micro class: small enterprise → ``small``, other SMEs → ``medium``, others → ``large``.

Each function returns ``(size_class, basis)``: ``basis`` records which rule produced the class, so the
profile can show it (e.g. ``"th:revenue-prevails"``).
"""

from decimal import Decimal

MICRO, SMALL, MEDIUM, LARGE = "micro", "small", "medium", "large"
ORDER = [MICRO, SMALL, MEDIUM, LARGE]

# (class, max employees, max revenue THB), checked in order.
THAI_LIMITS = {
    "manufacturing": [
        (MICRO, 5, Decimal("1800000")),
        (SMALL, 50, Decimal("100000000")),
        (MEDIUM, 200, Decimal("500000000")),
    ],
    "trade_services": [
        (MICRO, 5, Decimal("1800000")),
        (SMALL, 30, Decimal("50000000")),
        (MEDIUM, 100, Decimal("300000000")),
    ],
}

# sector: (max capital JPY, max regular employees, small-enterprise max employees)
JAPAN_LIMITS = {
    "manufacturing": (Decimal("300000000"), 300, 20),
    "wholesale": (Decimal("100000000"), 100, 5),
    "services": (Decimal("50000000"), 100, 5),
    "retail": (Decimal("50000000"), 50, 5),
}


def _thai_class(value, index: int, limits) -> str:
    for size_class, *maxima in limits:
        if value <= maxima[index]:
            return size_class
    return LARGE


def thai_size_class(
    *, sector: str, employees: int | None, revenue_thb: Decimal | None, rule: str = "revenue"
) -> tuple[str, str]:
    limits = THAI_LIMITS["manufacturing" if sector == "manufacturing" else "trade_services"]
    by_employees = _thai_class(employees, 0, limits) if employees is not None else None
    by_revenue = _thai_class(Decimal(revenue_thb), 1, limits) if revenue_thb is not None else None
    if by_employees is None and by_revenue is None:
        return "", ""
    if by_revenue is None:
        return by_employees, "th:employees-only"
    if by_employees is None:
        return by_revenue, "th:revenue-only"
    if by_employees == by_revenue:
        return by_revenue, "th:both-agree"
    if rule == "higher":
        return max(by_employees, by_revenue, key=ORDER.index), "th:whichever-higher"
    return by_revenue, "th:revenue-prevails"


def japan_size_class(*, sector: str, employees: int | None, capital_jpy: Decimal | None) -> tuple[str, str]:
    max_capital, max_employees, small_max = JAPAN_LIMITS.get(sector, JAPAN_LIMITS["manufacturing"])
    if employees is None and capital_jpy is None:
        return "", ""
    capital_ok = capital_jpy is not None and Decimal(capital_jpy) <= max_capital
    employees_ok = employees is not None and employees <= max_employees
    if not (capital_ok or employees_ok):
        return LARGE, "jp:above-limits"
    basis = (
        "jp:capital-and-employees"
        if capital_ok and employees_ok
        else ("jp:capital" if capital_ok else "jp:employees")
    )
    if employees is not None and employees <= small_max:
        return SMALL, "jp:small-enterprise"
    return MEDIUM, basis


def size_class(
    *,
    country: str,
    sector: str,
    employees: int | None,
    revenue: Decimal | None,
    capital: Decimal | None,
    currency: str,
    thai_rule: str = "revenue",
) -> tuple[str, str]:
    """The class by the company's own country's rule; money only counts in that country's currency."""
    if country == "TH":
        return thai_size_class(
            sector=sector,
            employees=employees,
            revenue_thb=revenue if currency == "THB" else None,
            rule=thai_rule,
        )
    return japan_size_class(
        sector=sector, employees=employees, capital_jpy=capital if currency == "JPY" else None
    )
