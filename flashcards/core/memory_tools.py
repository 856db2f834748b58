"""What the collection's memory tools work out: the scheduler fitted to the learner, the workload
each desired retention brings, and the learner's cards as the break and backlog plans see them.

The collection records what these decide (see its last section); nothing here changes anything.
Fitting and simulating are slow, so each comes as a plain object read from the collection on
its own thread whose `run` may go to another thread: it reads files at most and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .changes import Changes
from .deck import CardId, DeckId
from .optimiser import Fit, FitCancelled, fit_parameters
from .progress import Progress, Review
from .progress_table import micros
from .retention_workload import simulate_workload
from .state import CollectionState
from .workload import BacklogPlan, BreakPlan

# The scheduler is fitted again by itself at most this often, and only once this many grades
# were given since the last fit: fewer barely move 21 parameters fitted on the rest.
FIT_EVERY = timedelta(days=30)
FIT_AFTER_REVIEWS = 1000

# The desired retentions the workload dialog compares, and how far ahead it looks.
COMPARED_RETENTIONS = (0.80, 0.85, 0.90, 0.95)
FORECAST_DAYS = 365
# One seed for every retention: the same simulated learner, so only the retention differs.
FORECAST_SEED = 20250101

_REVIEW = 2  # the progress table's code for a review card


@dataclass(frozen=True)
class OptimiseResult:
    """What fitting the scheduler did. Log losses are the mean over the reviews that came a
    day or more after the card's previous one (`review_count` of them), with the parameters in
    use before (`log_loss_before`) and with the fitted ones (`log_loss_after`): lower is better.
    `kept` says whether the fitted parameters are now in use; `parameters` are those in use."""

    log_loss_before: float
    log_loss_after: float
    kept: bool
    review_count: int
    parameters: tuple[float, ...]
    changes: Changes


@dataclass(frozen=True)
class FitRequest:
    """Fitting the scheduler, as read from the collection: the parameters in use (None for the
    scheduler's defaults), the grades counted so far, and a way to read the review history."""

    start: tuple[float, ...] | None
    grades_so_far: int
    read_reviews: Callable[[], list[Review]]

    def run(self, progress_callback: Callable[[int, int], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> Fit:
        """Read the history and fit; see optimiser.fit_parameters for what may be raised."""
        reviews = self.read_reviews()
        if cancelled is not None and cancelled():
            raise FitCancelled()
        return fit_parameters(reviews, self.start, progress_callback, cancelled)


def fit_due(values: dict, today: date, grades: int) -> bool:
    """Whether the scheduler should be fitted again by itself: a month since the last fit (or
    never fitted), and FIT_AFTER_REVIEWS grades given since. `values` are the collection's
    remembered values."""
    last_day, last_count = values.get("optimised_on"), values.get("optimised_review_count")
    try:
        last_day = date.fromisoformat(last_day) if last_day is not None else None
        last_count = int(last_count) if last_count is not None else 0
    except (TypeError, ValueError):
        last_day, last_count = None, 0  # a value edited by hand: as if never fitted
    if last_day is not None and today - last_day < FIT_EVERY:
        return False
    return grades - last_count >= FIT_AFTER_REVIEWS


@dataclass(frozen=True)
class WorkloadForecast:
    """Reviews per day over the next year at each desired retention, for the learner's cards
    as they stand (`cards`: a new card is None), studying `new_per_day` new cards a day."""

    parameters: tuple[float, ...] | None
    cards: tuple[Progress | None, ...]
    now: datetime
    new_per_day: int

    def run(self, progress_callback: Callable[[int, int], None] | None = None,
            cancelled: Callable[[], bool] | None = None,
            retentions: Sequence[float] = COMPARED_RETENTIONS) -> dict[float, list[float]]:
        """Needs numpy: OptimiserUnavailable says so. Cancelled raises FitCancelled."""
        from fsrs.scheduler import DEFAULT_PARAMETERS

        parameters = self.parameters or tuple(DEFAULT_PARAMETERS)
        workloads = {}
        for done, retention in enumerate(retentions):
            if cancelled is not None and cancelled():
                raise FitCancelled()
            workloads[retention] = simulate_workload(
                parameters, retention, self.cards, now=self.now, days=FORECAST_DAYS,
                new_cards_per_day=self.new_per_day, seed=FORECAST_SEED)
            if progress_callback is not None:
                progress_callback(done + 1, len(retentions))
        return workloads


@dataclass(frozen=True)
class BacklogSpread:
    """A backlog spread from `start` over `days` study days, `per_day` overdue cards a day at
    most: remembered so the deck list can say so while it lasts."""

    start: date
    days: int
    per_day: int

    def lasts_on(self, day: date) -> bool:
        return self.start <= day < self.start + timedelta(days=self.days)

    def to_json(self) -> dict:
        return {"start": self.start.isoformat(), "days": self.days, "per_day": self.per_day}

    @classmethod
    def from_json(cls, value) -> BacklogSpread | None:
        """None for anything but what to_json wrote (a value edited by hand, or damaged)."""
        try:
            return cls(date.fromisoformat(value["start"]), int(value["days"]),
                       int(value["per_day"]))
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class BacklogStatus:
    """Reviews overdue from before today, against the reviews a day allows, and the backlog
    spread now under way, if any."""

    overdue: int
    daily_limit: int
    spread: BacklogSpread | None

    @property
    def worth_spreading(self) -> bool:
        """More is overdue than a day allows, and no spread is under way: worth offering one."""
        return self.spread is None and self.overdue > self.daily_limit


def studied_rows(state: CollectionState) -> dict[DeckId, list[int]]:
    """Each deck's rows in the progress table, without its suspended cards: the cards the
    learner studies. (Buried cards count: they are back tomorrow.)"""
    suspended = {state.progress.row(card) for card, mark in state.marks.items() if mark.suspended}
    return {deck_id: [row for row in rows if row not in suspended] if suspended else rows
            for deck_id, rows in state.deck_rows.items()}


def studied_cards(state: CollectionState) -> dict[CardId, Progress | None]:
    """The learner's cards (see studied_rows), each with its progress (None: a new card)."""
    table, cards = state.progress, {}
    for rows in studied_rows(state).values():
        for row in rows:
            card_id = table.card[row]
            cards[card_id] = table.get(card_id)
    return cards


def overdue_count(state: CollectionState, day_start: datetime, now: datetime) -> int:
    """Review cards due before the study day starting at `day_start`, read from the columns
    (or, at start-up, from the counting digest): the deck list asks after every change."""
    digest = state.counting_digest
    if digest is not None and digest.usable(now, day_start, day_start):
        return digest.cards_due_before(day_start, _REVIEW)
    table, start = state.progress, micros(day_start)
    phase, due = table.phase, table.due
    return sum(1 for rows in studied_rows(state).values() for row in rows
               if phase[row] == _REVIEW and due[row] < start)


# -- what the tools say, in the window and on the command line ---------------------------------
def fit_lines(result: OptimiseResult) -> list[str]:
    lines = [f"Log loss with current parameters: {result.log_loss_before:.4f}, "
             f"fitted: {result.log_loss_after:.4f}; {'kept' if result.kept else 'not kept'}."]
    lines.append(
        f"The fitted parameters predict your {result.review_count:,} reviews better, so the "
        "scheduler uses them from now on." if result.kept else
        f"The current parameters predict your {result.review_count:,} reviews as well or "
        "better, so they stay in use.")
    return lines


def break_lines(plan: BreakPlan, applied: bool) -> list[str]:
    """What a break plan moves (`applied`) or would move."""
    moved = len(plan.moves)
    lines = [f"Break from {day_name(plan.away_from)} to {day_name(plan.away_until)}: "
             + (f"{_count(moved, 'review')} due while you are away "
                f"{'moved' if applied else 'would move'}." if moved
                else "no review is due while you are away.")]
    for side, counts in (("before", plan.due_before), ("after", plan.due_after)):
        if counts:
            lines.append(f"{sum(counts.values()):,} {'moved' if applied else 'would go'} {side} "
                         "it: " + ", ".join(f"{day_name(day)}: {count:,}"
                                            for day, count in counts.items()) + ".")
    if plan.due_after:
        lines.append(f"About {plan.extra_reviews_expected:.1f} extra reviews expected, for "
                     "cards forgotten while they wait.")
    if plan.learning_left:
        lines.append(f"{_count(plan.learning_left, 'learning card')} due during the break "
                     "will wait for your return.")
    return lines


def backlog_lines(plan: BacklogPlan, applied: bool) -> list[str]:
    """What a backlog plan spreads (`applied`) or would spread."""
    overdue = sum(plan.per_day.values())
    if not overdue:
        return ["No review is overdue: nothing to spread."]
    per_day = ", ".join(f"{day_name(day)}: {count:,}" for day, count in plan.per_day.items()
                        if count)
    return [f"{_count(overdue, 'overdue review')} {'spread' if applied else 'would be spread'} "
            f"over {_count(plan.days, 'day')}, the ones most likely forgotten first:",
            per_day + "."]


def spread_line(spread: BacklogSpread) -> str:
    return (f"Backlog spread over {_count(spread.days, 'day')}: "
            f"{spread.per_day:,} a day.")


def _count(number: int, thing: str) -> str:
    return f"{number:,} {thing}{'s' if number != 1 else ''}"


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_name(day: date) -> str:
    """A study day in few letters, "Wed 12 Mar": named here, not by strftime, which follows the process locale."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
