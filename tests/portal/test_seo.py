"""Public pages that can be found: language-prefixed twins, hreflang and canonical links, noindex on the rest,
the company page in its URL's language, robots.txt and the sitemap (verified companies and live postings
only)."""

import datetime
import re

import pytest
from django.urls import reverse

from portal.companies.models import VerificationStatus
from portal.core.seo import meta_description
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


def test_a_visitor_keeps_the_prefixed_pages_language_on_the_pages_it_links_to(client, company):
    """The directory's cards and a company's products link to unprefixed pages: a visitor who came in on
    ``/ja/…`` goes on reading Japanese there, whatever their browser says."""
    first = client.get(f"/ja/directory/?q={company.name_en}", HTTP_ACCEPT_LANGUAGE="th")
    following = client.get(reverse("companies:detail", args=[company.pk]), HTTP_ACCEPT_LANGUAGE="th")

    assert first.cookies["portal_language"].value == "ja"
    assert '<html lang="ja">' in following.content.decode()
    assert "<h1>サイアムギア</h1>" in following.content.decode()
    again = client.get(f"/ja/directory/{company.pk}/", HTTP_ACCEPT_LANGUAGE="th")
    assert "portal_language" not in again.cookies  # already the visitor's language: not set again


def test_a_signed_in_persons_own_language_is_left_alone_by_a_prefixed_page(client, company):
    client.force_login(UserFactory(language="th"))

    prefixed = client.get(f"/ja/directory/{company.pk}/")
    following = client.get(reverse("companies:detail", args=[company.pk]))

    assert "portal_language" not in prefixed.cookies
    assert '<html lang="th">' in following.content.decode()


# --- Meta descriptions and OpenGraph on postings and events; old URLs of every public page -------------


def test_meta_description_is_one_line_cut_nicely_in_every_script():
    assert meta_description("  Precision gears\n\nfor EV motors  ") == "Precision gears for EV motors"
    english = "We cut gears for EV motors, with tolerances of a few microns. " * 4
    assert meta_description(english) == (
        "We cut gears for EV motors, with tolerances of a few microns. We cut gears for EV motors, with "
        "tolerances of a few microns. We cut gears for EV motors, with…"
    )
    japanese = "当社は精密部品を製造しています。" * 12  # 16 characters a sentence, no spaces
    assert meta_description(japanese) == "当社は精密部品を製造しています。" * 9 + "…"
    # Thai: cut at the last space between phrases, never inside a word
    thai = "รับผลิตชิ้นส่วนความแม่นยำสูง " * 12
    assert meta_description(thai) == ("รับผลิตชิ้นส่วนความแม่นยำสูง " * 5).rstrip() + "…"
    # No break anywhere: cut at the limit, but a Thai vowel or tone mark stays with its letter
    assert meta_description("ก" * 159 + "ี" + "x" * 10) == "ก" * 158 + "…"
    assert len(meta_description("x" * 300)) == 160


@pytest.fixture
def posting(company):
    posting = posting_create(
        company=company,
        type="supply-offer",
        title_en="Gear cutting capacity",
        title_th="รับกัดเฟือง",
        body_en="We have two hobbing machines free from March.",
        body_th="ว่างเครื่องกัดเฟือง 2 เครื่อง ตั้งแต่เดือนมีนาคม " * 6,
    )
    return posting_set_status(posting=posting, status=PostingStatus.PUBLISHED)


@pytest.fixture
def event():
    from events.models import Event

    return Event.objects.create(
        slug="expo",
        name_en="Industry Expo",
        name_ja="産業見本市",
        venue_en="BITEC",
        venue_ja="バンコク国際貿易展示場",
        organiser_en="DIP",
        description_en="Meet Thai suppliers.",
        description_ja="タイのサプライヤーと商談できます。",
        starts_on=datetime.date(2027, 7, 25),
        ends_on=datetime.date(2027, 7, 30),
    )


