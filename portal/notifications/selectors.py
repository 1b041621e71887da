from portal.notifications.models import Notification


def notification_unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at=None).count()


def notification_list_for_user(*, user, limit: int = 50):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")[:limit]
