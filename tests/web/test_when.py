"""Times read in the reader's own zone, relative when recent, one format everywhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from socialode.web.templating import initials
from socialode.web.when import day_text, reader_zone, when_html, when_text

NOW = datetime(2026, 12, 2, 15, 30, tzinfo=UTC)  # a Wednesday


@pytest.mark.parametrize(
    ("ago", "zone", "expected"),
    [
        (timedelta(seconds=5), "Europe/Berlin", "now"),
        (timedelta(seconds=-20), "Europe/Berlin", "now"),  # a clock a little ahead
        (timedelta(minutes=5), "Europe/Berlin", "5 min"),
        (timedelta(minutes=59, seconds=59), "UTC", "59 min"),
        (timedelta(hours=2), "Europe/Berlin", "14:30"),  # 13:30 UTC is 14:30 in Berlin
        (timedelta(hours=16), "UTC", "yesterday 23:30"),
        # 15:30 UTC is 21:00 in Kolkata; 16 hours before is 05:00 the same day there.
        (timedelta(hours=16), "Asia/Kolkata", "05:00"),
        (timedelta(days=3), "UTC", "Sun 15:30"),
        (timedelta(days=20), "America/Toronto", "12 Nov"),
        (timedelta(days=400), "UTC", "28 Oct 2025"),
    ],
)
def test_times_read_in_the_readers_zone_relative_when_recent(
    ago: timedelta, zone: str, expected: str
) -> None:
    assert when_text(NOW - ago, reader_zone(zone), NOW) == expected


def test_one_instant_reads_differently_in_toronto_and_kolkata() -> None:
    posted = datetime(2026, 12, 1, 23, 15, tzinfo=UTC)
    assert when_text(posted, reader_zone("America/Toronto"), NOW) == "yesterday 18:15"
    assert when_text(posted, reader_zone("Asia/Kolkata"), NOW) == "04:45"  # already today


def test_the_time_element_carries_the_utc_instant_and_the_full_local_time() -> None:
    html = str(when_html(NOW - timedelta(hours=3), "Europe/Berlin", NOW))
    assert 'datetime="2026-12-02T12:30:00Z"' in html
    assert 'title="Wed 2 Dec 2026, 13:30"' in html
    assert ">13:30</time>" in html and "data-when" in html


def test_an_unknown_zone_reads_as_utc() -> None:
    assert when_text(NOW - timedelta(hours=2), reader_zone("Mars/Olympus"), NOW) == "13:30"


def test_day_separators() -> None:
    assert day_text(NOW, "UTC", NOW) == "Today"
    assert day_text(NOW - timedelta(days=1), "UTC", NOW) == "Yesterday"
    assert day_text(NOW - timedelta(days=2), "UTC", NOW) == "Monday 30 November"
    assert day_text(NOW - timedelta(days=400), "UTC", NOW) == "28 October 2025"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Maya Lind", "ML"), ("inês", "I"), ("Tom van der Berg", "TV"), ("  ", "?"), ("🙂", "?")],
)
def test_monograms(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_dates_and_full_times_in_the_readers_zone_past_or_future() -> None:
    """An expiry is in the future: it reads as a date, never as "now"."""
    from types import SimpleNamespace

    from socialode.web.templating import build_templates

    env = build_templates().env
    reader = SimpleNamespace(user=SimpleNamespace(timezone="Asia/Kolkata"))
    late = datetime(2027, 1, 3, 20, 0, tzinfo=UTC)  # already the 4th in Kolkata
    page = env.from_string("{{ at | localdate }} / {{ at | fulltime }}").render(
        viewer=reader, at=late
    )
    assert page == "4 Jan 2027 / Mon 4 Jan 2027, 01:30"
