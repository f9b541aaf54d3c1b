"""Evidence on an S3-compatible object store (production with several app servers:
MEDIA_STORAGE=storages.backends.s3.S3Storage): uploads land in the bucket, downloads stream
from it, deletions remove the object. Needs TEST_S3_ENDPOINT (.ci/run starts moto)."""

from __future__ import annotations

import hashlib
import uuid

import boto3
import pytest
from django.urls import reverse

from evaluations.models import Evidence
from tests import pdfs
from tests.city import files
from tests.services import service_url


@pytest.fixture
def bucket(settings):
    endpoint = service_url("TEST_S3_ENDPOINT")
    name = f"evidence-{uuid.uuid4().hex[:12]}"
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    s3.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": endpoint,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    return s3, name


def _objects(bucket) -> dict[str, bytes]:
    s3, name = bucket
    listing = s3.list_objects_v2(Bucket=name).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=name, Key=o["Key"])["Body"].read() for o in listing}


def test_evidence_goes_to_the_bucket_and_comes_back(
    bucket, bekasi_client, kota_bekasi, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "must-stay-empty"
    listing = reverse("city:evidence_list", args=[kota_bekasi.slug])
    response = bekasi_client.post(
        listing, {"title": "Perwal 12", "file": files.upload("perwal.pdf", files.PDF)}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    stored = _objects(bucket)
    assert stored == {evidence.file.name: files.PDF}
    assert evidence.file.name.startswith("evidence/32.75/")
    assert not settings.MEDIA_ROOT.exists()

    download = bekasi_client.get(
        reverse("city:evidence_download", args=[kota_bekasi.slug, evidence.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == files.PDF

    with django_capture_on_commit_callbacks(execute=True):
        deleted = bekasi_client.post(
            reverse("city:evidence_delete", args=[kota_bekasi.slug, evidence.pk])
        )
    assert deleted.status_code == 302
    assert _objects(bucket) == {}


def test_pdf_page_images_live_in_the_bucket_beside_the_file(
    bucket, bekasi_client, kota_bekasi, tmp_path, settings, django_capture_on_commit_callbacks
):
    """The preview job reads the PDF from the bucket and writes its page images there, so
    every app server serves them; they leave the bucket with the evidence."""
    settings.MEDIA_ROOT = tmp_path / "must-stay-empty"
    data = pdfs.with_pages(2)
    listing = reverse("city:evidence_list", args=[kota_bekasi.slug])
    bekasi_client.post(listing, {"title": "Perwal 12", "file": files.upload("perwal.pdf", data)})
    evidence = Evidence.objects.get()
    panel = bekasi_client.get(
        reverse("city:evidence_pages", args=[kota_bekasi.slug, evidence.pk]),
        headers={"HX-Request": "true"},
    )
    assert 'alt="Halaman 2 dari 2"' in panel.text
    sha256 = hashlib.sha256(data).hexdigest()
    stored = _objects(bucket)
    assert sorted(stored) == sorted(
        [evidence.file.name or ""]
        + [f"evidence-previews/{sha256}/v1/page-{n}.webp" for n in (1, 2)]
    )
    image = bekasi_client.get(
        reverse("city:evidence_page", args=[kota_bekasi.slug, evidence.pk, 1])
    )
    assert b"".join(image.streaming_content) == stored[f"evidence-previews/{sha256}/v1/page-1.webp"]
    assert not settings.MEDIA_ROOT.exists()
    with django_capture_on_commit_callbacks(execute=True):
        bekasi_client.post(reverse("city:evidence_delete", args=[kota_bekasi.slug, evidence.pk]))
    assert _objects(bucket) == {}
