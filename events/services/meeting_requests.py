"""Meeting requests: asking with caps, answering, expiry and the reminder e-mails; the request's state
machine."""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import (
    Event,
    MeetingRequest,
    Participant,
    RequestStatus,
)
from events.services._common import EVENT_OVER, EVENT_OVER_CODE, _members, _notify, sources
from matching.reasons_text import proposal_reasons
from matching.selectors import pair_scores
from portal.companies.models import Company
from portal.core.transitions import Transitions
from portal.notifications.kinds import each_language
from portal.notifications.services import notification_send, notifications_settle

# --- Meeting requests --------------------------------------------------------------------------------


# A pending request is answered (accepted, declined), expires, or is cancelled when a side declines its
# participation. A coordinator's must-meet accepts a request whatever its state (``meeting_request_create``).
# A cancelled request is asked again (pending) when either side asks once more: a company that declined
# its participation and came back is not kept from the companies it had asked.
REQUEST_STATES = Transitions(
    RequestStatus,
    {
        RequestStatus.PENDING: {
            RequestStatus.ACCEPTED,
            RequestStatus.DECLINED,
            RequestStatus.EXPIRED,
            RequestStatus.CANCELLED,
        },
        RequestStatus.ACCEPTED: {RequestStatus.ACCEPTED},
        RequestStatus.DECLINED: {RequestStatus.ACCEPTED},
        RequestStatus.EXPIRED: {RequestStatus.ACCEPTED},
        RequestStatus.CANCELLED: {RequestStatus.ACCEPTED, RequestStatus.PENDING},
    },
    message=gettext_lazy("A meeting request cannot move from “%(from)s” to “%(to)s”."),
)


def meeting_request_set_status(
    *, meeting_request: MeetingRequest, status: str, now: datetime.datetime | None = None, **fields
) -> MeetingRequest:
    """The one writer of a request's status (inside the caller's transaction, on a locked row);
    ``fields`` are saved with it (``decline_reason``, ``must_meet``).

    Side effects: accepted or declined → ``responded_at`` (``now``) is set unless it already was; out of
    pending → "a request waits for your answer" is read for the recipient's members (it waits no longer).
    Other notifications are the callers' (``meeting_request_respond`` tells the sender). Refuses a move the
    table does not allow (``code="invalid_transition"``)."""
    REQUEST_STATES.check(meeting_request.status, status)
    meeting_request.status = status
    for name, value in fields.items():
        setattr(meeting_request, name, value)
    update = ["status", *fields, "updated_at"]
    if status in (RequestStatus.ACCEPTED, RequestStatus.DECLINED):
        meeting_request.responded_at = meeting_request.responded_at or now or timezone.now()
        update.insert(1, "responded_at")
    meeting_request.save(update_fields=update)
    _settle([meeting_request.pk])
    return meeting_request


def meeting_requests_set_status(*, requests: QuerySet[MeetingRequest], status: str) -> int:
    """Many requests at once (expiry, cancellation): only those whose state may move to ``status`` move;
    returns how many. Side effect: as ``meeting_request_set_status``'s, the requests' "waits for your
    answer" notifications are read."""
    allowed = sources(REQUEST_STATES, status)
    ids = list(requests.filter(status__in=allowed).values_list("pk", flat=True))
    moved = MeetingRequest.objects.filter(pk__in=ids, status__in=allowed).update(
        status=status, updated_at=timezone.now()
    )
    _settle(ids)
    return moved


def _settle(ids: list[int]) -> None:
    notifications_settle(kind="events.meeting_requested", model=MeetingRequest, ids=ids)


def _cancel_open_requests(participant: Participant) -> None:
    meeting_requests_set_status(
        requests=MeetingRequest.objects.filter(Q(sender=participant) | Q(recipient=participant)),
        status=RequestStatus.CANCELLED,
    )


def _accepted_count(participant: Participant) -> int:
    return MeetingRequest.objects.filter(
        Q(sender=participant) | Q(recipient=participant), status=RequestStatus.ACCEPTED
    ).count()


