"""The notification kinds of the companies app (portal/notifications/kinds.py). Vetting and join
decisions are account mails: always sent, no preference, no unsubscribe link."""

from django.utils.translation import gettext_lazy as _

from portal.notifications.kinds import register_kind


def register_kinds() -> None:
    register_kind(
        "companies.verified",
        label=_("Company verified"),
        subject=_("%(company)s is verified"),
        body=_("Your company is in the directory now. Complete its profile to get better matches."),
        template="company_verified",
        mandatory=True,
    )
    register_kind(
        "companies.rejected",
        label=_("Company not verified"),
        subject=_("%(company)s could not be verified"),
        body=_("Read the coordinator's reason, correct the registration and send it again."),
        template="company_rejected",
        mandatory=True,
    )
    register_kind(
        "companies.awaiting_vetting",
        label=_("Company waiting for vetting"),
        subject=_("%(company)s waits for vetting"),
        body=_("Check its registration number and profile in the vetting queue, then verify or reject it."),
        audience="staff",
    )
    register_kind(
        "companies.owner_left",
        label=_("Company left without an owner"),
        subject=_("%(company)s has no owner any more"),
        body=_(
            "Its only owner deleted their account. Open its members page to see who is left, and contact the "
            "company to name a new owner."
        ),
        audience="staff",
    )
    register_kind(
        "companies.join_requested",
        label=_("Request to join your company"),
        # the same words as the e-mail's subject (templates/email/join_requested_subject.txt)
        subject=_("%(name)s asks to join %(company)s"),
        body=_("Approve or decline the request on the members page."),
        defaults={"name": _("Someone")},  # notifications written before the name was in their context
        read_body=_("Open the members page to see the request and its answer."),
        template="join_requested",
        mandatory=True,
    )
    register_kind(
        "companies.join_decided",
        label=_("Join request answered"),
        subject=_("Your request to join %(company)s was answered"),
        body="%(decision)s",  # approved or declined, and what next (services.join_request_decide)
        defaults={"decision": _("Open your dashboard to see your companies.")},
        template="join_decided",
        mandatory=True,
    )
    register_kind(
        "companies.membership_removed",
        label=_("Removed from a company"),
        subject=_("You are no longer a member of %(company)s"),
        body=_(
            "An owner removed you from the company: its pages, messages and meetings are no longer open to "
            "you. Ask the company if this is a mistake."
        ),
        mandatory=True,
    )
