"""Django's own strings that users see but whose Thai catalogue lacks a translation.

Django ships Thai and Japanese catalogues, but the Thai one misses the password rules and several form
validation errors, which then showed in English in the Thai UI. Our ``locale/`` comes first in
``LOCALE_PATHS``, so an entry in our catalogue wins over Django's (missing) one. This module is never
imported: it only marks those msgids, exactly as Django writes them, so that ``make messages`` keeps them in
``locale/th`` and ``locale/ja`` (the Japanese entries repeat Django's own wording). allauth's Thai and
Japanese catalogues cover the pages we use, but one Thai entry (the password-reset e-mail) is half English:
ours replaces it. ``tests/portal/test_i18n_thirdparty.py`` renders the sign-up, password reset and password
change forms with bad input, and allauth's e-mails, in Thai and Japanese and fails on any English sentence.

When Django changes one of these strings, the test fails (the English comes back): copy the new msgid
here and translate it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# django/contrib/auth/password_validation.py: the rules under every password field and their errors.
PASSWORD_RULES = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
)

# django/core/validators.py, django/forms and django/db/models: errors a form can show a member.
FORM_ERRORS = (
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
    ),
    ngettext_lazy(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
    ),
    ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms."),
    ngettext_lazy("Please submit at least %(num)d form.", "Please submit at least %(num)d forms."),
    gettext_noop("Enter a valid integer."),
    gettext_noop("Ensure this value is a multiple of step size %(limit_value)s."),
    gettext_noop(
        "File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."
    ),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("%(model_name)s with this %(field_labels)s already exists."),
    gettext_noop("Value %(value)r is not a valid choice."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("Enter a complete value."),
    gettext_noop("Enter a valid JSON."),
    gettext_noop(
        "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be ambiguous or it "
        "may not exist."
    ),
)

# allauth/templates/account/email/password_reset_key_message.txt: allauth's Thai msgstr is half English.
ALLAUTH_MESSAGES = (
    gettext_noop(
        "You're receiving this email because you or someone else has requested a password reset for your "
        "user account.\nIt can be safely ignored if you did not request a password reset. Click the link "
        "below to reset your password."
    ),
)
