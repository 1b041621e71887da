"""Reads of the matching engine, scoped to a user."""

from dataclasses import dataclass

import rules
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.http import Http404

from matching.models import (
    NOT_REPORTABLE_STAGES,
    Interest,
    Introduction,
    IntroductionReport,
    IntroductionStage,
    MatchProposal,
    MatchRun,
)
from portal.companies.models import Company, Membership
from portal.companies.selectors import company_list_for_member
from portal.core.lookups import allowed_or_404
from portal.core.pagination import Queue
from portal.taxonomy.models import Industry


def _require_coordinator(user) -> None:
    if not rules.has_perm("matching.manage_introductions", user):
        raise Http404


def user_is_introduced_to_company(user, company) -> bool:
    """Contact grant for the companies app: the user belongs to a company introduced to ``company``."""
    companies = user.memberships.values("company_id")
    return Introduction.objects.filter(
        ~Q(stage__in=[IntroductionStage.REQUESTED, IntroductionStage.DECLINED]),
        Q(thai_company=company, japanese_company__in=companies)
        | Q(japanese_company=company, thai_company__in=companies),
    ).exists()


def proposal_list_for_company(*, company):
    """A company's proposals, best first, with the partner (and its region) in the same query."""
    return (
        MatchProposal.objects.filter(company=company)
        .select_related("partner", "partner__region")
        .order_by("rank")
    )


def recommendations_for_member(
    *, user, company_id: int | None = None, industry: str = "", offers: str = "", companies=None
):
    """The proposals of one of the user's companies (by default their first verified one: an unverified
    company has no recommendations yet), with feedback state. ``companies``: the user's companies if the
    caller has them already (``company_list_for_member``).

    Returns (company or None, list of proposals each with ``interest``, ``their_interest``, ``introduction``).
    """
    companies = list(company_list_for_member(user=user) if companies is None else companies)
    if company_id:
        company = next((c for c in companies if c.pk == company_id), None)
        if company is None:
            raise Http404
    else:
        company = next((c for c in companies if c.is_verified), companies[0] if companies else None)
    if company is None:
        return None, []
    proposals = MatchProposal.objects.filter(company=company).select_related("partner", "partner__region")
    if offers:
        declared = Company.capabilities.through.objects.filter(
            company=OuterRef("partner"), capability__slug=offers
        )
        proposals = proposals.annotate(offers_declared=Exists(declared))
    proposals = list(proposals.prefetch_related("partner__industries").order_by("rank"))
    # The filters agree with the reasons: a partner is in an industry, or offers a capability, when its
    # profile says so or when matching read it in its text (the reason's slugs, "inferred" included). The
    # list is one company's few proposals, so they are kept or left here, on the page's own queries.
    if industry:
        proposals = [
            p
            for p in proposals
            if industry in {term.slug for term in p.partner.industries.all()}
            or industry in _reason_slugs(p, "shared_industries")
        ]
    if offers:
        proposals = [
            p
            for p in proposals
            if p.offers_declared or offers in _reason_slugs(p, "they_offer_what_you_seek")
        ]
    _add_feedback(company, proposals)
    return company, proposals


def _reason_slugs(proposal: MatchProposal, code: str) -> set[str]:
    return {
        slug
        for reason in proposal.reasons or []
        if reason.get("code") == code
        for slug in reason.get("slugs", [])
    }


def _add_feedback(company, proposals: list[MatchProposal]) -> None:
    """Set ``interest``, ``their_interest``, ``mutual`` and ``introduction`` on each of ``company``'s
    proposals (three queries whatever their number)."""
    partner_ids = [p.partner_id for p in proposals]
    mine = dict(
        Interest.objects.filter(company=company, partner_id__in=partner_ids).values_list(
            "partner_id", "interested"
        )
    )
    theirs = dict(
        Interest.objects.filter(company_id__in=partner_ids, partner=company).values_list(
            "company_id", "interested"
        )
    )
    introductions = {
        (i.japanese_company_id if company.country == "TH" else i.thai_company_id): i
        for i in Introduction.objects.filter(Q(thai_company=company) | Q(japanese_company=company)).filter(
            Q(thai_company_id__in=partner_ids) | Q(japanese_company_id__in=partner_ids)
        )
    }
    for proposal in proposals:
        proposal.interest = mine.get(proposal.partner_id)
        proposal.their_interest = theirs.get(proposal.partner_id)
        proposal.mutual = proposal.interest is True and proposal.their_interest is True
        proposal.introduction = introductions.get(proposal.partner_id)


