"""Events about one card or deck add up to the same collection whatever order they arrive in."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from collection_views import applied, applied_across_a_snapshot
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.core.deck import Card, Deck
from flashcards.core.events import (card_added_event, card_buried_event, card_edited_event,
                                    card_flagged_event, card_moved_event, card_removed_event,
                                    card_suspended_event, deck_created_event, deck_event,
                                    deck_removed_event, deck_renamed_event)
from flashcards.core.state import CollectionState

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
CARDS = ["c1", "c2", "c3", "c4"]
DECKS = ["d1", "d2"]


def _card(card_id: str, text: str) -> Card:
    return Card(card_id, f"{card_id} {text}", f"back {text}")


def _event(kind: str, minute: int, device: str, card: str, deck: str, text: str) -> dict:
    moment = START + timedelta(minutes=minute)
    if kind == "added":
        return card_added_event(device, moment, deck, _card(card, text))
    if kind == "edited":
        return card_edited_event(device, moment, card, front=f"{card} {text}", by_user=True)
    if kind == "moved":
        return card_moved_event(device, moment, card, deck)
    if kind == "removed":
        return card_removed_event(device, moment, card)
    if kind == "suspended":
        return card_suspended_event(device, moment, card, text < "m")
    if kind == "buried":
        return card_buried_event(device, moment, card, "2026-01-02" if text < "m" else None)
    if kind == "flagged":
        return card_flagged_event(device, moment, card, len(text) % 8)
    if kind == "created":
        return deck_created_event(device, moment, Deck(deck, f"Deck {text}"))
    if kind == "renamed":
        return deck_renamed_event(device, moment, deck, f"Renamed {text}")
    if kind == "deck_removed":
        return deck_removed_event(device, moment, deck)
    # A whole-deck event, as journals written before per-card events hold them.
    listed = [c for c in CARDS if c <= card]
    return deck_event(device, moment, Deck(deck, f"Listed {text}",
                                           cards=[_card(c, text) for c in listed]))


events = st.lists(st.tuples(
    st.sampled_from(["added", "edited", "moved", "removed", "suspended", "buried", "flagged",
                     "created", "renamed", "deck_removed", "whole_deck"]),
    st.integers(0, 20), st.sampled_from(["laptop", "phone"]), st.sampled_from(CARDS),
    st.sampled_from(DECKS), st.text("abcmxyz", min_size=1, max_size=3),
), max_size=30).map(lambda specs: [_with_id(_event(*spec), n) for n, spec in enumerate(specs)])


def _with_id(event: dict, number: int) -> dict:
    event["id"] = f"{number:032x}"  # ids that hypothesis can replay (uuid4 would differ)
    return event


def _seen(state: CollectionState) -> dict:
    """What a learner sees: each deck's name and cards in order, and every card's marks."""
    return {
        "decks": {deck_id: (deck.name, deck.cards) for deck_id, deck in state.decks.items()},
        "rows": {deck_id: [state.progress.card[row] for row in rows]
                 for deck_id, rows in state.deck_rows.items()},
        "marks": dict(state.marks),
    }



@settings(max_examples=150, deadline=None)
@given(events, st.randoms(use_true_random=False))
def test_any_order_of_the_same_events_gives_the_same_collection(events, rng):
    shuffled = list(events)
    rng.shuffle(shuffled)
    assert _seen(applied(events)) == _seen(applied(shuffled))


@settings(max_examples=100, deadline=None)
@given(events, st.integers(0, 30), st.randoms(use_true_random=False))
def test_a_snapshot_taken_midway_gives_the_same_collection_as_the_events(events, cut, rng):
    """Events arriving after a snapshot (in any order) land as they would on the full history."""
    state = applied_across_a_snapshot(events, cut, rng)
    assert _seen(state) == _seen(applied(events))


def test_applying_an_event_twice_changes_nothing():
    rng = random.Random(4)
    made = [_event(kind, rng.randrange(20), "laptop", rng.choice(CARDS), rng.choice(DECKS), "ab")
            for kind in ["created", "added", "edited", "moved", "removed", "added", "flagged"] * 3]
    assert _seen(applied(made + made)) == _seen(applied(made))


def test_a_card_edited_on_one_computer_and_moved_on_another_keeps_both():
    laptop = [deck_created_event("laptop", START, Deck("d1", "French")),
              deck_created_event("laptop", START, Deck("d2", "Spanish")),
              card_added_event("laptop", START, "d1", Card("c1", "chat", "cat"))]
    phone = [card_moved_event("phone", START + timedelta(minutes=2), "c1", "d2")]
    laptop.append(card_edited_event("laptop", START + timedelta(minutes=1), "c1", back="a cat"))
    for order in (laptop + phone, phone + laptop):
        state = applied(order)
        assert state.decks["d1"].cards == ()
        assert state.decks["d2"].cards == (Card("c1", "chat", "a cat"),)


def test_a_card_left_out_of_a_newer_whole_deck_event_is_gone_in_any_order():
    """Journals from before per-card events: a newer deck event without a card took it away."""
    older = deck_event("laptop", START, Deck("d1", "French", cards=[Card("c1", "a", "b"),
                                                                    Card("c2", "c", "d")]))
    newer = deck_event("phone", START + timedelta(minutes=1),
                       Deck("d1", "French", cards=[Card("c1", "a", "b")]))
    for order in ([older, newer], [newer, older]):
        assert [c.id for c in applied(order).decks["d1"].cards] == ["c1"]


def test_removing_a_card_then_adding_it_again_brings_it_back():
    added = card_added_event("laptop", START, "d1", Card("c1", "a", "b"))
    removed = card_removed_event("laptop", START + timedelta(minutes=1), "c1")
    again = card_added_event("laptop", START + timedelta(minutes=2), "d1", Card("c1", "a", "b"))
    created = deck_created_event("laptop", START, Deck("d1", "French"))
    assert applied([created, added, removed]).decks["d1"].cards == ()
    assert applied([again, created, removed, added]).decks["d1"].cards == (Card("c1", "a", "b"),)
