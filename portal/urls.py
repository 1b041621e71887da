from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from events import views as event_views
from events.sitemaps import EventSitemap
from portal.accounts import views as account_views
from portal.companies.sitemaps import CompanySitemap
from portal.companies.views import directory as directory_views
from portal.core import views as core_views
from portal.core.seo import LanguageConverter, in_url_language, robots_txt
from portal.postings import views as posting_views
from portal.postings.sitemaps import PostingSitemap
from portal.privacy import views as privacy_views

# The admin signs in through allauth, so admins get rate limits and their second factor there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = admin.site.site_title = gettext_lazy("Thai–Japan SME Matching Portal")

handler403 = "portal.core.views.permission_denied"
handler404 = "portal.core.views.page_not_found"
handler500 = "portal.core.views.server_error"

register_converter(LanguageConverter, "lang")

# The public pages again under a language prefix (/th/…, /ja/…, /en/…), rendered in that language
# (portal/core/seo.py); the unprefixed URLs stay as they were.
public_patterns = [
    path("directory/", in_url_language(directory_views.directory), name="directory"),
    path("directory/<int:pk>/", in_url_language(directory_views.company_detail), name="company"),
    path("postings/<int:pk>/", in_url_language(posting_views.posting_detail), name="posting"),
    path("events/<slug:slug>/", in_url_language(event_views.event_detail), name="event"),
]
SITEMAPS = {"companies": CompanySitemap, "postings": PostingSitemap, "events": EventSitemap}

urlpatterns = [
    path("", core_views.home, name="home"),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("<lang:lang>/", include((public_patterns, "public"))),
    path("healthz", core_views.healthz, name="healthz"),
    path("dashboard/", core_views.dashboard, name="dashboard"),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("accounts/preferences/", account_views.preferences, name="account_preferences"),
    path("accounts/api-tokens/", account_views.api_tokens, name="account_api_tokens"),
    path("accounts/api-tokens/<int:pk>/revoke/", account_views.api_token_revoke, name="account_token_revoke"),
    path("privacy/", privacy_views.notice_page, name="privacy_notice"),
    path("accounts/privacy/", privacy_views.my_privacy, name="my_privacy"),
    path("accounts/privacy/consent/", privacy_views.consent_change, name="privacy_consent"),
    path("accounts/privacy/download/", privacy_views.download, name="privacy_download"),
    path("accounts/privacy/delete/", privacy_views.delete_account, name="privacy_delete"),
    path("coordinator/data-requests/", privacy_views.requests_desk, name="privacy_requests"),
    path("coordinator/data-requests/<int:pk>/", privacy_views.request_handle, name="privacy_request"),
    # allauth's e-mail page: the password again before the account's address moves (views.email_addresses)
    path("accounts/email/", account_views.email_addresses, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its initialising script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include("portal.companies.urls")),
    path("postings/", include("portal.postings.urls")),
    path("", include("portal.showcase.urls")),
    path("matching/", include("matching.urls")),
    path("shindan/", include("shindan.urls")),
    path("events/", include("events.urls")),
    path("deals/", include("deals.urls")),
    path("notifications/", include("portal.notifications.urls")),
]

if settings.PORTAL_STORAGE == "filesystem":
    # Public media (logos) from MEDIA_ROOT, in production too; on S3 their URLs point at the bucket or CDN.
    urlpatterns.append(
        path(settings.MEDIA_URL.lstrip("/") + "<path:name>", core_views.public_media, name="public_media")
    )
