"""Reading free text for matching (matching/understanding/): certificates, seeking vs offering, leaves."""

import json
from pathlib import Path

import pytest

from matching.features.loading import _roles
from matching.glossary import normalize
from matching.scoring import CompanyFeatures, Vocabulary, Weights, reference_components, reference_score
from matching.understanding import read
from matching.understanding.columns import held_columns, required_columns
from matching.understanding.hooks import text_features
from matching.understanding.terms import expand, find

DATA = Path(__file__).resolve().parent / "data"


def test_a_thai_shop_states_its_certificate_and_what_it_looks_for():
    reading = read(
        "บริษัทรับกลึงชิ้นงานไทเทเนียมเกรด 5 ด้วยเครื่อง CNC 5 แกน ได้รับการรับรอง ISO 13485:2016 "
        "ต้องการหาลูกค้าญี่ปุ่นในกลุ่มเครื่องมือแพทย์",
        "TH",
    )
    assert reading.held == {"iso-13485"}
    assert reading.required == frozenset()
    assert reading.looking_for == {"customer"}
    assert {"five-axis-machining", "titanium-ti6al4v"} <= reading.offers
    assert reading.evidence["held:iso-13485"].startswith("บริษัทรับกลึง")


def test_a_japanese_buyer_requires_a_certificate_and_seeks_a_process():
    reading = read(
        "ISO 9001を取得しています。航空機用チタン部品の5軸加工ができるタイの協力工場を探しています"
        "（JIS Q 9100取得企業に限る）。ISO 14001は取得を目指しています。",
        "JP",
    )
    assert reading.held == {"iso-9001"}
    assert reading.required == {"as9100"}  # JIS Q 9100 is AS9100
    assert reading.not_held == {"iso-14001"}
    assert "five-axis-machining" in reading.seeks
    assert "five-axis-machining" not in reading.offers
    assert reading.looking_for == {"supplier"}


def test_seeking_sentences_do_not_count_as_offers():
    features = text_features("We make stamped brackets. We are looking for a powder coating subcontractor.")
    assert "powder-coating" in features.seeks
    assert "powder-coating" not in features.capabilities
    assert "surface-treatment" in features.seeks  # the leaf's parent
    assert features.looking_for == {"supplier"}


def test_latin_terms_match_on_word_boundaries_and_longest_first():
    hits = find("sus316l and mc nylon; no mcx here")
    assert [hit.slug for hit in hits if hit.slug == "stainless-316l"] == ["stainless-316l"]
    assert all(hit.words != "mc" or hit.start == 15 for hit in hits)


def test_latin_terms_match_their_english_plurals_and_nothing_longer():
    text = normalize("we build fish filleting machines, shrimp peeling machines and patient monitors")
    assert [(hit.slug, hit.words) for hit in find(text)] == [
        ("seafood-processing-machinery", "fish filleting machines"),
        ("seafood-processing-machinery", "shrimp peeling machines"),
        ("patient-monitors", "patient monitors"),
    ]
    assert [hit.slug for hit in find(normalize("ready-built factories for rent or sale"))] == [
        "factories-for-rent"
    ]
    assert [hit.words for hit in find(normalize("a ready-built factory"))] == ["ready-built factory"]
    # A word that only starts like a term is not the term.
    assert find(normalize("a patient monitoring system; patient monitorset")) == []


@pytest.mark.parametrize(
    ("text", "country", "concept", "industry"),
    [
        (
            "食品用の凍結乾燥（フリーズドライ）装置を製造しています。",
            "JP",
            "food-processing-machinery",
            "food",
        ),
        ("ต้องการเครื่องฟรีซดรายจากญี่ปุ่นสำหรับโรงงานอาหาร", "TH", "food-processing-machinery", "food"),
        ("We build freeze dryers for the food industry.", "", "food-processing-machinery", "food"),
        ("Point-of-care blood analysers for clinics.", "", "ivd-analysers-reagents", None),
        ("歯科技工所向けのジルコニアディスクを製造しています。", "JP", "zirconia", "medical-devices"),
        ("จำหน่ายวัสดุทันตกรรมให้คลินิกทันตกรรม", "TH", None, "medical-devices"),
    ],
)
def test_products_and_trades_are_read_in_three_languages(text, country, concept, industry):
    features = text_features(text, country)
    assert concept is None or concept in features.concepts
    assert industry is None or industry in features.industries


