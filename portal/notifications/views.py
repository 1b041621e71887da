"""The notification center: the list (filters, mark read / all read), the bell's unread count (polled by
static/js/portal.js, no Redis) and the one-click open that marks a notification read and goes to the
place where the person acts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.core.service_calls import call_service_for_view
from portal.notifications import selectors, services
from portal.notifications.forms import MarkReadForm, NotificationFilterForm, PreferencesForm, SavedSearchForm
from portal.notifications.kinds import email_kinds, kind_label
from portal.notifications.models import Notification, SearchTarget
from portal.notifications.unsubscribe import ALL, BadToken, read_token

LIST_LIMIT = 100


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    kinds = [(name, kind_label(name)) for name in selectors.notification_kinds_for_user(user=request.user)]
    form = NotificationFilterForm(request.GET or None, kinds=kinds)
    kind, unread = "", False
    if form.is_bound and form.is_valid():
        kind, unread = form.cleaned_data["kind"], form.cleaned_data["unread"]
    elif form.is_bound:
        messages.error(request, _("That filter is not available; all notifications are shown."))
    rows = list(
        selectors.notification_list_for_user(user=request.user, limit=LIST_LIMIT, kind=kind, unread=unread)
    )
    for row in rows:
        row.subject, row.sentence = selectors.notification_render(row)
    return render(
        request,
        "notifications/list.html",
        {
            "notifications": rows,
            "any_unread": any(row.read_at is None for row in rows),  # else "Mark all as read" does nothing
            "form": form,
            "filtered": bool(kind or unread),
            "limit": LIST_LIMIT,
        },
    )


@login_required
@require_GET
def unread(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"unread": selectors.notification_unread_count(user=request.user)})


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go where the person acts (a link inside the portal only)."""
    try:
        row = selectors.notification_get_for_user(user=request.user, pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    services.notification_mark_read(user=request.user, ids=[row.pk])
    if row.url and url_has_allowed_host_and_scheme(row.url, allowed_hosts={request.get_host()}):
        return redirect(row.url)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That notification could not be marked read. Nothing was changed."))
        return redirect("notifications:list")
    pk = form.cleaned_data["notification"]
    if pk and not selectors.notification_exists_for_user(user=request.user, pk=pk):
        # Another person's or a deleted notification: nothing to mark, and not "marked as read".
        messages.error(request, _("That notification could not be marked read. Nothing was changed."))
        return redirect("notifications:list")
    call_service_for_view(
        request,
        services.notification_mark_read,
        success=_("Marked as read.") if pk else _("All notifications are marked as read."),
        user=request.user,
        ids=[pk] if pk else None,
    )
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """How often each kind of notification is e-mailed; security and account mails are not listed."""
    kinds = email_kinds(request.user)
    current = selectors.notification_preferences_for_user(user=request.user)
    thresholds = selectors.notification_threshold_choices_for_user(user=request.user)
    form = PreferencesForm(request.POST or None, kinds=kinds, current=current, thresholds=thresholds)
    if request.method == "POST" and form.is_valid():
        result = call_service_for_view(
            request,
            services.notification_preferences_set,
            success=_("Your notification settings are saved."),
            form=form,
            user=request.user,
            choices=form.choices(),
            thresholds=form.thresholds(),
        )
        if result.ok:
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # a mail program's one-click POST (RFC 8058) carries no CSRF token; the signature is the check
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """A signed link per person and kind: GET asks to confirm, POST turns those e-mails off. A changed or
    made-up link is refused (404), nothing changed."""
    try:
        user_pk, kind = read_token(token)
    except BadToken:
        raise Http404 from None
    if request.method == "POST":
        try:
            services.notification_unsubscribe(token=token)
        except ValidationError:
            raise Http404 from None
        return render(request, "notifications/unsubscribe.html", {"done": True, "label": _label(kind)})
    if not email_kinds() or (kind != ALL and kind not in {spec.name for spec in email_kinds()}):
        raise Http404
    return render(request, "notifications/unsubscribe.html", {"done": False, "label": _label(kind)})


def _label(kind: str) -> str:
    return _("all notification e-mails that can be turned off") if kind == ALL else kind_label(kind)


@login_required
def saved_searches(request: HttpRequest) -> HttpResponse:
    """The member's saved searches (GET), save one (POST from the directory or the postings), delete one."""
    if request.method == "POST" and "delete" in request.POST:
        form = MarkReadForm({"notification": request.POST.get("delete")})
        if form.is_valid() and form.cleaned_data["notification"]:
            call_service_for_view(
                request,
                services.saved_search_delete,
                success=_("The saved search is deleted."),
                user=request.user,
                pk=form.cleaned_data["notification"],
            )
        else:
            messages.error(request, _("This saved search does not exist."))
        return redirect("notifications:searches")
    form = SavedSearchForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            result = call_service_for_view(
                request,
                services.saved_search_create,
                success=_("The search is saved. New postings that match it will be announced to you.")
                if form.cleaned_data.get("target") == SearchTarget.POSTINGS
                else _("The search is saved. New companies that match it will be announced to you."),
                form=form,
                user=request.user,
                **form.cleaned_data,
            )
            if result.ok:
                return redirect("notifications:searches")
        else:
            messages.error(request, _("The search could not be saved: give it a name."))
    return render(
        request,
        "notifications/saved_searches.html",
        {"searches": selectors.saved_search_list(user=request.user), "form": form},
    )
