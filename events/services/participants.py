"""Delegations and participants: candidates for a delegation, invitations and their answers, exhibitors'
applications and the coordinators' decisions, check-in, representatives and availability; the
participant's state machine."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import (
    ACTIVE_STATUSES,
    Delegation,
    Event,
    Interpreter,
    MeetingRequest,
    Participant,
    ParticipantKind,
    ParticipantStatus,
    Representative,
    RequestStatus,
    Slot,
)
from events.services._common import EVENT_OVER, EVENT_OVER_CODE, _notify
from events.services.meeting_requests import _cancel_open_requests
from matching.selectors import pair_scores
from portal.companies.models import Company
from portal.core.transitions import Transitions
from portal.notifications.kinds import each_language, each_language_text
from portal.notifications.services import notifications_settle

# --- Delegations and participants --------------------------------------------------------------------


def delegation_candidates(*, delegation: Delegation, limit: int = 50) -> list[dict]:
    """Companies of the delegation's country, verified and not yet taking part, ranked by how strongly
    they match the event's Thai exhibitors in its focus industries (sum of match scores, then the best)."""
    event = delegation.event
    exhibitors = Participant.objects.filter(
        event=event, kind=ParticipantKind.EXHIBITOR, status__in=[*ACTIVE_STATUSES, ParticipantStatus.APPLIED]
    )
    focus = list(event.industries.values_list("pk", flat=True))
    if focus:
        exhibitors = exhibitors.filter(company__industries__in=focus)
    exhibitor_ids = set(exhibitors.values_list("company_id", flat=True))
    taken = set(event.participants.values_list("company_id", flat=True))
    candidates = Company.objects.verified().filter(country=delegation.country).exclude(pk__in=taken)
    if focus:
        candidates = candidates.filter(industries__in=focus)
    candidates = list(candidates.distinct().prefetch_related("industries"))
    scores = pair_scores([c.pk for c in candidates], exhibitor_ids)
    ranked = []
    for company in candidates:
        matches = sorted(
            (proposal.score for (cid, _eid), proposal in scores.items() if cid == company.pk), reverse=True
        )
        ranked.append(
            {
                "company": company,
                "strength": round(sum(matches), 1),
                "best": round(matches[0], 1) if matches else 0.0,
                "matches": len(matches),
            }
        )
    ranked.sort(key=lambda row: (-row["strength"], -row["best"], row["company"].pk))
    return ranked[:limit]


def delegation_create(
    *, actor, event: Event, name_en: str, target_size: int, name_th: str = "", name_ja: str = ""
) -> Delegation:
    return Delegation.objects.create(
        event=event,
        coordinator=actor,
        name_en=name_en.strip(),
        name_th=name_th.strip(),
        name_ja=name_ja.strip(),
        target_size=target_size,
    )


def interpreter_add(*, event: Event, name: str, language_pairs: str) -> Interpreter:
    return Interpreter.objects.create(event=event, name=name.strip(), language_pairs=language_pairs)


@transaction.atomic
def interpreter_remove(*, event: Event, pk: int) -> int:
    """Remove one of the event's interpreters. Until the event is over, its published meetings keep their
    places without an interpreter (returned: how many, for the coordinator to schedule again) and both
    companies of each are told (``events.interpreter_removed``); once it is over, an interpreter of
    meetings that took place stays in their record (``interpreter_has_meetings``)."""
    interpreter = event.interpreters.select_for_update().filter(pk=pk).first()
    if interpreter is None:
        raise ValidationError(_("This interpreter is not one of the event's."), code="no_such_interpreter")
    meetings = list(
        interpreter.meetings.select_related(
            "request__sender__company", "request__recipient__company"
        ).order_by("pk")
    )
    if meetings and event.is_over:
        raise ValidationError(
            _("This interpreter took part in the event's meetings: they stay in its record."),
            code="interpreter_has_meetings",
        )
    interpreter_pk = interpreter.pk
    interpreter.delete()
    for meeting in meetings:  # both companies of each meeting hear it from the portal, not at the table
        pair = (meeting.request.sender, meeting.request.recipient)
        for participant, other in (pair, pair[::-1]):
            _notify(
                participant.company,
                "events.interpreter_removed",
                {"event": event, "participant": participant, "other": other, "meeting": meeting},
                strings={"company": each_language(other.company), "event": each_language(event, "name")},
                url=reverse("events:agenda", kwargs={"slug": event.slug, "pk": participant.pk}),
                target=participant,
                dedupe_key=f"events.interpreter_removed:{interpreter_pk}:{meeting.pk}:{participant.pk}",
            )
    return len(meetings)


