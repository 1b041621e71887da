"""Matching demo data (``seed_demo``, after the full run): mutual interests between demo companies that
propose each other, so that the coordinators' dashboard, the members' recommendations ("Mutual interest")
and the notifications show them. Idempotent: a pair already marked is left as it is."""

from django.db import transaction

from matching.models import Interest, MatchProposal
from matching.services import interest_set
from portal.companies.models import Company, MembershipRole

MUTUAL_PAIRS = 6  # Thai demo companies (TH-DEMO-001, …) that get a mutual interest with their best partner


def _owner(company: Company):
    membership = company.memberships.filter(role=MembershipRole.OWNER).select_related("user").first()
    return membership.user if membership else None


@transaction.atomic
def matching_demo_seed() -> int:
    """Returns the number of mutual interests created: each of the first Thai demo companies and the best
    Japanese partner of its list that lists it too, interested in each other."""
    created = 0
    thai = Company.objects.filter(external_id__startswith="TH-DEMO-").order_by("external_id")[:MUTUAL_PAIRS]
    for company in thai:
        ranked = MatchProposal.objects.filter(company=company).order_by("rank").select_related("partner")
        partner = next(
            (
                proposal.partner
                for proposal in ranked
                if MatchProposal.objects.filter(company=proposal.partner, partner=company).exists()
            ),
            None,
        )
        if partner is None or Interest.objects.filter(company=company, partner=partner).exists():
            continue
        interest_set(company=company, partner=partner, actor=_owner(company), interested=True)
        interest_set(company=partner, partner=company, actor=_owner(partner), interested=True)
        created += 1
    return created
