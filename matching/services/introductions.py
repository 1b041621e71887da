"""Member feedback on proposals and introductions (their stages, reminders, meeting outcomes)."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.models import (
    Interest,
    Introduction,
    IntroductionStage,
    MatchProposal,
)
from portal.accounts.models import Role
from portal.accounts.selectors import users_with_role
from portal.companies.models import Company, MembershipRole
from portal.companies.signals import announce_company_changed
from portal.core.notify import send_to_users
from portal.core.transitions import Transitions
from portal.notifications.kinds import each_language, each_language_text
from portal.notifications.services import notification_send, notifications_settle

logger = logging.getLogger(__name__)


# ------------------------------------------------------------------------------------------------
# Member feedback and introductions
# ------------------------------------------------------------------------------------------------
@transaction.atomic
def interest_set(
    *, company: Company, partner: Company, actor, interested: bool, reason: str = ""
) -> Interest:
    """Interested / not interested. "Not interested" removes the pair from both companies' lists now."""
    if company.country == partner.country:
        raise ValidationError(_("Partners come from the other country."), code="same_country")
    interest, _created = Interest.objects.update_or_create(
        company=company,
        partner=partner,
        defaults={"interested": interested, "reason": reason[:300], "actor": actor},
    )
    if interested and _created:
        _notify_interest(company=company, partner=partner, actor=actor)
    if not interested:
        for owner, other in ((company, partner), (partner, company)):
            removed = MatchProposal.objects.filter(company=owner, partner=other).delete()[0]
            if removed:
                _renumber(owner.pk)
    return interest


@transaction.atomic
def interest_clear(*, company: Company, partner: Company) -> bool:
    """Undoes "not interested": the partner may be proposed again; ``company`` is rescored (the worker puts
    the pair back in both lists if it still scores). False when there was nothing to undo."""
    removed = Interest.objects.filter(company=company, partner=partner, interested=False).delete()[0]
    if removed:
        announce_company_changed(company.pk)
    return bool(removed)


def _members(company: Company) -> list:
    return [
        m.user
        for m in company.memberships.select_related("user").filter(
            role__in=[MembershipRole.OWNER, MembershipRole.MEMBER]
        )
    ]


def _notify_interest(*, company: Company, partner: Company, actor) -> None:
    """The partner's members learn of the interest; when it is mutual, both sides learn that instead."""
    mutual = Interest.objects.filter(company=partner, partner=company, interested=True).exists()
    if not mutual:
        notification_send(
            kind="matching.interest_received",
            recipients=_members(partner),
            url=reverse("companies:detail", kwargs={"pk": company.pk}),
            context={"company": each_language(company)},
            actor=actor,
            dedupe_key=f"matching.interest:{company.pk}:{partner.pk}",
        )
        return
    low, high = sorted([company.pk, partner.pk])
    for own, other in ((company, partner), (partner, company)):
        notification_send(
            kind="matching.mutual_interest",
            recipients=_members(own),
            url=reverse("companies:detail", kwargs={"pk": other.pk}),
            context={"company": each_language(other)},
            dedupe_key=f"matching.mutual_interest:{low}:{high}",
        )


def _renumber(company_id: int) -> None:
    proposals = list(MatchProposal.objects.filter(company_id=company_id).order_by("rank"))
    MatchProposal.objects.filter(company_id=company_id).delete()
    for rank, proposal in enumerate(proposals, 1):
        proposal.pk, proposal.rank = None, rank
    MatchProposal.objects.bulk_create(proposals)


def _pair(company: Company, partner: Company) -> tuple[Company, Company]:
    return (company, partner) if company.country == "TH" else (partner, company)


@transaction.atomic
def introduction_request(*, company: Company, partner: Company, actor, message: str = "") -> Introduction:
    if company.country == partner.country:
        raise ValidationError(_("Partners come from the other country."), code="same_country")
    if not partner.is_verified:
        raise ValidationError(_("This company is not in the directory."), code="not_verified")
    thai, japanese = _pair(company, partner)
    introduction, created = Introduction.objects.get_or_create(
        thai_company=thai, japanese_company=japanese,
        defaults={"requested_by": actor, "requesting_company": company, "message": message},
    )  # fmt: skip
    if not created and introduction.stage == IntroductionStage.DECLINED:
        raise ValidationError(
            _("A coordinator has already decided not to introduce these companies."), code="declined"
        )
    Interest.objects.update_or_create(
        company=company, partner=partner, defaults={"interested": True, "actor": actor}
    )
    if created:  # the coordinators' work: they hear of it in the portal, not only on their dashboard
        notification_send(
            kind="matching.introduction_requested",
            recipients=users_with_role(role=Role.COORDINATOR),
            target=introduction,
            url=reverse("matching:introduction", kwargs={"pk": introduction.pk}),
            context={"company": each_language(company), "partner": each_language(partner)},
            actor=actor,
            dedupe_key=f"matching.introduction_requested:{introduction.pk}",
        )
    return introduction


