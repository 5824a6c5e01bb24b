"""What a gathering may hold, checked before anything is written: times given as a day and a
clock time in the organiser's zone, including the days the clocks change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from socialode.gatherings import validation as v
from socialode.platform.errors import Invalid

LISBON = ZoneInfo("Europe/Lisbon")
NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)

pytestmark = pytest.mark.once


def test_a_local_time_is_the_instant_it_names_in_the_zone_on_either_side_of_the_change() -> None:
    assert v.local_instant("2027-03-27", "18:00", LISBON, "t") == datetime(
        2027, 3, 27, 18, 0, tzinfo=UTC
    )
    assert v.local_instant(" 2027-03-28 ", " 18:00 ", LISBON, "t") == datetime(
        2027, 3, 28, 17, 0, tzinfo=UTC
    )
    # A time that happens twice when the clocks go back is the first of the two.
    assert v.local_instant("2027-10-31", "01:30", LISBON, "t") == datetime(
        2027, 10, 31, 0, 30, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("day", "clock"),
    [("2027-03-28", "01:30"), ("2027-03-28", "01:00"), ("2027-3-28x", "18:00"), ("", "")],
)
def test_a_local_time_that_does_not_happen_or_cannot_be_read_is_refused(
    day: str, clock: str
) -> None:
    with pytest.raises(Invalid) as refused:
        v.local_instant(day, clock, LISBON, "times.2")
    assert refused.value.field == "times.2"


def test_instants_from_the_api_keep_their_offset_or_are_read_in_the_zone() -> None:
    offset = datetime.fromisoformat("2027-04-02T18:00:00+01:00")
    assert v.aware(offset, LISBON) == datetime(2027, 4, 2, 17, 0, tzinfo=UTC)
    wall_clock = datetime.fromisoformat("2027-04-02T18:00:00")  # no offset: Lisbon's 18:00
    assert v.aware(wall_clock, LISBON) == datetime(2027, 4, 2, 17, 0, tzinfo=UTC)
    assert v.zone_of("Not/AZone").key == "UTC" and v.zone_of("").key == "UTC"
    assert v.zone_of("Europe/Lisbon") == LISBON


def test_spans_are_sorted_and_each_is_checked() -> None:
    later = (NOW + timedelta(days=2), NOW + timedelta(days=2, hours=1))
    sooner = (NOW + timedelta(days=1), NOW + timedelta(days=1, hours=1))
    assert [s.starts_at for s in v.check_spans([later, sooner], NOW)] == [sooner[0], later[0]]
    ten = [(NOW + timedelta(days=d), NOW + timedelta(days=d, hours=1)) for d in range(1, 11)]
    assert len(v.check_spans(ten, NOW)) == v.MAX_OPTIONS
    longest = (NOW + timedelta(days=1), NOW + timedelta(days=8))
    assert v.check_spans([longest], NOW)[0].ends_at == longest[1]
    # Same start, different end: two different times.
    assert len(v.check_spans([sooner, (sooner[0], sooner[1] + timedelta(hours=1))], NOW)) == 2


@pytest.mark.parametrize(
    ("score", "words", "field"),
    [(0, "", "score"), (6, "fine", "score"), (None, "", "score"), (None, "w" * 281, "words")],
)
def test_felt_answers_outside_what_is_asked_are_refused(
    score: int | None, words: str, field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        v.check_felt(score, words)
    assert refused.value.field == field


def test_felt_answers_are_tidied() -> None:
    assert v.check_felt(1, "") == (1, "")
    assert v.check_felt(None, " good\r\nday ") == (None, "good\nday")
    assert v.check_felt(5, "w" * 280) == (5, "w" * 280)


def test_words_are_tidied_and_map_links_must_be_web_addresses() -> None:
    assert v.check_title("  Tea \n at  mine ") == "Tea at mine"
    assert v.check_place("  The   lake ") == "The lake"
    assert v.check_description(" a\r\nb ") == "a\nb"
    assert v.check_map_url("  https://maps.example.org/x ") == "https://maps.example.org/x"
    assert v.check_map_url("   ") == ""
    for bad in ("maps.example.org", "javascript:alert(1)", "http://", "https://" + "a" * 500):
        with pytest.raises(Invalid) as refused:
            v.check_map_url(bad)
        assert refused.value.field == "map_url"
