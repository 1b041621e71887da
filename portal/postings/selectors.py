"""Reads on postings, scoped to a user."""

import rules
from django.db.models import QuerySet
from django.http import Http404

from portal.core.lookups import allowed_or_404
from portal.postings.models import Posting


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