@transaction.atomic
def participant_invite(*, actor, delegation: Delegation, company: Company) -> Participant:
    if company.country != delegation.country:
        raise ValidationError(_("This delegation is for companies of another country."), code="wrong_country")
    if not company.is_verified:
        raise ValidationError(_("Only verified companies can be invited."), code="company_not_verified")
    participant, created = Participant.objects.get_or_create(
        event=delegation.event,
        company=company,
        defaults={
            "kind": ParticipantKind.DELEGATE,
            "delegation": delegation,
            "status": ParticipantStatus.INVITED,
        },
    )
    if not created:
        raise ValidationError(_("This company already takes part in the event."), code="already_taking_part")
    _notify(
        company,
        "events.delegation_invitation",
        {"event": delegation.event, "delegation": delegation, "company": company},
        strings={
            "event": each_language(delegation.event, "name"),
            "delegation": each_language(delegation, "name"),
        },
        url=reverse("events:mine", kwargs={"slug": delegation.event.slug}),
        target=participant,
        dedupe_key=f"events.delegation_invitation:{participant.pk}",
    )
    return participant


@transaction.atomic
def participant_withdraw_invitation(*, actor, participant: Participant) -> None:
    """A coordinator takes back an invitation to a delegation that the company has not answered yet (sent
    to the wrong company, or the delegation is full): the company no longer takes part, and the invitation
    stops waiting in its notifications. An answered invitation stays: the company confirmed or declined it,
    and its meeting requests hang on it."""
    participant = Participant.objects.select_for_update().select_related("event").get(pk=participant.pk)
    if participant.delegation_id is None or participant.status != ParticipantStatus.INVITED:
        raise ValidationError(
            _("Only an invitation the company has not answered yet can be withdrawn."), code="answered"
        )
    _refuse_when_over(participant)
    notifications_settle(kind="events.delegation_invitation", model=Participant, ids=[participant.pk])
    participant.delete()


BOOTH_LENGTH = 20  # Participant.booth's max_length
REASON_LENGTH = 300  # Participant.decline_reason's

INVITATION_ANSWERS = {ParticipantStatus.CONFIRMED, ParticipantStatus.DECLINED}

# Who moves a participant: the member answering an invitation (invited/confirmed/declined → confirmed or
# declined, changing their mind until the event is over), the coordinator deciding an application
# (applied → confirmed or declined), the coordinator checking in on site (confirmed/arrived → arrived).
PARTICIPANT_STATES = Transitions(
    ParticipantStatus,
    {
        ParticipantStatus.INVITED: INVITATION_ANSWERS,
        ParticipantStatus.APPLIED: INVITATION_ANSWERS,
        ParticipantStatus.CONFIRMED: {*INVITATION_ANSWERS, ParticipantStatus.ARRIVED},
        ParticipantStatus.DECLINED: INVITATION_ANSWERS,
        ParticipantStatus.ARRIVED: {ParticipantStatus.ARRIVED},
    },
    message=gettext_lazy("A participant cannot move from “%(from)s” to “%(to)s”."),
)


def participant_set_status(*, participant: Participant, status: str, **fields) -> Participant:
    """The one writer of a participant's status (call it inside the caller's transaction, on a row
    locked with ``select_for_update``); ``fields`` are saved with it (``decline_reason``, ``booth``).

    Side effects: declined → the participant's pending meeting requests, sent or received, are
    cancelled; arrived → ``checked_in_at`` is set (the first check-in's time is kept). Notifications are
    the callers' (``participant_decide`` tells the company; an answer to an invitation tells nobody).
    Refuses a move the table does not allow (``code="invalid_transition"``)."""
    PARTICIPANT_STATES.check(participant.status, status)
    participant.status = status
    for name, value in fields.items():
        setattr(participant, name, value)
    update = ["status", *fields, "updated_at"]
    if status == ParticipantStatus.ARRIVED:
        participant.checked_in_at = participant.checked_in_at or timezone.now()
        update.insert(1, "checked_in_at")
    participant.save(update_fields=update)
    if status == ParticipantStatus.DECLINED:
        _cancel_open_requests(participant)
    return participant


