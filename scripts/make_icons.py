"""Draw the Socialode mark -- a turquoise speech bubble with three white dots, on white --
as the app's icons: PNGs for the manifest and home screens, and an SVG for the favicon.

    .venv/bin/python scripts/make_icons.py

writes src/socialode/web/static/icons/. The PNGs are drawn four times larger and scaled
down, which smooths their edges.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

TURQUOISE = (0x1A, 0x9E, 0x98)
WHITE = (0xFF, 0xFF, 0xFF)
OUT = Path(__file__).resolve().parent.parent / "src" / "socialode" / "web" / "static" / "icons"
SCALE = 4

# The mark on a 100 x 100 grid: the bubble, its tail at the lower left, three dots.
BUBBLE = (14.0, 18.0, 86.0, 70.0)  # left, top, right, bottom
RADIUS = 20.0
TAIL = ((26.0, 62.0), (20.0, 86.0), (46.0, 68.0))
DOTS = ((32.0, 44.0), (50.0, 44.0), (68.0, 44.0))
DOT_RADIUS = 6.0


def draw(size: int, zoom: float) -> Image.Image:
    """The mark on white at ``size`` pixels; ``zoom`` < 1 leaves a margin (maskable icons
    keep what matters inside the middle 80 per cent)."""
    big = size * SCALE
    image = Image.new("RGB", (big, big), WHITE)
    pen = ImageDraw.Draw(image)

    def at(x: float, y: float) -> tuple[float, float]:
        return ((50 + (x - 50) * zoom) * big / 100, (50 + (y - 50) * zoom) * big / 100)

    left, top = at(BUBBLE[0], BUBBLE[1])
    right, bottom = at(BUBBLE[2], BUBBLE[3])
    pen.rounded_rectangle((left, top, right, bottom), RADIUS * zoom * big / 100, fill=TURQUOISE)
    pen.polygon([at(x, y) for x, y in TAIL], fill=TURQUOISE)
    r = DOT_RADIUS * zoom * big / 100
    for x, y in DOTS:
        cx, cy = at(x, y)
        pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def svg() -> str:
    hexed = "#{:02x}{:02x}{:02x}".format(*TURQUOISE)
    left, top, right, bottom = BUBBLE
    tail = " ".join(f"{x:g},{y:g}" for x, y in TAIL)
    dots = "".join(
        f'<circle cx="{x:g}" cy="{y:g}" r="{DOT_RADIUS:g}" fill="#fff"/>' for x, y in DOTS
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        '<rect width="100" height="100" rx="22" fill="#fff"/>'
        f'<rect x="{left:g}" y="{top:g}" width="{right - left:g}" height="{bottom - top:g}" '
        f'rx="{RADIUS:g}" fill="{hexed}"/>'
        f'<polygon points="{tail}" fill="{hexed}"/>{dots}</svg>\n'
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, zoom in (
        ("icon-192.png", 192, 1.0),
        ("icon-512.png", 512, 1.0),
        ("apple-touch-icon.png", 180, 0.9),
        ("maskable-512.png", 512, 0.72),
    ):
        draw(size, zoom).save(OUT / name, optimize=True)
    (OUT / "socialode.svg").write_text(svg())


if __name__ == "__main__":
    main()