def test_doing_registrations_for_others_is_regulatory_affairs_having_products_registered_is_not():
    assert (
        "regulatory-affairs"
        in read("タイFDAへの登録手続きに対応できる販売代理店を探しています。", "JP").seeks
    )
    assert "regulatory-affairs" in read("ทำหน้าที่ผู้รับอนุญาตนำเข้าแทนผู้ผลิตต่างประเทศ", "TH").offers
    assert "regulatory-affairs" in read("We act as the Thai licence holder for foreign makers.", "").offers
    assert "regulatory-affairs" not in read("ผลิตภัณฑ์ทุกรายการขึ้นทะเบียน อย. แล้ว", "TH").offers
    assert "regulatory-affairs" not in read("All our products carry Thai FDA registration.", "").offers


def test_a_leaf_expands_to_its_parent():
    assert expand({"five-axis-machining"}) == {"five-axis-machining", "cnc-machining"}


def _pair(**partner):
    vocabulary = Vocabulary(
        industries=(), focus_industries=frozenset(), isic_divisions={}, capabilities=(),
        certifications=("iso-13485",), roles=(),
    )  # fmt: skip
    buyer = CompanyFeatures(id=1, requires=frozenset({"iso-13485"}))
    return reference_components(buyer, CompanyFeatures(id=2, **partner), vocabulary, 0.0)


def test_a_stated_certificate_counts_three_quarters_of_a_verified_one():
    verified = _pair(holds=frozenset({"iso-13485"}))
    stated = _pair(stated=frozenset({"iso-13485"}))
    missing = _pair()
    floors = [pair["_certification_floor"] for pair in (verified, stated, missing)]
    assert floors == [1.0, 0.75, 0.0]
    weights = Weights()
    assert (
        reference_score(missing, weights)
        < reference_score(stated, weights)
        < reference_score(verified, weights)
    )


def test_certificate_columns():
    assert required_columns({"ce"}) == {"ce", "ce+1", "ce+2", "ce+verified"}
    # Held (verified) fills every column; stated fills all but the verified one.
    assert held_columns({"ce"}, {"pmda"}) == {"ce", "ce+1", "ce+2", "ce+verified", "pmda", "pmda+1", "pmda+2"}


def test_the_labelled_certificate_sentences_are_mostly_read_right():
    canonical = {"jis-q-13485": "iso-13485", "jis-q-9100": "as9100"}
    sentences = json.loads((DATA / "certificate_sentences.json").read_text(encoding="utf-8"))["sentences"]
    right = 0
    for sentence in sentences:
        reading = read(sentence["text"], {"th": "TH", "ja": "JP"}.get(sentence["language"], ""))
        expected = [{canonical.get(s, s) for s in sentence[key]} for key in ("held", "required", "not_held")]
        right += [set(reading.held), set(reading.required), set(reading.not_held)] == expected
    assert (right, len(sentences)) == (82, 89)


def test_readiness_is_a_reason_line_and_a_tie_breaker_never_a_score():
    from matching.reasons import reasons_for, reasons_seen_by
    from matching.reasons_text import render_reason
    from matching.understanding.ranking import tie_key

    company = CompanyFeatures(id=1, readiness=61.0)
    partner = CompanyFeatures(id=2, readiness=74.04)
    reasons = reasons_for(company, partner, {})
    readiness = [r for r in reasons if "readiness" in r["code"]]
    assert readiness == [
        {"code": "partner_readiness", "value": 74.0},
        {"code": "your_readiness", "value": 61.0},
    ]
    assert render_reason(readiness[0]) == "Diagnosed by a Shindan consultant: readiness 74/100"
    seen = reasons_seen_by(reasons, owner_id=1, partner_id=2, viewer_id=2)
    assert [r for r in seen if "readiness" in r["code"]] == [
        {"code": "partner_readiness", "value": 61.0},
        {"code": "your_readiness", "value": 74.0},
    ]
    rows = [  # (score, partner id, components, reasons)
        (50.0, 7, {"text": 0.1}, []),
        (50.0, 3, {"text": 0.1}, [{"code": "partner_readiness", "value": 80.0}]),
        (50.0, 9, {"text": 0.3}, []),
        (60.0, 8, {"text": 0.0}, []),
        (50.0, 1, {"text": 0.1}, []),
    ]
    assert [row[1] for row in sorted(rows, key=lambda row: tie_key(*row))] == [8, 9, 3, 1, 7]


