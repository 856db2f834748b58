"""Breaks and backlogs: moving review cards' due days so a person's workload fits their life.

Two plans, each worked out from the cards' progress alone and changing nothing by itself:

- plan_break: the review cards that would fall due while the person is away are moved to the
  days before the break or after it, whichever loses less retention, with no day over a cap.
- spread_backlog: overdue reviews are spread over the next few days, the cards most at risk of
  being forgotten first, so the person is not met by a wall of them.

A plan only ever moves a card's due moment. Its `new_due()` is what the collection records, one
progress event per card with the due moved, so undo puts the old due back; stability,
difficulty, the last review and every count stay as they are.

Learning and relearning cards are left alone by both. Their steps are minutes apart, so a day
early would defeat the step, and a step missed during a break only waits: the card is shown
first thing the day the person is back, and its steps go on from there. Nor do they count
against the reviews a day allows, so they take no room from the days the plans fill.

How retrievability is measured. FSRS-6's forgetting curve, the one the scheduler uses:
R(t) = (1 + F * t / S) ** -decay, t the days since the last review, S the card's stability,
F chosen so that R(S) = 0.9. Days here are fractional (the scheduler rounds them down to whole
days when it shows a card's retrievability), so moving a due moment by hours moves R smoothly.
A review card with no stability or last review known is taken to sit at the desired retention
whenever it is reviewed: nothing says how it fades, so no move is charged for it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from fsrs.scheduler import DEFAULT_PARAMETERS

from .clock import day_bounds, study_day
from .deck import CardId
from .progress import Phase, Progress
from .settings import Settings

_DAY = timedelta(days=1)
_SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class Move:
    """One card's due moment moved, with its retrievability at the old and at the new one."""

    card_id: CardId
    old_due: datetime
    new_due: datetime
    old_retrievability: float
    new_retrievability: float


@dataclass(frozen=True)
class BreakPlan:
    """Where the reviews due during a break go: the days before it, or the days after.

    `due_before` and `due_after` count the moved cards per study day (on top of the reviews
    those days already had); `cap` is the most reviews the plan lets a day have.
    `extra_reviews_expected` is the number of extra lapses the late reviews are expected to
    bring: for each card pushed after the break, how much lower its retrievability is when it is
    reviewed than it would have been on its due day. Each such lapse is at least one more review
    (the card comes back to be relearnt), so the figure is a floor.
    `learning_left` counts the learning and relearning cards due during the break, which the plan
    leaves alone (see the module's docstring for why).
    """

    away_from: date
    away_until: date
    cap: int
    moves: tuple[Move, ...]
    due_before: dict[date, int] = field(default_factory=dict)
    due_after: dict[date, int] = field(default_factory=dict)
    extra_reviews_expected: float = 0.0
    learning_left: int = 0

    def new_due(self) -> dict[CardId, datetime]:
        return {move.card_id: move.new_due for move in self.moves}


@dataclass(frozen=True)
class BacklogPlan:
    """Overdue reviews spread over `days` study days from today, the most at risk first.

    `per_day` counts the overdue cards each day gets, today included, on top of the reviews the
    day has of its own. The cards kept for today are due already and are not moved: `moves`
    holds only the cards put off to a later day.
    """

    days: int
    moves: tuple[Move, ...]
    per_day: dict[date, int] = field(default_factory=dict)

    def new_due(self) -> dict[CardId, datetime]:
        return {move.card_id: move.new_due for move in self.moves}


