"""One person who touched every app (issue 12, item 6): "download my data" has everything about them and
everything they wrote, and after they delete their account nothing in the database still carries their
name, e-mail or phone — not their messages, not their own data requests, not a representative row, not a
session — while the records others need stay (a diagnosis keeps its scores and history)."""

import datetime
import json

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deals import services as deal_services
from deals.models import Attachment, Message
from events import services as event_services
from events.models import Delegation, Event, Participant, ParticipantKind, ParticipantStatus, ScheduleRun
from matching import services as matching_services
from portal.accounts.models import ApiToken, Role
from portal.accounts.services import api_token_create, user_grant_role
from portal.companies.models import CompanyContact, ImportJob, JoinRequest
from portal.postings.models import Posting, PostingType
from portal.privacy import registry, services
from portal.privacy.models import DataRequest, Purpose
from shindan import services as shindan_services
from shindan.models import Assignment, Diagnosis
from tests.factories import PASSWORD, CompanyFactory, MembershipFactory, UserFactory
from tests.shindan.helpers import reported_diagnosis

pytestmark = pytest.mark.django_db

NAME, FIRST, LAST = "Kanokwan Srisuk", "Kanokwan", "Srisuk"
EMAIL, PHONE = "kanokwan.srisuk@siam-mold.example", "+66812345678"
TRACES = [FIRST.lower(), LAST.lower(), "kanokwan.srisuk", "812345678"]
SAID = f"please call {NAME} on {PHONE}"  # what the person writes, with their name and phone in it