def test_a_preferred_certificate_is_neither_required_nor_held():
    for text in (
        "タイの協力工場を探しています。ISO 13485取得企業が望ましいです。",
        "We are looking for a molder; ISO 13485 preferred.",
        "ต้องการหาผู้ผลิตชิ้นส่วน หากมี ISO 13485 จะพิจารณาเป็นพิเศษ",
        # the demo's Hayashi need: the licence was read as one Hayashi holds
        "Looking for a Thai molder. A Thai FDA manufacturing licence is a plus.",
        "ISO 13485 would be an advantage.",
        "ISO 13485取得企業であれば尚可。",
    ):
        reading = read(text)
        assert (reading.required, reading.held) == (frozenset(), frozenset()), text


def test_the_items_of_a_list_share_what_the_list_says():
    """In "certified ISO 9001 and ISO 14001, looking for customers" the seeking phrase after the list does
    not make its last item a requirement."""
    thai = read("ได้รับการรับรอง ISO 9001 และ ISO 14001 ต้องการหาลูกค้า OEM จากญี่ปุ่น", "TH")
    assert (thai.held, thai.required) == ({"iso-9001", "iso-14001"}, frozenset())
    japanese = read("ISO 9001・ISO 14001を取得しています。タイの顧客を探しています。", "JP")
    assert (japanese.held, japanese.required) == ({"iso-9001", "iso-14001"}, frozenset())
    versioned = read("ได้รับการรับรอง ISO 13485:2016 และ ISO 9001:2015 ต้องการหาลูกค้าญี่ปุ่น", "TH")
    assert (versioned.held, versioned.required) == ({"iso-13485", "iso-9001"}, frozenset())
    demanded = read("Suppliers must hold ISO 9001 and IATF 16949.", "JP")
    assert (demanded.held, demanded.required) == (frozenset(), {"iso-9001", "iatf-16949"})


def test_an_items_scope_between_two_items_keeps_the_list_together():
    """ "certified Nadcap for plating, AS9100D and ISO 9001, looking for customers": the scope of the first
    item does not end the list, and the seeking phrase after it demands none of them."""
    thai = read("ได้รับการรับรอง Nadcap ด้านการชุบผิว AS9100D และ ISO 9001 ต้องการหาลูกค้าญี่ปุ่น", "TH")
    assert (thai.held, thai.required) == ({"nadcap", "as9100", "iso-9001"}, frozenset())
    english = read("Certified Nadcap for heat treating, AS9100D and IATF 16949, we look for customers.", "TH")
    assert (english.held, english.required) == ({"nadcap", "as9100", "iatf-16949"}, frozenset())
    # A cue between the two items, or a seeking span around the second, still decides for it.
    demanded = read("ISO 9001 certified, we look for partners with ISO 13485.", "JP")
    assert (demanded.held, demanded.required) == ({"iso-9001"}, {"iso-13485"})
    planned = read("ได้รับการรับรอง ISO 9001 กำลังขอการรับรอง ISO 13485", "TH")
    assert (planned.held, planned.not_held) == ({"iso-9001"}, {"iso-13485"})


def test_a_company_looking_for_a_site_is_the_customer_of_whoever_offers_one():
    roles = _roles(
        country="JP", in_eec=False, capabilities=frozenset(), seeks=frozenset(),
        looking_for=frozenset({"investment-site"}), posting_types=set(),
    )  # fmt: skip
    assert roles == {"customer"}


