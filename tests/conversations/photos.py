"""Image files for the conversation photo tests, made in memory."""

from __future__ import annotations

import io

from PIL import Image


def jpeg_with_metadata(size: tuple[int, int] = (2400, 1600)) -> bytes:
    """A JPEG that carries a camera make, a GPS position and a comment."""
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 0.0)}  # GPS
    out = io.BytesIO()
    Image.new("RGB", size, (10, 90, 160)).save(
        out, format="JPEG", exif=exif.tobytes(), comment=b"home address"
    )
    return out.getvalue()


def small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


def bomb() -> bytes:
    """A tiny file that would decode to 81 million pixels."""
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, format="PNG")
    return out.getvalue()
