import logging
import mimetypes

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousFileOperation
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from rest_framework.exceptions import NotFound

from portal.accounts.selectors import user_roles
from portal.companies.selectors import company_list_for_member
from portal.companies.todos import join_request_todos, profile_completeness
from portal.core.dashboard import todos_for
from portal.core.health import check_broker, check_database
from portal.core.images import HASHED_NAME
from portal.core.storage import public_storage

logger = logging.getLogger(__name__)

TODO_ROLES = [
    ("member", gettext_lazy("For your company")),
    ("consultant", gettext_lazy("Your diagnoses")),
    ("coordinator", gettext_lazy("Coordination")),
    ("admin", gettext_lazy("System")),
]


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    # With ``is_owned``: the profile and postings are the owner's to open from here, the products anyone's.
    companies = list(company_list_for_member(user=request.user, with_ownership=True))
    roles = set(user_roles(user=request.user))
    member_ids = [company.pk for company in companies] if "member" in roles else []
    # The prompts lead to the profile's edit pages: the owner's to follow (a member would meet a 404).
    completeness = profile_completeness(
        company_ids=[c.pk for c in companies if c.is_owned and c.pk in member_ids]
    )
    todos = join_request_todos(completeness) + todos_for(
        user=request.user, roles=roles, company_ids=member_ids
    )
    context = {
        "roles": roles,
        "todo_groups": [
            (role, label, [item for item in todos if item.role == role])
            for role, label in TODO_ROLES
            if role in roles or (role == "coordinator" and "admin" in roles)
        ],
        "todo_count": len(todos),
        "completeness": completeness,
        "companies": companies,
        # A person's name, else their company's; never the e-mail address (it overflowed phones).
        "greeting_name": request.user.get_full_name() or (companies[0].display_name() if companies else ""),
        "vetting_days": settings.PORTAL_VETTING_DAYS,
    }
    return render(request, "portal/dashboard.html", context)


def public_media(request: HttpRequest, name: str) -> FileResponse:
    """A public file (a company logo) from the public storage, for anyone. Private files live in another
    storage and never come out here. A reverse proxy may serve MEDIA_ROOT itself instead."""
    try:
        stream = public_storage().open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, SuspiciousFileOperation):
        raise Http404 from None
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(stream, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Names are never reused (a new upload gets a new name), so a day of caching is safe; a name that is the
    # hash of its content (re-encoded logos, portal/core/images.py) never changes meaning: a year.
    if HASHED_NAME.search(name):
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "public, max-age=86400"
    return response


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status as JSON; 503 when the database is down (the site cannot work)."""
    database = check_database()
    broker = check_broker()
    status = "ok" if database["ok"] and broker["ok"] else ("degraded" if database["ok"] else "down")
    if database["ok"] and broker["mode"] == "broker":
        from django.db import DatabaseError

        from portal.core.outbox import pending_count

        try:  # tasks kept while the broker was down, sent when it is back
            broker["pending_tasks"] = pending_count()
        except DatabaseError:  # not migrated yet
            broker["pending_tasks"] = None
    return JsonResponse(
        {"status": status, "database": database, "broker": broker},
        status=200 if database["ok"] else 503,
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        # An API client gets JSON like the API's own 404s (e.g. an id with a dot matches no route).
        return JsonResponse({"detail": NotFound.default_detail}, status=404)
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF page is English-only and technical: ours is translated and says what to do."""
    return render(request, "errors/403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("errors/500.html").render({"request": request}))
