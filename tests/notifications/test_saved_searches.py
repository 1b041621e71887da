"""Saved directory searches and their alerts: new companies since the last alert, never empty, once a
day under retries; only the owner sees or deletes a search."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.notifications.models import Notification, SavedSearch
from portal.notifications.services import saved_search_alerts, saved_search_create
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_save_from_the_directory_and_list(client):
    user = UserFactory(language="en")
    client.force_login(user)
    assert "Save this search" not in client.get(reverse("companies:directory")).content.decode()  # no search
    html = client.get(reverse("companies:directory"), {"country": "JP"}).content.decode()
    assert "Save this search" in html
    response = client.post(
        reverse("notifications:searches"),
        {"name": "Japanese partners", "query": "country=JP", "frequency": "daily"},
    )
    assert response.status_code == 302
    search = SavedSearch.objects.get()
    assert (search.user, search.name, search.query, search.frequency) == (
        user,
        "Japanese partners",
        "country=JP",
        "daily",
    )
    assert "Japanese partners" in client.get(reverse("notifications:searches")).content.decode()


def test_bad_input_saves_nothing(client):
    client.force_login(UserFactory(language="en"))
    response = client.post(
        reverse("notifications:searches"), {"name": "", "query": "x", "frequency": "hourly"}
    )
    assert response.status_code == 200
    assert SavedSearch.objects.count() == 0


def test_only_the_owner_deletes(client):
    owner, other = UserFactory(), UserFactory()
    search = saved_search_create(user=owner, name="Mine", query="", frequency="weekly")
    client.force_login(other)
    client.post(reverse("notifications:searches"), {"delete": search.pk})
    assert SavedSearch.objects.count() == 1
    assert "Mine" not in client.get(reverse("notifications:searches")).content.decode()
    client.force_login(owner)
    client.post(reverse("notifications:searches"), {"delete": search.pk})
    assert SavedSearch.objects.count() == 0


def test_alert_lists_new_matching_companies_once(mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(language="en")
    search = saved_search_create(user=user, name="Japanese partners", query="country=JP", frequency="daily")
    SavedSearch.objects.filter(pk=search.pk).update(last_alert_at=timezone.now() - datetime.timedelta(days=1))
    hour = datetime.timedelta(hours=1)
    CompanyFactory(country="JP", name_en="Osaka Dies", verified_at=timezone.now() - 2 * hour)
    CompanyFactory(country="JP", name_en="Kansai Tools", verified_at=timezone.now() - hour)
    CompanyFactory(country="TH", verified_at=timezone.now())
    CompanyFactory(country="JP", verified_at=timezone.now() - datetime.timedelta(days=3))
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_search_alerts(frequency="daily", now=now) == 1
        assert saved_search_alerts(frequency="daily", now=now) == 0  # a retried task
        assert saved_search_alerts(frequency="weekly", now=now) == 0
    row = Notification.objects.get()
    names = "Kansai Tools, Osaka Dies"  # the newest first
    assert row.context == {
        "name": "Japanese partners",
        "count": "2",
        "names": {"en": names, "th": names, "ja": names},
    }
    assert row.url == reverse("companies:directory") + "?country=JP"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "New companies for your search “Japanese partners”"
    assert f"joined the directory: {names}." in mailoutbox[0].body


def test_no_alert_without_new_companies(mailoutbox):
    user = UserFactory()
    saved_search_create(user=user, name="Nothing", query="country=JP", frequency="weekly")
    assert saved_search_alerts(frequency="weekly") == 0
    assert Notification.objects.count() == 0
