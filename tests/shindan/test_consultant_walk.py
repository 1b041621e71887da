"""What a consultant's walk through the portal found: "Not assessed" with evidence is not N/A; stage dates
are not in the future nor before the last change (and a refused one keeps the typed note); statements refuse
negative amounts but profits and equity, and accept digit groups (1,000,000); action dates are not before
the request; the history, report header, autosave and notices read right."""

import datetime
import importlib
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from shindan import history, report, selectors, services
from shindan.forms import StatementForm
from shindan.models import Action, Change, Diagnosis, FinancialStatement, ItemScore, Stage, StageChange
from tests.factories import CompanyFactory, DiagnosisFactory
from tests.shindan.helpers import assigned_consultant, items, score_all, statement_values, write_report

pytestmark = pytest.mark.django_db

REQUESTED_ON = datetime.date(2026, 1, 5)


@pytest.fixture
def consultant():
    return assigned_consultant(CompanyFactory(name_en="Siam Gear"), language="en")


@pytest.fixture
def diagnosis(consultant):
    company = consultant.shindan_assignments.get().company
    return DiagnosisFactory(company=company, consultant=consultant, requested_on=REQUESTED_ON)


def _written(diagnosis) -> tuple:
    """What a refused write must leave as it was."""
    fresh = Diagnosis.objects.get(pk=diagnosis.pk)
    return (
        fresh.stage,
        fresh.site_visit_on,
        fresh.reported_on,
        StageChange.objects.filter(diagnosis=diagnosis).count(),
        Change.objects.filter(diagnosis=diagnosis).count(),
        FinancialStatement.objects.filter(diagnosis=diagnosis).count(),
        Action.objects.filter(diagnosis=diagnosis).count(),
    )


