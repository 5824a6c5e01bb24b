"""Charts in a real Chromium: under a policy that forbids inline styles and scripts, on a phone
and a desktop, in the light and the dark theme, the labels stay inside the image and apart
from each other, read at a legible size, and take their colours from the theme."""

from __future__ import annotations

import base64
import hashlib
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest

from socialode.platform import i18n
from socialode.web.charts import Chart, Guide, bar_chart, line_chart
from socialode.web.templating import STATIC_DIR, build_templates
from tests.browser.conftest import A11yAudit, Devices

pytestmark = pytest.mark.browser

SIZES = ((390, 844), (1280, 800))


def _charts() -> list[Chart]:
    def weekly(count: int) -> list[tuple[date, float]]:
        return [(date(2025, 1, 6) + timedelta(weeks=i), 30 + (i * 7) % 50) for i in range(count)]

    guide = [Guide(50, "Talk to someone at or below")]
    return [
        line_chart(
            key="who5",
            title="Well-being (WHO-5)",
            unit="score out of 100",
            points=weekly(12),
            y_min=0,
            y_max=100,
            y_step=20,
            guides=guide,
            higher_is_better=True,
        ),
        line_chart(
            key="years",
            title="Two years",
            unit="score out of 100",
            points=weekly(104),
            y_min=0,
            y_max=100,
            y_step=20,
            guides=guide,
        ),
        line_chart(
            key="days",
            title="Ten days",
            unit="score from 3 to 9",
            points=[(date(2026, 1, 27) + timedelta(days=d), 3 + d % 7) for d in range(10)],
            y_min=3,
            y_max=9,
            y_step=1,
        ),
        bar_chart(
            key="week",
            title="Minutes",
            unit="minutes",
            bars=[("Mon", 45), ("Tue", 12), ("Wed", 0), ("Thu", 80), ("Fri", 1250)],
        ),
    ]


def _page(theme: str, language: str) -> str:
    css = (STATIC_DIR / "style.css").read_text()
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    env = build_templates().env
    source = (
        '{% from "charts.html" import line_chart, bar_chart %}'
        "{% for c in charts %}<h2>{{ c.title }}</h2>"
        '{% if c.kind == "bar" %}{{ bar_chart(c) }}{% else %}{{ line_chart(c) }}{% endif %}'
        "{% endfor %}"
    )
    with i18n.language(language):
        body = env.from_string(source).render(charts=_charts())
    # The stylesheet is allowed by its hash; a style attribute or a script would be refused
    # and reported on the console (the devices fixture fails the test on it).
    policy = f"default-src 'none'; style-src 'sha256-{digest}'; script-src 'none'"
    return (
        f'<!doctype html><html lang="en" data-theme="{theme}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        f"<title>Charts</title><style>{css}</style></head>"
        f"<body><main><h1>Charts</h1>{body}</main></body></html>"
    )


MEASURE = """() => [...document.querySelectorAll('svg.chart-svg')].map(svg => {
  const box = svg.getBoundingClientRect();
  const rect = e => { const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: e.textContent}; };
  return {
    box: rect(svg),
    texts: [...svg.querySelectorAll('text')].map(rect),
    xLabels: [...svg.querySelectorAll('.chart-x text:not(.chart-sub)')].map(rect),
    xSubs: [...svg.querySelectorAll('.chart-x .chart-sub')].map(rect),
    barLabels: [...svg.querySelectorAll('.chart-bar-set .chart-axis')].map(rect),
    line: (svg.querySelector('.chart-path, .chart-bar') || svg).getAttribute('class'),
    stroke: getComputedStyle(svg.querySelector('.chart-path, .chart-bar')).getPropertyValue(
      svg.querySelector('.chart-path') ? 'stroke' : 'fill'),
  };
})"""


def _apart(labels: list[dict[str, Any]]) -> None:
    for a, b in pairwise(labels):
        assert a["right"] <= b["left"], (a, b)


@pytest.mark.parametrize("language", ["en", "pt_PT"])
async def test_charts_stay_legible_inside_the_policy_on_a_phone_and_a_desktop(
    devices: Devices, a11y: A11yAudit, language: str
) -> None:
    colours: dict[str, set[str]] = {}
    for theme in ("light", "dark"):
        for width, height in SIZES:
            page = await devices.open(viewport={"width": width, "height": height})
            await page.set_content(_page(theme, language))
            # Nothing sticks out sideways: no scrolling across on a phone.
            assert await page.evaluate("document.documentElement.scrollWidth") <= width
            for chart in await page.evaluate(MEASURE):
                box = chart["box"]
                for text in chart["texts"]:
                    assert box["left"] - 1 <= text["left"] and text["right"] <= box["right"] + 1
                    assert box["top"] - 1 <= text["top"] and text["bottom"] <= box["bottom"] + 1
                    assert text["bottom"] - text["top"] >= 11, text  # legible, even on a phone
                _apart(chart["xLabels"])
                _apart(chart["xSubs"])
                _apart(chart["barLabels"])
                colours.setdefault(theme, set()).add(chart["stroke"])
            if width == SIZES[0][0]:
                await a11y.check(page, f"charts {language} {theme}")
    # The line and the bars take the accent of each theme.
    assert len(colours["light"]) == 1 and len(colours["dark"]) == 1
    assert colours["light"] != colours["dark"]
