"""Issue 16's journey: the Japanese owner proposes on a Thai need in Japanese; the Thai owner (Thai UI) sees
the proposal ranked with reasons and glossary terms in Thai and accepts; they exchange messages with an
attachment; the Thai side asks a coordinator to interpret; the coordinator adds a translation; the Thai
side marks "samples/RFQ sent"; the coordinator's desk and the introductions show it."""

import re

from playwright.sync_api import expect

from deals.forms import STEP_LABELS
from matching import services as matching_services
from portal.accounts.models import Role
from portal.postings.models import PostingType
from portal.postings.services import posting_create, posting_set_status
from portal.taxonomy.models import Capability, Industry
from tests.e2e.helpers import label, log_in, t
from tests.factories import CompanyFactory, MembershipFactory, UserFactory, link_terms

PDF = b"%PDF-1.7\n% housing drawing\n%%EOF\n"


def test_proposal_to_samples_with_a_coordinator(live_server, new_page, tmp_path):
    thai_company = CompanyFactory(name_en="Siam Molding", name_th="สยามโมลดิ้ง", languages="th")
    link_terms(thai_company, industries=["medical-devices"], seeking=["injection-molding"])
    japanese_company = CompanyFactory(
        country="JP", name_en="Kato Medical", name_ja="加藤メディカル", languages="ja"
    )
    link_terms(japanese_company, industries=["medical-devices"], capabilities=["injection-molding"])
    thai = MembershipFactory(company=thai_company, user__language="th").user
    japanese = MembershipFactory(company=japanese_company, user__language="ja").user
    coordinator = UserFactory(role=Role.COORDINATOR, language="en", first_name="Kanya", last_name="Srisuk")
    need = posting_create(
        company=thai_company, type=PostingType.SUPPLY_NEED, title_th="ต้องการงานฉีดพลาสติก",
        title_en="Injection molding wanted", body_th="ฉีดพลาสติกตัวเครื่อง ปีละ 5,000 ชิ้น",
        industries=Industry.objects.filter(slug="medical-devices"),
        capabilities=Capability.objects.filter(slug="injection-molding"),
    )  # fmt: skip
    posting_set_status(posting=need, status="published")
    matching_services.run_full_inline()

    # The Japanese owner proposes in Japanese.
    jp = new_page(locale="ja-JP")
    log_in(jp, live_server, email=japanese.email, language="ja")
    jp.goto(f"{live_server.url}/postings/{need.pk}/")
    jp.get_by_role("link", name=t("ja", "Send a proposal")).click()
    jp.get_by_label(label(t("ja", "What you offer for this need"))).fill(
        "射出成形で対応します。8週間でサンプルを出荷できます。"
    )
    jp.get_by_label(label(t("ja", "Lead time (days)"))).fill("56")
    jp.get_by_role("button", name=t("ja", "Send the proposal")).click()
    expect(jp.get_by_role("status")).to_contain_text(
        t("ja", "Your proposal is sent. The company will shortlist, decline or accept it; you will be told.")
    )

    # The Thai owner sees it ranked, with reasons and the glossary aid in Thai, and accepts it.
    th = new_page(locale="th-TH")
    log_in(th, live_server, email=thai.email, language="th")
    th.goto(f"{live_server.url}/postings/{need.pk}/")
    th.get_by_role("link", name=t("th", "See the proposals")).click()
    card = th.locator("article.proposal").first
    expect(card).to_contain_text(
        re.compile(re.escape(t("th", "Match score %(score)s") % {"score": ""}) + r"\d")
    )
    expect(card).to_contain_text(t("th", "Glossary aid (terms, not a translation)"))
    expect(card.locator(".glossary-aid")).to_contain_text("射出成形 → ฉีดพลาสติก")
    expect(card.locator(".reasons")).not_to_be_empty()
    card.get_by_role("button", name=t("th", "Accept")).click()

    # They exchange messages, the Thai side with a drawing.
    drawing = tmp_path / "drawing.pdf"
    drawing.write_bytes(PDF)
    th.get_by_label(label(t("th", "Your message"))).fill("ขอบคุณครับ แนบแบบงานมาให้ครับ")
    th.get_by_label(label(t("th", "Attach files"))).set_input_files(str(drawing))
    th.get_by_role("button", name=t("th", "Send"), exact=True).click()
    expect(th.locator(".messages-thread")).to_contain_text("drawing.pdf")

    jp.get_by_role("navigation", name=t("ja", "Main")).get_by_role(
        "link", name=re.compile(t("ja", "Messages"))
    ).click()
    jp.get_by_role("link", name=re.compile("Siam Molding|สยามโมลดิ้ง")).click()
    expect(jp.locator(".messages-thread")).to_contain_text("ขอบคุณครับ")
    jp.get_by_label(label(t("ja", "Your message"))).fill(
        "図面を確認しました。射出成形の見積もりを準備します。"
    )
    jp.get_by_role("button", name=t("ja", "Send"), exact=True).click()

    # The Thai side asks a coordinator to interpret.
    th.reload()
    expect(th.locator(".messages-thread")).to_contain_text("図面を確認しました")
    th.get_by_label(label(t("th", "You need"))).select_option("interpret")
    th.get_by_role("button", name=t("th", "Ask a coordinator to join")).click()

    # The coordinator takes the request and translates the Japanese message into Thai.
    desk = new_page(locale="en-US")
    log_in(desk, live_server, email=coordinator.email, language="en")
    desk.goto(f"{live_server.url}/deals/desk/")
    desk.get_by_role("button", name="Take it and open the conversation").click()
    message = desk.locator("article.message", has_text="図面を確認しました")
    tools = desk.locator("details.message-tools").filter(has=desk.get_by_text("Add a translation")).last
    tools.get_by_text("Add a translation").click()
    tools.get_by_label("Translation into").select_option("th")
    tools.get_by_label("Translation", exact=True).fill("ตรวจสอบแบบงานแล้ว จะเตรียมใบเสนอราคางานฉีดพลาสติกครับ")
    tools.get_by_role("button", name="Add the translation").click()
    expect(message).to_contain_text("ตรวจสอบแบบงานแล้ว")

    # The Thai side reads the translation beside the original and records "samples/RFQ sent".
    th.reload()
    expect(th.locator(".translation")).to_contain_text("ตรวจสอบแบบงานแล้ว")
    expect(th.locator("details.card")).to_contain_text("Kanya Srisuk")  # her read, shown to both sides
    with th.expect_navigation():
        th.get_by_label(label(t("th", "Where the deal stands"))).select_option("samples")
        th.get_by_role("button", name=t("th", "Record the step")).click()
    with __import__("django.utils.translation").utils.translation.override("th"):
        samples = str(STEP_LABELS["samples"])
    expect(th.locator(".messages-thread")).to_contain_text(samples)

    # The coordinator's introductions show the pair at "Samples / RFQ".
    desk.goto(f"{live_server.url}/matching/introductions/")
    expect(desk.get_by_role("main")).to_contain_text("Samples / RFQ")