@transaction.atomic
def introduction_open_for_mutual(*, thai_pk: int, japanese_pk: int, actor) -> Introduction:
    """A coordinator takes up a mutual interest: the pair's introduction, opened at "requested" when there
    is none (nobody is notified: the coordinator decides it next, on its page), or the one that exists.
    Refused unless both companies still say they are interested in each other and are in the directory."""
    interests = Interest.objects.filter(
        company_id__in=[thai_pk, japanese_pk], partner_id__in=[thai_pk, japanese_pk], interested=True
    ).select_related("company", "partner")
    by_company = {interest.company_id: interest for interest in interests}
    thai_interest, japanese_interest = by_company.get(thai_pk), by_company.get(japanese_pk)
    if (
        thai_interest is None
        or japanese_interest is None
        or thai_interest.company.country != "TH"
        or japanese_interest.company.country != "JP"
    ):
        raise ValidationError(
            _("These two companies are no longer both interested in each other."), code="not_mutual"
        )
    thai, japanese = thai_interest.company, japanese_interest.company
    if not (thai.is_verified and japanese.is_verified):
        raise ValidationError(_("This company is not in the directory."), code="not_verified")
    first = min((thai_interest, japanese_interest), key=lambda interest: (interest.created_at, interest.pk))
    introduction, _created = Introduction.objects.get_or_create(
        thai_company=thai,
        japanese_company=japanese,
        # prepared by the coordinator; the company that said "interested" first stands as the requesting one
        defaults={"requested_by": actor, "requesting_company": first.company},
    )
    return introduction


INTRODUCTION_TRANSITIONS = Transitions(
    IntroductionStage,
    {
        IntroductionStage.REQUESTED: {IntroductionStage.INTRODUCED, IntroductionStage.DECLINED},
        IntroductionStage.INTRODUCED: {IntroductionStage.TALKING, IntroductionStage.NO_DEAL},
        IntroductionStage.TALKING: {
            IntroductionStage.NDA,
            IntroductionStage.SAMPLES,
            IntroductionStage.NO_DEAL,
        },
        IntroductionStage.NDA: {
            IntroductionStage.SAMPLES,
            IntroductionStage.ORDER,
            IntroductionStage.JOINT_VENTURE,
            IntroductionStage.NO_DEAL,
        },
        IntroductionStage.SAMPLES: {
            IntroductionStage.ORDER,
            IntroductionStage.JOINT_VENTURE,
            IntroductionStage.NO_DEAL,
        },
        IntroductionStage.ORDER: {IntroductionStage.JOINT_VENTURE},
        IntroductionStage.JOINT_VENTURE: set(),
        IntroductionStage.NO_DEAL: set(),
        IntroductionStage.DECLINED: set(),
    },
    message=gettext_lazy("An introduction cannot go from “%(from)s” to “%(to)s”."),
)


@transaction.atomic
def introduction_note_set(*, introduction: Introduction, actor, note: str) -> Introduction:
    """The coordinators' note on ``introduction``, its stage unchanged (a stage change writes its note
    through ``introduction_set_stage``)."""
    introduction = Introduction.objects.select_for_update().get(pk=introduction.pk)
    introduction.note = note
    introduction.save(update_fields=["note", "updated_at"])
    return introduction


