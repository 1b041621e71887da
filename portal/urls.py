from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from portal.accounts import views as account_views
from portal.core import views as core_views
from portal.privacy import views as privacy_views

# The admin signs in through allauth, so admins get rate limits and their second factor there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Thai–Japan SME Portal"

handler403 = "portal.core.views.permission_denied"
handler404 = "portal.core.views.page_not_found"
handler500 = "portal.core.views.server_error"

urlpatterns = [
    path("", core_views.home, name="home"),
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
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its initialising script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include("portal.companies.urls")),
    path("postings/", include("portal.postings.urls")),
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
