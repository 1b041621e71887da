"""Django's own strings that users see but whose Thai catalogue lacks a translation.

Django ships Thai and Japanese catalogues, but the Thai one misses the password rules and several form
validation errors, which then showed in English in the Thai UI. Our ``locale/`` comes first in
``LOCALE_PATHS``, so an entry in our catalogue wins over Django's (missing) one. This module is never
imported: it only marks those msgids, exactly as Django writes them, so that ``make messages`` keeps them in
``locale/th`` and ``locale/ja`` (the Japanese entries repeat Django's own wording). allauth's Thai and
Japanese catalogues cover the pages we use, but one Thai entry (the password-reset e-mail) is half English:
ours replaces it. ``tests/portal/test_i18n_thirdparty.py`` renders the sign-up, password reset and password
change forms with bad input, and allauth's e-mails, in Thai and Japanese and fails on any English sentence.

The admin (staff only) gets the same treatment: Django's Thai admin catalogue misses about sixty strings
(``ADMIN`` below).

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

# django/contrib/admin: the admin's Thai catalogue lacks these (skip link, theme toggle, filters, messages
# after a save or a delete, …); the Japanese entries repeat Django's own wording (one the Japanese catalogue
# lacks too is ours).
ADMIN = (
    gettext_noop("MFA"),  # allauth.mfa's app name in the admin
    gettext_noop("Empty"),
    gettext_noop("Not empty"),
    gettext_noop("Added “%(object)s”."),
    gettext_noop("Changed “%(object)s” — %(changes)s"),
    gettext_noop("Deleted “%(object)s.”"),
    gettext_noop("Added {name} “{object}”."),
    gettext_noop("Changed {fields} for {name} “{object}”."),
    gettext_noop("Deleted {name} “{object}”."),
    gettext_noop("Hold down “Control”, or “Command” on a Mac, to select more than one."),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    gettext_noop("We’re sorry, but the requested page could not be found."),
    gettext_noop(
        "There’s been an error. It’s been reported to the site administrators via email and should be "
        "fixed shortly. Thanks for your patience."
    ),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("You don’t have permission to view or edit anything."),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Error:"),
    gettext_noop("Set password"),
    gettext_noop("This action will <strong>enable</strong> password-based authentication for this user."),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication"),
    gettext_noop("Skip to main content"),
    gettext_noop("Hide counts"),
    gettext_noop("Show counts"),
    gettext_noop("Clear all filters"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Yes, I’m sure"),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop(
        "Something’s wrong with your database installation. Make sure the appropriate database tables "
        "have been created, and make sure the database is readable by the appropriate user."
    ),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Sidebar"),
    gettext_noop("Start typing to filter…"),
    gettext_noop("Filter navigation items"),
    gettext_noop("This object doesn’t have a change history. It probably wasn’t added via this admin site."),
    gettext_noop("View selected %(model)s"),
    gettext_noop("Thanks for spending some quality time with the web site today."),
    gettext_noop(
        "Please enter your old password, for security’s sake, and then enter your new password twice so "
        "we can verify you typed it in correctly."
    ),
    gettext_noop(
        "We’ve emailed you instructions for setting your password, if an account exists with the email "
        "you entered. You should receive them shortly."
    ),
    gettext_noop(
        "If you don’t receive an email, please make sure you’ve entered the address you registered with, "
        "and check your spam folder."
    ),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we’ll email instructions for "
        "setting a new one."
    ),
    gettext_noop("Select all objects on this page for an action"),
    ngettext_lazy("entry", "entries"),
)