@transaction.atomic
def participant_respond(*, participant: Participant, accept: bool, reason: str = "") -> Participant:
    """A member answers their company's invitation (and may change their mind until the event starts)."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    # Only a delegate was invited: an exhibitor applied, and a coordinator decides its application (an
    # exhibitor's "answer" would confirm a rejected application or withdraw an approved one).
    if participant.kind != ParticipantKind.DELEGATE or participant.status not in (
        ParticipantStatus.INVITED,
        *INVITATION_ANSWERS,
    ):
        raise ValidationError(_("There is no invitation to answer."), code="no_invitation")
    if participant.event.is_over:
        raise ValidationError(_("The event is over."), code=EVENT_OVER_CODE)
    was_coming = participant.status == ParticipantStatus.CONFIRMED
    participant = participant_set_status(
        participant=participant,
        status=ParticipantStatus.CONFIRMED if accept else ParticipantStatus.DECLINED,
        decline_reason="" if accept else reason.strip()[:300],
    )
    # Answered by one member: the invitation waits for none of them any more.
    notifications_settle(kind="events.delegation_invitation", model=Participant, ids=[participant.pk])
    if was_coming and not accept:
        _tell_partners_of_withdrawal(participant)
    return participant


def _tell_partners_of_withdrawal(participant: Participant) -> None:
    """A company that no longer comes tells each company it had agreed to meet (an accepted request, a
    must-meet): their meeting will not take place. Once per withdrawal (a company may come back and
    decline again)."""
    accepted = (
        MeetingRequest.objects.filter(
            Q(sender=participant) | Q(recipient=participant), status=RequestStatus.ACCEPTED
        )
        .select_related("sender__company", "recipient__company")
        .order_by("pk")
    )
    partners = {}
    for request in accepted:
        other = request.recipient if request.sender_id == participant.pk else request.sender
        partners.setdefault(other.pk, other)
    event, now = participant.event, timezone.now()
    for other in partners.values():
        _notify(
            other.company,
            "events.partner_withdrew",
            {"event": event, "participant": participant},
            strings={"company": each_language(participant.company), "event": each_language(event, "name")},
            url=reverse("events:participants", kwargs={"slug": event.slug, "pk": other.pk}),
            target=participant,
            dedupe_key=f"events.partner_withdrew:{participant.pk}:{other.pk}:{now.timestamp():.0f}",
        )


@transaction.atomic
def exhibitor_register(*, event: Event, company: Company, booth: str = "") -> Participant:
    if event.is_over:
        raise ValidationError(EVENT_OVER, code=EVENT_OVER_CODE)
    if company.country != "TH":
        raise ValidationError(
            _("Exhibitors are Thai companies; Japanese companies join a delegation."), code="wrong_country"
        )
    if not company.is_verified:
        raise ValidationError(
            _("Your company must be verified before it can exhibit."), code="company_not_verified"
        )
    participant, created = Participant.objects.get_or_create(
        event=event,
        company=company,
        defaults={
            "kind": ParticipantKind.EXHIBITOR,
            "status": ParticipantStatus.APPLIED,
            "booth": booth.strip(),
        },
    )
    if not created:
        raise ValidationError(_("Your company already takes part in this event."), code="already_taking_part")
    return participant


@transaction.atomic
def participant_decide(
    *, actor, participant: Participant, approve: bool, booth: str = "", reason: str = ""
) -> Participant:
    """A coordinator approves (with a booth, which no other exhibitor of the event holds) or rejects an
    exhibitor's application (with an optional reason, which the company reads on its participation page and
    in the e-mail)."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status != ParticipantStatus.APPLIED:
        raise ValidationError(_("Only applications can be approved or rejected."), code="not_an_application")
    if booth and len(booth.strip()) > BOOTH_LENGTH:
        raise ValidationError(
            _("A booth has at most %(n)s characters.") % {"n": BOOTH_LENGTH}, code="booth_too_long"
        )
    booth = booth.strip() if booth else participant.booth
    if approve and booth:
        holder = (
            participant.event.participants.filter(status=ParticipantStatus.CONFIRMED, booth__iexact=booth)
            .exclude(pk=participant.pk)
            .select_related("company")
            .first()
        )
        if holder is not None:
            raise ValidationError(
                _("Booth %(booth)s is already %(company)s's: give this exhibitor another one.")
                % {"booth": holder.booth, "company": holder.company.display_name()},
                code="booth_taken",
            )
    reason = "" if approve else reason.strip()
    if len(reason) > REASON_LENGTH:
        raise ValidationError(
            _("A reason has at most %(n)s characters.") % {"n": REASON_LENGTH}, code="reason_too_long"
        )
    participant = participant_set_status(
        participant=participant,
        status=ParticipantStatus.CONFIRMED if approve else ParticipantStatus.DECLINED,
        booth=booth,
        decline_reason=reason,
    )
    _notify(
        participant.company,
        "events.exhibitor_decided",
        {"event": participant.event, "participant": participant, "approved": approve},
        strings={
            "event": each_language(participant.event, "name"),
            "decision": each_language_text(gettext_lazy("approved") if approve else gettext_lazy("declined")),
        },
        url=reverse("events:mine", kwargs={"slug": participant.event.slug}),
        target=participant,
        dedupe_key=f"events.exhibitor_decided:{participant.pk}",
    )
    return participant


