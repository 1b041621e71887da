"""Members report on their meetings (issue 17): each side's own outcome and private rating, by role; both
sides agreeing moves the introduction, as the coordinator's confirmation does; the day-after reminder is
sent once per meeting and company; the list pages make a bounded number of queries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse
from rest_framework.test import APIClient

from events import services
from events.models import Meeting, MeetingReport, MeetingReportNudge, RequestStatus, ScheduleRun, Slot
from events.privacy import _erase_meeting_reports, _export_meeting_reports
from matching.models import Introduction
from portal.notifications.models import Notification
from portal.privacy.registry import Person
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "jp_member", "th_member", "outsider", "coordinator", "consultant"]
# The slots are moved this far back, so every meeting has taken place (the fixture's event is 30 days ahead).
PAST = datetime.timedelta(days=35)


def _meet(expo, pairs):
    """Accepted requests for ``pairs`` of (jp index, th index), scheduled, published and moved to the past."""
    for j, t in pairs:
        request = services.meeting_request_create(actor=None, sender=expo["jp"][j], recipient=expo["th"][t])
        if request.status == RequestStatus.PENDING:
            services.meeting_request_respond(actor=None, meeting_request=request, accept=True)
    run = services.schedule_run_solve(run_id=ScheduleRun.objects.create(event=expo["event"]).pk)
    services.schedule_run_publish(actor=None, run=run)
    Slot.objects.filter(event=expo["event"]).update(
        starts_at=F("starts_at") - PAST, ends_at=F("ends_at") - PAST
    )
    return list(Meeting.objects.filter(event=expo["event"]).select_related("slot").order_by("pk"))


@pytest.fixture
def met(expo):
    """jp[0] (jp_member's company) met th[0] (th_member's); jp[1] and th[1] have no members."""
    (meeting,) = _meet(expo, [(0, 0)])
    return {**expo, "meeting": meeting, "thai": expo["th"][0], "japanese": expo["jp"][0]}


def _url(met, participant, name="events:report"):
    return reverse(name, args=["expo", participant.pk, met["meeting"].pk])


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


# --- Permissions per role --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_report_page_only_for_the_own_side(client, met, role):
    """Each side reports through its own participation; the other side, an unrelated company, a
    consultant and a coordinator get 404 for both, anonymous visitors are sent to log in; nothing changes."""
    user = met["users"][role]
    client = _login(client, user)
    for side, owner in ((met["thai"], "th_member"), (met["japanese"], "jp_member")):
        url = _url(met, side)
        get = client.get(url)
        post = client.post(url, {"outcome": "nda", "rating": "4"})
        if role == owner:
            assert get.status_code == 200
            assert post.status_code == 302
            assert post["Location"] == reverse("events:agenda", args=["expo", side.pk])
        elif role == "anonymous":
            assert (get.status_code, post.status_code) == (302, 302)
            assert "/accounts/login/" in get["Location"]
        else:
            assert (get.status_code, post.status_code) == (404, 404)
    owners = {"th_member": [met["thai"].pk], "jp_member": [met["japanese"].pk]}
    assert list(MeetingReport.objects.values_list("participant_id", flat=True)) == owners.get(role, [])


def test_a_meeting_of_another_participation_is_404(client, expo):
    """The URL's participation must be one side of the meeting: th[0]'s member cannot reach the meeting
    of jp[1] and th[1] through th[0]'s participation."""
    meetings = _meet(expo, [(0, 0), (1, 1)])
    other = next(m for m in meetings if m.request.recipient_id == expo["th"][1].pk)
    client.force_login(expo["users"]["th_member"])
    url = reverse("events:report", args=["expo", expo["th"][0].pk, other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"outcome": "order"}).status_code == 404
    assert MeetingReport.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_coordinators_page_only_for_coordinators(client, met, role):
    client = _login(client, met["users"][role])
    response = client.get(reverse("events:reports", args=["expo"]))
    expected = {"coordinator": 200, "anonymous": 302}.get(role, 404)
    assert response.status_code == expected


# --- Exact values and privacy ----------------------------------------------------------------------------