def _field_errors(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


# --- 1. "Not assessed" with evidence is not N/A ------------------------------------------------------


def test_not_assessed_with_evidence_is_kept_apart_from_not_applicable(diagnosis, consultant):
    first, second = items(diagnosis.checklist, "ORG_HR")[:2]

    services.item_scores_save(
        actor=consultant,
        diagnosis=diagnosis,
        entries=[
            {"item": first, "value": "", "evidence": "Org chart asked for, not seen yet"},
            {"item": second, "value": "na", "evidence": "No staff"},
        ],
    )

    notes, not_applicable = ItemScore.objects.get(item=first), ItemScore.objects.get(item=second)
    assert (notes.score, notes.not_applicable, notes.value) == (None, False, "")
    assert (not_applicable.score, not_applicable.not_applicable, not_applicable.value) == (None, True, "na")
    assert notes.evidence == "Org chart asked for, not seen yet"
    answered = set(diagnosis.item_scores.answered().values_list("item_id", flat=True))
    assert answered == {second.pk}
    org_hr = [m for m in selectors.report_missing(diagnosis) if m.area == "ORG_HR"]
    total = len(items(diagnosis.checklist, "ORG_HR"))
    assert [m.text for m in org_hr] == [
        f"Organisation and people: {total - 1} of {total} items are not scored yet (a score or N/A)."
    ]
    assert "ORG_HR" not in Diagnosis.objects.get(pk=diagnosis.pk).area_scores
    # The history tells them apart: N/A, and "—" for an item not assessed.
    scores = {c.target: c.after for c in Change.objects.filter(diagnosis=diagnosis, kind="score")}
    assert scores[first.code] == {"score": None, "evidence": "Org chart asked for, not seen yet"}
    assert scores[second.code] == {"score": "na", "evidence": "No staff"}
    na_change = Change.objects.get(diagnosis=diagnosis, kind="score", target=second.code)
    assert ("Score", "N/A") in history.describe(na_change)["after"]
    notes_change = Change.objects.get(diagnosis=diagnosis, kind="score", target=first.code)
    assert ("Score", "—") in history.describe(notes_change)["after"]


def test_switching_between_not_applicable_and_not_assessed_is_a_change(diagnosis, consultant):
    item = items(diagnosis.checklist, "ORG_HR")[0]
    entry = {"item": item, "evidence": "Same evidence"}
    services.item_scores_save(actor=consultant, diagnosis=diagnosis, entries=[{**entry, "value": "na"}])

    changed = services.item_scores_save(
        actor=consultant, diagnosis=diagnosis, entries=[{**entry, "value": ""}]
    )

    assert changed == 1
    row = ItemScore.objects.get(item=item)
    assert (row.score, row.not_applicable) == (None, False)
    assert (
        services.item_scores_save(actor=consultant, diagnosis=diagnosis, entries=[{**entry, "value": ""}])
        == 0
    )


def test_autosave_of_not_assessed_with_evidence_reloads_as_not_assessed(client, diagnosis, consultant):
    item = items(diagnosis.checklist, "ORG_HR")[0]
    url = reverse("shindan:area", args=[diagnosis.pk, "ORG_HR"])
    client.force_login(consultant)

    response = client.post(
        url,
        {f"score_{item.pk}": "", f"evidence_{item.pk}": "Interview with HR planned"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200
    assert response.json() == {"ok": True, "changed": 1, "area_score": None, "overall_score": None}
    row = ItemScore.objects.get(item=item)
    assert (row.score, row.not_applicable, row.evidence) == (None, False, "Interview with HR planned")
    html = client.get(url).content.decode()
    checked = re.findall(rf'<input type="radio" name="score_{item.pk}" value="([^"]*)"[^>]*checked', html)
    assert checked == [""]  # "Not assessed", not N/A


def test_the_report_and_the_api_tell_not_assessed_from_not_applicable(diagnosis, consultant):
    first, second = items(diagnosis.checklist, "ORG_HR")[:2]
    services.item_scores_save(
        actor=consultant,
        diagnosis=diagnosis,
        entries=[
            {"item": first, "value": "", "evidence": "Notes only"},
            {"item": second, "value": "na", "evidence": ""},
        ],
    )
    with translation.override("en"):
        context = report.report_context(diagnosis, "en")
        html = report.render_to_string("shindan/_report_body.html", context)
    cells = dict(re.findall(r"<tr><td>([A-Z_]+-\d+)</td>.*?<td class=\"num\">(.*?)</td></tr>", html, re.S))
    assert cells[first.code] == "—"
    assert cells[second.code] == "N/A"

    api = APIClient()
    api.force_authenticate(consultant)
    rows = api.get(f"/api/shindan/diagnoses/{diagnosis.pk}/scores/").json()
    assert {row["item"]: row["value"] for row in rows} == {first.code: "", second.code: "na"}


def test_the_migration_keeps_existing_rows_without_a_score_as_not_applicable(diagnosis, consultant):
    item, scored = items(diagnosis.checklist, "ORG_HR")[:2]
    # Rows as they were stored before the field existed: no score meant N/A.
    ItemScore.objects.create(diagnosis=diagnosis, item=item, score=None, not_applicable=False)
    ItemScore.objects.create(diagnosis=diagnosis, item=scored, score=4, not_applicable=False)
    migration = importlib.import_module("shindan.migrations.0006_item_score_not_applicable")

    migration.mark_not_applicable(apps, None)

    assert ItemScore.objects.get(item=item).not_applicable is True
    assert ItemScore.objects.get(item=scored).not_applicable is False


# --- 2 and 3. Stage dates ----------------------------------------------------------------------------


def test_a_stage_date_in_the_future_is_refused_at_its_field_and_nothing_is_written(diagnosis, consultant):
    before = _written(diagnosis)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        services.diagnosis_transition(
            actor=consultant, diagnosis=diagnosis, to_stage="pre_survey", on=tomorrow
        )

    assert _field_errors(refused.value) == {"on": ["future_date"]}
    assert _written(diagnosis) == before


def test_a_stage_date_before_the_request_is_refused_at_its_field(diagnosis, consultant):
    with pytest.raises(ValidationError) as refused:
        services.diagnosis_transition(
            actor=consultant, diagnosis=diagnosis, to_stage="pre_survey", on=datetime.date(2026, 1, 4)
        )
    assert _field_errors(refused.value) == {"on": ["before_request"]}


def test_a_report_date_in_the_future_is_refused_and_the_report_is_not_issued(diagnosis, consultant):
    score_all(diagnosis, consultant, "3")
    write_report(diagnosis, consultant)
    for stage in ("pre_survey", "site_visit", "analysis", "reporting"):
        diagnosis = services.diagnosis_transition(actor=consultant, diagnosis=diagnosis, to_stage=stage)
    before = _written(diagnosis)

    with pytest.raises(ValidationError) as refused:
        services.diagnosis_transition(
            actor=consultant, diagnosis=diagnosis, to_stage="reported", on=datetime.date(2099, 1, 1)
        )

    assert _field_errors(refused.value) == {"on": ["future_date"]}
    assert _written(diagnosis) == before
    assert Diagnosis.objects.get(pk=diagnosis.pk).reported_on is None


def test_the_api_answers_a_refused_stage_date_at_its_field(diagnosis, consultant):
    api = APIClient()
    api.force_authenticate(consultant)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = api.post(
        f"/api/shindan/diagnoses/{diagnosis.pk}/transition/",
        {"to_stage": "pre_survey", "on": tomorrow.isoformat()},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"on": ["The date cannot be in the future."]}
    assert Diagnosis.objects.get(pk=diagnosis.pk).stage == Stage.REQUESTED


def _stage_field(html: str) -> str:
    form = html[html.index('class="stage-moves"') :]
    return form[: form.index("</form>")]


@pytest.mark.parametrize(
    ("on", "expected_error"),
    [
        ("", "This field is required."),
        ("not a date", None),  # the date field's own message ("Enter the date as …")
        (
            (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "The date cannot be in the future.",
        ),
        ("2026-01-01", "The date cannot be before the request date."),
    ],
)
def test_a_refused_stage_date_shows_at_its_field_and_keeps_the_note(
    client, diagnosis, consultant, on, expected_error
):
    client.force_login(consultant)
    before = _written(diagnosis)

    response = client.post(
        reverse("shindan:transition", args=[diagnosis.pk]),
        {"to_stage": "pre_survey", "on": on, "note": "Questionnaire sent to the owner"},
    )

    assert response.status_code == 200
    form = _stage_field(response.content.decode())
    assert 'value="Questionnaire sent to the owner"' in form  # the note as typed
    error = re.search(r'<ul class="errorlist" id="id_on_error"><li>(.*?)</li>', form).group(1)
    if expected_error:
        assert error == expected_error
    else:
        assert error.startswith("Enter the date as")
    assert "Choose a stage the diagnosis can move to" not in response.content.decode()
    assert _written(diagnosis) == before
    # The report texts' form still posts to the overview, not to the stage change.
    assert f'<form method="post" action="{reverse("shindan:diagnosis", args=[diagnosis.pk])}"' in (
        response.content.decode()
    )


# --- 4 and 8. Financial statements -------------------------------------------------------------------

NON_NEGATIVE = [
    "sales",
    "fixed_costs",
    "variable_costs",
    "total_assets",
    "current_assets",
    "quick_assets",
    "fixed_assets",
    "current_liabilities",
    "liabilities",
    "interest_and_dividends_received",
    "interest_paid",
    "borrowings",
    "cash",
    "depreciation",
    "receivables",
    "inventory",
    "payables",
    "external_purchases",
    "personnel_costs",
    "employees",
]


def test_every_amount_but_profits_and_equity_is_refused_when_negative(diagnosis, consultant):
    values = statement_values(2025)
    negative = {name: -values[name] for name in NON_NEGATIVE}
    before = _written(diagnosis)

    with pytest.raises(ValidationError) as refused:
        services.statement_save(actor=consultant, diagnosis=diagnosis, **{**values, **negative})

    assert _field_errors(refused.value) == {name: ["negative"] for name in NON_NEGATIVE}
    assert _written(diagnosis) == before


def test_losses_and_negative_equity_are_saved(diagnosis, consultant):
    losses = {
        "gross_profit": Decimal(-1_000),
        "operating_profit": Decimal(-8_000),
        "ordinary_profit": Decimal(-9_000),
        "net_income": Decimal(-9_500),
        "equity": Decimal(-2_000),
    }
    statement = services.statement_save(
        actor=consultant, diagnosis=diagnosis, **{**statement_values(2025), **losses}
    )
    statement.refresh_from_db()
    assert {name: getattr(statement, name) for name in losses} == losses


def _statement_post(**changes) -> dict:
    data = {"fiscal_year": "2025", "currency": "THB", "unit": "1", "sales": "100000", "cash": "10000"}
    return {**data, **changes}


def test_the_statements_page_shows_a_negative_amount_at_its_field(client, diagnosis, consultant):
    client.force_login(consultant)
    before = _written(diagnosis)

    response = client.post(reverse("shindan:statements", args=[diagnosis.pk]), _statement_post(cash="-500"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<ul class="errorlist" id="id_cash_error"><li>This cannot be negative.</li></ul>' in html
    assert "id_sales_error" not in html
    assert _written(diagnosis) == before


def test_amounts_are_accepted_with_digit_group_commas_and_spaces(client, diagnosis, consultant):
    form = StatementForm(
        _statement_post(sales="1,000,000", cash="2 500 000.50", net_income="-1,250", employees="1,200")
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["sales"] == Decimal("1000000")
    assert form.cleaned_data["cash"] == Decimal("2500000.50")
    assert form.cleaned_data["net_income"] == Decimal("-1250")
    assert form.cleaned_data["employees"] == Decimal("1200")
    assert not StatementForm(_statement_post(sales="1,00")).is_valid()
    assert 'type="text"' in str(form["sales"])  # a number input refuses the commas in the browser

    client.force_login(consultant)
    response = client.post(
        reverse("shindan:statements", args=[diagnosis.pk]), _statement_post(sales="1,000,000")
    )
    assert response.status_code == 302
    assert diagnosis.statements.get().sales == Decimal("1000000")


@pytest.mark.parametrize("typed", ["1.2e6", "1E3", "12,5OO,000"])
def test_an_amount_in_scientific_notation_or_with_letters_is_refused(typed):
    with translation.override("th"):
        form = StatementForm(_statement_post(sales=typed))
        assert form.errors["sales"] == [translation.gettext("Enter a number.")]


@pytest.mark.parametrize("language", ["en", "th", "ja"])
def test_a_fiscal_year_in_letters_has_its_own_message(language):
    with translation.override(language):
        form = StatementForm(_statement_post(fiscal_year="twenty"))
        assert form.errors["fiscal_year"] == [translation.gettext("Enter the year as a number.")]


# --- 9. Action dates ---------------------------------------------------------------------------------


def test_an_action_status_note_in_the_history_has_a_translated_label(diagnosis, consultant):
    action = services.action_add(
        actor=consultant, diagnosis=diagnosis, what="5S", owner="Plant", due_on=datetime.date(2026, 6, 30)
    )
    services.action_set_status(actor=consultant, action=action, status="in_progress", note="Started")
    change = Change.objects.get(diagnosis=diagnosis, kind="action_status")

    for language in ("en", "th", "ja"):
        with translation.override(language):
            pairs = history.describe(change)["after"]
            assert (translation.gettext("Note"), "Started") in pairs


def test_the_report_header_labels_its_dates_as_dates(diagnosis, consultant):
    diagnosis = services.diagnosis_transition(
        actor=consultant, diagnosis=diagnosis, to_stage="pre_survey", on=datetime.date(2026, 1, 6)
    )
    diagnosis = services.diagnosis_transition(
        actor=consultant, diagnosis=diagnosis, to_stage="site_visit", on=datetime.date(2026, 1, 7)
    )
    for language in ("en", "th", "ja"):
        with translation.override(language):
            html = report.render_to_string(
                "shindan/_report_body.html", report.report_context(diagnosis, language)
            )
            labels = re.findall(r"<dt>(.*?)</dt>", html)
            gettext = translation.gettext
            assert labels[:3] == [gettext("Requested on"), gettext("Site visit on"), gettext("Reported on")]


def test_autosave_answers_the_scores_as_the_page_shows_them_and_marks_the_tab(client, diagnosis, consultant):
    first, second = items(diagnosis.checklist, "ORG_HR")[:2]
    url = reverse("shindan:area", args=[diagnosis.pk, "ORG_HR"])
    client.force_login(consultant)

    response = client.post(
        url, {f"score_{first.pk}": "3", f"score_{second.pk}": "4"}, HTTP_ACCEPT="application/json"
    )

    # mean 3.5 → 62.5, as stored (static/js/shindan.js shows one decimal)
    assert response.json()["area_score"] == "62.5"
    html = client.get(url).content.decode()
    tabs = html[html.index('<nav class="tabs"') :]
    tabs = tabs[: tabs.index("</nav>")]
    assert re.findall(r"<span class=\"muted\" data-tab-score>([^<]*)</span>", tabs) == ["62.5"]
    assert tabs.count("data-tab-score") == 1  # the current area's tab only


def test_a_negative_equity_is_said_and_its_ratios_are_na(client, diagnosis, consultant):
    client.force_login(consultant)
    insolvent = _statement_post(
        fiscal_year="2024", net_income="-7000", total_assets="90000", liabilities="95000", equity="-5000"
    )
    client.post(reverse("shindan:statements", args=[diagnosis.pk]), insolvent)
    client.post(reverse("shindan:statements", args=[diagnosis.pk]), _statement_post(equity="20000"))

    html = client.get(reverse("shindan:statements", args=[diagnosis.pk])).content.decode()

    assert "Equity is negative in FY 2024: the liabilities exceed the assets." in html
    assert "2025:" not in html  # the year with a positive equity is not named
    report = client.get(reverse("shindan:report", args=[diagnosis.pk])).content.decode()
    assert "Equity is negative in FY 2024" in report
