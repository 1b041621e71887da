"""Control characters in text (issue 12 item 7): refused in every single-line field, at every edge.

``PATCH /api/companies/1/`` with ``name_en`` "Siam\\r\\nX-INJ:1" was accepted and the owner's agenda .ics
then answered 500. The rule is in ``portal/core/text.py``; forms, serializers, the admin and the import
apply it, and exports clean what is already stored (the .ics test is in tests/events/test_pages.py).
"""

import csv
import importlib
import io
import pkgutil

import pytest
from django import forms
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework import serializers
from rest_framework.test import APIClient

from portal.accounts.services import api_token_create
from portal.companies.importer import COLUMNS, ImportFailed, export_csv, export_xlsx, import_companies
from portal.companies.models import Company
from portal.core.api import ControlCharactersSerializerMixin
from portal.core.forms import ControlCharactersMixin
from portal.core.text import (
    MULTI_LINE_MESSAGE,
    SINGLE_LINE_MESSAGE,
    ControlCharacterValidator,
    multi_line,
    single_line,
    spreadsheet_cell,
)
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

INJECTION = "Siam\r\nX-INJ:1"
PACKAGES = ("portal", "matching", "shindan", "events")


def _t(language: str, message) -> str:
    with translation.override(language):
        return str(message)


# ---------------------------------------------------------------------------------------------------
# The rule
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a\nb",
        "a\r\nb",
        "a\rb",
        "a\tb",
        "a\x00b",
        "a\x1bb",
        "a\x7fb",
        "a\x85b",
        "a\x9fb",
        "a\u2028b",
        "a\u2029b",
    ],
)
def test_single_line_text_refuses_every_control_character(text):
    with pytest.raises(forms.ValidationError):
        ControlCharacterValidator()(text)


def test_multi_line_text_keeps_line_breaks_and_tabs_only():
    validator = ControlCharacterValidator(multiline=True)
    for text in ("line 1\nline 2", "line 1\r\nline 2", "a\tb", "ภาษาไทย 日本語 — “quotes”"):
        validator(text)
    for text in ("a\rb", "a\x00b", "a\x1b[31mb", "a\x0bb", "a\u2028b"):
        with pytest.raises(forms.ValidationError):
            validator(text)


def test_stored_text_is_cleaned_for_output():
    assert single_line(INJECTION) == "Siam X-INJ:1"
    assert single_line(" a\x00\x01b\u2028") == "a b"
    assert multi_line("a\r\nb\rc\x1bd\te") == "a\nb\ncd\te"
    assert spreadsheet_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert spreadsheet_cell("\t=1") == "'=1"  # the tab goes, the formula is still written as text
    assert spreadsheet_cell("a\nb", multiline=True) == "a\nb"


# ---------------------------------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------------------------------


def test_patch_with_a_line_break_in_a_name_is_refused_and_changes_nothing():
    owner = MembershipFactory(company__name_en="Siam Precision", user__language="th").user
    company = owner.memberships.get().company
    before = Company.objects.filter(pk=company.pk).values().get()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=owner, name='ERP')[1]}")

    response = api.patch(
        f"/api/companies/{company.pk}/", {"name_en": INJECTION, "employees": 250}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"name_en": [_t("th", SINGLE_LINE_MESSAGE)]}  # the owner's language
    assert _t("th", SINGLE_LINE_MESSAGE) != _t("en", SINGLE_LINE_MESSAGE)
    assert Company.objects.filter(pk=company.pk).values().get() == before


def test_a_description_keeps_its_lines_through_the_api_but_not_an_escape_sequence():
    owner = MembershipFactory().user
    company = owner.memberships.get().company
    api = APIClient()
    api.force_authenticate(owner)

    kept = api.patch(
        f"/api/companies/{company.pk}/", {"description_en": "Line 1\nLine 2\tend"}, format="json"
    )
    refused = api.patch(f"/api/companies/{company.pk}/", {"description_en": "\x1b[31mRed"}, format="json")

    assert kept.status_code == 200
    assert refused.status_code == 400
    assert refused.json() == {"description_en": [str(MULTI_LINE_MESSAGE)]}
    company.refresh_from_db()
    assert company.description_en == "Line 1\nLine 2\tend"


