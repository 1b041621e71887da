"""E-mails rendered in each recipient's language (``translation.override``)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from portal.core.links import base_url

logger = logging.getLogger(__name__)


def send_to_users(*, users, template: str, context: dict) -> int:
    """Render ``templates/email/<template>_subject.txt`` and ``_message.txt`` per user and send it.

    Each user gets it in their preferred language (else the site's default). Returns the number sent.
    Templates get ``portal_url`` (``scheme://host``, portal/core/links.py) for absolute links.
    """
    context = {"portal_url": base_url(), **context}
    sent = 0
    for user in users:
        if not user.email or not user.is_active:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
            body = render_to_string(f"email/{template}_message.txt", {**context, "recipient": user})
        sent += send_mail(subject, body, None, [user.email])
    if sent:
        logger.info("sent e-mail", extra={"template": template, "count": sent})
    return sent
