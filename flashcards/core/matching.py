"""Matching what a file holds to what the collection already has, so imports never duplicate.

An import adds to a deck and never takes cards away from it. A deck from a file joins the deck
with its id or, failing that, the deck of the same name (as decks do in Anki). A card is the same
card when it has the same id, or, for a card whose id the deck does not know, the same question.
"""

from __future__ import annotations

from dataclasses import replace

from .deck import Card, Deck
from .importing import ImportedDecks


def matched_to(existing_decks: list[Deck], imported: ImportedDecks) -> ImportedDecks:
    """`imported`, joined to the decks the collection already holds."""
    by_id = {deck.id: deck for deck in existing_decks}
    by_name = {deck.name: deck for deck in existing_decks}
    renamed: dict[str, str] = {}
    decks = []
    for deck in imported.decks:
        existing = by_id.get(deck.id) or by_name.get(deck.name)
        if existing is None:
            decks.append(deck)
            continue
        joined, card_ids = _joined(existing, deck)
        renamed.update(card_ids)
        decks.append(joined)
    if not renamed:
        return replace(imported, decks=decks)
    reviews = [replace(r, card_id=renamed.get(r.card_id, r.card_id)) for r in imported.reviews]
    return replace(imported, decks=decks, reviews=reviews)


def _joined(existing: Deck, incoming: Deck) -> tuple[Deck, dict[str, str]]:
    """The existing deck, its cards updated from the file and the file's new cards added at the
    end; and which incoming card ids now stand for an existing card."""
    known = {card.id for card in existing.cards}
    by_front = {card.front: card.id for card in existing.cards}
    updated: dict[str, Card] = {}
    renamed: dict[str, str] = {}
    added: list[Card] = []
    for card in incoming.cards:
        if card.id in known:
            updated[card.id] = card
        elif card.front in by_front:
            renamed[card.id] = by_front[card.front]
        else:
            added.append(card)
    cards = [updated.get(card.id, card) for card in existing.cards] + added
    name = incoming.name if incoming.id == existing.id else existing.name
    return Deck(id=existing.id, name=name, kind=existing.kind, cards=cards,
                description=existing.description, revision=existing.revision), renamed
