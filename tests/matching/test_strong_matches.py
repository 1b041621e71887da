"""New strong matches (matching/services/strong.py): when a swap of lists brings a partner at or above the
score a member chose (notification preferences, default 70), the company's members are told once; a
rerun tells nobody again; each member's threshold is respected."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from matching import services
from matching.models import MatchProposal
from matching.services import writes
from portal.companies.models import MembershipRole
from portal.notifications.models import Notification
from portal.notifications.services import notification_preferences_set
from tests.factories import CompanyFactory, MembershipFactory, add_certificate, link_terms

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("inline_tasks")]

KIND = "matching.strong_match"
# Kato Medical × the certified molder: every component full (their descriptions' cosine is past
# TEXT_SATURATION) but practical (0.5 × English + 0.3 × ½, sizes unknown = 0.65): 100 × (1 − 0.05 × 0.35).
SCORE = 98.25


@pytest.fixture
def siam():
    """A Thai company with an owner (default threshold 70) and a member who chose 85; five Japanese
    companies to propose."""
    company = CompanyFactory(country="TH", name_en="Siam Molding")
    owner = MembershipFactory(company=company, role=MembershipRole.OWNER).user
    member = MembershipFactory(company=company, role=MembershipRole.MEMBER).user
    notification_preferences_set(user=member, choices={}, thresholds={KIND: 85})
    partners = [CompanyFactory(country="JP", name_en=f"Kato {i}") for i in range(5)]
    return company, owner, member, partners


def _swap(company, scores: dict, capture) -> None:
    """Replace ``company``'s list by ``{partner: score}`` (ranked by score) and run the after-commit work."""
    weights = services.weights_current()
    now = timezone.now()
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    rows = [
        (company.pk, p.pk, rank, score, {}, [], weights.pk, now) for rank, (p, score) in enumerate(ranked, 1)
    ]
    with capture(execute=True), transaction.atomic():
        writes.proposals_swap([company.pk], writes.proposals_stage(rows))


def _told(user) -> list[tuple[int, int]]:
    return sorted(
        (row.target_id, row.context["score"])
        for row in Notification.objects.filter(recipient=user, kind=KIND)
    )


def test_members_are_told_of_pairs_above_their_own_threshold(siam, django_capture_on_commit_callbacks):
    company, owner, member, (p1, p2, p3, *_rest) = siam

    _swap(company, {p1: 90.2, p2: 75.0, p3: 60.0}, django_capture_on_commit_callbacks)

    assert _told(owner) == [(p1.pk, "90"), (p2.pk, "75")]
    assert _told(member) == [(p1.pk, "90")]
    assert Notification.objects.filter(kind=KIND).count() == 3
    row = Notification.objects.get(recipient=member, kind=KIND)
    assert row.url == reverse("companies:detail", kwargs={"pk": p1.pk})
    assert row.context["company"]["en"] == "Kato 0"


def test_rerunning_the_same_lists_tells_nobody_again(siam, django_capture_on_commit_callbacks):
    company, owner, member, (p1, p2, p3, *_rest) = siam
    _swap(company, {p1: 90.0, p2: 75.0, p3: 60.0}, django_capture_on_commit_callbacks)

    _swap(company, {p1: 90.0, p2: 75.0, p3: 60.0}, django_capture_on_commit_callbacks)
    _swap(company, {p1: 91.0, p2: 75.5, p3: 60.0}, django_capture_on_commit_callbacks)  # small moves

    assert Notification.objects.filter(kind=KIND).count() == 3


def test_a_pair_that_rises_across_a_threshold_is_told_once(siam, django_capture_on_commit_callbacks):
    company, owner, member, (p1, p2, p3, *_rest) = siam
    _swap(company, {p1: 90.0, p2: 75.0, p3: 60.0}, django_capture_on_commit_callbacks)

    _swap(company, {p1: 90.0, p2: 75.0, p3: 72.0}, django_capture_on_commit_callbacks)  # p3 crosses 70
    assert _told(owner) == [(p1.pk, "90"), (p2.pk, "75"), (p3.pk, "72")]
    assert _told(member) == [(p1.pk, "90")]

    _swap(company, {p1: 90.0, p2: 65.0, p3: 72.0}, django_capture_on_commit_callbacks)  # p2 falls…
    _swap(company, {p1: 90.0, p2: 88.0, p3: 72.0}, django_capture_on_commit_callbacks)  # …and returns
    assert _told(owner) == [(p1.pk, "90"), (p2.pk, "75"), (p3.pk, "72")]  # once per pair
    assert _told(member) == [(p1.pk, "90"), (p2.pk, "88")]  # 88 crosses the member's 85


