"""Markup that assistive technology relies on: every id that aria-describedby (and the other references)
names exists, form errors open with a summary that links to the fields, text in another language than the
page says so (lang=), and the API docs have a language. The browser-side checks are in
tests/e2e/test_layout_and_keyboard.py and tests/e2e/test_accessibility.py (axe-core)."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from portal.accounts.models import Role
from portal.companies.forms import CompanyCapabilitiesForm
from portal.postings.models import PostingStatus
from portal.postings.services import posting_create, posting_set_status
from shindan import services
from shindan.models import Assignment
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls", "for")


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.references: list[tuple[str, str, str]] = []
        self.links: list[str] = []
        self.lang_of: dict[str, str] = {}
        self._summary_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name in REFERENCES:
            for target in (attributes.get(name) or "").split():
                self.references.append((tag, name, target))
        if "data-error-summary" in attributes:
            self._summary_depth = 1
        elif self._summary_depth:
            self._summary_depth += tag not in ("br", "input", "img")
            if tag == "a":
                self.links.append(attributes["href"])

    def handle_endtag(self, tag):
        if self._summary_depth:
            self._summary_depth -= 1


def _parse(response) -> _Markup:
    markup = _Markup()
    markup.feed(response.content.decode())
    return markup


def _assert_references_exist(response) -> _Markup:
    markup = _parse(response)
    missing = [reference for reference in markup.references if reference[2] not in markup.ids]
    assert missing == []
    return markup


def test_login_errors_are_described_and_summarised(client):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})

    markup = _assert_references_exist(response)
    html = response.content.decode()
    assert markup.links == ["#id_login", "#id_password"]
    assert re.search(r'<input[^>]*aria-describedby="id_login_error"[^>]*>', html)
    assert 'id="id_login_error"' in html
    assert "autofocus" in html.split("data-error-summary")[0].rsplit("<section", 1)[1]


def test_signup_errors_and_help_texts_are_described(client):
    response = client.post(reverse("account_signup"), {"email": "not-an-e-mail", "password1": "x"})

    markup = _assert_references_exist(response)
    assert "#id_email" in markup.links
    assert any(target.endswith("_helptext") for _tag, _name, target in markup.references)


def test_company_registration_errors_are_described(client):
    client.force_login(UserFactory())

    response = client.post(reverse("companies:start"), {"country": "TH", "registration_no": "123"})

    markup = _assert_references_exist(response)
    assert "#id_registration_no" in markup.links


def test_choice_lists_are_fieldsets_with_their_errors_described(client):
    membership = MembershipFactory()
    client.force_login(membership.user)

    response = client.post(
        reverse("companies:edit", args=[membership.company.pk, "capabilities"]),
        {
            "industries": ["no-such-industry"],
            "certificates-TOTAL_FORMS": "0",
            "certificates-INITIAL_FORMS": "0",
        },
    )

    markup = _assert_references_exist(response)
    html = response.content.decode()
    assert re.search(
        r'<fieldset[^>]*id="id_industries_fieldset"[^>]*aria-describedby="id_industries_error"', html
    )
    assert "#id_industries_0" in markup.links


def test_shindan_forms_describe_their_errors(client):
    company = CompanyFactory()
    consultant = UserFactory(role=Role.CONSULTANT)
    Assignment.objects.create(consultant=consultant, company=company, starts_on=datetime.date(2020, 1, 1))
    diagnosis = services.diagnosis_create(actor=consultant, company=company)
    client.force_login(consultant)

    statements = client.post(reverse("shindan:statements", args=[diagnosis.pk]), {"fiscal_year": "1800"})
    detail = client.get(reverse("shindan:diagnosis", args=[diagnosis.pk]))
    area = client.get(reverse("shindan:area", args=[diagnosis.pk, "PRODUCTION"]))

    assert "#id_fiscal_year" in _assert_references_exist(statements).links
    _assert_references_exist(detail)
    _assert_references_exist(area)
    # The interviewees' table: every input has a label.
    labelled = {target for tag, name, target in _parse(detail).references if name == "for"}
    assert {"id_people-0-position", "id_people-0-name"} <= labelled


def test_capabilities_are_grouped_by_the_taxonomy_in_the_viewers_language():
    with translation.override("ja"):
        form = CompanyCapabilitiesForm()
        groups = [(str(label), boxes) for label, boxes in form["capabilities"].groups]
        industries = [(str(label), boxes) for label, boxes in form["industries"].groups]

    assert [label for label, _boxes in groups] == [
        "加工・成形",
        "仕上げ・接合",
        "エレクトロニクス",
        "組立・クリーン製造",
        "自動化・ソフトウェア",
        "エンジニアリング・試験・材料",
        "流通・物流",
    ]
    assert [box.data["value"].value for box in groups[0][1]][:2] == ["cnc-machining", "injection-molding"]
    assert sum(len(boxes) for _label, boxes in groups) == 26
    assert [(label, len(boxes)) for label, boxes in industries] == [("重点産業", 3), ("その他の産業", 10)]
    assert form["looking_for"].groups == []


def test_posting_titles_in_another_language_say_which(client):
    company = CompanyFactory(name_en="", name_ja="関西ロボティクス株式会社", country="JP")
    posting = posting_create(company=company, type="supply-need", title_ja="精密加工の協力会社を探しています")
    posting_set_status(posting=posting, status=PostingStatus.PUBLISHED)

    english = client.get(reverse("postings:detail", args=[posting.pk]), HTTP_ACCEPT_LANGUAGE="en")
    japanese = client.get(reverse("postings:detail", args=[posting.pk]), HTTP_ACCEPT_LANGUAGE="ja")
    company_page = client.get(reverse("companies:detail", args=[company.pk]), HTTP_ACCEPT_LANGUAGE="th")

    assert '<h1><span lang="ja">精密加工の協力会社を探しています</span></h1>' in english.content.decode()
    assert "<h1>精密加工の協力会社を探しています</h1>" in japanese.content.decode()
    assert '<span lang="ja">関西ロボティクス株式会社</span>' in company_page.content.decode()
    assert '<span lang="ja">精密加工の協力会社を探しています</span></a>' in company_page.content.decode()


def test_api_docs_page_has_a_language(client):
    response = client.get(reverse("api-docs"))

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert "css/api-docs.css" in response.content.decode()


def test_the_register_and_join_forms_share_no_ids(client):
    """Both ask for a country and a registration number: a label of the join form must not focus the
    register form's field."""
    import re

    client.force_login(UserFactory())
    html = client.get(reverse("companies:start")).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert 'for="join_registration_no"' in html
