"""Issue 17's journey: a Thai owner receives a meeting request → the bell shows 1 → the e-mail (Thai) is
sent → one click from the notification to the answer → the Japanese side's bell updates without reload.

The bell polls every minute and when the tab becomes visible again (static/js/portal.js); the test fires
that "visible again" event instead of waiting a minute."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from events import services as event_services
from tests.e2e.helpers import t
from tests.e2e.signed_in import signed_in_context
from tests.factories import CompanyFactory, EventFactory, MembershipFactory, ParticipantFactory


def _bell(page):
    return page.locator(".site-header a.bell .badge")


def _tab_visible_again(page):
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


@pytest.mark.usefixtures("inline_tasks")  # the e-mail is read from mail.outbox, also when CI has a broker
def test_meeting_request_from_bell_to_answer(live_server, browser):
    siam = CompanyFactory(name_en="Siam Molding", name_th="สยามโมลดิ้ง", country="TH")
    kato = CompanyFactory(name_en="Kato Medical", name_ja="加藤メディカル", country="JP")
    thai = MembershipFactory(company=siam, user__language="th").user
    japanese = MembershipFactory(company=kato, user__language="ja").user
    event = EventFactory()
    siam_part = ParticipantFactory(event=event, company=siam)
    kato_part = ParticipantFactory(event=event, company=kato)

    th_context = signed_in_context(browser, live_server, thai, language="th", width=390)
    jp_context = signed_in_context(browser, live_server, japanese, language="ja")
    th, jp = th_context.new_page(), jp_context.new_page()
    try:
        th.goto(f"{live_server.url}/dashboard/")
        jp.goto(f"{live_server.url}/dashboard/")
        expect(_bell(th)).to_be_hidden()

        mail.outbox.clear()
        event_services.meeting_request_create(actor=japanese, sender=kato_part, recipient=siam_part)

        # The Thai bell shows 1 without a reload.
        _tab_visible_again(th)
        expect(_bell(th)).to_have_text("1")
        # The e-mail went out once, in Thai.
        (message,) = mail.outbox
        assert message.to == [thai.email]
        assert "Kato Medical" in message.subject or "加藤メディカル" in message.subject
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

        # The bell is named with its count, and stays in sight on a phone (outside the folded menu).
        bell = th.get_by_role(
            "link", name=t("th", "Notifications, %(count)s unread") % {"count": 1}, exact=True
        )
        expect(bell).to_be_visible()
        # One click from the bell to the notification, one from the notification to the answer.
        bell.click()
        th.locator(".notification-list h2 a").first.click()
        assert th.url.endswith(f"/events/{event.slug}/me/")
        th.get_by_role("button", name=t("th", "Accept"), exact=True).click()

        # The Japanese side's bell updates without reload.
        _tab_visible_again(jp)
        expect(_bell(jp)).to_have_text("1")
        jp.get_by_role(
            "link", name=t("ja", "Notifications, %(count)s unread") % {"count": 1}, exact=True
        ).click()
        expect(jp.locator(".notification-list")).to_contain_text("Siam Molding")
    finally:
        th_context.close()
        jp_context.close()