def test_member_report_is_saved_with_exact_values(client, met):
    user = met["users"]["th_member"]
    client.force_login(user)
    response = client.post(
        _url(met, met["thai"]), {"outcome": "samples", "rating": "4", "note": "  Send the RFQ by Friday  "}
    )
    assert response.status_code == 302
    report = MeetingReport.objects.get()
    assert (report.meeting_id, report.participant_id, report.outcome, report.rating, report.note) == (
        met["meeting"].pk,
        met["thai"].pk,
        "samples",
        4,
        "Send the RFQ by Friday",
    )
    assert report.reported_by == user
    html = client.get(reverse("events:agenda", args=["expo", met["thai"].pk])).content.decode()
    assert "Your report: <strong>Samples / RFQ</strong> · 4 of 5" in html
    # Changing it keeps one report per side.
    client.post(_url(met, met["thai"]), {"outcome": "nda", "rating": ""})
    report.refresh_from_db()
    assert (MeetingReport.objects.count(), report.outcome, report.rating, report.note) == (1, "nda", None, "")


def test_rating_and_note_stay_private_to_the_company_and_the_coordinators(client, met):
    services.meeting_report_save(
        actor=None,
        meeting=met["meeting"],
        participant=met["thai"],
        outcome="nda",
        rating=2,
        note="Too pricey",
    )
    client.force_login(met["users"]["jp_member"])
    for url in (
        reverse("events:agenda", args=["expo", met["japanese"].pk]),
        _url(met, met["japanese"]),
    ):
        html = client.get(url).content.decode()
        assert "Too pricey" not in html
        assert "2 of 5" not in html
    api = APIClient()
    api.force_authenticate(met["users"]["jp_member"])
    agenda = api.get(f"/api/participants/{met['japanese'].pk}/agenda/").json()
    assert agenda[0]["report"] is None
    client.force_login(met["users"]["coordinator"])
    html = client.get(reverse("events:reports", args=["expo"])).content.decode()
    assert "Too pricey" in html
    assert "2 of 5" in html
    assert "No report yet." in html  # the Japanese side's column


def test_invalid_input_is_refused_with_a_translated_error_and_nothing_saved(client, met):
    user = met["users"]["th_member"]
    user.language = "th"
    user.save()
    client.force_login(user)
    response = client.post(
        _url(met, met["thai"]), {"outcome": "merger", "rating": "9"}, HTTP_ACCEPT_LANGUAGE="th"
    )
    assert response.status_code == 200
    assert MeetingReport.objects.count() == 0
    assert response.context["form"].errors.keys() == {"outcome", "rating"}


def test_service_refusals_carry_codes(met):
    meeting, thai = met["meeting"], met["thai"]
    cases = [
        ({"participant": met["th"][1], "outcome": "nda"}, "not_a_side"),
        ({"participant": thai, "outcome": ""}, "invalid_outcome"),
        ({"participant": thai, "outcome": "merger"}, "invalid_outcome"),
        ({"participant": thai, "outcome": "nda", "rating": 0}, "invalid_rating"),
        ({"participant": thai, "outcome": "nda", "rating": 6}, "invalid_rating"),
    ]
    for kwargs, code in cases:
        with pytest.raises(ValidationError) as refused:
            services.meeting_report_save(actor=None, meeting=meeting, **kwargs)
        assert refused.value.code == code
    services.meeting_record(actor=None, meeting=meeting, attendance="no_show")
    with pytest.raises(ValidationError) as refused:
        services.meeting_report_save(actor=None, meeting=meeting, participant=thai, outcome="nda")
    assert refused.value.code == "meeting_not_held"
    Slot.objects.filter(pk=meeting.slot_id).update(
        starts_at=F("starts_at") + 2 * PAST, ends_at=F("ends_at") + 2 * PAST
    )
    meeting.attendance = "scheduled"
    meeting.save()
    with pytest.raises(ValidationError) as refused:
        services.meeting_report_save(actor=None, meeting=meeting, participant=thai, outcome="nda")
    assert refused.value.code == "meeting_not_started"
    assert MeetingReport.objects.count() == 0


# --- The pipeline ----------------------------------------------------------------------------------------


def _introduction(met):
    return Introduction.objects.filter(
        thai_company=met["thai"].company, japanese_company=met["japanese"].company
    ).first()


def test_both_sides_agreeing_moves_the_introduction(met):
    services.meeting_report_save(
        actor=None, meeting=met["meeting"], participant=met["thai"], outcome="samples"
    )
    assert _introduction(met) is None  # one side alone moves nothing
    services.meeting_report_save(
        actor=None, meeting=met["meeting"], participant=met["japanese"], outcome="follow_up"
    )
    assert _introduction(met) is None  # they disagree
    services.meeting_report_save(
        actor=None, meeting=met["meeting"], participant=met["japanese"], outcome="samples"
    )
    assert _introduction(met).stage == "samples"
    met["meeting"].refresh_from_db()
    assert (met["meeting"].attendance, met["meeting"].outcome) == ("scheduled", "")  # the coordinator's own


