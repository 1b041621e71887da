"""allauth's ``account`` app (users' e-mail addresses) under a name of its own in the admin.

Its verbose name, "Accounts", is also this project's accounts app's (``portal/accounts/apps.py``), so the
admin showed two sections of the same name in every language. Listed in ``INSTALLED_APPS`` in place of
``allauth.account``; the app, its label and its tables are allauth's, unchanged."""

from allauth.account.apps import AccountConfig
from django.utils.translation import gettext_lazy as _


class EmailAddressesConfig(AccountConfig):
    verbose_name = _("E-mail addresses")
