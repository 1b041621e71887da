from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostingsConfig(AppConfig):
    name = "portal.postings"
    label = "postings"
    verbose_name = _("Postings")
