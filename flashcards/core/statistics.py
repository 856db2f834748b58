"""What a learner's history says about their study: how much, how well, and what is coming.

Pure functions over plain values (a StudyHistory), so every figure is tested without a window;
`gather_history` reads those values from an open collection once, and the figures for any deck
or period are then worked out from them without reading the journals again.
"""

from __future__ import annotations

import bisect
import enum
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

import fsrs

from .clock import day_bounds, study_day
from .deck import CardId, DeckId
from .progress import Phase, Progress, Rating, Review
from .scheduler import Scheduler
from .search import parse_search

if TYPE_CHECKING:
    from .collection import Collection

# As in Anki: a card whose interval has reached three weeks is mature, before that young.
MATURE_DAYS = 21
FORECAST_DAYS = 30


class Period(str, enum.Enum):
    MONTH = "month"
    YEAR = "year"
    ALL = "all"

    @property
    def days(self) -> int | None:
        """How many study days the period spans, today included (None: since the first review)."""
        return {Period.MONTH: 30, Period.YEAR: 365, Period.ALL: None}[self]


@dataclass(frozen=True)
class CardStanding:
    """One card as the statistics see it: where it is, and how well it is known."""

    id: CardId
    deck_id: DeckId
    progress: Progress | None  # None: a new card
    suspended: bool = False


@dataclass(frozen=True)
class StudyHistory:
    """Everything the statistics are worked out from, read once from a collection."""

    reviews: Sequence[Review]  # oldest first
    cards: Sequence[CardStanding]
    decks: Mapping[DeckId, str]  # each deck's name
    today: date
    now: datetime
    rollover_hour: int
    tz: tzinfo | None = None


@dataclass(frozen=True)
class Retention:
    """Reviews of cards in the review phase, and how many of them were passed (Hard or better)."""

    passed: int = 0
    reviews: int = 0

    @property
    def rate(self) -> float | None:
        return self.passed / self.reviews if self.reviews else None

    def __add__(self, other: Retention) -> Retention:
        return Retention(self.passed + other.passed, self.reviews + other.reviews)


@dataclass(frozen=True)
class WeekRetention:
    week: date  # its Monday
    young: Retention
    mature: Retention


@dataclass(frozen=True)
class CardCounts:
    """Cards by state. A suspended card counts as suspended only; young + mature = review."""

    new: int = 0
    learning: int = 0
    review: int = 0
    relearning: int = 0
    young: int = 0
    mature: int = 0
    suspended: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review + self.relearning + self.suspended


@dataclass(frozen=True)
class ButtonUse:
    """How often each answer button was pressed, Again to Easy, by what the card was then."""

    learning: tuple[int, int, int, int] = (0, 0, 0, 0)
    young: tuple[int, int, int, int] = (0, 0, 0, 0)
    mature: tuple[int, int, int, int] = (0, 0, 0, 0)


@dataclass(frozen=True)
class Histogram:
    """How many cards fall in each bin; bin i holds values from edges[i] up to edges[i + 1]."""

    edges: tuple[float, ...]
    labels: tuple[str, ...]
    counts: tuple[int, ...]


@dataclass(frozen=True)
class Statistics:
    period: Period
    first_day: date  # the period's first study day
    today: date
    reviews_by_day: dict[date, int]  # days with no review left out
    streak: int  # study days in a row with a review, up to today (or yesterday, today not yet)
    forecast: tuple[int, ...]  # cards due on each of the next 30 days; overdue ones count today
    retention: tuple[WeekRetention, ...]
    cards: CardCounts
    buttons: ButtonUse
    seconds_by_day: dict[date, float]  # time spent answering, on days with a review
    stability: Histogram  # in days
    retrievability: Histogram  # the chance of recalling each card now, 0 to 1
    average_retrievability: float | None
    parameters: tuple[float, ...] = field(default=())

    @property
    def total_reviews(self) -> int:
        return sum(self.reviews_by_day.values())

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds_by_day.values(), 0.0)


# Upper bounds in days, and how a person reads each bin.
_STABILITY_BINS = ((1, "<1d"), (2, "1d"), (4, "2–3d"), (7, "4–6d"), (14, "1–2w"), (21, "2–3w"),
                   (30, "3w–1mo"), (91, "1–3mo"), (182, "3–6mo"), (365, "6mo–1y"),
                   (730, "1–2y"), (math.inf, "2y+"))
