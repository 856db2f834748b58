"""Breaks and backlogs: where the plans put each review, and what they leave alone."""

import random
from dataclasses import replace
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from fsrs.scheduler import DEFAULT_PARAMETERS
from hypothesis import strategies as st

from flashcards.core.clock import day_bounds, study_day
from flashcards.core.progress import Phase, Progress
from flashcards.core.scheduler import Scheduler
from flashcards.core.workload import plan_break, spread_backlog

UTC = timezone.utc
ROLLOVER = 4
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
DAY = timedelta(days=1)


def review(last_days_ago: float, interval: float, stability: float | None = None,
           due_days: float | None = None) -> Progress:
    """A review card last reviewed `last_days_ago`, due `interval` days after that."""
    last = NOW - timedelta(days=last_days_ago)
    due = last + timedelta(days=interval) if due_days is None else NOW + timedelta(days=due_days)
    return Progress(phase=Phase.REVIEW, due=due, stability=stability or interval, difficulty=5.0,
                    last_review=last, reps=3)


def day_of(moment: datetime, tz=UTC) -> date:
    return study_day(moment, ROLLOVER, tz)


def a_break(cards, starts_in: int, length: int, cap: int | None = None, **options):
    away_from = TODAY + starts_in * DAY
    return plan_break(cards, away_from, away_from + (length - 1) * DAY, NOW, UTC, ROLLOVER,
                      cap=cap, **options)


def loads(cards, tz=UTC) -> Counter:
    """Reviews per study day as the study queue sees them: overdue ones count on today."""
    return Counter(max(TODAY, day_of(p.due, tz)) for p in cards.values()
                   if p.phase is Phase.REVIEW)


def after_plan(cards, plan):
    moved = plan.new_due()
    return {cid: replace(p, due=moved.get(cid, p.due)) for cid, p in cards.items()}


def a_deck(size: int, seed: int = 1) -> dict:
    """Review cards as years of study leave them: intervals from a day to a year, due any day."""
    rng = random.Random(seed)
    cards = {}
    for number in range(size):
        interval = rng.choice([1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 365])
        elapsed = rng.uniform(0, interval)
        cards[f"c{number}"] = review(elapsed, interval, stability=interval * rng.uniform(0.8, 1.2))
    return cards


# -- a break -----------------------------------------------------------------------------------
def test_every_review_due_during_the_break_moves_out_of_it():
    cards = a_deck(500)
    plan = a_break(cards, starts_in=3, length=10)
    away = {TODAY + offset * DAY for offset in range(3, 13)}
    due_away = {cid for cid, p in cards.items() if day_of(p.due) in away}
    assert due_away and set(plan.new_due()) == due_away
    assert not {day_of(moment) for moment in plan.new_due().values()} & away


def test_a_short_interval_is_brought_before_the_break_and_a_long_one_pushed_after():
    cards = {"short": review(1, 4), "long": review(185, 200)}  # due in 3 and 15 days
    plan = a_break(cards, starts_in=3, length=14)
    assert day_of(plan.new_due()["short"]) == TODAY + 2 * DAY  # the day before the break
    assert day_of(plan.new_due()["long"]) == TODAY + 17 * DAY  # the first day back


def test_when_the_days_before_fill_up_the_short_intervals_get_them():
    shorts = {f"short{n}": review(3, 5) for n in range(30)}
    longs = {f"long{n}": review(198, 200) for n in range(30)}
    plan = a_break(shorts | longs, starts_in=2, length=14, cap=10)
    early = {move.card_id for move in plan.moves if day_of(move.new_due) < TODAY + 2 * DAY}
    assert len(early) == 20 and all(cid.startswith("short") for cid in early)
    assert plan.due_before == {TODAY: 10, TODAY + DAY: 10}


def test_a_card_is_brought_early_only_while_that_costs_less_than_waiting():
    cards = {f"c{n}": review(20, 30) for n in range(4)}  # due 5 days into a 14-day break
    plan = a_break(cards, starts_in=5, length=14, cap=1)
    # Two days before the break are still cheaper than the return; three are not.
    assert plan.due_before == {TODAY + 3 * DAY: 1, TODAY + 4 * DAY: 1}
    assert plan.due_after == {TODAY + 19 * DAY: 1, TODAY + 20 * DAY: 1}


