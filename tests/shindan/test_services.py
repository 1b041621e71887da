"""Diagnosis lifecycle, scores, revisions, history, statements, actions and follow-ups (services)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from shindan import checklists, services
from shindan.models import (
    Action,
    ActionStatus,
    Change,
    Checklist,
    ChecklistItem,
    Diagnosis,
    ItemScore,
    Stage,
    StageChange,
)
from tests.factories import CompanyFactory, DiagnosisFactory, UserFactory
from tests.shindan.helpers import assigned_consultant, items, reported_diagnosis, score_all, statement_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return CompanyFactory()


@pytest.fixture
def consultant(company):
    return assigned_consultant(company)


@pytest.fixture
def diagnosis(company, consultant):
    return DiagnosisFactory(company=company, consultant=consultant, requested_on=datetime.date(2026, 3, 1))


def test_default_checklist_is_loaded_published_and_complete():
    checklist = services.checklist_current()
    assert (checklist.code, checklist.version) == ("dip-shindan", 1)
    assert checklist.is_published
    counts = {area.code: area.items.count() for area in checklist.areas.all()}
    assert counts == {
        "STRATEGY": 6, "ORG_HR": 7, "MARKETING": 7, "PRODUCTION": 10, "FINANCE": 7, "IT": 6, "LEGAL": 6,
    }  # fmt: skip
    for item in ChecklistItem.objects.filter(area__checklist=checklist):
        for texts in (item.text, item.descriptors["1"], item.descriptors["3"], item.descriptors["5"]):
            assert all(texts[language].strip() for language in ("en", "th", "ja")), item.code
    production = " ".join(
        item.text["en"].lower() for item in ChecklistItem.objects.filter(area__code="PRODUCTION")
    )
    for topic in (
        "5s",
        "qcd",
        "layout",
        "changeover",
        "maintenance",
        "quality control",
        "safety",
        "standard work",
    ):
        assert topic in production


def test_create_records_the_version_the_stage_and_the_history(diagnosis, consultant):
    assert diagnosis.stage == Stage.REQUESTED
    assert diagnosis.checklist == services.checklist_current()
    assert list(diagnosis.consultants.all()) == [consultant]
    assert StageChange.objects.filter(diagnosis=diagnosis, to_stage=Stage.REQUESTED).count() == 1
    assert Change.objects.filter(diagnosis=diagnosis, kind="created", actor=consultant).count() == 1


def test_a_new_checklist_version_is_used_by_new_diagnoses_only(diagnosis, company, consultant):
    coordinator = UserFactory(role="coordinator")
    data = checklists.load_default()
    data["areas"] = data["areas"][:2]
    draft = services.checklist_import(actor=coordinator, data=data)
    assert draft.version == 2
    assert not draft.is_published
    assert services.checklist_current().version == 1
    services.checklist_publish(actor=coordinator, checklist=draft)
    later = services.diagnosis_create(actor=consultant, company=CompanyFactory())
    assert later.checklist == draft
    diagnosis.refresh_from_db()
    assert diagnosis.checklist.version == 1


def test_a_broken_checklist_is_refused_with_every_problem_and_writes_nothing():
    data = checklists.load_default()
    data["areas"][0]["code"] = "NOPE"
    del data["areas"][1]["items"][0]["descriptors"]["3"]
    with pytest.raises(ValidationError) as error:
        services.checklist_import(actor=None, data=data)
    assert len(error.value.messages) == 2
    assert "Unknown area NOPE." in error.value.messages
    assert Checklist.objects.count() == 1


def test_area_and_overall_scores_follow_the_formula(diagnosis, consultant):
    strategy = items(diagnosis.checklist, "STRATEGY")
    entries = [
        {"item": item, "value": value}
        for item, value in zip(strategy, ["1", "2", "5", "na", "", "4"], strict=True)
    ]
    changed = services.item_scores_save(actor=consultant, diagnosis=diagnosis, entries=entries)
    assert changed == 5  # "" = not assessed: no row
    diagnosis.refresh_from_db()
    # mean of 1, 2, 5, 4 = 3 → (3 − 1) / 4 × 100 = 50; N/A does not count
    assert diagnosis.area_scores == {"STRATEGY": "50.0"}
    assert diagnosis.overall_score == Decimal("50.00")
    score_all(diagnosis, consultant, "5", area="PRODUCTION")
    diagnosis.refresh_from_db()
    assert diagnosis.area_scores["PRODUCTION"] == "100.0"
    assert diagnosis.overall_score == Decimal("75.00")
    assert ItemScore.objects.filter(diagnosis=diagnosis, score__isnull=True).count() == 1


def test_saving_the_same_scores_twice_changes_nothing(diagnosis, consultant):
    score_all(diagnosis, consultant, "4", area="IT")
    before = Change.objects.filter(diagnosis=diagnosis).count()
    entries = [{"item": item, "value": "4", "evidence": ""} for item in items(diagnosis.checklist, "IT")]
    assert services.item_scores_save(actor=consultant, diagnosis=diagnosis, entries=entries) == 0
    assert Change.objects.filter(diagnosis=diagnosis).count() == before


def test_a_bad_score_is_refused_and_nothing_is_saved(diagnosis, consultant):
    first, second = items(diagnosis.checklist, "LEGAL")[:2]
    with pytest.raises(ValidationError) as refused:
        services.item_scores_save(
            actor=consultant,
            diagnosis=diagnosis,
            entries=[{"item": first, "value": "3"}, {"item": second, "value": "7"}],
        )
    assert refused.value.code == "invalid_score"
    assert not ItemScore.objects.filter(diagnosis=diagnosis).exists()


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["pre_survey"], True),
        (["site_visit"], False),
        (["reported"], False),
        (["closed"], False),  # a request is not closed before the work is done (STYLE.md)
        (["pre_survey", "site_visit", "analysis", "reporting", "analysis"], True),  # rework before the report
        (["pre_survey", "site_visit", "analysis", "analysis"], False),
        (["follow_up"], False),
    ],
)
def test_only_allowed_transitions(diagnosis, consultant, path, allowed):
    score_all(diagnosis, consultant, "3", area="STRATEGY")
    *steps, last = path
    for stage in steps:
        diagnosis = services.diagnosis_transition(actor=consultant, diagnosis=diagnosis, to_stage=stage)
    if allowed:
        assert (
            services.diagnosis_transition(actor=consultant, diagnosis=diagnosis, to_stage=last).stage == last
        )
    else:
        stage_before = Diagnosis.objects.get(pk=diagnosis.pk).stage
        with pytest.raises(ValidationError) as refused:
            services.diagnosis_transition(actor=consultant, diagnosis=diagnosis, to_stage=last)
        assert refused.value.code == "invalid_transition"
        assert Diagnosis.objects.get(pk=diagnosis.pk).stage == stage_before


def test_reporting_needs_scores(diagnosis, consultant):
    for stage in ("pre_survey", "site_visit", "analysis"):
        diagnosis = services.diagnosis_transition(actor=consultant, diagnosis=diagnosis, to_stage=stage)
    with pytest.raises(ValidationError, match="Score the checklist") as refused:
        services.diagnosis_transition(actor=consultant, diagnosis=diagnosis, to_stage="reporting")
    assert refused.value.code == "not_scored"


def test_reported_diagnosis_is_frozen_until_a_revision_is_opened():
    diagnosis = reported_diagnosis()
    consultant = diagnosis.consultants.get()
    assert diagnosis.reported_on == datetime.date(2026, 1, 10)
    item = items(diagnosis.checklist, "FINANCE")[0]
    with pytest.raises(ValidationError, match="open a revision|Open a revision") as refused:
        services.item_scores_save(
            actor=consultant, diagnosis=diagnosis, entries=[{"item": item, "value": "5"}]
        )
    assert refused.value.code == "reported"
    with pytest.raises(ValidationError) as refused:
        services.diagnosis_update(actor=consultant, diagnosis=diagnosis, conclusion="changed silently")
    assert refused.value.code == "reported"
    with pytest.raises(ValidationError) as refused:
        services.revision_open(actor=consultant, diagnosis=diagnosis, reason="  ")
    assert refused.value.code == "reason_required"

    revision = services.revision_open(actor=consultant, diagnosis=diagnosis, reason="Wrong FINANCE-01 score")
    assert revision.number == 1
    assert revision.snapshot["scores"][item.code] == 3
    assert revision.snapshot["area_scores"]["FINANCE"] == "50.0"
    services.item_scores_save(actor=consultant, diagnosis=diagnosis, entries=[{"item": item, "value": "5"}])
    services.revision_issue(actor=consultant, diagnosis=diagnosis)
    diagnosis.refresh_from_db()
    assert (diagnosis.revision, diagnosis.revision_open, diagnosis.stage) == (1, False, Stage.REPORTED)
    change = Change.objects.get(diagnosis=diagnosis, kind="score", target=item.code, revision=1)
    assert (change.before["score"], change.after["score"], change.actor) == (3, 5, consultant)
    # The snapshot keeps what the report said before.
    assert revision.snapshot["scores"][item.code] == 3
    with pytest.raises(ValidationError):
        services.item_scores_save(
            actor=consultant, diagnosis=diagnosis, entries=[{"item": item, "value": "1"}]
        )


def test_history_records_who_what_and_when(diagnosis, consultant):
    services.diagnosis_update(actor=consultant, diagnosis=diagnosis, conclusion="Strong engineering team.")
    services.diagnosis_update(actor=consultant, diagnosis=diagnosis, conclusion="Strong engineering team.")
    changes = Change.objects.filter(diagnosis=diagnosis, kind="fields")
    assert changes.count() == 1
    change = changes.get()
    assert change.before == {"conclusion": ""}
    assert change.after == {"conclusion": "Strong engineering team."}
    assert change.actor == consultant
    assert change.at is not None


def test_closed_diagnosis_cannot_change():
    diagnosis = reported_diagnosis()
    consultant = diagnosis.consultants.get()
    diagnosis = services.diagnosis_transition(actor=consultant, diagnosis=diagnosis, to_stage="closed")
    with pytest.raises(ValidationError) as refused:
        services.revision_open(actor=consultant, diagnosis=diagnosis, reason="late change")
    assert refused.value.code == "not_revisable"
    with pytest.raises(ValidationError) as refused:
        services.diagnosis_transition(actor=consultant, diagnosis=diagnosis, to_stage="follow_up")
    assert refused.value.code == "invalid_transition"


def test_statements_one_per_year_one_currency(diagnosis, consultant):
    services.statement_save(actor=consultant, diagnosis=diagnosis, **statement_values(2024))
    with pytest.raises(ValidationError, match="already entered") as refused:
        services.statement_save(actor=consultant, diagnosis=diagnosis, **statement_values(2024))
    assert refused.value.code == "year_taken"
    other_currency = {**statement_values(2025), "currency": "JPY"}
    with pytest.raises(ValidationError, match="same currency") as refused:
        services.statement_save(actor=consultant, diagnosis=diagnosis, **other_currency)
    assert refused.value.code == "mixed_currency"
    assert diagnosis.statements.count() == 1


def test_follow_up_updates_actions_and_moves_the_stage():
    diagnosis = reported_diagnosis()
    consultant = diagnosis.consultants.get()
    services.revision_open(actor=consultant, diagnosis=diagnosis, reason="add the action plan")
    action = services.action_add(
        actor=consultant, diagnosis=diagnosis, what="Introduce 5S audits", owner="Plant manager",
        due_on=datetime.date(2026, 3, 31), kpi="5S score ≥ 80", area="PRODUCTION",
    )  # fmt: skip
    services.revision_issue(actor=consultant, diagnosis=diagnosis)
    with pytest.raises(ValidationError, match="before the report") as refused:
        services.follow_up_record(actor=consultant, diagnosis=diagnosis, visited_on=datetime.date(2025, 1, 1))
    assert refused.value.code == "before_report"
    visit = services.follow_up_record(
        actor=consultant, diagnosis=diagnosis, visited_on=datetime.date(2026, 4, 15), notes="Audits started.",
        statuses={action.pk: ActionStatus.DONE},
    )  # fmt: skip
    action.refresh_from_db()
    diagnosis.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.done_on is not None
    assert action.updates.get().visit == visit
    assert diagnosis.stage == Stage.FOLLOW_UP


def test_overdue_actions_are_flagged_and_mailed_to_the_consultant(
    mailoutbox, django_capture_on_commit_callbacks
):
    diagnosis = reported_diagnosis()
    consultant = diagnosis.consultants.get()
    consultant.language = "th"
    consultant.save()
    services.revision_open(actor=consultant, diagnosis=diagnosis, reason="plan")
    late = services.action_add(
        actor=consultant,
        diagnosis=diagnosis,
        what="Cost per part",
        owner="CFO",
        due_on=datetime.date(2020, 1, 1),
    )
    services.action_add(
        actor=consultant, diagnosis=diagnosis, what="Future", owner="CEO", due_on=datetime.date(2099, 1, 1)
    )
    done = services.action_add(
        actor=consultant, diagnosis=diagnosis, what="Done", owner="CEO", due_on=datetime.date(2020, 1, 1)
    )
    services.action_set_status(actor=consultant, action=done, status=ActionStatus.DONE)
    assert list(Action.objects.overdue()) == [late]
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes after commit (notifications)
        assert services.overdue_actions_remind() == 1
        assert services.overdue_actions_remind() == 0  # once a week, also when the task is retried
    assert len(mailoutbox) == 1
    assert "Cost per part" in mailoutbox[0].body
    assert mailoutbox[0].to == [consultant.email]
    assert "2563" in mailoutbox[0].body  # 1 Jan 2020 in B.E., in the consultant's language (Thai)


def test_assignments_are_for_consultants_and_do_not_overlap(company):
    coordinator = UserFactory(role="coordinator")
    member = UserFactory()
    with pytest.raises(ValidationError) as refused:
        services.assignment_create(
            actor=coordinator, consultant=member, company=company, starts_on=datetime.date(2026, 1, 1)
        )
    assert refused.value.code == "not_a_consultant"
    consultant = UserFactory(role="consultant")
    services.assignment_create(
        actor=coordinator, consultant=consultant, company=company,
        starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 6, 30),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="already assigned"):
        services.assignment_create(
            actor=coordinator, consultant=consultant, company=company, starts_on=datetime.date(2026, 6, 1)
        )
    services.assignment_create(
        actor=coordinator, consultant=consultant, company=company, starts_on=datetime.date(2026, 7, 1)
    )
    assert company.shindan_assignments.count() == 2


def test_a_follow_up_before_the_report_is_refused_at_its_date_with_the_report_date(client):
    from django.urls import reverse

    diagnosis = reported_diagnosis()
    consultant = diagnosis.consultants.get()
    consultant.language = "en"
    consultant.save(update_fields=["language"])
    client.force_login(consultant)
    day_before = diagnosis.reported_on - datetime.timedelta(days=1)

    statuses = {f"action_{action.pk}": action.status for action in diagnosis.actions.all()}
    response = client.post(
        reverse("shindan:follow_ups", args=[diagnosis.pk]),
        {"visited_on": day_before.isoformat(), "notes": "", **statuses},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["visited_on"]
    assert errors["visited_on"][0].startswith("A follow-up visit cannot be before the report date (")
    assert str(diagnosis.reported_on.day) in errors["visited_on"][0]
    assert not diagnosis.follow_ups.exists()


def test_a_year_already_entered_is_named_as_the_reader_writes_it(diagnosis, consultant):
    services.statement_save(actor=consultant, diagnosis=diagnosis, **statement_values(2024))
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        services.statement_save(actor=consultant, diagnosis=diagnosis, **statement_values(2024))
    assert "2567" in refused.value.messages[0]
    assert "2024" not in refused.value.messages[0]


def test_an_assignment_ending_today_is_not_offered_to_end_again(client):
    from django.urls import reverse

    from shindan.models import Assignment
    from tests.factories import CompanyFactory, UserFactory

    coordinator = UserFactory(role="coordinator")
    assignment = Assignment.objects.create(
        consultant=UserFactory(role="consultant"),
        company=CompanyFactory(),
        starts_on=datetime.date(2026, 1, 1),
    )
    end = reverse("shindan:assignment_end", args=[assignment.pk])
    client.force_login(coordinator)
    assert end in client.get(reverse("shindan:assignments")).content.decode()

    services.assignment_end(actor=coordinator, assignment=assignment)

    assert assignment.is_active()  # until the day is over
    assert end not in client.get(reverse("shindan:assignments")).content.decode()
