"""Friendly error pages in three languages."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from portal.core.views import server_error
from tests.factories import UserFactory


def _t(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "th", "ja"])
def test_404_page_is_translated(client, language):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 404
    html = response.content.decode()
    assert _t(language, "Page not found") in html
    assert f'href="{reverse("home")}"' in html


@pytest.mark.django_db
def test_403_page_is_translated(client):
    client.force_login(UserFactory(language="th"))

    response = client.get(reverse("admin:index"), follow=True)

    assert response.status_code == 403
    assert _t("th", "Access denied") in response.content.decode()


@pytest.mark.parametrize("language", ["en", "th", "ja"])
def test_500_page_renders_without_the_database(language):
    request = RequestFactory().get("/")
    with translation.override(language):
        response = server_error(request)

    assert response.status_code == 500
    assert _t(language, "Something went wrong") in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["th", "ja"])
def test_opening_a_forms_address_explains_and_leads_on(client, language):
    """A coordinator who opens the scheduler's form address (POST only) reads why, in their language, with a
    way back, and the answer stays a 405 with its Allow header; a POST-only API answer is left alone."""
    client.force_login(UserFactory(language=language))

    response = client.get(reverse("notifications:read"))

    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    html = response.content.decode()
    assert _t(language, "Nothing to show here") in html
    assert f'href="{reverse("dashboard")}"' in html
    api = client.get(reverse("api-token"))
    assert api.status_code == 405
    assert api["Content-Type"] == "application/json"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/no-such-page/", "/directory/999999/"])
def test_with_debug_on_a_404_is_still_the_portals_page_not_djangos(client, settings, path):
    settings.DEBUG = True  # the embedded default (make demo)

    response = client.get(path, HTTP_ACCEPT_LANGUAGE="ja")

    assert response.status_code == 404
    html = response.content.decode()
    assert _t("ja", "Page not found") in html
    assert "URLconf" not in html  # no URL patterns shown to visitors
    assert "DEBUG = True" not in html
    assert client.get("/directory").status_code == 301  # a missing slash is still added first


@pytest.mark.django_db
def test_with_debug_on_technical_404_brings_back_djangos_page_and_the_api_answers_json(client, settings):
    settings.DEBUG = True
    settings.TECHNICAL_404 = True
    assert "URLconf" in client.get("/no-such-page/").content.decode()

    settings.TECHNICAL_404 = False
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
