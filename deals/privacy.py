"""The personal data the deals app holds (registered in portal/privacy/registry.py from apps.py).

Erasing a person (PDPA s.33 / APPI art. 35): their messages stay for the other company as business
correspondence, with the author removed and their name, e-mail and phone taken out of the text; with
``DEALS_ERASE_MESSAGE_TEXT`` on, the text goes too and a "deleted" marker stays. The files they uploaded
are deleted either way. What they wrote in reports and invitations goes; translations and proposals lose
their name, e-mail and phone. See README "Deals"."""

from django.conf import settings
from django.utils import timezone

from portal.privacy.registry import Person, register


def _iso(value):
    return value.isoformat() if value else None


def _export_messages(user, companies) -> dict:
    from deals.models import Message

    rows = Message.objects.filter(author=user).select_related(
        "conversation__thai_company", "conversation__japanese_company"
    )
    return {
        "messages": [
            {
                "conversation": str(row.conversation),
                "text": row.text,
                "language": row.language,
                "step": row.step,
                "sent_at": _iso(row.created_at),
                "edited_at": _iso(row.edited_at),
                "deleted_at": _iso(row.deleted_at),
            }
            for row in rows.order_by("pk")
        ]
    }


def _erase_messages(person: Person) -> dict:
    from deals.models import Message

    mine = Message.objects.filter(author=person.user)
    blanked = scrubbed = 0
    if settings.DEALS_ERASE_MESSAGE_TEXT:
        blanked = mine.filter(deleted_at=None).update(text="", deleted_at=timezone.now())
    else:  # the text stays for the other company, without the person's name, e-mail or phone
        scrubbed = person.scrub_rows(mine, "text")
    return {
        "messages_scrubbed": scrubbed,
        "messages_blanked": blanked,
        "messages_anonymised": mine.update(author=None),
    }


def _export_attachments(user, companies) -> dict:
    from deals.models import Attachment

    rows = Attachment.objects.filter(uploaded_by=user).order_by("pk")
    return {"attachments": [{"name": row.name, "size": row.size, "at": _iso(row.created_at)} for row in rows]}


def _erase_attachments(person: Person) -> dict:
    from deals.models import Attachment

    return {"attachments": Attachment.objects.filter(uploaded_by=person.user).delete()[0]}


def _export_translations(user, companies) -> dict:
    from deals.models import MessageTranslation

    rows = MessageTranslation.objects.filter(author=user).order_by("pk")
    return {
        "translations": [
            {"language": row.language, "text": row.text, "at": _iso(row.created_at)} for row in rows
        ]
    }


def _erase_translations(person: Person) -> dict:
    from deals.models import MessageTranslation

    rows = MessageTranslation.objects.filter(author=person.user)
    return {
        "translations_scrubbed": person.scrub_rows(rows, "text"),
        "translations": rows.update(author=None),
    }


def _export_read_states(user, companies) -> dict:
    from deals.models import ReadState

    return {
        "read_states": list(ReadState.objects.filter(user=user).values("conversation_id", "last_read_id"))
    }


def _erase_read_states(person: Person) -> dict:
    from deals.models import ReadState

    return {"read_states": ReadState.objects.filter(user=person.user).delete()[0]}


def _export_blocks(user, companies) -> dict:
    from deals.models import CompanyBlock

    rows = CompanyBlock.objects.filter(actor=user).select_related("company", "other")
    return {"blocks": [{"company": str(r.company), "other": str(r.other), "kind": r.kind} for r in rows]}


def _erase_blocks(person: Person) -> dict:
    from deals.models import CompanyBlock

    return {"blocks": CompanyBlock.objects.filter(actor=person.user).update(actor=None)}


def _export_invites(user, companies) -> dict:
    from django.db.models import Q

    from deals.models import CoordinatorInvite

    rows = CoordinatorInvite.objects.filter(Q(requested_by=user) | Q(coordinator=user)).order_by("pk")
    return {
        "coordinator_requests": [{"kind": r.kind, "note": r.note, "at": _iso(r.created_at)} for r in rows]
    }


