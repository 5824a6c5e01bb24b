"""Uploaded images: decoded safely and re-encoded from pixels only, so no metadata survives.

Anything that is not a usable JPEG, PNG, GIF or WebP, or that would decode to more pixels than
``MAX_PIXELS`` (a decompression bomb), is refused with a message naming the form field.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from socialode.platform.errors import Invalid, TooLarge
from socialode.platform.i18n import N_, _

MAX_PIXELS = 40_000_000  # about 6,300 x 6,300; larger is refused as a possible decompression bomb
ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


_CHOOSE = {
    "image": N_("Choose an image file for your image."),
    "photo": N_("Choose an image file for your photo."),
    "avatar": N_("Choose an image file for your avatar."),
}


def decode_image(data: bytes, max_bytes: int, field: str, what: str = "image") -> Image.Image:
    """The upright image, fully loaded, or an :class:`Invalid` saying what to do instead."""
    if not data:
        raise Invalid(_(_CHOOSE.get(what, _CHOOSE["image"])), field)
    if len(data) > max_bytes:
        most = max_bytes // (1024 * 1024)
        raise TooLarge(
            _("That image is too large; use one under %(most)s MB.") % {"most": most}, field
        )
    too_many = _("That image has too many pixels; use a smaller one.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                if opened.format not in ALLOWED_FORMATS:
                    raise Invalid(N_("Use a JPEG, PNG, GIF or WebP image."), field)
                if opened.width * opened.height > MAX_PIXELS:
                    raise Invalid(too_many, field)
                opened.seek(0)
                image = ImageOps.exif_transpose(opened)
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise Invalid(too_many, field) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise Invalid(
            N_("That file is not an image we can read; use a JPEG, PNG, GIF or WebP."), field
        ) from exc
    return image


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


def flatten(image: Image.Image) -> Image.Image:
    """RGB on white: transparency becomes the page colour."""
    rgba = _to_rgba(image)
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def clean_jpeg(image: Image.Image, quality: int = 85) -> bytes:
    """JPEG bytes of a fresh image made from pixels only: no EXIF, GPS, ICC or comments."""
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def square(image: Image.Image, size: int) -> bytes:
    """A centred square crop at ``size`` pixels."""
    return clean_jpeg(ImageOps.fit(flatten(image), (size, size), method=Image.Resampling.LANCZOS))


def fit_within(image: Image.Image, longest: int) -> tuple[bytes, int, int]:
    """Scaled down (never up) so the longer side is at most ``longest``; JPEG and its size."""
    flat = flatten(image)
    flat.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    return clean_jpeg(flat), flat.width, flat.height
