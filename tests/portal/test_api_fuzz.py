"""Property-based fuzzing of the whole REST API with schemathesis, against the OpenAPI schema it serves.

The schema is loaded from ``/api/schema/`` of the Django WSGI application itself (no live server) and
every operation, reads and writes, is called with generated data:

- ``test_api_fuzz``: Hypothesis' random generation (valid and invalid data) as each role: anonymous, a
  member who owns the Thai company, a consultant assigned to it, a coordinator and a superuser, each
  with a DRF token;
- ``test_api_boundaries``: schemathesis' coverage phase (deterministic boundary values, missing and
  wrong-typed fields, unexpected methods) as the two roles whose writes get past the permission
  checks into validation and the services: the member (company, postings, proposals, meeting
  requests) and the consultant (Shindan).

A small world exists (two companies, a product of the Thai one with two photos, a posting, an
introduction, a diagnosis with an action, an event with two participants and a meeting request) and
generated ids and slugs are swapped for real ones (always in the coverage phase, half of the time when
fuzzing) so that detail endpoints and writes reach real objects, not only 404.

Every response is checked (``call_and_validate``) for: no 5xx, a documented status code, a documented
content type, a body and headers matching the schema, auth enforced where the schema requires it, no
answer but 405 to an undocumented method. Two checks are switched off, see ``_load_schema``.

``PORTAL_FUZZ_SEED=<n>`` runs other examples than CI's fixed seed, ``PORTAL_FUZZ_EXAMPLES=<n>`` more of
them (15 per operation and role by default, to keep the module around two minutes on two cores).
"""

import datetime
import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.core.parameters import ParameterLocation

from deals import services as deal_services
from events import services as event_services
from events.models import Event, Participant, ParticipantKind, ParticipantStatus
from matching.models import Introduction
from portal.accounts.services import api_token_create
from portal.postings.models import PostingStatus, PostingType
from portal.postings.services import posting_create, posting_set_status
from portal.showcase.services import photo_add, product_create
from portal.wsgi import application
from shindan import services as shindan_services
from shindan.models import Action, Assignment
from tests.factories import CompanyFactory, MembershipFactory, UserFactory, link_terms
from tests.portal import showcase_files

pytestmark = pytest.mark.django_db

SEED = int(os.environ.get("PORTAL_FUZZ_SEED", "20261126"))
MAX_EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "15"))


def _load_schema(phase: str):
    """The schema served by the app, set up to run only ``phase`` ("fuzzing" or "coverage")."""
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "phases": {name: {"enabled": name == phase} for name in ("examples", "coverage", "fuzzing")},
            # Credentials come from the role (a real token, or none): random values for the security
            # schemes' parameters (a ``sessionid`` cookie, an ``Authorization`` header) are only noise.
            "generation": {"with-security-parameters": False},
            "checks": {
                # Excluded: DRF parses leniently, by design. It accepts an empty ``?page=`` (the first
                # page), numbers for strings and "1"/"true" for booleans, ignores unknown fields and
                # query parameters, and the directory filters return nothing for an unknown
                # ``country``/``size_class``. Invalid data is still sent and every other check applies
                # (no 5xx, documented status/content type/schema).
                "negative_data_rejection": {"enabled": False},
            },
            "operations": [
                {
                    "include-method": ["POST", "PUT", "PATCH"],
                    "checks": {
                        # Excluded for writes only: data valid for the schema may still break a rule it
                        # cannot express (a company you are not a member of, a region in another
                        # country, a status transition that is not allowed, a past expiry date, a
                        # second request between the same companies, wrong credentials for a token), and
                        # the API answers 400 with a ValidationError body, as documented.
                        "positive_data_acceptance": {"enabled": False},
                    },
                }
            ],
        }
    )
    return schemathesis.openapi.from_wsgi("/api/schema/", application, config=config)


fuzz_schema = _load_schema("fuzzing")
boundary_schema = _load_schema("coverage")

HYPOTHESIS_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)

# Real identifiers of the running test's world (set by the ``world`` fixture, read while cases are
# generated, i.e. during the test).
KNOWN: dict[str, list] = {}

