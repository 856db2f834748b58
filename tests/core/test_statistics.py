"""The statistics a learner looks at, worked out from a history written by hand."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import fsrs
import pytest

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Phase, Progress, Rating, Review
from flashcards.core.statistics import (CardStanding, Period, Retention, StudyHistory,
                                        compute_statistics, deck_and_subdecks, decks_named,
                                        gather_history)

# Monday 2 March 2026, noon UTC; the day starts at 04:00.
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)
TODAY = date(2026, 3, 2)
DECKS = {"fr": "French", "fr-verbs": "French::Verbs", "frw": "French words", "de": "German"}
_ids = itertools.count()


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.utc)


def review(card: str, when: datetime, rating: Rating = Rating.GOOD,
           phase: Phase = Phase.REVIEW, deck: str = "fr", duration_ms: int | None = 8000) -> Review:
    return Review(id=f"r{next(_ids)}", card_id=card, deck_id=deck, rating=rating, time=when,
                  phase_before=phase, duration_ms=duration_ms)


def studied(phase: Phase = Phase.REVIEW, due: datetime = NOW + timedelta(days=3),
            interval_days: float = 3, stability: float = 3.0) -> Progress:
    return Progress(phase=phase, due=due, stability=stability, difficulty=5.0,
                    last_review=due - timedelta(days=interval_days), reps=3)


def history(reviews=(), cards=(), today=TODAY, now=NOW) -> StudyHistory:
    return StudyHistory(reviews=sorted(reviews, key=lambda r: r.time), cards=list(cards),
                        decks=DECKS, today=today, now=now, rollover_hour=4, tz=timezone.utc)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


# -- reviews per day and the streak ---------------------------------------------------------------
def test_reviews_count_for_the_study_day_they_were_made_on():
    reviews = [review("a", at(TODAY, 9)), review("b", at(TODAY, 9, 5)),
               # 02:00 on Monday is still Sunday's study day: the day starts at 04:00.
               review("a", at(TODAY, 2)), review("c", at(days_ago(3), 20))]
    stats = compute_statistics(history(reviews))
    assert stats.reviews_by_day == {days_ago(3): 1, days_ago(1): 1, TODAY: 2}
    assert stats.total_reviews == 4


def test_the_period_decides_which_days_are_shown():
    reviews = [review("a", at(days_ago(n))) for n in (0, 20, 40, 300, 400)]
    by_period = {period: compute_statistics(history(reviews), period=period)
                 for period in Period}
    assert sorted(by_period[Period.MONTH].reviews_by_day) == [days_ago(20), TODAY]
    assert by_period[Period.MONTH].first_day == days_ago(29)
    assert len(by_period[Period.YEAR].reviews_by_day) == 4
    assert by_period[Period.YEAR].first_day == days_ago(364)
    assert len(by_period[Period.ALL].reviews_by_day) == 5
    assert by_period[Period.ALL].first_day == days_ago(400)


def test_all_time_with_no_history_is_today_alone():
    stats = compute_statistics(history(), period=Period.ALL)
    assert (stats.first_day, stats.reviews_by_day, stats.streak) == (TODAY, {}, 0)


@pytest.mark.parametrize("studied_days_ago, streak", [
    ((0, 1, 2, 4), 3),
    ((1, 2, 3), 3),  # today not studied yet: the streak holds until the day is over
    ((0,), 1),
    ((2, 3), 0),
    ((), 0),
])
def test_the_streak_counts_days_in_a_row_up_to_today(studied_days_ago, streak):
    reviews = [review("a", at(days_ago(n))) for n in studied_days_ago]
    assert compute_statistics(history(reviews), period=Period.MONTH).streak == streak


def test_the_streak_reaches_back_before_the_period():
    reviews = [review("a", at(days_ago(n))) for n in range(45)]
    assert compute_statistics(history(reviews), period=Period.MONTH).streak == 45


# -- what is coming -------------------------------------------------------------------------------
def test_the_forecast_counts_cards_due_each_day_with_overdue_ones_today():
    cards = [
        CardStanding("late", "fr", studied(due=NOW - timedelta(days=5))),
        CardStanding("learning", "fr", studied(Phase.LEARNING, due=NOW + timedelta(minutes=10))),
        CardStanding("in3", "fr", studied(due=at(TODAY + timedelta(days=3)))),
        # 01:00 four days on belongs to the study day before.
        CardStanding("early", "fr", studied(due=at(TODAY + timedelta(days=4), 1))),
        CardStanding("far", "fr", studied(due=NOW + timedelta(days=45))),
        CardStanding("new", "fr", None),
        CardStanding("resting", "fr", studied(due=NOW), suspended=True),
    ]
    forecast = compute_statistics(history(cards=cards)).forecast
    assert len(forecast) == 30
    assert (forecast[0], forecast[3]) == (2, 2)
    assert sum(forecast) == 4


# -- how well -------------------------------------------------------------------------------------
def test_retention_is_the_share_of_review_cards_passed_each_week_young_and_mature_apart():
    monday = TODAY - timedelta(days=7)
    reviews = [
        # Young: reviewed again a few days after the review before.
        review("y", at(monday - timedelta(days=3)), phase=Phase.LEARNING),
        review("y", at(monday), Rating.AGAIN),
        review("y", at(monday + timedelta(days=1)), Rating.HARD, phase=Phase.RELEARNING),
        review("y", at(monday + timedelta(days=3)), Rating.HARD),
        # Mature: a month since the review before.
        review("m", at(monday - timedelta(days=30))),
        review("m", at(monday + timedelta(days=2)), Rating.EASY),
        review("m2", at(monday - timedelta(days=25)), phase=Phase.LEARNING),
        review("m2", at(TODAY), Rating.AGAIN),
    ]
    weeks = {week.week: week for week in compute_statistics(history(reviews)).retention}
    assert weeks[monday].young == Retention(passed=1, reviews=2)
    assert weeks[monday].young.rate == 0.5
    assert weeks[monday].mature == Retention(passed=1, reviews=1)
    # The learning and relearning grades count for no week.
    assert weeks[TODAY].young == Retention()
    assert weeks[TODAY].young.rate is None
    assert weeks[TODAY].mature == Retention(passed=0, reviews=1)


def test_retention_has_a_week_for_each_week_of_the_period_from_monday():
    weeks = compute_statistics(history(), period=Period.MONTH).retention
    assert [week.week.weekday() for week in weeks] == [0] * len(weeks)
    assert weeks[0].week <= days_ago(29) < weeks[0].week + timedelta(days=7)
    assert weeks[-1].week == TODAY  # a Monday
    assert len(weeks) == 6


def test_answer_buttons_are_counted_by_what_the_card_was_then():
    reviews = [
        review("a", at(days_ago(40)), Rating.AGAIN, phase=Phase.NEW),
        review("a", at(days_ago(40), 11), Rating.GOOD, phase=Phase.LEARNING),
        review("a", at(days_ago(38)), Rating.HARD),
        review("a", at(days_ago(5)), Rating.EASY),
        review("a", at(days_ago(4)), Rating.AGAIN),
    ]
    buttons = compute_statistics(history(reviews)).buttons
    assert buttons.learning == (1, 0, 1, 0)
    assert buttons.young == (1, 1, 0, 0)
    assert buttons.mature == (0, 0, 0, 1)
    month = compute_statistics(history(reviews), period=Period.MONTH).buttons
    assert (month.learning, month.young, month.mature) == ((0,) * 4, (1, 0, 0, 0), (0, 0, 0, 1))


def test_time_studied_adds_up_each_days_answers():
    reviews = [review("a", at(TODAY), duration_ms=12_000), review("b", at(TODAY), duration_ms=3_500),
               review("c", at(days_ago(1)), duration_ms=None)]
    stats = compute_statistics(history(reviews))
    assert stats.seconds_by_day == {days_ago(1): 0.0, TODAY: 15.5}
    assert stats.total_seconds == 15.5


# -- the cards ------------------------------------------------------------------------------------
def test_cards_are_counted_by_state_with_review_cards_young_or_mature():
    cards = [
        CardStanding("n1", "fr", None), CardStanding("n2", "fr", None),
        CardStanding("l", "fr", studied(Phase.LEARNING, interval_days=0.01)),
        CardStanding("y", "fr", studied(interval_days=5)),
        CardStanding("m1", "fr", studied(interval_days=21)),
        CardStanding("m2", "fr", studied(interval_days=80)),
        CardStanding("rl", "fr", studied(Phase.RELEARNING, interval_days=0.01)),
        CardStanding("s", "fr", studied(interval_days=80), suspended=True),
        CardStanding("sn", "fr", None, suspended=True),
    ]
    counts = compute_statistics(history(cards=cards)).cards
    assert (counts.new, counts.learning, counts.review, counts.relearning, counts.suspended) == (
        2, 1, 3, 1, 2)
    assert (counts.young, counts.mature) == (1, 2)
    assert counts.total == 9


def forgetting_curve(days: float, stability: float) -> float:
    """FSRS-6: R = (1 + factor * t / S) ** -decay, 90 % when t = S."""
    decay = fsrs.Scheduler().parameters[20]
    factor = 0.9 ** (-1 / decay) - 1
    return (1 + factor * days / stability) ** -decay


def test_stability_and_retrievability_are_spread_in_bins():
    cards = [
        # Just reviewed: remembered for sure.
        CardStanding("fresh", "fr", replace(studied(stability=10.0), last_review=NOW)),
        # A little past its stability's worth of days: recall just under 90 %.
        CardStanding("due", "fr", replace(studied(stability=10.0),
                                          last_review=NOW - timedelta(days=12))),
        CardStanding("old", "fr", replace(studied(stability=0.5),
                                          last_review=NOW - timedelta(days=200))),
        CardStanding("new", "fr", None),
    ]
    stats = compute_statistics(history(cards=cards))
    stability = dict(zip(stats.stability.labels, stats.stability.counts))
    assert stability["<1d"] == 1 and stability["1–2w"] == 2
    assert sum(stats.stability.counts) == 3
    assert len(stats.stability.edges) == len(stats.stability.counts) + 1
    old = forgetting_curve(200, 0.5)
    assert 0.3 < old < 0.4
    recall = dict(zip(stats.retrievability.labels, stats.retrievability.counts))
    assert recall == {"0–10%": 0, "10–20%": 0, "20–30%": 0, "30–40%": 1, "40–50%": 0,
                      "50–60%": 0, "60–70%": 0, "70–80%": 0, "80–90%": 1, "90–100%": 1}
    assert stats.average_retrievability == pytest.approx(
        (1 + forgetting_curve(12, 10) + old) / 3)


def test_the_parameters_are_fsrs_defaults_until_fitted_ones_are_given():
    from flashcards.core.scheduler import Scheduler, SchedulerSettings

    assert compute_statistics(history()).parameters == tuple(fsrs.Scheduler().parameters)
    assert len(compute_statistics(history()).parameters) == 21
    fitted = tuple(fsrs.Scheduler().parameters[:20]) + (0.3,)
    stats = compute_statistics(history(), scheduler=Scheduler(SchedulerSettings(parameters=fitted)))
    assert stats.parameters == fitted


# -- the deck filter ------------------------------------------------------------------------------
def test_a_deck_takes_its_subdecks_and_no_deck_that_only_starts_the_same():
    assert deck_and_subdecks(DECKS, "fr") == {"fr", "fr-verbs"}
    assert deck_and_subdecks(DECKS, "fr-verbs") == {"fr-verbs"}
    assert decks_named(DECKS, "french") == {"fr", "fr-verbs"}
    assert decks_named(DECKS, "French*") == {"fr", "fr-verbs", "frw"}
    assert decks_named(DECKS, "Spanish") == frozenset()


def test_statistics_of_a_deck_count_its_cards_and_their_reviews_only():
    cards = [CardStanding("a", "fr", studied()), CardStanding("v", "fr-verbs", None),
             CardStanding("w", "frw", studied()), CardStanding("g", "de", studied())]
    reviews = [review("a", at(TODAY)), review("v", at(TODAY), phase=Phase.NEW, deck="fr-verbs"),
               review("w", at(TODAY), deck="frw"), review("g", at(days_ago(1)), deck="de"),
               # A card graded in German before it moved to French counts for French now.
               review("a", at(days_ago(1)), deck="de"),
               # A card in no deck any more counts for the deck it was graded in.
               review("gone", at(days_ago(2)), deck="fr")]
    french = compute_statistics(history(reviews, cards), deck_and_subdecks(DECKS, "fr"))
    assert french.reviews_by_day == {days_ago(2): 1, days_ago(1): 1, TODAY: 2}
    assert (french.cards.total, french.cards.new, french.cards.review) == (2, 1, 1)
    assert french.streak == 3
    everything = compute_statistics(history(reviews, cards))
    assert everything.total_reviews == 6 and everything.cards.total == 4


# -- reading a collection -------------------------------------------------------------------------
def graded_collection(tmp_path) -> tuple[Collection, FakeClock]:
    clock = FakeClock(NOW - timedelta(days=2))
    collection = Collection.open(tmp_path / "data", "desk", clock=clock, tz=timezone.utc)
    collection.import_deck(Deck(id="fr", name="French", cards=[
        Card(id=f"fr-{i}", front=f"word {i}", back=f"mot {i}") for i in range(3)]))
    for _day in range(3):
        collection.grade("fr-0", Rating.GOOD, duration_ms=6000)
        clock.advance(days=1)
    clock.set(NOW)
    return collection, clock


def test_the_history_is_read_from_an_open_collection(tmp_path):
    collection, _clock = graded_collection(tmp_path)
    with collection:
        read = gather_history(collection)
    assert [r.card_id for r in read.reviews] == ["fr-0"] * 3
    assert [(c.id, c.deck_id, c.progress is not None, c.suspended) for c in read.cards] == [
        ("fr-0", "fr", True, False), ("fr-1", "fr", False, False), ("fr-2", "fr", False, False)]
    assert (read.today, read.now, read.rollover_hour, read.decks) == (
        TODAY, NOW, 4, {"fr": "French"})
    stats = compute_statistics(read)
    assert stats.reviews_by_day == {days_ago(2): 1, days_ago(1): 1, TODAY: 1}
    assert (stats.streak, stats.cards.new, stats.total_seconds) == (3, 2, 18.0)


def test_a_suspended_card_is_read_from_the_collections_marks_once_it_has_them(tmp_path):
    collection, _clock = graded_collection(tmp_path)
    with collection:
        collection.marks = lambda card_id: SimpleNamespace(  # as Collection.marks will answer
            suspended=card_id == "fr-1", buried=False, flag=0)
        read = gather_history(collection)
    assert [c.id for c in read.cards if c.suspended] == ["fr-1"]
    assert compute_statistics(read).cards.suspended == 1
