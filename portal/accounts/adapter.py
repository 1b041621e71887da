"""allauth glue: preferred language at sign-up and e-mails in the recipient's language."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from portal.accounts.selectors import user_roles
from portal.core.links import portal_site
from portal.core.notify import reply_to, sender

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class AccountAdapter(DefaultAccountAdapter):
    # allauth says "Please type your current password." when the current password typed is wrong, which
    # reads as if the field were empty (an empty one gets "This field is required.").
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "enter_current_password": gettext_lazy("The current password is not correct."),
        # re-entering one's password (reauthentication): allauth's Thai read "current password password is
        # wrong"; the portal's own words, as deleting one's account says them
        "incorrect_password": gettext_lazy("The password is not correct."),
    }

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        # The language the visitor used while signing up becomes their preference.
        language = translation.get_language()
        if not user.language and language in SUPPORTED:
            user.language = language
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request):
        # A new user with no company and no staff role has one next step: register or join a company.
        if not user_roles(user=request.user):
            return reverse("companies:start")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        # Where the login that follows the e-mail confirmation lands: a new user has no company yet.
        return reverse("companies:start")

    def format_email_subject(self, subject: str) -> str:
        # Rendered inside send_mail's translation.override, so the prefix is in the recipient's language.
        return gettext("[Thai–Japan SME Portal] %(subject)s") % {"subject": subject}

    def send_mail(self, template_prefix, email, context):
        with translation.override(self._recipient_language(email, context)):
            # allauth names the site by the Site record (its domain was 127.0.0.1:8000 wherever the portal
            # ran, its name English): use the host the visitor reached and the name in their language.
            request = getattr(allauth_context, "request", None) or self.request
            super().send_mail(template_prefix, email, {"current_site": portal_site(request), **context})

    def render_mail(self, template_prefix, email, context, headers=None):
        message = super().render_mail(template_prefix, email, context, headers=headers)
        message.reply_to = reply_to()  # the coordinators, not the no-reply sender (portal/core/notify.py)
        message.from_email = sender()  # the portal's name in the recipient's language (send_mail's)
        return message

    @staticmethod
    def _recipient_language(email: str, context: dict) -> str:
        """The language of the account the address belongs to (a mail about an address someone else tried
        to add or sign up with goes to that address's owner), else of the user the mail is about (a new
        address of theirs), else the page's."""
        for user in (get_user_model().objects.filter(email__iexact=email).first(), context.get("user")):
            if user is not None and getattr(user, "pk", None) and user.language in SUPPORTED:
                return user.language
        return translation.get_language() or settings.LANGUAGE_CODE
