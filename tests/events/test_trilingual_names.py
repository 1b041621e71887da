"""Venue, organiser and delegation names in three languages: pages and API show the viewer's language and
fall back to what exists; the migration keeps the old values as English; the demo has all three."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from events.demo import SLUG, events_demo_seed
from events.models import Delegation, Event
from tests.factories import DelegationFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(expo):
    event = expo["event"]
    event.venue_en, event.venue_ja = "BITEC Bangna", "バイテック（バンナー）"
    event.organiser_en, event.organiser_ja = "DIP", "タイ工業省産業振興局"
    event.save()
    Delegation.objects.filter(pk=expo["delegation"].pk).update(name_ja="中小機構ミッション団")
    return event


@pytest.mark.parametrize(
    ("language", "venue", "organiser", "delegation"),
    [
        ("ja", "バイテック（バンナー）", "タイ工業省産業振興局", "中小機構ミッション団"),
        ("th", "BITEC Bangna", "DIP", "SMRJ delegation"),  # no Thai yet: English
        ("en", "BITEC Bangna", "DIP", "SMRJ delegation"),
    ],
)
def test_event_page_shows_names_in_the_viewers_language(
    client, event, language, venue, organiser, delegation
):
    Event.objects.filter(pk=event.pk).update(is_public=True)

    html = client.get(
        reverse("events:detail", args=[event.slug]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    listing = client.get(reverse("events:list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert venue in html
    assert organiser in html
    assert delegation in html
    assert venue in listing
    if language == "ja":
        assert "BITEC Bangna" not in html
        assert "SMRJ delegation" not in html


def test_api_gives_each_language_and_the_requested_one(client, event):
    response = client.get(f"/api/events/{event.slug}/", HTTP_ACCEPT_LANGUAGE="ja")

    data = response.json()
    assert (data["venue"], data["venue_en"], data["venue_th"], data["venue_ja"]) == (
        "バイテック（バンナー）",
        "BITEC Bangna",
        "",
        "バイテック（バンナー）",
    )
    assert (data["organiser"], data["organiser_en"]) == ("タイ工業省産業振興局", "DIP")
    assert [(d["name"], d["name_en"], d["name_ja"]) for d in data["delegations"]] == [
        ("中小機構ミッション団", "SMRJ delegation", "中小機構ミッション団")
    ]


def test_api_event_list_query_count_does_not_grow(client, expo, django_assert_num_queries):
    for n in range(2):
        other = EventFactory(venue_en="QSNCC", starts_on=expo["event"].starts_on)
        DelegationFactory(event=other, name_en=f"Delegation {n}")
    with django_assert_num_queries(3):
        assert len(client.get("/api/events/").json()["results"]) == 3
    Event.objects.exclude(pk=expo["event"].pk).delete()
    with django_assert_num_queries(3):
        assert len(client.get("/api/events/").json()["results"]) == 1


def test_demo_event_has_thai_and_japanese_names(db):
    event = events_demo_seed()

    assert event.venue("th").startswith("กรุงเทพฯ")
    assert event.venue("ja").startswith("バンコク周辺")
    assert event.organiser("th").startswith("กระทรวงอุตสาหกรรม")
    assert event.organiser("ja").startswith("タイ工業省")
    delegation = event.delegations.get()
    assert (delegation.name("th"), delegation.name("ja")) == (
        "คณะผู้แทนบริษัทญี่ปุ่นของ SMRJ / เคดันเรน",
        "中小機構・経団連 日本企業ミッション団",
    )


def test_demo_representatives_have_full_distinct_names(db):
    from events.models import Representative
    from portal.core.demo import demo_companies_seed

    demo_companies_seed()
    events_demo_seed()

    names = list(Representative.objects.values_list("participant__company__country", "name"))
    assert len(names) == 54  # one a company that arrived
    assert len(set(names)) == len(names)  # nobody twice in a country: the privacy erasure goes by name
    assert all(re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+", name) for _country, name in names)  # no cut names
    assert ("JP", "Kenichi Sato") in names
    assert ("TH", "Somchai Jaidee") in names


def test_demo_seed_fills_the_translations_of_an_older_demo_event(db):
    event = events_demo_seed()
    Event.objects.filter(pk=event.pk).update(venue_th="", venue_ja="", organiser_th="", organiser_ja="")
    Delegation.objects.filter(event=event).update(name_th="", name_ja="")

    assert events_demo_seed() is None

    event = Event.objects.get(slug=SLUG)
    assert event.venue_th.startswith("กรุงเทพฯ")
    assert event.delegations.get().name_ja == "中小機構・経団連 日本企業ミッション団"


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_the_single_language_values_as_english():
    executor = MigrationExecutor(connection)
    before, after = [("events", "0001_initial")], [("events", "0002_trilingual_venue_organiser_delegation")]
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        event = old.get_model("events", "Event").objects.create(
            slug="old", name_en="Old Expo", venue="IMPACT", organiser="DIP",
            starts_on="2017-07-25", ends_on="2017-07-30",
        )  # fmt: skip
        old.get_model("events", "Delegation").objects.create(event_id=event.pk, name="SMRJ delegation")

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        migrated = new.get_model("events", "Event").objects.get(slug="old")
        delegation = new.get_model("events", "Delegation").objects.get(event_id=migrated.pk)
        assert (migrated.venue_en, migrated.venue_th, migrated.organiser_en) == ("IMPACT", "", "DIP")
        assert (delegation.name_en, delegation.name_ja) == ("SMRJ delegation", "")
    finally:
        call_command("migrate", verbosity=0)