def test_coordinator_confirmation_moves_the_introduction(client, met):
    services.meeting_report_save(actor=None, meeting=met["meeting"], participant=met["thai"], outcome="nda")
    client.force_login(met["users"]["coordinator"])
    page = reverse("events:reports", args=["expo"])
    html = client.get(page).content.decode()
    assert '<option value="nda" selected>' not in html  # one side only: nothing pre-selected
    response = client.post(
        reverse("events:record", args=["expo", met["meeting"].pk]),
        {"attendance": "held", "outcome": "nda", "notes": "", "next": page},
    )
    assert response["Location"] == page
    assert _introduction(met).stage == "nda"


def test_coordinators_page_preselects_the_agreed_outcome(client, met):
    for side in (met["thai"], met["japanese"]):
        services.meeting_report_save(actor=None, meeting=met["meeting"], participant=side, outcome="order")
    client.force_login(met["users"]["coordinator"])
    html = client.get(reverse("events:reports", args=["expo"])).content.decode()
    assert "Both sides report: Order" in html
    assert '<option value="order" selected>' in html
    assert '<option value="held" selected>' in html


# --- The reminder ----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("inline_tasks")  # the e-mails are read from mail.outbox, also when CI has a broker
def test_nudge_the_day_after_once_per_meeting_and_company(
    met, mailoutbox, django_capture_on_commit_callbacks
):
    thai_user = met["users"]["th_member"]
    thai_user.language = "th"
    thai_user.save()
    meeting = met["meeting"]
    same_day = meeting.slot.ends_at + datetime.timedelta(minutes=30)
    assert services.meeting_report_nudges(now=same_day) == 0
    day_after = meeting.slot.ends_at + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_report_nudges(now=day_after) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_report_nudges(now=day_after) == 0  # a retried task sends nothing
        assert services.meeting_report_nudges(now=day_after + datetime.timedelta(days=1)) == 0
    MembershipFactory(company=met["thai"].company)  # a new member later does not re-open the reminder
    assert services.meeting_report_nudges(now=day_after + datetime.timedelta(days=2)) == 0
    assert sorted(MeetingReportNudge.objects.values_list("participant_id", flat=True)) == sorted(
        [met["thai"].pk, met["japanese"].pk]
    )
    notifications = Notification.objects.filter(kind="events.meeting_report_due").order_by("recipient_id")
    assert [n.recipient for n in notifications] == sorted(
        [thai_user, met["users"]["jp_member"]], key=lambda u: u.pk
    )
    thai_note = notifications.get(recipient=thai_user)
    assert thai_note.url == _url(met, met["thai"])
    thai_mail = next(m for m in mailoutbox if m.to == [thai_user.email])
    assert thai_mail.subject == "การเจรจากับ Nihon 0 ใน Industry Expo เป็นอย่างไรบ้าง"
    assert len(mailoutbox) == 2


def test_no_nudge_for_a_side_that_reported_or_a_no_show(met):
    meeting = met["meeting"]
    services.meeting_report_save(actor=None, meeting=meeting, participant=met["thai"], outcome="nda")
    day_after = meeting.slot.ends_at + datetime.timedelta(days=1)
    assert services.meeting_report_nudges(now=day_after) == 1
    assert list(MeetingReportNudge.objects.values_list("participant_id", flat=True)) == [met["japanese"].pk]
    MeetingReportNudge.objects.all().delete()
    services.meeting_record(actor=None, meeting=meeting, attendance="no_show")
    assert services.meeting_report_nudges(now=day_after) == 0


def test_the_beat_task_runs_the_reminder(met, inline_tasks):
    from events.tasks import nudge_meeting_reports

    assert nudge_meeting_reports.delay().get() == 2
    assert nudge_meeting_reports.delay().get() == 0


# --- To-do, API, privacy ---------------------------------------------------------------------------------


def test_dashboard_lists_meetings_to_report_on(client, met):
    client.force_login(met["users"]["th_member"])
    html = client.get(reverse("dashboard")).content.decode()
    assert "1 meeting to report on" in html
    assert f'href="{reverse("events:agenda", args=["expo", met["thai"].pk])}"' in html
    services.meeting_report_save(actor=None, meeting=met["meeting"], participant=met["thai"], outcome="nda")
    html = client.get(reverse("dashboard")).content.decode()
    assert "meeting to report on" not in html


