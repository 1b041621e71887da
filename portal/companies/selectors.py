"""Reads on companies, always scoped to a user."""

from dataclasses import astuple, dataclass

import rules
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from portal.accounts.models import User
from portal.companies.models import (
    Company,
    CompanyCertification,
    ImportJob,
    JoinRequest,
    JoinRequestStatus,
    Membership,
)
from portal.companies.search import search_terms
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


def company_directory_list(*, user: User, filters: DirectoryFilters) -> QuerySet[Company]:
    """The public directory: verified companies only (contacts are never part of it)."""
    if any(isinstance(value, str) and "\x00" in value for value in astuple(filters)):
        # No stored text has a NUL character (PostgreSQL cannot even compare with one): nothing matches.
        return _with_profile(Company.objects.none())
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
    for term in search_terms(filters.q):
        companies = companies.filter(search_text__contains=term)
    return _with_profile(companies).order_by("name_en", "name_th", "name_ja", "pk")


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


def company_list_for_member(*, user: User) -> QuerySet[Company]:
    """The companies ``user`` belongs to."""
    if not user.is_authenticated:
        return Company.objects.none()
    return Company.objects.filter(memberships__user=user).select_related("region").distinct()


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
            Prefetch("certificates", queryset=CompanyCertification.objects.select_related("certification")),
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
