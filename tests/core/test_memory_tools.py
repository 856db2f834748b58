"""The scheduler fitted to the learner, breaks and backlogs, as the collection records them: each
change is one write and one undo step, and the scheduler follows the parameters kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS
from learner_history import LEARNER, add_learner_history

from flashcards.core import memory_tools
from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.optimiser import Fit, FitCancelled, NotEnoughReviews
from flashcards.core.progress import Phase, Progress, Rating
from flashcards.core.settings import Settings

UTC = timezone.utc
START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
HISTORY_DAYS = 120
TODAY = (START + timedelta(days=HISTORY_DAYS)).date()


@pytest.fixture
def clock():
    return FakeClock(START + timedelta(days=HISTORY_DAYS))


@pytest.fixture
def collection(tmp_path, clock):
    with Collection.open(tmp_path / "data", "laptop", clock=clock, tz=UTC) as collection:
        yield collection


@pytest.fixture
def studied(collection):
    """A collection holding four months of a simulated learner's reviews."""
    add_learner_history(collection, START, days=HISTORY_DAYS)
    return collection


def pretend_fit(monkeypatch, better: bool, parameters=tuple(LEARNER)):
    """Replace the slow fit by one that answers at once, and note what it was given."""
    given = []

    def fit(reviews, start=None, progress_callback=None, cancelled=None):
        given.append((list(reviews), start))
        return Fit(parameters=parameters if better else tuple(start or DEFAULT_PARAMETERS),
                   log_loss_before=0.30, log_loss_after=0.25 if better else 0.31,
                   review_count=len(reviews), better=better, fitted=parameters)

    monkeypatch.setattr(memory_tools, "fit_parameters", fit)
    return given


# -- the parameters setting --------------------------------------------------------------------
def test_fitted_parameters_are_21_numbers_within_the_schedulers_bounds():
    assert Settings.check("fsrs_parameters", LEARNER) == tuple(LEARNER)
    with pytest.raises(ValueError, match="21"):
        Settings.check("fsrs_parameters", LEARNER[:20])
    with pytest.raises(ValueError, match=r"fsrs_parameters\[0\]"):
        Settings.check("fsrs_parameters", [-1.0] + LEARNER[1:])
    with pytest.raises(ValueError):
        Settings.check("fsrs_parameters", "0.2 1.2 3")
    with pytest.raises(ValueError):
        Settings.check("fsrs_parameters", [float("nan")] + LEARNER[1:])


def test_parameters_edited_out_of_bounds_by_hand_leave_the_defaults_in_use():
    settings = Settings.from_values({"fsrs_parameters": [1000.0] * 21, "new_per_day": 5})
    assert settings.fsrs_parameters is None and settings.new_per_day == 5


def test_the_scheduler_schedules_with_the_parameters_set(collection):
    collection.import_deck(Deck("words", "Words", cards=[Card("w1", "front", "back")]))
    collection.change_setting("fuzz", False)
    easy_before = collection.preview("w1")[Rating.EASY].due
    remembers_longer = list(DEFAULT_PARAMETERS)
    remembers_longer[3] = 60.0  # a first Easy holds for two months
    collection.change_setting("fsrs_parameters", remembers_longer)
    easy_after = collection.preview("w1")[Rating.EASY].due
    assert (easy_after - collection.clock.now()).days >= 55 > (easy_before - collection.clock.now()).days
    collection.undo()
    assert collection.preview("w1")[Rating.EASY].due == easy_before


# -- optimise ----------------------------------------------------------------------------------
def test_optimising_fits_the_history_and_keeps_parameters_that_predict_it_better(studied):
    result = studied.optimise()
    assert result.kept and result.log_loss_after < result.log_loss_before
    assert result.review_count > 300
    assert studied.settings.fsrs_parameters == result.parameters != tuple(DEFAULT_PARAMETERS)
    assert result.changes.settings
    assert studied.undo_label == "Optimise"


def test_undoing_an_optimisation_brings_back_the_parameters_before_and_redo_the_fit(studied):
    fitted = studied.optimise().parameters
    changes = studied.undo()
    assert changes.settings and studied.settings.fsrs_parameters is None
    assert studied.redo_label == "Optimise"
    assert studied.redo().settings and studied.settings.fsrs_parameters == fitted


def test_the_fit_starts_from_the_parameters_in_use(studied, monkeypatch):
    given = pretend_fit(monkeypatch, better=True)
    studied.change_setting("fsrs_parameters", DEFAULT_PARAMETERS)
    studied.optimise()
    reviews, start = given[0]
    assert start == tuple(DEFAULT_PARAMETERS)
    assert len(reviews) == len(studied.reviews())


