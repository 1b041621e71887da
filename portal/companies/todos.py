"""The companies' and the portal's items of the dashboard's to-do list (portal/core/dashboard.py), and
the profile completeness of a member's companies."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.companies.models import Company, VerificationStatus
from portal.core.dashboard import Todo


def company_todos(*, user, roles, company_ids) -> list[Todo]:
    """Coordinators: the vetting queue and data requests overdue or due within a week (2 queries)."""
    from portal.privacy.models import DataRequest, RequestStatus

    items = []
    if roles & {"coordinator", "admin"}:
        pending = Company.objects.filter(verification_status=VerificationStatus.PENDING).count()
        items.append(
            Todo(
                role="coordinator",
                count=pending,
                url=reverse("companies:vetting"),
                text=ngettext("%(n)s company waits for vetting", "%(n)s companies wait for vetting", pending)
                % {"n": pending},
            )
        )
        soon = timezone.localdate() + datetime.timedelta(days=7)
        due = DataRequest.objects.filter(status=RequestStatus.OPEN, due_on__lte=soon).count()
        items.append(
            Todo(
                role="coordinator",
                count=due,
                urgent=True,
                url=reverse("privacy_requests"),
                text=ngettext(
                    "%(n)s data request is overdue or due within a week",
                    "%(n)s data requests are overdue or due within a week",
                    due,
                )
                % {"n": due},
            )
        )
    return items


def admin_todos(*, user, roles, company_ids) -> list[Todo]:
    """Admins: tasks kept while the broker was down (1 query)."""
    if "admin" not in roles:
        return []
    from portal.core import outbox

    backlog = outbox.pending_count()
    return [
        Todo(
            role="admin",
            count=backlog,
            urgent=True,
            url=reverse("healthz"),
            text=ngettext(
                "%(n)s task waits for the broker (outbox backlog)",
                "%(n)s tasks wait for the broker (outbox backlog)",
                backlog,
            )
            % {"n": backlog},
        )
    ]


def profile_completeness(*, company_ids: list[int]) -> list[dict]:
    """For each company: the percentage of the profile that helps matching and the prompts, each with
    the edit step that fixes it (one query for all the companies)."""
    companies = (
        Company.objects.filter(pk__in=company_ids)
        .annotate(
            dated_certificates=Count(
                "certificates", filter=Q(certificates__expires_on__isnull=False), distinct=True
            ),
            looking=Count("looking_for", distinct=True),
            seeks=Count("seeking", distinct=True),
            industry_count=Count("industries", distinct=True),
            # what waits for the owner, on the same query: people asking to join (join_request_todos)
            pending_joins=Count("join_requests", filter=Q(join_requests__status="pending"), distinct=True),
        )
        .order_by("pk")
    )
    result = []
    for company in companies:
        edit = lambda step, pk=company.pk: reverse("companies:edit", kwargs={"pk": pk, "step": step})  # noqa: E731
        checks = [
            (bool(company.description_en.strip()), _("Add an English description"), edit("about")),
            (bool(company.description_th.strip()), _("Add a Thai description"), edit("about")),
            (bool(company.description_ja.strip()), _("Add a Japanese description"), edit("about")),
            (company.industry_count > 0, _("Choose your industries"), edit("capabilities")),
            (
                company.looking > 0 and company.seeks > 0,
                _("Add what you are looking for"),
                edit("capabilities"),
            ),
            (
                company.dated_certificates > 0,
                _("Add your certificates with expiry dates"),
                edit("capabilities"),
            ),
            (company.employees is not None, _("Add the number of employees"), edit("profile")),
            (bool(company.website), _("Add your website"), edit("profile")),
        ]
        done = sum(1 for ok, _text, _url in checks if ok)
        result.append(
            {
                "company": company,
                "percent": round(100 * done / len(checks)),
                "prompts": [{"text": text, "url": url} for ok, text, url in checks if not ok],
            }
        )
    return result


def join_request_todos(completeness: list[dict]) -> list[Todo]:
    """The owner's to-do items for people asking to join their companies, from ``profile_completeness``'s
    rows (no query of its own: the count rides on theirs)."""
    items = []
    for profile in completeness:
        company, pending = profile["company"], profile["company"].pending_joins
        if pending:
            items.append(
                Todo(
                    role="member",
                    count=pending,
                    urgent=True,
                    url=reverse("companies:members", kwargs={"pk": company.pk}),
                    text=ngettext(
                        "%(n)s person asks to join %(company)s",
                        "%(n)s people ask to join %(company)s",
                        pending,
                    )
                    % {"n": pending, "company": company.display_name()},
                )
            )
    return items
