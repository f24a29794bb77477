"""Media on S3-compatible storage (issue #16): with MEDIA_S3_* set, what an editor uploads
through the admin lands in the bucket and is read back by readers; a private document is
still refused to the public, streamed by the serve view rather than redirected to the
bucket. Run against moto's standalone S3 server, started on a free port."""

from __future__ import annotations

import io
import json
import os
import runpy
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from experiences.models import ExperiencePage
from tests.privacy import PRIVATE_REPORT, make_private

boto3 = pytest.importorskip("boto3")
pytest.importorskip("storages")

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "hub-media-test"
KEYS = {"MEDIA_S3_ACCESS_KEY_ID": "testing", "MEDIA_S3_SECRET_ACCESS_KEY": "testing"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's standalone S3 server (moto[server]) on loopback, with an empty private bucket."""
    port = _free_port()
    moto = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"},
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        # Not up yet: refused, or (on a loaded machine) slow to give its first answer.
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(endpoint, timeout=5)
                break
            except (requests.ConnectionError, requests.Timeout):
                if time.monotonic() > deadline:
                    pytest.fail("moto_server did not answer within 60 s")
                time.sleep(0.1)
        _client(endpoint).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


def _client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def s3_media(s3_endpoint, monkeypatch) -> Iterator[dict]:
    """The project's settings as cooperation_hub/settings.py builds them from MEDIA_S3_* variables."""
    for name, value in {**KEYS, "MEDIA_S3_BUCKET": BUCKET, "MEDIA_S3_ENDPOINT_URL": s3_endpoint}.items():
        monkeypatch.setenv(name, value)
    built = runpy.run_path(str(ROOT / "cooperation_hub" / "settings.py"))
    assert built["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert built["WAGTAILDOCS_SERVE_METHOD"] == "serve_view" and built["MEDIA_SERVE"] is False
    from django.conf import settings

    storages = {**settings.STORAGES, "default": built["STORAGES"]["default"]}
    with override_settings(STORAGES=storages, WAGTAILDOCS_SERVE_METHOD=built["WAGTAILDOCS_SERVE_METHOD"]):
        yield built


@pytest.fixture
def editor(client):
    admin = get_user_model().objects.create_superuser("s3editor", "s3editor@example.org", "a-long-test-password-42")
    client.force_login(admin)
    return admin


def _keys(endpoint: str) -> set[str]:
    return {item["Key"] for item in _client(endpoint).list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def _png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (30, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def _upload_document(client) -> Document:
    upload = io.BytesIO(b"Figures of the pilot, kept in the bucket.")
    upload.name = "pilot-figures.txt"
    response = client.post("/admin/documents/add/", {"title": "Pilot figures", "file": upload, "collection": 1})
    assert response.status_code == 302, response.content[:2000]
    return Document.objects.get(title="Pilot figures")


def _link_from_public_report(document: Document) -> ExperiencePage:
    page = ExperiencePage.objects.get(external_id=PRIVATE_REPORT, locale__language_code="en")
    page.body = json.dumps([{"type": "document", "value": {"document": document.pk, "title": document.title}}])
    page.save_revision().publish()
    return ExperiencePage.objects.get(pk=page.pk)


def test_a_document_uploaded_by_an_editor_is_stored_in_the_bucket_and_served(
    demo, client, editor, s3_media, s3_endpoint
):
    document = _upload_document(client)
    assert document.file.name in _keys(s3_endpoint)
    assert not (Path(s3_media["MEDIA_ROOT"]) / document.file.name).exists()  # not on the local disk
    _link_from_public_report(document)
    client.logout()

    response = client.get(document.url)
    assert response.status_code == 200  # streamed by the site, not redirected to the bucket
    assert b"".join(response.streaming_content) == b"Figures of the pilot, kept in the bucket."


def test_a_private_document_stays_private_on_s3(demo, client, editor, s3_media, s3_endpoint):
    document = _upload_document(client)
    report = _link_from_public_report(document)
    restriction = make_private(report)
    client.logout()

    refused = client.get(document.url)
    assert refused.status_code == 404 and "Location" not in refused.headers

    client.post(
        f"/en/_util/authenticate_with_password/{restriction.pk}/{report.pk}/",
        {"password": "not-for-everyone", "return_url": report.url},
    )
    allowed = client.get(document.url)
    # Even for a reader who may see it: streamed, never a signed bucket URL someone could pass on.
    assert allowed.status_code == 200 and "Location" not in allowed.headers
    assert b"".join(allowed.streaming_content) == b"Figures of the pilot, kept in the bucket."


def test_an_image_uploaded_by_an_editor_is_read_back_from_its_public_url(demo, client, editor, s3_media, s3_endpoint):
    upload = io.BytesIO(_png())
    upload.name = "pilot-map.png"
    response = client.post("/admin/images/add/", {"title": "Pilot map", "file": upload, "collection": 1})
    assert response.status_code == 302, response.content[:2000]
    image = Image.objects.get(title="Pilot map")
    rendition = image.get_rendition("width-32")
    assert {image.file.name, rendition.file.name} <= _keys(s3_endpoint)

    # The URL a page links to: the bucket's, signed, fetched as a browser would.
    assert rendition.url.startswith(f"{s3_endpoint}/{BUCKET}/") and "Signature" in rendition.url
    fetched = requests.get(rendition.url, timeout=10)
    assert fetched.status_code == 200
    assert PILImage.open(io.BytesIO(fetched.content)).size == (32, 24)
