"""Writes of the deals app: ``conversations`` (conversations, messages, blocks, retention),
``coordinators`` (reports, coordinator invitations and reads, translations), ``pipeline`` and
``proposals`` (proposals on needs); ``helpers`` holds what they share. Keyword-only, atomic; refusals are
``ValidationError(..., code=...)`` with a translated message."""

from deals.services.conversations import (
    company_block_set,
    conversation_mark_read,
    conversation_open,
    message_delete,
    message_edit,
    message_editable,
    message_send,
    messages_purge_expired,
)
from deals.services.coordinators import (
    abuse_report,
    abuse_report_resolve,
    conversation_close,
    conversation_reopen,
    coordinator_invite,
    coordinator_invite_close,
    coordinator_invite_take,
    coordinator_read_record,
    translation_add,
)
from deals.services.helpers import MAX_MESSAGE_CHARS
from deals.services.pipeline import PIPELINE_STEPS, conversation_mark_step
from deals.services.proposals import PROPOSAL_DECISIONS, proposal_decide, proposal_submit, proposal_withdraw

__all__ = [
    "MAX_MESSAGE_CHARS", "PIPELINE_STEPS", "PROPOSAL_DECISIONS", "abuse_report", "abuse_report_resolve",
    "company_block_set", "conversation_close", "conversation_mark_read", "conversation_mark_step",
    "conversation_open", "conversation_reopen", "coordinator_invite", "coordinator_invite_close",
    "coordinator_invite_take", "coordinator_read_record", "message_delete", "message_edit",
    "message_editable", "message_send", "messages_purge_expired",
    "proposal_decide", "proposal_submit", "proposal_withdraw", "translation_add",
]  # fmt: skip
