"""Small real images for uploads, generated in memory (no files in the repository)."""

from __future__ import annotations

import io

from PIL import Image


def png_bytes(size: tuple[int, int] = (40, 30), color: str | tuple[int, int, int] = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes(
    size: tuple[int, int] = (64, 48), color: str | tuple[int, int, int] = "orange"
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return out.getvalue()
