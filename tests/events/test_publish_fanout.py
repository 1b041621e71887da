"""Publishing a schedule tells every participant's members at once: one notification each, a bounded
number of queries whatever the number of participants, the e-mails sent by a task (a worker in
production) in each member's language, never twice."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import services
from events.models import ScheduleRun
from portal.notifications.models import Notification
from portal.notifications.services import notification_deliver_email
from tests.factories import MembershipFactory, ParticipantFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("inline_tasks")]


def _publish(expo) -> None:
    run = services.schedule_run_solve(run_id=ScheduleRun.objects.create(event=expo["event"]).pk)
    services.schedule_run_publish(actor=None, run=run)


def _publish_queries(expo, extra_participants: int) -> int:
    for _ in range(extra_participants):
        participant = ParticipantFactory(event=expo["event"])
        MembershipFactory(company=participant.company, user__language="ja")
        MembershipFactory(company=participant.company, user__language="th", role="member")
    run = services.schedule_run_solve(run_id=ScheduleRun.objects.create(event=expo["event"]).pk)
    with CaptureQueriesContext(connection) as queries:
        services.schedule_run_publish(actor=None, run=run)
    return len(queries)


def test_every_member_of_every_participant_gets_the_agenda_mail_in_their_language(
    expo, mailoutbox, django_capture_on_commit_callbacks
):
    thai = MembershipFactory(company=expo["th"][1].company, user__language="th", role="member").user
    japanese = MembershipFactory(company=expo["jp"][1].company, user__language="ja").user
    with django_capture_on_commit_callbacks(execute=True):
        _publish(expo)

    rows = Notification.objects.filter(kind="events.schedule_published")
    # expo: six participants, the two members of its users plus the two added here
    assert sorted(rows.values_list("recipient__email", flat=True)) == sorted(
        [expo["users"]["jp_member"].email, expo["users"]["th_member"].email, thai.email, japanese.email]
    )
    assert not rows.filter(emailed_at=None).exists()
    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == set(rows.values_list("recipient__email", flat=True))
    assert by_address[thai.email].subject == "กำหนดการเจรจาธุรกิจของท่านใน Industry Expo"
    assert "Siam 1" in by_address[thai.email].body
    assert by_address[japanese.email].subject == "Industry Expoの商談スケジュール"
    assert "Nihon 1" in by_address[japanese.email].body
    assert "List-Unsubscribe" in by_address[japanese.email].extra_headers

    # A retried task sends nothing twice.
    assert notification_deliver_email(notification_ids=list(rows.values_list("pk", flat=True))) == 0
    assert len(mailoutbox) == 4


def test_publishing_costs_the_same_queries_for_one_or_many_participants(expo):
    # The e-mails leave after commit (a worker's queries, not the publication's): not counted here.
    assert _publish_queries(expo, 5) == _publish_queries(expo, 0)