PATH_REFERENCES = [
    ("/api/deals/conversations/", "conversations"),
    ("/api/deals/proposals/", "deal_proposals"),
    ("/api/showcase/products/", "products"),
    ("/api/showcase/photos/", "photos"),
    ("/api/companies/", "companies"),
    ("/api/postings/", "postings"),
    ("/api/introductions/", "introductions"),
    ("/api/meeting-requests/", "meeting_requests"),
    ("/api/participants/", "participants"),
    ("/api/events/", "events"),
    ("/api/shindan/actions/", "actions"),
    ("/api/shindan/diagnoses/", "diagnoses"),
    ("/api/taxonomy/industries/", "industries"),
    ("/api/taxonomy/capabilities/", "capabilities"),
    ("/api/taxonomy/certifications/", "certifications"),
    ("/api/taxonomy/looking-for/", "looking_for"),
    ("/api/taxonomy/regions/", "regions"),
]
BODY_REFERENCES = {
    "company": "companies",
    "partner": "companies",
    "sender": "participants",
    "recipient": "participants",
    "posting": "needs",
}


def _real_values(case) -> tuple[dict[str, list], dict[str, list]]:
    """Real values that may replace the case's path parameters and the ids in its body, by name.

    Only where the value was generated valid: an invalid path parameter or body stays as generated.
    """
    path_values, body_values = {}, {}
    meta = case.meta
    if meta is None:
        return path_values, body_values
    if not meta.is_negative_at(ParameterLocation.PATH):
        for name in case.path_parameters or {}:
            key = "companies" if name == "company" else None
            key = key or next(
                (k for prefix, k in PATH_REFERENCES if case.operation.path.startswith(prefix)), None
            )
            if KNOWN.get(key):
                path_values[name] = KNOWN[key]
    if meta.generation.mode.is_positive and isinstance(case.body, dict):
        for name, key in BODY_REFERENCES.items():
            if isinstance(case.body.get(name), int) and KNOWN.get(key):
                body_values[name] = KNOWN[key]
    return path_values, body_values


def _replace(case, path_values: dict, body_values: dict):
    if path_values:
        case.path_parameters = {**case.path_parameters, **path_values}
    if body_values:
        case.body = {**case.body, **body_values}
    return case


@fuzz_schema.hook
def flatmap_case(context, case):
    """Half of the fuzzed cases use real objects."""
    path_values, body_values = _real_values(case)
    if not path_values and not body_values:
        return st.just(case)
    real = st.fixed_dictionaries(
        {
            "path_values": st.fixed_dictionaries({k: st.sampled_from(v) for k, v in path_values.items()}),
            "body_values": st.fixed_dictionaries({k: st.sampled_from(v) for k, v in body_values.items()}),
        }
    )
    return st.one_of(st.just(case), real.map(lambda values: _replace(case, **values)))