def test_a_company_that_offers_a_site_fills_the_investment_site_role():
    for text, country in [
        ("นิคมอุตสาหกรรมในฉะเชิงเทรา มีโรงงานสำเร็จรูปให้เช่าและขาย ต้องการลูกค้าญี่ปุ่น", "TH"),
        ("ให้เช่าโรงงานสำเร็จรูปขนาด 1,000 ตารางเมตร ต้องการหาลูกค้า SME ญี่ปุ่น", "TH"),
        ("Ready-built factories for rent in the EEC.", "TH"),
        ("当社は工業団地を開発・運営しています。", "JP"),
    ]:
        assert read(text, country).offers_site, text
    for text, country in [
        ("รับจ้างประกอบแผงวงจรอิเล็กทรอนิกส์ที่นิคมอุตสาหกรรมนวนคร", "TH"),  # located in one
        ("タイで工業団地を探しています。", "JP"),  # looks for one
        ("ยังไม่มีโรงงานให้เช่า", "TH"),  # has none
    ]:
        assert not read(text, country).offers_site, text


def test_certificates_say_which_industry_a_company_works_in():
    from matching.textdata import industries_of_certificates

    assert industries_of_certificates({"iso-13485", "iatf-16949", "jis-q-9100", "thai-fda", "iso-9001"}) == {
        "medical-devices", "automotive", "aerospace-parts",
    }  # fmt: skip


def test_an_industry_neutral_role_gives_full_industry_fit_in_every_path():
    """An industrial estate and a company that looks for an investment site share no industry: the pair's
    industry component is full, the same in the reference, the block path and the fast path's tables."""
    import numpy as np

    from matching.scoring import prepare, score_rows
    from matching.scoring.blocks import component_block

    vocabulary = Vocabulary(
        industries=("medical-devices", "logistics"), focus_industries=frozenset({"medical-devices"}),
        isic_divisions={}, capabilities=("cnc-machining",), certifications=(),
        roles=("supplier", "customer", "investment-site"),
    )  # fmt: skip
    japanese = CompanyFeatures(
        id=1, industries=frozenset({"medical-devices"}), looking_for=frozenset({"investment-site"})
    )
    estate = CompanyFeatures(id=2, industries=frozenset({"logistics"}), roles=frozenset({"investment-site"}))
    other = CompanyFeatures(id=3, industries=frozenset({"logistics"}), roles=frozenset({"supplier"}))
    assert reference_components(japanese, estate, vocabulary, 0.0)["industry"] == 1.0
    assert reference_components(estate, japanese, vocabulary, 0.0)["industry"] == 1.0
    assert reference_components(japanese, other, vocabulary, 0.0)["industry"] == 0.0
    side_a, side_b = prepare([japanese], [estate, other], vocabulary)
    assert component_block(side_a, side_b)["industry"].tolist() == [[1.0, 0.0]]
    expected = [reference_score(reference_components(japanese, partner, vocabulary, 0.0), Weights())
                for partner in (estate, other)]  # fmt: skip
    many_a, many_b = prepare([japanese] * 20, [estate, other] * 20, vocabulary)
    top = score_rows(many_a, many_b, Weights(), k=2)  # more than FEW_ROWS rows: the fast path
    assert np.allclose(top.scores[0], [expected[0], expected[0]])


def test_a_thai_phrase_speaks_only_of_its_own_certificate():
    """Thai writes no punctuation between phrases: "certified ISO 9001:2015, now applying for ISO 13485"
    holds the first and not the second."""
    reading = read(
        "ได้รับการรับรอง ISO 9001:2015 ขณะนี้กำลังขอการรับรอง ISO 13485 คาดว่าจะได้รับภายในปี 2568 "
        "ต้องการหาลูกค้าใหม่ในกลุ่มเครื่องมือแพทย์",
        "TH",
    )
    assert (reading.held, reading.required, reading.not_held) == ({"iso-9001"}, frozenset(), {"iso-13485"})
    assert reading.evidence["held:iso-9001"].startswith("ได้รับการรับรอง iso 9001")


def test_more_ways_to_say_who_one_looks_for():
    japanese = read(
        "多層プリント基板を製造しています。"
        "タイの基板実装（EMS）メーカーを新しい販売先として開拓したいと考えています。",
        "JP",
    )
    assert japanese.looking_for == {"customer"}
    assert {"pcb-assembly"} <= japanese.seeks  # the trade of the customers it wants
    thai = read("จำหน่ายชุดหุ่นยนต์เพื่อการศึกษา ต้องการหาผู้ผลิตหุ่นยนต์เพื่อการศึกษาจากญี่ปุ่น", "TH")
    assert "supplier" in thai.looking_for


