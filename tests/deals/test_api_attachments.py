"""Attachments through the API: ``POST /api/deals/conversations/<id>/messages/`` as multipart/form-data
with ``files`` checked by the same service as the page (type by content, size and count limits, HTML/SVG
refused), scoped like the page (members of the two companies write; nobody else), and in the schema."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from deals import services
from deals.models import Attachment, CoordinatorInvite, Message
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def conversation(pair):
    return services.conversation_open(company=pair["a"], partner=pair["b"], actor=pair["owner_a"])[0]


def _url(conversation) -> str:
    return f"/api/deals/conversations/{conversation.pk}/messages/"


def _api(user) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def _post(user, conversation, *files, text="Drawing attached"):
    return _api(user).post(_url(conversation), {"text": text, "files": list(files)}, format="multipart")


def _in(language: str, message: str, **values) -> str:
    """The service's message as the API answers it (a force-authenticated client sends no language: the
    default, English; a client that asks for Thai gets Thai)."""
    with translation.override(language):
        return translation.gettext(message) % values


WRONG_TYPE = "“%(name)s” is not a file type we accept (%(types)s)."
MARKUP = "“%(name)s” contains web page or SVG content, which we do not accept."
NOT_REALLY = "“%(name)s” is not really a .%(extension)s file."


def test_pdf_accepted_and_listed_with_its_download_url(pair, conversation):
    response = _post(pair["owner_b"], conversation, SimpleUploadedFile("drawing.pdf", PDF))

    assert response.status_code == 201
    attachment = Attachment.objects.get()
    assert attachment.message.text == "Drawing attached"
    assert attachment.message.company == pair["b"]
    assert attachment.file.storage.exists(attachment.file.name)
    assert response.json()["attachments"] == [
        {
            "id": attachment.pk,
            "name": "drawing.pdf",
            "size": len(PDF),
            "url": reverse("deals:attachment", kwargs={"pk": attachment.pk}),
        }
    ]
    listed = _api(pair["owner_a"]).get(_url(conversation)).json()
    assert listed[-1]["attachments"][0]["name"] == "drawing.pdf"


def test_files_without_text_and_several_files(pair, conversation):
    response = _post(
        pair["owner_a"],
        conversation,
        SimpleUploadedFile("a.pdf", PDF),
        SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32),
        text="",
    )

    assert response.status_code == 201
    assert [a["name"] for a in response.json()["attachments"]] == ["a.pdf", "b.png"]
    assert Message.objects.get().text == ""


def test_json_message_still_works_without_files(pair, conversation):
    response = _api(pair["owner_a"]).post(_url(conversation), {"text": "สวัสดีครับ"}, format="json")

    assert response.status_code == 201
    assert response.json()["attachments"] == []
    assert response.json()["language"] == "th"


def test_neither_text_nor_file_refused(pair, conversation):
    response = _api(pair["owner_a"]).post(_url(conversation), {"text": ""}, format="multipart")

    assert response.status_code == 400
    assert response.json() == [_in("en", "Write a message or attach a file.")]
    assert Message.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("tool.exe", b"MZ\x90\x00", WRONG_TYPE),
        ("page.html", b"<html><script>alert(1)</script></html>", WRONG_TYPE),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', WRONG_TYPE),
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', MARKUP),
        ("drawing.pdf", b"<!DOCTYPE html><html></html>", MARKUP),
        ("fake.pdf", b"MZ\x90\x00 an executable", NOT_REALLY),
    ],
)  # fmt: skip
def test_wrong_type_and_markup_refused(pair, conversation, name, content, error):
    from deals.files import allowed_extensions

    response = _post(pair["owner_a"], conversation, SimpleUploadedFile(name, content))

    assert response.status_code == 400
    values = {"name": name, "types": allowed_extensions(), "extension": name.rsplit(".", 1)[-1]}
    assert response.json() == [_in("en", error, **values)]
    assert Message.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_refusal_in_the_language_the_client_asks_for(pair, conversation):
    response = _api(pair["owner_a"]).post(
        _url(conversation),
        {"text": "x", "files": [SimpleUploadedFile("x.svg", b"<svg/>")]},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="th",
    )

    assert response.status_code == 400
    assert response.json()[0].startswith("“x.svg” ไม่ใช่ชนิดไฟล์ที่รับ")
    assert Message.objects.count() == 0


def test_oversized_refused(pair, conversation, settings):
    settings.DEALS_ATTACHMENT_MAX_BYTES = 1024 * 1024

    response = _post(pair["owner_b"], conversation, SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024)))

    assert response.status_code == 400
    assert response.json() == ["“big.pdf” is larger than 1 MB."]
    assert Message.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_too_many_files_refused(pair, conversation, settings):
    settings.DEALS_ATTACHMENTS_PER_MESSAGE = 2

    response = _post(pair["owner_a"], conversation, *[SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(3)])

    assert response.status_code == 400
    assert response.json() == ["At most 2 files at a time."]
    assert Message.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_one_bad_file_keeps_none(pair, conversation):
    response = _post(
        pair["owner_a"],
        conversation,
        SimpleUploadedFile("a.pdf", PDF),
        SimpleUploadedFile("b.svg", b"<svg/>"),
    )

    assert response.status_code == 400
    assert Message.objects.count() == 0
    assert Attachment.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "statuses"),
    [
        ("anonymous", {401, 403}),
        ("owner_a", {201}),
        ("owner_b", {201}),
        ("stranger", {404}),
        ("coordinator", {404}),
        ("invited", {404}),  # an invited coordinator reads and translates; only the companies write
        ("consultant", {404}),
        ("admin", {404}),
    ],
)
def test_upload_permission_per_role(pair, conversation, who, statuses):
    users = {
        "anonymous": None,
        "owner_a": pair["owner_a"],
        "owner_b": pair["owner_b"],
        "stranger": MembershipFactory(company=CompanyFactory(country="JP")).user,
        "coordinator": UserFactory(role="coordinator"),
        "invited": UserFactory(role="coordinator"),
        "consultant": UserFactory(role="consultant"),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    CoordinatorInvite.objects.create(conversation=conversation, company=pair["a"], kind="interpret")

    response = _post(users[who], conversation, SimpleUploadedFile("d.pdf", PDF))

    assert response.status_code in statuses
    expected = 1 if 201 in statuses else 0
    assert Message.objects.count() == expected
    assert Attachment.objects.count() == expected


def test_schema_documents_the_multipart_upload(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    post = schema["paths"]["/api/deals/conversations/{id}/messages/"]["post"]
    content = post["requestBody"]["content"]
    assert set(content) == {"application/json", "multipart/form-data"}
    upload = content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    files = schema["components"]["schemas"][upload]["properties"]["files"]
    assert files == {"type": "array", "items": {"type": "string", "format": "binary"}, "writeOnly": True}
    json_body = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "files" not in schema["components"]["schemas"][json_body]["properties"]