def test_every_card_due_during_the_break_is_placed_once():
    cards = a_deck(500)
    plan = a_break(cards, starts_in=4, length=21, cap=120)
    assert len(plan.moves) == len({move.card_id for move in plan.moves})
    assert sum(plan.due_before.values()) + sum(plan.due_after.values()) == len(plan.moves)
    assert len(after_plan(cards, plan)) == len(cards)


def test_no_day_is_filled_beyond_the_cap():
    cards = a_deck(500)
    cap = max(loads(cards).values()) + 5
    plan = a_break(cards, starts_in=5, length=14, cap=cap)
    assert plan.due_before and plan.due_after
    assert max(loads(after_plan(cards, plan)).values()) <= cap


def test_by_default_no_day_gets_busier_than_the_busiest_around_the_break():
    cards = a_deck(500)
    plan = a_break(cards, starts_in=3, length=10)
    around = [TODAY + n * DAY for n in (*range(3), *range(13, 23))]
    assert plan.cap == max(loads(cards)[day] for day in around)
    assert len(plan.due_after) > 1  # the first day back is full, so the load is spread
    assert max(loads(after_plan(cards, plan)).values()) <= plan.cap


def test_the_cap_never_goes_over_the_reviews_a_day_allows():
    plan = a_break(a_deck(500), starts_in=3, length=10, daily_limit=20)
    assert plan.cap == 20


def test_a_light_deck_shares_the_cards_evenly_over_the_days_around_the_break():
    cards = {f"c{n}": review(2, 5 + n % 7) for n in range(100)}  # all due during the break
    plan = a_break(cards, starts_in=3, length=14)
    assert plan.cap == 100 // 17 + 1  # 3 days before, 14 after
    assert set(plan.due_before.values()) | set(plan.due_after.values()) <= {plan.cap, 100 % 6}


def test_a_day_already_at_the_cap_gets_no_more():
    busy = {f"busy{n}": review(10, 12) for n in range(5)}  # all due the day before the break
    plan = a_break(busy | {"short": review(1, 4)}, starts_in=3, length=14, cap=5)
    assert day_of(plan.new_due()["short"]) == TODAY + DAY


def test_a_card_is_not_brought_back_to_the_day_of_its_last_review():
    cards = {"reviewed today": review(0, 1.5)}  # due tomorrow, when a long break begins
    plan = a_break(cards, starts_in=1, length=20)
    assert day_of(plan.new_due()["reviewed today"]) == TODAY + 21 * DAY


def test_reviews_done_today_count_against_todays_room():
    done = {f"done{n}": replace(review(0, 30), last_review_graded=NOW) for n in range(4)}
    cards = done | {"short": review(2, 3)}  # due tomorrow, the first day of the break
    assert day_of(a_break(cards, starts_in=1, length=14, cap=5).new_due()["short"]) == TODAY
    assert day_of(a_break(cards, starts_in=1, length=14, cap=4).new_due()["short"]) > TODAY


def test_a_break_starting_today_sends_everything_after_it():
    cards = {"soon": review(1, 2), "later": review(30, 35)}
    plan = a_break(cards, starts_in=0, length=7)
    assert plan.due_before == {} and min(plan.due_after) == TODAY + 7 * DAY
    assert sum(plan.due_after.values()) == 2


def test_the_longer_the_break_the_more_lapses_expected():
    cards = a_deck(500)
    figures = [a_break(cards, starts_in=3, length=days).extra_reviews_expected
               for days in (3, 7, 14, 28)]
    assert 0 < figures[0] < figures[1] < figures[2] < figures[3]


def test_a_card_pushed_after_counts_its_lost_retrievability():
    cards = {"long": review(185, 200)}
    plan = a_break(cards, starts_in=3, length=14)
    scheduler, moment = Scheduler(), plan.new_due()["long"]
    lost = scheduler.retrievability(cards["long"], cards["long"].due) \
        - scheduler.retrievability(cards["long"], moment)
    assert plan.extra_reviews_expected == pytest.approx(lost, abs=0.002)


def test_learning_cards_and_cards_due_outside_the_break_stay_where_they_are():
    learning = Progress(phase=Phase.LEARNING, due=NOW + 4 * DAY, step=1, last_review=NOW)
    cards = {"learning": learning, "tomorrow": review(5, 6), "after": review(10, 40),
             "overdue": review(20, 15), "in the break": review(2, 6)}
    plan = a_break(cards, starts_in=3, length=7)
    assert set(plan.new_due()) == {"in the break"}
    assert plan.learning_left == 1


