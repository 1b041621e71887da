"""factory_boy factories: no surprising defaults (users are active, verified, with no role)."""

import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from stdnum.jp import cn as jp_cn
from stdnum.th import moa as th_moa

from portal.accounts.models import Role, User
from portal.accounts.services import user_grant_role
from portal.companies.models import Company, Membership, MembershipRole, VerificationStatus

PASSWORD = "correct-horse-battery-42"


def thai_registration_number(n: int) -> str:
    base = f"0{10550000000 + n:011d}"
    return base + th_moa.calc_check_digit(base)


def japanese_registration_number(n: int) -> str:
    base = f"{11000000000 + n:012d}"
    return jp_cn.calc_check_digit(base) + base


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    language = ""

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if create and extracted:
            user_grant_role(user=obj, role=Role(extracted))


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    country = "TH"
    name_en = factory.Sequence(lambda n: f"Company {n} Co., Ltd.")
    registration_no = factory.LazyAttributeSequence(
        lambda o, n: thai_registration_number(n) if o.country == "TH" else japanese_registration_number(n)
    )
    verification_status = VerificationStatus.VERIFIED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = MembershipRole.OWNER


def add_certificate(company, slug: str, *, expires_on=None, number: str = ""):
    from portal.companies.models import CompanyCertification
    from portal.taxonomy.models import Certification

    return CompanyCertification.objects.create(
        company=company,
        certification=Certification.objects.get(slug=slug),
        expires_on=expires_on,
        number=number,
    )


def link_terms(company, **slugs):
    """Set taxonomy links (``industries=["medical-devices"]``…) and refresh the derived fields."""
    from portal.companies.services import company_refresh_derived
    from portal.taxonomy.models import Capability, Certification, Industry, LookingFor

    models = {
        "industries": Industry,
        "capabilities": Capability,
        "seeking": Capability,
        "requires": Certification,
        "looking_for": LookingFor,
    }
    for field, values in slugs.items():
        getattr(company, field).set(models[field].objects.filter(slug__in=values))
    return company_refresh_derived(company=company)


# --- Events ------------------------------------------------------------------------------------------
# An event a month ahead (requests open), its meeting days with their slots, participants that have
# confirmed, and pending meeting requests. Defaults are what a coordinator would enter; nothing is
# scheduled or published.


def _in_days(days: int) -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=days)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Event"
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"expo-{n}")
    name_en = factory.Sequence(lambda n: f"Industry Expo {n}")
    venue_en = "BITEC"
    organiser_en = "DIP"
    starts_on = factory.LazyFunction(lambda: _in_days(30))
    ends_on = factory.LazyAttribute(lambda event: event.starts_on + datetime.timedelta(days=2))
    scheduler_seconds = 5


class MeetingDayFactory(factory.django.DjangoModelFactory):
    """Saved through ``events.services.meeting_day_save``, so the day has its slots."""

    class Meta:
        model = "events.MeetingDay"

    event = factory.SubFactory(EventFactory)
    date = factory.LazyAttribute(lambda day: day.event.starts_on)
    starts_at = datetime.time(9, 0)
    ends_at = datetime.time(11, 0)
    slot_minutes = 30
    breaks = factory.LazyFunction(list)
    tables = 2

    @classmethod
    def _create(cls, model_class, *args, event, **fields):
        from events import services

        return services.meeting_day_save(event=event, **fields)


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Delegation"

    event = factory.SubFactory(EventFactory)
    name_en = "SMRJ delegation"
    country = "JP"


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A confirmed participant: an exhibitor for a Thai company, a delegate for another."""

    class Meta:
        model = "events.Participant"

    event = factory.SubFactory(EventFactory)
    company = factory.SubFactory(CompanyFactory)
    kind = factory.LazyAttribute(lambda p: "exhibitor" if p.company.country == "TH" else "delegate")
    status = "confirmed"
    delegation = None


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    """A pending request from ``sender`` to ``recipient`` (participants of one event), as
    ``events.services.meeting_request_create`` writes it."""

    class Meta:
        model = "events.MeetingRequest"

    sender = factory.SubFactory(ParticipantFactory, company__country="JP")
    recipient = factory.SubFactory(
        ParticipantFactory, event=factory.SelfAttribute("..sender.event"), company__country="TH"
    )
    event = factory.SelfAttribute("sender.event")
    low = factory.LazyAttribute(lambda r: min(r.sender, r.recipient, key=lambda p: p.pk))
    high = factory.LazyAttribute(lambda r: max(r.sender, r.recipient, key=lambda p: p.pk))
    message = ""
    status = "pending"
    expires_at = factory.LazyAttribute(
        lambda r: timezone.now() + datetime.timedelta(hours=r.event.request_expiry_hours)
    )


class MatchProposalFactory(factory.django.DjangoModelFactory):
    """A stored match proposal: ``partner`` is ``company``'s next-ranked match (the rank follows the ones
    the company already has), with the current weights and no components or reasons unless given."""

    class Meta:
        model = "matching.MatchProposal"

    company = factory.SubFactory(CompanyFactory, country="JP")
    partner = factory.SubFactory(CompanyFactory, country="TH")
    rank = factory.LazyAttribute(lambda o: o.company.proposals.count() + 1)
    score = 50.0
    components = factory.LazyFunction(dict)
    reasons = factory.LazyFunction(list)
    weights = factory.LazyFunction(lambda: _matching_weights())
    computed_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))


def _matching_weights():
    from matching.models import MatchingWeights

    return MatchingWeights.objects.first()


class DiagnosisFactory(factory.Factory):
    """A Shindan diagnosis made through the services (so its history and stage changes are real) by a
    consultant assigned to the company (one is made when none is given).

    ``DiagnosisFactory()`` is requested; ``DiagnosisFactory(reported=True)`` is scored throughout with
    ``value``, has the statements of the ``statements`` years, its report written and is reported."""

    class Meta:
        model = "shindan.Diagnosis"

    company = factory.SubFactory(CompanyFactory)
    consultant = None
    requested_on = None  # today
    reported = False
    value = "3"
    statements = (2024, 2025)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("A diagnosis is made through the services: use DiagnosisFactory().")

    @classmethod
    def _create(cls, model_class, *, company, consultant, requested_on, reported, value, statements, **texts):
        from shindan import services
        from tests.shindan.helpers import assigned_consultant, score_all, statement_values, write_report

        consultant = consultant or assigned_consultant(company)
        diagnosis = services.diagnosis_create(
            actor=consultant, company=company, requested_on=requested_on, **texts
        )
        if not reported:
            return diagnosis
        score_all(diagnosis, consultant, value)
        for year in statements:
            services.statement_save(actor=consultant, diagnosis=diagnosis, **statement_values(year))
        write_report(diagnosis, consultant)
        for stage in ("pre_survey", "site_visit", "analysis", "reporting", "reported"):
            diagnosis = services.diagnosis_transition(
                actor=consultant, diagnosis=diagnosis, to_stage=stage, on=diagnosis.requested_on
            )
        return diagnosis
