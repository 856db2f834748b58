"""FSRS scheduling through the `fsrs` package: what each grade would do to a card."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import fsrs

from .progress import Phase, Progress, Rating

_PHASE_OF_STATE = {
    fsrs.State.Learning: Phase.LEARNING,
    fsrs.State.Review: Phase.REVIEW,
    fsrs.State.Relearning: Phase.RELEARNING,
}
_STATE_OF_PHASE = {phase: state for state, phase in _PHASE_OF_STATE.items()}
_STATE_OF_PHASE[Phase.NEW] = fsrs.State.Learning


@dataclass(frozen=True)
class SchedulerSettings:
    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval_days: int = 36500
    fuzz: bool = True
    parameters: tuple[float, ...] | None = field(default=None)


class Scheduler:
    def __init__(self, settings: SchedulerSettings | None = None) -> None:
        self.settings = settings or SchedulerSettings()
        options = dict(
            desired_retention=self.settings.desired_retention,
            learning_steps=self.settings.learning_steps,
            relearning_steps=self.settings.relearning_steps,
            maximum_interval=self.settings.maximum_interval_days,
            enable_fuzzing=self.settings.fuzz,
        )
        if self.settings.parameters:
            options["parameters"] = self.settings.parameters
        self._fsrs = fsrs.Scheduler(**options)

    def outcome(self, progress: Progress | None, rating: Rating, now: datetime) -> Progress:
        """The progress a card would have after being graded `rating` at `now`."""
        before = progress or Progress(phase=Phase.NEW, due=now)
        after, _log = self._fsrs.review_card(_fsrs_card(before), fsrs.Rating(int(rating)),
                                             review_datetime=now)
        return _progress_after(before, after, rating, now)

    def replay(self, grades: Iterable[tuple[Rating, datetime]]) -> Iterator[Progress]:
        """The progress after each grade in turn, starting from a new card: what chaining
        outcome() gives, in time order.

        The fsrs card one grade leaves is passed straight to the next grade: _fsrs_card would
        rebuild an equal one from the Progress, as that Progress copies each of its fields.
        """
        progress = card = None
        for rating, now in grades:
            if progress is None:
                progress = Progress(phase=Phase.NEW, due=now)
                card = _fsrs_card(progress)
            card, _log = self._fsrs.review_card(card, fsrs.Rating(int(rating)), review_datetime=now)
            progress = _progress_after(progress, card, rating, now)
            yield progress

    def outcomes(self, progress: Progress | None, now: datetime) -> dict[Rating, Progress]:
        """All four possible outcomes, so the buttons can show the interval each would give."""
        return {rating: self.outcome(progress, rating, now) for rating in Rating}

    def retrievability(self, progress: Progress, now: datetime) -> float:
        if progress.phase is Phase.NEW or progress.stability is None:
            return 0.0
        return self.recall_chance(progress.stability, progress.last_review, now)

    def recall_chance(self, stability: float, last_review: datetime | None, now: datetime) -> float:
        """The chance of recalling at `now` a card of this stability, last reviewed then."""
        card = fsrs.Card(card_id=0, stability=stability, last_review=last_review)
        return self._fsrs.get_card_retrievability(card, current_datetime=now)


def _fsrs_card(progress: Progress) -> fsrs.Card:
    return fsrs.Card(
        card_id=0,
        state=_STATE_OF_PHASE[progress.phase],
        step=progress.step if progress.phase is not Phase.NEW else 0,
        stability=progress.stability,
        difficulty=progress.difficulty,
        due=progress.due,
        last_review=progress.last_review,
    )


def _progress_after(before: Progress, after: fsrs.Card, rating: Rating, now: datetime) -> Progress:
    # Built directly rather than through dataclasses.replace (every field changes anyway), which
    # cost about as much as the FSRS maths itself.
    lapsed = before.phase is Phase.REVIEW and rating is Rating.AGAIN
    return Progress(
        phase=_PHASE_OF_STATE[after.state],
        due=after.due,
        step=after.step,
        stability=after.stability,
        difficulty=after.difficulty,
        last_review=now,
        first_review=before.first_review or now,
        reps=before.reps + 1,
        lapses=before.lapses + (1 if lapsed else 0),
        last_review_graded=now if before.phase is Phase.REVIEW else before.last_review_graded,
    )


def format_interval(delta: timedelta) -> str:
    """Anki-style short interval text for a button: 45s, 10m, 3h, 4d, 2.1mo, 1.5y."""
    seconds = max(0, delta.total_seconds())
    if seconds < 60:
        return f"{round(seconds)}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")
