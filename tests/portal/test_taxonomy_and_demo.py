"""The taxonomy loaded by migration and the demo data."""

import pytest
from django.core.management import call_command
from django.db.models import F
from stdnum.jp import cn
from stdnum.th import moa

from portal.companies.models import Company, VerificationStatus
from portal.postings.models import Posting
from portal.taxonomy.models import Capability, Certification, Industry, LookingFor, Region

pytestmark = pytest.mark.django_db

DOMAIN_INDUSTRIES = [
    "medical-devices",
    "robotics-automation",
    "aerospace-parts",
    "automotive",
    "electronics",
    "medical-wellness",
    "agri-biotech",
    "food",
    "logistics",
    "biochemicals",
    "digital",
    "defence",
    "education",
]
DOMAIN_CAPABILITIES = [
    "cnc-machining",
    "injection-molding",
    "sheet-metal",
    "casting",
    "forging",
    "die-and-mold",
    "surface-treatment",
    "heat-treatment",
    "welding",
    "pcb-assembly",
    "electronics-design",
    "cable-harness",
    "rubber-parts",
    "cleanroom-assembly",
    "sterilization",
    "system-integration",
    "machine-building",
    "embedded-software",
    "iot-software",
    "testing-inspection",
    "composite-materials",
    "additive-manufacturing",
    "contract-rnd",
    "distribution",
    "logistics-warehousing",
    "oem-assembly",
]
DOMAIN_CERTIFICATIONS = [
    "iso-9001",
    "iso-14001",
    "iso-13485",
    "iatf-16949",
    "as9100",
    "jis-q-9100",
    "iso-45001",
    "nadcap",
    "thai-fda",
    "pmda",
    "ce",
    "tis",
    "jis",
    "iso-10218",
]
DOMAIN_LOOKING_FOR = [
    "supplier",
    "customer",
    "oem-partner",
    "joint-venture",
    "distributor",
    "technology-partner",
    "investment-site",
]


def test_taxonomy_has_exactly_the_domain_slugs_with_three_names():
    from portal.taxonomy import leaves

    stated_in_text = [
        "jis-q-13485",
        "gmp",
        "haccp",
        "iso-22000",
        "halal",
        "fda-510k",
        "iso-27001",
        "iso-17025",
    ]
    second_level = [term.slug for term in leaves.terms()]  # taxonomy migration 0005
    for model, slugs in [
        (Industry, DOMAIN_INDUSTRIES),
        (Capability, DOMAIN_CAPABILITIES + second_level),
        (Certification, DOMAIN_CERTIFICATIONS + stated_in_text),  # taxonomy migration 0004
        (LookingFor, DOMAIN_LOOKING_FOR),
    ]:
        assert sorted(model.objects.values_list("slug", flat=True)) == sorted(slugs)
        assert not model.objects.filter(name_en="").exists()
        assert not model.objects.filter(name_th="").exists()
        assert not model.objects.filter(name_ja="").exists()


def test_focus_industries_isic_codes_and_equivalence():
    focus = {i.slug: i.isic_list for i in Industry.objects.filter(is_focus=True)}

    assert focus == {
        "medical-devices": ["3250", "2660"],
        "robotics-automation": ["2829", "2790", "2651", "3320"],
        "aerospace-parts": ["3030", "3315"],
    }
    assert Certification.objects.get(slug="jis-q-9100").canonical_slug == "as9100"
    assert Certification.objects.get(slug="as9100").canonical_slug == "as9100"


def test_regions_cover_thailand_and_japan_and_the_eec():
    assert Region.objects.filter(country="TH").count() == 77
    assert Region.objects.filter(country="JP").count() == 47
    assert sorted(Region.objects.in_eec().values_list("code", flat=True)) == ["TH-20", "TH-21", "TH-24"]
    bangkok = Region.objects.get(code="TH-10")
    assert (bangkok.name_en, bangkok.name_th) == ("Bangkok", "กรุงเทพมหานคร")
    assert Region.objects.get(code="JP-13").name_ja == "東京都"


@pytest.fixture
def embedded(settings):
    settings.DEBUG = True  # pytest-django runs with DEBUG off; seed_demo is for the embedded default


def test_seed_demo_refuses_production():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="DEBUG=0"):
        call_command("seed_demo")
    assert Company.objects.count() == 0


def test_seed_demo_loads_realistic_valid_companies_and_is_idempotent(embedded, capsys):
    call_command("seed_demo")
    first = (Company.objects.count(), Posting.objects.count())
    call_command("seed_demo")

    assert (Company.objects.count(), Posting.objects.count()) == first
    assert Company.objects.filter(country="TH").count() == 40
    assert Company.objects.filter(country="JP").count() == 30
    assert not Company.objects.exclude(verification_status=VerificationStatus.VERIFIED).exists()
    for company in Company.objects.all():
        assert (moa if company.country == "TH" else cn).is_valid(company.registration_no)
    for slug in ["medical-devices", "robotics-automation", "aerospace-parts"]:
        assert Company.objects.filter(country="TH", industries__slug=slug).count() >= 5
        assert Company.objects.filter(country="JP", industries__slug=slug).count() >= 5
    assert Posting.objects.live().count() == first[1] > 0
    assert (
        Company.objects.get(external_id="TH-DEMO-001").memberships.get().user.email == "owner.th@demo.example"
    )
    out = capsys.readouterr().out
    assert "Demo logins" in out
    assert "Mutual interests: 6 created." in out
    assert "Mutual interests: 0 created." in out  # the second run
    _assert_demo_mutual_interests()
    from portal.accounts.models import User
    from portal.privacy.services import needs_consent

    for user in User.objects.filter(email__endswith="@demo.example"):  # as after sign-up, given once
        assert not needs_consent(user), user.email
        assert user.consents.count() == 2


def _assert_demo_mutual_interests():
    """Six Thai demo companies and a partner whose list holds it, interested in each other: the coordinators'
    dashboard lists them and both sides were told."""
    from matching.models import Interest, MatchProposal
    from portal.notifications.models import Notification

    mutual = Interest.objects.filter(interested=True, company__country="TH").filter(
        partner__interests__partner=F("company"), partner__interests__interested=True
    )
    assert mutual.count() == Interest.objects.count() / 2 == 6
    for interest in mutual:
        assert MatchProposal.objects.filter(company=interest.company, partner=interest.partner).exists()
        assert MatchProposal.objects.filter(company=interest.partner, partner=interest.company).exists()
    owner = Company.objects.get(external_id="TH-DEMO-001").memberships.get().user
    assert Notification.objects.filter(recipient=owner, kind="matching.mutual_interest").count() == 1


def test_seed_demo_scale_adds_synthetic_companies_per_country(embedded):
    call_command("seed_demo", scale=25)

    assert Company.objects.filter(external_id__startswith="TH-SYN-").count() == 25
    assert Company.objects.filter(external_id__startswith="JP-SYN-").count() == 25
    call_command("seed_demo", scale=25)
    assert Company.objects.filter(external_id__contains="-SYN-").count() == 50


def test_second_level_terms_hang_under_their_parents():
    from portal.taxonomy import leaves

    assert sorted(Capability.objects.filter(kind="").values_list("slug", flat=True)) == sorted(
        DOMAIN_CAPABILITIES
    )
    parents = dict(Capability.objects.exclude(parent=None).values_list("slug", "parent__slug"))
    assert parents == leaves.parent_of()
    assert Capability.objects.get(slug="five-axis-machining").parent.slug == "cnc-machining"
    assert Capability.objects.get(slug="titanium-ti6al4v").parent.kind == "material"
