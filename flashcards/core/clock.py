"""Where the core gets the current time, so tests can move days ahead without sleeping."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware, in UTC."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FakeClock:
    """A clock that stands still until told to move (tests, benchmarks, replays)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start")
        self._now = start.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> None:
        self._now += delta if delta is not None else timedelta(**kwargs)

    def set(self, moment: datetime) -> None:
        self._now = moment.astimezone(timezone.utc)


def study_day(moment: datetime, rollover_hour: int, tz: tzinfo | None = None) -> date:
    """The study day a moment belongs to: days start at `rollover_hour` local time, not midnight."""
    local = moment.astimezone(tz)
    return (local - timedelta(hours=rollover_hour)).date()


def day_bounds(day: date, rollover_hour: int, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
    """The UTC start and end of a study day."""
    start_local = datetime.combine(day, time(hour=rollover_hour))
    end_local = datetime.combine(day + timedelta(days=1), time(hour=rollover_hour))
    if tz is None:
        start, end = start_local.astimezone(), end_local.astimezone()
    else:
        start, end = start_local.replace(tzinfo=tz), end_local.replace(tzinfo=tz)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_HOUR = timedelta(hours=1)
_MICROSECOND = timedelta(microseconds=1)
_HOUR_MICROSECONDS = 3_600_000_000


class StudyDays:
    """study_day for many times given in microseconds since 1970 (UTC), as day numbers
    (date.toordinal), each hour they fall in worked out once: an hour that starts and ends on one
    study day at one UTC offset lies wholly in that day. The times of any other hour (a day
    starting at a half-hour offset, clocks changing) are worked out one by one."""

    def __init__(self, rollover_hour: int, tz: tzinfo | None = None) -> None:
        self._rollover, self._tz = rollover_hour, tz
        self._days: dict[int, int | None] = {}  # each hour's day, None where it holds two

    def day(self, microseconds: int) -> int:
        hour = microseconds // _HOUR_MICROSECONDS
        if hour not in self._days:
            self._days[hour] = self._day_of_hour(hour)
        day = self._days[hour]
        return self._day_of(microseconds) if day is None else day

    def _day_of_hour(self, hour: int) -> int | None:
        start = _EPOCH + hour * _HOUR
        first = start.astimezone(self._tz)
        last = (start + _HOUR - _MICROSECOND).astimezone(self._tz)
        day = (first - timedelta(hours=self._rollover)).toordinal()
        same = first.utcoffset() == last.utcoffset() and day == (
            last - timedelta(hours=self._rollover)).toordinal()
        return day if same else None

    def _day_of(self, microseconds: int) -> int:
        return study_day(_EPOCH + timedelta(microseconds=microseconds), self._rollover,
                         self._tz).toordinal()