def plan_break(cards: Mapping[CardId, Progress], away_from: date, away_until: date, now: datetime,
               tz: tzinfo | None, rollover_hour: int, *,
               daily_limit: int = Settings.reviews_per_day, cap: int | None = None,
               desired_retention: float = Settings.desired_retention,
               parameters: Sequence[float] | None = None) -> BreakPlan:
    """Move the reviews due on the study days `away_from` to `away_until` (both days away) out of
    the break, losing as little retention as the room on the other days allows.

    The model. FSRS puts each review where the card's retrievability has fallen to the desired
    retention. Moving the review takes it away from that point, either way, and the price of a
    move is how far: |R(new due) - R(old due)|.
    - After the break, R is lower: that difference is the added chance the card is forgotten, an
      expected lapse, and it is what `extra_reviews_expected` adds up.
    - Before the break, R is higher: nothing is forgotten, but the review is partly wasted, since
      FSRS rewards a review by how much had been forgotten (its stability gain grows with 1 - R).
      One point of retrievability above the schedule is priced as one point below it: a plain,
      symmetric stand-in for that waste rather than a figure FSRS gives.
    A card with a short interval has an R that falls steeply over a break, so pushing it after
    costs much, and bringing it a few days early costs little by comparison; a long interval's R
    hardly moves over a few days either way, so long intervals are the ones to push after when
    the days before the break run out of room.

    The placing, greedy and in this order:
    1. Each card compares the price of its latest possible day before the break with the price
       of the first day back. The cards that gain most by going early take the days before,
       latest first (the day before the break, then the one before it...), each as long as that
       day is still cheaper for it than the first day back. A card is never brought before
       today, nor to the study day of its own last review.
    2. The rest go after, the lowest retrievability on return first (the ones most at risk get
       the first days back), filling the days from the first day back onwards.
    The first day back is what step 1 compares with even when those days fill up and a card
    lands later: the plan is greedy and quick, good rather than the best possible.
    The cap: no day is given more cards than the cap minus the reviews it already has (today's
    overdue reviews, and those done today, count on today); a day already at or over the cap
    gets nothing. Unless `cap` is given, it is the busiest day the person already has around the
    break (the days from today to the break, and as many days after it as it lasts, a week at
    least), so the plan asks for no day heavier than one they face anyway; raised, if need be,
    to the level at which those days, evened out, take their own reviews and the moved ones, so
    the break is absorbed within them rather than trickled out over months; and never above
    `daily_limit`, the reviews-per-day setting, as the study queue shows no more than that a
    day and cards put beyond it would pile up out of the plan's sight.
    The days after the break have no end, so every card finds a place. Each new due moment is
    the start of its study day.
    """
    today = study_day(now, rollover_hour, tz)
    if away_until < away_from:
        raise ValueError("a break ends on or after the day it starts")
    if away_from < today:
        raise ValueError("a break cannot start before today")
    if daily_limit < 1 or (cap is not None and cap < 1):
        raise ValueError("a day must allow at least one review")
    days = _StudyDays(rollover_hour, tz)
    curve = _ForgettingCurve.of(parameters, desired_retention)
    reviews, learning_left, load = _survey(cards, days, today, away_from, away_until)
    eve, back = away_from - _DAY, away_until + _DAY
    if cap is None:
        cap = _usual_cap(load, len(reviews), today, away_from, back, daily_limit)
    back_start = days.start(back)
    waiting = [_Waiting(card_id, progress, curve.retrievability(progress, progress.due),
                        curve.retrievability(progress, back_start))
               for card_id, progress in reviews]
    before, due_before, after = _place_before(waiting, curve, days, load, cap, today, eve)
    after_moves, due_after = _place_after(after, curve, days, load, cap, back)
    return BreakPlan(
        away_from=away_from, away_until=away_until, cap=cap, moves=tuple(before + after_moves),
        due_before=due_before, due_after=due_after,
        extra_reviews_expected=sum(m.old_retrievability - m.new_retrievability
                                   for m in after_moves),
        learning_left=learning_left)