def test_new_due_moments_start_their_study_day_in_the_persons_zone():
    berlin = ZoneInfo("Europe/Berlin")  # summer time begins on 29 March 2026, during the break
    cards = a_deck(500)
    away_from = date(2026, 3, 20)
    plan = plan_break(cards, away_from, date(2026, 4, 3), NOW, berlin, ROLLOVER)
    for moment in plan.new_due().values():
        day = day_of(moment, berlin)
        assert moment == day_bounds(day, ROLLOVER, berlin)[0]
        assert not away_from <= day <= date(2026, 4, 3)


def test_a_plan_for_no_cards_moves_nothing():
    plan = a_break({}, starts_in=2, length=7)
    assert plan.new_due() == {} and plan.extra_reviews_expected == 0
    assert plan.due_before == {} and plan.due_after == {}


def test_a_break_is_a_span_of_days_from_today_on():
    with pytest.raises(ValueError):
        plan_break({}, TODAY + 5 * DAY, TODAY + 4 * DAY, NOW, UTC, ROLLOVER)
    with pytest.raises(ValueError):
        plan_break({}, TODAY - DAY, TODAY + 4 * DAY, NOW, UTC, ROLLOVER)
    with pytest.raises(ValueError):
        plan_break({}, TODAY, TODAY, NOW, UTC, ROLLOVER, daily_limit=0)
    with pytest.raises(ValueError):
        plan_break({}, TODAY, TODAY, NOW, UTC, ROLLOVER, cap=0)


# -- a backlog ---------------------------------------------------------------------------------
def a_backlog(size: int, seed: int = 2) -> dict:
    """Overdue reviews, each last reviewed a whole number of days ago, so the scheduler's
    retrievability (counted in whole days) is exact."""
    rng = random.Random(seed)
    return {f"late{n}": review(rng.randint(10, 400), 0, stability=rng.uniform(1, 300),
                               due_days=-rng.randint(1, 9)) for n in range(size)}


def backlog_days(cards, plan) -> dict:
    """The study day each overdue card is now planned for (today's are not moved)."""
    moved = plan.new_due()
    return {cid: day_of(moved[cid]) if cid in moved else TODAY
            for cid, p in cards.items() if p.phase is Phase.REVIEW and day_of(p.due) < TODAY}


def test_a_backlog_is_spread_evenly_over_the_days():
    cards = a_backlog(103)
    plan = spread_backlog(cards, 7, NOW, UTC, ROLLOVER)
    assert list(plan.per_day) == [TODAY + n * DAY for n in range(7)]
    assert sorted(plan.per_day.values()) == [14] * 2 + [15] * 5
    assert Counter(backlog_days(cards, plan).values()) == plan.per_day


def test_the_cards_most_likely_forgotten_come_first():
    cards = a_backlog(300)
    plan = spread_backlog(cards, 5, NOW, UTC, ROLLOVER)
    scheduler, days = Scheduler(), backlog_days(cards, plan)
    by_day = sorted((day, scheduler.retrievability(cards[cid], NOW)) for cid, day in days.items())
    assert [r for _day, r in by_day] == sorted(r for _day, r in by_day)


def test_cards_not_overdue_are_left_alone():
    learning = Progress(phase=Phase.RELEARNING, due=NOW - 3 * DAY, step=0, stability=2.0,
                        last_review=NOW - 3 * DAY)
    cards = a_backlog(20) | {"today": review(5, 5.1), "tomorrow": review(1, 2),
                             "relearning": learning}
    plan = spread_backlog(cards, 4, NOW, UTC, ROLLOVER)
    assert not {"today", "tomorrow", "relearning"} & set(plan.new_due())
    assert sum(plan.per_day.values()) == 20


def test_the_backlog_kept_for_today_is_not_moved():
    cards = a_backlog(10)
    plan = spread_backlog(cards, 2, NOW, UTC, ROLLOVER)
    assert len(plan.moves) == 5
    assert set(plan.new_due().values()) == {day_bounds(TODAY + DAY, ROLLOVER, UTC)[0]}


def test_no_backlog_plans_nothing():
    plan = spread_backlog({"tomorrow": review(1, 2)}, 3, NOW, UTC, ROLLOVER)
    assert plan.new_due() == {} and set(plan.per_day.values()) == {0}
    with pytest.raises(ValueError):
        spread_backlog({}, 0, NOW, UTC, ROLLOVER)


