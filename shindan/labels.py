"""Translated names of ratios, their groups and units, and of statement line items (for pages and PDFs)."""

from django.utils.translation import gettext_lazy as _

RATIO_LABELS = {
    "gross_margin": _("Gross margin"),
    "operating_margin": _("Operating margin"),
    "ordinary_margin": _("Ordinary profit margin"),
    "net_margin": _("Net margin"),
    "roa": _("Return on assets (ROA)"),
    "roe": _("Return on equity (ROE)"),
    "break_even_sales": _("Break-even sales"),
    "current_ratio": _("Current ratio"),
    "quick_ratio": _("Quick ratio"),
    "equity_ratio": _("Equity ratio"),
    "debt_to_equity": _("Debt-to-equity ratio"),
    "fixed_ratio": _("Fixed assets to equity"),
    "interest_coverage": _("Interest coverage"),
    "net_debt_to_ebitda": _("Net debt / EBITDA"),
    "asset_turnover": _("Asset turnover"),
    "receivable_days": _("Receivable days"),
    "inventory_days": _("Inventory days"),
    "payable_days": _("Payable days"),
    "cash_conversion_cycle": _("Cash conversion cycle"),
    "value_added": _("Value added"),
    "labour_productivity": _("Labour productivity"),
    "labour_share": _("Labour share"),
    "sales_growth": _("Sales growth"),
    "ordinary_profit_growth": _("Ordinary profit growth"),
    "total_assets_growth": _("Total assets growth"),
}

GROUP_LABELS = {
    "profitability": _("Profitability"),
    "safety": _("Safety"),
    "efficiency": _("Efficiency"),
    "productivity": _("Productivity"),
    "growth": _("Growth"),
}

UNIT_LABELS = {
    "%": "%",
    "times": _("times"),
    "days": _("days"),
    "years": _("years"),
    "amount": "",
    "amount/person": _("per person"),
}