def test_a_japanese_search_with_how_or_where_before_the_verb_still_seeks():
    """In "Xをタイで探しています" / "Xを合弁で探しています" X is sought, however the search is made."""
    reading = read("タイの射出成形工場を合弁またはM&Aで探しています。", "JP")
    assert "injection-molding" in reading.seeks
    assert "joint-venture" in reading.looking_for
    assert "supplier" in read("協力工場をタイで探しています。", "JP").looking_for


def test_a_maker_that_looks_for_a_partner_factory_and_names_nothing_seeks_its_own_processes():
    reading = read("精密射出成形部品を製造しています。タイで協力工場を探しています。", "JP")
    assert "supplier" in reading.looking_for
    assert {"precision-injection-molding"} <= reading.seeks == reading.offers
    assert "協力工場" in reading.evidence["seeks:precision-injection-molding"]
    named = read("精密射出成形部品を製造しています。タイでめっき加工の協力工場を探しています。", "JP")
    assert "precision-injection-molding" not in named.seeks  # a process named: only that is sought


def test_a_distributor_that_looks_for_makers_does_not_seek_its_own_services():
    """A distributor or an adviser that looks for makers looks for their products, not for distribution or
    regulatory affairs done by someone else; a maker with a service beside its process seeks the process."""
    distributor = read("จัดจำหน่ายเครื่องมือแพทย์ให้โรงพยาบาล มีทีมขึ้นทะเบียนเครื่องมือแพทย์ ต้องการหาผู้ผลิตจากญี่ปุ่น", "TH")
    assert "supplier" in distributor.looking_for
    assert distributor.offers == {"medical-device-distribution", "regulatory-affairs"}
    assert distributor.seeks == frozenset()
    maker = read("精密射出成形部品を製造・販売しています。タイで協力工場を探しています。", "JP")
    assert "precision-injection-molding" in maker.seeks


def test_bedside_equipment_is_not_a_bed_and_a_blood_tester_not_semiconductor_equipment():
    """ "เครื่องตรวจเลือดแบบข้างเตียงผู้ป่วย" (a bedside blood tester) is an in-vitro diagnostic device, not a
    hospital bed; "血液検査装置" (a blood test instrument) is no semiconductor equipment."""
    bedside = read("ผลิตเครื่องตรวจเลือดแบบข้างเตียงผู้ป่วย", "TH").offers
    assert bedside == {"ivd-analysers-reagents", "products-medical-equipment"}
    assert read("ผลิตเตียงผู้ป่วยไฟฟ้าสำหรับโรงพยาบาล", "TH").offers == {"hospital-beds"}
    assert "semiconductor-equipment" not in read("血液検査装置を開発・製造しています。", "JP").offers
    assert "semiconductor-equipment" in read("半導体検査装置を製造しています。", "JP").offers


def test_what_a_partner_must_register_or_obtain_is_required_and_what_we_still_must_is_not_held():
    partner = read("The partner must register the devices with the Thai FDA.", "JP")
    assert (partner.held, partner.required) == (frozenset(), {"thai-fda"})
    suppliers = read("Our suppliers should obtain ISO 13485 within a year.", "JP")
    assert (suppliers.held, suppliers.required) == (frozenset(), {"iso-13485"})
    thai = read("ตัวแทนต้องขึ้นทะเบียนกับ อย.", "JP")
    assert (thai.held, thai.required) == (frozenset(), {"thai-fda"})
    ours = read("We must register our products with the Thai FDA first.", "JP")
    assert (ours.held, ours.required, ours.not_held) == (frozenset(), frozenset(), {"thai-fda"})


def test_what_is_wanted_for_something_is_sought_on_both_sides_of_the_cue():
    reading = read(
        "Subcontractor wanted for sulphuric anodizing and conversion coating in Thailand. "
        "AS9100-certified Thai company wanted for forming aluminium brackets.",
        "JP",
    )
    assert "anodizing" in reading.seeks
    assert "anodizing" not in reading.offers
    assert reading.required == {"as9100"}
    assert reading.held == frozenset()
    assert "supplier" in reading.looking_for  # "subcontractor", before the cue


