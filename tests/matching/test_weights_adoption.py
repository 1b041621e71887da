"""Adopting learned matching weights in the admin (issue 18): the comparison of current and proposed weights
on held-out outcomes and judged pairs, and adoption only when the proposal wins."""

import json
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from matching.models import Interest, MatchingWeights, MatchProposal
from matching.scoring import COMPONENTS
from matching.understanding import comparison
from matching.understanding.adoption import matching_weights_adopt, weights_comparison
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "admin:matching_matchingweights_propose"
CURRENT = {"industry": 0.25, "complementarity": 0.30, "certification": 0.15, "text": 0.15, "practical": 0.15}


@pytest.fixture(autouse=True)
def current_weights():
    """The version in force: CURRENT, whatever the migrations shipped."""
    return MatchingWeights.objects.create(**CURRENT, missing_certification_penalty=0.5, note="current")


def _outcomes(*, thai=12, partners=10, seed=3) -> dict[tuple[str, str], dict]:
    """Thai companies with ``partners`` proposed Japanese partners each; a company is interested exactly
    when the text similarity is above 0.5. Returns the components by (Thai, Japanese) external id."""
    weights = MatchingWeights.objects.order_by("-pk").first()
    rng = random.Random(seed)
    japanese = [CompanyFactory(country="JP", external_id=f"J-{i}") for i in range(partners)]
    found = {}
    for i in range(thai):
        company = CompanyFactory(external_id=f"T-{i}")
        for rank, partner in enumerate(rng.sample(japanese, partners), start=1):
            components = {name: round(rng.random(), 4) for name in COMPONENTS}
            MatchProposal.objects.create(
                company=company,
                partner=partner,
                rank=rank,
                score=comparison.score(components, CURRENT, 0.8),
                components=components,
                weights=weights,
                computed_at=timezone.now(),
            )
            Interest.objects.create(company=company, partner=partner, interested=components["text"] > 0.5)
            found[(company.external_id, partner.external_id)] = components
    return found


def _judged(settings, tmp_path, components, grade) -> None:
    """A judgments file grading every pair with ``grade(components)`` (0 is left out)."""
    queries: dict[str, dict[str, int]] = {}
    for (query, partner), values in components.items():
        if grade(values):
            queries.setdefault(query, {})[partner] = grade(values)
    path = tmp_path / "judgments.json"
    path.write_text(
        json.dumps({"queries": queries, "groups": {"demo": sorted(queries)[:6]}}), encoding="utf-8"
    )
    settings.MATCHING_JUDGMENTS_FILE = path


def _admin(**extra):
    user = UserFactory(email="admin@example.com", **extra)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_the_factor_p_is_read_back_from_a_stored_score():
    components = {
        "industry": 1.0,
        "complementarity": 0.5,
        "certification": 0.0,
        "text": 0.2,
        "practical": 1.0,
    }
    stored = comparison.score(components, CURRENT, 0.75)

    assert stored == pytest.approx(100 * (0.25 + 0.15 + 0 + 0.03 + 0.15) / 1.0 * 0.75)
    assert comparison.factor_from(stored, components, CURRENT) == pytest.approx(0.75)
    assert comparison.factor_from(0.0, dict.fromkeys(COMPONENTS, 0.0), CURRENT) == 1.0


def test_rows_rank_each_query_by_the_weights():
    pairs = [
        comparison.Pair("q", "a", {**dict.fromkeys(COMPONENTS, 0.0), "industry": 1.0}),
        comparison.Pair("q", "b", {**dict.fromkeys(COMPONENTS, 0.0), "text": 1.0}),
    ]
    text_first = {**CURRENT, "text": 0.5}

    row = comparison.compare(
        key="k", label="L", pairs=pairs, judgments={"q": {"b": 2}}, current=CURRENT, proposed=text_first
    )

    assert comparison.rankings(pairs, CURRENT) == {"q": ["a", "b"]}
    assert comparison.rankings(pairs, text_first) == {"q": ["b", "a"]}
    assert row.queries == 1
    assert row.current == comparison.Figures(
        ndcg10=round(3 / (7 * 1.5849625007211563) * 1 / (3 / 7), 4), p5=0.2
    )
    assert row.proposed == comparison.Figures(ndcg10=1.0, p5=0.2)
    assert row.better
    assert not row.worse


