"""The authorization matrix: every URL pattern and API endpoint against every role.

Each route lists the roles that may GET it (they get 200; a POST-only route answers them 405) and the
roles that may POST to it. Everybody else is denied — anonymous visitors are sent to log in (302) or get
401/403 from the API, signed-in users get 404 (the same answer as for something that does not exist) —
and a denied request changes nothing in the database. A URL pattern without an entry here fails the test,
so a new page cannot ship without deciding who may use it.

Roles: anonymous; member_a (owner of Thai company A, diagnosed and exhibiting); member_b (owner of
Japanese company B, in the delegation); consultant (assigned to A, on its diagnosis); other_consultant
(not assigned); coordinator; admin (superuser).
"""

import datetime
import functools
import hashlib
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from deals import services as deal_services
from events import services as event_services
from events.models import Event, Meeting, Participant, ParticipantKind, ParticipantStatus, ScheduleRun
from matching.models import Introduction
from portal.accounts.models import ApiToken
from portal.accounts.services import api_token_create
from portal.companies.models import ImportJob, JoinRequest
from portal.notifications.unsubscribe import make_token
from portal.postings.models import Posting, PostingType
from portal.privacy.models import DataRequest
from portal.showcase.services import brochure_add, photo_add, product_create, product_moderate
from shindan import services as shindan_services
from shindan.models import Assignment
from tests.factories import PASSWORD, CompanyFactory, MembershipFactory, UserFactory
from tests.portal import showcase_files
from tests.shindan.helpers import reported_diagnosis

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member_a", "member_b", "consultant", "other_consultant", "coordinator", "admin"]
ALL = set(ROLES)
SIGNED_IN = ALL - {"anonymous"}
STAFF = {"coordinator", "admin"}
NOBODY: set[str] = set()