def test_posting_page_describes_the_posting_in_its_urls_language(client, posting):
    thai = client.get(f"/th/postings/{posting.pk}/").content.decode()
    english = client.get(f"/en/postings/{posting.pk}/").content.decode()
    japanese = client.get(f"/ja/postings/{posting.pk}/").content.decode()

    thai_text = meta_description(posting.body_th)
    assert thai_text.endswith("มีนาคม…")
    assert f'<meta name="description" content="{thai_text}">' in thai
    assert f'<meta property="og:description" content="{thai_text}">' in thai
    assert '<meta property="og:title" content="รับกัดเฟือง">' in thai
    assert '<meta property="og:locale" content="th_TH">' in thai
    assert f'<meta property="og:url" content="http://testserver/th/postings/{posting.pk}/">' in thai
    assert '<meta name="description" content="We have two hobbing machines free from March.">' in english
    assert '<meta property="og:title" content="Gear cutting capacity">' in english
    # No Japanese text: the English one (the page shows it marked as English)
    assert '<meta name="description" content="We have two hobbing machines free from March.">' in japanese
    assert '<meta property="og:locale" content="ja_JP">' in japanese


def test_posting_without_a_body_is_described_by_its_kind_and_company(client, company):
    from portal.companies.services import company_update_profile
    from tests.portal import showcase_files as files

    company_update_profile(company=company, logo=files.png("logo.png"))
    company.refresh_from_db()
    posting = posting_create(company=company, type="supply-offer", title_en="Gears")
    posting_set_status(posting=posting, status=PostingStatus.PUBLISHED)

    page = client.get(f"/en/postings/{posting.pk}/").content.decode()

    assert (
        f'<meta name="description" content="{posting.get_type_display()} from Siam Gear Co., Ltd.">' in page
    )
    assert f'<meta property="og:image" content="http://testserver{company.logo.url}">' in page


def test_event_page_describes_the_event_in_its_urls_language(client, event):
    japanese = client.get("/ja/events/expo/").content.decode()
    english = client.get("/en/events/expo/").content.decode()

    assert '<meta name="description" content="タイのサプライヤーと商談できます。">' in japanese
    assert '<meta property="og:title" content="産業見本市">' in japanese
    assert '<meta property="og:url" content="http://testserver/ja/events/expo/">' in japanese
    assert '<meta name="description" content="Meet Thai suppliers.">' in english
    assert '<meta property="og:title" content="Industry Expo">' in english


def test_event_without_a_description_is_described_by_its_dates_and_venue(client, event):
    event.description_en = event.description_ja = ""
    event.save()

    page = client.get("/en/events/expo/").content.decode()

    assert '<meta name="description" content="July 25, 2027 – July 30, 2027, BITEC">' in page


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/directory/", "/{code}/directory/"),
        ("/directory/{company}/", "/{code}/directory/{company}/"),
        ("/postings/{posting}/", "/{code}/postings/{posting}/"),
        ("/events/expo/", "/{code}/events/expo/"),
    ],
    ids=["directory", "company", "posting", "event"],
)
def test_every_old_public_url_works_and_names_its_language_twins(client, company, posting, event, old, new):
    ids = {"company": company.pk, "posting": posting.pk}
    client.cookies["portal_language"] = "ja"

    response = client.get(old.format(**ids))

    page = response.content.decode()
    assert response.status_code == 200
    assert f'<link rel="canonical" href="http://testserver{new.format(code="ja", **ids)}">' in page
    for code in ("th", "ja", "en"):
        assert (
            f'<link rel="alternate" hreflang="{code}" href="http://testserver{new.format(code=code, **ids)}">'
            in page
        )
    assert 'name="robots"' not in page


@pytest.mark.parametrize("kind", ["company", "posting", "event"])
def test_prefixed_pages_show_the_text_in_their_language_or_the_original_with_a_note(
    client, company, posting, event, kind
):
    url = {
        "company": f"/th/directory/{company.pk}/",
        "posting": f"/ja/postings/{posting.pk}/",
        "event": "/th/events/expo/",
    }[kind]

    page = client.get(url).content.decode()

    if kind == "company":  # no Thai description: the English one, marked as English, with a note
        assert '<p class="lead" lang="en">We cut gears.</p>' in page
        assert "ภาษาอังกฤษ" in page
    elif kind == "posting":  # no Japanese text: the English one, marked as English, with a note
        assert '<p lang="en">We have two hobbing machines free from March.</p>' in page
        assert "英語" in page
    else:  # no Thai description: the English one, marked as English, with a note
        assert '<p lang="en">Meet Thai suppliers.</p>' in page
        assert "ภาษาอังกฤษ" in page
