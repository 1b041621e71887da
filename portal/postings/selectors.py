"""Reads on postings, scoped to a user."""

from dataclasses import dataclass

import rules
from django.db.models import Q, QuerySet
from django.http import Http404

from portal.core.lookups import allowed_or_404
from portal.postings.models import Posting, PostingType


def _with_terms(postings: QuerySet[Posting]) -> QuerySet[Posting]:
    return postings.prefetch_related("industries", "capabilities", "required_certifications")


def posting_list_public_for_company(*, user, company) -> QuerySet[Posting]:
    """Live postings, plus every posting for the company's own members and coordinators."""
    if rules.has_perm("companies.view_company_private", user, company):
        return _with_terms(company.postings.all())
    return _with_terms(company.postings.live())


def posting_list_for_company_members(*, user, company) -> QuerySet[Posting]:
    if not rules.has_perm("companies.view_company_private", user, company):
        raise Http404
    return _with_terms(company.postings.all())


def posting_list_public(*, user) -> QuerySet[Posting]:
    return _with_terms(Posting.objects.live().select_related("company"))


def posting_get_for_user(*, user, pk: int, permission: str = "postings.see_posting") -> Posting:
    """A posting ``user`` holds ``permission`` on (``postings.edit_posting`` to change it); 404 when
    missing or not allowed (portal/core/lookups.py)."""
    posting = _with_terms(Posting.objects.select_related("company")).filter(pk=pk).first()
    return allowed_or_404(posting, user=user, permission=permission)


@dataclass(frozen=True)
class PostingFilters:
    q: str = ""
    type: str = ""
    country: str = ""


def posting_filters_from_query(get) -> PostingFilters:
    """The postings list's filters from a query (the page's GET, or a saved search's stored query);
    an unknown type or country is ignored."""
    from portal.companies.models import Country

    return PostingFilters(
        q=get.get("q", "").strip()[:200],
        type=get.get("type", "") if get.get("type") in PostingType.values else "",
        country=get.get("country", "") if get.get("country") in Country.values else "",
    )


def posting_search(*, user, filters: PostingFilters) -> QuerySet[Posting]:
    """Live postings (what anybody may see) matching ``filters``, newest first (one query per page).
    The words are looked for in the titles and texts of every language (Thai and Japanese have no spaces,
    so a substring is what a person means)."""
    postings = Posting.objects.live().select_related("company")
    if filters.type:
        postings = postings.filter(type=filters.type)
    if filters.country:
        postings = postings.filter(company__country=filters.country)
    if filters.q:
        text = Q()
        for field in ("title_en", "title_th", "title_ja", "body_en", "body_th", "body_ja"):
            text |= Q(**{f"{field}__icontains": filters.q})
        postings = postings.filter(text)
    return postings.order_by("-published_at", "-pk")
