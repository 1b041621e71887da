"""The company's Shindan state on its page, for the staff who act on it (registered in
``ShindanConfig.ready``): who is assigned, its diagnoses, and the next step (assign a consultant, start or
open a diagnosis). Members find their reports under "Diagnosis reports"; they get nothing here."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from shindan import selectors


def company_panel(*, request: HttpRequest, company) -> str:
    user = request.user
    manages = user.has_perm("shindan.manage_assignments")
    can_start = user.has_perm("shindan.create_diagnosis", company)
    if not (manages or can_start):
        return ""
    state = selectors.company_shindan_state(user=user, company=company)
    return render_to_string(
        "shindan/_company_panel.html",
        {
            "company": company,
            "manages": manages,
            "can_start": can_start,
            **state,
        },
        request=request,
    )
