"""Each card's parts as the journals last set them, and whether a learner sees the card.

A card is placed in a deck by "card_added" or "card_moved" (or, in journals written before
per-card events, by a whole "deck" event listing it); its fields are set by those and by
"card_edited"; "card_removed" takes it away until it is placed again. Each part keeps the key of
the event that last set it and changes only for a newer one, so the journals add up to the same
cards in whatever order they are read: that is what lets devices merge their journals.

A whole-deck event of an older journal also took away the cards of the deck it did not list.
That is kept without remembering the list: such an event places every card it lists at its own
key, so a card placed in that deck at an older key than the deck's latest listing was left out of
it, and is gone.
"""

from __future__ import annotations

from dataclasses import replace

from .deck import Card, CardId, DeckId, card_to_json
from .progress_table import Key

# The parts of a card an edit may change, as card_edited events and Card name them.
FIELDS = ("front", "back", "tags", "warning", "note")


class CardEntry:
    """One card and the keys that decide what a newer or older event may change."""

    __slots__ = ("card", "deck", "placed", "order", "written", "field_keys", "removed",
                 "edited", "by_user", "position")

    def __init__(self, card: Card, deck: DeckId, placed: Key, order: int = 0,
                 written: Key | None = None, field_keys: dict[str, Key] | None = None,
                 removed: Key | None = None, edited: frozenset[str] = frozenset(),
                 by_user: bool = False, position: Key | None = None) -> None:
        self.card = card
        self.deck = deck
        self.placed = placed  # the key of the event that put the card in its deck
        self.order = order  # its place in the whole-deck event that placed it (0 otherwise)
        self.written = written or placed  # the key of the fields not in field_keys
        self.field_keys = field_keys or {}
        self.removed = removed  # the key of the newest card_removed, if any
        self.edited = edited  # the fields whose text the learner wrote, not an import
        self.by_user = by_user  # added by the learner: a newer revision of its deck leaves it
        # Where the card sorts in its deck when not where it was placed: a card put back by
        # Undo keeps the place it had.
        self.position = position

    def field_key(self, name: str) -> Key:
        return self.field_keys.get(name, self.written)

    def alive(self, listed_at: Key | None) -> bool:
        """Whether the learner sees the card (in its deck, if that deck is there).

        `listed_at` is the key of the newest whole-deck event of the card's deck."""
        if self.removed is not None and self.removed >= self.placed:
            return False
        return listed_at is None or listed_at <= self.placed

    @property
    def sorted_at(self) -> Key:
        return self.position or self.placed

    def sort_key(self) -> tuple:
        at = self.sorted_at
        return at[0], at[1], self.order, at[2]

    # -- changes -------------------------------------------------------------------------------
    def place(self, deck: DeckId, key: Key, order: int = 0, position: Key | None = None) -> bool:
        if key <= self.placed:
            return False
        self.deck, self.placed, self.order, self.position = deck, key, order, position
        return True

    def write(self, values: dict, key: Key, by_user: bool = False) -> bool:
        """Set the fields in `values` that no newer event has set; True if any changed."""
        changed = {}
        for name, value in values.items():
            if key > self.field_key(name):
                changed[name] = value
        if not changed:
            return False
        for name in changed:
            self.field_keys[name] = key
        self.card = replace(self.card, **changed)
        self.edited = (self.edited | changed.keys()) if by_user else self.edited - changed.keys()
        self._compact()
        return True

    def remove(self, key: Key) -> bool:
        if self.removed is not None and key <= self.removed:
            return False
        self.removed = key
        return True

    def _compact(self) -> None:
        """Fold field keys that all agree back into `written`, so most cards carry one key."""
        keys = set(self.field_keys.values())
        if len(self.field_keys) == len(FIELDS) and len(keys) == 1:
            self.written = keys.pop()
            self.field_keys = {}

    # -- the snapshot's form -------------------------------------------------------------------
    def to_json(self) -> dict:
        entry = card_to_json(self.card)
        entry["k"] = list(self.placed)
        if self.order:
            entry["o"] = self.order
        if self.written != self.placed:
            entry["w"] = list(self.written)
        if self.field_keys:
            entry["fk"] = {name: list(key) for name, key in self.field_keys.items()}
        if self.removed is not None:
            entry["rm"] = list(self.removed)
        if self.edited:
            entry["ed"] = sorted(self.edited)
        if self.by_user:
            entry["u"] = 1
        if self.position is not None:
            entry["p"] = list(self.position)
        return entry

    @classmethod
    def from_json(cls, entry: dict, deck: DeckId, default_key: Key, order: int) -> CardEntry:
        """An entry of a snapshot; one without keys (written before per-card events) was placed
        by its deck's last whole-deck event, `default_key`, at `order`."""
        card = Card(id=CardId(str(entry["id"])), front=str(entry["front"]),
                    back=str(entry["back"]), tags=tuple(str(t) for t in entry.get("tags", ())),
                    warning=entry.get("flag"), note=entry.get("note"))
        if "k" not in entry:
            return cls(card, deck, default_key, order)
        return cls(card, deck, _key(entry["k"]), int(entry.get("o", 0)),
                   _key(entry["w"]) if "w" in entry else None,
                   {str(name): _key(key) for name, key in entry.get("fk", {}).items()},
                   _key(entry["rm"]) if "rm" in entry else None,
                   frozenset(str(name) for name in entry.get("ed", ())), bool(entry.get("u")),
                   _key(entry["p"]) if "p" in entry else None)


def position_of(event: dict) -> Key | None:
    """Where a card_added or card_moved event puts its card in the deck's order, if it says
    (Undo puts a card back where it was); ValueError or TypeError if malformed."""
    position = event.get("position")
    return None if position is None else _key(position)


def _key(value) -> Key:
    time, seq, event_id = value
    return int(time), int(seq), str(event_id)


def card_values(event: dict) -> dict:
    """The card fields an event sets, checked and in Card's types (ValueError/TypeError if not)."""
    values = {}
    for name in FIELDS:
        if name not in event:
            continue
        value = event[name]
        if name == "tags":
            if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
                raise TypeError("a card's tags must be a list of text")
            value = tuple(value)
        elif name in ("warning", "note"):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"a card's {name} must be text or null")
        elif not isinstance(value, str):
            raise TypeError(f"a card's {name} must be text")
        values[name] = value
    return values
