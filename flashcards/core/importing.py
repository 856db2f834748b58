"""What a file reader hands to the collection: decks, plus history and media where the file has them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .deck import Deck
from .progress import Rating


@dataclass(frozen=True)
class ImportedReview:
    """A review found in a file from elsewhere (e.g. an Anki package), to be replayed through FSRS."""

    card_id: str
    time: datetime
    rating: Rating
    duration_ms: int | None = None
    # The review's own id where the file has one (an Anki revlog id): with the card's id, it makes
    # the grade's id, so the same history imported on two computers is one history, not two.
    source_id: str | None = None


@dataclass
class ImportedDecks:
    decks: list[Deck]
    reviews: list[ImportedReview] = field(default_factory=list)
    # File name -> bytes, for images that cards reference as <img src="name">.
    media: dict[str, bytes] = field(default_factory=dict)
    # Things a person should know about the file (flagged cards, skipped notes...).
    warnings: list[str] = field(default_factory=list)