@transaction.atomic
def introduction_set_stage(
    *, introduction: Introduction, actor, stage: str, note: str = "", announce: bool = True
) -> Introduction:
    """The one place an introduction moves: requested → introduced → talking → … with allowed steps only.
    Introducing unlocks both companies' contacts and e-mails each side in its own language ("a coordinator
    introduced your company"), unless ``announce`` is False: the companies found each other themselves."""
    introduction = (
        Introduction.objects.select_for_update()
        .select_related("thai_company", "japanese_company")
        .get(pk=introduction.pk)
    )
    INTRODUCTION_TRANSITIONS.check(introduction.stage, stage)
    if introduction.stage == IntroductionStage.REQUESTED:  # decided: the request no longer waits
        notifications_settle(
            kind="matching.introduction_requested", model=Introduction, ids=[introduction.pk]
        )
    introduction.stage, introduction.stage_changed_at = stage, timezone.now()
    if note:
        introduction.note = note
    if stage == IntroductionStage.INTRODUCED:
        introduction.coordinator, introduction.introduced_at = actor, timezone.now()
    introduction.save()
    for own, other in (
        (introduction.thai_company, introduction.japanese_company),
        (introduction.japanese_company, introduction.thai_company),
    ):
        url = reverse("companies:detail", kwargs={"pk": other.pk})
        if stage == IntroductionStage.INTRODUCED:
            if not announce:
                continue
            # Introducing unlocks the contacts: the e-mail (templates/email/introduced_*) lists them.
            notification_send(
                kind="matching.introduced",
                recipients=_members(own),
                target=introduction,
                url=url,
                context={"company": each_language(other)},
                dedupe_key=f"matching.introduced:{introduction.pk}:{own.pk}",
                email_context={"company": own, "partner": other, "contacts": list(other.contacts.all())},
            )
        else:
            notification_send(
                kind="matching.introduction_stage",
                recipients=_members(own),
                target=introduction,
                url=url,
                context={
                    "company": each_language(other),
                    "stage": each_language_text(IntroductionStage(stage).label),
                },
                actor=actor,
                dedupe_key=f"matching.introduction_stage:{introduction.pk}:{own.pk}:{stage}",
            )
    return introduction


STALE_AFTER_DAYS = 30


def introduction_remind_stale(*, days: int = STALE_AFTER_DAYS) -> int:
    """E-mail the members of both companies of introductions that have not moved for ``days`` days
    (introduced, talking, NDA, samples): the outcome pipeline only helps if it is kept up to date."""
    cutoff = timezone.now() - timezone.timedelta(days=days)
    stale = Introduction.objects.filter(
        stage__in=[
            IntroductionStage.INTRODUCED,
            IntroductionStage.TALKING,
            IntroductionStage.NDA,
            IntroductionStage.SAMPLES,
        ],
        stage_changed_at__lt=cutoff,
    ).select_related("thai_company", "japanese_company")
    sent = 0
    for introduction in stale:
        for own, other in (
            (introduction.thai_company, introduction.japanese_company),
            (introduction.japanese_company, introduction.thai_company),
        ):
            members = [m.user for m in own.memberships.select_related("user")]
            sent += send_to_users(
                users=members,
                template="introduction_stale",
                context={"company": own, "partner": other, "introduction": introduction},
            )
    return sent


# A B2B meeting's outcome → the introduction stage it means (events record outcomes through this).
MEETING_OUTCOME_STAGES = {
    "no_interest": IntroductionStage.NO_DEAL,
    "follow_up": IntroductionStage.TALKING,
    "nda": IntroductionStage.NDA,
    "samples": IntroductionStage.SAMPLES,
    "order": IntroductionStage.ORDER,
    "joint_venture": IntroductionStage.JOINT_VENTURE,
}


def introduction_path(start: str, target: str) -> list[str] | None:
    """The shortest chain of allowed steps from ``start`` to ``target`` (empty when already there)."""
    frontier, seen = [(start, [])], {start}
    while frontier:
        stage, path = frontier.pop(0)
        if stage == target:
            return path
        for step in sorted(INTRODUCTION_TRANSITIONS.allowed(stage)):
            if step not in seen:
                seen.add(step)
                frontier.append((step, [*path, step]))
    return None


@transaction.atomic
def introduction_from_meeting(
    *,
    thai: Company,
    japanese: Company,
    outcome: str,
    actor,
    note: str = "",
    requesting_company: Company | None = None,
    announce: bool = True,
) -> Introduction:
    """Two companies met at an event (or agreed a step in their own conversation): they count as introduced
    (contacts unlocked), and the outcome moves their introduction forward through the allowed steps. An
    introduction already further on stays. ``requesting_company``: who started it, when it is new (the
    Japanese side by default: an event's delegate). ``announce``: False when the companies found each other
    themselves, so that nobody is told a coordinator introduced them (``introduction_set_stage``)."""
    introduction, _created = Introduction.objects.get_or_create(
        thai_company=thai,
        japanese_company=japanese,
        defaults={
            "requested_by": actor,
            "requesting_company": requesting_company or japanese,
            "message": note,
        },
    )
    target = MEETING_OUTCOME_STAGES.get(outcome, IntroductionStage.INTRODUCED)
    path = (
        introduction_path(introduction.stage, IntroductionStage.INTRODUCED)
        if introduction.stage == "requested"
        else []
    )
    after = introduction_path(IntroductionStage.INTRODUCED if path else introduction.stage, target) or []
    for stage in [*(path or []), *after]:
        introduction = introduction_set_stage(
            introduction=introduction, actor=actor, stage=stage, note=note, announce=announce
        )
    return introduction
