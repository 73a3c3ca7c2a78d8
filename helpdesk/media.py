"""Attachments: images verified and re-encoded without metadata, other files bounded."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from helpdesk.errors import InvalidInput
from helpdesk.models import Attachment


@dataclass(frozen=True)
class Photo:
    """An image a citizen or a staff member sends, as its bytes and the name it came with."""

    content: bytes
    filename: str = ""


MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_FILE_BYTES = 15 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo; larger is a decompression bomb
MAX_STORED_SIDE = 2560  # long side after re-encoding, enough to read a sign or a plate

_IMAGE_FORMATS = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
}


def image_store(data: bytes, *, filename: str = "", purpose: str = "", **links: Any) -> Attachment:
    """Verify ``data`` is an image, strip its metadata, and store it.

    Raises ``InvalidInput`` with a message for the citizen when it is too big
    or is not an image we accept.
    """
    if len(data) > MAX_IMAGE_BYTES:
        raise InvalidInput(
            _("The image is too large (at most %(mb)d MB).") % {"mb": MAX_IMAGE_BYTES // 2**20},
            code="too_large",
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format or ""
            width, height = probe.size
            if image_format not in _IMAGE_FORMATS:
                raise UnidentifiedImageError(image_format)
            if width * height > MAX_IMAGE_PIXELS:
                raise InvalidInput(_("The image has too many pixels."), code="too_large")
            probe.verify()
        with Image.open(io.BytesIO(data)) as source:
            source.load()
            upright = ImageOps.exif_transpose(source)
            upright.thumbnail((MAX_STORED_SIDE, MAX_STORED_SIDE))
            flat = _flatten(upright)
            out = io.BytesIO()
            # Re-encoding as a fresh JPEG drops EXIF (GPS, camera serials) and any
            # payload hidden after the image data.
            flat.save(out, format="JPEG", quality=85, optimize=True)
            width, height = flat.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput(
            _("This file is not an image we accept (JPEG, PNG, WebP or GIF)."),
            code="not_an_image",
        ) from None
    encoded = out.getvalue()
    attachment = Attachment(
        content_type="image/jpeg",
        size=len(encoded),
        width=width,
        height=height,
        sha256=hashlib.sha256(encoded).hexdigest(),
        original_name=filename[:255],
        purpose=purpose,
        **links,
    )
    attachment.file.save("image.jpg", ContentFile(encoded), save=False)
    attachment.save()
    return attachment


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG; transparent areas become white rather than black."""
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


_SAFE_FILE_TYPES = {
    "application/pdf",
    "text/plain",
    "audio/mpeg",
    "audio/mp4",
    "audio/aac",
    "video/mp4",
}


def file_store(
    data: bytes, *, content_type: str, filename: str = "", purpose: str = "", **links: Any
) -> Attachment:
    """Store a non-image file from a platform (a Messenger PDF, a voice note)."""
    if content_type.startswith("image/"):
        return image_store(data, filename=filename, purpose=purpose, **links)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(_("The file is too large."), code="too_large")
    if content_type not in _SAFE_FILE_TYPES:
        content_type = "application/octet-stream"
    attachment = Attachment(
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=filename[:255],
        purpose=purpose,
        **links,
    )
    attachment.file.save("file.bin", ContentFile(data), save=False)
    attachment.save()
    return attachment
