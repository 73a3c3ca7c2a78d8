from __future__ import annotations

import io
import time

import pytest
from django.core import signing
from django.test import Client
from PIL import Image

from helpdesk.attachments import LINK_LIFETIME_SECONDS, attachment_url
from helpdesk.errors import InvalidInput
from helpdesk.media import MAX_IMAGE_BYTES, image_store

pytestmark = pytest.mark.django_db


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_it_reencodes_images_without_their_metadata() -> None:
    data = _jpeg_with_exif()
    assert b"SecretCameraMaker" in data
    attachment = image_store(data, filename="photo.jpg")
    stored = attachment.file.read()
    assert b"SecretCameraMaker" not in stored
    assert (attachment.width, attachment.height, attachment.content_type) == (64, 48, "image/jpeg")


def test_it_refuses_a_file_that_is_not_an_image() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        image_store(b"%PDF-1.7 not an image", filename="doc.pdf")
    assert excinfo.value.code == "not_an_image"


def test_it_refuses_an_image_that_is_too_large() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        image_store(b"\xff\xd8" + b"0" * MAX_IMAGE_BYTES, filename="huge.jpg")
    assert excinfo.value.code == "too_large"


def test_it_serves_an_attachment_through_its_signed_link() -> None:
    attachment = image_store(_jpeg_with_exif(), filename="photo.jpg")
    response = Client().get(attachment_url(attachment))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


def test_it_refuses_a_tampered_link() -> None:
    attachment = image_store(_jpeg_with_exif(), filename="photo.jpg")
    url = attachment_url(attachment)
    assert Client().get(url[:-2] + "xx").status_code == 404


def test_it_refuses_an_expired_link(monkeypatch: pytest.MonkeyPatch) -> None:
    attachment = image_store(_jpeg_with_exif(), filename="photo.jpg")
    url = attachment_url(attachment)
    later = time.time() + LINK_LIFETIME_SECONDS + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert Client().get(url).status_code == 404
