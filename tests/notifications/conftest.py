import pytest


@pytest.fixture(autouse=True)
def _notification_tasks_inline(inline_tasks):
    """Notification e-mails, digests and webhook deliveries are tasks queued after commit: these tests read
    their effects here (mail.outbox, the delivery log), as on the embedded default, also when CI points
    Celery at a broker with a worker."""