@transaction.atomic
def participant_check_in(*, actor, participant: Participant) -> Participant:
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status not in ACTIVE_STATUSES:
        raise ValidationError(_("Only confirmed participants can check in."), code="not_confirmed")
    return participant_set_status(participant=participant, status=ParticipantStatus.ARRIVED)


def representative_add(
    *, participant: Participant, name: str, role: str = "", languages: str = ""
) -> Representative:
    _refuse_when_over(participant)
    codes = [code.strip() for code in languages.split(",") if code.strip()]
    if not name.strip() or not codes or any(code not in ("th", "ja", "en") for code in codes):
        raise ValidationError(
            _("A representative needs a name and languages among th, ja, en."), code="invalid_representative"
        )
    name = " ".join(name.split())
    same = [
        other
        for other in participant.representatives.values_list("name", flat=True)
        if " ".join(other.split()).casefold() == name.casefold()
    ]
    if same:
        # One person counted twice would be booked at two tables at once (the scheduler seats as many
        # meetings at a time as a participant has representatives).
        raise ValidationError(
            _("%(name)s is already among your representatives.") % {"name": same[0]},
            code="duplicate_representative",
        )
    return Representative.objects.create(
        participant=participant, name=name, role=role.strip(), languages=",".join(codes)
    )


def representative_remove(*, participant: Participant, pk: int) -> None:
    """A representative added by mistake, or who no longer comes, taken off the participant's list (until
    the event is over: then the list is its record)."""
    _refuse_when_over(participant)
    deleted, _counts = Representative.objects.filter(participant=participant, pk=pk).delete()
    if not deleted:
        raise ValidationError(
            _("This person is not among your representatives."), code="not_a_representative"
        )


def _refuse_when_over(participant: Participant) -> None:
    """Who comes, when they are free and which invitations stand are the record of an event that is over
    (its page no longer offers the forms; a page left open, or a direct request, is refused here)."""
    if participant.event.is_over:
        raise ValidationError(EVENT_OVER, code=EVENT_OVER_CODE)


def participant_set_availability(*, participant: Participant, unavailable: list[Slot]) -> None:
    _refuse_when_over(participant)
    if any(slot.event_id != participant.event_id for slot in unavailable):
        raise ValidationError(_("Those slots are not of this event."), code="slot_of_another_event")
    participant.unavailable_slots.set(unavailable)


def participant_languages(participant: Participant) -> frozenset[str]:
    """What a participant can speak at a meeting: its representatives' languages, else the company's (else
    English, as before any was named: a company registered on the portal names its own language at once,
    portal/companies/services.py ``company_create``)."""
    reps = [code for rep in participant.representatives.all() for code in rep.language_list()]
    return frozenset(reps or participant.company.language_list or ["en"])
