"""Decks and the cards in them: what a person studies, independent of any file format."""

from __future__ import annotations

import enum
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import NewType

# Ids are text, typed apart so that a card's id is never passed where a deck's is wanted.
CardId = NewType("CardId", str)
DeckId = NewType("DeckId", str)


class DeckKind(str, enum.Enum):
    FACT = "fact"
    FAQ = "faq"
    BASIC = "basic"


@dataclass(frozen=True)
class Card:
    """One question and its answer. `front` and `back` are sanitised HTML fragments."""

    id: CardId
    front: str
    back: str
    tags: tuple[str, ...] = ()
    # Why a reader thinks a person should check this card (e.g. text that looks cut off). Kept
    # as "flag" in deck files; not Anki's colour flag, which is one of a card's marks.
    warning: str | None = None
    # The note the card was made from (an Anki note's two sides, its clozes): siblings share it.
    note: str | None = None


@dataclass(frozen=True)
class Deck:
    """A deck and its cards, as a value: a changed deck is a new Deck (see `replace`)."""

    id: DeckId
    name: str
    kind: DeckKind = DeckKind.BASIC
    # A factory, not a plain default: a class attribute would hide a lazily read deck's cards.
    cards: tuple[Card, ...] = field(default_factory=tuple)
    description: str = ""
    # Bumped by whoever publishes the deck, so a newer bundled deck replaces an older one.
    revision: int = 1

    def __post_init__(self) -> None:
        if type(self.cards) is not tuple:
            object.__setattr__(self, "cards", tuple(self.cards))

    def card(self, card_id: CardId) -> Card | None:
        # Built once: grading looks a card up by id, and a deck may hold thousands.
        index = self.__dict__.get("_index")
        if index is None:
            index = self.__dict__["_index"] = {c.id: c for c in self.cards}
        return index.get(card_id)

    def with_cards(self, cards) -> Deck:
        return replace(self, cards=tuple(cards))


def slugify(text: str, max_length: int = 48) -> str:
    """A lowercase ASCII slug for building readable, stable ids.

    Accents are folded ("Café" -> "cafe"); a name with no Latin letters at all gets a short hash,
    so two such names never share an id.
    """
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:max_length].rstrip("-")
    return slug or "h" + hashlib.sha1(text.encode()).hexdigest()[:10]


def stable_card_id(deck_id: str, front: str) -> str:
    """An id derived from the deck and the question, for sources that carry no ids of their own."""
    digest = hashlib.sha1(f"{deck_id}\x1f{front}".encode()).hexdigest()[:12]
    return f"{deck_id}-{digest}"


def card_to_json(card: Card) -> dict:
    """A card as our JSON deck format has it (and the snapshot, which adds its keys)."""
    entry: dict = {"id": card.id, "front": card.front, "back": card.back}
    if card.tags:
        entry["tags"] = list(card.tags)
    if card.warning:
        entry["flag"] = card.warning
    if card.note:
        entry["note"] = card.note
    return entry


def deck_to_json(deck: Deck) -> dict:
    """The deck as it appears in our JSON deck format (docs/deck-format.md), without the envelope."""
    cards = [card_to_json(card) for card in deck.cards]
    data: dict = {"id": deck.id, "name": deck.name, "kind": deck.kind.value, "revision": deck.revision}
    if deck.description:
        data["description"] = deck.description
    data["cards"] = cards
    return data


def deck_from_json(data: dict) -> Deck:
    """The inverse of deck_to_json. Raises KeyError/ValueError/TypeError on a malformed entry."""
    cards = [
        Card(
            id=str(entry["id"]),
            front=str(entry["front"]),
            back=str(entry["back"]),
            tags=tuple(str(tag) for tag in entry.get("tags", ())),
            warning=entry.get("flag"),
            note=entry.get("note"),
        )
        for entry in data["cards"]
    ]
    return Deck(
        id=str(data["id"]),
        name=str(data["name"]),
        kind=DeckKind(data.get("kind", "basic")),
        cards=cards,
        description=str(data.get("description", "")),
        revision=int(data.get("revision", 1)),
    )
