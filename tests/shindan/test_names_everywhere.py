"""A Shindan area and a stage read the same wherever they appear: the diagnosis' tabs, its overview table,
the area pages, the report, the workspace and the coordinators' overview (docs/glossary.md). The default
checklist's own area titles (e.g. "Finance" as การเงินและบัญชี / 財務・会計) used to show on the area pages
and in the report while the tabs said การเงิน / 財務."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from shindan.models import AREA_ORDER, Area, Stage

pytestmark = pytest.mark.django_db
LANGUAGES = ["th", "ja", "en"]


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)).strip()


def _names(language: str) -> list[str]:
    with translation.override(language):
        return [str(Area(code).label) for code in AREA_ORDER]


def _get(client, user, language, url) -> str:
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_area_names_are_the_same_on_tabs_overview_area_pages_and_report(client, world, language):
    diagnosis, consultant = world["diagnosis"], world["users"]["assigned_consultant"]
    names = _names(language)

    overview = _get(client, consultant, language, reverse("shindan:diagnosis", args=[diagnosis.pk]))
    tabs = re.search(r'<nav class="tabs".*?</nav>', overview, re.S).group(0)
    tab_names = [_text(m) for m in re.findall(r'/areas/\w+/"[^>]*>(.*?)<span class="muted">', tabs, re.S)]
    table = re.search(r'id="areas-h".*?</table>', overview, re.S).group(0)
    table_names = [_text(m) for m in re.findall(r'<th scope="row">(.*?)</th>', table, re.S)][: len(names)]
    page_names = []
    for code in AREA_ORDER:
        page = _get(client, consultant, language, reverse("shindan:area", args=[diagnosis.pk, code]))
        page_names.append(_text(re.search(r"<h2>(.*?)<span", page, re.S).group(1)))
    report = _get(
        client, consultant, language, reverse("shindan:report", args=[diagnosis.pk]) + f"?lang={language}"
    )
    area_table = re.search(r'<table class="area-table">.*?</table>', report, re.S).group(0)
    report_rows = [_text(m) for m in re.findall(r'<th scope="row">(.*?)</th>', area_table, re.S)]
    items = report.split('<table class="area-table">', 1)[1]
    report_heads = [
        _text(m).rsplit(" (", 1)[0] for m in re.findall(r'<h4>([^<]*)</h4>\s*<table class="items">', items)
    ]

    assert tab_names == names
    assert table_names == names
    assert page_names == names
    assert report_rows == names
    assert report_heads == names


@pytest.mark.parametrize("language", LANGUAGES)
def test_stage_names_are_the_same_in_the_header_workspace_and_overview(client, world, language):
    diagnosis, users = world["diagnosis"], world["users"]
    with translation.override(language):
        stage = str(Stage(diagnosis.stage).label)
        requested = str(Stage.REQUESTED.label)

    header = _get(
        client, users["assigned_consultant"], language, reverse("shindan:diagnosis", args=[diagnosis.pk])
    )
    meta = _text(re.search(r'<p class="meta">(.*?)</p>', header, re.S).group(1))
    workspace = _get(client, users["assigned_consultant"], language, reverse("shindan:home"))
    overview = _get(client, users["coordinator"], language, reverse("shindan:home"))

    assert re.search(rf'<span class="tag stage-{diagnosis.stage}">{re.escape(stage)}</span>', header)
    if language != "en":  # the request date's label is not the stage "Requested" again
        assert meta.count(requested) == (1 if stage == requested else 0)
    assert f"<h3>{stage} <span" in workspace
    assert f"<li>{stage}: <strong>" in overview
    assert re.search(rf"<td[^>]*>{re.escape(stage)}</td>", overview)
