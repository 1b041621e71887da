"""Event pages and API by role: public, members (own participation, agenda, .ics, PDF), coordinators;
denied requests change nothing; exports are formula-safe."""

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from events import services
from events.models import Meeting, MeetingRequest, RequestStatus, ScheduleRun
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "jp_member", "th_member", "outsider", "coordinator", "consultant"]


@pytest.fixture
def scheduled(expo):
    jp, th = expo["jp"], expo["th"]
    request = services.meeting_request_create(
        actor=None, sender=jp[0], recipient=th[1], message="Let us meet"
    )
    services.meeting_request_respond(actor=None, meeting_request=request, accept=True)
    run = services.schedule_run_solve(run_id=ScheduleRun.objects.create(event=expo["event"]).pk)
    services.schedule_run_publish(actor=None, run=run)
    return {**expo, "request": request, "run": run, "meeting": Meeting.objects.get()}


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def test_public_pages_show_no_private_data(client, scheduled):
    for url in (reverse("events:list"), reverse("events:detail", args=["expo"])):
        response = client.get(url)
        assert response.status_code == 200
    html = client.get(reverse("events:detail", args=["expo"])).content.decode()
    assert "Nihon 0" in html
    assert "Let us meet" not in html
    # A visitor can look at each delegate's page from the event's (a verified company; not a dead name).
    nihon = scheduled["delegation"].participants.order_by("pk").first().company
    assert f'<a href="{reverse("companies:detail", args=[nihon.pk])}">{nihon.display_name()}</a>' in html


@pytest.mark.parametrize("role", ROLES)
def test_coordinator_pages(client, scheduled, role):
    c = _login(client, scheduled["users"][role])
    event = scheduled["event"]
    urls = [
        reverse("events:manage", args=[event.slug]),
        reverse("events:delegation", args=[event.slug, scheduled["delegation"].pk]),
        reverse("events:run", args=[event.slug, scheduled["run"].pk]),
        reverse("events:grid", args=[event.slug]),
        reverse("events:kpis", args=[event.slug]),
    ]
    for url in urls:
        response = c.get(url)
        if role == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if role == "coordinator" else 404), (url, role)


@pytest.mark.parametrize("role", ROLES)
def test_agenda_only_for_the_company_and_coordinators(client, scheduled, role):
    c = _login(client, scheduled["users"][role])
    jp_participant = scheduled["jp"][0]
    for name in ("events:agenda", "events:agenda_ics", "events:agenda_pdf", "events:participants"):
        response = c.get(reverse(name, args=["expo", jp_participant.pk]))
        if role == "anonymous":
            assert response.status_code == 302
            continue
        allowed = role == "jp_member" or (role == "coordinator" and name != "events:participants")
        assert response.status_code == (200 if allowed else 404), (name, role)