def test_parameters_that_predict_worse_are_not_kept(studied, monkeypatch):
    pretend_fit(monkeypatch, better=False)
    result = studied.optimise()
    assert not result.kept and result.log_loss_after > result.log_loss_before
    assert studied.settings.fsrs_parameters is None
    assert result.parameters == tuple(DEFAULT_PARAMETERS)
    assert not result.changes and studied.undo_label is None


def test_the_fit_runs_from_what_was_read_and_is_kept_afterwards(studied, monkeypatch):
    """How a window runs it: read here, fit elsewhere, keep here."""
    pretend_fit(monkeypatch, better=True)
    request = studied.prepare_fit()
    fit = request.run()
    assert studied.settings.fsrs_parameters is None  # nothing kept until applied
    studied.apply_fit(request, fit)
    assert studied.settings.fsrs_parameters == tuple(LEARNER)


def test_a_cancelled_fit_changes_nothing(studied):
    with pytest.raises(FitCancelled):
        studied.optimise(cancelled=lambda: True)
    assert studied.settings.fsrs_parameters is None
    assert studied.settings_value("optimised_on") is None  # the fit is still to come


def test_a_history_with_nothing_to_predict_is_said_so(collection):
    collection.import_deck(Deck("words", "Words", cards=[Card("w1", "front", "back")]))
    collection.preview("w1")
    collection.grade("w1", Rating.GOOD)
    with pytest.raises(NotEnoughReviews):
        collection.optimise()


def test_the_fit_comes_again_by_itself_after_a_month_and_a_thousand_grades(
        collection, clock, monkeypatch):
    pretend_fit(monkeypatch, better=True)
    add_learner_history(collection, START, cards=200, days=HISTORY_DAYS, deck_id="first")
    assert collection.fit_due()  # never fitted, and over 1,000 grades
    collection.optimise()
    assert not collection.fit_due()
    clock.advance(days=31)
    assert not collection.fit_due()  # a month on, but no new grade
    add_learner_history(collection, START, cards=200, days=HISTORY_DAYS, deck_id="second", seed=2)
    assert collection.fit_due()


def test_the_fit_is_not_due_within_a_month_however_many_grades(collection, clock, monkeypatch):
    pretend_fit(monkeypatch, better=False)
    add_learner_history(collection, START, cards=200, days=HISTORY_DAYS, deck_id="first")
    collection.optimise()
    add_learner_history(collection, START, cards=200, days=HISTORY_DAYS, deck_id="second", seed=2)
    clock.advance(days=29)
    assert not collection.fit_due()


# -- breaks ------------------------------------------------------------------------------------
def review_deck(collection, clock, due_in_days: list[int], deck_id="words") -> list[str]:
    """Review cards last seen ten days ago, each due the given number of days from today."""
    ids = [f"{deck_id}-{n}" for n in range(len(due_in_days))]
    collection.import_deck(Deck(deck_id, deck_id.title(), cards=[Card(i, i, i) for i in ids]),
                           undoable=False)
    now = clock.now()
    for card_id, days in zip(ids, due_in_days):
        _set_progress(collection, card_id, Progress(
            phase=Phase.REVIEW, due=now + timedelta(days=days), stability=10.0 + days,
            difficulty=5.0, last_review=now - timedelta(days=10), reps=3))
    return ids


def _set_progress(collection, card_id, progress):
    """A card as months of study leave it, written as a restored backup writes it: months of
    grades would take a test far longer and say no more."""
    from flashcards.core.events import progress_event

    collection._record(progress_event("elsewhere", collection.clock.now(), card_id, progress))


def test_a_break_moves_the_reviews_due_while_away_and_undo_puts_them_back(collection, clock):
    ids = review_deck(collection, clock, [1, 3, 4, 5, 6, 9, 20])
    before = {card_id: collection.progress(card_id) for card_id in ids}
    plan = collection.plan_break(TODAY + timedelta(days=3), TODAY + timedelta(days=7))
    assert set(plan.new_due()) == {"words-1", "words-2", "words-3", "words-4"}
    changes = collection.apply_plan(plan)
    assert changes.cards == set(plan.new_due()) and changes.decks == {"words"}
    assert collection.undo_label == "Plan break"
    for card_id, due in plan.new_due().items():
        after = collection.progress(card_id)
        assert after.due == due and after == replace(before[card_id], due=due)
    assert collection.progress("words-0") == before["words-0"]
    collection.undo()
    assert {card_id: collection.progress(card_id) for card_id in ids} == before
    collection.redo()
    assert {card_id: collection.progress(card_id).due for card_id in plan.new_due()} == (
        plan.new_due())


