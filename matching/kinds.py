"""The notification kinds of the matching app (portal/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from portal.notifications.kinds import register_kind


def register_kinds() -> None:
    register_kind(
        "matching.interest_received",
        audience="members",  # a company's members (_receives)
        label=_("Interest received"),
        subject=_("%(company)s is interested in your company"),
        body=_("%(company)s marked your company as an interesting partner. Open its page to answer."),
    )
    register_kind(
        "matching.mutual_interest",
        audience="members",  # a company's members (_receives)
        label=_("Mutual interest"),
        subject=_("You and %(company)s are interested in each other"),
        body=_(
            "%(company)s and your company marked each other as interesting. On their page, ask for an "
            "introduction, or open your conversation if you are already introduced."
        ),
    )
    register_kind(
        "matching.introduction_requested",
        label=_("Introduction requested"),
        subject=_("%(company)s asks to be introduced to %(partner)s"),
        body=_("Open the request to introduce the two companies or to decline."),
        audience="staff",
    )
    register_kind(
        "matching.introduced",
        audience="members",  # a company's members (_receives)
        label=_("Introduction made"),
        subject=_("You are introduced to %(company)s"),
        body=_("A coordinator introduced your company to %(company)s. Their contacts are now open to you."),
        template="introduced",
    )
    register_kind(
        "matching.introduction_stage",
        audience="members",  # a company's members (_receives)
        label=_("Introduction stage changed"),
        subject=_("Your introduction to %(company)s is now at “%(stage)s”"),
        body=_("The introduction of your company to %(company)s moved to “%(stage)s”."),
    )
    register_kind(
        "matching.strong_match",
        audience="members",  # a company's members (_receives)
        label=_("New strong match"),
        subject=_("New strong match: %(company)s (score %(score)s)"),
        body=_(
            "%(company)s has entered your company's recommended partners with a score of %(score)s. "
            "Open its page to see why, and mark your interest."
        ),
        default="daily",
        threshold=70,
    )
