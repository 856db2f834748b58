"""Matching what a file holds to what the collection already has, so imports never duplicate.

A deck from a file joins the deck with its id or, failing that, the deck of the same name (as
decks do in Anki). A card is the same card when it has the same id, or, for a card whose id the
deck does not know, the same question. What the import then changes is import_plan's to decide.
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
    """The file's deck under the existing deck's id and name, each card under the id of the
    existing card it stands for; and which incoming card ids now stand for an existing card."""
    known = {card.id for card in existing.cards}
    by_front = {card.front: card for card in existing.cards}
    renamed: dict[str, str] = {}
    cards: list[Card] = []
    for card in incoming.cards:
        if card.id not in known and card.front in by_front:
            # Matched only by its question: the card here is left as it is.
            renamed[card.id] = by_front[card.front].id
            card = by_front[card.front]
        cards.append(card)
    name = incoming.name if incoming.id == existing.id else existing.name
    return replace(incoming, id=existing.id, name=name, cards=cards), renamed
