"""Deck options presets: each deck studies and is scheduled by its own preset's options."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.deck_options import (DEFAULT_PRESET, DeckOptions, format_steps,
                                          parse_parameters, parse_steps)
from flashcards.core.progress import Phase, Rating

UTC = timezone.utc


def words(deck_id: str, name: str, count: int) -> Deck:
    return Deck(deck_id, name, cards=[Card(f"{deck_id}-{i}", f"{name} {i}?", f"answer {i}")
                                      for i in range(count)])


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 3, 3, 9, tzinfo=UTC))


@pytest.fixture
def collection(tmp_path, clock):
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as collection:
        collection.import_deck(words("french", "French", 30))
        collection.import_deck(words("spanish", "Spanish", 30))
        yield collection


def reopened(collection: Collection, clock) -> Collection:
    folder = collection.store.folder
    collection.close()
    return Collection.open(folder, "laptop", clock=clock, tz=UTC)


def study(collection, deck_id, rating=Rating.GOOD):
    card = collection.next_card(deck_id)
    collection.preview(card.id)
    collection.grade(card.id, rating)
    return card


# -- the options themselves ---------------------------------------------------------------------
def test_steps_read_and_written_as_anki_writes_them():
    assert parse_steps("1m 10m") == (1.0, 10.0)
    assert parse_steps("30s 1h, 2d 15") == (0.5, 60.0, 2880.0, 15.0)
    assert parse_steps("") == ()
    assert format_steps((1.0, 10.0, 60.0, 1440.0, 0.5)) == "1m 10m 1h 1d 30s"
    with pytest.raises(ValueError, match="“10x” is not a step"):
        parse_steps("1m 10x")


@pytest.mark.parametrize("change, message", [
    ({"name": "  "}, "A preset needs a name."),
    ({"new_per_day": -1}, "New cards/day must be between 0 and 9999."),
    ({"reviews_per_day": 2.5}, "Maximum reviews/day must be a whole number."),
    ({"learning_steps": (0,)}, "Learning steps must each be more than 0"),
    ({"desired_retention": 0.5}, "Desired retention must be between 0.70 and 0.99."),
    ({"maximum_interval_days": 0}, "Maximum interval must be between 1 and 36500."),
    ({"leech_action": "delete"}, "Leech action must be"),
    ({"parameters": (1.0,) * 3}, "FSRS parameters must be 21 numbers."),
])
def test_a_value_out_of_range_is_refused_in_one_line(change, message):
    with pytest.raises(ValueError, match=message) as raised:
        DeckOptions(**change)
    assert "\n" not in str(raised.value)


def test_options_go_through_json_and_ignore_fields_of_a_newer_app():
    options = DeckOptions(name="Hard words", learning_steps=(1.0, 5.0, 30.0),
                          parameters=tuple(DEFAULT_PARAMETERS))
    assert DeckOptions.from_json({**options.to_json(), "new_field": 3}) == options
    assert parse_parameters(", ".join(map(str, DEFAULT_PARAMETERS))) == tuple(DEFAULT_PARAMETERS)
    assert parse_parameters("  ") is None


# -- presets in the collection ------------------------------------------------------------------
def test_default_takes_its_values_from_the_settings_so_old_folders_study_as_before(collection):
    collection.change_setting("new_per_day", 7)
    preset, options = collection.deck_options("french")
    assert preset == DEFAULT_PRESET
    assert (options.name, options.new_per_day, options.reviews_per_day) == ("Default", 7, 200)
    assert collection.counts("french").new == 7


def test_each_deck_studies_under_its_own_presets_limits(collection, clock):
    slow = collection.save_preset(None, DeckOptions(name="Slow", new_per_day=3)).created[0]
    collection.use_preset(["spanish"], slow)
    assert collection.counts("spanish").new == 3
    assert collection.counts("french").new == 20
    for _ in range(3):
        study(collection, "spanish", Rating.EASY)
    assert collection.counts("spanish").new == 0
    assert collection.next_card("spanish") is None
    assert collection.deck_options("spanish") == (slow, collection.presets()[slow])


def test_a_preset_is_shared_and_changing_it_changes_every_deck_using_it(collection):
    shared = collection.save_preset(None, DeckOptions(name="Shared", new_per_day=5)).created[0]
    collection.use_preset(["french", "spanish"], shared)
    collection.save_preset(shared, replace(collection.presets()[shared], new_per_day=2))
    assert collection.counts("french").new == collection.counts("spanish").new == 2
    assert collection.decks_using(shared) == ["french", "spanish"]


def test_saving_default_changes_the_settings_it_reads(collection):
    default = collection.presets()[DEFAULT_PRESET]
    changes = collection.save_preset(DEFAULT_PRESET, replace(default, new_per_day=4,
                                                             learning_steps=(2.0,)))
    assert changes.settings
    assert collection.settings.new_per_day == 4
    assert collection.presets()[DEFAULT_PRESET].learning_steps == (2.0,)
    collection.undo()
    assert collection.settings.new_per_day == 20
    assert collection.presets()[DEFAULT_PRESET] == default


def test_removing_a_preset_brings_its_decks_back_to_default_and_undo_returns_them(collection):
    slow = collection.save_preset(None, DeckOptions(name="Slow", new_per_day=1)).created[0]
    collection.use_preset(["french"], slow)
    collection.remove_preset(slow)
    assert list(collection.presets()) == [DEFAULT_PRESET]
    assert collection.deck_options("french")[0] == DEFAULT_PRESET
    assert collection.counts("french").new == 20
    assert collection.undo_label == "Remove preset"
    collection.undo()
    assert collection.deck_options("french")[0] == slow
    assert collection.counts("french").new == 1
    with pytest.raises(ValueError, match="Default preset cannot be removed"):
        collection.remove_preset(DEFAULT_PRESET)


def test_every_preset_operation_is_undone_step_by_step(collection):
    slow = collection.save_preset(None, DeckOptions(name="Slow", new_per_day=1)).created[0]
    collection.use_preset(["french"], slow)
    collection.save_preset(slow, DeckOptions(name="Slower", new_per_day=0))
    assert collection.counts("french").new == 0
    assert collection.undo_label == "Change deck options"
    collection.undo()
    assert collection.counts("french").new == 1
    assert collection.undo_label == "Change preset"
    collection.undo()
    assert collection.counts("french").new == 20
    assert collection.undo_label == "Add preset"
    collection.undo()
    assert list(collection.presets()) == [DEFAULT_PRESET]


def test_presets_and_their_decks_survive_a_restart(collection, clock):
    slow = collection.save_preset(None, DeckOptions(name="Slow", new_per_day=3,
                                                    learning_steps=(5.0,))).created[0]
    collection.use_preset(["spanish"], slow)
    collection.save_snapshot()
    collection.save_preset(None, DeckOptions(name="After the snapshot"))
    again = reopened(collection, clock)
    try:
        assert [options.name for options in again.presets().values()] == [
            "Default", "After the snapshot", "Slow"]
        assert again.deck_options("spanish") == (slow, again.presets()[slow])
        assert again.counts("spanish").new == 3
    finally:
        again.close()


# -- scheduling -------------------------------------------------------------------------------
def test_grading_uses_the_steps_of_the_cards_own_deck(collection, clock):
    quick = collection.save_preset(None, DeckOptions(name="Quick", learning_steps=(3.0, 30.0)))
    collection.use_preset(["spanish"], quick.created[0])
    now = clock.now()
    spanish = study(collection, "spanish", Rating.AGAIN)
    french = study(collection, "french", Rating.AGAIN)
    assert collection.progress(spanish.id).due - now == timedelta(minutes=3)
    assert collection.progress(french.id).due - now == timedelta(minutes=1)


def test_the_maximum_interval_caps_what_a_grade_gives(collection, clock):
    collection.change_setting("fuzz", False)
    short = collection.save_preset(None, DeckOptions(name="Short", maximum_interval_days=2,
                                                     learning_steps=()))
    collection.use_preset(["spanish"], short.created[0])
    card = study(collection, "spanish", Rating.EASY)
    assert collection.progress(card.id).due - clock.now() <= timedelta(days=2)


def test_changing_options_takes_effect_at_once_and_reschedules_nothing(collection, clock):
    collection.change_setting("fuzz", False)
    card = study(collection, "french", Rating.EASY)
    due = collection.progress(card.id).due
    default = collection.presets()[DEFAULT_PRESET]
    collection.save_preset(DEFAULT_PRESET, replace(default, desired_retention=0.97,
                                                   maximum_interval_days=1))
    assert collection.progress(card.id).due == due
    clock.advance(days=30)
    outcome = collection.preview(card.id)[Rating.EASY]
    assert outcome.due - clock.now() == timedelta(days=1)


def test_a_preset_without_parameters_uses_the_fitted_ones_when_there_are_some(collection, clock):
    collection.change_setting("fuzz", False)
    card = collection.next_card("french")
    default_easy = collection.preview(card.id)[Rating.EASY]
    fitted = list(DEFAULT_PARAMETERS)
    fitted[3] = 40.0  # a first Easy remembered for much longer
    collection.change_setting("fsrs_parameters", fitted)
    fitted_easy = collection.preview(card.id)[Rating.EASY]
    assert fitted_easy.stability == pytest.approx(40.0)
    assert fitted_easy.due > default_easy.due
    own = collection.save_preset(None, DeckOptions(name="Own",
                                                   parameters=tuple(DEFAULT_PARAMETERS)))
    collection.use_preset(["french"], own.created[0])
    assert collection.preview(card.id)[Rating.EASY].stability == default_easy.stability


def test_a_card_graded_after_its_deck_changes_preset_follows_the_new_one(collection, clock):
    card = collection.next_card("french")
    collection.preview(card.id)  # on screen under Default...
    slow = collection.save_preset(None, DeckOptions(name="Slow", learning_steps=(7.0,)))
    collection.use_preset(["french"], slow.created[0])  # ...when the deck changes preset
    now = clock.now()
    collection.grade(card.id, Rating.AGAIN)
    progress = collection.progress(card.id)
    assert progress.phase is Phase.LEARNING and progress.due - now == timedelta(minutes=7)


# -- leeches ----------------------------------------------------------------------------------
def lapse(collection, clock, card_id, times):
    """Let a review card come due and forget it, `times` times."""
    for _ in range(times):
        clock.advance(days=60)
        collection.preview(card_id)
        collection.grade(card_id, Rating.AGAIN)
        collection.preview(card_id)
        collection.grade(card_id, Rating.GOOD)  # out of relearning, a review card again


@pytest.mark.parametrize("action, suspended", [("suspend", True), ("tag", False)])
def test_a_card_forgotten_leech_threshold_times_is_tagged_and_maybe_suspended(
        collection, clock, action, suspended):
    leechy = collection.save_preset(None, DeckOptions(name="Leechy", leech_threshold=3,
                                                      leech_action=action, learning_steps=(),
                                                      relearning_steps=()))
    collection.use_preset(["french"], leechy.created[0])
    card = study(collection, "french", Rating.EASY)
    lapse(collection, clock, card.id, 2)
    assert "leech" not in collection.card(card.id)[1].tags
    clock.advance(days=60)
    collection.preview(card.id)
    collection.grade(card.id, Rating.AGAIN)
    assert collection.progress(card.id).lapses == 3
    assert "leech" in collection.card(card.id)[1].tags
    assert collection.marks(card.id).suspended is suspended
    collection.undo()
    assert "leech" not in collection.card(card.id)[1].tags
    assert not collection.marks(card.id).suspended


def test_the_review_screen_says_when_a_card_became_a_leech_only_tagged(collection, clock):
    from flashcards.core.review import ReviewSession

    tagging = collection.save_preset(None, DeckOptions(name="Tagging", leech_threshold=2,
                                                       leech_action="tag", learning_steps=(),
                                                       relearning_steps=()))
    collection.use_preset(["french"], tagging.created[0])
    card = study(collection, "french", Rating.EASY)
    lapse(collection, clock, card.id, 1)
    clock.advance(days=60)
    session = ReviewSession(collection, "french")
    assert session.card.id == card.id
    session.show_answer()
    session.grade(Rating.AGAIN)
    assert session.take_notice() == ("This card is a leech: it was forgotten 2 times and is now "
                                     "tagged leech.")
    assert not collection.marks(card.id).suspended
