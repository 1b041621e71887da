"""Members report on their introductions (issue 17): after being introduced, each side records its own
outcome and a private rating, by role; both sides agreeing moves the introduction forward (never back), the
coordinator's stage change confirms otherwise; the list pages make a bounded number of queries."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from matching import services
from matching.models import Introduction, IntroductionReport, ReportOutcome
from matching.privacy import _erase_introduction_reports, _export_introduction_reports
from portal.accounts.models import Role
from portal.privacy.registry import Person
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "jp_member", "th_member", "outsider", "coordinator", "consultant"]
LIST = "/matching/introductions/"


@pytest.fixture
def intro():
    """Siam Mold (th_member's) and Kato Medical (jp_member's), introduced by a coordinator."""
    thai = CompanyFactory(country="TH", name_en="Siam Mold")
    japanese = CompanyFactory(country="JP", name_en="Kato Medical")
    users = {
        "anonymous": None,
        "jp_member": MembershipFactory(company=japanese, user__language="en").user,
        "th_member": MembershipFactory(company=thai, user__language="en").user,
        "outsider": MembershipFactory(company=CompanyFactory(country="TH")).user,
        "coordinator": UserFactory(role=Role.COORDINATOR, language="en"),
        "consultant": UserFactory(role=Role.CONSULTANT),
    }
    introduction = services.introduction_request(company=thai, partner=japanese, actor=users["th_member"])
    introduction = services.introduction_set_stage(
        introduction=introduction, actor=users["coordinator"], stage="introduced"
    )
    return {"introduction": introduction, "thai": thai, "japanese": japanese, "users": users}


def _url(intro):
    return reverse("matching:report", args=[intro["introduction"].pk])


def _stage(intro) -> str:
    return Introduction.objects.get(pk=intro["introduction"].pk).stage


def _save(intro, side, outcome, **kwargs):
    return services.introduction_report_save(
        actor=None, introduction=intro["introduction"], company=intro[side], outcome=outcome, **kwargs
    )


# --- Permissions per role --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_report_page_only_for_the_two_sides(client, intro, role):
    """Each side reports for its own company; an unrelated company, a consultant and a coordinator get 404,
    anonymous visitors are sent to log in; nothing changes for them."""
    user = intro["users"][role]
    if user is not None:
        client.force_login(user)
    get = client.get(_url(intro))
    post = client.post(_url(intro), {"outcome": "nda", "rating": "4"})
    if role in ("th_member", "jp_member"):
        assert get.status_code == 200
        assert (post.status_code, post["Location"]) == (302, LIST)
    elif role == "anonymous":
        assert (get.status_code, post.status_code) == (302, 302)
        assert "/accounts/login/" in get["Location"]
    else:
        assert (get.status_code, post.status_code) == (404, 404)
    side = {"th_member": [intro["thai"].pk], "jp_member": [intro["japanese"].pk]}
    assert list(IntroductionReport.objects.values_list("company_id", flat=True)) == side.get(role, [])
    assert _stage(intro) == "introduced"


def test_the_company_parameter_cannot_pick_the_other_side(client, intro):
    client.force_login(intro["users"]["th_member"])
    url = f"{_url(intro)}?company={intro['japanese'].pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"outcome": "order"}).status_code == 404
    assert IntroductionReport.objects.count() == 0


def test_an_introduction_of_other_companies_is_404(client, intro):
    other = Introduction.objects.create(
        thai_company=CompanyFactory(country="TH"), japanese_company=intro["japanese"], stage="introduced",
        requesting_company=intro["japanese"],
    )  # fmt: skip
    client.force_login(intro["users"]["th_member"])
    url = reverse("matching:report", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"outcome": "order"}).status_code == 404
    assert IntroductionReport.objects.count() == 0


# --- Exact values and privacy ----------------------------------------------------------------------------


def test_member_report_is_saved_with_exact_values(client, intro):
    user = intro["users"]["th_member"]
    client.force_login(user)
    response = client.post(
        _url(intro), {"outcome": "samples", "rating": "4", "note": "  Send the RFQ by Friday  "}
    )
    assert response.status_code == 302
    report = IntroductionReport.objects.get()
    assert (report.introduction_id, report.company_id, report.outcome, report.rating, report.note) == (
        intro["introduction"].pk,
        intro["thai"].pk,
        "samples",
        4,
        "Send the RFQ by Friday",
    )
    assert report.reported_by == user
    html = client.get(LIST).content.decode()
    assert "Your report: <strong>Samples / RFQ</strong> · 4 of 5" in html
    assert f'href="{_url(intro)}?company={intro["thai"].pk}">Change the report</a>' in html
    # Changing it keeps one report per side; one side alone moves nothing.
    client.post(_url(intro), {"outcome": "nda", "rating": ""})
    report.refresh_from_db()
    assert (IntroductionReport.objects.count(), report.outcome, report.rating, report.note) == (
        1,
        "nda",
        None,
        "",
    )
    assert _stage(intro) == "introduced"


def test_member_list_offers_the_report_only_once_introduced(client, intro):
    waiting = services.introduction_request(
        company=intro["thai"], partner=CompanyFactory(country="JP", name_en="Osaka Robotics"),
        actor=intro["users"]["th_member"],
    )  # fmt: skip
    client.force_login(intro["users"]["th_member"])
    html = client.get(LIST).content.decode()
    assert "Report on the introduction to Kato Medical" in html
    assert "Report on the introduction to Osaka Robotics" not in html
    assert reverse("matching:report", args=[waiting.pk]) not in html
    page = client.get(reverse("matching:report", args=[waiting.pk])).content.decode()
    assert "These companies have not been introduced yet" in page
    assert "Save the report" not in page


def test_rating_and_note_stay_private_to_the_company_and_the_coordinators(client, intro):
    _save(intro, "thai", "nda", rating=2, note="Too pricey")
    client.force_login(intro["users"]["jp_member"])
    for url in (LIST, _url(intro)):
        html = client.get(url).content.decode()
        assert "Too pricey" not in html
        assert "2 of 5" not in html
        assert "NDA" not in html or "Your report" not in html
    api = APIClient()
    api.force_authenticate(intro["users"]["jp_member"])
    own = api.get(f"/api/introductions/{intro['introduction'].pk}/report/").json()
    assert (own["company"], own["outcome"], own["rating"], own["note"]) == (
        intro["japanese"].pk,
        "",
        None,
        "",
    )
    assert "Too pricey" not in str(api.get(f"/api/introductions/{intro['introduction'].pk}/").json())
    client.force_login(intro["users"]["coordinator"])
    detail = client.get(reverse("matching:introduction", args=[intro["introduction"].pk])).content.decode()
    assert "Too pricey" in detail
    assert "2 of 5" in detail
    assert "No report yet." in detail  # the Japanese side's column
    listing = client.get(LIST).content.decode()
    assert "Outcome: NDA · 2 of 5" in listing


def test_invalid_input_is_refused_with_a_translated_error_and_nothing_saved(client, intro):
    user = intro["users"]["th_member"]
    user.language = "th"
    user.save()
    client.force_login(user)
    response = client.post(_url(intro), {"outcome": "merger", "rating": "9"}, HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200
    assert IntroductionReport.objects.count() == 0
    assert response.context["form"].errors.keys() == {"outcome", "rating"}
    with translation.override("th"):
        assert translation.gettext("Outcome") in response.content.decode()


def test_service_refusals_carry_codes(intro):
    cases = [
        ({"company": CompanyFactory(country="TH"), "outcome": "nda"}, "not_a_side"),
        ({"company": intro["thai"], "outcome": ""}, "invalid_outcome"),
        ({"company": intro["thai"], "outcome": "merger"}, "invalid_outcome"),
        ({"company": intro["thai"], "outcome": "nda", "rating": 0}, "invalid_rating"),
        ({"company": intro["thai"], "outcome": "nda", "rating": 6}, "invalid_rating"),
    ]
    for kwargs, code in cases:
        with pytest.raises(ValidationError) as refused:
            services.introduction_report_save(actor=None, introduction=intro["introduction"], **kwargs)
        assert refused.value.code == code
    waiting = services.introduction_request(
        company=intro["thai"], partner=CompanyFactory(country="JP"), actor=intro["users"]["th_member"]
    )
    with pytest.raises(ValidationError) as refused:
        services.introduction_report_save(
            actor=None, introduction=waiting, company=intro["thai"], outcome="nda"
        )
    assert refused.value.code == "not_introduced"
    assert IntroductionReport.objects.count() == 0


def test_outcomes_share_the_events_vocabulary():
    """The same values and English words as the meeting outcomes, so each has one translation."""
    from events.models import Outcome

    assert [c for c in Outcome.choices if c[0]] == [(v, str(label)) for v, label in ReportOutcome.choices]


# --- The pipeline ----------------------------------------------------------------------------------------


def test_both_sides_agreeing_moves_the_introduction_forward(intro):
    _save(intro, "thai", "samples")
    assert _stage(intro) == "introduced"  # one side alone moves nothing
    _save(intro, "japanese", "follow_up")
    assert _stage(intro) == "introduced"  # they disagree
    _save(intro, "japanese", "samples")
    assert _stage(intro) == "samples"  # introduced → talking → samples, through the allowed steps


def test_agreement_never_moves_the_introduction_backwards(intro):
    services.introduction_set_stage(introduction=intro["introduction"], actor=None, stage="talking")
    services.introduction_set_stage(introduction=intro["introduction"], actor=None, stage="nda")
    _save(intro, "thai", "follow_up")
    _save(intro, "japanese", "follow_up")
    assert _stage(intro) == "nda"


def test_agreement_notifies_both_sides_of_the_new_stage(intro):
    from portal.notifications.models import Notification

    _save(intro, "thai", "nda")
    _save(intro, "japanese", "nda")
    stages = Notification.objects.filter(kind="matching.introduction_stage").values_list(
        "recipient_id", flat=True
    )
    assert sorted(stages) == sorted([intro["users"]["th_member"].pk, intro["users"]["jp_member"].pk] * 2)


def test_coordinator_confirmation_moves_the_introduction(client, intro):
    _save(intro, "thai", "nda")
    client.force_login(intro["users"]["coordinator"])
    page = reverse("matching:introduction", args=[intro["introduction"].pk])
    html = client.get(page).content.decode()
    assert '<option value="talking" selected>' not in html  # one side only: nothing pre-selected
    assert client.post(page, {"stage": "talking", "note": ""}).status_code == 302
    assert _stage(intro) == "talking"


def test_coordinator_page_preselects_the_step_towards_the_agreed_outcome(client, intro):
    services.introduction_set_stage(introduction=intro["introduction"], actor=None, stage="talking")
    IntroductionReport.objects.bulk_create(  # reported while the introduction stood elsewhere
        [
            IntroductionReport(introduction=intro["introduction"], company=intro[side], outcome="order")
            for side in ("thai", "japanese")
        ]
    )
    client.force_login(intro["users"]["coordinator"])
    html = client.get(reverse("matching:introduction", args=[intro["introduction"].pk])).content.decode()
    assert "Both sides report: Order" in html
    assert '<option value="nda" selected>' in html  # talking → nda → order


def test_dashboard_lists_introductions_to_report_on(client, intro):
    client.force_login(intro["users"]["th_member"])
    html = client.get(reverse("dashboard")).content.decode()
    assert "1 introduction to report on" in html
    _save(intro, "thai", "nda")
    html = client.get(reverse("dashboard")).content.decode()
    assert "introduction to report on" not in html
    client.force_login(intro["users"]["jp_member"])  # the other side still has to report
    assert "1 introduction to report on" in client.get(reverse("dashboard")).content.decode()


# --- API, privacy ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_api_report_by_role(intro, role):
    api = APIClient()
    if intro["users"][role] is not None:
        api.force_authenticate(intro["users"][role])
    url = f"/api/introductions/{intro['introduction'].pk}/report/"
    put = api.put(url, {"outcome": "order", "rating": 5, "note": "PO signed"}, format="json")
    get = api.get(url)
    if role in ("th_member", "jp_member"):
        company = intro["thai" if role == "th_member" else "japanese"].pk
        assert put.status_code == 200
        assert {k: put.json()[k] for k in ("introduction", "company", "outcome", "rating", "note")} == {
            "introduction": intro["introduction"].pk,
            "company": company,
            "outcome": "order",
            "rating": 5,
            "note": "PO signed",
        }
        assert get.json()["outcome"] == "order"
        assert IntroductionReport.objects.get().rating == 5
    else:
        expected = {401, 403} if role == "anonymous" else {404}
        assert put.status_code in expected
        assert get.status_code in expected
        assert IntroductionReport.objects.count() == 0


def test_api_refusal_is_a_400_and_nothing_saved(intro):
    api = APIClient()
    api.force_authenticate(intro["users"]["th_member"])
    url = f"/api/introductions/{intro['introduction'].pk}/report/"
    assert api.put(url, {"outcome": "nda", "rating": 7}, format="json").status_code == 400
    assert api.put(url, {"outcome": ""}, format="json").status_code == 400  # the service's invalid_outcome
    waiting = services.introduction_request(
        company=intro["thai"], partner=CompanyFactory(country="JP"), actor=intro["users"]["th_member"]
    )
    response = api.put(f"/api/introductions/{waiting.pk}/report/", {"outcome": "nda"}, format="json")
    assert response.status_code == 400
    assert IntroductionReport.objects.count() == 0


def test_privacy_export_and_erasure_of_report_notes(intro):
    user = intro["users"]["th_member"]
    user.first_name, user.last_name = "Somchai", "Jaidee"
    user.save()
    services.introduction_report_save(
        actor=user, introduction=intro["introduction"], company=intro["thai"], outcome="nda",
        note="Call Somchai Jaidee",
    )  # fmt: skip
    exported = _export_introduction_reports(user, [intro["thai"]])["introduction_reports"]
    assert [(row["company"], row["outcome"], row["note"]) for row in exported] == [
        ("Siam Mold", "nda", "Call Somchai Jaidee")
    ]
    person = Person(
        user=user, companies=(intro["thai"],), name="Somchai Jaidee", first_name="Somchai",
        last_name="Jaidee", email=user.email,
    )  # fmt: skip
    assert _erase_introduction_reports(person) == {"introduction_report_notes": 1}
    assert "Somchai" not in IntroductionReport.objects.get().note


# --- Query counts ----------------------------------------------------------------------------------------


def _reported_introduction(thai, coordinator):
    """A new Japanese partner of ``thai``, introduced, with both sides' reports."""
    japanese = CompanyFactory(country="JP")
    introduction = Introduction.objects.create(
        thai_company=thai, japanese_company=japanese, requesting_company=thai, stage="introduced"
    )
    for company in (thai, japanese):
        services.introduction_report_save(
            actor=coordinator, introduction=introduction, company=company, outcome="follow_up", rating=3
        )


