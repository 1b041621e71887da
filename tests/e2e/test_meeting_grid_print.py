"""The coordinator's slots × tables grid: on screen it scrolls inside its own box (the page does not get
wider, the time column stays in view); printed on A4 landscape every one of the 15 tables is on paper,
a group of tables per page, each page with the time column and table headers."""

import datetime
import io
import re

from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from events import services
from events.models import Event, Meeting, Participant, ParticipantKind, ParticipantStatus, ScheduleRun
from portal.accounts.models import Role
from tests.e2e.helpers import log_in
from tests.factories import CompanyFactory, UserFactory

TABLES = 15


def _event_with_meetings_at_tables(tables: list[str]) -> list[str]:
    """An event with 15 tables and one published meeting at each of ``tables``; returns the pairs' names."""
    today = timezone.localdate()
    event = Event.objects.create(
        slug="expo-grid",
        name_en="Grid Expo",
        venue_en="BITEC",
        organiser_en="DIP",
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=10),
    )
    services.meeting_day_save(
        event=event,
        date=event.starts_on,
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(12, 0),
        slot_minutes=30,
        breaks=[],
        tables=TABLES,
    )
    slots = list(event.slots.order_by("starts_at"))
    placements, pairs = [], []
    for index, table in enumerate(tables):
        thai = CompanyFactory(name_en=f"Siam Table{table}", languages="th,en")
        japanese = CompanyFactory(country="JP", name_en=f"Nihon Table{table}", languages="ja,en")
        sides = [
            Participant.objects.create(
                event=event, company=company, kind=kind, status=ParticipantStatus.CONFIRMED
            )
            for company, kind in ((japanese, ParticipantKind.DELEGATE), (thai, ParticipantKind.EXHIBITOR))
        ]
        request = services.meeting_request_create(actor=None, sender=sides[0], recipient=sides[1])
        services.meeting_request_respond(actor=None, request=request, accept=True)
        placements.append(
            {
                "request": request.pk,
                "slot": slots[index].pk,
                "table": table,
                "interpreter": None,
                "languages": "",
            }
        )
        pairs.append(f"Nihon Table{table} × Siam Table{table}")
    run = ScheduleRun.objects.create(event=event, status=ScheduleRun.Status.FINISHED, placements=placements)
    services.schedule_publish(actor=None, run=run)
    assert sorted(Meeting.objects.values_list("table", flat=True)) == sorted(tables)
    return pairs


def test_printed_grid_has_every_table_and_the_screen_grid_scrolls_in_its_box(live_server, new_page):
    pairs = _event_with_meetings_at_tables(["1", "8", "15"])
    coordinator = UserFactory(role=Role.COORDINATOR, language="en")
    page = new_page(locale="en-US")
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, email=coordinator.email, language="en")
    page.goto(f"{live_server.url}/events/expo-grid/manage/grid/")

    # On screen: the page keeps its width, the grid scrolls sideways in its own box.
    box = page.get_by_role("region", name="Meeting grid")
    expect(box).to_contain_text("Table 15")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert box.evaluate("element => element.scrollWidth > element.clientWidth")
    first_time = box.get_by_role("rowheader").first
    left_before = first_time.bounding_box()["x"]
    box.evaluate("element => element.scrollBy(2000, 0)")
    assert abs(first_time.bounding_box()["x"] - left_before) < 1  # the time column stays in view
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # On A4 landscape paper: every table, each page with the time column and its tables' headers.
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", landscape=True)))
    pages = [page_.extract_text() for page_ in reader.pages]
    text = "\n".join(pages)
    for number in range(1, TABLES + 1):
        assert re.search(rf"Table {number}(?!\d)", text), number
    for pair in pairs:
        assert pair in " ".join(text.split()), pair
    for page_text in pages:
        assert "Time" in page_text
        assert re.search(r"Table \d+", page_text)
    assert "Tables 11–15 of 15" in text