def proposal_list_for_partner_page(*, user, partner) -> list[MatchProposal]:
    """The proposals of ``user``'s companies for ``partner`` (what they may act on from the partner's page),
    with the same feedback state as the recommendations."""
    companies = company_list_for_member(user=user)
    proposals = list(
        MatchProposal.objects.filter(company__in=companies, partner=partner)
        .select_related("company", "partner", "partner__region")
        .order_by("company_id")
    )
    for proposal in proposals:
        _add_feedback(proposal.company, [proposal])
    return proposals


def declined_interests_for_partner_page(*, user, partner) -> list[Interest]:
    """The "not interested" of ``user``'s companies for ``partner``: the partner's page offers to undo them
    (the pair has no proposal then)."""
    return list(
        Interest.objects.filter(
            company__in=company_list_for_member(user=user), partner=partner, interested=False
        ).select_related("company")
    )


@dataclass(frozen=True)
class PairMatch:
    """What a coordinator weighs before introducing two companies: the Thai company's proposal for the
    Japanese one (its score and reasons, as the Thai side reads them; None when the pair is in neither
    list) and each side's interest in the other (True, False, or None when it said nothing)."""

    proposal: MatchProposal | None
    thai_interest: bool | None
    japanese_interest: bool | None


def introduction_match(introduction: Introduction) -> PairMatch:
    """The pair's match for the coordinators' introduction page (two queries)."""
    thai, japanese = introduction.thai_company_id, introduction.japanese_company_id
    proposals = {
        proposal.company_id: proposal
        for proposal in MatchProposal.objects.filter(
            Q(company_id=thai, partner_id=japanese) | Q(company_id=japanese, partner_id=thai)
        )
    }
    proposal = proposals.get(thai) or proposals.get(japanese)  # the Thai side's when both lists hold it
    interests = dict(
        Interest.objects.filter(
            Q(company_id=thai, partner_id=japanese) | Q(company_id=japanese, partner_id=thai)
        ).values_list("company_id", "interested")
    )
    return PairMatch(proposal, interests.get(thai), interests.get(japanese))


def introduction_list_for_coordinator(*, user, stage: str = ""):
    _require_coordinator(user)
    """Newest first (ties by id, so pages never overlap), of one stage if given."""
    introductions = Introduction.objects.select_related(
        "thai_company", "japanese_company", "requested_by"
    ).order_by("-created_at", "-pk")
    return introductions.filter(stage=stage) if stage else introductions


def introduction_list_for_member(*, user):
    companies = user.memberships.values("company_id")
    return Introduction.objects.filter(
        Q(thai_company__in=companies) | Q(japanese_company__in=companies)
    ).select_related("thai_company", "japanese_company")


def introduction_rows_for_member(*, user) -> list[Introduction]:
    """The introductions the user's companies asked for or are part of, newest first, each with ``mine``
    (the user's company), ``partner`` (the other side), ``asked_by_us``, ``report`` (the own company's
    report, never the other side's) and ``can_report`` (two queries)."""
    company_ids = set(user.memberships.values_list("company_id", flat=True))
    # Asked for by a member of the requesting company, or prepared by a coordinator (from a mutual interest,
    # ``services.introduction_open_for_mutual``, or a meeting's outcome): on the same query.
    by_member = Membership.objects.filter(
        user=OuterRef("requested_by"), company=OuterRef("requesting_company")
    )
    rows = list(
        introduction_list_for_member(user=user)
        .annotate(by_member=Exists(by_member))
        .order_by("-stage_changed_at", "-pk")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=IntroductionReport.objects.filter(company_id__in=company_ids),
                to_attr="own_reports",
            )
        )
        if company_ids
        else Introduction.objects.none()
    )
    for row in rows:
        ours_is_thai = row.thai_company_id in company_ids
        row.mine = row.thai_company if ours_is_thai else row.japanese_company
        row.partner = row.japanese_company if ours_is_thai else row.thai_company
        # (an account since deleted leaves no one to tell apart: the requesting company then stands)
        row.prepared_by_coordinator = row.requested_by_id is not None and not row.by_member
        row.asked_by_us = not row.prepared_by_coordinator and row.requesting_company_id in company_ids
        row.report = next((r for r in row.own_reports if r.company_id == row.mine.pk), None)
        row.can_report = row.stage not in NOT_REPORTABLE_STAGES
    return rows


