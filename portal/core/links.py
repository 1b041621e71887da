"""The portal's public address, for links and names in e-mails.

An e-mail sent while answering a request (sign-up, password reset) names the site by the address the visitor
used; one sent without a request (a coordinator's decision, a reminder from a task) uses ``PORTAL_BASE_URL``
(``.env.example``), else the Site record's domain (``SITE_DOMAIN`` on the first migrate).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.sites.models import Site
from django.http import HttpRequest
from django.utils.translation import gettext


@dataclass(frozen=True)
class PortalSite:
    """What allauth's e-mail templates read as ``current_site``: a name and a domain."""

    name: str
    domain: str


def base_url(request: HttpRequest | None = None) -> str:
    """``scheme://host`` of the portal, without a trailing slash."""
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    if settings.PORTAL_BASE_URL:
        return settings.PORTAL_BASE_URL.rstrip("/")
    scheme = "https" if settings.PRODUCTION else "http"
    return f"{scheme}://{Site.objects.get_current().domain}"


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` (from ``reverse``) as an absolute URL for an e-mail."""
    return base_url(request) + path


def portal_site(request: HttpRequest | None = None) -> PortalSite:
    """The site as e-mails name it: the portal's name in the active language and the host it is served at."""
    return PortalSite(
        name=gettext("Thai–Japan SME Matching Portal"), domain=base_url(request).split("://", 1)[1]
    )