def spread_backlog(cards: Mapping[CardId, Progress], days: int, now: datetime,
                   tz: tzinfo | None, rollover_hour: int, *,
                   desired_retention: float = Settings.desired_retention,
                   parameters: Sequence[float] | None = None) -> BacklogPlan:
    """Spread the overdue reviews (due on a study day before today) over `days` study days from
    today: sorted by retrievability now, lowest first, and dealt out in that order so that each
    day gets as many as the next or one more (the earlier days take the remainder). Cards due
    today or later, and learning cards, are left alone; so are those kept for today, which are
    due already. Each moved card's new due moment is the start of its study day.
    """
    if days < 1:
        raise ValueError("a backlog is spread over one day or more")
    today = study_day(now, rollover_hour, tz)
    study_days = _StudyDays(rollover_hour, tz)
    curve = _ForgettingCurve.of(parameters, desired_retention)
    today_start = study_days.start(today)
    overdue = sorted((curve.retrievability(progress, now), progress.due, card_id, progress)
                     for card_id, progress in cards.items()
                     if progress.phase is Phase.REVIEW and progress.due < today_start)
    share, extra = divmod(len(overdue), days)
    per_day, moves, first = {}, [], 0
    for offset in range(days):
        day = today + offset * _DAY
        count = share + (1 if offset < extra else 0)
        per_day[day] = count
        if offset:
            new_due = study_days.start(day)
            moves += [Move(card_id, progress.due, new_due, r_now,
                           curve.retrievability(progress, new_due))
                      for r_now, _due, card_id, progress in overdue[first:first + count]]
        first += count
    return BacklogPlan(days=days, moves=tuple(moves), per_day=per_day)


