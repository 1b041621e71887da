"""A Thai owner shows a product with two photos and a brochure; a Japanese visitor finds the company's page
in Japanese through the sitemap and sees the gallery; the directory card shows the logo."""

import re

from playwright.sync_api import expect

from portal.companies.services import company_update_profile
from tests.e2e.helpers import label, t
from tests.e2e.signed_in import signed_in_context
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.portal import showcase_files as files


def _file(upload, mime: str) -> dict:
    upload.seek(0)
    return {"name": upload.name, "mimeType": mime, "buffer": upload.read()}


def test_thai_owner_shows_a_product_and_a_japanese_visitor_finds_it(live_server, browser, settings):
    settings.PORTAL_BASE_URL = live_server.url
    company = CompanyFactory(
        name_en="Rayong Gear Works Co., Ltd.", name_th="บริษัท ระยองเกียร์เวิร์คส์ จำกัด", name_ja="ラヨーン・ギア",
        pitch_ja="EV向け精密ギアの専門メーカー", description_th="ผลิตเฟืองความแม่นยำสูง",
    )  # fmt: skip
    company_update_profile(company=company, logo=files.png("logo.png"))
    owner = MembershipFactory(company=company, user=UserFactory(language="th")).user

    # The Thai owner adds a product from the company's page, then two photos and a brochure.
    context = signed_in_context(browser, live_server, owner, language="th")
    page = context.new_page()
    page.goto(f"{live_server.url}/directory/{company.pk}/")
    page.get_by_role("link", name=t("th", "Manage the products and technologies")).click()
    page.get_by_role("link", name=t("th", "Add a product or technology")).click()
    page.get_by_label(label(t("th", "Name in Thai"))).fill("เฟืองเฉียงสำหรับมอเตอร์ EV")
    page.get_by_label(label(t("th", "Description in Thai"))).fill("เฟืองเฉียงกลึงด้วยเครื่อง CNC 5 แกน")
    page.get_by_label(label(t("th", "Key specifications in Thai"))).fill("โมดูล 1.5\nความคลาดเคลื่อน ±0.01 มม.")
    page.get_by_role("button", name=t("th", "Save"), exact=True).click()
    expect(
        page.get_by_text(t("th", "The product is saved. Add photos and a brochure below."))
    ).to_be_visible()

    photos = [
        (files.jpeg("front.jpg", gps=True), "image/jpeg", "ด้านหน้า"),
        (files.png("side.png"), "image/png", "ด้านข้าง"),
    ]
    for upload, mime, caption in photos:
        page.locator("input[type=file][name=photo]").set_input_files(_file(upload, mime))
        page.get_by_label(label(t("th", "Caption in Thai"))).fill(caption)
        page.get_by_role("button", name=t("th", "Add the photo")).click()
        expect(page.get_by_text(t("th", "The photo is added."))).to_be_visible()
    page.get_by_label(label(t("th", "Brochure title"))).fill("แคตตาล็อกเฟือง 2569")
    page.get_by_label(label(t("th", "Brochure (PDF)"))).set_input_files(_file(files.pdf(), "application/pdf"))
    page.get_by_role("button", name=t("th", "Add the brochure")).click()
    expect(page.get_by_text(t("th", "The brochure is added."))).to_be_visible()
    expect(page.locator("ul.gallery figure img")).to_have_count(2)
    context.close()

    # A Japanese visitor (not signed in) follows the sitemap to the company's Japanese page.
    visitor = signed_in_context(browser, live_server, None, language="ja").new_page()
    sitemap = visitor.request.get(f"{live_server.url}/sitemap.xml").text()
    japanese_url = next(
        url for url in re.findall(r"<loc>([^<]+)</loc>", sitemap) if f"/ja/directory/{company.pk}/" in url
    )
    visitor.goto(japanese_url)
    expect(visitor.locator("html")).to_have_attribute("lang", "ja")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("ラヨーン・ギア")
    expect(visitor.get_by_role("heading", name=t("ja", "Products and technologies"))).to_be_visible()
    product = visitor.locator(".product-card")
    expect(product.locator("img")).to_be_visible()
    product.get_by_role("link", name="เฟืองเฉียงสำหรับมอเตอร์ EV").click()
    gallery = visitor.locator("ul.gallery figure img")
    expect(gallery).to_have_count(2)
    expect(gallery.first).to_have_js_property("complete", True)
    assert gallery.first.evaluate("img => img.naturalWidth") > 0
    expect(visitor.get_by_text("ด้านหน้า")).to_be_visible()
    expect(visitor.get_by_role("link", name=re.compile("แคตตาล็อกเฟือง 2569"))).to_be_visible()

    # The directory card shows the logo.
    visitor.goto(f"{live_server.url}/ja/directory/")
    card = visitor.locator(".company-card", has_text="ラヨーン・ギア")
    logo = card.locator("img.logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.naturalWidth") == 256
    expect(card.get_by_text("EV向け精密ギアの専門メーカー")).to_be_visible()

    # At 390 px the company page, the product page and the owner's pages fit without sideways scrolling.
    product_pk = company.products.get().pk
    for user, paths in [
        (None, [f"/ja/directory/{company.pk}/", f"/th/directory/{company.pk}/", f"/showcase/{product_pk}/"]),
        (owner, [f"/companies/{company.pk}/showcase/", f"/showcase/{product_pk}/edit/"]),
    ]:
        phone = signed_in_context(browser, live_server, user, language="th", width=390).new_page()
        for path in paths:
            phone.goto(live_server.url + path)
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
        phone.context.close()
