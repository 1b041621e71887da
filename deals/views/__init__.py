"""Pages of the deals app, thin (parse, call one service or selector, render): ``conversations``,
``proposals`` and the coordinators' ``desk``; ``helpers`` holds what they share."""

from deals.views.conversations import (
    attachment,
    conversation_block,
    conversation_close,
    conversation_detail,
    conversation_help,
    conversation_open,
    conversation_poll,
    conversation_report,
    conversation_step,
    inbox,
    message_delete,
    message_edit,
    message_translate,
    unread,
)
from deals.views.desk import desk, desk_invite, desk_report
from deals.views.proposals import need_proposals, proposal_decide, proposal_detail, proposal_new

__all__ = [
    "attachment", "conversation_block", "conversation_close", "conversation_detail", "conversation_help",
    "conversation_open", "conversation_poll", "conversation_report", "conversation_step", "desk",
    "desk_invite", "desk_report", "inbox", "message_delete", "message_edit", "message_translate",
    "need_proposals", "proposal_decide", "proposal_detail", "proposal_new", "unread",
]  # fmt: skip