def _erase_invites(person: Person) -> dict:
    from deals.models import CoordinatorInvite

    asked = CoordinatorInvite.objects.filter(requested_by=person.user)
    return {
        "coordinator_requests": asked.update(note="", requested_by=None),
        "coordinator_requests_taken": CoordinatorInvite.objects.filter(coordinator=person.user).update(
            coordinator=None
        ),
    }


def _export_reads(user, companies) -> dict:
    from deals.models import CoordinatorRead

    rows = CoordinatorRead.objects.filter(coordinator=user).order_by("pk")
    return {
        "conversations_read": [
            {"conversation": r.conversation_id, "reason": r.reason, "at": _iso(r.at)} for r in rows
        ]
    }


def _erase_reads(person: Person) -> dict:
    from deals.models import CoordinatorRead

    return {
        "conversations_read": CoordinatorRead.objects.filter(coordinator=person.user).update(coordinator=None)
    }


def _export_reports(user, companies) -> dict:
    from deals.models import AbuseReport

    rows = AbuseReport.objects.filter(reporter=user).order_by("pk")
    return {"abuse_reports": [{"reason": r.reason, "at": _iso(r.created_at)} for r in rows]}


def _erase_reports(person: Person) -> dict:
    from deals.models import AbuseReport

    mine = AbuseReport.objects.filter(reporter=person.user)
    return {
        "abuse_reports": mine.update(reason="", reporter=None),
        "abuse_reports_resolved": AbuseReport.objects.filter(resolved_by=person.user).update(
            resolved_by=None
        ),
    }


def _export_proposals(user, companies) -> dict:
    from deals.models import Proposal

    rows = Proposal.objects.filter(author=user).select_related("posting").order_by("pk")
    return {
        "proposals": [
            {"need": r.posting.title(), "offer": r.offer, "status": r.status, "at": _iso(r.created_at)}
            for r in rows
        ]
    }


def _erase_proposals(person: Person) -> dict:
    """The proposal is the company's; the person's name goes from it."""
    from deals.models import Proposal

    return {
        "proposal_offers": person.scrub_rows(Proposal.objects.filter(author=person.user), "offer"),
        "proposals": Proposal.objects.filter(author=person.user).update(author=None),
        "proposals_decided": Proposal.objects.filter(decided_by=person.user).update(decided_by=None),
        "decline_reasons": person.scrub_rows(
            Proposal.objects.filter(decided_by=person.user), "decline_reason"
        ),
    }


def _export_conversations(user, companies) -> dict:
    from deals.models import Conversation

    rows = Conversation.objects.filter(opened_by=user).order_by("pk")
    return {"conversations_opened": [{"conversation": str(r), "at": _iso(r.created_at)} for r in rows]}


def _erase_conversations(person: Person) -> dict:
    from deals.models import Conversation

    return {"conversations_opened": Conversation.objects.filter(opened_by=person.user).update(opened_by=None)}


def register_personal_data() -> None:
    register("deals.Message", fields=("author",), export=_export_messages, erase=_erase_messages)
    register(
        "deals.Attachment",
        fields=("uploaded_by", "name"),
        export=_export_attachments,
        erase=_erase_attachments,
    )
    register(
        "deals.MessageTranslation", fields=("author",), export=_export_translations, erase=_erase_translations
    )
    register("deals.ReadState", fields=("user",), export=_export_read_states, erase=_erase_read_states)
    register("deals.CompanyBlock", fields=("actor",), export=_export_blocks, erase=_erase_blocks)
    register(
        "deals.CoordinatorInvite",
        fields=("requested_by", "coordinator"),
        export=_export_invites,
        erase=_erase_invites,
    )
    register("deals.CoordinatorRead", fields=("coordinator",), export=_export_reads, erase=_erase_reads)
    register(
        "deals.AbuseReport", fields=("reporter", "resolved_by"), export=_export_reports, erase=_erase_reports
    )
    register(
        "deals.Proposal", fields=("author", "decided_by"), export=_export_proposals, erase=_erase_proposals
    )
    register(
        "deals.Conversation", fields=("opened_by",), export=_export_conversations, erase=_erase_conversations
    )
