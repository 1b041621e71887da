"""What a coordinator's privacy desk and a visitor's public pages say, in the reader's language: an
erasure's outcome by kind of record, the member's own actions translated, no request received in the
future; an empty search's next step, a product page's, the contacts rule, the founding year in Japanese."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from portal.privacy.models import DataRequest, RequestKind, RequestStatus
from portal.privacy.services import export_record
from portal.showcase.services import product_create
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _t(language, message, context=None):
    with translation.override(language):
        return translation.pgettext(context, message) if context else translation.gettext(message)


def _closed(outcome, status=RequestStatus.DONE):
    return DataRequest.objects.create(
        kind=RequestKind.ERASURE,
        status=status,
        due_on=timezone.localdate(),
        handled_at=timezone.now(),
        outcome=outcome,
    )


def test_the_desk_reads_outcomes_in_the_readers_language(client):
    _closed(json.dumps({"contacts": 2, "interpreters": 0}))
    export_record(user=UserFactory(language="ja"))
    _closed("Phoned her back", status=RequestStatus.REJECTED)
    client.force_login(UserFactory(role="coordinator", language="th"))

    html = client.get(reverse("privacy_requests"), HTTP_ACCEPT_LANGUAGE="th").content.decode()

    assert f"{_t('th', 'Contacts')}: 2, {_t('th', 'Interpreters')}: 0" in html
    assert _t("th", "Downloaded by the member.") in html
    assert "Downloaded by the member." not in html  # stored in English, shown translated
    assert "Phoned her back" in html  # a coordinator's words as typed
    assert _t("th", "Rejected", "data request") == "ปฏิเสธ"  # not the vetting's "ไม่ผ่านการตรวจสอบ"
    assert '"contacts"' not in html
    assert '<table class="stack">' in html


def test_a_request_is_not_received_in_the_future(client):
    client.force_login(UserFactory(role="coordinator"))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(
        reverse("privacy_requests"),
        {"kind": "erasure", "name": "Malee Srisuk", "received_on": tomorrow.isoformat()},
    )

    assert response.status_code == 200
    assert "The date cannot be in the future." in response.content.decode()
    assert not DataRequest.objects.exists()


@pytest.mark.parametrize(
    ("query", "filtered"), [({"q": "zzzqqq"}, False), ({"q": "zzzqqq", "country": "JP"}, True)]
)
def test_an_empty_directory_search_says_what_to_try_and_who_helps(client, settings, query, filtered):
    settings.CONTACT_EMAIL = "coordinators@dip.example"

    html = client.get(reverse("companies:directory"), query).content.decode()

    assert ("Try fewer filters" in html) is filtered
    assert ("the same in another language" in html) is not filtered
    assert 'href="mailto:coordinators@dip.example"' in html


def test_a_product_page_links_its_company_and_tells_a_visitor_what_to_do(client):
    company = CompanyFactory(name_en="Siam Precision Co., Ltd.")
    product = product_create(company=company, name_en="Aluminium gear")

    html = client.get(reverse("showcase:detail", args=[product.pk])).content.decode()

    assert f'<a href="{reverse("companies:detail", args=[company.pk])}">Siam Precision Co., Ltd.</a>' in html
    assert 'class="card visitor-next"' in html
    assert "the coordinators share them with both companies when they introduce them" in html


def test_the_founding_year_reads_as_a_year_in_japanese_and_thai(client):
    company = CompanyFactory(founded_year=1972)

    japanese = client.get(reverse("companies:detail", args=[company.pk]), HTTP_ACCEPT_LANGUAGE="ja")
    thai = client.get(reverse("companies:detail", args=[company.pk]), HTTP_ACCEPT_LANGUAGE="th")

    assert "<dd>1972年</dd>" in japanese.content.decode()
    assert "<dd>2515</dd>" in thai.content.decode()


def test_a_score_filter_that_is_not_a_number_filters_nothing(client):
    client.force_login(UserFactory(role="coordinator"))

    for value in ("nan", "inf", "abc"):
        response = client.get(reverse("matching:introductions"), {"min_score": value})
        assert response.context["filters"]["min_score"] == 0.0


def test_thai_asks_for_a_whole_number_in_words_that_say_so():
    assert _t("th", "Enter a whole number.") == "กรุณากรอกจำนวนเต็ม"


def test_the_password_reset_page_names_whom_to_write_to(client, settings):
    settings.CONTACT_EMAIL = "coordinators@dip.example"

    html = client.get(reverse("account_reset_password")).content.decode()

    assert 'href="mailto:coordinators@dip.example"' in html.split("<footer", 1)[0]
