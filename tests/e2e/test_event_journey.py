"""A coordinator builds the Japanese delegation and invites a company; its member accepts and asks a
Thai exhibitor for a meeting; the Thai member accepts; the coordinator runs the scheduler, reviews the
draft and publishes it; both members see the meeting on their agenda and download the .ics."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from matching import services as matching_services
from portal.accounts.models import Role
from tests.e2e.helpers import label, log_in, t
from tests.factories import (
    CompanyFactory,
    EventFactory,
    MeetingDayFactory,
    MembershipFactory,
    ParticipantFactory,
    UserFactory,
    link_terms,
)


def test_delegation_to_published_agenda(live_server, new_page):
    starts_on = timezone.localdate() + datetime.timedelta(days=20)
    event = EventFactory(
        slug="expo-2027",
        name_en="Thailand Industry Expo 2027",
        name_ja="タイ・インダストリー・エキスポ2027",
        name_th="งานแสดงสินค้าอุตสาหกรรมไทย 2570",
        venue_en="IMPACT Muang Thong Thani",
        starts_on=starts_on,
    )
    MeetingDayFactory(event=event, ends_at=datetime.time(12, 0), tables=4)
    kato = CompanyFactory(country="JP", name_en="Kato Medical", name_ja="加藤メディカル", languages="ja")
    link_terms(kato, industries=["medical-devices"], seeking=["injection-molding"])
    siam = CompanyFactory(name_en="Siam Molding", name_th="สยามโมลดิ้ง", languages="th")
    link_terms(siam, industries=["medical-devices"], capabilities=["injection-molding"])
    ParticipantFactory(event=event, company=siam, booth="H12")
    event.interpreters.create(name="Ploy Srisuk", language_pairs="th-ja")
    japanese = MembershipFactory(company=kato, user__language="ja").user
    thai = MembershipFactory(company=siam, user__language="th").user
    coordinator = UserFactory(role=Role.COORDINATOR, language="en")
    matching_services.run_full_inline()

    # The coordinator creates the delegation and invites the best-matched Japanese company.
    desk = new_page(locale="en-US")
    log_in(desk, live_server, email=coordinator.email, language="en")
    desk.goto(f"{live_server.url}/events/expo-2027/manage/")
    desk.get_by_label(label("Name (English)")).fill("SMRJ / Keidanren Japanese delegation")
    desk.get_by_role("button", name="Create the delegation").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("SMRJ / Keidanren Japanese delegation")
    desk.get_by_role("row", name=re.compile("Kato Medical")).get_by_role("button", name="Invite").click()
    expect(desk.get_by_text("Kato Medical is invited.")).to_be_visible()

    # The Japanese member accepts and asks the Thai exhibitor for a meeting (in Japanese).
    page = new_page(locale="ja-JP")
    log_in(page, live_server, email=japanese.email, language="ja")
    page.goto(f"{live_server.url}/events/expo-2027/me/")
    page.get_by_role("button", name=t("ja", "Accept the invitation")).click()
    expect(page.get_by_role("status")).to_contain_text(t("ja", "Thank you, your answer is recorded."))
    page.get_by_role("link", name=t("ja", "Find partners and request meetings")).click()
    partner = page.get_by_role("article", name="Siam Molding")
    expect(partner).to_contain_text(t("ja", "Offers what you look for: %(items)s") % {"items": "射出成形"})
    partner.get_by_role("button", name=t("ja", "Request a meeting")).click()
    expect(page.get_by_role("status")).to_contain_text(t("ja", "Your meeting request was sent."))

    # The Thai member accepts.
    other = new_page(locale="th-TH")
    log_in(other, live_server, email=thai.email, language="th")
    other.goto(f"{live_server.url}/events/expo-2027/me/")
    other.get_by_role("button", name=t("th", "Accept"), exact=True).click()
    expect(other.get_by_role("status")).to_contain_text(t("th", "Your answer was sent."))

    # The coordinator runs the scheduler, reviews the draft and publishes it.
    desk.goto(f"{live_server.url}/events/expo-2027/manage/")
    desk.get_by_role("button", name="Run the scheduler").click()
    # With a real worker the draft takes a moment: the page reloads itself until it is there.
    expect(desk.get_by_text(re.compile(r"^1 of 1 accepted requests placed"))).to_be_visible(timeout=60_000)
    grid = desk.locator("table.meeting-grid")
    expect(grid).to_contain_text("Kato Medical × Siam Molding")
    expect(grid).to_contain_text("Ploy Srisuk")  # no common language: an interpreter
    desk.get_by_role("button", name="Publish the schedule").click()
    expect(desk.get_by_text("1 meetings are published on the agendas.")).to_be_visible()

    # Both members see the meeting on their agenda and download the .ics.
    for member_page, language, counterpart in ((page, "ja", "Siam Molding"), (other, "th", "Kato Medical")):
        member_page.goto(f"{live_server.url}/events/expo-2027/me/")
        member_page.get_by_role("link", name=t(language, "My agenda")).click()
        meeting = member_page.get_by_role("article", name=counterpart)
        expect(meeting).to_contain_text("Ploy Srisuk")
        with member_page.expect_download() as download_info:
            member_page.get_by_role("link", name=t(language, "Add to my calendar (.ics)")).click()
        with open(download_info.value.path(), encoding="utf-8") as handle:
            calendar = handle.read()
        assert "BEGIN:VEVENT" in calendar
        assert counterpart in calendar
