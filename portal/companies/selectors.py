"""Reads on companies, always scoped to a user."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import astuple, dataclass, fields

import rules
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.db import OperationalError, connection, transaction
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from portal.accounts.models import User
from portal.companies.models import (
    Company,
    CompanyCertification,
    ImportJob,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipRole,
)
from portal.companies.search import (
    closest_word,
    equivalents,
    is_correctable,
    latin_words,
    phrases,
    search_terms,
    taxonomy_words,
    translations,
)
from portal.taxonomy.models import Capability, Industry, LookingFor


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    country: str = ""
    industry: str = ""
    capability: str = ""
    certification: str = ""
    region: str = ""
    eec: bool = False
    size_class: str = ""
    looking_for: str = ""

    @property
    def narrowing(self) -> int:
        """How many filters besides the search words are set (the directory's fold shows the count)."""
        return sum(bool(getattr(self, field.name)) for field in fields(self) if field.name != "q")


def _with_profile(queryset: QuerySet[Company]) -> QuerySet[Company]:
    """What a list row shows, in a fixed number of queries whatever the number of companies."""
    return queryset.select_related("region").prefetch_related(
        "industries",
        "capabilities",
        "looking_for",
        Prefetch(
            "certificates", queryset=CompanyCertification.objects.valid().select_related("certification")
        ),
    )


def _has_nul(filters: DirectoryFilters) -> bool:
    # No stored text has a NUL character (PostgreSQL cannot even compare with one): nothing matches.
    return any(isinstance(value, str) and "\x00" in value for value in astuple(filters))


def matching_terms(terms: list[str]) -> Q:
    """Every term in the text (``search_text``, as the companies' and the postings' hold it), as typed, as
    one of its equivalents in another language or spelling, or (a name of the taxonomy) as that name in
    another language; terms that together are a name of several words ("injection molding") may also be
    found as that name in another language (``phrases``)."""
    condition = Q()
    for group, phrase_translations in phrases(terms):
        every = Q()
        for term in group:
            either = Q(search_text__contains=term)
            for word in dict.fromkeys([*equivalents(term), *translations(term)]):
                either |= Q(search_text__contains=word)
            every &= either
        for word in phrase_translations:
            every |= Q(search_text__contains=word)
        condition &= every
    return condition


def company_directory_list(*, user: User, filters: DirectoryFilters) -> QuerySet[Company]:
    """The public directory: verified companies only (contacts are never part of it); every term of the
    query must be in the company's search text, as typed (the API and saved searches)."""
    if _has_nul(filters):
        return _with_profile(Company.objects.none())
    companies = _directory_filtered(filters).filter(matching_terms(search_terms(filters.q)))
    return _with_profile(companies).order_by(*DIRECTORY_ORDER)


DIRECTORY_ORDER = ("name_en", "name_th", "name_ja", "pk")
# Below this many exact hits the directory page also looks for a misspelt Latin word; from it on, the exact
# search is all it runs (one more COUNT of at most this many rows, and only when there is a query).
FUZZY_BELOW = 3
# How many companies PostgreSQL hands over as the vocabulary for one term.
FUZZY_CANDIDATES = 50
# How long PostgreSQL may look for candidates for one term before the taxonomy's words alone are used.
FUZZY_TIMEOUT_MS = 300
# pg_trgm's word similarity above which a company is a candidate ("machning" in "…machining…" is 0.58;
# the server's default, 0.6, would miss it). The GIN trigram index on search_text (migration 0002) serves
# the ``<%`` operator this sets the threshold of.
FUZZY_WORD_SIMILARITY = 0.5


@dataclass(frozen=True)
class DirectorySearch:
    """The directory page's answer: ``companies`` (exact hits first), the query as typed, the corrected
    query when misspelt words were corrected ("" otherwise), and how many hits were exact."""

    companies: QuerySet[Company]
    query: str = ""
    corrected: str = ""
    exact_count: int = 0


def company_directory_search(*, user: User, filters: DirectoryFilters) -> DirectorySearch:
    """The directory page's search: as :func:`company_directory_list`, and when that finds fewer than
    ``FUZZY_BELOW`` companies, misspelt Latin words of the query are corrected towards the words of the
    companies' texts (pg_trgm similarity picks the candidate companies on PostgreSQL, every company that
    passes the filters on SQLite; :func:`portal.companies.search.closest_word` picks the word), and the
    companies of the corrected query follow the exact hits."""
    exact = company_directory_list(user=user, filters=filters)
    terms = search_terms(filters.q)
    if _has_nul(filters) or not any(is_correctable(term) for term in terms):
        return DirectorySearch(companies=exact, query=filters.q)
    exact_count = exact.order_by()[:FUZZY_BELOW].count()  # unordered: stops at the third hit
    if exact_count >= FUZZY_BELOW:
        return DirectorySearch(companies=exact, query=filters.q, exact_count=exact_count)
    base = _directory_filtered(filters)
    corrected = [_corrected_term(base, term) if is_correctable(term) else term for term in terms]
    if corrected == terms:
        return DirectorySearch(companies=exact, query=filters.q, exact_count=exact_count)
    exact_terms, fuzzy_terms = matching_terms(terms), matching_terms(corrected)
    companies = (
        base.filter(exact_terms | fuzzy_terms)
        .annotate(fuzzy=Case(When(exact_terms, then=Value(0)), default=Value(1)))
        .order_by("fuzzy", *DIRECTORY_ORDER)
    )
    if not companies.filter(fuzzy=1).exists():
        return DirectorySearch(companies=exact, query=filters.q, exact_count=exact_count)
    return DirectorySearch(
        companies=_with_profile(companies),
        query=filters.q,
        corrected=" ".join(corrected),
        exact_count=exact_count,
    )


def _corrected_term(companies: QuerySet[Company], term: str) -> str:
    """The word nearest to ``term`` that is more common than it, when ``term`` itself is in fewer than
    ``FUZZY_BELOW`` of the candidate texts ("machning" written once loses to "machining" written twice;
    "machining", common, is never corrected); ``term`` again otherwise. The vocabulary is the taxonomy's
    Latin words (always there, counted as common) and the words of the candidate texts."""
    known = taxonomy_words()
    if term in known:  # a word of the taxonomy is never a typo ("molding" is not "moulding" misspelt)
        return term
    holding = 0
    vocabulary: Counter[str] = Counter(dict.fromkeys(known, FUZZY_BELOW))
    for text in _candidate_texts(companies, term):
        holding += term in text
        if holding >= FUZZY_BELOW:
            return term
        vocabulary.update(latin_words(text))
    return closest_word(term, vocabulary, more_than=holding) or term


def _candidate_texts(companies: QuerySet[Company], term: str) -> list[str] | Iterator[str]:
    if connection.vendor != "postgresql":
        # SQLite (the embedded mode): every company that passes the filters, read once.
        return companies.values_list("search_text", flat=True).iterator(chunk_size=2000)
    # PostgreSQL: the first FUZZY_CANDIDATES companies whose text holds a word like ``term`` (pg_trgm's
    # ``<%``, served by the GIN trigram index of migration 0002). Not ordered by similarity: that would
    # recheck every row sharing a trigram with the term (seconds at 50,000 companies). A term like nothing
    # still makes the index recheck many rows, so the query is cut at FUZZY_TIMEOUT_MS and the taxonomy's
    # words are the vocabulary alone.
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL pg_trgm.word_similarity_threshold = %s", [FUZZY_WORD_SIMILARITY])
            cursor.execute("SET LOCAL statement_timeout = %s", [FUZZY_TIMEOUT_MS])
            # search_text %> term, i.e. term <% search_text (django.contrib.postgres is not an installed
            # app, so the lookup is used as an expression rather than by its name).
            texts = list(
                companies.filter(TrigramWordSimilar(F("search_text"), Value(term))).values_list(
                    "search_text", flat=True
                )[:FUZZY_CANDIDATES]
            )
            cursor.execute("SET LOCAL statement_timeout = DEFAULT")
    except OperationalError:  # the statement timeout: the savepoint is rolled back, settings with it
        return []
    return texts


def _directory_filtered(filters: DirectoryFilters) -> QuerySet[Company]:
    """Verified companies passing every filter but the query."""
    companies = Company.objects.verified()
    if filters.country:
        companies = companies.filter(country=filters.country)
    if filters.region:
        companies = companies.filter(region__code=filters.region)
    if filters.eec:
        companies = companies.in_eec()
    if filters.size_class:
        companies = companies.filter(size_class=filters.size_class)
    # Each taxonomy filter is an IN subquery on the link table, so rows are never duplicated. The term's
    # slug is read into its id first and the id passed as a constant: joined on the slug, PostgreSQL cannot
    # know which industry it is and plans for the average one (4,500 companies of 40,000 for the 14,354 of
    # medical devices; 980 without statistics, and a nested loop that read 43,000 pages and sorted 14,000
    # whole rows: 170 + 270 ms); on the id it reads that industry's own frequency from the statistics.
    for value, model, link, column in (
        (filters.industry, Industry, Company.industries.through, "industry_id"),
        (filters.capability, Capability, Company.capabilities.through, "capability_id"),
        (filters.looking_for, LookingFor, Company.looking_for.through, "lookingfor_id"),
    ):
        if value:
            term = model.objects.filter(slug=value).values_list("pk", flat=True).first()
            if term is None:
                return _with_profile(Company.objects.none())
            companies = companies.filter(pk__in=link.objects.filter(**{column: term}).values("company_id"))
    if filters.certification:
        # A certificate counts while valid; an equivalent standard counts too (AS9100 ≡ JIS Q 9100).
        certificates = CompanyCertification.objects.valid().filter(
            Q(certification__slug=filters.certification)
            | Q(certification__equivalent_to__slug=filters.certification)
            | Q(certification__equivalents__slug=filters.certification)
        )
        companies = companies.filter(pk__in=certificates.values("company_id"))
    return companies


SEE_COMPANY = "companies.see_company"


def company_get_for_user(*, user: User, pk: int, permission: str = SEE_COMPANY) -> Company:
    """The company ``pk`` if ``user`` holds ``permission`` on it (a django-rules name; by default
    "may see its page": verified ones for everybody, others for their members and coordinators); 404
    when missing or not allowed, the same answer. The page's permission brings what the profile shows
    (taxonomy, valid certificates) in a fixed number of queries."""
    companies = _with_profile(Company.objects.all()) if permission == SEE_COMPANY else Company.objects.all()
    company = companies.filter(pk=pk).first()
    if company is None or not rules.has_perm(permission, user, company):
        raise Http404
    return company


def company_get_with_permission(*, user: User, pk: int, permission: str) -> Company:
    """Old name of ``company_get_for_user(permission=...)``, kept until its callers in matching move."""
    return company_get_for_user(user=user, pk=pk, permission=permission)


def company_get_for_editor(*, user: User, pk: int) -> Company:
    """Old name of ``company_get_for_user(permission="companies.edit_company")`` (the postings API)."""
    return company_get_for_user(user=user, pk=pk, permission="companies.edit_company")


def company_list_for_member(*, user: User, with_ownership: bool = False) -> QuerySet[Company]:
    """The companies ``user`` belongs to; ``with_ownership``: each with ``is_owned``, whether ``user`` is its
    owner (what "companies.edit_company" grants a member), read in the same query."""
    if not user.is_authenticated:
        return Company.objects.none()
    companies = Company.objects.filter(memberships__user=user).select_related("region")
    if with_ownership:  # on the membership the filter joined: one row per company
        owner = When(memberships__role=MembershipRole.OWNER, then=Value(True))
        return companies.annotate(is_owned=Case(owner, default=Value(False)))
    return companies.distinct()


def company_vetting_queue(*, user: User) -> QuerySet[Company]:
    if not rules.has_perm("companies.vet_company", user):
        raise Http404
    return (
        Company.objects.pending()
        .select_related("region")
        .prefetch_related(
            "industries",
            Prefetch("memberships", queryset=Membership.objects.select_related("user")),
            # Every certificate, expired ones too: the coordinator vets what the company claims.
            Prefetch(
                "certificates",
                queryset=CompanyCertification.objects.select_related("certification__equivalent_to"),
            ),
        )
        .order_by("created_at", "pk")
    )


def company_vetting_get_for_user(*, user: User, pk: int) -> Company:
    """A company waiting for review, for those who vet (``companies.vet_company``); else 404."""
    company = company_vetting_queue(user=user).filter(pk=pk).first()
    if company is None:
        raise Http404
    return company


def join_request_get_for_user(
    *, user: User, pk: int, company_pk: int, permission: str = "companies.manage_members"
) -> JoinRequest:
    """A join request to company ``company_pk`` if ``user`` holds ``permission`` on that company; 404
    when missing, of another company or not allowed."""
    join_request = JoinRequest.objects.select_related("company").filter(pk=pk, company_id=company_pk).first()
    if join_request is None or not rules.has_perm(permission, user, join_request.company):
        raise Http404
    return join_request


def membership_get_for_user(
    *, user: User, pk: int, company_pk: int, permission: str = "companies.manage_members"
) -> Membership:
    """A membership of company ``company_pk`` if ``user`` holds ``permission`` on that company; 404
    when missing, of another company or not allowed."""
    membership = Membership.objects.select_related("company").filter(pk=pk, company_id=company_pk).first()
    if membership is None or not rules.has_perm(permission, user, membership.company):
        raise Http404
    return membership


def membership_list_for_company(*, company: Company) -> QuerySet[Membership]:
    return company.memberships.select_related("user").order_by("role", "user__email")


def join_request_list_for_company(*, company: Company) -> QuerySet[JoinRequest]:
    return company.join_requests.filter(status=JoinRequestStatus.PENDING).select_related("user")


def join_request_list_for_user(*, user: User) -> QuerySet[JoinRequest]:
    return user.join_requests.select_related("company").order_by("-created_at")


def import_job_list_for_user(*, user: User) -> QuerySet[ImportJob]:
    """Every import (coordinators work as a team), newest first; nothing for anyone else."""
    if not rules.has_perm("companies.import_companies", user):
        return ImportJob.objects.none()
    return ImportJob.objects.select_related("created_by").defer("errors")


def import_job_get_for_user(*, user: User, pk: int) -> ImportJob:
    job = ImportJob.objects.select_related("created_by").filter(pk=pk).first()
    if job is None or not rules.has_perm("companies.import_companies", user):
        raise Http404
    return job


def user_country(user) -> str:
    """The country a person reads phone numbers from: their (first) company's, ``"TH"`` for DIP's staff
    (coordinators, consultants, admins), empty when unknown. Cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return ""
    if "_portal_country" not in user.__dict__:
        companies = Company.objects.filter(memberships__user=user).order_by("pk")
        country = companies.values_list("country", flat=True).first()
        if country is None:
            country = "TH" if _is_dip_staff(user) else ""
        user.__dict__["_portal_country"] = country
    return user.__dict__["_portal_country"]


def _is_dip_staff(user) -> bool:
    return (
        user.is_staff
        or rules.has_perm("portal.access_coordinator_desk", user)
        or rules.has_perm("portal.access_consultant_desk", user)
    )


def companies_owned_alone(*, user: User) -> list[Company]:
    """The companies of which ``user`` is the only owner: deleting the account leaves them without one (the
    privacy page says so first, and the coordinators are told)."""
    other_owners = Membership.objects.filter(company=OuterRef("pk"), role=MembershipRole.OWNER).exclude(
        user=user
    )
    return list(
        Company.objects.filter(memberships__user=user, memberships__role=MembershipRole.OWNER)
        .exclude(Exists(other_owners))
        .order_by("pk")
    )
