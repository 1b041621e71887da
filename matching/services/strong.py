"""New strong matches: a member is told once when their company's list gains a partner at or above the
score they chose (notification preferences; ``matching.strong_match`` in matching/kinds.py).

The bulk write stays fast: ``strong_candidates`` runs inside ``writes.proposals_swap`` before the old lists
are deleted, with one query (the old pairs of these companies at or above THRESHOLD_MIN, the lowest score
anybody may choose) and a pass over the new rows in memory; the pairs that rose (new, or higher than
before) go after commit to ``matching.notify_strong_matches`` (through the outbox), which reads the members
and their thresholds and notifies those whose threshold the pair crossed. A pair is announced once per
member (``dedupe_key``): rerunning a recompute finds it already strong and the key already used.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse

from matching.models import MatchProposal
from portal.companies.models import Company, Membership, MembershipRole
from portal.notifications.kinds import THRESHOLD_MIN, each_language
from portal.notifications.selectors import notification_thresholds
from portal.notifications.services import notification_send

KIND = "matching.strong_match"
# At most this many new strong matches announced to one member per run, best first: a company's first
# list (or a first full recompute) could otherwise bring top_k notifications at once.
PER_MEMBER_PER_RUN = 3


def strong_candidates(
    company_ids: Sequence[int], rows: Sequence[tuple], *, old: dict | None = None
) -> list[list]:
    """The pairs of ``rows`` (tuples in ``writes.COLUMNS`` order) that may have crossed somebody's
    threshold: ``[company, partner, old score or None, new score]``. Call before the old lists go: the old
    scores are those of ``company_ids``' lists, or ``old`` ((company, partner) → score) when the caller has
    read them already."""
    rising = [(row[0], row[1], row[3]) for row in rows if row[3] >= THRESHOLD_MIN]
    if not rising:
        return []
    if old is None:
        old = {
            (company_id, partner_id): score
            for company_id, partner_id, score in MatchProposal.objects.filter(
                company_id__in=list(company_ids), score__gte=THRESHOLD_MIN
            ).values_list("company_id", "partner_id", "score")
        }
    candidates = []
    for company_id, partner_id, score in rising:
        before = old.get((company_id, partner_id))
        # Thresholds are whole numbers: a pair crosses one only if a whole number lies in (before, score].
        if before is None or math.floor(score) > before:
            candidates.append([company_id, partner_id, before, score])
    return candidates


def strong_queue(candidates: list[list]) -> None:
    """After commit, hand the candidates to the notifying task (inline on the embedded default)."""
    if not candidates:
        return

    def queue() -> None:
        from matching.tasks import notify_strong_matches
        from portal.core import outbox

        outbox.send(notify_strong_matches, kwargs={"pairs": candidates})

    transaction.on_commit(queue)


def strong_matches_notify(*, pairs: Sequence[Sequence]) -> int:
    """Notify the members whose threshold each pair crossed (``[company, partner, old, new]``), at most
    PER_MEMBER_PER_RUN pairs each, best first. Returns the number of notifications written."""
    company_ids = {pair[0] for pair in pairs}
    members = defaultdict(list)
    for membership in Membership.objects.filter(
        company_id__in=company_ids,
        role__in=[MembershipRole.OWNER, MembershipRole.MEMBER],
        user__is_active=True,
    ).select_related("user"):
        members[membership.company_id].append(membership.user)
    if not members:
        return 0
    thresholds = notification_thresholds(
        user_ids={user.pk for users in members.values() for user in users}, kind=KIND
    )
    per_member = defaultdict(list)
    for company_id, partner_id, before, score in sorted(pairs, key=lambda pair: -pair[3]):
        for user in members.get(company_id, []):
            threshold = thresholds[user.pk]
            crossed = score >= threshold and (before is None or before < threshold)
            if crossed and len(per_member[user.pk]) < PER_MEMBER_PER_RUN:
                per_member[user.pk].append((company_id, partner_id, score))
    recipients = defaultdict(list)
    for user_id, chosen in per_member.items():
        for company_id, partner_id, score in chosen:
            recipients[(company_id, partner_id, score)].append(user_id)
    users = {user.pk: user for users in members.values() for user in users}
    partners = Company.objects.in_bulk({partner_id for _, partner_id, _ in recipients})
    written = 0
    for (company_id, partner_id, score), user_ids in recipients.items():
        partner = partners.get(partner_id)
        if partner is None:
            continue
        with transaction.atomic():
            written += len(
                notification_send(
                    kind=KIND,
                    recipients=[users[user_id] for user_id in user_ids],
                    target=partner,
                    url=reverse("companies:detail", kwargs={"pk": partner_id}),
                    context={"company": each_language(partner), "score": round(score)},
                    dedupe_key=f"{KIND}:{company_id}:{partner_id}",
                )
            )
    return written