def introduction_to_report_for_user(*, user, pk: int, company_pk: int | None = None) -> tuple:
    """(company, introduction) for a member reporting on one of their companies' introductions: the
    company is the user's side (``company_pk`` chooses when they belong to both). Anyone else, coordinators
    included, gets 404."""
    introduction = allowed_or_404(
        introduction_list_for_member(user=user).filter(pk=pk).first(),
        user=user,
        permission="matching.report_introduction",
    )
    own = set(user.memberships.values_list("company_id", flat=True))
    sides = [c for c in (introduction.thai_company, introduction.japanese_company) if c.pk in own]
    if company_pk is not None:
        sides = [c for c in sides if c.pk == company_pk]
    if not sides:
        raise Http404
    return sides[0], introduction


@dataclass
class SideReport:
    """On the coordinators' pages: one company of an introduction and its report (or None)."""

    company: Company
    report: IntroductionReport | None


def with_reports(introductions):
    """The coordinators' introductions with both sides' reports prefetched (one more query)."""
    return introductions.prefetch_related(
        Prefetch("reports", queryset=IntroductionReport.objects.order_by("pk"))
    )


def introduction_sides(introduction: Introduction) -> list[SideReport]:
    """[Thai side, Japanese side], each with its report (from ``with_reports``' prefetch)."""
    reports = {report.company_id: report for report in introduction.reports.all()}
    return [
        SideReport(company, reports.get(company.pk))
        for company in (introduction.thai_company, introduction.japanese_company)
    ]


def agreed_outcome(introduction: Introduction) -> str:
    """The outcome both sides report, or "" (they disagree, or one has not reported)."""
    outcomes = [side.report.outcome if side.report else "" for side in introduction_sides(introduction)]
    return outcomes[0] if outcomes[0] and outcomes[0] == outcomes[1] else ""


MUTUAL_SHOWN = 50  # mutual interests on the coordinators' dashboard, the newest first


def dashboard_figures(*, user) -> dict:
    """The coordinators' dashboard: proposals by country (whose list they are in) and by focus industry
    (of that company; names in the viewer's language), mutual interests (the newest, a ``Queue`` that
    knows how many there are), introductions, the last runs."""
    _require_coordinator(user)
    pair_introduction = Introduction.objects.filter(
        thai_company=OuterRef("company"), japanese_company=OuterRef("partner")
    )
    # Each pair with its introduction, if any (rides on the same query): the coordinator opens it or takes
    # the pair up (``services.introduction_open_for_mutual``).
    mutual = (
        Interest.objects.filter(interested=True, company__country="TH")
        .filter(partner__interests__partner=F("company"), partner__interests__interested=True)
        .annotate(
            introduction_pk=Subquery(pair_introduction.values("pk")[:1]),
            introduction_stage=Subquery(pair_introduction.values("stage")[:1]),
        )
    )
    countries = dict(Company._meta.get_field("country").choices)
    by_country = (
        MatchProposal.objects.values_list("company__country")
        .annotate(n=Count("pk"))
        .order_by("company__country")
    )
    focus = {industry.pk: industry for industry in Industry.objects.filter(is_focus=True)}
    by_industry = (
        MatchProposal.objects.filter(company__industries__in=list(focus))
        .values_list("company__industries")
        .annotate(n=Count("pk"))
    )
    return {
        "proposals": MatchProposal.objects.count(),
        "proposals_by_country": [(countries.get(code, code), n) for code, n in by_country],
        "proposals_by_industry": sorted(
            ((focus[pk].name(), n) for pk, n in by_industry), key=lambda row: (-row[1], row[0])
        ),
        "mutual": _with_stage_labels(
            Queue.of(mutual.select_related("company", "partner").order_by("-created_at", "-pk"), MUTUAL_SHOWN)
        ),
        "introductions_by_stage": dict(Introduction.objects.values_list("stage").annotate(n=Count("pk"))),
        "runs": list(MatchRun.objects.select_related("company")[:10]),
    }


def _with_stage_labels(mutual: Queue) -> Queue:
    for interest in mutual:
        interest.introduction_stage_label = (
            IntroductionStage(interest.introduction_stage).label if interest.introduction_stage else ""
        )
    return mutual


