"""Business-time arithmetic on the organisation's calendar.

Oman's working week runs Sunday to Thursday; the hours and the public holidays
come from ``OrganisationSettings`` and ``Holiday``. SLA targets are business
minutes: a ticket registered on Thursday afternoon with a one-day target is due
on Sunday, not on Friday.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings

if TYPE_CHECKING:
    from helpdesk.models import OrganisationSettings

MAX_CALENDAR_DAYS = 3660  # a decade: no SLA runs longer, and a bad calendar cannot loop forever


@dataclass(frozen=True)
class Calendar:
    working_days: frozenset[int]  # Python weekday numbers, Monday = 0
    start: datetime.time
    end: datetime.time
    holidays: frozenset[datetime.date]
    tz: ZoneInfo

    @classmethod
    def load(cls, org: OrganisationSettings | None = None) -> Calendar:
        """The organisation's calendar (pass ``org`` when it is already loaded)."""
        from helpdesk.models import Holiday, OrganisationSettings

        org = org or OrganisationSettings.load()
        return cls(
            working_days=frozenset(int(day) for day in org.working_days),
            start=org.workday_start,
            end=org.workday_end,
            holidays=frozenset(Holiday.objects.values_list("date", flat=True)),
            tz=ZoneInfo(settings.TIME_ZONE),
        )

    @classmethod
    def load_live_chat(cls) -> Calendar:
        """The organisation's working days at the live chat's own opening hours."""
        from helpdesk.models import OrganisationSettings

        org = OrganisationSettings.load()
        return dataclasses.replace(cls.load(org), start=org.chat_opens, end=org.chat_closes)

    @classmethod
    def of(
        cls,
        *,
        working_days: Collection[int],
        start: datetime.time,
        end: datetime.time,
        holidays: Collection[datetime.date] = (),
        tz: str = "Asia/Muscat",
    ) -> Calendar:
        return cls(frozenset(working_days), start, end, frozenset(holidays), ZoneInfo(tz))

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() in self.working_days and day not in self.holidays

    def _window(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        return (
            datetime.datetime.combine(day, self.start, tzinfo=self.tz),
            datetime.datetime.combine(day, self.end, tzinfo=self.tz),
        )

    def add_business_minutes(self, moment: datetime.datetime, minutes: int) -> datetime.datetime:
        """The moment ``minutes`` of business time after ``moment`` (aware, any zone)."""
        if not self.working_days or self.start >= self.end:
            raise ValueError("The calendar has no working time.")
        local = moment.astimezone(self.tz)
        remaining = datetime.timedelta(minutes=minutes)
        day = local.date()
        for _ in range(MAX_CALENDAR_DAYS):
            if self.is_working_day(day):
                opens, closes = self._window(day)
                begin = max(opens, local)
                if begin < closes:
                    available = closes - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
            day += datetime.timedelta(days=1)
            local = datetime.datetime.combine(day, datetime.time(0), tzinfo=self.tz)
        raise ValueError("No working time found within ten years.")

    def business_minutes_between(self, start: datetime.datetime, end: datetime.datetime) -> int:
        if end <= start:
            return 0
        total = datetime.timedelta()
        first, last = start.astimezone(self.tz), end.astimezone(self.tz)
        day = first.date()
        while day <= last.date():
            if self.is_working_day(day):
                opens, closes = self._window(day)
                lo, hi = max(opens, first), min(closes, last)
                if lo < hi:
                    total += hi - lo
            day += datetime.timedelta(days=1)
        return int(total.total_seconds() // 60)

    def is_open(self, moment: datetime.datetime) -> bool:
        local = moment.astimezone(self.tz)
        opens, closes = self._window(local.date())
        return self.is_working_day(local.date()) and opens <= local < closes
