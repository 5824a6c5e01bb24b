"""Avatar images: decoded safely, squared, resized to fixed sizes, re-encoded without metadata."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from socialode.platform.errors import Invalid, TooLarge

SIZES = (256, 64)
MAX_PIXELS = 40_000_000  # about 6,300 x 6,300; larger is refused as a possible decompression bomb
ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def process_avatar(data: bytes, max_bytes: int) -> dict[int, bytes]:
    """JPEG bytes per size. Raises a clear error for anything that is not a usable image."""
    if not data:
        raise Invalid("Choose an image file for your avatar.", "avatar")
    if len(data) > max_bytes:
        raise TooLarge(
            f"That image is too large; use one under {max_bytes // (1024 * 1024)} MB.", "avatar"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                if opened.format not in ALLOWED_FORMATS:
                    raise Invalid("Use a JPEG, PNG, GIF or WebP image.", "avatar")
                if opened.width * opened.height > MAX_PIXELS:
                    raise Invalid("That image has too many pixels; use a smaller one.", "avatar")
                opened.seek(0)
                image = ImageOps.exif_transpose(opened)
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise Invalid("That image has too many pixels; use a smaller one.", "avatar") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise Invalid(
            "That file is not an image we can read; use a JPEG, PNG, GIF or WebP.", "avatar"
        ) from exc
    return {size: _encode(image, size) for size in SIZES}


def _to_rgba(image: Image.Image) -> Image.Image:
    """RGBA for any mode; 16- and 32-bit greys are scaled to 8 bits rather than clipped."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        image = image.convert("I")
    if image.mode == "I":
        top = image.getextrema()[1]
        high = max(top if isinstance(top, int | float) else 1, 1)
        scale = 255 / 65535 if high <= 65535 else 255 / high
        image = image.point(lambda value: value * scale).convert("L")
    return image.convert("RGBA")


def _encode(image: Image.Image, size: int) -> bytes:
    rgb = _to_rgba(image)
    flat = Image.new("RGB", rgb.size, (255, 255, 255))
    flat.paste(rgb, mask=rgb.getchannel("A"))
    square = ImageOps.fit(flat, (size, size), method=Image.Resampling.LANCZOS)
    # A fresh image from pixels only: no EXIF, GPS, ICC or comments survive.
    clean = Image.new("RGB", square.size)
    clean.paste(square)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()
