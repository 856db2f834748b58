"""What importing a deck changes, as events about one card or deck, and the events that undo it.

One path for every file format. A deck's `revision` decides what the file may change:
- an older revision than the collection's changes nothing (newer text is never overwritten);
- the same revision adds the cards the collection lacks and brings other cards' text up to the
  file's, except the fields the learner edited;
- a newer revision also takes the file's text over the learner's edits, and takes away the cards
  of the deck that the file no longer has (never the cards the learner added).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .card_book import FIELDS
from .deck import Card, Deck, DeckId
from .events import (card_added_event, card_edited_event, card_removed_event,
                     deck_created_event, deck_removed_event, deck_renamed_event,
                     deck_revised_event)
from .state import CollectionState


@dataclass
class DeckPlan:
    deck_id: DeckId
    name: str
    kind: str
    added: int = 0
    updated: int = 0
    skipped: int = 0
    removed: int = 0
    events: list[dict] = field(default_factory=list)
    undo: list = field(default_factory=list)  # makers of the events that take this back


def plan_deck(state: CollectionState, deck: Deck, device: str, now: datetime) -> DeckPlan:
    meta = state.metas.get(deck.id)
    plan = DeckPlan(deck.id, meta.name if meta and deck.id not in state.removed_decks
                    else deck.name, deck.kind.value)
    existing = state.decks.get(deck.id)
    if existing is None:
        plan.events.append(deck_created_event(device, now, deck))
        plan.undo.append(lambda device, now: deck_removed_event(device, now, deck.id))
    elif deck.revision < existing.revision:
        plan.skipped = len(deck.cards)
        return plan
    elif deck.revision > existing.revision or deck.description != existing.description:
        plan.events.append(deck_revised_event(device, now, deck))
        plan.undo.append(lambda device, now: deck_revised_event(device, now, existing))
        if deck.revision > existing.revision and deck.name != existing.name and \
                not _renamed_by_learner(state, deck.id):
            plan.name = deck.name
            plan.events.append(deck_renamed_event(device, now, deck.id, deck.name))
            plan.undo.append(lambda device, now: deck_renamed_event(device, now, deck.id,
                                                                    existing.name))
    newer = existing is not None and deck.revision > existing.revision
    for card in deck.cards:
        _plan_card(state, plan, deck.id, card, newer, device, now)
    if newer:
        listed = {card.id for card in deck.cards}
        for card in existing.cards:
            entry = state.entry(card.id)
            if card.id not in listed and entry is not None and not entry.by_user:
                plan.removed += 1
                plan.events.append(card_removed_event(device, now, card.id))
                plan.undo.append(_putting_back(deck.id, card))
    return plan


def _plan_card(state: CollectionState, plan: DeckPlan, deck_id: DeckId, card: Card,
               newer: bool, device: str, now: datetime) -> None:
    entry = state.entry(card.id)
    here = entry is not None and state.is_alive(entry) and entry.deck == deck_id
    if not here:
        plan.added += 1
        plan.events.append(card_added_event(device, now, deck_id, card))
        if entry is not None and state.is_alive(entry):
            was = entry.card, entry.deck
            plan.undo.append(lambda device, now: card_added_event(device, now, was[1], was[0]))
        else:
            plan.undo.append(lambda device, now: card_removed_event(device, now, card.id))
        return
    kept = () if newer else entry.edited
    changed = {name: getattr(card, name) for name in FIELDS
               if name not in kept and getattr(card, name) != getattr(entry.card, name)}
    if not changed:
        plan.skipped += 1
        return
    plan.updated += 1
    plan.events.append(card_edited_event(device, now, card.id, **changed))
    before = {name: getattr(entry.card, name) for name in changed}
    plan.undo.append(lambda device, now: card_edited_event(device, now, card.id, **before))


def _renamed_by_learner(state: CollectionState, deck_id: DeckId) -> bool:
    """A name set apart from the deck's text (a rename) is the learner's, kept over a file's."""
    name_key = state.keys.get("deck-name:" + deck_id)
    return name_key is not None and name_key != state.keys.get("deck-info:" + deck_id)


def _putting_back(deck_id: DeckId, card: Card):
    return lambda device, now: card_added_event(device, now, deck_id, card)