def test_agenda_ics_and_pdf_content(client, scheduled):
    client.force_login(scheduled["users"]["jp_member"])
    pk = scheduled["jp"][0].pk
    ics = client.get(reverse("events:agenda_ics", args=["expo", pk])).content.decode()
    assert "BEGIN:VCALENDAR" in ics
    assert "BEGIN:VEVENT" in ics
    assert "Siam 1" in ics
    assert "Ploy" in ics  # the interpreter (Siam 1 speaks only Thai)
    meeting = scheduled["meeting"]
    assert meeting.slot.starts_at.strftime("%Y%m%dT%H%M%SZ") in ics
    pdf = client.get(reverse("events:agenda_pdf", args=["expo", pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Siam 1" in text
    html = client.get(reverse("events:agenda", args=["expo", pk])).content.decode()
    assert "Same industry" in html  # the meeting brief: match reasons


def test_agenda_ics_is_valid_with_control_characters_already_stored(client, scheduled):
    """Issue 12 item 7: a name stored with a line break (before the rule) made the .ics answer 500."""
    from icalendar import Calendar

    from portal.companies.models import Company

    other = scheduled["th"][1].company
    Company.objects.filter(pk=other.pk).update(name_en="Siam\r\nX-INJ:1\x01")
    Company.objects.filter(pk=scheduled["jp"][0].company_id).update(name_en="Nihon\rX-OWN:1")
    client.force_login(scheduled["users"]["jp_member"])

    response = client.get(reverse("events:agenda_ics", args=["expo", scheduled["jp"][0].pk]))

    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    (meeting,) = calendar.walk("VEVENT")
    assert str(meeting["SUMMARY"]) == "B2B meeting: Siam X-INJ:1"
    assert str(calendar["X-WR-CALNAME"]) == "Industry Expo — Nihon X-OWN:1"
    lines = response.content.decode().split("\r\n")
    assert not [line for line in lines if line.startswith(("X-INJ", "X-OWN"))]


@pytest.mark.parametrize("role", ["anonymous", "th_member", "outsider", "consultant", "coordinator"])
def test_answering_someone_elses_request_is_refused(client, expo, role):
    request = services.meeting_request_create(actor=None, sender=expo["th"][0], recipient=expo["jp"][0])
    c = _login(client, expo["users"][role])
    response = c.post(reverse("events:answer", args=["expo", request.pk]), {"accept": "1"})
    assert response.status_code in ((302,) if role == "anonymous" else (404,))
    assert MeetingRequest.objects.get(pk=request.pk).status == RequestStatus.PENDING


def test_member_requests_and_the_other_side_accepts(client, expo):
    client.force_login(expo["users"]["jp_member"])
    url = reverse("events:request", args=["expo", expo["jp"][0].pk, expo["th"][0].pk])
    assert client.post(url, {"message": "Medical molding"}).status_code == 302
    request = MeetingRequest.objects.get()
    client.force_login(expo["users"]["th_member"])
    page = client.get(reverse("events:mine", args=["expo"])).content.decode()
    assert "Medical molding" in page
    client.post(reverse("events:answer", args=["expo", request.pk]), {"accept": "1"})
    assert MeetingRequest.objects.get().status == RequestStatus.ACCEPTED


def test_member_cannot_request_for_another_company(client, expo):
    client.force_login(expo["users"]["th_member"])
    url = reverse("events:request", args=["expo", expo["jp"][0].pk, expo["th"][1].pk])
    assert client.post(url).status_code == 404
    assert not MeetingRequest.objects.exists()


def test_kpi_exports_are_formula_safe(client, scheduled):
    meeting = scheduled["meeting"]
    services.meeting_record(actor=None, meeting=meeting, attendance="held", outcome="follow_up")
    from portal.taxonomy.models import Industry

    industry = Industry.objects.first()
    industry.name_en = "=HYPERLINK(1)"
    industry.save()
    scheduled["jp"][0].company.industries.add(industry)
    client.force_login(scheduled["users"]["coordinator"])
    csv_text = client.get(reverse("events:kpis", args=["expo"]) + "?format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv_text
    xlsx = client.get(reverse("events:kpis", args=["expo"]) + "?format=xlsx").content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    values = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert "'=HYPERLINK(1)" in values
    page = client.get(reverse("events:kpis", args=["expo"])).content.decode()
    assert "Follow-up" in page


def test_coordinator_runs_and_publishes_from_the_pages(
    client, expo, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = (
        True  # the embedded default; tests/events/test_worker.py has the real one
    )
    request = services.meeting_request_create(actor=None, sender=expo["jp"][0], recipient=expo["th"][0])
    services.meeting_request_respond(actor=None, meeting_request=request, accept=True)
    client.force_login(expo["users"]["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:schedule", args=["expo"]))
    run = ScheduleRun.objects.get()
    assert response["Location"] == reverse("events:run", args=["expo", run.pk])
    run.refresh_from_db()
    assert run.status == ScheduleRun.Status.FINISHED  # inline on the embedded default
    page = client.get(response["Location"]).content.decode()
    assert "Publish the schedule" in page
    client.post(response["Location"])
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_api_scoping(scheduled, role):
    api = APIClient()
    user = scheduled["users"][role]
    if user is not None:
        api.force_authenticate(user)
    assert api.get("/api/events/").status_code == 200
    participants = api.get("/api/participants/")
    requests = api.get("/api/meeting-requests/")
    if role == "anonymous":
        assert participants.status_code in (401, 403)
        return
    listed = participants.json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    expected = {"jp_member": 1, "th_member": 1, "coordinator": 6}.get(role, 0)
    assert len(rows) == expected
    request_rows = requests.json()
    request_rows = request_rows["results"] if isinstance(request_rows, dict) else request_rows
    assert len(request_rows) == (1 if role in ("jp_member", "coordinator") else 0)
    agenda = api.get(f"/api/participants/{scheduled['jp'][0].pk}/agenda/")
    assert agenda.status_code == (200 if role in ("jp_member", "coordinator") else 404)
    if role == "jp_member":
        assert agenda.json()[0]["counterpart"] == "Siam 1"
        assert agenda.json()[0]["interpreter"] == "Ploy"


def test_api_request_and_answer(expo):
    api = APIClient()
    api.force_authenticate(expo["users"]["th_member"])
    created = api.post(
        "/api/meeting-requests/", {"sender": expo["th"][0].pk, "recipient": expo["jp"][1].pk}, format="json"
    )
    assert created.status_code == 201
    forged = api.post(
        "/api/meeting-requests/", {"sender": expo["th"][1].pk, "recipient": expo["jp"][1].pk}, format="json"
    )
    assert forged.status_code == 404
    own_answer = api.post(
        f"/api/meeting-requests/{created.json()['id']}/answer/", {"accept": True}, format="json"
    )
    assert own_answer.status_code == 404  # only the recipient answers
    assert MeetingRequest.objects.get().status == RequestStatus.PENDING


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_create_events(client, expo, role):
    c = _login(client, expo["users"][role])
    data = {
        "slug": "expo-2028", "name_en": "Expo 2028", "venue_en": "BITEC", "organiser_en": "DIP",
        "starts_on": "2028-07-25", "ends_on": "2028-07-27", "time_zone": "Asia/Bangkok", "is_public": "on",
        "request_expiry_hours": 72, "max_requests_per_company": 10, "max_meetings_per_company": 10,
        "min_meetings_per_company": 2, "scheduler_seconds": 30,
    }  # fmt: skip
    response = c.post(reverse("events:new"), data)
    from events.models import Event

    if role == "coordinator":
        assert response.status_code == 302
        assert Event.objects.filter(slug="expo-2028").exists()
        bad = c.post(
            reverse("events:new"),
            {**data, "slug": "other", "ends_on": "2028-07-01", "time_zone": "Mars/Base"},
        )
        assert bad.status_code == 200
        assert not Event.objects.filter(slug="other").exists()
    else:
        assert response.status_code in ((302,) if role == "anonymous" else (404,))
        assert not Event.objects.filter(slug="expo-2028").exists()


def test_agenda_query_count_is_the_same_for_one_and_three_meetings(client, expo, django_assert_num_queries):
    """Each counterpart's representatives and the own reports come with the meetings (they were read per
    meeting)."""
    from events.models import Representative

    jp, th, event = expo["jp"][0], expo["th"], expo["event"]
    event.max_meetings_per_company = 3
    event.save(update_fields=["max_meetings_per_company"])
    slots = list(event.slots.order_by("starts_at"))

    def meet(n):
        request = services.meeting_request_create(actor=None, sender=jp, recipient=th[n])
        services.meeting_request_respond(actor=None, meeting_request=request, accept=True)
        Meeting.objects.create(event=event, request=request, slot=slots[n], table="1")
        Representative.objects.create(participant=th[n], name=f"Somchai {n}", languages="th")

    client.force_login(expo["users"]["jp_member"])
    url = reverse("events:agenda", args=["expo", jp.pk])
    meet(0)
    client.get(url)  # the taxonomy's and the session's first reads are cached
    with django_assert_num_queries(15):
        response = client.get(url)
    assert [row["other"].pk for row in response.context["rows"]] == [th[0].pk]
    meet(1)
    meet(2)
    with django_assert_num_queries(15):
        response = client.get(url)
    html = response.content.decode()
    assert [row["other"].pk for row in response.context["rows"]] == [th[0].pk, th[1].pk, th[2].pk]
    assert "Somchai 0" in html
    assert "Somchai 2" in html


def test_languages_are_named_in_the_viewers_language_not_as_codes(client, scheduled):
    """An interpreter's languages on the agenda and the coordinators' page, a representative's on the
    company's own page: "日本語、英語", never "ja,en"."""
    from events.models import Representative

    event, meeting = scheduled["event"], scheduled["meeting"]
    names = {"ja": "日本語", "th": "タイ語"}
    side_a, side_b = meeting.interpreter_languages.split("-")
    jp_participant = scheduled["jp"][0]
    Representative.objects.create(participant=jp_participant, name="Sato", role="", languages="ja,en")
    member, coordinator = scheduled["users"]["jp_member"], scheduled["users"]["coordinator"]
    for user in (member, coordinator):
        user.language = "ja"
        user.save(update_fields=["language"])

    client.force_login(member)
    agenda = client.get(reverse("events:agenda", args=[event.slug, jp_participant.pk])).content.decode()
    mine = client.get(reverse("events:mine", args=[event.slug])).content.decode()
    client.force_login(coordinator)
    manage = client.get(reverse("events:manage", args=[event.slug])).content.decode()

    assert f"通訳: Ploy ({names[side_a]}–{names[side_b]})" in agenda
    assert "Sato · 日本語、英語" in mine
    assert "Ploy · タイ語–日本語 ·" in manage
    assert "ja,en" not in mine


def test_an_interpreters_language_pairs_are_ticked_not_typed(client, expo):
    """The coordinators' form offers the pairs as named checkboxes; the chosen ones are stored in their
    order ("th-ja, en-ja"); a pair typed as text in either direction is still read; nothing else is."""
    from events.models import Interpreter

    event, coordinator = expo["event"], expo["users"]["coordinator"]
    coordinator.language = "th"
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator)
    url = reverse("events:manage", args=[event.slug])
    html = client.get(url).content.decode()
    assert 'type="checkbox" name="interpreter-language_pairs" value="th-ja"' in html
    assert "ภาษาไทย–ภาษาญี่ปุ่น" in html
    assert "ภาษาอังกฤษ–ภาษาญี่ปุ่น" in html

    def post(name, pairs):
        data = {"kind": "interpreter", "interpreter-name": name, "interpreter-language_pairs": pairs}
        return client.post(url, data)

    post("Ken", ["th-en", "th-ja"])
    post("Aya", "ja-en, ja-th")
    stored = dict(Interpreter.objects.filter(name__in=["Ken", "Aya"]).values_list("name", "language_pairs"))
    assert stored == {"Ken": "th-ja, th-en", "Aya": "th-ja, en-ja"}

    before = Interpreter.objects.count()
    for pairs in ([], ["th-th"], ["th-ko"]):
        assert post("Bad", pairs).status_code == 200
    assert Interpreter.objects.count() == before


def test_the_manage_page_of_an_event_that_is_over_says_its_data_are_its_record(client, expo):
    event = expo["event"]
    client.force_login(expo["users"]["coordinator"])
    url = reverse("events:manage", args=[event.slug])
    notice = "its meetings, days and applications are now its record"

    upcoming = client.get(url).content.decode()
    event.starts_on = event.ends_on = datetime.date(2017, 7, 25)
    event.save(update_fields=["starts_on", "ends_on"])
    over = client.get(url).content.decode()

    assert notice not in upcoming
    assert "This event ended on July 25, 2017:" in over
    assert notice in over


def test_an_exhibitor_application_shows_its_booth_once_in_the_field_that_approves_it(client, expo):
    from events.models import ParticipantKind, ParticipantStatus
    from tests.factories import CompanyFactory, ParticipantFactory

    applicant = ParticipantFactory(
        event=expo["event"],
        company=CompanyFactory(country="TH", name_en="Siam Booth"),
        kind=ParticipantKind.EXHIBITOR,
        status=ParticipantStatus.APPLIED,
        booth="H133",
    )
    client.force_login(expo["users"]["coordinator"])

    html = client.get(reverse("events:manage", args=[expo["event"].slug])).content.decode()
    response = client.post(
        reverse("events:decide", args=[expo["event"].slug, applicant.pk]),
        {"action": "approve", "booth": "H140"},
    )

    assert html.count("H133") == 1
    assert f'value="H133" size="6" form="decide-{applicant.pk}" class="booth-input"' in html
    assert f'id="decide-{applicant.pk}"' in html
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert (applicant.status, applicant.booth) == (ParticipantStatus.CONFIRMED, "H140")


def test_a_listed_meeting_day_is_changed_from_the_manage_page_not_added_twice(client, expo):
    event, day = expo["event"], expo["event"].days.get()
    client.force_login(expo["users"]["coordinator"])
    url = reverse("events:manage", args=[event.slug])

    listed = client.get(url).content.decode()
    filled = client.get(f"{url}?day={day.pk}").content.decode()
    response = client.post(
        url,
        {
            "kind": "day",
            "day-date": day.date.isoformat(),
            "day-starts_at": "09:00",
            "day-ends_at": "12:00",
            "day-slot_minutes": "30",
            "day-breaks": "10:00-10:30",
            "day-tables": "4",
        },
    )

    assert f'href="?day={day.pk}#day-form"' in listed
    assert "Change the meeting day of" in filled
    assert 'value="10:00-10:30"' in filled
    assert response.status_code == 302
    assert list(event.days.values_list("pk", "tables")) == [(day.pk, 4)]


def test_a_refused_event_edit_still_names_the_saved_event(client, expo):
    event = expo["event"]
    client.force_login(expo["users"]["coordinator"])

    response = client.post(
        reverse("events:edit", args=[event.slug]),
        {"name_en": "", "name_th": "", "name_ja": "", "starts_on": "2027-07-30", "ends_on": "2027-07-25"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Edit Industry Expo</h1>" in html
    assert "<title>Industry Expo" in html
    event.refresh_from_db()
    assert event.name_en == "Industry Expo"


def test_a_coordinator_withdraws_an_unanswered_invitation_and_only_that(client, expo):
    from events import services
    from events.models import Participant
    from portal.notifications.models import Notification
    from tests.factories import CompanyFactory

    event, delegation = expo["event"], expo["delegation"]
    invited = services.participant_invite(
        actor=expo["users"]["coordinator"],
        delegation=delegation,
        company=CompanyFactory(country="JP", name_en="Nihon Mistake"),
    )
    confirmed = Participant.objects.filter(delegation=delegation).exclude(pk=invited.pk).first()
    page = reverse("events:delegation", args=[event.slug, delegation.pk])
    client.force_login(expo["users"]["coordinator"])

    html = client.get(page).content.decode()
    withdrawn = client.post(
        reverse("events:decide", args=[event.slug, invited.pk]), {"action": "withdraw", "next": page}
    )
    refused = client.post(
        reverse("events:decide", args=[event.slug, confirmed.pk]),
        {"action": "withdraw", "next": "https://evil.example/"},
    )

    assert html.count('name="action" value="withdraw"') == 1  # only the unanswered invitation
    assert withdrawn.url == page
    assert not Participant.objects.filter(pk=invited.pk).exists()
    assert not Notification.objects.filter(kind="events.delegation_invitation", read_at=None).exists()
    assert refused.url == reverse("events:manage", args=[event.slug])  # never another site
    assert Participant.objects.filter(pk=confirmed.pk, status="confirmed").exists()


@pytest.mark.parametrize("who", ["jp_member", "consultant"])
def test_only_coordinators_withdraw_invitations(client, expo, who):
    from events import services
    from events.models import Participant
    from tests.factories import CompanyFactory

    invited = services.participant_invite(
        actor=None, delegation=expo["delegation"], company=CompanyFactory(country="JP")
    )
    client.force_login(expo["users"][who])

    response = client.post(
        reverse("events:decide", args=[expo["event"].slug, invited.pk]), {"action": "withdraw"}
    )

    assert response.status_code == 404
    assert Participant.objects.filter(pk=invited.pk, status="invited").exists()


def test_meeting_times_and_deadlines_are_in_the_events_own_time_zone(client, expo):
    from portal.core.templatetags.portal import localdatetime

    event = expo["event"]
    event.time_zone = "Asia/Tokyo"
    event.save(update_fields=["time_zone"])
    slot = event.slots.order_by("starts_at").first()
    client.force_login(expo["users"]["jp_member"])

    html = client.get(reverse("events:mine", args=[event.slug])).content.decode()

    assert localdatetime(slot.starts_at, event) != localdatetime(slot.starts_at)  # two hours apart
    assert localdatetime(slot.starts_at, event) in html
    assert "Times are the event's local time (Asia/Tokyo)." in html


def test_a_visitor_is_told_how_to_take_part_in_an_event_to_come_only(client, expo):
    url = reverse("events:detail", args=[expo["event"].slug])

    page = client.get(url).content.decode()

    assert f'href="{reverse("account_signup")}?next={url}">Register your company</a>' in page
    assert f'href="{reverse("account_login")}?next={url}">Log in</a>' in page
    expo["event"].__class__.objects.filter(pk=expo["event"].pk).update(
        starts_on=datetime.date(2017, 7, 25), ends_on=datetime.date(2017, 7, 30)
    )
    assert "Register your company" not in client.get(url).content.decode()
    client.force_login(expo["users"]["jp_member"])
    assert "Register your company" not in client.get(url).content.decode()


def test_the_manage_page_lists_the_must_meet_pairs(client, expo):
    client.force_login(expo["users"]["coordinator"])
    url = reverse("events:manage", args=[expo["event"].slug])
    assert "No must-meet pair yet" in client.get(url).content.decode()

    services.meeting_request_create(
        actor=expo["users"]["coordinator"], sender=expo["jp"][1], recipient=expo["th"][2], must_meet=True
    )

    page = client.get(url).content.decode()
    assert "<li>Nihon 1 × Siam 2 · Accepted</li>" in page


def test_a_coordinators_decision_says_what_it_did(client, expo):
    applicant = services.exhibitor_register(event=expo["event"], company=CompanyFactory(country="TH"))
    client.force_login(expo["users"]["coordinator"])
    name = applicant.company.display_name()

    response = client.post(reverse("events:decide", args=["expo", applicant.pk]), {"action": "approve"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{name}'s application is approved; they are told so."
    ]
    response = client.post(reverse("events:decide", args=["expo", applicant.pk]), {"action": "check_in"})
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == f"{name} is checked in."


def test_the_delegation_page_tells_booked_meetings_from_scheduled_ones(client, expo):
    from events import services
    from events.models import Meeting
    from events.selectors import delegation_dashboard

    jp, th = expo["jp"], expo["th"]
    requests = []
    for recipient in (th[0], th[1]):
        request = services.meeting_request_create(actor=None, sender=jp[0], recipient=recipient)
        requests.append(services.meeting_request_respond(actor=None, meeting_request=request, accept=True))
    slot = expo["event"].slots.first()
    Meeting.objects.create(event=expo["event"], request=requests[0], slot=slot, table=1)

    dashboard = delegation_dashboard(expo["delegation"])
    assert dashboard["meetings_booked"] == 2
    assert dashboard["meetings_scheduled"] == 1
    rows = {p.pk: (booked, scheduled) for p, booked, scheduled in dashboard["members"]}
    assert rows[jp[0].pk] == (2, 1)
    assert rows[jp[1].pk] == (0, 0)

    client.force_login(expo["users"]["coordinator"])
    html = client.get(reverse("events:delegation", args=[expo["event"].slug, expo["delegation"].pk]))
    html = html.content.decode()
    assert "Accepted meeting requests; 1 of them has a place in the published schedule." in html
    assert "2 <span" in html
    assert "(1 scheduled)" in html
    assert f'<a href="{reverse("events:manage", args=[expo["event"].slug])}">Manage the event</a>' in html


def test_the_event_form_explains_the_web_address_and_a_target_above_the_cap(client, expo):
    c = _login(client, expo["users"]["coordinator"])
    expo["users"]["coordinator"].language = "en"
    expo["users"]["coordinator"].save(update_fields=["language"])
    data = {
        "slug": "Expo 2028!", "name_en": "Expo 2028", "venue_en": "BITEC", "organiser_en": "DIP",
        "starts_on": "2028-07-25", "ends_on": "2028-07-27", "time_zone": "Asia/Bangkok",
        "request_expiry_hours": 72, "max_requests_per_company": 10, "max_meetings_per_company": 12,
        "min_meetings_per_company": 20, "scheduler_seconds": 30,
    }  # fmt: skip
    response = c.post(reverse("events:new"), data)

    errors = response.context["form"].errors
    assert errors["slug"] == [
        "Use only lower-case Latin letters, digits and hyphens, e.g. thailand-industry-expo-2027."
    ]
    assert errors["min_meetings_per_company"] == [
        "The meetings each company should get cannot be more than it may have (12)."
    ]
    assert "Part of the event&#x27;s web address" in response.content.decode()


def test_a_coordinators_to_do_leads_to_the_one_delegation_short_of_its_target(expo):
    from events.models import Delegation
    from events.todos import event_todos

    coordinator = expo["users"]["coordinator"]
    Delegation.objects.filter(pk=expo["delegation"].pk).update(target_size=30)

    def short():
        (todo,) = [
            t
            for t in event_todos(user=coordinator, roles={"coordinator"}, company_ids=set())
            if "short of" in str(t.text)
        ]
        return todo

    assert short().count == 1
    assert short().url == reverse("events:delegation", args=[expo["event"].slug, expo["delegation"].pk])
    services.delegation_create(actor=coordinator, event=expo["event"], name_en="Second", target_size=5)
    assert short().count == 2
    assert short().url == reverse("events:list")


@pytest.mark.parametrize(
    ("accept", "said"),
    [
        ("1", "Accepted: the meeting gets its time and table when the coordinators publish the schedule; "
              "you are told then."),
        ("0", "Declined: the request is closed."),
    ],
)  # fmt: skip
def test_an_answer_says_what_it_did_and_what_comes_next(client, expo, accept, said):
    request = services.meeting_request_create(actor=None, sender=expo["jp"][0], recipient=expo["th"][0])
    client.force_login(expo["users"]["th_member"])

    response = client.post(reverse("events:answer", args=["expo", request.pk]), {"accept": accept})

    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Your answer was sent.", said]


def test_check_in_is_offered_from_the_events_first_day(client, expo):
    client.force_login(expo["users"]["coordinator"])
    event = expo["event"]
    url = reverse("events:manage", args=["expo"])
    assert event.starts_on > timezone.localdate()

    ahead = client.get(url).content.decode()
    event.starts_on = timezone.localdate()
    event.save(update_fields=["starts_on"])
    today = client.get(url).content.decode()

    assert 'value="check_in"' not in ahead
    assert "Check-in opens on the event" in ahead
    assert 'value="check_in"' in today
    assert "Check-in opens on the event" not in today
