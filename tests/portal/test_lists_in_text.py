"""Lists in running text are separated as the language writes them: "、" in Japanese, ", " otherwise."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from matching.reasons_text import render_reason
from portal.core.i18n import join_list
from portal.postings.models import Posting
from portal.taxonomy.models import Certification
from tests.factories import MembershipFactory


@pytest.mark.parametrize(("language", "expected"), [("ja", "A、B、C"), ("th", "A, B, C"), ("en", "A, B, C")])
def test_join_list_uses_the_languages_separator(language, expected):
    with translation.override(language):
        assert join_list(["A", "B", "C"]) == expected
        assert Template("{% load portal %}{{ items|join_list }}").render(
            Context({"items": ["A", "B", "C"]})
        ) == (expected)


def test_join_list_filter_escapes_and_reads_attributes():
    template = Template('{% load portal %}{{ rows|join_list:"user.email" }}')

    class Row:
        def __init__(self, email):
            self.user = type("U", (), {"email": email})()

    with translation.override("ja"):
        assert template.render(Context({"rows": [Row("a@x.jp"), Row("<b>")]})) == "a@x.jp、&lt;b&gt;"


@pytest.mark.django_db
def test_reasons_list_terms_with_the_ideographic_comma_in_japanese():
    reason = {
        "code": "they_offer_what_you_seek",
        "slugs": ["injection-molding", "cnc-machining"],
        "inferred": [],
    }

    with translation.override("ja"):
        text = render_reason(reason)

    assert "、" in text
    assert ", " not in text


@pytest.mark.django_db
def test_posting_page_lists_required_certifications_with_the_ideographic_comma(client):
    membership = MembershipFactory(user__language="ja")
    posting = Posting.objects.create(company=membership.company, type="supply-offer", title_ja="精密部品")
    posting.required_certifications.set(Certification.objects.filter(slug__in=["iso-9001", "iso-13485"]))
    client.force_login(membership.user)

    html = client.get(reverse("postings:detail", args=[posting.pk])).content.decode()

    names = [c.name("ja") for c in posting.required_certifications.all()]
    assert "、".join(names) in html


def test_no_template_glues_a_list_with_a_latin_comma():
    """Lists in templates go through ``join_list`` or ``{% list_separator %}``, never a literal ", "."""
    glued = re.compile(r"forloop\.last\s*%}\s*,\s*{%|\|join:")
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if glued.search(path.read_text())
    ]
    assert offenders == []