def test_a_must_handle_demand_and_japanese_needs_and_preferences_are_not_offers():
    reading = read(
        "Exclusive distributor wanted for dental alloys; must handle Thai FDA registration.\n"
        "タイFDAへの登録代行と歯科医院への営業網が必要です。EO滅菌まで一貫して対応できる企業を優先します。"
        "AS9100を取得した5軸加工の協力会社を探しており、将来の現地拠点設立も検討しています。",
        "JP",
    )
    assert reading.held == frozenset()
    assert "thai-fda" in reading.required
    assert {"regulatory-affairs", "eo-sterilization", "five-axis-machining"} <= reading.seeks
    assert not {"regulatory-affairs", "eo-sterilization", "five-axis-machining"} & reading.offers
    assert "distributor" in reading.looking_for


def test_evidence_is_quoted_as_the_company_wrote_it():
    from matching.understanding.selectors import as_written

    text = (
        "Makes high-strength bolts and fasteners by cold and hot forging.\nงานกลึง CNC และอบชุบแข็ง สำหรับรถยนต์"
    )
    # the reading's form: case-folded, cut mid-word by the snippet's margin
    assert (
        as_written(text, "…ength bolts and fasteners by cold a…")
        == "…strength bolts and fasteners by cold and…"
    )
    assert as_written(text, "makes high-strength bolts…") == "Makes high-strength bolts…"
    # a Thai cut is moved to the space that ends the phrase; NFKC's ํา is shown as written (ำ)
    assert as_written(text, "…ละอบชุบแข็ง สําหรับรถย…") == "…และอบชุบแข็ง สำหรับรถยนต์"  # its end ends the text
    assert as_written(text, "not in the text") == "not in the text"
    assert as_written(text, "") == ""


def test_a_need_postings_title_is_sought_without_a_cue():
    title = "AS9100 5-axis machining subcontractor in the EEC"
    text = f"Precision machining of airframe parts in Aichi.\n{title}\nBody of the posting."

    assert "five-axis-machining" in read(text, "JP").offers  # a title alone reads as an offer
    reading = read(text, "JP", sought=[title])
    assert "five-axis-machining" in reading.seeks
    assert "five-axis-machining" not in reading.offers
    assert reading.required == {"as9100"}  # a certificate in a need's title is demanded, not held


def test_what_is_preferred_in_a_partner_is_sought_and_a_preferred_certificate_is_not_required():
    reading = read(
        "We look for a molder in Thailand; companies that can also handle EO sterilization are preferred. "
        "A partner with ISO 13485 is preferred.",
        "JP",
    )
    assert "sterilization" in reading.seeks
    assert "sterilization" not in reading.offers
    assert "sterilization" not in reading.offer_text  # nor offered through the glossary
    assert reading.required == frozenset()
    assert reading.held == frozenset()


def test_a_company_that_wanted_to_grow_still_holds_its_certificate():
    assert read("ISO 13485 certified as we wanted to serve medical customers.", "TH").held == {"iso-13485"}


@pytest.mark.parametrize(
    ("text", "site"),
    [
        (
            "タイに進出した日系医療機器メーカーへの供給のため、現地で射出成形ができるタイ企業との協業を希望しています。",
            False,
        ),
        ("タイに進出している日系メーカーへの供給拠点として、協力工場を探しています。", False),
        ("タイへの進出を検討しており、工業団地の紹介を希望します。", True),
        ("タイへの進出を検討しています。協力会社を探しています。", True),
    ],
)
def test_moving_abroad_is_a_site_wanted_only_when_the_company_itself_plans_it(text, site):
    """ "進出した日系メーカー" describes the customers already in Thailand, not a site the company wants."""
    assert ("investment-site" in read(text, "JP").looking_for) is site


@pytest.mark.parametrize(
    ("head", "cut_without_care"),
    [
        ("ส่วน", "่วน"),  # 24 characters before the word fall on the tone mark of ส่วน
        ("เมือง", "มือง"),  # … or on the letter after its leading vowel เ
    ],
)
def test_a_snippet_never_cuts_a_thai_letter_from_its_marks(head, cut_without_care):
    from matching.understanding.reading import snippet

    sentence = head + "ก" * (24 + 1 - len(head)) + "ไซริงค์ และข้อต่อ"
    start = sentence.index("ไซริงค์")
    assert sentence[start - 24 :].startswith(cut_without_care)

    assert snippet(sentence, start, start + len("ไซริงค์")).startswith(head)
