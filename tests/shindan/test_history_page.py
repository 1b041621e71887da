"""The History tab reads as text in the reader's language: kinds of change, field names, stage and area
names and dates (B.E. in Thai) — not the raw JSON with English keys and codes it used to show."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from shindan import services
from shindan.models import Stage
from tests.shindan.helpers import statement_values

pytestmark = pytest.mark.django_db


def test_history_page_shows_changes_in_thai(client, world):
    diagnosis, consultant = world["diagnosis"], world["users"]["assigned_consultant"]
    consultant.language = "th"
    consultant.save(update_fields=["language"])
    client.force_login(consultant)

    html = client.get(reverse("shindan:history", args=[diagnosis.pk])).content.decode()

    body = html.split('<table class="history stack">', 1)[1]
    with translation.override("th"):
        assert translation.gettext("Stage") in body
        assert str(Stage.REPORTED.label) in body
        assert str(Stage.REPORTING.label) in body
        assert translation.gettext("Action") in body
        assert "30 มิถุนายน 2569" in body  # the action's due date, B.E.
    assert "{'stage'" not in body
    assert "reporting'" not in body
    assert not re.search(r"\b(stage|action|due_on|owner|what)\b", re.sub(r"<[^>]+>", " ", body))


def test_a_statement_in_the_history_shows_its_year_and_amounts_as_the_statements_page_does(client, world):
    diagnosis, consultant = world["diagnosis"], world["users"]["assigned_consultant"]
    services.revision_open(actor=consultant, diagnosis=diagnosis, reason="statements")
    services.statement_save(actor=consultant, diagnosis=diagnosis, **statement_values(2023))
    consultant.language = "th"
    consultant.save(update_fields=["language"])
    client.force_login(consultant)

    body = client.get(reverse("shindan:history", args=[diagnosis.pk])).content.decode()
    body = body.split('<table class="history stack">', 1)[1]
    assert ": 2566<" in body  # the fiscal year 2023 in the Buddhist Era
    assert "100,000" in body  # sales, grouped
    assert ": 100000<" not in body
