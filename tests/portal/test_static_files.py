"""Static files in production: hashed names, a year's immutable cache lifetime, gzip and brotli (WhiteNoise's
CompressedManifestStaticFilesStorage, run by collectstatic), and the font CSS pointing at hashed slices."""

import re

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

YEAR_IMMUTABLE = "max-age=315360000, public, immutable"


@pytest.fixture
def collected(tmp_path, settings):
    """collectstatic of the project's own static/ (not Django's admin or Swagger UI: faster) in production
    storage, served by WhiteNoise as in production."""
    settings.STATIC_ROOT = tmp_path
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    return tmp_path


def test_css_is_hashed_compressed_and_cached_for_a_year(collected):
    url = static("css/portal.css")
    client = Client()

    brotli = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    gzip = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")

    assert re.fullmatch(r"/static/css/portal\.[0-9a-f]{12}\.css", url)
    assert brotli.status_code == 200
    assert brotli["Content-Encoding"] == "br"
    assert gzip["Content-Encoding"] == "gzip"
    assert brotli["Cache-Control"] == YEAR_IMMUTABLE
    assert int(brotli["Content-Length"]) < (collected / "css" / "portal.css").stat().st_size / 3


def test_font_slices_are_hashed_and_cached_and_the_css_names_them_so(collected):
    css = (collected / static("css/fonts.css").removeprefix("/static/")).read_text(encoding="utf-8")
    slices = re.findall(r'url\("([^"]+\.woff2)"\)', css)
    response = Client().get(static("fonts/web/noto-sans-thai-400.woff2"), HTTP_ACCEPT_ENCODING="gzip, br")

    assert len(slices) == css.count("@font-face")
    assert all(re.search(r"\.[0-9a-f]{12}\.woff2$", url) for url in slices)
    assert response.status_code == 200
    assert response["Cache-Control"] == YEAR_IMMUTABLE
    assert not response.has_header("Content-Encoding")  # WOFF2 is compressed already
