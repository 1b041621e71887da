"""The coordinator's import and export pages: only coordinators and admins; bad files change nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.accounts.models import Role
from portal.companies.models import Company
from tests.factories import MembershipFactory, UserFactory
from tests.portal.test_importer import GOOD, _csv

pytestmark = pytest.mark.django_db


def _user(kind):
    return {
        "owner": lambda: MembershipFactory().user,
        "consultant": lambda: UserFactory(role=Role.CONSULTANT),
        "coordinator": lambda: UserFactory(role=Role.COORDINATOR),
        "admin": lambda: UserFactory(is_staff=True, is_superuser=True),
        "anonymous": lambda: None,
    }[kind]()


@pytest.mark.parametrize(
    ("kind", "status"),
    [("anonymous", 302), ("owner", 404), ("consultant", 404), ("coordinator", 200), ("admin", 200)],
)
def test_import_and_export_per_role(client, kind, status):
    user = _user(kind)
    if user:
        client.force_login(user)
    before = Company.objects.count()

    page = client.get(reverse("companies:import"))
    upload = client.post(reverse("companies:import"), {"file": SimpleUploadedFile("c.csv", _csv(GOOD))})
    export = client.get(reverse("companies:export", args=["csv"]))

    assert page.status_code == status
    assert export.status_code == status
    if status == 200:
        assert upload.status_code == 200
        assert Company.objects.count() == before + 1
        assert export["Content-Disposition"].startswith('attachment; filename="companies-')
    else:
        assert upload.status_code == status
        assert Company.objects.count() == before


def test_a_file_with_errors_lists_them_and_imports_nothing(client):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    bad = {**GOOD, "registration_no": "0105536112015", "capabilities": "telepathy"}

    response = client.post(reverse("companies:import"), {"file": SimpleUploadedFile("c.csv", _csv(bad))})

    assert response.status_code == 400
    assert [(e.line, e.column) for e in response.context["errors"]] == [
        (2, "registration_no"),
        (2, "capabilities"),
    ]
    assert Company.objects.count() == 0


def test_unknown_export_format_is_404(client):
    client.force_login(UserFactory(role=Role.COORDINATOR))

    assert client.get(reverse("companies:export", args=["pdf"])).status_code == 404


def test_xlsx_export_downloads(client):
    client.force_login(UserFactory(role=Role.COORDINATOR))

    response = client.get(reverse("companies:export", args=["xlsx"]))

    assert response.status_code == 200
    assert response.content[:2] == b"PK"
