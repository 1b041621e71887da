"""Signals other apps listen to, so portal never imports them (dependencies point one way).

``company_changed`` is sent after the transaction that changed a company's profile, certificates or
postings commits; the matching app rescores the company (a Celery task).
"""

import contextlib
import threading

from django.db import transaction
from django.dispatch import Signal

company_changed = Signal()  # kwargs: company_id
_state = threading.local()


def announce_company_changed(company_id: int) -> None:
    if getattr(_state, "quiet", False):
        return
    transaction.on_commit(lambda: company_changed.send(sender="portal.companies", company_id=company_id))


@contextlib.contextmanager
def announcements_suppressed():
    """For bulk work that recomputes everything at the end (seed_demo): no per-company rescoring."""
    previous = getattr(_state, "quiet", False)
    _state.quiet = True
    try:
        yield
    finally:
        _state.quiet = previous
