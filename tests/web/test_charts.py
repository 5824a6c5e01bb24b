"""Charts: where the marks fall, what the description says, and what the macros render."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from socialode.platform import i18n
from socialode.web import charts
from socialode.web.charts import Chart, Guide, bar_chart, line_chart
from socialode.web.templating import build_templates

pytestmark = pytest.mark.once  # no database in here

WHO5 = [52, 48, 40, 56, 60, 64, 58, 70, 76, 68, 60, 64]
PHONE_TEXT = 23  # the viewBox font size on narrow screens (style.css, "Charts")


def who5(points: Sequence[tuple[datetime | date, float]] | None = None, **options: object) -> Chart:
    if points is None:
        first = date(2026, 1, 3)
        days = [0, 7, 14, 21, 28, 35, 42, 49, 56, 63, 70, 84]
        points = [(first + timedelta(days=d), v) for d, v in zip(days, WHO5, strict=True)]
    return line_chart(
        key="who5",
        title="Well-being (WHO-5)",
        unit="score out of 100",
        points=points,
        y_min=0,
        y_max=100,
        y_step=20,
        guides=[Guide(50, "Talk to someone at or below")],
        **options,  # type: ignore[arg-type]
    )


def weekly(count: int, start: date = date(2025, 1, 6)) -> list[tuple[date, float]]:
    return [(start + timedelta(weeks=i), 30 + (i * 7) % 50) for i in range(count)]


def inside(chart: Chart) -> bool:
    return all(
        chart.left <= p.x <= chart.right and chart.top <= p.y <= chart.bottom for p in chart.points
    )


# -- Geometry --------------------------------------------------------------------------------


def test_points_fall_inside_the_plot_oldest_left_and_higher_values_higher() -> None:
    chart = who5()
    assert not chart.empty and len(chart.points) == 12
    assert inside(chart)
    xs = [p.x for p in chart.points]
    assert xs == sorted(xs) and len(set(xs)) == 12  # oldest left, each at its own place
    assert xs[0] == chart.left + charts.INSET and xs[-1] == chart.right - charts.INSET
    # Placed by date: the last gap is two weeks, twice the others.
    assert xs[-1] - xs[-2] == pytest.approx(2 * (xs[1] - xs[0]), abs=0.2)
    # SVG's y grows downwards: 76 (the highest) is nearest the top, 40 (the lowest) lowest.
    ys = [p.y for p in chart.points]
    assert ys.index(min(ys)) == WHO5.index(76) and ys.index(max(ys)) == WHO5.index(40)
    height = chart.bottom - chart.top
    for point, value in zip(chart.points, WHO5, strict=True):
        assert point.y == pytest.approx(chart.bottom - value / 100 * height, abs=0.1)
    assert chart.line.split() == [f"{p.x},{p.y}" for p in chart.points]


def test_value_ticks_run_from_bottom_to_top_and_the_guide_sits_at_its_value() -> None:
    chart = who5()
    assert [t.label for t in chart.y_ticks] == ["0", "20", "40", "60", "80", "100"]
    assert chart.y_ticks[0].pos == chart.bottom and chart.y_ticks[-1].pos == chart.top
    (guide,) = chart.guides
    assert guide.y == pytest.approx((chart.top + chart.bottom) / 2, abs=0.1)
    assert (guide.label, guide.value) == ("Talk to someone at or below", "50")
    # 64 is above the guide, 48 below it.
    assert chart.points[-1].y < guide.y < chart.points[1].y


def test_a_guide_outside_the_range_is_left_out_and_values_outside_it_widen_it() -> None:
    chart = line_chart(
        key="k",
        title="T",
        unit="u",
        points=[(date(2026, 1, 1), 5), (date(2026, 1, 2), 12)],
        y_min=3,
        y_max=9,
        y_step=1,
        guides=[Guide(20, "far above")],
    )
    assert chart.guides == ()
    assert chart.y_ticks[0].label == "3"
    assert float(chart.y_ticks[-1].label) >= 12
    assert inside(chart)


def test_no_points_is_a_sentence_and_no_marks() -> None:
    chart = who5([])
    assert chart.empty
    assert chart.points == () and chart.rows == () and chart.line == ""
    assert chart.description == "Nothing to show yet: the chart begins with the first value."


def test_one_point_stands_in_the_middle_without_a_line() -> None:
    chart = who5([(date(2026, 3, 1), 44)])
    (point,) = chart.points
    assert point.x == pytest.approx((chart.left + chart.right) / 2, abs=0.1)
    assert inside(chart) and chart.line == ""
    assert chart.rows == (("1 Mar 2026", "44"),)
    assert chart.description == (
        "One value, on 1 Mar 2026: 44 (score out of 100). "
        "The dashed line marks 50: Talk to someone at or below."
    )


def test_two_years_of_weekly_points_keep_few_date_labels() -> None:
    chart = who5(weekly(104))
    assert len(chart.points) == 104 and len(chart.rows) == 104 and inside(chart)
    labels = [t.label for t in chart.x_ticks]
    assert 3 <= len(labels) <= charts.MAX_MONTH_TICKS
    # Quarters, with the year under the first and under January.
    assert labels == ["Apr", "Jul", "Oct", "Jan", "Apr", "Jul", "Oct"]
    assert [t.sub for t in chart.x_ticks] == ["2025", "", "", "2026", "", "", ""]
    assert len(chart.y_ticks) <= charts.MAX_Y_TICKS


def test_all_the_same_value_draws_a_flat_line_and_says_so() -> None:
    chart = who5([(date(2026, 1, 1) + timedelta(days=d), 50) for d in range(5)])
    assert len({p.y for p in chart.points}) == 1 and inside(chart)
    assert chart.description.startswith(
        "5 values from 1 Jan to 5 Jan 2026, every one 50 (score out of 100)."
    )


def _label_width(text: str) -> float:
    return len(text) * 0.62 * PHONE_TEXT


@pytest.mark.parametrize("code", ["en", "pt_PT"])
@pytest.mark.parametrize("days", [0, 2, 9, 30, 59, 61, 200, 365, 730, 1800])
def test_date_labels_never_overlap_at_the_phone_text_size(code: str, days: int) -> None:
    start = datetime(2025, 11, 27, 9, tzinfo=UTC)
    count = min(days + 1, 120)
    points = [(start + timedelta(days=days * i / max(count - 1, 1)), 50.0) for i in range(count)]
    with i18n.language(code):
        chart = who5(points)
    ticks = chart.x_ticks
    assert ticks, "every span gets at least one date label"
    for tick in ticks:
        for text in (tick.label, tick.sub):
            assert tick.pos - _label_width(text) / 2 >= 0
            assert tick.pos + _label_width(text) / 2 <= chart.width
    for a, b in pairwise(ticks):
        room = (_label_width(a.label) + _label_width(b.label)) / 2
        assert b.pos - a.pos > room, (a, b)
        room = (_label_width(a.sub) + _label_width(b.sub)) / 2
        assert b.pos - a.pos > room, (a, b)


def test_value_labels_fit_left_of_the_plot() -> None:
    chart = line_chart(
        key="k",
        title="T",
        unit="minutes",
        points=[(date(2026, 1, 1), 0), (date(2026, 1, 2), 1200)],
        y_min=0,
        y_max=1500,
        y_step=500,
    )
    widest = max(_label_width(t.label) for t in chart.y_ticks)
    assert chart.left - 8 - widest * 0.9 >= 0  # digits are narrower than letters


# -- Words -----------------------------------------------------------------------------------


def test_the_description_tells_the_range_the_extremes_and_the_latest() -> None:
    chart = who5(higher_is_better=True)
    assert chart.description == (
        "12 values from 3 Jan to 28 Mar 2026, between 40 and 76 (score out of 100). "
        "The latest is 64, up from 52 at the start. Higher is better. "
        "The dashed line marks 50: Talk to someone at or below."
    )
    falling = who5([(date(2025, 12, 30), 70), (date(2026, 1, 2), 30)], higher_is_better=False)
    assert falling.description.startswith(
        "2 values from 30 Dec 2025 to 2 Jan 2026, between 30 and 70 (score out of 100). "
        "The latest is 30, down from 70 at the start. Lower is better."
    )
    level = who5([(date(2026, 1, 1), 60), (date(2026, 1, 2), 20), (date(2026, 1, 3), 60)])
    assert "The latest is 60, the same as at the start. The dashed" in level.description


def test_portuguese_dates_and_numbers_follow_the_language() -> None:
    points = [(date(2026, 1, 3), 2.5), (date(2026, 2, 14), 1234.5), (date(2026, 3, 28), 3)]
    with i18n.language("pt_PT"):
        chart = line_chart(
            key="k", title="T", unit="u", points=points, y_min=0, y_max=2000, y_step=500
        )
        bars = bar_chart(key="b", title="T", unit="u", bars=[("seg.", 2.5), ("ter.", 0)])
    assert [row for row, _value in chart.rows] == [
        "3 de jan. de 2026",
        "14 de fev. de 2026",
        "28 de mar. de 2026",
    ]
    # Thousands apart by a (no-break) space, decimals after a comma, as Portugal writes them.
    assert [value for _row, value in chart.rows] == ["2,5", "1\xa0234,5", "3"]
    assert "3 de jan." in chart.description and "28 de mar. de 2026" in chart.description
    assert "2,5" in chart.description and "1\xa0234,5" in chart.description
    assert [t.label for t in chart.x_ticks] == ["fev.", "mar."]
    assert chart.y_ticks[-1].label == "2\xa0000"
    assert bars.rows == (("seg.", "2,5"), ("ter.", "0"))


def test_dates_are_the_readers_days_in_their_zone() -> None:
    late = datetime(2026, 1, 3, 23, 30, tzinfo=UTC)  # already the 4th in Tokyo
    points = [(late, 40.0), (late + timedelta(days=2), 50.0)]
    assert [r[0] for r in who5(points).rows] == ["3 Jan 2026", "5 Jan 2026"]
    tokyo = who5(points, zone=ZoneInfo("Asia/Tokyo"))
    assert [r[0] for r in tokyo.rows] == ["4 Jan 2026", "6 Jan 2026"]
    assert tokyo.description.startswith("2 values from 4 Jan to 6 Jan 2026")
    # Two on one day are told apart by their times.
    twice = who5([(late, 40.0), (late + timedelta(minutes=20), 45.0)], zone=ZoneInfo("UTC"))
    assert [r[0] for r in twice.rows] == ["3 Jan 2026, 23:30", "3 Jan 2026, 23:50"]


def test_bars_stand_on_the_axis_in_proportion() -> None:
    week = [("Mon", 45), ("Tue", 12), ("Wed", 0), ("Thu", 80)]
    chart = bar_chart(key="week", title="Minutes", unit="minutes", bars=week)
    assert [b.label for b in chart.bars] == ["Mon", "Tue", "Wed", "Thu"]
    for bar in chart.bars:
        assert bar.y + bar.height == pytest.approx(chart.bottom, abs=0.2)
        assert chart.left <= bar.x and bar.x + bar.width <= chart.right
        assert bar.y >= chart.top
    thu, mon = chart.bars[3], chart.bars[0]
    assert mon.height / thu.height == pytest.approx(45 / 80, abs=0.01)
    assert chart.bars[2].height == 0
    assert [t.label for t in chart.y_ticks] == ["0", "20", "40", "60", "80"]
    assert chart.rows == (("Mon", "45"), ("Tue", "12"), ("Wed", "0"), ("Thu", "80"))
    assert chart.headings == ("Category", "Minutes")
    assert chart.description == (
        "4 values (minutes): the highest is Thu, 80; the lowest is Wed, 0."
    )
    fixed = bar_chart(key="w", title="T", unit="u", bars=week, y_max=120)
    assert [t.label for t in fixed.y_ticks] == ["0", "30", "60", "90", "120"]
    assert bar_chart(key="e", title="T", unit="u", bars=[]).empty


def test_many_bars_label_only_some_and_leave_the_values_to_the_table() -> None:
    hours = [(f"{h:02d}", float(h % 5)) for h in range(24)]
    chart = bar_chart(key="h", title="T", unit="u", bars=hours, label_heading="Hour")
    shown = [b.label for b in chart.bars if b.show_label]
    assert 1 < len(shown) <= charts.MAX_BAR_LABELS
    assert not any(b.show_value for b in chart.bars)
    assert len(chart.rows) == 24 and chart.headings[0] == "Hour"


# -- The macros ------------------------------------------------------------------------------


class Parsed(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, str] = {}
        self._open: list[str | None] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open.append(dict(attrs).get("id"))

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1]:
            self.text[str(self._open[-1])] = data

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def render(chart: Chart, macro: str = "line_chart") -> str:
    env = build_templates().env
    source = '{% from "charts.html" import ' + macro + " %}{{ " + macro + "(chart) }}"
    return env.from_string(source).render(chart=chart)


def test_the_chart_is_one_named_described_image_with_its_numbers_beside_it() -> None:
    late = datetime(2026, 1, 3, 23, 30, tzinfo=UTC)
    chart = who5(
        [(late + timedelta(days=7 * i), v) for i, v in enumerate(WHO5)],
        zone=ZoneInfo("Asia/Tokyo"),
    )
    html = render(chart)
    page = Parsed(html)
    (svg,) = page.all("svg")
    assert svg["role"] == "img" and svg["focusable"] == "false"
    assert svg["class"] == "chart-svg" and svg["viewbox"] == "0 0 640 280"
    assert svg["aria-labelledby"] == "chart-who5-title chart-who5-desc"
    assert page.text["chart-who5-title"] == "Well-being (WHO-5)"
    assert page.text["chart-who5-desc"] == chart.description
    assert "style=" not in html and "<script" not in html and "<style" not in html
    # The line, a circle per point, the guide, and a legend that names it.
    (line,) = page.all("polyline")
    assert line["points"] == chart.line
    assert len(page.all("circle")) == 12
    assert any(a.get("class") == "chart-guide" for a in page.all("line"))
    assert "Talk to someone at or below (50)" in html
    # The table: a caption, a header row, one row per point, the reader's days.
    assert re.search(r"<caption>Well-being \(WHO-5\)</caption>", html)
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td></tr>', html)
    assert rows == [(r[0], r[1]) for r in chart.rows]
    assert rows[0] == ("4 Jan 2026", "52")  # 23:30 UTC on the 3rd is the 4th in Tokyo
    assert '<th scope="col">Date</th><th scope="col">Score out of 100</th>' in html
    assert "<summary>The numbers</summary>" in html


def test_an_empty_chart_renders_a_sentence_and_no_image() -> None:
    html = render(who5([]))
    assert "<svg" not in html and "<table" not in html
    assert "Nothing to show yet: the chart begins with the first value." in html


def test_a_bar_chart_renders_a_rect_per_bar_and_its_table() -> None:
    chart = bar_chart(key="week", title="Minutes", unit="minutes", bars=[("Mon", 4), ("Tue", 9)])
    html = render(chart, "bar_chart")
    page = Parsed(html)
    (svg,) = page.all("svg")
    assert svg["aria-labelledby"] == "chart-week-title chart-week-desc"
    assert page.text["chart-week-desc"] == chart.description
    assert [r["height"] for r in page.all("rect")] == [str(b.height) for b in chart.bars]
    assert "style=" not in html
    assert re.findall(r'<th scope="row">([^<]*)</th><td>([^<]*)</td>', html) == [
        ("Mon", "4"),
        ("Tue", "9"),
    ]


def test_every_word_in_the_chart_template_goes_through_the_catalog() -> None:
    from tests.untranslated import SRC, template_findings

    path = SRC / "web" / "templates" / "charts.html"
    assert not list(template_findings(build_templates().env, path))
