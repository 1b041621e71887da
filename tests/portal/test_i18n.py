"""Three languages: catalogues complete, language choice, Buddhist Era dates, fonts served locally."""

import datetime
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from portal.core.dates import normalize_input_year, to_buddhist_year, with_buddhist_year
from tests.factories import UserFactory

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def _t(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def test_there_is_a_catalogue_per_language():
    assert {path.parts[-3] for path in CATALOGUES} == {"th", "ja"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_catalogue_has_no_untranslated_fuzzy_or_broken_entries(path):
    catalogue = polib.pofile(str(path))
    entries = [entry for entry in catalogue if not entry.obsolete]

    assert entries, "an empty catalogue translates nothing"
    assert [e.msgid for e in entries if e.fuzzy] == []
    assert [e.msgid for e in entries if not e.translated()] == []
    broken = [
        e.msgid
        for e in entries
        if not e.msgid_plural and set(PLACEHOLDER.findall(e.msgid)) != set(PLACEHOLDER.findall(e.msgstr))
    ]
    assert broken == [], "placeholders must survive translation"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (apt-get install gettext)")
def test_catalogues_contain_every_string_of_the_code(tmp_path):
    """makemessages on a copy of the tree finds no msgid that the committed catalogues lack."""
    copy = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "var", "node_modules", "*.mo", "__pycache__"),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "th",
            "-l",
            "ja",
            "--no-obsolete",
            "--ignore",
            "tests/*",
            "--ignore",
            "bench/*",
            "--ignore",
            "bin/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    for fresh in sorted((copy / "locale").glob("*/LC_MESSAGES/django.po")):
        committed = ROOT / fresh.relative_to(copy)
        fresh_ids = {e.msgid for e in polib.pofile(str(fresh)) if not e.obsolete}
        committed_ids = {e.msgid for e in polib.pofile(str(committed)) if not e.obsolete}
        assert sorted(fresh_ids - committed_ids) == [], f"run `make messages` and translate ({committed})"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "th", "ja"])
def test_home_page_is_served_in_the_browser_language(client, language):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language)

    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert _t(language, "Find your partner across Thailand and Japan") in html
    if language != "en":
        assert "Find your partner across Thailand and Japan" not in html


@pytest.mark.django_db
def test_user_preference_beats_the_browser_language(client):
    client.force_login(UserFactory(language="ja"))

    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="th")

    assert '<html lang="ja">' in response.content.decode()


@pytest.mark.django_db
def test_language_switcher_sets_cookie_for_visitors(client):
    response = client.post(reverse("set_language"), {"language": "th", "next": "/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "th"
    assert '<html lang="th">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_language_switcher_saves_the_users_preference(client):
    user = UserFactory(language="th")
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "ja", "next": "/"})

    user.refresh_from_db()
    assert user.language == "ja"


@pytest.mark.django_db
def test_language_switcher_ignores_unknown_languages(client):
    user = UserFactory(language="th")
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    user.refresh_from_db()
    assert user.language == "th"


@pytest.mark.django_db
def test_preferences_form_changes_name_and_language(client):
    user = UserFactory(language="en")
    client.force_login(user)

    response = client.post(
        reverse("account_preferences"), {"first_name": "สมชาย", "last_name": "ใจดี", "language": "th"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.language) == ("สมชาย", "ใจดี", "th")


@pytest.mark.django_db
def test_preferences_form_rejects_an_unknown_language_and_changes_nothing(client):
    user = UserFactory(first_name="Ann", language="en")
    client.force_login(user)

    response = client.post(reverse("account_preferences"), {"first_name": "Bob", "language": "xx"})

    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.first_name, user.language) == ("Ann", "en")


def test_buddhist_era_arithmetic():
    assert to_buddhist_year(2017) == 2560
    assert normalize_input_year(2560) == 2017
    assert normalize_input_year(2017) == 2017
    assert normalize_input_year(2399) == 2399


def test_with_buddhist_year_rewrites_only_unescaped_year_tokens():
    assert with_buddhist_year("j F Y", 2017) == r"j F \2\5\6\0"
    assert with_buddhist_year("d/m/y", 2017) == r"d/m/\6\0"
    assert with_buddhist_year(r"\Y Y", 2017) == r"\Y \2\5\6\0"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("th", "25 กรกฎาคม 2560"), ("en", "July 25, 2017"), ("ja", "2017年7月25日")],
)
def test_localdate_filter_shows_buddhist_era_in_thai_only(language, expected):
    template = Template("{% load portal %}{{ d|localdate }}")
    with translation.override(language):
        assert template.render(Context({"d": datetime.date(2017, 7, 25)})) == expected


def test_localdatetime_and_year_filters_in_thai():
    template = Template("{% load portal %}{{ dt|localdatetime }}|{{ y|year }}")
    moment = datetime.datetime(2017, 7, 25, 2, 30, tzinfo=datetime.UTC)  # 09:30 in Bangkok
    with translation.override("th"):
        rendered = template.render(Context({"dt": moment, "y": 2017}))
    assert rendered == "25 กรกฎาคม 2560, 9:30|2560"


@pytest.mark.django_db
def test_dashboard_shows_buddhist_era_year_to_thai_users(client):
    user = UserFactory(language="th", date_joined=datetime.datetime(2017, 7, 25, 3, 0, tzinfo=datetime.UTC))
    client.force_login(user)

    html = client.get(reverse("dashboard")).content.decode()

    assert "25 กรกฎาคม 2560" in html
    assert "2017" not in html


def test_nothing_is_loaded_from_the_internet():
    """No CDN: templates, CSS and JS reference no absolute http(s) URL (the portal works offline)."""
    external = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:)?//""", re.IGNORECASE)
    files = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("static/**/*.css"), *ROOT.glob("static/**/*.js")]
    offenders = [str(path.relative_to(ROOT)) for path in files if external.search(path.read_text())]

    assert files
    assert offenders == []


def test_japanese_name_spacing_drops_the_space_after_a_japanese_name_only():
    from django.utils.safestring import SafeData, mark_safe

    from portal.core.i18n import japanese_name_spacing

    assert (
        japanese_name_spacing("武蔵カテーテル株式会社 が承諾しました")
        == "武蔵カテーテル株式会社が承諾しました"
    )
    assert japanese_name_spacing("「精密部品」 への提案") == "「精密部品」への提案"
    assert (
        japanese_name_spacing("Siam Precision から新しいメッセージ") == "Siam Precision から新しいメッセージ"
    )
    assert japanese_name_spacing("สยาม ที่") == "สยาม ที่"
    safe = japanese_name_spacing(mark_safe("加藤 &amp; 佐藤 の提案"))  # noqa: S308 - a test value
    assert isinstance(safe, SafeData)
    assert safe == "加藤 &amp; 佐藤の提案"
