"""A select's empty choice says what to do in the reader's language, never Django's "---------"."""

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from portal.core.forms import PortalForm
from tests.factories import UserFactory


class _Form(PortalForm):
    group = forms.ModelChoiceField(queryset=Group.objects.all())
    optional = forms.ModelChoiceField(queryset=Group.objects.all(), required=False)
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["late"] = forms.ModelChoiceField(queryset=Group.objects.all())  # added after the base


@pytest.mark.django_db
def test_empty_choices_say_choose_or_none():
    with translation.override("ja"):
        html = str(_Form())
    assert "---------" not in html
    assert html.count('<option value="" selected>選択してください…</option>') == 3  # group, kind, late
    assert '<option value="" selected>—</option>' in html  # optional


@pytest.mark.django_db
def test_coordinator_pages_have_no_dashes(client):
    client.force_login(UserFactory(role="coordinator", language="th"))
    for url in (reverse("shindan:assignments"), reverse("events:new")):
        html = client.get(url).content.decode()
        assert "---------" not in html, url