@pytest.mark.parametrize("role", ROLES)
def test_api_report_by_role(met, role):
    api = APIClient()
    if met["users"][role] is not None:
        api.force_authenticate(met["users"][role])
    url = f"/api/participants/{met['thai'].pk}/meetings/{met['meeting'].pk}/report/"
    put = api.put(url, {"outcome": "order", "rating": 5, "note": "PO signed"}, format="json")
    get = api.get(url)
    if role == "th_member":
        assert put.status_code == 200
        assert {k: put.json()[k] for k in ("meeting", "outcome", "rating", "note")} == {
            "meeting": met["meeting"].pk,
            "outcome": "order",
            "rating": 5,
            "note": "PO signed",
        }
        assert get.json()["outcome"] == "order"
        assert MeetingReport.objects.get().rating == 5
    else:
        expected = {401, 403} if role == "anonymous" else {404}
        assert put.status_code in expected
        assert get.status_code in expected
        assert MeetingReport.objects.count() == 0


def test_api_refusal_is_a_400_with_the_code(met):
    api = APIClient()
    api.force_authenticate(met["users"]["th_member"])
    url = f"/api/participants/{met['thai'].pk}/meetings/{met['meeting'].pk}/report/"
    assert api.put(url, {"outcome": "nda", "rating": 7}, format="json").status_code == 400
    services.meeting_record(actor=None, meeting=met["meeting"], attendance="no_show")
    response = api.put(url, {"outcome": "nda"}, format="json")
    assert response.status_code == 400
    assert MeetingReport.objects.count() == 0


def test_privacy_export_and_erasure_of_report_notes(met):
    user = met["users"]["th_member"]
    user.first_name, user.last_name = "Somchai", "Jaidee"
    user.save()
    services.meeting_report_save(
        actor=user, meeting=met["meeting"], participant=met["thai"], outcome="nda", note="Call Somchai Jaidee"
    )
    exported = _export_meeting_reports(user, [met["thai"].company])["meeting_reports"]
    assert [(row["outcome"], row["note"]) for row in exported] == [("nda", "Call Somchai Jaidee")]
    person = Person(
        user=user, companies=(met["thai"].company,), name="Somchai Jaidee", first_name="Somchai",
        last_name="Jaidee", email=user.email,
    )  # fmt: skip
    assert _erase_meeting_reports(person) == {"meeting_report_notes": 1}
    assert "Somchai" not in MeetingReport.objects.get().note


# --- Query counts ----------------------------------------------------------------------------------------


def _reported_meeting(expo, j, slot):
    """A published meeting of jp[j] and th[0] in ``slot`` (already past), with both sides' reports."""
    sender, recipient = expo["jp"][j], expo["th"][0]
    request = services.meeting_request_create(actor=None, sender=sender, recipient=recipient)
    services.meeting_request_respond(actor=None, meeting_request=request, accept=True)
    meeting = Meeting.objects.create(event=expo["event"], request=request, slot=slot, table="1")
    for side in (sender, recipient):
        services.meeting_report_save(actor=None, meeting=meeting, participant=side, outcome="nda", rating=3)


@pytest.mark.parametrize(
    ("role", "page", "expected"), [("coordinator", "reports", 9), ("th_member", "agenda", 15)]
)
def test_list_pages_make_the_same_queries_for_one_and_three_meetings(
    client, expo, django_assert_num_queries, role, page, expected
):
    expo["event"].max_meetings_per_company = 3
    expo["event"].save()
    slots = list(expo["event"].slots.order_by("starts_at"))
    Slot.objects.filter(event=expo["event"]).update(
        starts_at=F("starts_at") - PAST, ends_at=F("ends_at") - PAST
    )
    slots = list(Slot.objects.filter(pk__in=[slot.pk for slot in slots]).order_by("starts_at"))
    client.force_login(expo["users"][role])
    url = (
        reverse("events:reports", args=["expo"])
        if page == "reports"
        else (reverse("events:agenda", args=["expo", expo["th"][0].pk]))
    )
    _reported_meeting(expo, 0, slots[0])
    client.get(url)  # warm the caches (site settings, sessions) so both counts start alike
    with django_assert_num_queries(expected):
        first = client.get(url)
    _reported_meeting(expo, 1, slots[1])
    _reported_meeting(expo, 2, slots[2])
    with django_assert_num_queries(expected):
        third = client.get(url)
    assert (len(first.context["rows"]), len(third.context["rows"])) == (1, 3)