def test_a_posting_title_with_a_tab_is_refused_through_the_api():
    owner = MembershipFactory().user
    api = APIClient()
    api.force_authenticate(owner)

    response = api.post(
        "/api/postings/",
        {"company": owner.memberships.get().company_id, "type": "investment", "title_en": "A\tB"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"title_en"}


# ---------------------------------------------------------------------------------------------------
# Pages and the admin
# ---------------------------------------------------------------------------------------------------


def test_a_form_refuses_a_line_break_in_a_single_line_field_and_saves_nothing(client):
    user = UserFactory(first_name="Somchai", language="ja")
    client.force_login(user)

    response = client.post(
        reverse("account_preferences"), {"first_name": "Som\nchai", "last_name": "", "language": "ja"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"first_name": [_t("ja", SINGLE_LINE_MESSAGE)]}
    user.refresh_from_db()
    assert user.first_name == "Somchai"


def test_a_textarea_keeps_the_line_breaks_browsers_send(client):
    owner = MembershipFactory().user
    company = owner.memberships.get().company
    client.force_login(owner)

    response = client.post(
        reverse("postings:new", kwargs={"company_pk": company.pk}),
        {"type": "investment", "title_en": "Partner wanted", "body_en": "Line 1\r\nLine 2"},
    )

    assert response.status_code == 302
    assert company.postings.get().body_en == "Line 1\r\nLine 2"


@pytest.mark.filterwarnings("ignore:The default scheme will be changed:DeprecationWarning")
def test_the_admin_refuses_a_line_break_in_a_company_name():
    company = CompanyFactory(name_en="Siam Precision")
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    model_admin = admin.site._registry[Company]
    form_class = model_admin.get_form(request, company, change=True)
    data = {**model_to_dict(company), "name_en": INJECTION}
    data = {key: value for key, value in data.items() if value is not None}

    form = form_class(data=data, instance=company)

    assert not form.is_valid()
    assert form.errors["name_en"] == [str(SINGLE_LINE_MESSAGE)]


def _project_modules():
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if ".migrations" in module.name or module.name.endswith(("settings", "wsgi", "asgi")):
                continue
            yield importlib.import_module(module.name)


def _subclasses(base):
    seen, stack = set(), [base]
    while stack:
        for subclass in stack.pop().__subclasses__():
            if subclass not in seen:
                seen.add(subclass)
                stack.append(subclass)
    return seen


def test_every_form_of_the_project_and_the_admin_has_the_rule():
    list(_project_modules())
    ours = [
        form
        for form in _subclasses(forms.BaseForm)
        if form.__module__.split(".")[0] in PACKAGES and not form.__module__.startswith("portal.core.forms")
    ]
    assert len(ours) > 40
    missing = sorted(
        f"{form.__module__}.{form.__qualname__}"
        for form in ours
        if not issubclass(form, ControlCharactersMixin)
    )
    assert not missing, "inherit PortalForm/PortalModelForm (portal/core/forms.py): " + ", ".join(missing)
    admin_forms = [
        getattr(model_admin, attribute)
        for model_admin in admin.site._registry.values()
        for attribute in ("form", "add_form")
        if hasattr(model_admin, attribute)
    ] + [inline.form for model_admin in admin.site._registry.values() for inline in model_admin.inlines]
    assert all(issubclass(form, ControlCharactersMixin) for form in admin_forms)


def test_every_serializer_of_the_project_has_the_rule():
    list(_project_modules())
    ours = [
        serializer
        for serializer in _subclasses(serializers.BaseSerializer)
        if serializer.__module__.split(".")[0] in PACKAGES and serializer.__module__ != "portal.core.api"
    ]
    assert len(ours) > 25
    missing = sorted(
        f"{serializer.__module__}.{serializer.__qualname__}"
        for serializer in ours
        if not issubclass(serializer, ControlCharactersSerializerMixin)
    )
    assert not missing, "inherit PortalSerializer/PortalModelSerializer (portal/core/api.py): " + ", ".join(
        missing
    )


# ---------------------------------------------------------------------------------------------------
# Import and export
# ---------------------------------------------------------------------------------------------------


def _csv(*rows: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in COLUMNS})
    return buffer.getvalue().encode("utf-8")


ROW = {
    "external_id": "TH-9",
    "country": "TH",
    "name_en": INJECTION,
    "registration_no": "0105536112014",
    "description_en": "Line 1\nLine 2",
    "contact_name": "Somchai\x07",
}


def test_an_import_with_control_characters_in_single_line_cells_writes_nothing():
    # (A tab, not a line break: a CSV record with a line break spans lines, and the importer reports the
    # line where the record ends.)
    row = {**ROW, "name_en": "Siam\tX-INJ:1", "description_en": "One line"}

    with pytest.raises(ImportFailed) as failed:
        import_companies(data=_csv(row), filename="companies.csv")

    assert {(error.line, error.column, error.message) for error in failed.value.errors} == {
        (2, "name_en", str(SINGLE_LINE_MESSAGE)),
        (2, "contact_name", str(SINGLE_LINE_MESSAGE)),
    }
    assert not Company.objects.exists()


def test_an_import_keeps_the_lines_of_a_description():
    import_companies(
        data=_csv({**ROW, "name_en": "Siam", "contact_name": "Somchai"}), filename="companies.csv"
    )

    assert Company.objects.get().description_en == "Line 1\nLine 2"


def test_exports_of_text_stored_before_the_rule_are_clean():
    company = CompanyFactory(name_en="Old")
    Company.objects.filter(pk=company.pk).update(name_en="Old\x01\r\nName", description_en="a\r\nb\x1bc")

    workbook = load_workbook(io.BytesIO(export_xlsx(Company.objects.all())), read_only=True)
    header, row = list(workbook.worksheets[0].iter_rows(values_only=True))
    values = dict(zip(header, row, strict=True))
    text = export_csv(Company.objects.all()).decode("utf-8-sig")
    record = next(csv.DictReader(io.StringIO(text)))

    assert values["name_en"] == record["name_en"] == "Old Name"
    assert values["description_en"] == record["description_en"] == "a\nbc"
