from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from portal.companies.models import Country, SizeClass
from portal.companies.panels import company_panels
from portal.companies.selectors import DirectoryFilters, company_directory_search, company_get_for_user
from portal.companies.suggestions import CACHE_SECONDS, directory_suggestions
from portal.core.pagination import DeferredJoinPaginator
from portal.postings.selectors import posting_list_public_for_company
from portal.showcase.selectors import product_list_for_company_page
from portal.taxonomy.selectors import taxonomy_choices

PAGE_SIZE = 20
# Pages from this row on read their keys first (portal/core/pagination.py): to skip 30,000 rows, page 1,500
# of 40,000 companies read 8,248 pages of the table; by its keys, 676 pages of an index and 47 of the table.
DEFER_FROM = 200


def _filters_from(request: HttpRequest) -> DirectoryFilters:
    return filters_from_query(request.GET)


def filters_from_query(get) -> DirectoryFilters:
    """The directory's filters from a query (the page's GET, or a saved search's stored query)."""
    return DirectoryFilters(
        q=get.get("q", "").strip()[:200],
        country=get.get("country", "") if get.get("country") in Country.values else "",
        industry=get.get("industry", "")[:40],
        capability=get.get("capability", "")[:40],
        certification=get.get("certification", "")[:40],
        region=get.get("region", "")[:6],
        eec=get.get("eec") == "1",
        size_class=get.get("size_class", "") if get.get("size_class") in SizeClass.values else "",
        looking_for=get.get("looking_for", "")[:40],
    )


def _with_query(query, q: str) -> str:
    """The same filters with another search query."""
    query = query.copy()
    query["q"] = q
    return query.urlencode()


def directory(request: HttpRequest) -> HttpResponse:
    filters = _filters_from(request)
    search = company_directory_search(user=request.user, filters=filters)
    page = DeferredJoinPaginator(search.companies, PAGE_SIZE, defer_from=DEFER_FROM).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "companies/directory.html",
        {
            "page": page,
            "filters": filters,
            "search": search,
            "corrected_querystring": _with_query(query, search.corrected) if search.corrected else "",
            "choices": taxonomy_choices(),
            "countries": Country.choices,
            "size_classes": SizeClass.choices,
            "querystring": query.urlencode(),
        },
    )


def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = company_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "companies/company_detail.html",
        {
            "company": company,
            "postings": posting_list_public_for_company(user=request.user, company=company),
            "products": product_list_for_company_page(user=request.user, company=company),
            "panels": company_panels(request=request, company=company),
            "vetting_days": settings.PORTAL_VETTING_DAYS,
            "noindex": not company.is_verified,
        },
    )


@require_GET
def suggestions(request: HttpRequest) -> JsonResponse:
    """Taxonomy terms matching what is typed in the directory's search box (static/js/directory_suggest.js),
    labelled in the reader's language. Public, like the directory; the browser may keep an answer for as
    long as the server keeps its index."""
    found = directory_suggestions(query=request.GET.get("q", ""), language=(get_language() or "en")[:2])
    response = JsonResponse({"suggestions": found})
    patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response
