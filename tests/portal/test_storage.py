"""Files go through the storages (portal/core/storage.py), on disk and on S3 alike: evidence photos are
private (stored apart, no URL, served only through the permission-checked view), logos public; a file that
is replaced or whose row is deleted leaves its storage once the transaction commits, and not before.

Every test that takes ``storage_backend`` runs twice: on empty folders and on empty S3 buckets (moto's
server standing in for MinIO/S3, tests/s3.py)."""

import io
import json
import urllib.error
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image

from portal.companies.models import Company
from portal.core.storage import private_storage, public_storage, walk
from portal.privacy import registry
from portal.privacy import services as privacy_services
from portal.privacy.models import DataRequest, RequestKind
from shindan import services
from shindan.models import ItemScore
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.shindan.helpers import assigned_consultant, items

pytestmark = pytest.mark.django_db

COLOURS = ["red", "green", "blue", "yellow", "purple", "orange"]


def _png(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(colour: str = "red", name: str = "floor.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _png(colour), content_type="image/png")


@pytest.fixture
def shop():
    """A Thai company with a diagnosis in progress, and one person per role."""
    company = CompanyFactory(name_en="Siam Precision Co., Ltd.")
    consultant = assigned_consultant(company)
    diagnosis = services.diagnosis_create(actor=consultant, company=company, consultants=[consultant])
    users = {
        "anonymous": None,
        "owner": MembershipFactory(company=company).user,
        "other_company": MembershipFactory().user,
        "unassigned_consultant": UserFactory(role="consultant"),
        "assigned_consultant": consultant,
        "coordinator": UserFactory(role="coordinator"),
    }
    item = items(diagnosis.checklist, "PRODUCTION")[0]
    return {"company": company, "diagnosis": diagnosis, "item": item, "users": users}


def _post_photo(client, shop, colour: str):
    client.force_login(shop["users"]["assigned_consultant"])
    item = shop["item"]
    url = reverse("shindan:area", args=[shop["diagnosis"].pk, "PRODUCTION"])
    response = client.post(url, {f"score_{item.pk}": "2", f"photo_{item.pk}": _upload(colour)})
    assert response.status_code == 302
    return ItemScore.objects.get(diagnosis=shop["diagnosis"], item=item)


def _private_files() -> list[str]:
    return list(walk(private_storage()))


def _public_files() -> list[str]:
    return list(walk(public_storage()))


def _object_keys(backend, bucket: str) -> list[str]:
    listing = backend["client"].list_objects_v2(Bucket=backend["buckets"][bucket])
    return sorted(entry["Key"] for entry in listing.get("Contents", ()))


PHOTO_ANSWERS = {
    "assigned_consultant": 200,
    "coordinator": 200,
    "owner": 404,
    "other_company": 404,
    "unassigned_consultant": 404,
    "anonymous": 302,
}


def test_evidence_photo_is_stored_privately_and_served_only_to_those_who_may_see_it(
    client, shop, storage_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = _post_photo(client, shop, "red")

    assert _private_files() == [row.photo.name]
    assert row.photo.name.startswith("shindan/evidence/")
    assert _public_files() == []
    if storage_backend["name"] == "s3":
        key = f"private/{row.photo.name}"
        assert _object_keys(storage_backend, "private") == [key]
        assert _object_keys(storage_backend, "public") == []
        acl = storage_backend["client"].get_object_acl(Bucket=storage_backend["buckets"]["private"], Key=key)
        grantees = [grant["Grantee"].get("URI", grant["Grantee"].get("ID")) for grant in acl["Grants"]]
        assert not [g for g in grantees if g and ("AllUsers" in g or "AuthenticatedUsers" in g)]
        anonymous = f"{storage_backend['endpoint']}/{storage_backend['buckets']['private']}/{key}"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(anonymous, timeout=5)  # noqa: S310 - local moto
        assert refused.value.code == 403
    else:
        assert (storage_backend["private"] / row.photo.name).read_bytes() == _png("red")
        assert not storage_backend["media"].exists()
    with pytest.raises(ValueError, match="URL"):
        row.photo.url  # noqa: B018 - private files have no URL, on disk or on S3
    url = reverse("shindan:evidence_photo", args=[shop["diagnosis"].pk, row.pk])
    for role, expected in PHOTO_ANSWERS.items():
        client.logout()
        if shop["users"][role] is not None:
            client.force_login(shop["users"][role])
        response = client.get(url)
        assert response.status_code == expected, role
        if expected == 200:
            assert response["Content-Type"] == "image/png"
            assert response["Cache-Control"] == "private, no-store"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert b"".join(response.streaming_content) == _png("red")
        if expected == 302:
            assert "/accounts/login/" in response["Location"]


def test_replacing_an_evidence_photo_five_times_leaves_one_file(
    client, shop, storage_backend, django_capture_on_commit_callbacks
):
    """Issue 12, item 10: every replaced photo stayed in the storage (five files, one referenced)."""
    for colour in COLOURS[:5]:
        with django_capture_on_commit_callbacks(execute=True):
            row = _post_photo(client, shop, colour)

    assert _private_files() == [row.photo.name]
    assert private_storage().open(row.photo.name).read() == _png(COLOURS[4])
    response = client.get(reverse("shindan:evidence_photo", args=[shop["diagnosis"].pk, row.pk]))
    assert b"".join(response.streaming_content) == _png(COLOURS[4])


def test_a_replaced_photo_leaves_only_after_commit(
    client, shop, storage_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _post_photo(client, shop, "red").photo.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        second = _post_photo(client, shop, "green").photo.name
        assert sorted(_private_files()) == sorted([first, second])  # not committed yet: both there
    for callback in callbacks:
        callback()

    assert second != first
    assert _private_files() == [second]


def test_a_replacement_that_rolls_back_keeps_the_photo(
    shop, storage_backend, django_capture_on_commit_callbacks
):
    consultant, item = shop["users"]["assigned_consultant"], shop["item"]
    entry = {"item": item, "value": "2", "evidence": ""}
    with django_capture_on_commit_callbacks(execute=True):
        services.item_scores_save(
            actor=consultant, diagnosis=shop["diagnosis"], entries=[{**entry, "photo": _upload("red")}]
        )
    kept = ItemScore.objects.get(item=item).photo.name

    capture = django_capture_on_commit_callbacks(execute=True)
    with capture, pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012
        services.item_scores_save(
            actor=consultant, diagnosis=shop["diagnosis"], entries=[{**entry, "photo": _upload("blue")}]
        )
        raise RuntimeError("the request failed after the save")

    assert ItemScore.objects.get(item=item).photo.name == kept
    assert private_storage().open(kept).read() == _png("red")


def test_clearing_a_score_deletes_its_photo_after_commit(
    client, shop, storage_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _post_photo(client, shop, "red")
    item = shop["item"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("shindan:area", args=[shop["diagnosis"].pk, "PRODUCTION"]),
            {f"score_{item.pk}": "", f"evidence_{item.pk}": ""},
        )

    assert response.status_code == 302
    assert not ItemScore.objects.filter(item=item).exists()
    assert _private_files() == []


def _logo_post(client, company, colour: str):
    return client.post(
        reverse("companies:edit", args=[company.pk, "profile"]),
        {"sector": "manufacturing", "currency": "THB", "logo": _upload(colour, "logo.png")},
    )


def test_a_replaced_logo_leaves_the_storage_and_the_new_one_is_public(
    client, shop, storage_backend, django_capture_on_commit_callbacks
):
    company = shop["company"]
    client.force_login(shop["users"]["owner"])
    for colour in ("red", "green", "blue"):
        with django_capture_on_commit_callbacks(execute=True):
            assert _logo_post(client, company, colour).status_code == 302

    company.refresh_from_db()
    assert _public_files() == [company.logo.name]
    assert _private_files() == []
    client.logout()
    page = client.get(reverse("companies:detail", args=[company.pk])).content.decode()
    assert f'src="{company.logo.url}"' in page
    with company.logo.open("rb") as file:  # the upload re-encoded (portal/core/images.py): a blue WebP
        stored = file.read()
    assert stored[:4] == b"RIFF"
    assert stored[8:12] == b"WEBP"
    if storage_backend["name"] == "s3":
        endpoint, bucket = storage_backend["endpoint"], storage_backend["buckets"]["public"]
        assert company.logo.url == f"{endpoint}/{bucket}/media/{company.logo.name}"
        assert _object_keys(storage_backend, "public") == [f"media/{company.logo.name}"]
        with urllib.request.urlopen(company.logo.url, timeout=5) as answer:  # noqa: S310 - local moto
            assert answer.read() == stored
    else:
        response = client.get(company.logo.url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/webp"
        assert b"".join(response.streaming_content) == stored


def test_deleting_a_company_deletes_its_logo_and_evidence_photos_after_commit(
    client, shop, storage_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _post_photo(client, shop, "red")
        client.force_login(shop["users"]["owner"])
        _logo_post(client, shop["company"], "green")
    other = CompanyFactory()
    with django_capture_on_commit_callbacks(execute=True):
        other.logo.save("other.png", _upload("blue"))
    assert len(_private_files()) == 1
    assert len(_public_files()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        Company.objects.filter(pk=shop["company"].pk).delete()  # what the admin's delete does (a cascade)

    assert _private_files() == []
    assert _public_files() == [Company.objects.get(pk=other.pk).logo.name]


@pytest.fixture
def eraser_of_scores():
    """An eraser (as apps register them) that deletes rows holding files: the person's evidence."""

    def erase(name: str, email: str) -> dict:
        deleted, _by_model = ItemScore.objects.filter(evidence__contains=name).delete()
        return {"scores": deleted}

    registry.register_person_eraser(erase)
    yield erase
    registry.person_erasers.remove(erase)


def test_an_erasure_that_deletes_rows_deletes_their_files_after_commit(
    shop, storage_backend, eraser_of_scores, django_capture_on_commit_callbacks
):
    consultant = shop["users"]["assigned_consultant"]
    entry = {"item": shop["item"], "value": "2", "evidence": "Photo of Somchai Jaidee at the press"}
    with django_capture_on_commit_callbacks(execute=True):
        services.item_scores_save(
            actor=consultant, diagnosis=shop["diagnosis"], entries=[{**entry, "photo": _upload("red")}]
        )
    assert len(_private_files()) == 1
    request = DataRequest.objects.create(kind=RequestKind.ERASURE, name="Somchai Jaidee", due_on="2027-01-01")
    coordinator = shop["users"]["coordinator"]

    def failing(name: str, email: str) -> dict:
        raise RuntimeError("another app's eraser failed")

    registry.register_person_eraser(failing)
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
            privacy_services.person_erase(actor=coordinator, request=request)
    finally:
        registry.person_erasers.remove(failing)
    assert ItemScore.objects.filter(diagnosis=shop["diagnosis"]).count() == 1  # rolled back: all kept
    assert len(_private_files()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        counts = privacy_services.person_erase(actor=coordinator, request=request)

    assert counts["scores"] == 1
    assert _private_files() == []


def test_public_media_answers_only_for_public_files(client, shop, settings, tmp_path):
    """The /media/ route (filesystem storage) serves the public storage and nothing else."""
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = tmp_path / "media", tmp_path / "private"
    row = _post_photo(client, shop, "red")
    public_storage().save("logos/2026/logo.png", _upload("green"))
    client.logout()

    assert client.get("/media/logos/2026/logo.png").status_code == 200
    for path in (row.photo.name, f"../private/{row.photo.name}", "logos/", "logos/2026/missing.png"):
        assert client.get(f"/media/{path}").status_code == 404, path


STORAGE_PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.core.files.storage import storages
print(json.dumps({
    "public": type(storages["default"]).__module__ + "." + type(storages["default"]).__name__,
    "private": type(storages["private"]).__module__ + "." + type(storages["private"]).__name__,
    "private_location": storages["private"].location,
    "img_src": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
}))
"""
S3_ENV = {
    "PORTAL_STORAGE": "s3",
    "S3_PUBLIC_BUCKET": "portal-public",
    "S3_PRIVATE_BUCKET": "portal-private",
    "AWS_S3_REGION_NAME": "ap-southeast-1",
}


def test_one_setting_switches_both_storages_to_s3_in_production():
    from tests.portal.test_settings_modes import PRODUCTION_ENV, _clean_env, _run

    on_disk = _run(["-c", STORAGE_PROBE], _clean_env(**PRODUCTION_ENV))
    on_s3 = _run(["-c", STORAGE_PROBE], _clean_env(**PRODUCTION_ENV, **S3_ENV))
    behind_cdn = _run(
        ["-c", STORAGE_PROBE],
        _clean_env(**PRODUCTION_ENV, **S3_ENV, S3_PUBLIC_CUSTOM_DOMAIN="cdn.example.org"),
    )
    deploy = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _clean_env(**PRODUCTION_ENV, **S3_ENV)
    )

    assert on_disk.returncode == 0, on_disk.stderr
    assert json.loads(on_disk.stdout)["public"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert json.loads(on_disk.stdout)["private"] == "portal.core.storage.PrivateFileSystemStorage"
    assert json.loads(on_disk.stdout)["img_src"] == ["'self'", "data:"]
    assert on_s3.returncode == 0, on_s3.stderr
    assert json.loads(on_s3.stdout) == {
        "public": "storages.backends.s3.S3Storage",
        "private": "portal.core.s3.PrivateS3Storage",
        "private_location": "private",
        "img_src": [
            "'self'",
            "data:",
            "https://portal-public.s3.amazonaws.com",
            "https://portal-public.s3.ap-southeast-1.amazonaws.com",
        ],
    }
    assert json.loads(behind_cdn.stdout)["img_src"] == ["'self'", "data:", "https://cdn.example.org"]
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"PORTAL_STORAGE": "nfs"}, "PORTAL_STORAGE must be filesystem or s3, got 'nfs'"),
        ({"PORTAL_STORAGE": "s3"}, "PORTAL_STORAGE=s3 needs S3_PUBLIC_BUCKET"),
        (
            {**S3_ENV, "S3_PRIVATE_BUCKET": "portal-public", "S3_PRIVATE_PREFIX": "media/private"},
            "separate prefixes",
        ),
    ],
    ids=["unknown", "no-bucket", "private-inside-public"],
)
def test_a_wrong_storage_setting_is_refused_at_start(variables, message):
    from tests.portal.test_settings_modes import _clean_env, _run

    result = _run(["-c", STORAGE_PROBE], _clean_env(**variables))

    assert result.returncode != 0
    assert message in result.stderr
