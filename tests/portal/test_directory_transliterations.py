"""Thai spelling variants and transliterations across languages in the directory search (issue 18): the
variants of a Thai loanword are one, and a material's word in one language finds the company that wrote it
in another (the taxonomy's ambiguous material words, portal/companies/search.py ``equivalents``)."""

import pytest
from django.urls import reverse

from portal.companies.search import equivalents, normalize, phrases, spelling_variants, translations
from tests.factories import CompanyFactory, link_terms

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return [company.name_en for company in response.context["page"].object_list]


@pytest.fixture
def companies():
    link_terms(CompanyFactory(name_en="Thai Titanium", description_th="รับกลึงชิ้นงานไทเทเนี่ยมสำหรับรากฟันเทียม"))
    link_terms(CompanyFactory(name_en="Thai Alu", description_th="งานกัดอะลูมิเนียมและสแตนเลส"))
    link_terms(
        CompanyFactory(country="JP", name_en="Nagoya Ti", description_ja="チタンとステンレスの精密切削")
    )
    link_terms(CompanyFactory(name_en="Sustain Co", description_en="Sustainable packaging, aluminum trays."))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ไทเทเนียม", ["Nagoya Ti", "Thai Titanium"]),  # the other Thai spelling, and チタン
        ("ไทเทเนี่ยม", ["Nagoya Ti", "Thai Titanium"]),
        ("titanium", ["Nagoya Ti", "Thai Titanium"]),  # transliterated English
        ("อลูมิเนียม", ["Sustain Co", "Thai Alu"]),  # อลูมิเนียม / อะลูมิเนียม, and "aluminum"
        ("aluminium", ["Sustain Co", "Thai Alu"]),
        ("アルミ", ["Sustain Co", "Thai Alu"]),
        ("stainless", ["Nagoya Ti", "Thai Alu"]),  # สแตนเลส, ステンレス
        ("sus", ["Sustain Co"]),  # a plain substring: "sus" is never an equivalent (it would find this)
        ("titanium ชิ้นงาน", ["Thai Titanium"]),  # English and Thai in one query
    ],
)
def test_variants_and_transliterations_match(client, companies, query, expected):
    assert _names(client.get(reverse("companies:directory"), {"q": query})) == expected


def test_equivalents_come_from_the_taxonomy():
    assert equivalents("titanium") == ("ไทเทเนียม", "ちたん")
    assert equivalents("stainless") == ("สแตนเลส", "สเตนเลส", "すてんれす")
    assert equivalents("sus") == ()
    assert equivalents("ฉีด") == ()  # means several processes, all in Thai: nothing to translate


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mould", ["Mould Works", "Nagoya Mold"]),  # "mould" finds "molding", and its own spelling
        ("mold", ["Mould Works", "Nagoya Mold"]),
        ("moulding", ["Nagoya Mold"]),  # inside a longer word: "moulding" is "molding"
        ("centre", ["Mould Works"]),  # "machining center"
    ],
)
def test_british_and_american_spellings_find_each_other(client, query, expected):
    link_terms(CompanyFactory(name_en="Mould Works", description_en="Mould making and a machining center."))
    link_terms(CompanyFactory(country="JP", name_en="Nagoya Mold", description_en="Injection molding."))
    link_terms(CompanyFactory(name_en="Thai Print", description_en="Offset printing."))
    assert _names(client.get(reverse("companies:directory"), {"q": query})) == expected


def test_spelling_variants():
    assert spelling_variants("moulding") == ("molding",)
    assert spelling_variants("aluminum") == ("aluminium",)
    assert spelling_variants("titanium") == ()
    assert "aluminum" in equivalents("aluminium")  # with the taxonomy's Thai and Japanese words


def test_a_taxonomy_name_finds_the_texts_that_name_it_in_another_language(client):
    link_terms(
        CompanyFactory(country="JP", name_en="Osaka Resin", description_en="Injection molding of housings.")
    )
    link_terms(CompanyFactory(country="JP", name_en="Kobe Seikei", description_ja="医療部品の射出成形"))
    link_terms(CompanyFactory(name_en="Rayong Press", description_en="Metal stamping."))

    for query in ("ฉีดพลาสติก", "射出成形", "injection"):
        names = _names(client.get(reverse("companies:directory"), {"q": query}))
        assert names == (["Kobe Seikei", "Osaka Resin"] if query != "injection" else ["Osaka Resin"]), query
    assert translations("ฉีดพลาสติก") == ("injection molding", "射出成形")
    assert translations("machining") == ()  # not a name: a plain word finds what it finds


def test_a_name_of_several_words_finds_the_texts_that_name_it_in_another_language(client):
    link_terms(CompanyFactory(name_en="Rayong Plastic", description_th="รับฉีดพลาสติกชิ้นส่วนเครื่องมือแพทย์"))
    link_terms(CompanyFactory(country="JP", name_en="Kobe Seikei", description_ja="医療部品の射出成形"))
    link_terms(
        CompanyFactory(country="JP", name_en="Osaka Resin", description_en="Injection molding of housings.")
    )
    link_terms(CompanyFactory(name_en="Chon Buri Press", description_en="Injection of grease; sand molding."))
    link_terms(CompanyFactory(name_en="Rayong Press", description_en="Metal stamping."))

    def found(query):
        return _names(client.get(reverse("companies:directory"), {"q": query}))

    # the name's words anywhere in the text, as before, or the name in Thai or Japanese
    every = ["Chon Buri Press", "Kobe Seikei", "Osaka Resin", "Rayong Plastic"]
    assert found("injection molding") == every
    assert found("Injection  Moulding") == every  # the other spelling, any case and spacing
    assert found("injection molding housings") == ["Osaka Resin"]  # every other term still has to be there
    assert found("molding injection") == ["Chon Buri Press", "Osaka Resin"]  # not the name: words only
    assert phrases(["injection", "molding", "titanium"]) == [
        (("injection", "molding"), ("ฉีดพลาสติก", "射出成形")),
        (("titanium",), ()),
    ]
    assert phrases(["machining"]) == [(("machining",), ())]


def test_a_province_written_in_one_word_finds_its_name_in_every_spelling(client):
    link_terms(CompanyFactory(name_en="Eastern Mold", description_en="Mould shop in Chon Buri."))
    link_terms(CompanyFactory(name_en="Bang Saen Parts", description_th="โรงงานที่ชลบุรี"))
    link_terms(CompanyFactory(country="JP", name_en="Tokai Press", description_ja="チョンブリー工場を新設"))
    link_terms(CompanyFactory(name_en="Rayong Press", description_en="Metal stamping in Rayong."))

    for query in ("chonburi", "Chonburi", "chon buri", "ชลบุรี", "チョンブリー県"):
        names = _names(client.get(reverse("companies:directory"), {"q": query}))
        assert names == ["Bang Saen Parts", "Eastern Mold", "Tokai Press"], query
    assert translations("chonburi") == ("chon buri", "ชลบุรี", "ちょんぶりー")
    assert translations(normalize("東京都")) == ("tokyo", "โตเกียว", "東京")
    assert "nan" not in translations(normalize("น่าน"))  # as a substring it would find "maintenance"
