"""The postings list (/postings/) with its search and filters, and saved searches of it: the alert says how
many postings matching the search were published since the last one, never an empty mail, once a day
under retries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.notifications.models import Notification, SavedSearch
from portal.notifications.services import saved_search_alerts, saved_search_create
from portal.postings.models import Posting, PostingType
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _posting(company, title, *, type=PostingType.SUPPLY_NEED, published_at=None, status="published", **extra):
    return Posting.objects.create(
        company=company, type=type, title_en=title, status=status,
        published_at=published_at or timezone.now(), **extra,
    )  # fmt: skip


def test_list_searches_titles_and_texts_in_every_language_and_filters(client):
    kato = CompanyFactory(country="JP", name_en="Kato Medical")
    siam = CompanyFactory(country="TH", name_en="Siam Molding")
    _posting(kato, "Injection molded housings", body_ja="精密加工の部品")
    _posting(siam, "Moulds for export", type=PostingType.SUPPLY_OFFER, title_th="แม่พิมพ์ฉีดพลาสติก")
    _posting(siam, "Draft need", status="draft")

    def titles(**query):
        page = client.get(reverse("postings:list"), query).context["page"]
        return [posting.title_en for posting in page]

    assert titles() == ["Moulds for export", "Injection molded housings"]
    assert titles(q="精密加工") == ["Injection molded housings"]
    assert titles(q="ฉีดพลาสติก") == ["Moulds for export"]
    assert titles(country="JP") == ["Injection molded housings"]
    assert titles(type="supply-offer") == ["Moulds for export"]
    assert titles(type="bogus", country="XX") == ["Moulds for export", "Injection molded housings"]


@pytest.mark.parametrize("n", [1, 3])
def test_list_queries_do_not_grow(client, django_assert_num_queries, n):
    for i in range(n):
        _posting(CompanyFactory(country="JP"), f"Need {i}")
    with django_assert_num_queries(2):  # the count and the page
        html = client.get(reverse("postings:list")).content.decode()
    assert html.count('<article class="card">') == n
    assert "Save this search" not in html  # anonymous: nothing to save to


def test_save_from_the_postings_list(client):
    user = UserFactory(language="en")
    client.force_login(user)
    html = client.get(reverse("postings:list"), {"country": "JP"}).content.decode()
    assert '<input type="hidden" name="target" value="postings">' in html
    assert '<input type="hidden" name="query" value="country=JP">' in html

    response = client.post(
        reverse("notifications:searches"),
        {
            "name": "Japanese needs",
            "query": "country=JP&type=supply-need",
            "frequency": "daily",
            "target": "postings",
        },
    )

    assert response.status_code == 302
    search = SavedSearch.objects.get()
    assert (search.user, search.name, search.query, search.frequency, search.target) == (
        user, "Japanese needs", "country=JP&type=supply-need", "daily", "postings",
    )  # fmt: skip
    listing = client.get(reverse("notifications:searches")).content.decode()
    assert f'href="{reverse("postings:list")}?country=JP&amp;type=supply-need"' in listing


def test_an_unknown_target_saves_nothing(client):
    client.force_login(UserFactory(language="en"))
    response = client.post(
        reverse("notifications:searches"),
        {"name": "X", "query": "", "frequency": "daily", "target": "events"},
    )
    assert response.status_code == 200
    assert SavedSearch.objects.count() == 0


def test_alert_counts_new_matching_postings_once(mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(language="en")
    search = saved_search_create(
        user=user,
        name="Japanese needs",
        query="country=JP&type=supply-need",
        frequency="daily",
        target="postings",
    )
    SavedSearch.objects.filter(pk=search.pk).update(last_alert_at=timezone.now() - datetime.timedelta(days=1))
    kato = CompanyFactory(country="JP")
    _posting(kato, "New need 1")
    _posting(kato, "New need 2")
    _posting(kato, "An offer", type=PostingType.SUPPLY_OFFER)  # another type
    _posting(CompanyFactory(country="TH"), "Thai need")  # another country
    _posting(
        kato, "Old need", published_at=timezone.now() - datetime.timedelta(days=3)
    )  # before the last alert
    _posting(kato, "Draft need", status="draft")  # not live
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        assert saved_search_alerts(frequency="daily", now=now) == 1
        assert saved_search_alerts(frequency="daily", now=now) == 0  # a retried task

    row = Notification.objects.get()
    assert row.kind == "notifications.saved_search_postings"
    names = "New need 2, New need 1"  # the newest first
    assert row.context == {
        "name": "Japanese needs",
        "count": "2",
        "names": {"en": names, "th": names, "ja": names},
    }
    assert row.url == reverse("postings:list") + "?country=JP&type=supply-need"
    (message,) = mailoutbox
    assert message.subject == "New postings for your search “Japanese needs”"
    assert "2 new postings match your search “Japanese needs”: New need 2, New need 1." in message.body


def test_no_alert_and_no_mail_without_new_postings(mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(language="en")
    saved_search_create(user=user, name="Nothing", query="country=JP", frequency="weekly", target="postings")
    _posting(CompanyFactory(country="TH"), "Thai need")
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_search_alerts(frequency="weekly") == 0
    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_thai_alert_in_thai(mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(language="th")
    search = saved_search_create(user=user, name="ญี่ปุ่น", query="", frequency="daily", target="postings")
    SavedSearch.objects.filter(pk=search.pk).update(last_alert_at=timezone.now() - datetime.timedelta(days=1))
    _posting(CompanyFactory(country="JP"), "Need")
    with django_capture_on_commit_callbacks(execute=True):
        saved_search_alerts(frequency="daily")
    (message,) = mailoutbox
    assert "ญี่ปุ่น" in message.subject
    assert "New postings" not in message.subject


def test_every_word_is_looked_for_and_a_misspelt_one_is_corrected(client, django_assert_num_queries):
    kato = CompanyFactory(country="JP", name_en="Kato Medical")
    _posting(kato, "Injection molded housings", body_en="Cleanroom molding of ABS housings")
    _posting(kato, "Machined inserts")

    def search(q):
        response = client.get(reverse("postings:list"), {"q": q})
        return [posting.title_en for posting in response.context["page"]], response.content.decode()

    assert search("housings cleanroom")[0] == ["Injection molded housings"]  # two words, apart in the text
    titles, html = search("injecton housings")
    assert titles == ["Injection molded housings"]
    assert "No posting matches “injecton housings” exactly. Showing results for “injection housings”." in html
    assert search("zzqqxx")[0] == []
    with django_assert_num_queries(2):  # found: no correction looked for
        client.get(reverse("postings:list"), {"q": "housings"})
