"""The notification kinds of the events app (portal/notifications/kinds.py). Their e-mails are the app's
own templates (templates/email/), sent once per event through portal/notifications/services.py."""

from django.utils.translation import gettext_lazy as _

from portal.notifications.kinds import register_kind


def _agenda_context(participant) -> dict:
    return {"event": participant.event, "participant": participant}


def register_kinds() -> None:
    register_kind(
        "events.meeting_requested",
        audience="members",  # a company's members (_receives)
        label=_("Meeting request received"),
        subject=_("%(company)s asks your company for a meeting at %(event)s"),
        body=_("Accept or decline it before it expires."),
        read_body=_("Open it to see the request and its answer."),
        template="meeting_requested",
    )
    register_kind(
        "events.meeting_accepted",
        audience="members",  # a company's members (_receives)
        label=_("Meeting request accepted"),
        subject=_("%(company)s accepted your meeting request at %(event)s"),
        body=_("The meeting will be in your agenda once the schedule is published."),
        template="meeting_answered",
    )
    register_kind(
        "events.meeting_declined",
        audience="members",  # a company's members (_receives)
        label=_("Meeting request declined"),
        subject=_("%(company)s declined your meeting request at %(event)s"),
        body=_("Look at the other participants to ask for another meeting."),
        template="meeting_answered",
    )
    register_kind(
        "events.must_meet",
        audience="members",  # a company's members (_receives)
        label=_("Must-meet pair"),
        subject=_("The coordinators ask your company to meet %(company)s at %(event)s"),
        body=_("The meeting is accepted for you: it will be in your agenda once the schedule is published."),
    )
    register_kind(
        "events.partner_withdrew",
        audience="members",  # a company's members (_receives)
        label=_("Partner no longer takes part"),
        subject=_("%(company)s no longer takes part in %(event)s"),
        body=_(
            "Your accepted meeting with it will not take place. Look at the other participants to ask for "
            "another meeting."
        ),
    )
    register_kind(
        "events.interpreter_removed",
        audience="members",  # a company's members (_receives)
        label=_("Meeting without an interpreter"),
        subject=_("Your meeting with %(company)s at %(event)s no longer has an interpreter"),
        body=_(
            "It keeps its time and table. The coordinators will publish a new schedule; your agenda will "
            "show any change."
        ),
    )
    register_kind(
        "events.meeting_expiring",
        audience="members",  # a company's members (_receives)
        label=_("Meeting requests expiring soon"),
        subject=_("Meeting requests are waiting for your answer"),
        body=_("%(count)s meeting requests to your company expire soon. Answer them now."),
        read_body=_("Open the meeting requests to see which still wait for an answer."),
        template="meeting_nudge",
    )
    register_kind(
        "events.delegation_invitation",
        audience="members",  # a company's members (_receives)
        label=_("Delegation invitation"),
        subject=_("Your company is invited to %(event)s"),
        body=_("Accept or decline the invitation of the delegation %(delegation)s."),
        read_body=_("Open it to see the invitation of the delegation %(delegation)s and its answer."),
        template="event_invited",
    )
    register_kind(
        "events.exhibitor_decided",
        audience="members",  # a company's members (_receives)
        label=_("Exhibitor application decided"),
        subject=_("Your application to exhibit at %(event)s: %(decision)s"),
        body=_("Open your participation to see the decision and what comes next."),
        # Notifications written before the subject said the decision.
        defaults={"decision": _("answered")},
        template="event_exhibitor_decided",
    )
    register_kind(
        "events.schedule_published",
        audience="members",  # a company's members (_receives)
        label=_("Schedule published"),
        subject=_("The meeting schedule of %(event)s is published"),
        body=_("Open your agenda to see your meetings, tables and times."),
        template="agenda_published",
        # Sent by a worker (a schedule goes to every participant at once): the context comes from the target.
        email_context=_agenda_context,
        email_related=("event", "company"),
    )
    register_kind(
        "events.meeting_report_due",
        audience="members",  # a company's members (_receives)
        label=_("Meeting to report on"),
        subject=_("How did your meeting with %(company)s at %(event)s go?"),
        body=_("Record the outcome of the meeting and your rating: it takes a minute."),
    )
