"""The matching engine on the database: proposals, idempotency, feedback, certificates, languages, pages."""

import datetime
import json
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from matching import services
from matching.models import Interest, Introduction, MatchProposal, MatchRun
from portal.accounts.models import Role
from portal.companies.models import Company, CompanyContact, MembershipRole
from portal.companies.services import company_refresh_derived, company_update_profile
from portal.taxonomy.models import Region
from tests.factories import CompanyFactory, MembershipFactory, UserFactory, add_certificate, link_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    """A Japanese medical buyer, a certified Thai molder, an uncertified one, and an unrelated food firm."""
    buyer = CompanyFactory(country="JP", name_en="Kato Medical", languages="ja,en", currency="JPY")
    link_terms(buyer, industries=["medical-devices"], seeking=["injection-molding"], requires=["iso-13485"],
               looking_for=["supplier"])  # fmt: skip
    certified = CompanyFactory(
        name_en="Certified Molder", languages="th,en", region=Region.objects.get(code="TH-20")
    )
    link_terms(
        certified, industries=["medical-devices"], capabilities=["injection-molding", "cleanroom-assembly"]
    )
    add_certificate(certified, "iso-13485", expires_on=timezone.localdate() + datetime.timedelta(days=300))
    uncertified = CompanyFactory(name_en="Plain Molder", languages="th")
    link_terms(uncertified, industries=["medical-devices"], capabilities=["injection-molding"])
    food = CompanyFactory(name_en="Noodle Co", languages="th")
    link_terms(food, industries=["food"])
    return {"buyer": buyer, "certified": certified, "uncertified": uncertified, "food": food}


def _ranking(company):
    return list(
        MatchProposal.objects.filter(company=company)
        .order_by("rank")
        .values_list("partner__name_en", flat=True)
    )


def test_full_recompute_ranks_the_certified_molder_first_and_explains_why(market):
    run = services.run_full_inline()

    assert (run.status, run.shards_done, run.shards_total) == ("finished", 2, 2)
    assert _ranking(market["buyer"])[:2] == ["Certified Molder", "Plain Molder"]
    best, second = MatchProposal.objects.filter(company=market["buyer"]).order_by("rank")[:2]
    codes = [reason["code"] for reason in best.reasons]
    assert "they_offer_what_you_seek" in codes
    assert "certifications_met" in codes
    assert {"code": "partner_lacks_certifications", "slugs": ["iso-13485"]} in second.reasons
    assert best.score > 2 * second.score
    assert set(best.components) == {"industry", "complementarity", "certification", "text", "practical"}


def test_running_twice_gives_the_same_rows(market):
    services.run_full_inline()
    first = list(
        MatchProposal.objects.order_by("company_id", "rank").values_list(
            "company_id", "partner_id", "rank", "score"
        )
    )

    services.run_full_inline()

    assert (
        list(
            MatchProposal.objects.order_by("company_id", "rank").values_list(
                "company_id", "partner_id", "rank", "score"
            )
        )
        == first
    )
    assert MatchRun.objects.filter(kind="full", status="finished").count() == 2


def test_a_shard_is_done_once_even_if_delivered_twice(market):
    run = services.run_start_full()
    shard = run.shards.first()

    assert services.run_shard(shard_id=shard.pk) > 0
    assert services.run_shard(shard_id=shard.pk) == 0
    run.refresh_from_db()
    assert run.shards_done == 1


def test_an_expired_certificate_stops_counting(market):
    services.run_full_inline()
    before = MatchProposal.objects.get(company=market["buyer"], partner=market["certified"]).score
    market["certified"].certificates.update(expires_on=timezone.localdate() - datetime.timedelta(days=1))

    services.match_company(company_id=market["certified"].pk)

    after = MatchProposal.objects.get(company=market["buyer"], partner=market["certified"])
    assert after.score < before / 2
    assert {"code": "partner_lacks_certifications", "slugs": ["iso-13485"]} in after.reasons


def test_not_interested_removes_the_pair_both_ways_and_keeps_it_out(market):
    services.run_full_inline()
    member = MembershipFactory(company=market["buyer"]).user

    services.interest_set(
        company=market["buyer"], partner=market["certified"], actor=member, interested=False
    )
    assert "Certified Molder" not in _ranking(market["buyer"])
    assert "Kato Medical" not in _ranking(market["certified"])
    assert (
        list(MatchProposal.objects.filter(company=market["buyer"]).values_list("rank", flat=True))
        == [1, 2][: len(_ranking(market["buyer"]))]
    )

    services.run_full_inline()
    services.match_company(company_id=market["buyer"].pk)
    assert "Certified Molder" not in _ranking(market["buyer"])
    assert "Kato Medical" not in _ranking(market["certified"])


