"""Business-time arithmetic on Oman's week (Sunday–Thursday, 07:30–14:30)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from helpdesk.business_hours import Calendar

MUSCAT = ZoneInfo("Asia/Muscat")
# November 2026: Thursday 26, Friday 27, Saturday 28, Sunday 29, Monday 30.
THU, FRI, SAT, SUN, MON = (datetime.date(2026, 11, day) for day in (26, 27, 28, 29, 30))


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=MUSCAT)


def oman(holidays: tuple[datetime.date, ...] = ()) -> Calendar:
    return Calendar.of(
        working_days=[6, 0, 1, 2, 3],
        start=datetime.time(7, 30),
        end=datetime.time(14, 30),
        holidays=holidays,
    )


def test_it_adds_minutes_within_one_working_day() -> None:
    assert oman().add_business_minutes(at(SUN, 9), 90) == at(SUN, 10, 30)


def test_it_carries_over_the_weekend_from_thursday_to_sunday() -> None:
    assert oman().add_business_minutes(at(THU, 13, 30), 120) == at(SUN, 8, 30)


def test_it_skips_a_public_holiday() -> None:
    calendar = oman(holidays=(SUN,))
    assert calendar.add_business_minutes(at(THU, 13, 30), 120) == at(MON, 8, 30)


def test_it_starts_counting_when_the_day_opens() -> None:
    assert oman().add_business_minutes(at(SUN, 6), 30) == at(SUN, 8)


def test_it_starts_counting_on_sunday_for_work_arriving_on_friday() -> None:
    assert oman().add_business_minutes(at(FRI, 11), 0) == at(SUN, 7, 30)


def test_it_counts_a_full_working_day_as_seven_hours() -> None:
    assert oman().add_business_minutes(at(SUN, 7, 30), 420) == at(SUN, 14, 30)
    assert oman().add_business_minutes(at(SUN, 7, 30), 421) == at(MON, 7, 31)


def test_it_accepts_moments_in_any_time_zone() -> None:
    utc_moment = at(SUN, 9).astimezone(datetime.UTC)
    assert oman().add_business_minutes(utc_moment, 60) == at(SUN, 10)


def test_it_measures_business_minutes_across_a_weekend() -> None:
    assert oman().business_minutes_between(at(THU, 14), at(SUN, 8)) == 60


def test_it_measures_nothing_over_a_weekend_and_a_holiday() -> None:
    calendar = oman(holidays=(SUN,))
    assert calendar.business_minutes_between(at(THU, 15), at(MON, 7)) == 0


def test_it_measures_nothing_backwards() -> None:
    assert oman().business_minutes_between(at(MON, 9), at(SUN, 9)) == 0


@pytest.mark.parametrize("minutes", [0, 1, 59, 420, 421, 1000, 5 * 420])
@pytest.mark.parametrize("start", [at(THU, 13), at(FRI, 9), at(SUN, 7), at(SUN, 14, 29)])
def test_it_measures_back_what_it_added(start: datetime.datetime, minutes: int) -> None:
    calendar = oman(holidays=(MON,))
    end = calendar.add_business_minutes(start, minutes)
    assert calendar.business_minutes_between(start, end) == minutes


def test_it_knows_when_the_center_is_open() -> None:
    calendar = oman(holidays=(MON,))
    assert calendar.is_open(at(SUN, 7, 30))
    assert not calendar.is_open(at(SUN, 14, 30))
    assert not calendar.is_open(at(FRI, 10))
    assert not calendar.is_open(at(MON, 10))


def test_it_refuses_a_calendar_without_working_time() -> None:
    empty = Calendar.of(working_days=[], start=datetime.time(8), end=datetime.time(14))
    with pytest.raises(ValueError):
        empty.add_business_minutes(at(SUN, 9), 10)
