"""Every financial ratio of docs/domain.md against hand-computed values, including the n/a cases."""

from decimal import Decimal as D

import pytest

from shindan.ratios import DEFINITIONS, Statement, compute_ratios, median, trends

YEAR_2022 = Statement(
    fiscal_year=2022, sales=D(900), ordinary_profit=D(40), total_assets=D(1000),
)  # fmt: skip
YEAR_2023 = Statement(
    fiscal_year=2023,
    sales=D(1000), gross_profit=D(300), operating_profit=D(80), ordinary_profit=D(60), net_income=D(40),
    fixed_costs=D(200), variable_costs=D(600),
    total_assets=D(1200), current_assets=D(500), quick_assets=D(300), fixed_assets=D(700),
    current_liabilities=D(250), liabilities=D(700), equity=D(500),
    interest_and_dividends_received=D(10), interest_paid=D(15), borrowings=D(400), cash=D(100),
    depreciation=D(40), receivables=D(100), inventory=D(50), payables=D(80),
    external_purchases=D(550), personnel_costs=D(225), employees=D(45),
)  # fmt: skip


def _round(value):
    return None if value is None else value.quantize(D("0.01"))


def test_every_ratio_by_hand():
    ratios = {code: _round(value) for code, value in compute_ratios(YEAR_2023, YEAR_2022).items()}

    assert ratios == {
        "gross_margin": D("30.00"),  # 300 / 1000
        "operating_margin": D("8.00"),
        "ordinary_margin": D("6.00"),
        "net_margin": D("4.00"),
        "roa": D("5.00"),  # 60 / 1200
        "roe": D("8.00"),  # 40 / 500
        "break_even_sales": D("500.00"),  # 200 / (1 - 600/1000)
        "current_ratio": D("200.00"),
        "quick_ratio": D("120.00"),
        "equity_ratio": D("41.67"),  # 500 / 1200
        "debt_to_equity": D("140.00"),
        "fixed_ratio": D("140.00"),
        "interest_coverage": D("6.00"),  # (80 + 10) / 15
        "net_debt_to_ebitda": D("2.50"),  # (400 - 100) / (80 + 40)
        "asset_turnover": D("0.83"),
        "receivable_days": D("36.50"),
        "inventory_days": D("18.25"),
        "payable_days": D("29.20"),
        "cash_conversion_cycle": D("25.55"),
        "value_added": D("450.00"),  # 1000 - 550
        "labour_productivity": D("10.00"),  # 450 / 45
        "labour_share": D("50.00"),  # 225 / 450
        "sales_growth": D("11.11"),  # (1000 - 900) / 900
        "ordinary_profit_growth": D("50.00"),
        "total_assets_growth": D("20.00"),
    }
    assert set(ratios) == set(DEFINITIONS)


def test_zero_or_missing_denominators_give_na():
    empty = Statement(fiscal_year=2023, sales=D(0), equity=D(0), interest_paid=D(0), employees=D(0))

    ratios = compute_ratios(empty, Statement(fiscal_year=2022, sales=D(0)))

    assert all(value is None for value in ratios.values())


def test_break_even_needs_a_positive_contribution_margin():
    losing = Statement(fiscal_year=2023, sales=D(100), fixed_costs=D(50), variable_costs=D(120))

    assert compute_ratios(losing)["break_even_sales"] is None


def test_growth_is_na_without_the_previous_year():
    assert compute_ratios(YEAR_2023)["sales_growth"] is None


def test_trends_cover_the_last_five_years_oldest_first():
    statements = [
        Statement(fiscal_year=year, sales=D(100 + 10 * i), gross_profit=D(30))
        for i, year in enumerate(range(2017, 2024))
    ]

    series = trends(statements)

    assert [year for year, _value in series["gross_margin"]] == [2019, 2020, 2021, 2022, 2023]
    assert _round(series["sales_growth"][-1][1]) == D("6.67")  # 2023: (160 - 150) / 150


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([D(1), D(5), D(3), D(2), D(4)], D(3)),
        ([D(1), D(2), D(3), D(4), D(5), D(6)], D("3.5")),
        ([D(1), D(2), None, D(3), D(4)], None),  # fewer than five companies with a value
    ],
)
def test_peer_median_needs_five_companies(values, expected):
    assert median(values) == expected


@pytest.mark.parametrize(
    ("higher_is_better", "values", "trend", "change"),
    [
        (True, [10, 12], "up", "better"),
        (True, [12, 10], "down", "worse"),
        (False, [85, 92], "up", "worse"),  # debt to equity rose: worse, though the arrow points up
        (False, [1.7, 1.3], "down", "better"),  # net debt / EBITDA fell: better
        (None, [30, 40], "up", ""),  # payable days: neither
        (False, [5, 5], "flat", ""),
        (True, [None, 5], "", ""),
        (False, [85, 92, None], "", ""),  # n/a this year (a negative equity): no arrow from earlier years
        (True, [10, None, 12], "up", "better"),  # a year without a value between two that have one
    ],
)
def test_a_trend_is_judged_by_what_is_better_for_the_ratio(higher_is_better, values, trend, change):
    from shindan.selectors import RatioRow

    row = RatioRow(
        code="x", group="safety", unit="%", higher_is_better=higher_is_better,
        values=[(2023 + i, None if v is None else D(str(v))) for i, v in enumerate(values)],
        peer_median=None,
    )  # fmt: skip
    assert (row.trend, row.change) == (trend, change)


def test_amounts_in_a_ratio_table_carry_their_currency():
    from django.utils import translation

    from shindan.selectors import RatioRow
    from shindan.templatetags.shindan import ratio_cell

    def row(unit, currency="THB"):
        return RatioRow(code="x", group="g", unit=unit, higher_is_better=True, values=[], peer_median=None,
                        currency=currency)  # fmt: skip

    with translation.override("ja"):
        assert ratio_cell(D("160000000"), row("amount")) == "160,000,000 THB"
        assert ratio_cell(D("2133333.4"), row("amount/person")) == "1人当たり 2,133,333 THB"
        assert ratio_cell(D("12.34"), row("%", "")) == "12.3%"
        assert ratio_cell(None, row("amount")) == "—"
    with translation.override("th"):
        assert ratio_cell(D("2133333"), row("amount/person")) == "2,133,333 THB ต่อคน"


def test_ratios_over_a_negative_equity_are_na_and_the_others_stand():
    """Liabilities above the assets: a loss over negative equity would read as a 140 % return, debt as a
    "better than none" −1,900 %; they are n/a, while the equity ratio shows the negative equity itself."""
    insolvent = Statement(
        fiscal_year=2024, sales=D(1000), net_income=D(-7000), total_assets=D(90000),
        liabilities=D(95000), equity=D(-5000), fixed_assets=D(60000),
    )  # fmt: skip
    ratios = {code: _round(value) for code, value in compute_ratios(insolvent).items()}
    assert (ratios["roe"], ratios["debt_to_equity"], ratios["fixed_ratio"]) == (None, None, None)
    assert ratios["equity_ratio"] == D("-5.56")  # −5,000 / 90,000
    assert ratios["net_margin"] == D("-700.00")


@pytest.mark.parametrize(
    ("value", "shown"), [("43.25", "43.3"), ("43.24", "43.2"), ("50", "50.0"), (None, "–")]
)
def test_a_score_rounds_a_half_up(value, shown):
    from shindan.templatetags.shindan import score

    assert score(None if value is None else D(value)) == shown