def test_comparison_on_held_out_outcomes_and_judged_pairs(settings, tmp_path):
    components = _outcomes()
    _judged(settings, tmp_path, components, lambda c: 3 if c["text"] > 0.7 else 2 if c["text"] > 0.5 else 0)

    found = weights_comparison()

    assert found.proposal.pairs == 120
    assert len(found.proposal.held_out) == 36  # 30 % kept apart
    assert [row.key for row in found.rows] == ["outcomes", "outcomes-th", "judged", "judged-demo"]
    assert {row.key: row.queries for row in found.rows} == {
        "outcomes": 9, "outcomes-th": 9, "judged": 12, "judged-demo": 6,
    }  # fmt: skip
    assert found.proposal.proposed["text"] == pytest.approx(CURRENT["text"] * 1.5)
    assert all(row.proposed.ndcg10 >= row.current.ndcg10 for row in found.rows)
    assert found.rows[2].proposed.ndcg10 > found.rows[2].current.ndcg10
    assert found.proposal.auc_proposed > found.proposal.auc_current
    assert found.wins


def test_adopting_a_winning_proposal_adds_a_version(settings, tmp_path):
    components = _outcomes()
    _judged(settings, tmp_path, components, lambda c: 2 if c["text"] > 0.5 else 0)
    before = MatchingWeights.objects.count()
    proposal = weights_comparison().proposal

    version = matching_weights_adopt(actor=_admin())

    assert MatchingWeights.objects.count() == before + 1
    assert {name: getattr(version, name) for name in COMPONENTS} == proposal.proposed
    assert version.note.startswith("learned from 120 outcomes")


def test_a_proposal_worse_on_judged_pairs_is_refused(settings, tmp_path):
    components = _outcomes()
    # The judges valued industry fit, which the outcomes (text only) will weigh less.
    _judged(settings, tmp_path, components, lambda c: 3 if c["industry"] > 0.6 and c["text"] < 0.5 else 0)
    before = MatchingWeights.objects.count()

    found = weights_comparison()
    with pytest.raises(ValidationError) as refused:
        matching_weights_adopt(actor=_admin())

    judged = next(row for row in found.rows if row.key == "judged")
    assert found.proposal.auc_proposed > found.proposal.auc_current
    assert judged.worse
    assert not found.wins
    assert refused.value.code == "proposal_not_better"
    assert MatchingWeights.objects.count() == before


def test_admin_page_shows_the_comparison_and_adopts(client, settings, tmp_path):
    components = _outcomes()
    _judged(settings, tmp_path, components, lambda c: 2 if c["text"] > 0.5 else 0)
    client.force_login(_admin())
    before = MatchingWeights.objects.count()

    page = client.get(reverse(URL))
    response = client.post(reverse(URL))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="weights-comparison"' in html
    assert "Past outcomes, held out" in html
    assert "Judged pairs: group “demo”" in html
    assert "Adopt the proposed weights" in html
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:matching_matchingweights_changelist")
    assert MatchingWeights.objects.count() == before + 1


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The proposed weights do not beat the current ones on held-out pairs: nothing was adopted."),
        ("th", "น้ำหนักที่เสนอไม่ดีกว่าน้ำหนักปัจจุบันบนคู่ที่กันไว้ทดสอบ จึงไม่ได้นำมาใช้"),
        ("ja", "提案された重みは、検証用に取り分けたペアで現在の重みを上回らないため、採用しませんでした。"),
    ],
)
def test_admin_refuses_a_proposal_that_does_not_win(client, settings, tmp_path, language, message):
    components = _outcomes()
    _judged(settings, tmp_path, components, lambda c: 3 if c["industry"] > 0.6 and c["text"] < 0.5 else 0)
    client.force_login(_admin(language=language))
    before = MatchingWeights.objects.count()

    page = client.get(reverse(URL))
    response = client.post(reverse(URL), follow=True)

    assert "Adopt the proposed" not in page.content.decode()
    assert [str(m) for m in response.context["messages"]] == [message]
    assert MatchingWeights.objects.count() == before


def test_admin_page_with_too_few_outcomes_says_so(client):
    client.force_login(_admin())

    page = client.get(reverse(URL))
    response = client.post(reverse(URL), follow=True)

    assert "There are not enough outcomes to learn from yet" in page.content.decode()
    assert [str(m) for m in response.context["messages"]] == [
        "There are not enough outcomes to learn from yet: nothing was adopted."
    ]


def test_only_admins_who_may_add_weights_reach_the_page(client):
    staff = UserFactory(email="staff@example.com")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(reverse(URL)).status_code == 403
    assert client.post(reverse(URL)).status_code == 403
    client.logout()
    assert client.get(reverse(URL)).status_code == 302  # to the admin's sign-in


def test_the_command_prints_the_comparison_and_adopts_by_the_same_rule(settings, tmp_path, capsys):
    components = _outcomes()
    _judged(settings, tmp_path, components, lambda c: 3 if c["industry"] > 0.6 and c["text"] < 0.5 else 0)
    before = MatchingWeights.objects.count()

    call_command("propose_matching_weights", "--adopt")

    out = capsys.readouterr().out
    assert "120 labelled pairs" in out
    assert "judged-demo" in out
    assert "Not adopted: the proposal does not beat the current weights." in out
    assert MatchingWeights.objects.count() == before