@transaction.atomic
def meeting_request_create(
    *,
    actor,
    sender: Participant,
    recipient: Participant,
    message: str = "",
    must_meet: bool = False,
    now: datetime.datetime | None = None,
) -> MeetingRequest:
    """A participant asks another for a meeting (a coordinator's must-meet is accepted at once).
    ``now`` is the time of asking (the demo writes a past event's history with it)."""
    event = sender.event
    now = now or timezone.now()
    if recipient.event_id != event.pk or sender.pk == recipient.pk:
        raise ValidationError(
            _("Meetings are between two participants of the same event."), code="not_same_event"
        )
    if event.is_over_at(now):
        raise ValidationError(EVENT_OVER, code=EVENT_OVER_CODE)
    if sender.company.country == recipient.company.country:
        raise ValidationError(
            _("Meetings here are between Thai and Japanese companies."), code="same_country"
        )
    if not (sender.is_active and recipient.is_active):
        raise ValidationError(
            _("Both companies must have confirmed their participation."), code="not_confirmed"
        )
    Participant.objects.select_for_update().filter(pk=sender.pk).first()  # serialise a company's requests
    low, high = sorted([sender, recipient], key=lambda p: p.pk)
    existing = MeetingRequest.objects.filter(event=event, low=low, high=high).first()
    asked_again = existing is not None and existing.status == RequestStatus.CANCELLED and not must_meet
    if existing is not None and not must_meet and not asked_again:
        raise ValidationError(
            _("There is already a meeting request between these companies."), code="duplicate_request"
        )
    if not must_meet:
        sent = MeetingRequest.objects.filter(sender=sender).exclude(status=RequestStatus.CANCELLED).count()
        if sent >= event.max_requests_per_company:
            raise ValidationError(
                _("Your company has sent the most requests allowed at this event (%(n)s).")
                % {"n": event.max_requests_per_company},
                code="too_many_requests",
            )
    if existing is not None and must_meet:  # a coordinator makes an existing request an accepted must-meet
        if existing.must_meet and existing.status == RequestStatus.ACCEPTED:
            return existing  # already one: nothing changes, nobody is told twice
        meeting_request = meeting_request_set_status(
            meeting_request=existing, status=RequestStatus.ACCEPTED, now=now, must_meet=True
        )
        _tell_must_meet(meeting_request, sender, recipient)
        return meeting_request
    if asked_again:  # the pair's one request, cancelled, asked again by this sender
        meeting_request = existing
        meeting_request.sender, meeting_request.recipient = sender, recipient
        meeting_request.message, meeting_request.decline_reason = message.strip(), ""
        meeting_request.responded_at, meeting_request.created_by = None, actor
        meeting_request.expires_at = now + datetime.timedelta(hours=event.request_expiry_hours)
        meeting_request.save(
            update_fields=[
                "sender", "recipient", "message", "decline_reason", "responded_at", "created_by",
                "expires_at",
            ]
        )  # fmt: skip
        meeting_request_set_status(meeting_request=meeting_request, status=RequestStatus.PENDING, now=now)
    else:
        meeting_request = MeetingRequest.objects.create(
            event=event,
            sender=sender,
            recipient=recipient,
            low=low,
            high=high,
            message=message.strip(),
            must_meet=must_meet,
            status=RequestStatus.ACCEPTED if must_meet else RequestStatus.PENDING,
            responded_at=now if must_meet else None,
            expires_at=None if must_meet else now + datetime.timedelta(hours=event.request_expiry_hours),
            created_by=actor,
        )
    if must_meet:
        _tell_must_meet(meeting_request, sender, recipient)
    else:
        score, reasons = _brief(viewer=recipient.company, other=sender.company)
        _notify(
            recipient.company,
            "events.meeting_requested",
            {"event": event, "request": meeting_request, "score": score, "reasons": reasons},
            strings={"company": each_language(sender.company), "event": each_language(event, "name")},
            url=reverse("events:mine", kwargs={"slug": event.slug}),
            target=meeting_request,
            # Asked again: a new notification (the first one was settled when it was cancelled).
            dedupe_key=f"events.meeting_requested:{meeting_request.pk}"
            + (f":again:{now.timestamp():.0f}" if asked_again else ""),
        )
    return meeting_request


def _tell_must_meet(meeting_request: MeetingRequest, *pair: Participant) -> None:
    """Each company of a must-meet pair: the coordinators ask it to meet the other (already accepted)."""
    event = meeting_request.event
    for mine, other in (pair, pair[::-1]):
        _notify(
            mine.company,
            "events.must_meet",
            {"event": event, "request": meeting_request},
            strings={"company": each_language(other.company), "event": each_language(event, "name")},
            url=reverse("events:mine", kwargs={"slug": event.slug}),
            target=meeting_request,
            dedupe_key=f"events.must_meet:{meeting_request.pk}:{mine.pk}",
        )


