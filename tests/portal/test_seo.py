"""Public pages that can be found: language-prefixed twins, hreflang and canonical links, noindex on the rest,
the company page in its URL's language, robots.txt and the sitemap (verified companies and live postings
only)."""

import re

import pytest
from django.urls import reverse

from portal.companies.models import VerificationStatus
from portal.postings.models import PostingStatus
from portal.postings.services import posting_create, posting_set_status
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return CompanyFactory(
        name_en="Siam Gear Co., Ltd.",
        name_ja="サイアムギア",
        pitch_en="Precision gears for EV motors",
        pitch_ja="EVモーター用精密ギア",
        description_en="We cut gears.",
    )


def test_prefixed_company_page_renders_in_its_language_for_any_viewer(client, company):
    client.force_login(UserFactory(language="th"))

    response = client.get(f"/ja/directory/{company.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "ja"
    assert '<html lang="ja">' in page
    assert "<h1>サイアムギア</h1>" in page
    assert '<meta name="description" content="EVモーター用精密ギア">' in page
    # No Japanese description: the English one, with a note that says so.
    assert '<p class="lead" lang="en">We cut gears.</p>' in page
    assert "英語" in page


def test_public_page_has_canonical_and_alternates_in_three_languages(client, company):
    page = client.get(f"/th/directory/{company.pk}/").content.decode()

    for code in ("th", "ja", "en"):
        assert (
            f'<link rel="alternate" hreflang="{code}" href="http://testserver/{code}/directory/{company.pk}/">'
            in page
        )
    assert f'<link rel="canonical" href="http://testserver/th/directory/{company.pk}/">' in page
    assert f'hreflang="x-default" href="http://testserver/en/directory/{company.pk}/"' in page
    assert 'name="robots"' not in page
    assert '<meta property="og:title" content="Siam Gear Co., Ltd.">' in page or "og:title" in page


def test_old_url_keeps_working_and_names_the_prefixed_page_as_canonical(client, company):
    client.cookies["portal_language"] = "ja"

    page = client.get(reverse("companies:detail", args=[company.pk])).content.decode()

    assert f'<link rel="canonical" href="http://testserver/ja/directory/{company.pk}/">' in page


def test_logo_in_opengraph(client, company):
    from portal.companies.services import company_update_profile
    from tests.portal import showcase_files as files

    company_update_profile(company=company, logo=files.png("logo.png"))
    company.refresh_from_db()

    page = client.get(f"/en/directory/{company.pk}/").content.decode()

    assert f'<meta property="og:image" content="http://testserver{company.logo.url}">' in page


@pytest.mark.parametrize("path", ["/dashboard/", "/accounts/login/", "/coordinator/vetting/"])
def test_private_pages_say_noindex(client, path):
    client.force_login(UserFactory(role="coordinator"))

    page = client.get(path, follow=True).content.decode()

    assert '<meta name="robots" content="noindex">' in page
    assert 'rel="canonical"' not in page


def test_unverified_company_page_seen_by_its_owner_is_noindex(client):
    owner = MembershipFactory(company__verification_status=VerificationStatus.PENDING)
    client.force_login(owner.user)

    page = client.get(f"/en/directory/{owner.company.pk}/").content.decode()

    assert '<meta name="robots" content="noindex">' in page


def test_robots_txt_keeps_crawlers_out_of_private_areas(client):
    text = client.get("/robots.txt").content.decode()

    for prefix in ("/accounts/", "/api/", "/coordinator/", "/matching/", "/shindan/", "/admin/"):
        assert f"Disallow: {prefix}" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_sitemap_lists_verified_companies_and_live_postings_in_three_languages(client, company, settings):
    settings.PORTAL_BASE_URL = "https://portal.example"
    pending = CompanyFactory(verification_status=VerificationStatus.PENDING)
    published = posting_create(company=company, type="supply-need", title_en="Need gears")
    posting_set_status(posting=published, status=PostingStatus.PUBLISHED)
    draft = posting_create(company=company, type="supply-need", title_en="Draft")
    of_pending = posting_create(company=pending, type="supply-need", title_en="Pending company's")
    posting_set_status(posting=of_pending, status=PostingStatus.PUBLISHED)

    response = client.get("/sitemap.xml")

    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    assert sorted(locations) == sorted(
        [f"https://portal.example/{code}/directory/{company.pk}/" for code in ("th", "ja", "en")]
        + [f"https://portal.example/{code}/postings/{published.pk}/" for code in ("th", "ja", "en")]
    )
    assert not any(f"/directory/{pending.pk}/" in url or f"/postings/{draft.pk}/" in url for url in locations)


def test_language_switch_on_a_prefixed_page_goes_to_the_same_page_in_the_new_language(client, company):
    response = client.post(
        reverse("set_language"), {"language": "th", "next": f"/ja/directory/{company.pk}/"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/th/directory/{company.pk}/"


def test_unprefixed_pages_still_follow_the_viewer(client, company):
    client.cookies["portal_language"] = "ja"

    response = client.get(reverse("companies:directory"))

    assert '<html lang="ja">' in response.content.decode()