@pytest.fixture
def person(client):
    """A member (owner of a Thai company) who is also a consultant and a coordinator, and did a bit of
    everything: the hardest case for export and erasure."""
    user = UserFactory(email=EMAIL, first_name=FIRST, last_name=LAST, language="th")
    for role in (Role.CONSULTANT, Role.COORDINATOR):
        user_grant_role(user=user, role=role)
    own = MembershipFactory(user=user, company__name_en="Siam Mold", company__languages="th,ja").company
    partner = CompanyFactory(country="JP", name_en="Kato Medical", languages="ja")
    other = CompanyFactory(country="JP", name_en="Nagoya Parts", languages="ja")
    CompanyContact.objects.create(company=own, name=NAME, email=EMAIL, phone=PHONE)
    CompanyContact.objects.create(company=other, name="Sales desk", email=EMAIL.upper(), phone=PHONE)
    JoinRequest.objects.create(user=user, company=other, message=f"Hello, {SAID}.")
    services.consents_record(user=user, purposes=[Purpose.ACCOUNT, Purpose.TRANSFER_JAPAN])
    DataRequest.objects.create(
        user=user, email=EMAIL, kind="access", details=f"Copy, {SAID}", due_on="2027-01-01"
    )
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    api_token_create(user=user, name=f"Script of {NAME}")
    LogEntry.objects.create(
        user=user, content_type=ContentType.objects.get_for_model(own), object_id=str(own.pk),
        object_repr=str(own), action_flag=CHANGE, change_message="[]",
    )  # fmt: skip
    ImportJob.objects.create(filename="companies.csv", created_by=user)
    other.verified_by = user
    other.save(update_fields=["verified_by"])
    client.force_login(user)  # a session

    # matching: a reason, an introduction request, and a note as the coordinator who introduced a pair
    matching_services.interest_set(
        company=own, partner=other, actor=user, interested=False, reason=f"Not now, {SAID}"
    )
    matching_services.introduction_request(company=own, partner=partner, actor=user, message=f"Intro: {SAID}")
    third = CompanyFactory(name_en="Rayong Tools")
    introduction = matching_services.introduction_request(company=third, partner=partner, actor=None)
    matching_services.introduction_set_stage(
        introduction=introduction, actor=user, stage="introduced", note=f"Met {NAME} ({EMAIL})"
    )

    # shindan: their profile, a diagnosis they ran with notes, and an interview at their own company
    shindan_services.consultant_profile_save(user=user, qualification="dip", registration_no="DIP-0042")
    diagnosed = CompanyFactory(name_en="Chon Buri Castings")
    shindan_services.assignment_create(
        actor=user, consultant=user, company=diagnosed, starts_on=datetime.date(2020, 1, 1), note=f"By {NAME}"
    )
    diagnosis = reported_diagnosis(diagnosed, consultant=user)
    shindan_services.revision_open(actor=user, diagnosis=diagnosis, reason=f"Reopened by {NAME}")
    action = shindan_services.action_add(
        actor=user, diagnosis=diagnosis, what="5S", owner="Plant manager", due_on=datetime.date(2027, 1, 1)
    )
    shindan_services.revision_issue(actor=user, diagnosis=diagnosis)
    shindan_services.action_set_status(actor=user, action=action, status="in_progress", note=f"Ask {EMAIL}")
    shindan_services.follow_up_record(
        actor=user, diagnosis=diagnosis, visited_on=diagnosis.reported_on, notes=f"Visit, {SAID}"
    )
    own_diagnosis = shindan_services.diagnosis_create(
        actor=user, company=own, requested_on=datetime.date(2026, 1, 10)
    )
    shindan_services.interviewees_set(
        actor=user, diagnosis=own_diagnosis, people=[(NAME, "Managing director")]
    )

    # events: a representative of their company, a meeting request with a message, a delegation, a run
    today = datetime.date.today()  # noqa: DTZ011
    event = Event.objects.create(
        slug="expo", name_en="Expo", venue_en="BITEC", organiser_en="DIP",
        starts_on=today + datetime.timedelta(days=9), ends_on=today + datetime.timedelta(days=10),
    )  # fmt: skip
    mine = Participant.objects.create(
        event=event, company=own, kind=ParticipantKind.EXHIBITOR, status=ParticipantStatus.CONFIRMED
    )
    theirs = Participant.objects.create(
        event=event, company=partner, kind=ParticipantKind.DELEGATE, status=ParticipantStatus.CONFIRMED
    )
    event_services.representative_add(
        participant=mine, name=NAME, role="Managing director", languages="th,en"
    )
    event_services.meeting_request_create(actor=user, sender=mine, recipient=theirs, message=f"Meet? {SAID}")
    Delegation.objects.create(event=event, name_en="SMRJ delegation", coordinator=user)
    ScheduleRun.objects.create(event=event, started_by=user)

    # deals: a conversation they opened, a message with a file, a report, a help request, a translation
    # (as coordinator), a proposal on a Japanese need, a block, their read state and a notification
    conversation = deal_services.conversation_open(company=own, partner=partner, actor=user)[0]
    message = deal_services.message_send(
        conversation=conversation, actor=user, text=f"Deal: {SAID}",
        files=[SimpleUploadedFile("drawing.pdf", b"%PDF-1.7 drawing")],
    )  # fmt: skip
    deal_services.abuse_report(conversation=conversation, actor=user, reason=f"Report: {SAID}")
    deal_services.coordinator_invite(conversation=conversation, actor=user, kind="help", note=f"Help: {SAID}")
    deal_services.translation_add(message=message, actor=user, language="ja", text=f"翻訳: {SAID}")
    deal_services.company_block_set(conversation=conversation, actor=user, kind="mute")
    partner_member = MembershipFactory(company=partner).user
    need = Posting.objects.create(
        company=partner, type=PostingType.SUPPLY_NEED, title_en="Housings", status="published",
        published_at=timezone.now(),
    )  # fmt: skip
    deal_services.proposal_submit(
        posting=need, company=own, actor=user, offer=f"Offer: {SAID}", lead_time_days=9
    )
    deal_services.message_send(conversation=conversation, actor=partner_member, text="Thanks")
    return user


def _database_text() -> str:
    """Every text, JSON and session value of every table, lower-cased."""
    parts = []
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if model is Session:
            parts += [json.dumps(s.get_decoded()) for s in Session.objects.all()]
        if fields:
            parts += [json.dumps(row, default=str) for row in model._default_manager.values_list(*fields)]
    return "\n".join(parts).lower()


