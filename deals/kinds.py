"""The notification kinds of the deals app (portal/notifications/kinds.py). The sentences name the other
company and the need; never a person's e-mail or phone."""

from django.utils.translation import gettext_lazy as _

from portal.notifications.kinds import register_kind


def register_kinds() -> None:
    register_kind(
        "deals.message",
        audience="members",  # a company's members (_receives)
        label=_("New message"),
        subject=_("New message from %(company)s"),
        body=_("%(company)s wrote to your company. Open the conversation to read and answer."),
    )
    register_kind(
        "deals.proposal_received",
        audience="members",  # a company's members (_receives)
        label=_("Proposal received"),
        subject=_("New proposal on your need “%(need)s”"),
        body=_(
            "%(company)s sent a proposal on your need “%(need)s”. Open it to shortlist, decline or accept."
        ),
        read_body=_(
            "%(company)s sent a proposal on your need “%(need)s”. Open it to see the proposal and its answer."
        ),
    )
    register_kind(
        "deals.proposal_shortlisted",
        audience="members",  # a company's members (_receives)
        label=_("Proposal shortlisted"),
        subject=_("Your proposal was shortlisted"),
        body=_("%(company)s shortlisted your proposal on “%(need)s”."),
    )
    register_kind(
        "deals.proposal_declined",
        audience="members",  # a company's members (_receives)
        label=_("Proposal declined"),
        subject=_("Your proposal was declined"),
        body=_("%(company)s declined your proposal on “%(need)s”. Their reason: %(reason)s"),
    )
    register_kind(
        "deals.proposal_accepted",
        audience="members",  # a company's members (_receives)
        label=_("Proposal accepted"),
        subject=_("Your proposal was accepted"),
        body=_("%(company)s accepted your proposal on “%(need)s”. The conversation with them is open."),
    )
    register_kind(
        "deals.proposal_withdrawn",
        audience="members",  # a company's members (_receives)
        label=_("Proposal withdrawn"),
        subject=_("A proposal on your need “%(need)s” was withdrawn"),
        body=_("%(company)s withdrew its proposal on your need “%(need)s”. Nothing waits for your answer."),
    )
    register_kind(
        "deals.proposal_accepted_coordinators",
        label=_("Proposal accepted (coordinators)"),
        subject=_("A proposal was accepted"),
        body=_("%(company)s accepted a proposal on its need “%(need)s”."),
        audience="staff",
    )
    register_kind(
        "deals.help_requested",
        label=_("Help requested in a conversation"),
        subject=_("A company asks a coordinator to join a conversation"),
        body=_("%(company)s asks for a coordinator's help or interpretation in a conversation."),
        audience="staff",
    )
    register_kind(
        "deals.conversation_reopened",
        audience="members",  # a company's members (_receives)
        label=_("Conversation reopened"),
        subject=_("A coordinator reopened your conversation with %(company)s"),
        body=_(
            "A coordinator reopened your conversation with %(company)s: both companies can write in it again."
        ),
    )
    register_kind(
        "deals.conversation_closed",
        audience="members",  # a company's members (_receives)
        label=_("Conversation closed"),
        subject=_("A coordinator closed your conversation with %(company)s"),
        body=_(
            "A coordinator closed your conversation with %(company)s: it can be read, not written to. "
            "Open it to read it or to ask a coordinator why."
        ),
    )
    register_kind(
        "deals.abuse_reported",
        label=_("Conversation reported"),
        subject=_("A conversation was reported"),
        body=_("%(company)s reported a conversation. See the coordinator desk."),
        audience="staff",
    )
