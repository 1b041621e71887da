"""Details of the Shindan pages a reader notices: a frozen area form that looks frozen, the ratio notes once,
one dash for a missing value, sentences joined as each language joins them, no word said twice in the header,
and a hint that a table of figures scrolls sideways on a phone."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from shindan.report import report_context

pytestmark = pytest.mark.django_db

TREND_NOTE = (
    "Trend: the last two years; green when the ratio improved, red when it worsened (for debt, days and "
    "break-even sales, lower is better)."
)
PEER_NOTE = (
    "Peer median: the same industry and size class, shown when at least five other diagnosed companies have "
    "the ratio."
)
SCROLL_HINT = "Scroll sideways to see every column."
PLAN_NOTICE = (
    'This diagnosis has been reported: open a revision on the <a href="%(url)s">overview</a> to change it. '
    "Each action's status can still be updated."
)


def _css() -> str:
    return (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text(encoding="utf-8")


def _page(client, world, name, *args, language="en"):
    diagnosis = world["diagnosis"]
    client.force_login(world["users"]["assigned_consultant"])
    response = client.get(reverse(name, args=[diagnosis.pk, *args]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_a_reported_diagnosis_area_form_looks_disabled(client, world):
    page = _page(client, world, "shindan:area", "STRATEGY")

    assert re.search(r"<fieldset\s+disabled>", page)
    assert 'class="score-choice"' in page
    css = _css()
    chips = re.search(r"\.scoring fieldset:disabled \.score-choice \{([^}]*)\}", css)
    assert chips
    assert "cursor: not-allowed" in chips.group(1)
    assert "var(--muted)" in chips.group(1)
    button = re.search(r"\.scoring fieldset:disabled \.file-pick-button \{([^}]*)\}", css)
    assert button
    assert "cursor: not-allowed" in button.group(1)


@pytest.mark.parametrize("language", ["th", "ja"])
def test_the_ratio_notes_show_once_in_the_report_and_its_pdf(client, world, language):
    page = _page(client, world, "shindan:report", language=language)
    with translation.override(language):
        trend, peer = gettext(TREND_NOTE), gettext(PEER_NOTE)
        pdf_html = render_to_string(
            "shindan/report_pdf.html",
            {**report_context(world["diagnosis"], language), "font_faces": "", "for_pdf": True},
        )

    assert page.count('class="ratios"') > 1  # one table per group of ratios…
    for html in (page, pdf_html):
        assert html.count(trend) == 1  # …and their notes once, before the first
        assert html.count(peer) == 1
        assert html.index(trend) < html.index('class="ratios"')
    assert "shindan-scroll-hint" not in pdf_html  # paper does not scroll


def test_the_header_does_not_say_checklist_twice(client, world):
    for language in ("th", "ja", "en"):
        page = _page(client, world, "shindan:diagnosis", language=language)
        with translation.override(language):
            label = gettext("Checklist")
            name = escape(world["diagnosis"].checklist.label())

        meta = re.search(r'<p class="meta">(.*?)</p>', page, re.S).group(1)
        assert f'<span class="visually-hidden">{label}</span> {name}' in meta
        visible = re.sub(r'<span class="visually-hidden">.*?</span>', "", meta)
        assert label not in visible.replace(name, "")


def test_the_statements_tables_say_they_scroll_sideways_on_a_phone(client, world):
    with translation.override("th"):
        hint = gettext(SCROLL_HINT)
        region = gettext("Financial statements")
    page = _page(client, world, "shindan:statements", language="th")

    assert page.count(f'<p class="muted shindan-scroll-hint">{hint}</p>') == 2  # statements, ratios
    assert f'<div class="grid-scroll" role="region" tabindex="0" aria-label="{region}">' in page
    css = _css()
    assert ".shindan-scroll-hint { display: none; }" in css
    assert "@media screen and (max-width: 42rem) { .shindan-scroll-hint { display: block; } }" in css