def test_download_my_data_has_everything_they_are_and_wrote(client, person):
    data = json.loads(client.get(reverse("privacy_download")).content)
    text = json.dumps(data, ensure_ascii=False)

    for written in (
        f"Hello, {SAID}.",  # join request
        f"Copy, {SAID}",  # their data request
        f"Not now, {SAID}",  # not-interested reason
        f"Intro: {SAID}",  # introduction request
        f"Met {NAME} ({EMAIL})",  # a coordinator's note
        f"By {NAME}",  # an assignment note
        f"Reopened by {NAME}",  # a revision reason
        f"Ask {EMAIL}",  # an action update
        f"Visit, {SAID}",  # a follow-up visit
        f"Meet? {SAID}",  # a meeting request
        f"Deal: {SAID}",  # a message to a partner company
        f"Report: {SAID}",  # an abuse report
        f"Help: {SAID}",  # a request for a coordinator
        f"翻訳: {SAID}",  # a translation as coordinator
        f"Offer: {SAID}",  # a proposal on a need
    ):
        assert written in text, written
    assert data["account"]["email"] == EMAIL
    assert data["consultant_profile"]["registration_no"] == "DIP-0042"
    assert [r["name"] for r in data["event_representatives"]] == [NAME]
    assert sorted(c["company"] for c in data["company_contacts"]) == ["Nagoya Parts", "Siam Mold"]
    assert data["interviewed"] == [
        {"diagnosis": data["interviewed"][0]["diagnosis"], "position": "Managing director"}
    ]
    assert data["two_factor"] == ["totp"]
    assert len(data["api_tokens"]) == 1 and "key" not in data["api_tokens"][0]  # noqa: PT018
    # Every registered exporter contributed its sections.
    for entry in registry.entries.values():
        assert set(entry.export(person, [])) <= set(data), entry.model


def test_deleting_the_account_leaves_nothing_of_the_person(client, person):
    diagnosis = Diagnosis.objects.get(company__name_en="Chon Buri Castings")
    score = diagnosis.overall_score
    phone = Client()
    phone.force_login(person)  # signed in on another device too
    assert all(trace in _database_text() for trace in TRACES)

    response = client.post(reverse("privacy_delete"), {"password": PASSWORD})

    assert response.status_code == 302
    text = _database_text()
    left = {
        trace: text[max(0, text.find(trace) - 80) : text.find(trace) + 40]
        for trace in TRACES
        if trace in text
    }
    assert left == {}
    assert Session.objects.count() == 0
    assert phone.get(reverse("dashboard")).status_code == 302  # the other device is signed out
    assert not ApiToken.objects.exists() and not Authenticator.objects.exists()  # noqa: PT018
    person.refresh_from_db()
    assert (person.is_active, person.email) == (False, f"erased-{person.pk}@erased.invalid")
    # What others need stays, pointing at the anonymised account.
    diagnosis.refresh_from_db()
    assert diagnosis.overall_score == score
    assert diagnosis.changes.filter(actor=person).exists()
    assert Assignment.objects.filter(consultant=person).count() == 1
    assert DataRequest.objects.filter(user=person, kind="access").get().email == ""
    erasure = DataRequest.objects.get(user=person, kind="erasure")
    counts = json.loads(erasure.details)
    assert counts["sessions"] == 1
    assert counts["event_representatives"] == 1
    assert counts["introduction_messages"] == 1
    assert counts["meeting_request_messages"] == 1
    assert counts["interest_reasons"] == 1
    assert counts["contacts"] == 2
    # Their message stays for the partner without their name and phone; their file is gone.
    assert Message.objects.get(text__startswith="Deal:").text == "Deal: please call (erased) on (erased)"
    assert Message.objects.get(text__startswith="Deal:").author is None
    assert Attachment.objects.count() == 0
    assert counts["messages_scrubbed"] == 1


def test_other_peoples_sessions_stay(client, person):
    other = UserFactory()
    client.force_login(other)  # the same client now holds the other person's session
    services.account_erase(user=person)

    assert Session.objects.count() == 1
    assert client.get(reverse("dashboard")).status_code == 200