_RETRIEVABILITY_EDGES = tuple(step / 10 for step in range(11))


def compute_statistics(history: StudyHistory, deck_ids: Set[DeckId] | None = None,
                       period: Period = Period.YEAR,
                       scheduler: Scheduler | None = None) -> Statistics:
    """The statistics of the cards in `deck_ids` (None: every deck) over `period`.

    `scheduler` gives the forgetting curve and the parameters shown with it: FSRS's defaults
    unless a caller has fitted ones.
    """
    scheduler = scheduler or Scheduler()
    cards = [c for c in history.cards if deck_ids is None or c.deck_id in deck_ids]
    tally = _tally_reviews(history, deck_ids, period)
    studied = [c.progress for c in cards if c.progress is not None and c.progress.stability]
    recall = [scheduler.retrievability(progress, history.now) for progress in studied]
    return Statistics(
        period=period, first_day=tally.first_day, today=history.today,
        reviews_by_day=dict(sorted(tally.reviews_by_day.items())),
        streak=_streak(tally.days_studied, history.today),
        forecast=_forecast(cards, history),
        retention=tuple(WeekRetention(monday, Retention(*counts[:2]), Retention(*counts[2:]))
                        for monday, counts in tally.retention.items()),
        cards=_card_counts(cards),
        buttons=ButtonUse(**{kind: tuple(counts) for kind, counts in tally.buttons.items()}),
        seconds_by_day=dict(sorted(tally.seconds_by_day.items())),
        stability=_histogram([p.stability for p in studied],
                             (0.0,) + tuple(edge for edge, _label in _STABILITY_BINS),
                             tuple(label for _edge, label in _STABILITY_BINS)),
        retrievability=_histogram(recall, _RETRIEVABILITY_EDGES,
                                  tuple(f"{low * 100:.0f}–{high * 100:.0f}%" for low, high in
                                        zip(_RETRIEVABILITY_EDGES, _RETRIEVABILITY_EDGES[1:]))),
        average_retrievability=sum(recall) / len(recall) if recall else None,
        parameters=parameters_in_use(scheduler),
    )


def parameters_in_use(scheduler: Scheduler) -> tuple[float, ...]:
    """The 21 FSRS-6 parameters `scheduler` predicts with."""
    return tuple(scheduler.settings.parameters or fsrs.Scheduler().parameters)


def deck_and_subdecks(decks: Mapping[DeckId, str], deck_id: DeckId) -> frozenset[DeckId]:
    """A deck and every deck under it (named `Parent::Child`)."""
    parent = decks[deck_id].casefold()
    return frozenset(other for other, name in decks.items()
                     if name.casefold() == parent or name.casefold().startswith(parent + "::"))


def decks_named(decks: Mapping[DeckId, str], name: str) -> frozenset[DeckId]:
    """The decks `deck:NAME` takes in a search: that deck and its subdecks, ignoring case, with `*`
    for any text. Raises SearchError for a name the search cannot read."""
    search = parse_search(f'deck:"{name}"')
    return frozenset(deck_id for deck_id, deck_name in decks.items()
                     if search.takes_deck(deck_name))


def gather_history(collection: Collection) -> StudyHistory:
    """What the statistics need from an open collection. Reads every journal once (through
    `reviews`), so it is done when the statistics are asked for, not at start-up."""
    cards = [CardStanding(card.id, deck.id, collection.progress(card.id),
                          collection.marks(card.id).suspended)
             for deck, card in collection.find_cards()]
    return StudyHistory(
        reviews=collection.reviews(), cards=cards,
        decks={deck.id: deck.name for deck in collection.decks()},
        today=collection.today(), now=collection.clock.now(),
        rollover_hour=collection.settings.rollover_hour, tz=collection.tz)


# -- the figures, one function each -------------------------------------------------------------
@dataclass
class _ReviewTally:
    """What the review history adds up to, gathered in one pass over it."""

    first_day: date
    days_studied: set[date] = field(default_factory=set)  # every day, not only the period's
    reviews_by_day: dict[date, int] = field(default_factory=dict)
    seconds_by_day: dict[date, float] = field(default_factory=dict)
    buttons: dict[str, list[int]] = field(default_factory=lambda: {
        "learning": [0] * 4, "young": [0] * 4, "mature": [0] * 4})
    # Each week's Monday: young passed, young reviews, mature passed, mature reviews.
    retention: dict[date, list[int]] = field(default_factory=dict)