@pytest.fixture
def world():
    a = CompanyFactory(name_en="Siam Precision", country="TH", languages="th,ja")
    b = CompanyFactory(name_en="Kato Medical", country="JP", languages="ja")
    member_a = MembershipFactory(company=a).user
    member_b = MembershipFactory(company=b).user
    diagnosis = reported_diagnosis(a)
    consultant = diagnosis.consultants.get()
    shindan_services.revision_open(actor=consultant, diagnosis=diagnosis, reason="plan")
    action = shindan_services.action_add(
        actor=consultant,
        diagnosis=diagnosis,
        what="5S",
        owner="Plant manager",
        due_on=datetime.date(2027, 1, 1),
    )
    shindan_services.revision_issue(actor=consultant, diagnosis=diagnosis)
    users = {
        "anonymous": None,
        "member_a": member_a,
        "member_b": member_b,
        "consultant": consultant,
        "other_consultant": UserFactory(role="consultant"),
        "coordinator": UserFactory(role="coordinator"),
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }
    today = datetime.date.today()  # noqa: DTZ011
    event = Event.objects.create(
        slug="expo", name_en="Expo", venue_en="BITEC", organiser_en="DIP",
        starts_on=today + datetime.timedelta(days=9), ends_on=today + datetime.timedelta(days=10),
        scheduler_seconds=2,
    )  # fmt: skip
    event_services.meeting_day_save(
        event=event, date=event.starts_on, starts_at=datetime.time(9), ends_at=datetime.time(10),
        slot_minutes=30, breaks=[], tables=2,
    )  # fmt: skip
    part_a = Participant.objects.create(
        event=event, company=a, kind=ParticipantKind.EXHIBITOR, status=ParticipantStatus.CONFIRMED
    )
    part_b = Participant.objects.create(
        event=event, company=b, kind=ParticipantKind.DELEGATE, status=ParticipantStatus.CONFIRMED
    )
    delegation = event.delegations.create(name_en="SMRJ delegation")
    request = event_services.meeting_request_create(actor=member_b, sender=part_b, recipient=part_a)
    event_services.meeting_request_respond(actor=member_a, meeting_request=request, accept=True)
    run = event_services.schedule_run_solve(run_id=ScheduleRun.objects.create(event=event).pk)
    event_services.schedule_run_publish(actor=None, run=run)
    posting = Posting.objects.create(
        company=a, type=PostingType.SUPPLY_OFFER, title_en="Molding capacity", status="published",
        published_at=datetime.datetime.now(datetime.UTC),
    )  # fmt: skip
    join = JoinRequest.objects.create(user=UserFactory(), company=a)
    introduction = Introduction.objects.create(thai_company=a, japanese_company=b, requesting_company=b)
    data_request = DataRequest.objects.create(kind="access", email="x@example.com", due_on=today)
    # deals: a conversation of A and B where A asked a coordinator to interpret (so coordinators may read
    # it), a message with a file, a need of A with B's proposal, and a report
    conversation = deal_services.conversation_open(company=a, partner=b, actor=member_a)[0]
    deal_message = deal_services.message_send(
        conversation=conversation, actor=member_a, text="Hello",
        files=[SimpleUploadedFile("d.pdf", b"%PDF-1.7 x")],
    )  # fmt: skip
    deal_invite = deal_services.coordinator_invite(
        conversation=conversation, actor=member_a, kind="interpret"
    )
    deal_report = deal_services.abuse_report(conversation=conversation, actor=member_a, reason="Spam")
    need = Posting.objects.create(
        company=a, type=PostingType.SUPPLY_NEED, title_en="Housings", status="published",
        published_at=datetime.datetime.now(datetime.UTC),
    )  # fmt: skip
    deal_proposal = deal_services.proposal_submit(
        posting=need, company=b, actor=member_b, offer="We can", lead_time_days=10
    )
    product = product_create(company=a, name_en="Injection moulds")
    photo = photo_add(product=product, upload=showcase_files.jpeg())
    brochure = brochure_add(product=product, upload=showcase_files.pdf(), title="Catalogue")
    hidden_product = product_create(company=a, name_en="Withdrawn part")
    product_moderate(product=hidden_product, actor=users["coordinator"], hidden=True, reason="Spam")
    return {
        "conversation": conversation,
        "deal_message": deal_message,
        "deal_attachment": deal_message.attachments.get(),
        "deal_invite": deal_invite,
        "deal_report": deal_report,
        "need": need,
        "deal_proposal": deal_proposal,
        "notification_b": member_b.notifications.filter(kind="deals.message").get(),
        "unsubscribe_b": make_token(user=member_b, kind="deals.message"),
        "users": users,
        "a": a,
        "b": b,
        "diagnosis": diagnosis,
        "action": action,
        "statement": diagnosis.statements.first(),
        "score": diagnosis.item_scores.first(),
        "assignment": Assignment.objects.get(consultant=consultant),
        "event": event,
        "part_a": part_a,
        "part_b": part_b,
        "delegation": delegation,
        "request": request,
        "run": run,
        "meeting": Meeting.objects.get(),
        "posting": posting,
        "join": join,
        "introduction": introduction,
        "membership_a": a.memberships.first(),
        "product": product,
        "hidden_product": hidden_product,
        "photo": photo,
        "brochure": brochure,
        "data_request": data_request,
        "checklist": diagnosis.checklist,
        "token_a": api_token_create(user=member_a, name="Member A's script")[0],
        "import_job": ImportJob.objects.create(filename="companies.csv", created_by=users["coordinator"]),
    }


def R(kwargs=None, get=NOBODY, post=NOBODY, post_only=False, get_status=200):  # noqa: N802 - a table row
    return {"kwargs": kwargs or (lambda w: {}), "get": set(get), "post": set(post), "post_only": post_only,
            "get_status": get_status}  # fmt: skip


D = lambda w: {"pk": w["diagnosis"].pk}  # noqa: E731
E = lambda w: {"slug": w["event"].slug}  # noqa: E731
WORK = {"consultant", "coordinator", "admin"}  # a diagnosis' working pages
WRITE = {"consultant", "admin"}  # changing a diagnosis (the admin may do everything)
MANAGE = STAFF
B_SIDE = {"member_b", "admin"}  # acting for company B's participation (the admin may do everything)
CREATE = {"consultant", "admin"}
BOTH = {"member_a", "member_b"}  # the two companies of the deals conversation
C = lambda w: {"pk": w["conversation"].pk}  # noqa: E731
DM = lambda w: {"pk": w["deal_message"].pk}  # noqa: E731

P = lambda w: {"pk": w["product"].pk}  # noqa: E731
A_SIDE = {"member_a"} | STAFF  # company A's members and the staff

