"""Avatars: squared, resized, turned upright, flattened, stripped of every bit of metadata,
replaced and removed cleanly, and shown only to the people allowed to see the profile."""

from __future__ import annotations

import io
import random
import struct
from pathlib import Path

import httpx
import pytest
from PIL import ExifTags, Image, ImageCms

from socialode.config import Settings
from socialode.platform.services import Services
from tests.form_helpers import recording_upload_leaks
from tests.helpers import bearer, login, make_admin, sign_up

RED = (220, 30, 30)
BLUE = (30, 30, 220)
GREEN = (30, 160, 60)
WHITE = (255, 255, 255)
PRIVATE_WORDS = (b"Spycam", b"Home sweet home", b"secret comment", b"where I live")


def photo_with_everything(orientation: int) -> bytes:
    """A 400x200 JPEG stored sideways (left half red, right half blue) whose EXIF orientation
    says how to turn it upright, carrying camera, GPS, description, ICC, XMP and a comment."""
    image = Image.new("RGB", (400, 200), RED)
    image.paste(BLUE, (200, 0, 400, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Acme"
    exif[ExifTags.Base.Model] = "Spycam 3000"
    exif[ExifTags.Base.ImageDescription] = "Home sweet home"
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 31.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (13.0, 24.0, 36.0),
    }
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(
        out,
        format="JPEG",
        quality=95,
        exif=exif,
        icc_profile=icc,
        comment=b"secret comment",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">where I live</x:xmpmeta>',
    )
    data = out.getvalue()
    # The upload really carries what we claim it does.
    sent = Image.open(io.BytesIO(data))
    assert sent.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert {"exif", "icc_profile", "comment", "xmp"} <= set(sent.info)
    return data


def jpeg_segments(data: bytes) -> list[int]:
    """The markers of a JPEG's header segments, up to the start of the image data."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    markers, at = [], 2
    while at < len(data):
        assert data[at] == 0xFF, f"bad segment at {at}"
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: header segments end here
            break
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        at += 2 + length
    return markers


def assert_clean_jpeg(data: bytes, size: int) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert image.size == (size, size)
    assert image.mode == "RGB"
    assert len(image.getexif()) == 0, dict(image.getexif())
    for key in ("exif", "icc_profile", "comment", "xmp", "photoshop", "adobe"):
        assert key not in image.info, key
    markers = jpeg_segments(data)
    assert not [m for m in markers if 0xE1 <= m <= 0xEF or m == 0xFE], [hex(m) for m in markers]
    for word in PRIVATE_WORDS:
        assert word not in data
    image.load()
    return image


def near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=False))


async def upload(client: httpx.AsyncClient, token: str, data: bytes, name: str) -> str:
    response = await client.put(
        "/api/v1/me/avatar",
        files={"avatar": (name, data, "application/octet-stream")},
        headers=bearer(token),
    )
    assert response.status_code == 200, response.text
    url = response.json()["avatar_url"]
    assert isinstance(url, str)
    me = (await client.get("/api/v1/me", headers=bearer(token))).json()
    assert me["avatar_url"] == url
    return url


async def served(client: httpx.AsyncClient, token: str, url_256: str) -> dict[int, bytes]:
    """Both sizes, fetched as the app serves them."""
    images = {}
    for size, url in ((256, url_256), (64, url_256.replace("/256.jpg", "/64.jpg"))):
        response = await client.get(url, headers=bearer(token))
        assert response.status_code == 200, url
        assert response.headers["content-type"] == "image/jpeg"
        images[size] = response.content
    return images


def stored_files(settings: Settings) -> list[Path]:
    return sorted(p for p in settings.media_dir.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("orientation", "top", "bottom"),
    [
        (6, RED, BLUE),  # turn 90° clockwise: the left (red) side ends up on top
        (8, BLUE, RED),  # turn 90° counter-clockwise: the right (blue) side ends up on top
        (1, None, None),  # already upright: left red, right blue
    ],
)
async def test_photo_is_squared_turned_upright_and_stripped(
    client: httpx.AsyncClient,
    services: Services,
    settings: Settings,
    orientation: int,
    top: tuple[int, int, int] | None,
    bottom: tuple[int, int, int] | None,
) -> None:
    token = await sign_up(client, services, "marie_c")
    url = await upload(client, token, photo_with_everything(orientation), "holiday.jpg")
    assert url.startswith("/media/avatars/") and url.endswith("/256.jpg")
    images = await served(client, token, url)
    for size, data in images.items():
        image = assert_clean_jpeg(data, size)
        edge, far = size // 8, size - 1 - size // 8
        # Sample well inside each half, away from the seam in the middle.
        top_right, bottom_left = image.getpixel((far, edge)), image.getpixel((edge, far))
        assert isinstance(top_right, tuple) and isinstance(bottom_left, tuple)
        if top is None or bottom is None:
            assert near(top_right, BLUE) and near(bottom_left, RED), (top_right, bottom_left)
        else:
            assert near(top_right, top) and near(bottom_left, bottom), (top_right, bottom_left)
    # What is stored is exactly what is served, and nothing else is kept.
    files = stored_files(settings)
    assert sorted(p.read_bytes() for p in files) == sorted(images.values())


def transparent_picture(mode: str) -> bytes:
    """A 120x80 picture, transparent except for an opaque green square in the middle."""
    if mode == "P":
        image = Image.new("P", (120, 80), 0)
        image.putpalette([0, 0, 0, *GREEN] + [0, 0, 0] * 254)
        image.paste(1, (40, 20, 80, 60))
        out = io.BytesIO()
        image.save(out, format="PNG", transparency=0)
        return out.getvalue()
    if mode == "LA":
        image = Image.new("LA", (120, 80), (0, 0))
        image.paste((100, 255), (40, 20, 80, 60))
    else:
        image = Image.new(mode, (120, 80), (0, 0, 0, 0))
        image.paste((*GREEN, 255), (40, 20, 80, 60))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("mode", ["RGBA", "P", "LA"])
async def test_transparency_becomes_white_not_black(
    client: httpx.AsyncClient, services: Services, mode: str
) -> None:
    token = await sign_up(client, services, "marie_c")
    url = await upload(client, token, transparent_picture(mode), "cut-out.png")
    middle = GREEN if mode != "LA" else (100, 100, 100)
    for size, data in (await served(client, token, url)).items():
        image = assert_clean_jpeg(data, size)
        corner = image.getpixel((2, 2))
        centre = image.getpixel((size // 2, size // 2))
        assert isinstance(corner, tuple) and isinstance(centre, tuple)
        assert near(corner, WHITE, 12), f"transparent areas should be white, got {corner}"
        assert near(centre, middle), centre


async def test_sixteen_bit_grayscale_keeps_its_tones(
    client: httpx.AsyncClient, services: Services
) -> None:
    token = await sign_up(client, services, "marie_c")
    image = Image.new("I;16", (64, 64), 32768)  # mid grey on a 0..65535 scale
    out = io.BytesIO()
    image.save(out, format="PNG")
    url = await upload(client, token, out.getvalue(), "scan.png")
    data = (await served(client, token, url))[256]
    pixel = assert_clean_jpeg(data, 256).getpixel((128, 128))
    assert isinstance(pixel, tuple)
    assert near(pixel, (128, 128, 128), 16), pixel


async def test_replacing_an_avatar_removes_the_old_files(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    token = await sign_up(client, services, "marie_c")
    first = await upload(client, token, photo_with_everything(1), "one.jpg")
    old_files = stored_files(settings)
    assert len(old_files) == 2
    second = await upload(client, token, transparent_picture("RGBA"), "two.png")
    assert second != first
    new_files = stored_files(settings)
    assert len(new_files) == 2
    assert not set(old_files) & set(new_files), "the old avatar's files were left behind"
    for url in (first, first.replace("/256.jpg", "/64.jpg")):
        assert (await client.get(url, headers=bearer(token))).status_code == 404
    assert set((await served(client, token, second)).values()) == {
        p.read_bytes() for p in new_files
    }


async def test_removing_an_avatar_deletes_it(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    token = await sign_up(client, services, "marie_c")
    url = await upload(client, token, photo_with_everything(6), "one.jpg")
    response = await client.delete("/api/v1/me/avatar", headers=bearer(token))
    assert response.status_code == 204
    assert (await client.get("/api/v1/me", headers=bearer(token))).json()["avatar_url"] is None
    assert stored_files(settings) == []
    for address in (url, url.replace("/256.jpg", "/64.jpg")):
        assert (await client.get(address, headers=bearer(token))).status_code == 404
    again = await client.delete("/api/v1/me/avatar", headers=bearer(token))
    assert again.status_code == 204


async def test_avatar_is_seen_by_its_owner_and_administrators_only(
    client: httpx.AsyncClient, services: Services
) -> None:
    owner = await sign_up(client, services, "marie_c")
    other = await sign_up(client, services, "pierre_c")
    await make_admin(services)
    admin = await login(client, "root_admin")
    url = await upload(client, owner, photo_with_everything(1), "one.jpg")
    small = url.replace("/256.jpg", "/64.jpg")
    for address in (url, small):
        assert (await client.get(address, headers=bearer(owner))).status_code == 200
        assert (await client.get(address, headers=bearer(admin))).status_code == 200
        denied = await client.get(address, headers=bearer(other))
        missing = await client.get("/media/avatars/" + "0" * 32 + "/256.jpg", headers=bearer(other))
        assert denied.status_code == missing.status_code == 404
        assert denied.text == missing.text, "a denied avatar answers exactly like a missing one"
        signed_out = await client.get(address)
        assert signed_out.status_code == 303
        assert signed_out.headers["location"].startswith("/login?next=")
    for wrong_size in ("128", "0", "-1"):
        address = url.replace("/256.jpg", f"/{wrong_size}.jpg")
        assert (await client.get(address, headers=bearer(owner))).status_code == 404


async def test_large_uploads_through_the_api_are_closed(
    client: httpx.AsyncClient, services: Services
) -> None:
    """Contrast with the HTML form (test_profile_form_closes_uploaded_files): FastAPI closes
    the files of a declared UploadFile parameter, even one spooled to disk."""
    token = await sign_up(client, services, "marie_c")
    noisy = Image.frombytes("RGB", (640, 640), random.Random(7).randbytes(640 * 640 * 3))
    out = io.BytesIO()
    noisy.save(out, format="PNG")
    assert len(out.getvalue()) > 1024 * 1024
    with recording_upload_leaks() as leaks:
        url = await upload(client, token, out.getvalue(), "noise.png")
    assert leaks == []
    for size, data in (await served(client, token, url)).items():
        assert_clean_jpeg(data, size)
