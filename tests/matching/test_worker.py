"""With PostgreSQL, Redis and a real Celery worker (CI): an edit changes recommendations within seconds."""

import time

import pytest

from matching import services
from matching.models import MatchProposal
from portal.companies.services import company_update_profile
from portal.taxonomy.models import Capability, Industry
from tests.factories import CompanyFactory, add_certificate, link_terms
from tests.waiting import wait_for


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_editing_a_profile_changes_recommendations_through_the_worker():
    buyer = CompanyFactory(country="JP", name_en="Kato Medical", languages="ja,en")
    link_terms(buyer, industries=["medical-devices"], seeking=["injection-molding"], requires=["iso-13485"])
    molder = CompanyFactory(name_en="Molder", languages="th,en")
    link_terms(molder, industries=["medical-devices"], capabilities=["injection-molding"])
    add_certificate(molder, "iso-13485")
    newcomer = CompanyFactory(name_en="Newcomer", languages="th")
    link_terms(newcomer, industries=["food"])
    services.run_full_inline()
    assert MatchProposal.objects.filter(company=buyer).order_by("rank").first().partner == molder
    before = MatchProposal.objects.get(company=buyer, partner=newcomer).score
    start = time.monotonic()

    # The newcomer becomes a certified medical molder: after commit, the worker rescores it.
    company_update_profile(
        company=newcomer,
        industries=list(Industry.objects.filter(slug="medical-devices")),
        capabilities=list(Capability.objects.filter(slug__in=["injection-molding", "cleanroom-assembly"])),
        languages="th,ja,en",
    )

    def rescored():
        proposal = MatchProposal.objects.filter(company=buyer, partner=newcomer).first()
        return proposal is not None and proposal.score > before + 10

    assert wait_for(rescored), "the worker did not rescore the edited company"
    assert time.monotonic() - start < 45
    assert MatchProposal.objects.get(company=newcomer, partner=buyer).score > before + 10
