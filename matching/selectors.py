"""Reads of the matching engine, scoped to a user."""

import rules
from django.db.models import Count, F, Q
from django.http import Http404

from matching.models import Interest, Introduction, IntroductionStage, MatchProposal, MatchRun
from portal.companies.selectors import company_list_for_member


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


def recommendations_for_member(*, user, company_id: int | None = None, industry: str = "", offers: str = ""):
    """The proposals of one of the user's companies (their first by default), with feedback state.

    Returns (company or None, list of proposals each with ``interest``, ``their_interest``, ``introduction``).
    """
    companies = company_list_for_member(user=user)
    company = companies.filter(pk=company_id).first() if company_id else companies.first()
    if company_id and company is None:
        raise Http404
    if company is None:
        return None, []
    proposals = MatchProposal.objects.filter(company=company).select_related("partner", "partner__region")
    if industry:
        proposals = proposals.filter(partner__industries__slug=industry)
    if offers:
        proposals = proposals.filter(partner__capabilities__slug=offers)
    proposals = list(proposals.prefetch_related("partner__industries").order_by("rank").distinct())
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
        for i in Introduction.objects.filter(Q(thai_company=company) | Q(japanese_company=company))
    }
    for proposal in proposals:
        proposal.interest = mine.get(proposal.partner_id)
        proposal.their_interest = theirs.get(proposal.partner_id)
        proposal.mutual = proposal.interest is True and proposal.their_interest is True
        proposal.introduction = introductions.get(proposal.partner_id)
    return company, proposals


def introduction_list_for_coordinator(*, user, stage: str = ""):
    _require_coordinator(user)
    introductions = Introduction.objects.select_related("thai_company", "japanese_company", "requested_by")
    return introductions.filter(stage=stage) if stage else introductions


def introduction_list_for_member(*, user):
    companies = user.memberships.values("company_id")
    return Introduction.objects.filter(
        Q(thai_company__in=companies) | Q(japanese_company__in=companies)
    ).select_related("thai_company", "japanese_company")


def dashboard_figures(*, user) -> dict:
    _require_coordinator(user)
    mutual = Interest.objects.filter(interested=True, company__country="TH").filter(
        partner__interests__partner=F("company"), partner__interests__interested=True
    )
    return {
        "proposals": MatchProposal.objects.count(),
        "proposals_by_country": dict(
            MatchProposal.objects.values_list("company__country").annotate(n=Count("pk"))
        ),
        "proposals_by_industry": list(
            MatchProposal.objects.filter(company__industries__is_focus=True)
            .values(
                "company__industries__slug",
                "company__industries__name_en",
                "company__industries__name_th",
                "company__industries__name_ja",
            )
            .annotate(n=Count("pk"))
            .order_by("-n")
        ),
        "mutual": list(mutual.select_related("company", "partner")[:50]),
        "introductions_by_stage": dict(Introduction.objects.values_list("stage").annotate(n=Count("pk"))),
        "runs": list(MatchRun.objects.select_related("company")[:10]),
    }


def proposal_list_for_coordinator(*, user, country: str = "", industry: str = "", min_score: float = 0.0):
    """All proposals, best first, for the coordinators' dashboard (filters: country, industry, score)."""
    _require_coordinator(user)
    proposals = MatchProposal.objects.select_related("company", "partner").filter(score__gte=min_score)
    if country:
        proposals = proposals.filter(company__country=country)
    if industry:
        proposals = proposals.filter(company__industries__slug=industry, partner__industries__slug=industry)
    return proposals.order_by("-score", "company_id", "rank")


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
