"""E-mails rendered in each recipient's language (``translation.override``).

This is the one place e-mails are rendered. Plain-text templates (``.txt``: every body and subject) are
rendered *without* HTML autoescaping: a company called ``Kato & Sons <K.K.>`` is written as typed, not
``Kato &amp; Sons &lt;K.K.&gt;``. An HTML part, if one is ever added, must be rendered the ordinary way
(``render_to_string``, escaped).
"""

import logging
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template import Context, engines
from django.utils import translation
from django.utils.translation import gettext

from portal.core.links import base_url
from portal.core.text import single_line

logger = logging.getLogger(__name__)


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template rendered without HTML autoescaping (Django's ``{% autoescape off %}``)."""
    template = engines["django"].engine.get_template(template_name)
    return template.render(Context(context, autoescape=False))


def reply_to() -> list[str]:
    """The Reply-To of every e-mail: the coordinators' address (``CONTACT_EMAIL``), since the sender
    (``DEFAULT_FROM_EMAIL``) takes no replies; none when it is not set."""
    return [settings.CONTACT_EMAIL] if settings.CONTACT_EMAIL else []


# The sender's name in settings.py's default DEFAULT_FROM_EMAIL: replaced by the portal's name in the
# recipient's language. A name an operator sets is theirs, and stays as they wrote it.
DEFAULT_SENDER_NAME = "Thai–Japan SME Portal"


def sender() -> str:
    """The From of every e-mail: ``DEFAULT_FROM_EMAIL``'s address under the portal's name in the active
    language (render in the recipient's), unless the operator named the sender themselves."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if not address or (name and name != DEFAULT_SENDER_NAME):
        return settings.DEFAULT_FROM_EMAIL
    return formataddr((gettext("Thai–Japan SME Matching Portal"), address))


def render_to_users(*, users, template: str, context: dict, extra=None) -> list[EmailMultiAlternatives]:
    """Render ``templates/email/<template>_subject.txt`` and ``_message.txt`` per user (active, with an
    address), in each user's preferred language (else the site's default): the messages, not sent.
    Templates get ``portal_url`` (``scheme://host``, portal/core/links.py) for absolute links.
    ``extra(user)`` (optional, called in the user's language) returns ``(headers, footer)``: the
    notifications app adds its unsubscribe link and ``List-Unsubscribe`` headers with it.
    """
    context = {"portal_url": base_url(), **context}
    messages = []
    for user in users:
        if not user.email or not user.is_active:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = single_line(" ".join(render_text(f"email/{template}_subject.txt", context).split()))
            body = render_text(f"email/{template}_message.txt", {**context, "recipient": user})
            headers, footer = extra(user) if extra is not None else ({}, "")
            from_email = sender()
        if footer:
            body = f"{body.rstrip()}\n\n-- \n{footer}\n"
        messages.append(
            EmailMultiAlternatives(
                subject, body, from_email, [user.email], headers=headers, reply_to=reply_to()
            )
        )
    return messages


def send_to_users(*, users, template: str, context: dict, extra=None) -> int:
    """``render_to_users`` and send the messages over one connection. Returns the number sent."""
    messages = render_to_users(users=users, template=template, context=context, extra=extra)
    if not messages:
        return 0
    sent = get_connection().send_messages(messages) or 0
    if sent:
        logger.info("sent e-mail", extra={"template": template, "count": sent})
    return sent
