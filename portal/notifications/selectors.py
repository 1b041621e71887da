from portal.notifications.kinds import find_kind
from portal.notifications.models import Notification


def notification_unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at=None).count()


def notification_list_for_user(*, user, limit: int = 50, kind: str = "", unread: bool = False):
    """The user's notifications, newest first; ``kind`` and ``unread`` narrow the list (one query)."""
    rows = Notification.objects.filter(recipient=user)
    if kind:
        rows = rows.filter(kind=kind)
    if unread:
        rows = rows.filter(read_at=None)
    return rows.order_by("-created_at", "-pk")[:limit]


def notification_kinds_for_user(*, user) -> list[str]:
    """The kinds the user has notifications of (for the list's filter), sorted by name."""
    return sorted(set(Notification.objects.filter(recipient=user).values_list("kind", flat=True).distinct()))


def notification_get_for_user(*, user, pk: int) -> Notification:
    """The user's own notification; someone else's is missing (Notification.DoesNotExist → 404)."""
    return Notification.objects.get(recipient=user, pk=pk)


def notification_render(row: Notification) -> tuple[str, str]:
    """(subject, sentence) of a row in the active language; an unregistered kind shows its name. A read row
    of a kind that asks for an answer by a deadline says where to see the request instead (``read_body``)."""
    kind = find_kind(row.kind)
    if kind is None:
        return row.kind, ""
    return kind.render(row.context, read=row.read_at is not None)


def notification_preferences_for_user(*, user) -> dict[str, str]:
    """The person's chosen e-mail frequency per kind (kinds without a choice use their default)."""
    from portal.notifications.models import NotificationPreference

    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "frequency"))


def notification_thresholds(*, user_ids, kind: str) -> dict[int, int]:
    """The score threshold of ``kind`` per user (one query): the person's choice, else the kind's default."""
    from portal.notifications.kinds import get_kind
    from portal.notifications.models import NotificationPreference

    default = get_kind(kind).threshold
    user_ids = set(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(
            user_id__in=user_ids, kind=kind, threshold__isnull=False
        ).values_list("user_id", "threshold")
    )
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def notification_threshold_choices_for_user(*, user) -> dict[str, int]:
    """The person's chosen threshold per kind (kinds without a choice use their default)."""
    from portal.notifications.models import NotificationPreference

    return dict(
        NotificationPreference.objects.filter(user=user, threshold__isnull=False).values_list(
            "kind", "threshold"
        )
    )


def saved_search_list(*, user):
    from portal.notifications.models import SavedSearch

    return list(SavedSearch.objects.filter(user=user).order_by("name", "pk"))


def notification_exists_for_user(*, user, pk: int) -> bool:
    """Whether ``pk`` is one of ``user``'s notifications."""
    return Notification.objects.filter(recipient=user, pk=pk).exists()