ROUTES = {
    "home": R(get=ALL),
    "robots": R(get=ALL),
    "sitemap": R(get=ALL),
    "public:directory": R(lambda w: {"lang": "th"}, get=ALL),
    "public:company": R(lambda w: {"lang": "ja", "pk": w["a"].pk}, get=ALL),
    "public:posting": R(lambda w: {"lang": "en", "pk": w["posting"].pk}, get=ALL),
    "public:event": R(lambda w: {"lang": "th", "slug": w["event"].slug}, get=ALL),
    "showcase:manage": R(lambda w: {"company_pk": w["a"].pk}, get=A_SIDE),
    "showcase:new": R(lambda w: {"company_pk": w["a"].pk}, get=A_SIDE, post=A_SIDE),
    "showcase:detail": R(P, get=ALL),
    "showcase:edit": R(P, get=A_SIDE, post=A_SIDE),
    "showcase:delete": R(P, post=A_SIDE, post_only=True),
    "showcase:move": R(P, post=A_SIDE, post_only=True),
    "showcase:moderation": R(P, post=STAFF, post_only=True),
    "showcase:photo_add": R(P, post=A_SIDE, post_only=True),
    "showcase:photo_delete": R(lambda w: {"pk": w["photo"].pk}, post=A_SIDE, post_only=True),
    "showcase:photo_move": R(lambda w: {"pk": w["photo"].pk}, post=A_SIDE, post_only=True),
    "showcase:brochure_add": R(P, post=A_SIDE, post_only=True),
    "showcase:brochure_delete": R(lambda w: {"pk": w["brochure"].pk}, post=A_SIDE, post_only=True),
    "showcase:brochure": R(lambda w: {"pk": w["brochure"].pk}, get=ALL),
    "showcase:file": R(lambda w: {"name": w["photo"].thumbnail.name.removeprefix("showcase/")}, get=ALL),
    "healthz": R(get=ALL),
    "dashboard": R(get=SIGNED_IN),
    "set_language": R(post=ALL, post_only=True),
    "account_preferences": R(get=SIGNED_IN, post=SIGNED_IN),
    "account_api_tokens": R(get=SIGNED_IN, post=SIGNED_IN),
    "account_token_revoke": R(lambda w: {"pk": w["token_a"].pk}, post={"member_a"}, post_only=True),
    "privacy_notice": R(get=ALL),
    "my_privacy": R(get=SIGNED_IN, post=SIGNED_IN),
    "privacy_consent": R(post=SIGNED_IN, post_only=True),
    "privacy_download": R(get=SIGNED_IN),
    "privacy_delete": R(post=SIGNED_IN, post_only=True),
    "privacy_requests": R(get=STAFF, post=STAFF),
    "privacy_request": R(lambda w: {"pk": w["data_request"].pk}, post=STAFF, post_only=True),
    "companies:directory": R(get=ALL),
    "companies:suggestions": R(get=ALL),
    "companies:detail": R(lambda w: {"pk": w["a"].pk}, get=ALL),
    "companies:start": R(get=SIGNED_IN, post=SIGNED_IN),
    "companies:join": R(post=SIGNED_IN, post_only=True),
    "companies:edit": R(
        lambda w: {"pk": w["a"].pk, "step": "about"}, get={"member_a"} | STAFF, post={"member_a"} | STAFF
    ),
    "companies:members": R(lambda w: {"pk": w["a"].pk}, get={"member_a"} | STAFF, post={"member_a"} | STAFF),
    "companies:membership": R(
        lambda w: {"pk": w["a"].pk, "membership_pk": w["membership_a"].pk},
        post={"member_a"} | STAFF,
        post_only=True,
    ),
    "companies:join_answer": R(
        lambda w: {"pk": w["a"].pk, "request_pk": w["join"].pk}, post={"member_a"} | STAFF, post_only=True
    ),
    "companies:vetting": R(get=STAFF),
    "companies:vetting_decide": R(lambda w: {"pk": w["a"].pk}, post=STAFF, post_only=True),
    "companies:import": R(get=STAFF, post=STAFF),
    "companies:export": R(lambda w: {"fmt": "csv"}, get=STAFF),
    "companies:import_job": R(lambda w: {"pk": w["import_job"].pk}, get=STAFF),
    "companies:import_job_status": R(lambda w: {"pk": w["import_job"].pk}, get=STAFF),
    "postings:list": R(get=ALL),
    "postings:detail": R(lambda w: {"pk": w["posting"].pk}, get=ALL),
    "postings:edit": R(
        lambda w: {"pk": w["posting"].pk}, get={"member_a"} | STAFF, post={"member_a"} | STAFF
    ),
    "postings:status": R(lambda w: {"pk": w["posting"].pk}, post={"member_a"} | STAFF, post_only=True),
    "postings:moderation": R(lambda w: {"pk": w["posting"].pk}, post=STAFF, post_only=True),
    "postings:company": R(lambda w: {"company_pk": w["a"].pk}, get={"member_a"} | STAFF),
    "postings:new": R(
        lambda w: {"company_pk": w["a"].pk}, get={"member_a"} | STAFF, post={"member_a"} | STAFF
    ),
    "matching:recommendations": R(get=SIGNED_IN),
    "matching:interest": R(
        lambda w: {"pk": w["a"].pk, "partner_pk": w["b"].pk}, post={"member_a"}, post_only=True
    ),
    "matching:request": R(
        lambda w: {"pk": w["a"].pk, "partner_pk": w["b"].pk}, post={"member_a"}, post_only=True
    ),
    "matching:verify_stated_certificate": R(
        lambda w: {"pk": w["a"].pk, "slug": "iso-13485"}, post=STAFF, post_only=True
    ),
    "matching:inference_override": R(lambda w: {"pk": w["a"].pk}, post={"member_a"} | STAFF, post_only=True),
    "matching:introductions": R(get=STAFF | {"member_a", "member_b"}),  # members: their own introductions
    "matching:introduction": R(lambda w: {"pk": w["introduction"].pk}, get=STAFF, post=STAFF),
    # the two sides only (their own report; the requested introduction refuses the report, nothing changes)
    "matching:report": R(lambda w: {"pk": w["introduction"].pk}, get={"member_a", "member_b"}),
    "shindan:home": R(get=SIGNED_IN),
    "shindan:profile": R(get={"consultant", "other_consultant"}, post={"consultant", "other_consultant"}),
    "shindan:assignments": R(get=STAFF, post=STAFF),
    "shindan:assignment_companies": R(get=STAFF),
    "shindan:assignment_end": R(lambda w: {"pk": w["assignment"].pk}, post=STAFF, post_only=True),
    "shindan:checklists": R(get=STAFF, post=STAFF),
    "shindan:checklist": R(
        lambda w: {"pk": w["checklist"].pk}, get=STAFF | {"consultant", "other_consultant"}
    ),
    "shindan:checklist_publish": R(lambda w: {"pk": w["checklist"].pk}, post=STAFF, post_only=True),
    "shindan:create": R(lambda w: {"company_pk": w["a"].pk}, get=CREATE, post=CREATE),
    "shindan:diagnosis": R(D, get=WORK, post=WRITE),
    "shindan:transition": R(D, post=WRITE, post_only=True),
    "shindan:revision": R(D, post=WRITE, post_only=True),
    "shindan:area": R(lambda w: {**D(w), "code": "PRODUCTION"}, get=WORK, post=WRITE),
    "shindan:evidence_photo": R(
        lambda w: {**D(w), "score_pk": w["score"].pk}, get=NOBODY
    ),  # no photo: 404 for all
    "shindan:statements": R(D, get=WORK, post=WRITE),
    "shindan:statement": R(lambda w: {**D(w), "statement_pk": w["statement"].pk}, get=WORK, post=WRITE),
    "shindan:plan": R(D, get=WORK, post=WRITE),
    "shindan:plan_delete": R(
        lambda w: {**D(w), "kind": "action", "obj_pk": w["action"].pk}, post=WRITE, post_only=True
    ),
    "shindan:action_status": R(lambda w: {**D(w), "action_pk": w["action"].pk}, post=WRITE, post_only=True),
    "shindan:follow_ups": R(D, get=WORK, post=WRITE),
    "shindan:history": R(D, get=WORK),
    "shindan:report": R(D, get=WORK | {"member_a"}),
    "shindan:report_pdf": R(D, get=WORK | {"member_a"}),
    "events:list": R(get=ALL),
    "events:new": R(get=MANAGE, post=MANAGE),
    "events:detail": R(E, get=ALL),
    "events:edit": R(E, get=MANAGE, post=MANAGE),
    "events:mine": R(E, get=SIGNED_IN),
    "events:exhibit": R(
        lambda w: {**E(w), "company_pk": w["a"].pk}, post={"member_a"} | STAFF, post_only=True
    ),
    "events:respond": R(lambda w: {**E(w), "pk": w["part_b"].pk}, post=B_SIDE, post_only=True),
    "events:representative": R(lambda w: {**E(w), "pk": w["part_b"].pk}, post=B_SIDE, post_only=True),
    "events:availability": R(lambda w: {**E(w), "pk": w["part_b"].pk}, post=B_SIDE, post_only=True),
    "events:participants": R(lambda w: {**E(w), "pk": w["part_b"].pk}, get=B_SIDE),
    "events:request": R(
        lambda w: {**E(w), "pk": w["part_b"].pk, "other_pk": w["part_a"].pk},
        post=B_SIDE,
        post_only=True,
    ),
    "events:agenda": R(lambda w: {**E(w), "pk": w["part_b"].pk}, get={"member_b"} | STAFF),
    "events:agenda_ics": R(lambda w: {**E(w), "pk": w["part_b"].pk}, get={"member_b"} | STAFF),
    "events:agenda_pdf": R(lambda w: {**E(w), "pk": w["part_b"].pk}, get={"member_b"} | STAFF),
    "events:answer": R(lambda w: {**E(w), "pk": w["request"].pk}, post={"member_a", "admin"}, post_only=True),
    "events:manage": R(E, get=MANAGE, post=MANAGE),
    "events:delegation": R(lambda w: {**E(w), "pk": w["delegation"].pk}, get=MANAGE, post=MANAGE),
    "events:decide": R(lambda w: {**E(w), "pk": w["part_a"].pk}, post=MANAGE, post_only=True),
    "events:schedule": R(E, post=MANAGE, post_only=True),
    "events:run": R(lambda w: {**E(w), "pk": w["run"].pk}, get=MANAGE, post=MANAGE),
    "events:grid": R(E, get=MANAGE),
    "events:record": R(lambda w: {**E(w), "pk": w["meeting"].pk}, post=MANAGE, post_only=True),
    "events:kpis": R(E, get=MANAGE),
    "events:report": R(
        lambda w: {**E(w), "pk": w["part_b"].pk, "meeting_pk": w["meeting"].pk}, get=B_SIDE, post=B_SIDE
    ),
    "events:reports": R(E, get=MANAGE),
    "deals:inbox": R(get=SIGNED_IN),
    "deals:unread": R(get=SIGNED_IN),
    "notifications:list": R(get=SIGNED_IN),
    "notifications:unread": R(get=SIGNED_IN),
    "notifications:read": R(post=SIGNED_IN, post_only=True),
    # Opening a notification marks it read and redirects to where its recipient acts; others get 404.
    "notifications:open": R(lambda w: {"pk": w["notification_b"].pk}, get={"member_b"}, get_status=302),
    "notifications:preferences": R(get=SIGNED_IN, post=SIGNED_IN),
    "notifications:searches": R(get=SIGNED_IN, post=SIGNED_IN),
    # A signed link from an e-mail: the signature is the permission (anybody holding the link).
    "notifications:unsubscribe": R(lambda w: {"token": w["unsubscribe_b"]}, get=ALL, post=ALL),
    "deals:open": R(lambda w: {"partner_pk": w["b"].pk}, post={"member_a"}, post_only=True),
    "deals:conversation": R(C, get=BOTH | STAFF, post=BOTH),
    "deals:poll": R(C, get=BOTH | STAFF),
    "deals:block": R(C, post=BOTH, post_only=True),
    "deals:report": R(C, post=BOTH, post_only=True),
    "deals:help": R(C, post=BOTH, post_only=True),
    "deals:step": R(C, post=BOTH, post_only=True),
    "deals:close": R(C, post=STAFF, post_only=True),
    # Both sides reach a message's edit and delete; the service refuses anyone but its author (tests/deals).
    "deals:message_edit": R(DM, post=BOTH, post_only=True),
    "deals:message_delete": R(DM, post=BOTH, post_only=True),
    "deals:translate": R(DM, post=STAFF, post_only=True),
    "deals:attachment": R(lambda w: {"pk": w["deal_attachment"].pk}, get=BOTH | STAFF),
    "deals:propose": R(lambda w: {"posting_pk": w["need"].pk}, get={"member_b"}, post={"member_b"}),
    "deals:need_proposals": R(lambda w: {"posting_pk": w["need"].pk}, get={"member_a"} | STAFF),
    "deals:proposal": R(lambda w: {"pk": w["deal_proposal"].pk}, get=BOTH | STAFF),
    "deals:proposal_decide": R(lambda w: {"pk": w["deal_proposal"].pk}, post={"member_a"}, post_only=True),
    "deals:desk": R(get=STAFF),
    "deals:desk_invite": R(lambda w: {"pk": w["deal_invite"].pk}, post=STAFF, post_only=True),
    "deals:desk_report": R(lambda w: {"pk": w["deal_report"].pk}, post=STAFF, post_only=True),
}