def _brief(*, viewer: Company, other: Company) -> tuple[float | None, list[dict]]:
    """The match score and reasons of a pair as ``viewer`` reads them (rendered in each recipient's
    language by the e-mail template)."""
    proposal = pair_scores([viewer.pk], [other.pk]).get((viewer.pk, other.pk))
    if proposal is None:
        return None, []
    return proposal.score, proposal_reasons(proposal, viewer_id=viewer.pk)


@transaction.atomic
def meeting_request_respond(
    *,
    actor,
    meeting_request: MeetingRequest,
    accept: bool,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> MeetingRequest:
    """The recipient accepts or declines, while the request is open and the event not over (``now``: the
    time of answering, as for ``meeting_request_create``)."""
    meeting_request = (
        MeetingRequest.objects.select_for_update()
        .select_related("event", "sender", "recipient")
        .get(pk=meeting_request.pk)
    )
    if meeting_request.status != RequestStatus.PENDING:
        raise ValidationError(
            _("This request has already been answered or has expired."), code="already_answered"
        )
    now = now or timezone.now()
    if meeting_request.event.is_over_at(now):  # the expiry task closes it; until then it cannot be answered
        raise ValidationError(EVENT_OVER, code=EVENT_OVER_CODE)
    if meeting_request.expires_at and meeting_request.expires_at <= now:
        meeting_request_set_status(meeting_request=meeting_request, status=RequestStatus.EXPIRED)
        raise ValidationError(_("This request has expired."), code="request_expired")
    if accept:
        limit = meeting_request.event.max_meetings_per_company
        for side in (meeting_request.sender, meeting_request.recipient):
            if _accepted_count(side) >= limit:
                raise ValidationError(
                    _("%(company)s already has the most meetings allowed at this event (%(n)s).")
                    % {"company": side.company.display_name(), "n": limit},
                    code="too_many_meetings",
                )
    meeting_request_set_status(
        meeting_request=meeting_request,
        status=RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED,
        now=now,
        decline_reason="" if accept else reason.strip()[:300],
    )
    event = meeting_request.event
    _notify(
        meeting_request.sender.company,
        "events.meeting_accepted" if accept else "events.meeting_declined",
        {"event": event, "request": meeting_request},
        strings={
            "company": each_language(meeting_request.recipient.company),
            "event": each_language(event, "name"),
        },
        url=reverse("events:mine", kwargs={"slug": event.slug}),
        target=meeting_request,
        dedupe_key=f"events.meeting_answered:{meeting_request.pk}",
    )
    return meeting_request


def meeting_requests_expire(*, now: datetime.datetime | None = None) -> int:
    """Pending requests past their time, or of an event that is over, become expired (a beat task);
    returns how many."""
    now = now or timezone.now()
    ended = [
        event.pk
        for event in Event.objects.filter(requests__status=RequestStatus.PENDING).distinct()
        if now >= event.ends_at
    ]
    return meeting_requests_set_status(
        requests=MeetingRequest.objects.filter(
            Q(expires_at__isnull=False, expires_at__lte=now) | Q(event_id__in=ended)
        ),
        status=RequestStatus.EXPIRED,
    )


def meeting_request_nudges() -> int:
    """One e-mail per company with unanswered requests (in each member's language); returns the number."""
    pending = (
        MeetingRequest.objects.filter(status=RequestStatus.PENDING, expires_at__gt=timezone.now())
        .select_related("event", "sender__company", "recipient__company")
        .order_by("expires_at")
    )
    by_company: dict[int, list[MeetingRequest]] = defaultdict(list)
    for meeting_request in pending:
        by_company[meeting_request.recipient.company_id].append(meeting_request)
    sent = 0
    today = timezone.localdate().isoformat()
    for requests in by_company.values():
        company = requests[0].recipient.company
        # In-app and the e-mail once per company and day (a retried task sends nothing twice).
        with transaction.atomic():
            rows = notification_send(
                kind="events.meeting_expiring",
                recipients=_members(company),
                url=reverse("events:mine", kwargs={"slug": requests[0].event.slug}),
                context={"count": len(requests)},
                dedupe_key=f"events.meeting_expiring:{company.pk}:{today}",
                email_context={"requests": requests, "company": company},
            )
        sent += len(rows)
    return sent