# The coordinators' dashboard also counts its introductions, for its pages (one query, however many).
@pytest.mark.parametrize(("role", "expected"), [("coordinator", 16), ("th_member", 9)])
def test_list_pages_make_the_same_queries_for_one_and_three_introductions(
    client, django_assert_num_queries, role, expected
):
    thai = CompanyFactory(country="TH")
    users = {
        "coordinator": UserFactory(role=Role.COORDINATOR),
        "th_member": MembershipFactory(company=thai).user,
    }
    client.force_login(users[role])
    _reported_introduction(thai, users["coordinator"])
    client.get(LIST)  # warm the caches (site settings, sessions) so both counts start alike
    with django_assert_num_queries(expected):
        first = client.get(LIST)
    _reported_introduction(thai, users["coordinator"])
    _reported_introduction(thai, users["coordinator"])
    with django_assert_num_queries(expected):
        third = client.get(LIST)
    assert (len(first.context["introductions"]), len(third.context["introductions"])) == (1, 3)
    reports = [i.report for i in third.context["introductions"]] if role == "th_member" else []
    assert [(r.outcome, r.rating) for r in reports] == ([("follow_up", 3)] * 3 if role == "th_member" else [])


def test_saving_a_note_keeps_the_stage_and_an_empty_form_changes_nothing(client, intro):
    services.introduction_set_stage(introduction=intro["introduction"], actor=None, stage="talking")
    client.force_login(intro["users"]["coordinator"])
    page = reverse("matching:introduction", args=[intro["introduction"].pk])
    html = client.get(page).content.decode()
    assert '<option value="" selected>No change (stays “Talking”)</option>' in html

    assert client.post(page, {"stage": "", "note": "Samples promised for March"}).status_code == 302
    intro["introduction"].refresh_from_db()
    assert (intro["introduction"].stage, intro["introduction"].note) == (
        "talking",
        "Samples promised for March",
    )

    response = client.post(page, {"stage": "", "note": "  "})
    assert response.status_code == 200
    assert "Choose the next stage or write a note." in response.content.decode()
    intro["introduction"].refresh_from_db()
    assert intro["introduction"].note == "Samples promised for March"


def test_the_note_box_holds_the_note_so_that_saving_edits_it(client, intro):
    services.introduction_note_set(
        introduction=intro["introduction"], actor=None, note="Called both sides.\nSamples in March."
    )
    client.force_login(intro["users"]["coordinator"])
    page = reverse("matching:introduction", args=[intro["introduction"].pk])

    html = client.get(page).content.decode()

    assert "Called both sides.\nSamples in March.</textarea>" in html  # what saving would keep
    assert "Called both sides.<br>Samples in March." in html  # the record, as written