def test_editing_a_profile_rescores_inline_on_the_embedded_default(
    market, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    services.run_full_inline()
    assert _ranking(market["buyer"])[0] == "Certified Molder"

    with django_capture_on_commit_callbacks(execute=True):
        company_update_profile(company=market["food"], industries=list(market["certified"].industries.all()))
        link_terms(market["food"], capabilities=["injection-molding", "cleanroom-assembly"])
        add_certificate(market["food"], "iso-13485")
        company_refresh_derived(company=market["food"])

    assert "Noodle Co" in _ranking(market["buyer"])[:2]


def test_cross_lingual_match_through_inferred_tags():
    thai = CompanyFactory(name_en="", name_th="ไทยโมลด์", description_th="รับฉีดพลาสติกชิ้นส่วนเครื่องมือแพทย์")
    company_refresh_derived(company=thai)
    japanese = CompanyFactory(
        country="JP",
        name_ja="日本メディカル",
        description_ja="医療機器メーカーです。射出成形の協力工場を探しています。",
    )
    company_refresh_derived(company=japanese)
    unrelated = CompanyFactory(name_th="ไทยฟู้ด", description_th="ผลิตอาหารแช่แข็ง")
    company_refresh_derived(company=unrelated)

    services.run_full_inline()

    best = MatchProposal.objects.filter(company=japanese).order_by("rank").first()
    assert best.partner == thai
    shared = next(reason for reason in best.reasons if reason["code"] == "shared_industries")
    assert shared["slugs"] == ["medical-devices"]
    assert shared["inferred"] == ["medical-devices"]


def test_unverified_companies_are_never_proposed(market):
    market["certified"].verification_status = "pending"
    market["certified"].save()

    services.run_full_inline()

    assert "Certified Molder" not in _ranking(market["buyer"])
    assert not MatchProposal.objects.filter(company=market["certified"]).exists()


def test_top_matches_command_prints_the_stable_json(market, capsys):
    market["buyer"].external_id = "JP-1"
    market["buyer"].save()
    for company in (market["certified"], market["uncertified"]):
        company.external_id = f"TH-{company.pk}"
        company.save()
    call_command("recompute_matches", "--inline")
    capsys.readouterr()

    call_command("top_matches", "JP-1", "--limit", "2", "--json")

    rows = json.loads(capsys.readouterr().out)
    assert [row["external_id"] for row in rows] == [
        f"TH-{market['certified'].pk}",
        f"TH-{market['uncertified'].pk}",
    ]
    assert all(0 <= row["score"] <= 100 for row in rows)
    assert rows[0]["score"] > rows[1]["score"]
    assert any("ISO 13485" in reason for reason in rows[1]["reasons"])


def test_recommendations_page_shows_reasons_in_the_members_language(client, market):
    services.run_full_inline()
    member = MembershipFactory(company=market["buyer"], user__language="ja").user
    client.force_login(member)

    response = client.get(reverse("matching:recommendations"))

    html = response.content.decode()
    assert [p.partner.name_en for p in response.context["proposals"]][:2] == [
        "Certified Molder",
        "Plain Molder",
    ]
    assert "Offers what you look for" not in html
    assert "射出成形" in html
    # How the score is made, why a notification's score may differ, and what readiness is: on the page.
    assert "<summary>マッチングスコアの算出方法</summary>" in html
    assert "お知らせには送信時のスコアが、この一覧には現在のスコアが表示されます。" in html
    assert "最新の報告書の総合スコア70%と財務の健全性30%から算出します。" in html


def test_interest_request_introduce_and_contacts_unlock(
    client, market, mailoutbox, django_capture_on_commit_callbacks
):
    services.run_full_inline()
    CompanyContact.objects.create(company=market["certified"], name="Somchai", email="somchai@molder.example")
    buyer_member = MembershipFactory(company=market["buyer"], user__language="ja").user
    thai_member = MembershipFactory(company=market["certified"], user__language="th").user
    detail = reverse("companies:detail", args=[market["certified"].pk])
    client.force_login(buyer_member)
    assert "somchai@molder.example" not in client.get(detail).content.decode()

    client.post(
        reverse("matching:interest", args=[market["buyer"].pk, market["certified"].pk]), {"interested": "1"}
    )
    client.post(
        reverse("matching:request", args=[market["buyer"].pk, market["certified"].pk]), {"message": "Hello"}
    )
    introduction = Introduction.objects.get()
    assert (introduction.thai_company, introduction.japanese_company) == (
        market["certified"],
        market["buyer"],
    )

    client.force_login(UserFactory(role=Role.COORDINATOR))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matching:introduction", args=[introduction.pk]), {"stage": "introduced"})
    introduction.refresh_from_db()
    assert introduction.stage == "introduced"
    assert sorted(message.to[0] for message in mailoutbox) == sorted([buyer_member.email, thai_member.email])
    japanese_mail = next(m for m in mailoutbox if m.to == [buyer_member.email])
    assert "somchai@molder.example" in japanese_mail.body

    client.force_login(buyer_member)
    assert "somchai@molder.example" in client.get(detail).content.decode()


@pytest.mark.parametrize("kind", ["anonymous", "other_company", "consultant", "member_of_partner"])
def test_others_cannot_act_for_a_company(client, market, kind):
    users = {
        "other_company": MembershipFactory().user,
        "consultant": UserFactory(role=Role.CONSULTANT),
        "member_of_partner": MembershipFactory(company=market["certified"]).user,
    }
    if kind in users:
        client.force_login(users[kind])

    interest = client.post(
        reverse("matching:interest", args=[market["buyer"].pk, market["certified"].pk]), {"interested": "0"}
    )
    request = client.post(reverse("matching:request", args=[market["buyer"].pk, market["certified"].pk]))
    api = client.get(f"/api/companies/{market['buyer'].pk}/proposals/")

    expected = 302 if kind == "anonymous" else 404
    assert (interest.status_code, request.status_code) == (expected, expected)
    assert api.status_code in ((401, 403) if kind == "anonymous" else (404,))
    assert not Interest.objects.exists()
    assert not Introduction.objects.exists()


@pytest.mark.parametrize(
    "kind", ["anonymous", "consultant"]
)  # members: tests/matching/test_member_introductions.py
def test_introductions_dashboard_is_for_coordinators(client, market, kind):
    if kind == "member":
        client.force_login(MembershipFactory(company=market["buyer"], role=MembershipRole.OWNER).user)
    elif kind == "consultant":
        client.force_login(UserFactory(role=Role.CONSULTANT))

    assert client.get(reverse("matching:introductions")).status_code == (302 if kind == "anonymous" else 404)


def test_introduction_transitions_are_checked(market):
    coordinator = UserFactory(role=Role.COORDINATOR)
    member = MembershipFactory(company=market["buyer"]).user
    introduction = services.introduction_request(
        company=market["buyer"], partner=market["certified"], actor=member
    )

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.introduction_set_stage(introduction=introduction, actor=coordinator, stage="order")
    introduction.refresh_from_db()
    assert introduction.stage == "requested"


def test_api_proposals_for_members(client, market, django_assert_num_queries):
    services.run_full_inline()
    member = MembershipFactory(company=market["buyer"]).user
    client.force_login(member)

    response = client.get(f"/api/companies/{market['buyer'].pk}/proposals/")

    assert response.status_code == 200
    body = response.json()
    assert [row["partner_name"] for row in body][:2] == ["Certified Molder", "Plain Molder"]
    assert body[0]["reasons"]


def test_stale_introductions_get_a_reminder(market, mailoutbox):
    member = MembershipFactory(company=market["buyer"]).user
    thai_member = MembershipFactory(company=market["certified"]).user
    stale = services.introduction_request(company=market["buyer"], partner=market["certified"], actor=member)
    Introduction.objects.filter(pk=stale.pk).update(
        stage="talking", stage_changed_at=timezone.now() - datetime.timedelta(days=40)
    )
    fresh = services.introduction_request(
        company=market["buyer"], partner=market["uncertified"], actor=member
    )
    Introduction.objects.filter(pk=fresh.pk).update(stage="talking")

    assert services.introduction_remind_stale() == 2
    assert sorted(message.to[0] for message in mailoutbox) == sorted([member.email, thai_member.email])


def test_coordinator_dashboard_lists_and_filters_proposals_in_constant_queries(
    client, market, django_assert_num_queries
):
    services.run_full_inline()
    client.force_login(UserFactory(role=Role.COORDINATOR))
    client.get(reverse("matching:introductions"))

    with django_assert_num_queries(15):
        response = client.get(reverse("matching:introductions"), {"country": "JP", "min_score": "10"})
    first = response.context["pairs"][0]
    assert (first.japanese.name_en, first.thai.name_en) == ("Kato Medical", "Certified Molder")
    assert all(pair.japanese_rank for pair in response.context["pairs"])  # in the Japanese lists
    before = len(response.context["pairs"])

    for n in range(3):
        extra = CompanyFactory(country="JP", name_en=f"Buyer {n}")
        link_terms(extra, industries=["medical-devices"], seeking=["injection-molding"])
    services.run_full_inline()
    with django_assert_num_queries(15):
        response = client.get(reverse("matching:introductions"), {"country": "JP", "min_score": "10"})
    assert len(response.context["pairs"]) > before


def test_recommendations_query_count_does_not_grow_with_partners(client, market, django_assert_num_queries):
    services.run_full_inline()
    member = MembershipFactory(company=market["buyer"]).user
    client.force_login(member)
    client.get(reverse("matching:recommendations"))

    with django_assert_num_queries(10):
        response = client.get(reverse("matching:recommendations"))
    assert len(response.context["proposals"]) == 3

    for n in range(3):
        extra = CompanyFactory(name_en=f"Molder {n}")
        link_terms(extra, industries=["medical-devices"], capabilities=["injection-molding"])
    services.run_full_inline()
    with django_assert_num_queries(10):
        response = client.get(reverse("matching:recommendations"))
    assert len(response.context["proposals"]) == 6


def test_mutual_interest_is_highlighted_to_both_and_to_coordinators(client, market):
    services.run_full_inline()
    buyer_member = MembershipFactory(company=market["buyer"]).user
    thai_member = MembershipFactory(company=market["certified"]).user
    services.interest_set(
        company=market["buyer"], partner=market["certified"], actor=buyer_member, interested=True
    )
    services.interest_set(
        company=market["certified"], partner=market["buyer"], actor=thai_member, interested=True
    )

    client.force_login(buyer_member)
    mine = {
        p.partner.name_en: p.mutual
        for p in client.get(reverse("matching:recommendations")).context["proposals"]
    }
    client.force_login(thai_member)
    theirs = {
        p.partner.name_en: p.mutual
        for p in client.get(reverse("matching:recommendations")).context["proposals"]
    }
    client.force_login(UserFactory(role=Role.COORDINATOR))
    mutual = client.get(reverse("matching:introductions")).context["figures"]["mutual"]

    assert mine["Certified Molder"] is True
    assert not any(value for name, value in mine.items() if name != "Certified Molder")
    assert theirs["Kato Medical"] is True
    assert [(i.company.name_en, i.partner.name_en) for i in mutual] == [("Certified Molder", "Kato Medical")]


def test_a_malformed_interest_is_explained_and_changes_nothing(client, market):
    member = MembershipFactory(company=market["buyer"], user__language="th").user
    client.force_login(member)

    response = client.post(
        reverse("matching:interest", args=[market["buyer"].pk, market["certified"].pk]),
        {"interested": "maybe"},
        follow=True,
    )

    assert response.status_code == 200
    with translation.override("th"):
        expected = translation.gettext("Choose “Interested” or “Not interested”.")
    assert [str(message) for message in response.context["messages"]] == [expected]
    assert not Interest.objects.exists()


def _lists() -> dict[int, list[tuple[int, float]]]:
    """Every company's list, best first: [(partner id, score)]."""
    lists = defaultdict(list)
    for company_id, partner_id, score in MatchProposal.objects.order_by("company_id", "rank").values_list(
        "company_id", "partner_id", "score"
    ):
        lists[company_id].append((partner_id, score))
    return dict(lists)


def _assert_same_lists(got: dict, expected: dict, k: int = 20) -> None:
    """The same scores in the same order and the same partner at each score; partners with equal scores
    may come in any order, and of those tied at the cut of a full list any may be the ones kept."""
    assert got.keys() == expected.keys()
    for company_id, rows in expected.items():
        mine = got[company_id]
        assert [score for _, score in mine] == pytest.approx([score for _, score in rows], abs=1e-6), (
            company_id
        )
        by_score = defaultdict(set)
        for partner_id, score in rows:
            by_score[round(score, 6)].add(partner_id)
        mine_by_score = defaultdict(set)
        for partner_id, score in mine:
            mine_by_score[round(score, 6)].add(partner_id)
        cut = round(rows[-1][1], 6) if len(rows) == k else None
        for score, partners in by_score.items():
            if score != cut:
                assert mine_by_score[score] == partners, (company_id, score)


@pytest.fixture
def population():
    """40 synthetic companies per country, imported as a coordinator would (all verified)."""
    from portal.companies.importer import import_rows
    from portal.core.synthetic import synthetic_rows

    import_rows(rows=synthetic_rows(40))
    return Company.objects.all()


def test_shards_score_alike_whatever_their_size(population, monkeypatch):
    """Every shard uses the IDF of both whole countries, so small shards give the same lists as one."""
    services.run_full_inline()
    whole = _lists()

    monkeypatch.setattr(services.runs, "SHARD_SIZE", 7)
    run = services.run_full_inline()

    assert run.shards_total == 12
    assert _lists() == whole


def test_rescoring_after_edits_on_both_sides_agrees_with_a_full_recompute(
    population, settings, django_capture_on_commit_callbacks
):
    """The partners' matrices are kept between rescorings; an edit on the other side must still be seen,
    and a list that loses a company is filled again from below the cut."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    services.run_full_inline()
    thai, japanese = population.get(external_id="TH-SYN-000003"), population.get(external_id="JP-SYN-000005")
    holders = set(MatchProposal.objects.filter(partner=japanese).values_list("company_id", flat=True))
    services.match_company(company_id=thai.pk)  # this process now holds both countries' matrices

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        # Tailored to the Thai company and of little use to the others: it now requires the certificates the
        # Thai company holds, which halves its score with those that do not.
        held = [certificate.certification for certificate in thai.certificates.all()]
        assert held
        company_update_profile(
            company=japanese, capabilities=list(thai.seeking.all()), seeking=list(thai.capabilities.all()),
            looking_for=[], industries=list(thai.industries.all()), requires=held,
        )  # fmt: skip
        company_update_profile(company=thai, industries=list(japanese.industries.all()))
    assert callbacks  # the edits queued their rescorings, which ran inline
    incremental = _lists()
    assert incremental[thai.pk][0][0] == japanese.pk  # the edits made them each other's best match
    left = holders - set(MatchProposal.objects.filter(partner=japanese).values_list("company_id", flat=True))
    assert left  # the Japanese company left some Thai lists, which were refilled
    assert all(len(incremental[company_id]) == 20 for company_id in left)

    services.run_full_inline()

    _assert_same_lists(incremental, _lists())


def test_the_filters_keep_a_partner_whose_industry_and_offer_were_read_from_its_text(
    client, market, django_assert_num_queries
):
    """A company that only writes free text: its card says "same industry: medical devices (read from the
    text)" and "offers injection molding"; the page's filters keep it, as its reasons do, on the same
    number of queries."""
    writer = CompanyFactory(
        name_en="Text Only Molder",
        languages="th",
        description_en="We do injection molding of medical device parts in a cleanroom, ISO 13485 certified.",
    )
    services.run_full_inline()
    member = MembershipFactory(company=market["buyer"]).user
    client.force_login(member)
    page = reverse("matching:recommendations")
    listed = [p.partner.name_en for p in client.get(page).context["proposals"]]
    assert "Text Only Molder" in listed
    proposal = MatchProposal.objects.get(company=market["buyer"], partner=writer)
    shared = {r["code"]: r for r in proposal.reasons}
    assert "medical-devices" in shared["shared_industries"]["inferred"]

    with django_assert_num_queries(10):
        by_industry = client.get(page, {"industry": "medical-devices"}).context["proposals"]
    by_offer = client.get(page, {"offers": "injection-molding"}).context["proposals"]
    by_other = client.get(page, {"industry": "food"}).context["proposals"]

    assert "Text Only Molder" in [p.partner.name_en for p in by_industry]
    assert "Text Only Molder" in [p.partner.name_en for p in by_offer]
    assert [p.partner.name_en for p in by_other] == ["Noodle Co"]  # its own industry, declared