# -- the invariants, for any cards -------------------------------------------------------------
a_card = st.one_of(
    st.builds(lambda last, interval, ratio, graded: Progress(
        phase=Phase.REVIEW, due=NOW - timedelta(hours=last) + timedelta(hours=interval),
        stability=max(0.1, interval / 24 * ratio), difficulty=5.0,
        last_review=NOW - timedelta(hours=last),
        last_review_graded=NOW - timedelta(hours=last) if graded else None),
        # Hours since the last review: any, or within today (the study day began at 04:00).
        st.integers(0, 24 * 300) | st.integers(0, 6),
        st.integers(1, 24 * 300), st.floats(0.5, 2.0), st.booleans()),
    st.builds(lambda due: Progress(phase=Phase.LEARNING, due=NOW + timedelta(hours=due), step=0),
              st.integers(-48, 24 * 30)),
)
some_cards = st.dictionaries(st.text("abcdef", min_size=1, max_size=6), a_card, max_size=60)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cards=some_cards, starts_in=st.integers(0, 10), length=st.integers(1, 30),
       cap=st.none() | st.integers(1, 12))
def test_any_break_is_planned_within_its_rules(cards, starts_in, length, cap):
    plan = a_break(cards, starts_in, length, cap)
    away_from, away_until = TODAY + starts_in * DAY, TODAY + (starts_in + length - 1) * DAY
    start, end = day_bounds(away_from, ROLLOVER, UTC)[0], day_bounds(away_until, ROLLOVER, UTC)[1]
    due_away = {cid for cid, p in cards.items() if p.phase is Phase.REVIEW and start <= p.due < end}
    assert set(plan.new_due()) == due_away
    for move in plan.moves:
        day = day_of(move.new_due)
        assert not away_from <= day <= away_until
        assert day >= TODAY and (day > away_until or day > day_of(cards[move.card_id].last_review))
        assert move.new_due == day_bounds(day, ROLLOVER, UTC)[0]
    assert sum(plan.due_before.values()) + sum(plan.due_after.values()) == len(due_away)
    assert plan.extra_reviews_expected >= 0
    back = day_bounds(away_until + DAY, ROLLOVER, UTC)[0]
    on_return = {m.card_id: forgetting_curve(cards[m.card_id], back) for m in plan.moves}
    for move in plan.moves:
        if move.new_due < start:  # brought early only where that costs less than waiting
            assert move.new_retrievability - move.old_retrievability \
                < move.old_retrievability - on_return[move.card_id]
    after = sorted((m.new_due, on_return[m.card_id]) for m in plan.moves if m.new_due >= end)
    assert [r for _due, r in after] == sorted(r for _due, r in after)  # the most at risk first
    done_today = sum(1 for p in cards.values() if p.last_review_graded
                     and day_of(p.last_review_graded) == TODAY)
    before, after = loads(cards), loads(after_plan(cards, plan))
    before[TODAY] += done_today
    after[TODAY] += done_today
    for day in set(plan.due_before) | set(plan.due_after):
        assert after[day] <= max(plan.cap, before[day])
    assert cap is None or plan.cap == cap


@settings(max_examples=150, deadline=None)
@given(cards=some_cards, days=st.integers(1, 15))
def test_any_backlog_is_spread_within_its_rules(cards, days):
    plan = spread_backlog(cards, days, NOW, UTC, ROLLOVER)
    overdue = {cid for cid, p in cards.items()
               if p.phase is Phase.REVIEW and day_of(p.due) < TODAY}
    assert set(plan.new_due()) <= overdue
    counts = list(plan.per_day.values())
    assert len(counts) == days and sum(counts) == len(overdue)
    assert max(counts) - min(counts) <= 1 and counts == sorted(counts, reverse=True)
    planned = backlog_days(cards, plan)
    assert Counter(planned.values()) == +Counter(plan.per_day)
    by_day = sorted((day, forgetting_curve(cards[cid], NOW)) for cid, day in planned.items())
    assert [r for _day, r in by_day] == sorted(r for _day, r in by_day)


def forgetting_curve(progress: Progress, moment: datetime) -> float:
    """FSRS-6's retrievability in fractional days (the scheduler counts whole days)."""
    decay = DEFAULT_PARAMETERS[20]
    elapsed = (moment - progress.last_review).total_seconds() / 86400
    return (1 + (0.9 ** (-1 / decay) - 1) * elapsed / progress.stability) ** -decay