# -- the break's two sides ---------------------------------------------------------------------
def _usual_cap(load: _Load, moving: int, today: date, away_from: date, back: date,
               daily_limit: int) -> int:
    length = (back - away_from).days
    around = [today + n * _DAY for n in range((away_from - today).days)]
    around += [back + n * _DAY for n in range(max(length, 7))]
    usual = [load.due_on(day) for day in around]
    level = -(-(sum(usual) + moving) // len(around))
    return max(1, min(daily_limit, max(max(usual), level)))


@dataclass(frozen=True, slots=True)
class _Waiting:
    """A review card due during the break, with its retrievability when due and on return."""

    card_id: CardId
    progress: Progress
    r_due: float
    r_back: float

    def move(self, moment: datetime, r_new: float) -> Move:
        return Move(self.card_id, self.progress.due, moment, self.r_due, r_new)


def _place_before(waiting: list[_Waiting], curve: _ForgettingCurve, days: _StudyDays,
                  load: _Load, cap: int, today: date, eve: date):
    """The moves that bring cards before the break, their count per day, and the cards left."""
    after, early = [], []
    if eve < today:
        return [], {}, list(waiting)
    eve_start = days.start(eve)
    for card in waiting:
        if _may_review(card.progress, eve_start):
            r_eve = curve.retrievability(card.progress, eve_start)
            gain = (card.r_due - card.r_back) - (r_eve - card.r_due)
            if gain > 0:
                early.append((-gain, card.card_id, card))
                continue
        after.append(card)
    early.sort(key=lambda item: item[:2])
    moves, counts, day = [], {}, eve
    for _gain, _card_id, card in early:
        while day >= today and load.scheduled(day) + counts.get(day, 0) >= cap:
            day -= _DAY
        moment = days.start(day) if day >= today else None
        if moment is None or not _may_review(card.progress, moment):
            after.append(card)
            continue
        r_new = curve.retrievability(card.progress, moment)
        if r_new - card.r_due >= card.r_due - card.r_back:
            after.append(card)  # this early, it would cost more than waiting for the return
            continue
        counts[day] = counts.get(day, 0) + 1
        moves.append(card.move(moment, r_new))
    return moves, dict(sorted(counts.items())), after


def _may_review(progress: Progress, moment: datetime) -> bool:
    """Whether a card may be brought to the study day starting at `moment`: not to the day of
    its last review, where the review would be all but wasted."""
    return progress.last_review is None or progress.last_review < moment


def _place_after(after: list[_Waiting], curve: _ForgettingCurve, days: _StudyDays, load: _Load,
                 cap: int, back: date):
    """The moves that take the other cards past the break, and their count per day."""
    moves, counts = [], {}
    day, room, moment = back - _DAY, 0, None
    for card in sorted(after, key=lambda card: (card.r_back, card.card_id)):
        while room <= 0:
            day += _DAY
            room, moment = cap - load.scheduled(day), days.start(day)
        room -= 1
        counts[day] = counts.get(day, 0) + 1
        r_new = card.r_back if day == back else curve.retrievability(card.progress, moment)
        moves.append(card.move(moment, r_new))
    return moves, counts


# -- the pieces --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _ForgettingCurve:
    decay: float
    factor: float
    desired_retention: float

    @classmethod
    def of(cls, parameters: Sequence[float] | None, desired_retention: float) -> _ForgettingCurve:
        decay = (parameters or DEFAULT_PARAMETERS)[20]
        return cls(decay=decay, factor=0.9 ** (-1 / decay) - 1,
                   desired_retention=desired_retention)

    def retrievability(self, progress: Progress, moment: datetime) -> float:
        stability, last = progress.stability, progress.last_review
        if not stability or last is None:
            return self.desired_retention
        elapsed = max(0.0, (moment - last).total_seconds() / _SECONDS_PER_DAY)
        return (1 + self.factor * elapsed / stability) ** -self.decay


class _StudyDays:
    """Study days and their bounds, each worked out once: a plan asks for the same few often."""

    def __init__(self, rollover_hour: int, tz: tzinfo | None) -> None:
        self.rollover_hour, self.tz = rollover_hour, tz
        self._bounds: dict[date, tuple[datetime, datetime]] = {}

    def bounds(self, day: date) -> tuple[datetime, datetime]:
        if day not in self._bounds:
            self._bounds[day] = day_bounds(day, self.rollover_hour, self.tz)
        return self._bounds[day]

    def start(self, day: date) -> datetime:
        return self.bounds(day)[0]

    def end(self, day: date) -> datetime:
        return self.bounds(day)[1]


class _Load:
    """The reviews each study day already has, counted only for the days asked. Today also
    carries the overdue reviews and those done today, as the study queue counts them against
    the day's allowance.

    The due moments are kept as sorted POSIX timestamps: sorting 100,000 floats takes a tenth of
    the time sorting as many aware datetimes does, and a plan waits for it."""

    def __init__(self, due: list[float], done_today: int, days: _StudyDays,
                 today: date) -> None:
        due.sort()
        self._due, self._done_today = due, done_today
        self._days, self._today = days, today

    def scheduled(self, day: date) -> int:
        if day == self._today:
            return self._before(self._days.end(day)) + self._done_today
        return self.due_on(day)

    def due_on(self, day: date) -> int:
        """The reviews due on the day itself: no overdue ones, which are no normal day's load."""
        start, end = self._days.bounds(day)
        return self._before(end) - self._before(start)

    def _before(self, moment: datetime) -> int:
        return bisect_left(self._due, moment.timestamp())


def _survey(cards: Mapping[CardId, Progress], days: _StudyDays, today: date, away_from: date,
            away_until: date) -> tuple[list[tuple[CardId, Progress]], int, _Load]:
    """One pass over the cards: the reviews due during the break, how many learning cards are,
    and every day's load."""
    start, end = days.start(away_from), days.end(away_until)
    today_start, today_end = days.bounds(today)
    reviews, due, learning, done_today = [], [], 0, 0
    review_phase = Phase.REVIEW
    for card_id, progress in cards.items():
        moment = progress.due
        if progress.phase is review_phase:
            due.append(moment.timestamp())
            if start <= moment < end:
                reviews.append((card_id, progress))
        elif start <= moment < end and progress.phase is not Phase.NEW:
            learning += 1
        graded = progress.last_review_graded
        if graded is not None and today_start <= graded < today_end:
            done_today += 1
    return reviews, learning, _Load(due, done_today, days, today)