def _tally_reviews(history: StudyHistory, deck_ids: Set[DeckId] | None,
                   period: Period) -> _ReviewTally:
    """One pass over a hundred thousand reviews, rather than one for each figure: the history
    is in time order, so a review's study day is most often the one before's, and a card's
    review before it is the last one seen.

    A review counts for the deck its card is in now, as Anki's do (a card in no deck any more,
    for the deck it was graded in). A review card was mature when the time since its review
    before had reached three weeks: the history does not keep the interval scheduled, which
    differs from that time only for a card studied late.
    """
    deck_of = {card.id: card.deck_id for card in history.cards}
    today, rollover, tz = history.today, history.rollover_hour, history.tz
    tally = _ReviewTally(first_day=today if period.days is None
                         else today - timedelta(days=period.days - 1))
    last_seen: dict[str, datetime] = {}
    mature_after = timedelta(days=MATURE_DAYS)
    start = end = day = monday = None
    for review in history.reviews:
        if deck_ids is not None and deck_of.get(review.card_id, review.deck_id) not in deck_ids:
            continue
        moment = review.time
        if start is None or not start <= moment < end:
            day = study_day(moment, rollover, tz)
            start, end = day_bounds(day, rollover, tz)
            monday = day - timedelta(days=day.weekday())
            tally.days_studied.add(day)
            if period.days is None and not tally.reviews_by_day and day < tally.first_day:
                tally.first_day = day  # all time begins with the first review
        before = last_seen.get(review.card_id)
        last_seen[review.card_id] = moment
        if not tally.first_day <= day <= today:
            continue
        tally.reviews_by_day[day] = tally.reviews_by_day.get(day, 0) + 1
        tally.seconds_by_day[day] = (tally.seconds_by_day.get(day, 0.0)
                                     + (review.duration_ms or 0) / 1000)
        if review.phase_before is not Phase.REVIEW:
            tally.buttons["learning"][review.rating - 1] += 1
            continue
        mature = before is not None and moment - before >= mature_after
        tally.buttons["mature" if mature else "young"][review.rating - 1] += 1
        week = tally.retention.setdefault(monday, [0, 0, 0, 0])
        week[2 if mature else 0] += review.rating > Rating.AGAIN
        week[3 if mature else 1] += 1
    tally.retention = _every_week(tally.retention, tally.first_day, today)
    return tally


def _every_week(weeks: dict[date, list[int]], first_day: date,
                today: date) -> dict[date, list[int]]:
    """Every week from the one holding `first_day` to this one, those with no review too."""
    every, monday = {}, first_day - timedelta(days=first_day.weekday())
    while monday <= today:
        every[monday] = weeks.get(monday, [0, 0, 0, 0])
        monday += timedelta(days=7)
    return every


def _streak(days: set[date], today: date) -> int:
    # A day not studied yet does not break the streak before the day is over.
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def _forecast(cards: Iterable[CardStanding], history: StudyHistory) -> tuple[int, ...]:
    due = [0] * FORECAST_DAYS
    for card in cards:
        progress = card.progress
        if card.suspended or progress is None or progress.phase is Phase.NEW:
            continue
        offset = (study_day(progress.due, history.rollover_hour, history.tz) - history.today).days
        if offset < FORECAST_DAYS:
            due[max(0, offset)] += 1
    return tuple(due)


def _card_counts(cards: Iterable[CardStanding]) -> CardCounts:
    counts: Counter[str] = Counter()
    for card in cards:
        progress = card.progress
        if card.suspended:
            counts["suspended"] += 1
        elif progress is None or progress.phase is Phase.NEW:
            counts["new"] += 1
        else:
            counts[progress.phase.value] += 1
            if progress.phase is Phase.REVIEW:
                counts["mature" if _interval_days(progress) >= MATURE_DAYS else "young"] += 1
    return CardCounts(**counts)


def _interval_days(progress: Progress) -> float:
    if progress.last_review is None:
        return 0.0
    return (progress.due - progress.last_review) / timedelta(days=1)


def _histogram(values: Iterable[float], edges: tuple[float, ...],
               labels: tuple[str, ...]) -> Histogram:
    counts = [0] * (len(edges) - 1)
    for value in values:
        # The last bin takes its upper edge too (a retrievability of exactly 1).
        counts[min(bisect.bisect_right(edges, value) - 1, len(counts) - 1)] += 1
    return Histogram(edges, labels, tuple(counts))
