"""Reads on postings, scoped to a user."""

import rules
from django.db.models import QuerySet
from django.http import Http404

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


SEE_POSTING = "postings.see_posting"


def posting_get_for_user(*, user, pk: int, permission: str = SEE_POSTING) -> Posting:
    """The posting ``pk`` if ``user`` holds ``permission`` on it (by default: may see it); 404 when
    missing or not allowed."""
    postings = Posting.objects.select_related("company")
    if permission == SEE_POSTING:
        postings = _with_terms(postings)
    posting = postings.filter(pk=pk).first()
    if posting is None or not rules.has_perm(permission, user, posting):
        raise Http404
    return posting


def posting_get_for_editor(*, user, pk: int) -> Posting:
    """Old name of ``posting_get_for_user(permission="postings.edit_posting")`` (the postings API)."""
    return posting_get_for_user(user=user, pk=pk, permission="postings.edit_posting")
