"""The coordinators' vetting card shows what to vet against: the descriptions in every language written and
every certificate claimed (number, issuer, validity; expired ones flagged)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from portal.accounts.models import Role
from tests.factories import MembershipFactory, UserFactory, add_certificate

pytestmark = pytest.mark.django_db


def _pending(n: int = 0):
    company = MembershipFactory(
        company__verification_status="pending",
        company__description_th=f"รับฉีดพลาสติกในห้องสะอาด {n}",
        company__description_ja=f"クリーンルームでの射出成形 {n}",
        company__website="https://siam-mold.example",
    ).company
    add_certificate(company, "iso-13485", expires_on=datetime.date(2030, 1, 31), number=f"MD-{n}")
    add_certificate(company, "iso-9001", expires_on=timezone.localdate() - datetime.timedelta(days=1))
    return company


def test_vetting_card_shows_descriptions_and_certificates(client):
    company = _pending()
    client.force_login(UserFactory(role=Role.COORDINATOR, language="th"))

    html = client.get(reverse("companies:vetting")).content.decode()

    assert '<span lang="th">รับฉีดพลาสติกในห้องสะอาด 0</span>' in html
    assert '<span lang="ja">クリーンルームでの射出成形 0</span>' in html
    assert html.index('lang="th">รับ') < html.index('lang="ja">クリーン')  # the coordinator's language first
    assert "MD-0" in html
    with translation.override("th"):
        assert translation.gettext("valid until %(date)s") % {"date": "31 มกราคม 2573"} in html
        expired = f'<span class="tag warn">{translation.gettext("Expired")}</span>'
    assert html.count(expired) == 1
    assert company.website in html


def test_vetting_card_query_count_does_not_grow_with_certificates(client, django_assert_num_queries):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    _pending(1)
    client.get(reverse("companies:vetting"))
    with django_assert_num_queries(9):
        client.get(reverse("companies:vetting"))
    _pending(2)
    _pending(3)
    with django_assert_num_queries(9):
        response = client.get(reverse("companies:vetting"))
    assert len(response.context["companies"]) == 3


def test_the_card_names_what_the_text_states_and_the_profile_does_not_list(client, django_assert_num_queries):
    def stating(n):
        return MembershipFactory(
            company__verification_status="pending",
            company__description_ja=(
                f"精密加工メーカーです {n}。JIS Q 9100認証を取得済みです。ISO 13485も取得しています。"
            ),
        ).company

    first = stating(1)
    add_certificate(first, "iso-13485", expires_on=datetime.date(2030, 1, 31))  # listed: not "stated"
    client.force_login(UserFactory(role=Role.COORDINATOR))
    client.get(reverse("companies:vetting"))
    with django_assert_num_queries(9):  # as many as without the section (test above)
        html = client.get(reverse("companies:vetting"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count("Certificates stated, not verified") == 1
    assert "From the words: “JIS Q 9100認証を取得済みです。”" in html
    assert f"{reverse('companies:detail', args=[first.pk])}#text-reading-heading" in html

    stating(2)
    stating(3)
    with django_assert_num_queries(9):
        html = client.get(reverse("companies:vetting"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count("Certificates stated, not verified") == 3