# Routes of libraries, decided by their prefix: allauth's pages are for everybody (their own login logic),
# the admin is for admins (others are sent to its login), the API and its docs are checked below; public
# media files are anybody's (tests/portal/test_storage.py).
LIBRARY_PREFIXES = ("accounts/", "admin/", "api/", "^media/", "media/")


def _all_routes():
    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (
                    pattern.namespace or namespace
                )  # fmt: skip
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                yield prefix + str(pattern.pattern), name

    return list(walk(get_resolver().url_patterns))


def test_every_url_pattern_has_an_entry():
    missing = []
    for route, name in _all_routes():
        if route.startswith(LIBRARY_PREFIXES) and not route.startswith(
            ("accounts/preferences", "accounts/privacy", "accounts/api-tokens")
        ):
            continue
        if name not in ROUTES:
            missing.append(f"{route} ({name})")
    assert not missing, "add these to ROUTES in tests/portal/test_authorization_matrix.py: " + ", ".join(
        missing
    )
    stale = set(ROUTES) - {name for _route, name in _all_routes()}
    assert not stale, f"entries without a URL: {sorted(stale)}"


@functools.cache
def _fingerprint_sql() -> str:
    """One SELECT of the row count and the latest update of every table the requests could touch."""
    quote = connection.ops.quote_name
    columns = []
    for model in apps.get_models():
        if (
            model._meta.app_label in ("sessions", "admin", "contenttypes", "auth")
            and model.__name__ != "User"
        ):
            continue
        table = quote(model._meta.db_table)
        columns.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608 (names from the model registry)
        for field in ("updated_at", "last_login", "revoked_at"):
            if any(f.name == field for f in model._meta.fields):
                column = quote(model._meta.get_field(field).column)
                columns.append(f"(SELECT MAX({column}) FROM {table})")  # noqa: S608
    return "SELECT " + ", ".join(columns)