def _with_first_real_objects(case):
    """Boundary cases always use the first real object (the Thai company's, which the roles act on).

    Not a hook: the coverage phase builds its cases when the tests are collected, before any world.
    """
    path_values, body_values = _real_values(case)
    return _replace(
        case, {k: v[0] for k, v in path_values.items()}, {k: v[0] for k, v in body_values.items()}
    )


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Like Django's test client: a request must not close the connection that holds the test's
    transaction (Django closes it at each request's start and end as "obsolete", since autocommit is
    off inside the transaction; on PostgreSQL the next query would fail, on SQLite in memory it cannot)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def world():
    today = timezone.localdate()
    thai = CompanyFactory(name_en="Siam Precision Co., Ltd.", name_th="บริษัท สยามพรีซิชั่น จำกัด")
    link_terms(thai, industries=["medical-devices"], capabilities=["cnc-machining"], looking_for=["customer"])
    japanese = CompanyFactory(
        country="JP", name_en="Kansai Robotics K.K.", name_ja="関西ロボティクス株式会社"
    )
    member = MembershipFactory(company=thai).user
    japanese_member = MembershipFactory(company=japanese).user
    consultant = UserFactory(role="consultant")
    Assignment.objects.create(consultant=consultant, company=thai, starts_on=datetime.date(2020, 1, 1))

    posting = posting_create(
        company=thai, type=PostingType.SUPPLY_OFFER, title_en="Precision CNC parts", body_en="ISO 9001"
    )
    posting_set_status(posting=posting, status=PostingStatus.PUBLISHED)
    introduction = Introduction.objects.create(
        thai_company=thai, japanese_company=japanese, requesting_company=japanese, stage="introduced"
    )
    diagnosis = shindan_services.diagnosis_create(actor=consultant, company=thai, purpose="Export readiness")
    action = shindan_services.action_add(
        actor=consultant, diagnosis=diagnosis, what="5S audits", owner="Plant manager", due_on=today
    )
    event = Event.objects.create(
        slug="expo",
        name_en="Industry Expo",
        venue_en="BITEC",
        organiser_en="DIP",
        starts_on=today + datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=31),
    )
    thai_participant, japanese_participant = (
        Participant.objects.create(
            event=event, company=company, kind=kind, status=ParticipantStatus.CONFIRMED
        )
        for company, kind in ((thai, ParticipantKind.EXHIBITOR), (japanese, ParticipantKind.DELEGATE))
    )
    meeting_request = event_services.meeting_request_create(
        actor=japanese_member, sender=japanese_participant, recipient=thai_participant, message="Hello"
    )
    conversation = deal_services.conversation_open(company=thai, partner=japanese, actor=member)[0]
    deal_services.message_send(conversation=conversation, actor=japanese_member, text="こんにちは")
    need = posting_create(company=thai, type=PostingType.SUPPLY_NEED, title_en="Housings", body_en="ABS")
    need = posting_set_status(posting=need, status=PostingStatus.PUBLISHED)
    deal_proposal = deal_services.proposal_submit(
        posting=need, company=japanese, actor=japanese_member, offer="We mold ABS", lead_time_days=20
    )
    product = product_create(company=thai, name_en="Aluminium gear", name_th="เฟืองอะลูมิเนียม")
    photos = [photo_add(product=product, upload=showcase_files.jpeg()) for _ in range(2)]
    KNOWN.update(
        products=[product.pk],
        photos=[photo.pk for photo in photos],
        conversations=[conversation.pk],
        deal_proposals=[deal_proposal.pk],
        needs=[need.pk],
        companies=[thai.pk, japanese.pk],
        postings=[posting.pk],
        introductions=[introduction.pk],
        meeting_requests=[meeting_request.pk],
        participants=[thai_participant.pk, japanese_participant.pk],
        events=[event.slug],
        actions=[action.pk],
        diagnoses=[diagnosis.pk],
        industries=["medical-devices"],
        capabilities=["cnc-machining"],
        certifications=["iso-9001"],
        looking_for=["customer"],
        regions=["TH-10"],
    )
    yield {
        "anonymous": None,
        "member": member,
        "consultant": consultant,
        "coordinator": UserFactory(role="coordinator"),
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }
    KNOWN.clear()


def _token(user) -> dict:
    return {} if user is None else {"Authorization": f"Token {api_token_create(user=user, name='fuzz')[1]}"}


@pytest.fixture
def auth(world, role) -> dict:
    return _token(world[role])


@pytest.mark.parametrize("role", ["anonymous", "member", "consultant", "coordinator", "admin"])
@fuzz_schema.parametrize()
@HYPOTHESIS_SETTINGS
def test_api_fuzz(case, auth):
    case.call_and_validate(headers=auth)


@pytest.mark.parametrize("role", ["member", "consultant"])
@boundary_schema.parametrize()
@HYPOTHESIS_SETTINGS
def test_api_boundaries(case, auth):
    _with_first_real_objects(case).call_and_validate(headers=auth)


# What the fuzzing found, pinned down (it would only find them again by chance).


def test_a_nul_character_in_a_directory_filter_matches_nothing(world, client):
    for query in ("q=Siam%00", "industry=medical-devices%00", "region=%00"):
        response = client.get(f"/api/companies/?{query}")
        assert response.status_code == 200, query  # PostgreSQL refused the query: 500
        assert response.json()["count"] == 0


def test_an_api_url_that_matches_no_route_answers_json(client):
    response = client.get("/api/participants/0.5/agenda/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_patching_an_action_without_a_status_keeps_it(world, client):
    action = Action.objects.get(pk=KNOWN["actions"][0])
    response = client.patch(
        f"/api/shindan/actions/{action.pk}/",
        {"note": "Audits started"},
        content_type="application/json",
        headers=_token(world["consultant"]),
    )
    assert response.status_code == 200
    assert response.json()["status"] == action.status
    assert action.updates.get().note == "Audits started"


@pytest.mark.parametrize(("language", "expected"), [("en", "Not found."), ("ja", "見つかりませんでした。")])
def test_a_missing_object_is_not_found_in_the_readers_language_without_the_models_name(
    client, language, expected
):
    """``get_object_or_404`` words its 404 in English and names the model: the API says DRF's own words."""
    client.force_login(UserFactory(role="coordinator", language=language))

    response = client.get("/api/introductions/999999/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 404
    assert response.json() == {"detail": expected}
