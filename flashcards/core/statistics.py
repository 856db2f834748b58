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
    deck_of = {card.id: card.deck_id for card in history.cards}
    # A review counts for the deck its card is in now, as Anki's do; a card no longer in any
    # deck, for the deck it was graded in.
    reviews = [r for r in history.reviews
               if deck_ids is None or deck_of.get(r.card_id, r.deck_id) in deck_ids]
    days = _study_days(reviews, history.rollover_hour, history.tz)
    first_day = _first_day(period, history.today, days)
    in_period = [(review, day, mature) for review, day, mature in
                 zip(reviews, days, _mature_at_review(reviews))
                 if first_day <= day <= history.today]
    studied = [c.progress for c in cards if c.progress is not None and c.progress.stability]
    recall = [scheduler.retrievability(progress, history.now) for progress in studied]
    return Statistics(
        period=period, first_day=first_day, today=history.today,
        reviews_by_day=dict(sorted(Counter(day for _r, day, _m in in_period).items())),
        streak=_streak(set(days), history.today),
        forecast=_forecast(cards, history),
        retention=_retention(in_period, first_day, history.today),
        cards=_card_counts(cards),
        buttons=_button_use(in_period),
        seconds_by_day=_seconds_by_day(in_period),
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
    # Collection.marks is on its way; until it lands no card is suspended. Once it has, this
    # getattr goes and every card asks collection.marks(card.id) directly.
    marks = getattr(collection, "marks", None)
    cards = [CardStanding(card.id, deck.id, collection.progress(card.id),
                          bool(marks is not None and marks(card.id).suspended))
             for deck, card in collection.find_cards()]
    return StudyHistory(
        reviews=collection.reviews(), cards=cards,
        decks={deck.id: deck.name for deck in collection.decks()},
        today=collection.today(), now=collection.clock.now(),
        rollover_hour=collection.settings.rollover_hour, tz=collection.tz)


# -- the figures, one function each -------------------------------------------------------------
def _study_days(reviews: Sequence[Review], rollover_hour: int, tz: tzinfo | None) -> list[date]:
    """Each review's study day. The history is in time order, so most reviews fall in the day of
    the one before: the day's bounds are reused rather than worked out again for each review."""
    days: list[date] = []
    start = end = day = None
    for review in reviews:
        if start is None or not start <= review.time < end:
            day = study_day(review.time, rollover_hour, tz)
            start, end = day_bounds(day, rollover_hour, tz)
        days.append(day)
    return days


def _first_day(period: Period, today: date, days: Sequence[date]) -> date:
    if period.days is not None:
        return today - timedelta(days=period.days - 1)
    return min(days[0], today) if days else today


def _mature_at_review(reviews: Sequence[Review]) -> list[bool]:
    """Whether each review's card was mature then: its interval, the time since the card's review
    before, had reached three weeks. (The time since, rather than the interval scheduled: the
    history does not keep the latter, and the two differ only for a card studied late.)"""
    last: dict[str, datetime] = {}
    mature = []
    for review in reviews:
        before = last.get(review.card_id)
        mature.append(before is not None and review.time - before >= timedelta(days=MATURE_DAYS))
        last[review.card_id] = review.time
    return mature


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


def _retention(in_period: Sequence[tuple[Review, date, bool]], first_day: date,
               today: date) -> tuple[WeekRetention, ...]:
    weeks: dict[date, list[Retention]] = {}
    monday = first_day - timedelta(days=first_day.weekday())
    while monday <= today:
        weeks[monday] = [Retention(), Retention()]
        monday += timedelta(days=7)
    for review, day, mature in in_period:
        if review.phase_before is not Phase.REVIEW:
            continue
        young_and_mature = weeks[day - timedelta(days=day.weekday())]
        young_and_mature[1 if mature else 0] += Retention(int(review.rating > Rating.AGAIN), 1)
    return tuple(WeekRetention(monday, young, mature)
                 for monday, (young, mature) in weeks.items())


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


def _button_use(in_period: Iterable[tuple[Review, date, bool]]) -> ButtonUse:
    use = {"learning": [0] * 4, "young": [0] * 4, "mature": [0] * 4}
    for review, _day, mature in in_period:
        kind = ("learning" if review.phase_before is not Phase.REVIEW
                else "mature" if mature else "young")
        use[kind][int(review.rating) - 1] += 1
    return ButtonUse(**{kind: tuple(counts) for kind, counts in use.items()})


def _seconds_by_day(in_period: Iterable[tuple[Review, date, bool]]) -> dict[date, float]:
    seconds: dict[date, float] = {}
    for review, day, _mature in in_period:
        seconds[day] = seconds.get(day, 0.0) + (review.duration_ms or 0) / 1000
    return seconds


def _histogram(values: Iterable[float], edges: tuple[float, ...],
               labels: tuple[str, ...]) -> Histogram:
    counts = [0] * (len(edges) - 1)
    for value in values:
        # The last bin takes its upper edge too (a retrievability of exactly 1).
        counts[min(bisect.bisect_right(edges, value) - 1, len(counts) - 1)] += 1
    return Histogram(edges, labels, tuple(counts))
