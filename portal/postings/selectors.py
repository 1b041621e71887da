"""Reads on postings, scoped to a user."""

from collections import Counter
from dataclasses import dataclass, replace

import rules
from django.db.models import QuerySet
from django.http import Http404

from portal.companies.search import search_terms
from portal.companies.selectors import matching_terms
from portal.core.lookups import allowed_or_404
from portal.postings.models import TEXT_FIELDS, Posting, PostingType


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


def _filtered(filters: PostingFilters) -> QuerySet[Posting]:
    postings = Posting.objects.live().select_related("company")
    if filters.type:
        postings = postings.filter(type=filters.type)
    if filters.country:
        postings = postings.filter(company__country=filters.country)
    return postings


def posting_search(*, user, filters: PostingFilters) -> QuerySet[Posting]:
    """Live postings (what anybody may see) matching ``filters``, newest first (one query per page).
    Every word of the query is looked for in the titles and texts of every language, each anywhere
    (Thai and Japanese have no spaces, so a substring is what a person means), as the directory looks for
    it: in its other spellings and languages too (portal/companies/selectors.py ``matching_terms``)."""
    postings = _filtered(filters)
    if filters.q:
        postings = postings.filter(matching_terms(search_terms(filters.q)))
    return postings.order_by("-published_at", "-pk")


def posting_corrected_query(*, filters: PostingFilters) -> str:
    """The query with its misspelt Latin words corrected ("injecton" → "injection"), for a search that
    found nothing; "" when there is nothing to correct. As the directory does
    (portal/companies/selectors.py ``company_directory_search``), a word is corrected towards the
    taxonomy's words and the words of the live postings that pass the other filters, never a word of the
    taxonomy itself."""
    from portal.companies.search import closest_word, is_correctable, latin_words, normalize, taxonomy_words

    words = filters.q.split()
    correctable = [normalize(word) for word in words if is_correctable(normalize(word))]
    known = taxonomy_words()
    if not [word for word in correctable if word not in known]:
        return ""
    vocabulary: Counter[str] = Counter(dict.fromkeys(known, 1))
    for texts in _filtered(filters).values_list(*TEXT_FIELDS).iterator(chunk_size=2000):
        vocabulary.update(latin_words(normalize(" ".join(texts))))
    corrected = [
        (closest_word(normalize(word), vocabulary) or word)
        if is_correctable(normalize(word)) and normalize(word) not in known
        else word
        for word in words
    ]
    return " ".join(corrected) if corrected != words else ""


def posting_search_corrected(*, user, filters: PostingFilters) -> tuple[QuerySet[Posting], str] | None:
    """For a search that found nothing: the live postings of the query with its misspelt Latin words
    corrected (``posting_corrected_query``) and that corrected query; None when there is nothing to correct.
    The page calls it only after an empty result, so a search that finds something costs no query more."""
    corrected = posting_corrected_query(filters=filters) if filters.q else ""
    if not corrected:
        return None
    return posting_search(user=user, filters=replace(filters, q=corrected)), corrected
