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
