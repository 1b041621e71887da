"""The meeting grid gives each day once, in a row of its own, and each slot only its time: the time
column stays narrow enough on a phone for a whole table column beside it (screen and printed copy)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from portal.accounts.models import Role
from tests.factories import EventFactory, MeetingDayFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "first_day", "second_day"),
    [
        ("en", "July 26, 2027", "July 27, 2027"),
        ("ja", "2027年7月26日", "2027年7月27日"),
        ("th", "26 กรกฎาคม 2570", "27 กรกฎาคม 2570"),
    ],
)
def test_each_day_once_and_each_slot_by_its_time(client, language, first_day, second_day):
    starts_on = datetime.date(2027, 7, 26)
    event = EventFactory(slug="two-days", starts_on=starts_on, ends_on=starts_on + datetime.timedelta(days=1))
    MeetingDayFactory(event=event, date=starts_on, ends_at=datetime.time(10, 0))
    MeetingDayFactory(event=event, date=starts_on + datetime.timedelta(days=1), ends_at=datetime.time(10, 0))
    client.force_login(UserFactory(role=Role.COORDINATOR, language=language))
    with translation.override(language):
        page = client.get(reverse("events:grid", args=[event.slug]), HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode()
    screen = html[html.index('class="meeting-grid"') : html.index('class="grid-print"')]
    days = re.findall(r'<tr class="day"><th scope="colgroup" colspan="3"><span>([^<]+)</span>', screen)
    assert days == [first_day, second_day]
    times = re.findall(r'<th scope="row"><time datetime="([^"]+)">([^<]+)</time>', screen)
    assert [shown for _iso, shown in times] == ["09:00", "09:30"] * 2
    assert times[2][0].startswith("2027-07-27T09:00")
    printed = html[html.index('class="grid-print"') :]
    assert re.findall(r'<tr class="day"><th scope="colgroup" colspan="3">([^<]+)</th>', printed) == days


def test_the_printed_copy_gives_each_day_its_own_table_with_the_date_in_its_head(client):
    """A printed table's head repeats atop every page it runs onto: with the date in it, a day whose slots
    fill more than a page keeps its date on the next one."""
    starts_on = datetime.date(2027, 7, 26)
    event = EventFactory(slug="two-days", starts_on=starts_on, ends_on=starts_on + datetime.timedelta(days=1))
    MeetingDayFactory(event=event, date=starts_on, ends_at=datetime.time(10, 0))
    MeetingDayFactory(event=event, date=starts_on + datetime.timedelta(days=1), ends_at=datetime.time(10, 0))
    client.force_login(UserFactory(role=Role.COORDINATOR, language="en"))

    html = client.get(reverse("events:grid", args=[event.slug])).content.decode()

    printed = html[html.index('class="grid-print"') :]
    heads = re.findall(r"<thead>(.*?)</thead>", printed, re.S)
    assert len(heads) == 2
    assert ">July 26, 2027</th>" in heads[0]
    assert ">July 27, 2027</th>" in heads[1]
    bodies = re.findall(r"<tbody>(.*?)</tbody>", printed, re.S)
    assert [re.findall(r'<th scope="row">([^<]+)</th>', body) for body in bodies] == [["09:00", "09:30"]] * 2
