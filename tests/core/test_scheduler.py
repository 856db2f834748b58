"""Replaying a history gives what grading it one grade at a time gives."""

import random
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.core.progress import Rating
from flashcards.core.scheduler import Scheduler, SchedulerSettings

START = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)

histories = st.lists(
    st.tuples(st.sampled_from(list(Rating)), st.integers(min_value=0, max_value=90 * 86400)),
    min_size=1, max_size=12)


def _grades(history):
    moment, grades = START, []
    for rating, gap in history:
        moment += timedelta(seconds=gap, microseconds=gap % 997)
        grades.append((rating, moment))
    return grades


def _one_at_a_time(scheduler, grades):
    progress, seen = None, []
    for rating, moment in grades:
        progress = scheduler.outcome(progress, rating, moment)
        seen.append(progress)
    return seen


@settings(max_examples=200, deadline=None)
@given(histories, st.booleans(), st.integers(min_value=0, max_value=2**32))
def test_replay_matches_grading_one_at_a_time(history, fuzz, seed):
    scheduler = Scheduler(SchedulerSettings(fuzz=fuzz))
    grades = _grades(history)
    random.seed(seed)
    expected = _one_at_a_time(scheduler, grades)
    random.seed(seed)
    assert list(scheduler.replay(grades)) == expected


def test_a_lapse_counts_and_review_grades_are_dated():
    scheduler = Scheduler(SchedulerSettings(fuzz=False))
    grades = _grades([(Rating.EASY, 0), (Rating.AGAIN, 40 * 86400), (Rating.GOOD, 600)])
    easy, again, good = scheduler.replay(grades)
    assert (easy.reps, again.reps, good.reps) == (1, 2, 3)
    assert (easy.lapses, again.lapses, good.lapses) == (0, 1, 1)
    assert easy.last_review_graded is None and again.last_review_graded == grades[1][1]
    assert good.first_review == grades[0][1]
