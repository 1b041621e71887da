"""The notification kinds of the shindan app (portal/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from portal.notifications.kinds import register_kind


def register_kinds() -> None:
    register_kind(
        "shindan.report_issued",
        audience="members",  # a company's members (_receives)
        label=_("Diagnosis report issued"),
        subject=_("Your diagnosis report is issued"),
        body=_(
            "The diagnosis report of %(company)s is issued. Open it to read the findings and the action plan."
        ),
    )
    register_kind(
        "shindan.action_overdue",
        label=_("Action-plan items overdue"),
        subject=_("Actions of your diagnoses are overdue"),
        body=_("%(count)s actions of the action plans you follow are past their date. Follow them up."),
        template="shindan_overdue",
        audience="consultants",
    )