def proposal_list_for_coordinator(*, user, country: str = "", industry: str = "", min_score: float = 0.0):
    """All proposals, best first, for the coordinators' dashboard (filters: country, industry, score)."""
    _require_coordinator(user)
    proposals = MatchProposal.objects.select_related("company", "partner").filter(score__gte=min_score)
    if country:
        proposals = proposals.filter(company__country=country)
    if industry:
        proposals = proposals.filter(company__industries__slug=industry, partner__industries__slug=industry)
    return proposals.order_by("-score", "company_id", "rank")


@dataclass
class Pair:
    """A Thai and a Japanese company proposed to each other, once, with the rank each has in the other's
    list (None: outside that list's top-k)."""

    thai: Company
    japanese: Company
    score: float
    thai_rank: int | None = None  # the Japanese company's place in the Thai company's list
    japanese_rank: int | None = None  # the Thai company's place in the Japanese company's list


def pair_list_for_coordinator(
    *, user, country: str = "", industry: str = "", min_score: float = 0.0, limit: int = 50
) -> list[Pair]:
    """The best proposed pairs, each pair once whichever side's list it is in (``country``: only the pairs
    in that country's companies' lists; ``industry``: both companies in it), best first. Two queries."""
    proposals = proposal_list_for_coordinator(
        user=user, country=country, industry=industry, min_score=min_score
    )
    pairs: dict[tuple[int, int], Pair] = {}
    for proposal in proposals[: 2 * limit]:  # each pair at most twice (both lists), next to each other
        thai, japanese = (
            (proposal.company, proposal.partner)
            if proposal.company.country == "TH"
            else (proposal.partner, proposal.company)
        )
        pair = pairs.get((thai.pk, japanese.pk))
        if pair is None:
            if len(pairs) == limit:
                continue
            pair = pairs[(thai.pk, japanese.pk)] = Pair(thai=thai, japanese=japanese, score=proposal.score)
        _set_rank(pair, proposal)
    missing = Q(pk__in=[])
    for pair in pairs.values():
        if pair.thai_rank is None:
            missing |= Q(company_id=pair.thai.pk, partner_id=pair.japanese.pk)
        if pair.japanese_rank is None:
            missing |= Q(company_id=pair.japanese.pk, partner_id=pair.thai.pk)
    for proposal in MatchProposal.objects.filter(missing).only("company_id", "partner_id", "rank"):
        key = (proposal.company_id, proposal.partner_id)
        _set_rank(pairs.get(key) or pairs[key[::-1]], proposal)
    return list(pairs.values())


def _set_rank(pair: Pair, proposal: MatchProposal) -> None:
    if proposal.company_id == pair.thai.pk:
        pair.thai_rank = proposal.rank
    else:
        pair.japanese_rank = proposal.rank


def pair_scores(company_ids, partner_ids) -> dict[tuple[int, int], MatchProposal]:
    """The proposal between each company of ``company_ids`` and each of ``partner_ids``, keyed
    ``(company_id, partner_id)``: the company's own when it has one (what its recommendations show), else
    the partner's (scores are symmetric); pairs outside both top-k are absent. Events use it to rank
    delegation candidates, weight meetings and write meeting briefs (one query). Its reasons are written
    from ``proposal.company``'s side: show them through ``matching.reasons_text.proposal_reasons``."""
    company_ids, partner_ids = set(company_ids), set(partner_ids)
    result: dict[tuple[int, int], MatchProposal] = {}
    rows = MatchProposal.objects.filter(
        Q(company_id__in=company_ids, partner_id__in=partner_ids)
        | Q(company_id__in=partner_ids, partner_id__in=company_ids)
    )
    for proposal in rows:
        own = proposal.company_id in company_ids and proposal.partner_id in partner_ids
        key = (
            (proposal.company_id, proposal.partner_id) if own else (proposal.partner_id, proposal.company_id)
        )
        if own or key not in result:
            result[key] = proposal
    return result


def met_before(pairs) -> set[tuple[int, int]]:
    """Pairs (thai, japanese) of companies already introduced or further on (shown as "met before")."""
    pairs = list(pairs)
    if not pairs:
        return set()
    thai_ids = {thai for thai, _japanese in pairs}
    rows = Introduction.objects.filter(thai_company_id__in=thai_ids).exclude(
        stage__in=[IntroductionStage.REQUESTED, IntroductionStage.DECLINED]
    )
    known = set(rows.values_list("thai_company_id", "japanese_company_id"))
    return {pair for pair in pairs if pair in known}