def test_a_card_graded_after_the_plan_was_made_stays_where_the_grade_put_it(collection, clock):
    review_deck(collection, clock, [0, 4, 5])
    plan = collection.plan_break(TODAY + timedelta(days=3), TODAY + timedelta(days=7))
    collection.grade("words-1", Rating.GOOD)  # studied ahead, before the plan is applied
    graded = collection.progress("words-1")
    changes = collection.apply_plan(plan)
    assert "words-1" not in changes.cards and collection.progress("words-1") == graded
    assert changes.cards == {"words-2"}


def test_a_moved_break_lasts_through_reopening(tmp_path, clock):
    with Collection.open(tmp_path / "data", "laptop", clock=clock, tz=UTC) as collection:
        review_deck(collection, clock, [4, 5])
        plan = collection.plan_break(TODAY + timedelta(days=3), TODAY + timedelta(days=7))
        collection.apply_plan(plan)
    with Collection.open(tmp_path / "data", "laptop", clock=clock, tz=UTC) as collection:
        assert {card_id: collection.progress(card_id).due
                for card_id in plan.new_due()} == plan.new_due()


def test_a_suspended_card_is_left_out_of_a_break(collection, clock):
    review_deck(collection, clock, [4, 5])
    collection.suspend(["words-0"])
    plan = collection.plan_break(TODAY + timedelta(days=3), TODAY + timedelta(days=7))
    assert set(plan.new_due()) == {"words-1"}


def test_a_break_in_the_past_is_refused(collection, clock):
    with pytest.raises(ValueError):
        collection.plan_break(TODAY - timedelta(days=2), TODAY + timedelta(days=2))


# -- backlogs ----------------------------------------------------------------------------------
def test_a_backlog_over_a_days_limit_is_worth_spreading(collection, clock):
    collection.change_setting("reviews_per_day", 3)
    review_deck(collection, clock, [-5, -4, -3, -2, 0, 2])
    status = collection.backlog_status()
    assert status.overdue == 4 and status.daily_limit == 3 and status.worth_spreading


def test_a_spread_backlog_is_remembered_while_it_lasts_and_undone_in_one_step(collection, clock):
    collection.change_setting("reviews_per_day", 3)
    ids = review_deck(collection, clock, [-9, -8, -7, -6, -5, -4, -3, -2])
    before = {card_id: collection.progress(card_id) for card_id in ids}
    plan = collection.spread_backlog(4)
    assert plan.per_day == {TODAY + timedelta(days=n): 2 for n in range(4)}
    changes = collection.apply_plan(plan)
    assert changes.everything and len(changes.cards) == 6
    assert collection.undo_label == "Spread backlog"
    status = collection.backlog_status()
    assert status.spread == memory_tools.BacklogSpread(TODAY, 4, 2)
    assert status.overdue == 2 and not status.worth_spreading
    clock.advance(days=3)
    assert collection.backlog_status().spread is not None
    clock.advance(days=1)
    assert collection.backlog_status().spread is None  # over after its four days
    clock.advance(days=-4)
    collection.undo()
    assert {card_id: collection.progress(card_id) for card_id in ids} == before
    assert collection.backlog_status().spread is None
    assert collection.backlog_status().worth_spreading
    collection.redo()
    assert collection.backlog_status().spread == memory_tools.BacklogSpread(TODAY, 4, 2)


def test_nothing_overdue_leaves_nothing_to_spread(collection, clock):
    review_deck(collection, clock, [0, 1, 2])
    plan = collection.spread_backlog(3)
    assert not plan.moves and not collection.apply_plan(plan)
    assert collection.undo_label is None


def test_forecasting_the_workload_needs_the_learners_cards_only(studied):
    forecast = studied.workload_forecast()
    assert len(forecast.cards) == 120 and all(card is not None for card in forecast.cards)
    assert forecast.parameters is None and forecast.new_per_day == studied.settings.new_per_day
    workloads = forecast.run(retentions=(0.8, 0.95))
    assert len(workloads[0.8]) == 365
    # Remembering more takes more reviews.
    assert sum(workloads[0.95]) > sum(workloads[0.8])


def test_the_last_fit_remembered_by_hand_in_a_wrong_form_counts_as_never(collection):
    values = {"optimised_on": "yesterday", "optimised_review_count": 5}
    assert memory_tools.fit_due(values, date(2025, 5, 1), 1000)
    assert not memory_tools.fit_due({"optimised_on": "2025-04-20"}, date(2025, 5, 1), 5000)


def test_a_plan_from_progress_read_once_is_the_plan_read_afresh(collection, clock):
    """How a dialog plans as the person picks days: the cards read once, then each plan."""
    review_deck(collection, clock, [1, 3, 4, 5, 6, 9, -3, -2])
    cards = collection.studied_progress()
    away = (TODAY + timedelta(days=3), TODAY + timedelta(days=7))
    assert collection.plan_break(*away, cards) == collection.plan_break(*away)
    assert collection.spread_backlog(3, cards) == collection.spread_backlog(3)
