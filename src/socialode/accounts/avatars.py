"""Avatar images: decoded safely, squared, resized to fixed sizes, re-encoded without metadata."""

from __future__ import annotations

from socialode.platform.images import decode_image, square

SIZES = (256, 64)


def process_avatar(data: bytes, max_bytes: int) -> dict[int, bytes]:
    """JPEG bytes per size. Raises a clear error for anything that is not a usable image."""
    image = decode_image(data, max_bytes, "avatar", "avatar")
    return {size: square(image, size) for size in SIZES}
