"""What one operation changed, so that whoever shows the collection redraws that and no more.

Every operation of the collection (a grade, an import, an undo...) returns a Changes. A window
updates the deck rows it names instead of reading everything again; `deck_list` or `settings`
mean the whole list may look different (decks added, removed or renamed, or limits changed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .deck import CardId, DeckId


@dataclass(frozen=True)
class Changes:
    # Cards whose text, deck or study state changed.
    cards: frozenset[CardId] = frozenset()
    # Decks whose counts, cards or details changed.
    decks: frozenset[DeckId] = frozenset()
    # Decks were added, removed or renamed: the list itself is different.
    deck_list: bool = False
    # Settings changed (daily limits, the day's start): every count may be different.
    settings: bool = False
    # What the operation created, for callers that need it: a grade's review id.
    created: tuple[str, ...] = field(default=(), compare=False)
    # A card the operation puts back in front of the learner: the card of an undone grade.
    card_to_show: CardId | None = field(default=None, compare=False)

    def __or__(self, other: Changes) -> Changes:
        return Changes(cards=self.cards | other.cards, decks=self.decks | other.decks,
                       deck_list=self.deck_list or other.deck_list,
                       settings=self.settings or other.settings,
                       created=self.created + other.created,
                       card_to_show=other.card_to_show or self.card_to_show)

    def __bool__(self) -> bool:
        return bool(self.cards or self.decks or self.deck_list or self.settings)

    @property
    def everything(self) -> bool:
        """Whether a window should read everything again rather than update a few rows."""
        return self.deck_list or self.settings


NOTHING = Changes()
EVERYTHING = Changes(deck_list=True, settings=True)
