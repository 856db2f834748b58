"""Deck options events add up to the same presets whatever order they arrive in."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from collection_views import applied, applied_across_a_snapshot
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.core.deck_options import DeckOptions
from flashcards.core.events import deck_preset_event, preset_saved_event
from flashcards.core.recovery import recovery_events
from flashcards.core.state import CollectionState

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
PRESETS = ["default", "p1", "p2"]
DECKS = ["d1", "d2", "d3"]


def _event(kind: str, minute: int, device: str, preset: str, deck: str, number: int) -> dict:
    moment = START + timedelta(minutes=minute)
    if kind == "saved":
        options = DeckOptions(name=f"Preset {number}", new_per_day=number)
        return preset_saved_event(device, moment, preset, options.to_json())
    if kind == "removed":
        return preset_saved_event(device, moment, preset, None)
    return deck_preset_event(device, moment, deck, preset)


events = st.lists(st.tuples(
    st.sampled_from(["saved", "removed", "used"]), st.integers(0, 10),
    st.sampled_from(["laptop", "phone"]), st.sampled_from(PRESETS), st.sampled_from(DECKS),
    st.integers(0, 50),
), max_size=25).map(lambda specs: [_with_id(_event(*spec), n) for n, spec in enumerate(specs)])


def _with_id(event: dict, number: int) -> dict:
    event["id"] = f"{number:032x}"
    return event



def _seen(state: CollectionState) -> tuple[dict, dict]:
    return dict(state.presets), dict(state.deck_presets)


@settings(max_examples=150, deadline=None)
@given(events, st.randoms(use_true_random=False))
def test_any_order_of_the_same_preset_events_gives_the_same_presets(events, rng):
    shuffled = list(events)
    rng.shuffle(shuffled)
    assert _seen(applied(events)) == _seen(applied(shuffled))


@settings(max_examples=100, deadline=None)
@given(events, st.integers(0, 25), st.randoms(use_true_random=False))
def test_a_snapshot_taken_midway_gives_the_same_presets_as_the_events(events, cut, rng):
    state = applied_across_a_snapshot(events, cut, rng)
    assert _seen(state) == _seen(applied(events))


def test_applying_preset_events_twice_changes_nothing():
    made = [_event(kind, minute, "laptop", preset, deck, minute)
            for minute, (kind, preset, deck) in enumerate([
                ("saved", "p1", "d1"), ("used", "p1", "d1"), ("removed", "p1", "d1"),
                ("saved", "p2", "d2"), ("used", "p2", "d3")])]
    assert _seen(applied(made + made)) == _seen(applied(made))


def test_a_preset_only_the_snapshot_still_holds_is_given_back_to_the_journal():
    saved = _event("saved", 1, "laptop", "p1", "d1", 4)
    used = _event("used", 2, "laptop", "p1", "d1", 0)
    removed = _event("removed", 3, "laptop", "p2", "d1", 0)
    kept = applied([saved, used, removed])
    given_back = recovery_events(kept, CollectionState(), "laptop", "snapshot")
    assert _seen(applied(given_back)) == _seen(kept)
    assert {event["id"] for event in given_back} == {saved["id"], used["id"], removed["id"]}
