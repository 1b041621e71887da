"""A meeting at an upcoming event, on a partner's company page (registered in ``EventsConfig.ready``)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from events.selectors import meeting_options_for_company_page


def meeting_panel(*, request: HttpRequest, company) -> str:
    """ "Request a meeting" for each upcoming event where the viewer's company and ``company`` both take part
    (or the state of the request already sent); "" when there is none."""
    options = meeting_options_for_company_page(user=request.user, company=company)
    if not options:
        return ""
    return render_to_string(
        "events/_meeting_panel.html",
        {"options": options, "next": request.get_full_path()},
        request=request,
    )
