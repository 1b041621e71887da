"""Attachments: checked by content, limited in size and number, private, served to the two companies and
to a coordinator who may read the conversation."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deals import services
from deals.models import Attachment, CoordinatorInvite, Message
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def conversation(pair):
    return services.conversation_open(company=pair["a"], partner=pair["b"], actor=pair["owner_a"])[0]


def _send(pair, conversation, *files):
    return services.message_send(conversation=conversation, actor=pair["owner_a"], text="", files=list(files))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("drawing.pdf", PDF),
        ("photo.png", PNG),
        ("spec.docx", None),
        ("part.step", b"ISO-10303-21;\nHEADER;"),
        ("part.dwg", b"AC1032" + b"\x00" * 20),
    ],
)
def test_accepted_types_are_kept_privately(pair, conversation, name, content):
    upload = SimpleUploadedFile(name, content if content is not None else _docx())

    message = _send(pair, conversation, upload)

    attachment = message.attachments.get()
    assert attachment.name == name
    assert attachment.file.storage.exists(attachment.file.name)
    with pytest.raises(ValueError, match="not accessible via a URL"):
        attachment.file.url  # noqa: B018 - private files have no URL


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>", "wrong_type"),
        ("drawing.pdf", b"<!DOCTYPE html><html></html>", "markup"),
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "markup"),
        ("part.dxf", b"  <svg onload=alert(1)>", "markup"),
        ("fake.pdf", b"MZ\x90\x00 an executable", "wrong_content"),
        ("fake.docx", b"PK\x03\x04 not really a zip", "wrong_content"),
        ("tool.exe", b"MZ\x90\x00", "wrong_type"),
        ("noextension", b"%PDF-1.4", "wrong_type"),
    ],
)
def test_refused_content(pair, conversation, name, content, code):
    with pytest.raises(ValidationError) as error:
        _send(pair, conversation, SimpleUploadedFile(name, content))

    assert error.value.code == code
    assert Message.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_oversized_refused(pair, conversation, settings):
    settings.DEALS_ATTACHMENT_MAX_BYTES = 1024 * 1024

    with pytest.raises(ValidationError) as error:
        _send(pair, conversation, SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024)))

    assert error.value.code == "too_large"
    assert error.value.messages == ["“big.pdf” is larger than 1 MB."]
    assert Attachment.objects.count() == 0


def test_too_many_files_refused(pair, conversation, settings):
    settings.DEALS_ATTACHMENTS_PER_MESSAGE = 2

    with pytest.raises(ValidationError) as error:
        _send(pair, conversation, *[SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(3)])

    assert error.value.code == "too_many_files"
    assert Message.objects.count() == 0


def test_one_bad_file_keeps_none(pair, conversation):
    with pytest.raises(ValidationError):
        _send(pair, conversation, SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.svg", b"<svg/>"))

    assert Attachment.objects.count() == 0


def test_upload_through_the_page(pair, conversation, client):
    client.force_login(pair["owner_a"])

    response = client.post(
        reverse("deals:conversation", kwargs={"pk": conversation.pk}),
        {"text": "Drawing attached", "language": "", "files": [SimpleUploadedFile("d.pdf", PDF)]},
    )

    assert response.status_code == 302
    assert Attachment.objects.get().message.text == "Drawing attached"


def test_upload_refused_through_the_page_says_why(pair, conversation, client):
    client.force_login(pair["owner_a"])

    response = client.post(
        reverse("deals:conversation", kwargs={"pk": conversation.pk}),
        {"text": "x", "files": [SimpleUploadedFile("x.svg", b"<svg/>")]},
        follow=True,
    )

    assert "“x.svg” ไม่ใช่ชนิดไฟล์ที่รับ" in response.content.decode()  # owner_a reads Thai
    assert Message.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner_a", 200),
        ("owner_b", 200),
        ("stranger", 404),
        ("coordinator", 404),
        ("invited", 200),
        ("consultant", 404),
    ],
)
def test_attachment_served_only_to_both_sides_and_invited_coordinators(
    pair, conversation, client, who, status
):
    message = _send(pair, conversation, SimpleUploadedFile("d.pdf", PDF))
    users = {
        "owner_a": pair["owner_a"],
        "owner_b": pair["owner_b"],
        "stranger": MembershipFactory(company=CompanyFactory(country="JP")).user,
        "coordinator": UserFactory(role="coordinator"),
        "consultant": UserFactory(role="consultant"),
    }
    if who == "invited":
        users["invited"] = UserFactory(role="coordinator")
        CoordinatorInvite.objects.create(conversation=conversation, company=pair["a"], kind="interpret")
    client.force_login(users[who])

    response = client.get(reverse("deals:attachment", kwargs={"pk": message.attachments.get().pk}))

    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"] == 'attachment; filename="d.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"


def test_deleting_a_message_deletes_its_files(pair, conversation, django_capture_on_commit_callbacks):
    message = _send(pair, conversation, SimpleUploadedFile("d.pdf", PDF))
    stored = message.attachments.get().file
    storage, name = stored.storage, stored.name

    with django_capture_on_commit_callbacks(execute=True):
        services.message_delete(message=message, actor=pair["owner_a"])

    assert not storage.exists(name)
    assert Attachment.objects.count() == 0


def test_the_file_fields_say_the_limits_before_anything_is_sent(settings):
    from django.utils import translation

    from deals.forms import MessageForm

    settings.DEALS_ATTACHMENTS_PER_MESSAGE = 3
    settings.DEALS_ATTACHMENT_MAX_BYTES = 8 * 1024 * 1024
    with translation.override("en"):
        help_text = str(MessageForm().fields["files"].help_text)

    assert help_text.endswith(" At most 3 files, 8 MB each.")
    assert help_text.startswith("PDF, images, drawings (CAD) and Office documents: ")


def test_a_refused_file_is_said_at_the_message_box_and_the_text_kept(client, pair, conversation):
    """The thread can be long: the refusal is in the message form's error summary (which takes the focus),
    with the typed text kept, not in a banner at the top of the page."""
    client.force_login(pair["owner_b"])

    response = client.post(
        reverse("deals:conversation", args=[conversation.pk]),
        {"text": "Drawing attached", "files": SimpleUploadedFile("fake.png", b"MZ\x90\x00 an executable")},
        HTTP_ACCEPT_LANGUAGE="ja",
    )

    html = response.content.decode()
    assert response.status_code == 200
    composer = html[html.index('id="send"') :]
    assert "data-error-summary" in composer
    assert "「fake.png」は実際には .png ファイルではありません。" in composer
    assert "Drawing attached</textarea>" in composer
    assert not [str(m) for m in response.context["messages"]]
    assert Message.objects.count() == 0
