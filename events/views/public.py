"""Public event pages: the list and an event; coordinators create and edit events."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from events import selectors, services
from events.forms import (
    EventForm,
)
from events.views._common import _event, _manager
from portal.core.lookups import permission_or_404
from portal.core.service_calls import call_service_for_view

# --- Public ------------------------------------------------------------------------------------------


def event_list(request: HttpRequest) -> HttpResponse:
    events = list(selectors.event_list_for_user(user=request.user))
    can_manage = request.user.has_perm("events.manage_event")
    context = {
        "events": events,
        "upcoming": [event for event in events if not event.is_over],
        "past": [event for event in events if event.is_over],
        "can_manage": can_manage,
    }
    return render(request, "events/event_list.html", context)


@login_required
def event_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Coordinators create an event or change its details (meeting days are on the manage page)."""
    permission_or_404(user=request.user, permission="events.manage_event")
    event = _manager(request, slug) if slug else None
    saved_name = event.name() if event else ""  # binding the form writes what was typed into ``event``
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        result = call_service_for_view(
            request,
            services.event_save,
            form=form,
            event=event,
            **form.cleaned_data,
            success=_("The event is saved."),
        )
        if result.ok:
            return redirect("events:manage", slug=result.value.slug)
    return render(request, "events/event_edit.html", {"form": form, "event": event, "saved_name": saved_name})


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    context = {
        "event": event,
        **selectors.public_participants(event),
        "days": event.days.all(),
        "delegations": selectors.delegations_for(event),
        "mine": selectors.participations_for_user(user=request.user, event=event),
        "can_manage": request.user.has_perm("events.manage_event"),
        "noindex": not event.is_public,
    }
    return render(request, "events/event_detail.html", context)