def _fingerprint() -> str:
    """Row counts and the latest update of every table: a denied request must leave it as it was (one
    query, not two per table: the matrix takes it about 230 times per role)."""
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        row = cursor.fetchone()
    return hashlib.sha256("|".join(map(str, row)).encode()).hexdigest()


@pytest.mark.django_db
def test_fingerprint_sees_a_new_row_and_an_update():
    """The matrix's guard itself: a created row and a touched ``updated_at`` both change the fingerprint."""
    before = _fingerprint()
    company = CompanyFactory()
    created = _fingerprint()
    assert created != before
    company.save()  # auto_now: a later updated_at, same counts
    assert _fingerprint() != created


def _client(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(client, world, role):
    client = _client(client, world, role)
    problems = []
    for name, route in ROUTES.items():
        url = reverse(name, kwargs=route["kwargs"](world))
        # GET
        response = client.get(url)
        if role in route["get"]:
            expected = {route["get_status"]}
        elif route["post_only"] and role in route["post"]:
            expected = {405}
        elif role == "anonymous":
            expected = {302, 405} if route["post_only"] else {302}
        else:
            expected = {404, 405} if route["post_only"] else {404}
        if response.status_code not in expected:
            problems.append(f"GET {name} as {role}: {response.status_code}, expected {sorted(expected)}")
        redirected = role == "anonymous" and response.status_code == 302 and role not in route["get"]
        if redirected and "/accounts/login/" not in response["Location"]:
            problems.append(f"GET {name} as anonymous redirects to {response['Location']}")
        # POST by a role that may not write: refused (or, on a page it may read, answered like a GET);
        # either way nothing changes.
        if role not in route["post"]:
            before = _fingerprint()
            response = client.post(url, {})
            allowed_status = {302} if role == "anonymous" else {404, 405}
            if role in route["get"]:
                allowed_status = {route["get_status"], 404, 405}
            if response.status_code not in allowed_status:
                problems.append(
                    f"POST {name} as {role}: {response.status_code}, expected {sorted(allowed_status)}"
                )
            if _fingerprint() != before:
                problems.append(f"POST {name} as {role} changed the database")
    assert not problems, "\n".join(problems)


API_READ = {
    # endpoint → roles that see the object (200); others get 404, anonymous 401/403 unless public.
    "/api/companies/{a}/": ALL,
    "/api/postings/{posting}/": ALL,
    "/api/introductions/{introduction}/": {"member_a", "member_b"} | STAFF,
    "/api/introductions/{introduction}/report/": {"member_a", "member_b"},
    "/api/companies/{a}/proposals/": {"member_a"},
    "/api/shindan/diagnoses/{diagnosis}/": WORK | {"member_a"},
    "/api/shindan/diagnoses/{diagnosis}/scores/": WORK | {"member_a"},
    "/api/shindan/diagnoses/{diagnosis}/statements/": WORK | {"member_a"},
    "/api/shindan/diagnoses/{diagnosis}/actions/": WORK | {"member_a"},
    "/api/shindan/actions/{action}/": WORK | {"member_a"},
    "/api/events/{event}/": ALL,
    "/api/participants/{part_b}/": {"member_b"} | STAFF,
    "/api/participants/{part_b}/agenda/": {"member_b"} | STAFF,
    "/api/participants/{part_b}/meetings/{meeting}/report/": B_SIDE,
    "/api/meeting-requests/{request}/": {"member_a", "member_b"} | STAFF,
    "/api/deals/conversations/{conversation}/": {"member_a", "member_b"} | STAFF,
    "/api/deals/conversations/{conversation}/messages/": {"member_a", "member_b"} | STAFF,
    "/api/deals/proposals/{deal_proposal}/": {"member_a", "member_b"} | STAFF,
    "/api/companies/{a}/products/": ALL,
    "/api/showcase/products/{product}/": ALL,
    "/api/showcase/products/{hidden_product}/": A_SIDE,
}
PUBLIC_API = {
    "/api/companies/{a}/",
    "/api/postings/{posting}/",
    "/api/events/{event}/",
    "/api/companies/{a}/products/",
    "/api/showcase/products/{product}/",
    "/api/showcase/products/{hidden_product}/",
}


def _api_url(template: str, world) -> str:
    values = {key: getattr(value, "slug", None) if key == "event" else getattr(value, "pk", None)
              for key, value in world.items() if hasattr(value, "pk")}  # fmt: skip
    return template.format(**values)


@pytest.mark.parametrize("role", ROLES)
def test_api_by_role(world, role):
    api = APIClient()
    if world["users"][role] is not None:
        api.force_authenticate(world["users"][role])
    problems = []
    for template, allowed in API_READ.items():
        url = _api_url(template, world)
        response = api.get(url)
        if role in allowed:
            expected = {200}
        elif role == "anonymous" and template not in PUBLIC_API:
            expected = {401, 403}
        else:
            expected = {404}
        if response.status_code not in expected:
            problems.append(f"GET {url} as {role}: {response.status_code}, expected {sorted(expected)}")
    a, diagnosis = world["a"].pk, world["diagnosis"].pk
    writes = [
        ("patch", f"/api/companies/{a}/", {"description_en": "x"}, {"member_a"} | STAFF),
        ("post", f"/api/shindan/diagnoses/{diagnosis}/transition/", {"to_stage": "follow_up"}, WRITE),
        ("patch", f"/api/shindan/actions/{world['action'].pk}/", {"status": "done"}, WRITE),
        (
            "post",
            f"/api/meeting-requests/{world['request'].pk}/answer/",
            {"accept": True},
            {"member_a", "admin"},
        ),
        (
            "put",
            f"/api/participants/{world['part_b'].pk}/meetings/{world['meeting'].pk}/report/",
            {"outcome": "nda", "rating": 4},
            B_SIDE,
        ),
        (
            "post",
            f"/api/companies/{a}/proposals/interest/",
            {"partner": world["b"].pk, "interested": True},
            {"member_a"},
        ),
        (
            "post",
            f"/api/deals/conversations/{world['conversation'].pk}/messages/",
            {"text": "x"},
            {"member_a", "member_b"},
        ),
        (
            "post",
            f"/api/deals/proposals/{world['deal_proposal'].pk}/decide/",
            {"status": "accepted"},
            {"member_a"},
        ),
        (
            "post",
            "/api/deals/proposals/",
            {"posting": world["need"].pk, "offer": "x", "lead_time_days": 1},
            {"member_b"},
        ),
        ("post", f"/api/companies/{a}/products/", {"name_en": "x"}, A_SIDE),
        ("patch", f"/api/showcase/products/{world['product'].pk}/", {"name_en": "x"}, A_SIDE),
        ("delete", f"/api/showcase/products/{world['product'].pk}/", {}, A_SIDE),
        ("post", f"/api/showcase/products/{world['product'].pk}/photos/", {}, A_SIDE),
        ("post", f"/api/showcase/products/{world['product'].pk}/move/", {"direction": "down"}, A_SIDE),
        ("post", f"/api/showcase/photos/{world['photo'].pk}/move/", {"direction": "up"}, A_SIDE),
        ("delete", f"/api/showcase/photos/{world['photo'].pk}/", {}, A_SIDE),
    ]
    for method, url, data, allowed in writes:
        if role in allowed:
            continue
        before = _fingerprint()
        response = getattr(api, method)(url, data, format="json")
        expected = {401, 403} if role == "anonymous" else {403, 404}
        if url == "/api/deals/proposals/" and role != "anonymous":
            expected = {400}  # the need comes in the body: one the user may not answer is a field error
        if response.status_code not in expected:
            problems.append(
                f"{method.upper()} {url} as {role}: {response.status_code}, expected {sorted(expected)}"
            )
        if _fingerprint() != before:
            problems.append(f"{method.upper()} {url} as {role} changed the database")
    assert not problems, "\n".join(problems)


TOKEN_URL = "/api/auth/token/"
MUST_ENROL = {"consultant", "other_consultant", "coordinator", "admin"}


def _totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.mark.parametrize("enrolled", [False, True], ids=["without-2fa", "with-totp"])
@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_api_tokens_by_role(world, settings, role, enrolled):
    """The token paths as each role, with and without a second factor, where the site requires it for
    staff (production): POST /api/auth/token/, then every read and write of ``test_api_by_role`` with
    the token. A staff account without TOTP gets no token, and a token it already had (issued before the
    rule or the role) reads and writes nothing."""
    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = True
    user = world["users"][role]
    credentials = {"username": user.email, "password": PASSWORD}
    api = APIClient()
    if enrolled:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        without_code = api.post(TOKEN_URL, credentials)
        assert without_code.status_code == 400, without_code.json()
        credentials["code"] = _totp_code(secret)
    tokens_before = ApiToken.objects.count()

    response = api.post(TOKEN_URL, credentials)

    refused = role in MUST_ENROL and not enrolled
    if refused:
        assert response.status_code == 403
        assert ApiToken.objects.count() == tokens_before
        key = api_token_create(user=user, name="issued before the rule")[1]
    else:
        assert response.status_code == 200, response.json()
        key = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    problems = []
    for template, allowed in API_READ.items():
        url = _api_url(template, world)
        status = api.get(url).status_code
        expected = 403 if refused else (200 if role in allowed else 404)
        if status != expected:
            problems.append(f"GET {url} as {role} with a token: {status}, expected {expected}")
    a, diagnosis = world["a"].pk, world["diagnosis"].pk
    writes = [
        ("post", "/api/shindan/diagnoses/", {"company": a, "purpose": "x"}, {"consultant", "admin"}),
        ("post", f"/api/shindan/diagnoses/{diagnosis}/actions/", {"what": "x", "owner": "y"}, WRITE),
        ("patch", f"/api/shindan/actions/{world['action'].pk}/", {"status": "done"}, WRITE),
        (
            "post",
            f"/api/meeting-requests/{world['request'].pk}/answer/",
            {"accept": True},
            {"member_a", "admin"},
        ),
    ]
    for method, url, data, allowed in writes:
        if role in allowed and not refused:
            continue
        before = _fingerprint()
        status = getattr(api, method)(url, data, format="json").status_code
        expected = {403} if refused else {403, 404}
        if status not in expected:
            problems.append(f"{method.upper()} {url} as {role} with a token: {status}, expected {expected}")
        if _fingerprint() != before:
            problems.append(f"{method.upper()} {url} as {role} with a token changed the database")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_admins_and_coordinators(client, world, role):
    """Coordinators are staff with the model permissions of their role; everybody else is sent to log in."""
    client = _client(client, world, role)
    response = client.get(reverse("admin:index"))
    if role in STAFF:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "login" in response["Location"]