def test_at_most_three_per_member_per_run_best_first(siam, django_capture_on_commit_callbacks):
    company, owner, member, partners = siam

    _swap(
        company,
        dict(zip(partners, [71.0, 95.0, 80.0, 99.0, 72.0], strict=True)),
        django_capture_on_commit_callbacks,
    )

    assert sorted(score for _pk, score in _told(owner)) == ["80", "95", "99"]
    assert sorted(score for _pk, score in _told(member)) == ["95", "99"]


def test_the_partner_side_is_told_too_and_non_members_are_not(siam, django_capture_on_commit_callbacks):
    company, owner, member, (p1, *_rest) = siam
    kato = MembershipFactory(company=p1, role=MembershipRole.OWNER).user

    _swap(p1, {company: 77.0}, django_capture_on_commit_callbacks)

    assert _told(kato) == [(company.pk, "77")]
    assert _told(owner) == []


@pytest.mark.parametrize(("score", "queries"), [(40.0, 4), (90.0, 5)])
def test_the_swap_reads_the_old_strong_pairs_in_one_query_only_when_needed(
    siam, django_assert_num_queries, score, queries
):
    company, _owner, _member, (p1, *_rest) = siam
    weights = services.weights_current()
    rows = [(company.pk, p1.pk, 1, score, {}, [], weights.pk, timezone.now())]
    with transaction.atomic():
        staged = writes.proposals_stage(rows)
        # savepoint, delete, insert, release; with a row at or above THRESHOLD_MIN one read of the old
        # strong pairs more (the notifying itself runs after commit, in a task); one statement more either
        # way: rows staged by COPY on PostgreSQL are moved by INSERT … SELECT and the staging table
        # emptied, batched rows need one look at which of their companies still exist
        with django_assert_num_queries(queries + 1):
            writes.proposals_swap([company.pk], staged)


def test_full_recompute_and_rescoring_notify_once(django_capture_on_commit_callbacks):
    """Kato Medical and the certified molder fit (SCORE); the plain molder does not."""
    buyer = CompanyFactory(
        country="JP", name_en="Kato Medical", languages="ja,en", currency="JPY",
        description_en="Medical injection molding of luer connectors and syringe barrels in a cleanroom.",
    )  # fmt: skip
    link_terms(buyer, industries=["medical-devices"], seeking=["injection-molding"], requires=["iso-13485"],
               looking_for=["supplier"])  # fmt: skip
    certified = CompanyFactory(
        name_en="Certified Molder", languages="th,en",
        description_en="Cleanroom injection molding of luer connectors and syringe barrels for medical use.",
    )  # fmt: skip
    link_terms(certified, industries=["medical-devices"], capabilities=["injection-molding"])
    add_certificate(certified, "iso-13485", expires_on=timezone.localdate() + datetime.timedelta(days=300))
    plain = CompanyFactory(name_en="Plain Molder", languages="th")
    link_terms(plain, industries=["medical-devices"], capabilities=["injection-molding"])
    kato, somchai, anan = (MembershipFactory(company=c).user for c in (buyer, certified, plain))

    with django_capture_on_commit_callbacks(execute=True):
        services.run_full_inline()
    assert MatchProposal.objects.get(company=buyer, partner=certified).score == pytest.approx(SCORE)
    told = sorted(Notification.objects.filter(kind=KIND).values_list("recipient_id", "target_id"))
    assert told == sorted([(somchai.pk, buyer.pk), (kato.pk, certified.pk)])
    assert not Notification.objects.filter(recipient=anan).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.run_full_inline()
        services.match_company(company_id=buyer.pk)
    assert Notification.objects.filter(kind=KIND).count() == 2
