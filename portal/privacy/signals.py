"""Members who agreed to an earlier privacy notice (portal/privacy/notice.py) are told at log-in that it
changed: their consent under the current version is asked for on "My data and consents"."""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from portal.privacy import services


@receiver(user_logged_in, dispatch_uid="privacy_notice_changed")
def tell_notice_changed(sender, request, user, **kwargs) -> None:
    if request is None or not services.notice_changed_for(user):
        return
    messages.warning(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _(
                "The privacy notice has changed. Please read it and confirm your consent to keep using the "
                "portal."
            ),
            reverse("my_privacy"),
            _("My data and consents"),
        ),
        fail_silently=True,  # a log-in without the messages middleware (the test client's force_login)
    )
