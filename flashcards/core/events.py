"""The events a device records, and the state they add up to.

Every change to the collection is one event. Applying events is a last-writer-wins merge keyed by
(time, seq, event id), so any set of events gives the same state whatever order they arrive in:
that is what lets several devices' journals in a synced folder be merged without a server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime

from .deck import Deck, deck_from_json, deck_to_json
from .progress import Progress, Review, Phase, Rating, parse_timestamp, utc_text
from .progress_table import Key, ProgressTable, micros_of

# 1: the first slice. 2: a grade's event id is its review id; "progress" and "setting_removed".
# 3: "grade_undone". Each event carries the version that brought its type, so an older app on
# another computer keeps applying the kinds it knows and keeps the others for after its update.
EVENT_VERSION = 3
_VERSION_OF_TYPE = {"grade_undone": 3}


def timestamp(moment: datetime) -> str:
    """A fixed-width UTC timestamp: such strings sort in time order."""
    return utc_text(moment)


def new_event(kind: str, device: str, moment: datetime, event_id: str | None = None, **body) -> dict:
    return _envelope(kind, device, timestamp(moment), event_id, body)


def _envelope(kind: str, device: str, time: str, event_id: str | None, body: dict) -> dict:
    return {"v": _VERSION_OF_TYPE.get(kind, 2), "id": event_id or uuid.uuid4().hex,
            "device": device, "time": time, "type": kind, **body}


def grade_event(device: str, review: Review, after: Progress,
                text: Callable[[datetime | None], str | None] = utc_text) -> dict:
    """`text` writes the times: making many grades that share times (a replayed history), a
    caller can pass a memo of utc_text: formatting times was half the cost of making a grade."""
    return _envelope("grade", device, text(review.time), review.id, {
        "card": review.card_id, "deck": review.deck_id, "rating": int(review.rating),
        "phase_before": review.phase_before.value, "duration_ms": review.duration_ms,
        "progress": after.to_json(text),
    })


def random_ids(batch: int = 256) -> Iterator[str]:
    """Endless ids of the form uuid4().hex gives (random, version 4), for making many events at
    once: drawn from the OS a batch at a time rather than building a UUID object for each."""
    while True:
        raw = bytearray(os.urandom(16 * batch))
        raw[6::16] = raw[6::16].translate(_VERSION_4)
        raw[8::16] = raw[8::16].translate(_VARIANT_RFC_4122)
        text = raw.hex()
        yield from (text[start:start + 32] for start in range(0, len(text), 32))


_VERSION_4 = bytes(byte & 0x0F | 0x40 for byte in range(256))
_VARIANT_RFC_4122 = bytes(byte & 0x3F | 0x80 for byte in range(256))


def progress_event(device: str, moment: datetime, card_id: str, progress: Progress | None,
                   **body) -> dict:
    """Set a card's progress without a review (a restored backup); None makes the card new again."""
    return new_event("progress", device, moment, card=card_id,
                     progress=progress.to_json() if progress else None, **body)


def grade_undone_event(device: str, moment: datetime, grade_id: str, card_id: str,
                       before: Progress | None) -> dict:
    """Take a grade back: the card's progress returns to `before` (None: a new card again), and
    the grade leaves the review history. The grade itself stays in the journal."""
    return new_event("grade_undone", device, moment, grade=grade_id, card=card_id,
                     progress=before.to_json() if before else None)


def deck_event(device: str, moment: datetime, deck: Deck, **body) -> dict:
    return new_event("deck", device, moment, deck=deck_to_json(deck), **body)


def deck_removed_event(device: str, moment: datetime, deck_id: str, **body) -> dict:
    return new_event("deck_removed", device, moment, deck_id=deck_id, **body)


def setting_event(device: str, moment: datetime, key: str, value, **body) -> dict:
    return new_event("setting", device, moment, key=key, value=value, **body)


def setting_removed_event(device: str, moment: datetime, key: str, **body) -> dict:
    return new_event("setting_removed", device, moment, key=key, **body)


def review_from_event(event: dict) -> Review:
    """The review a grade event records; raises ValueError if the line does not hold one (a
    journal is a file anyone can edit, or a disk can damage)."""
    try:
        duration = event.get("duration_ms")
        return Review(
            id=_text(event.get("review_id", event["id"])),
            card_id=_text(event["card"]),
            deck_id=_text(event["deck"]),
            rating=Rating(event["rating"]),
            time=parse_timestamp(_text(event["time"])),
            phase_before=Phase(event["phase_before"]),
            duration_ms=duration if type(duration) is int else None,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"not a readable review: {error!r}") from error


class UnknownEvent(ValueError):
    """An event this version cannot apply (malformed, or of a type it does not know)."""


class NewerEvent(UnknownEvent):
    """An event written by a newer version of the app: kept in the journal, applied after an update."""


class CollectionState:
    """Everything the journals add up to, with the key of the event that last set each part."""

    def __init__(self, decks: dict[str, Deck] | None = None, progress: ProgressTable | None = None,
                 settings: dict | None = None, keys: dict[str, Key] | None = None,
                 review_count: int = 0, last_seq: int = 0, skipped_newer: int = 0,
                 deck_rows: dict[str, list[int]] | None = None) -> None:
        self.decks: dict[str, Deck] = decks if decks is not None else {}
        self.progress = progress if progress is not None else ProgressTable()
        self.settings: dict[str, object] = settings if settings is not None else {}
        # The key of the event that last set each deck ("deck:<id>") and setting ("setting:<key>");
        # the cards' keys live in the progress table.
        self.keys: dict[str, Key] = keys if keys is not None else {}
        self.review_count = review_count
        self.last_seq = last_seq
        # Events from a newer app that were kept but not applied: an updated app re-reads them.
        self.skipped_newer = skipped_newer
        self.deck_rows = deck_rows if deck_rows is not None else {
            deck_id: self.progress.rows_for([c.id for c in deck.cards])
            for deck_id, deck in self.decks.items()}
        self._deck_of_card: dict[str, str] | None = None

    # -- merging -------------------------------------------------------------------------------
    def apply(self, event: dict) -> None:
        """Apply one event; raises UnknownEvent and changes nothing when the event cannot be
        applied: from a newer app (NewerEvent), of an unknown type, or malformed in any way."""
        if not isinstance(event, dict):
            raise UnknownEvent(f"{type(event).__name__} where an event should be")
        version = event.get("v")
        if type(version) is not int or version < 1:
            raise UnknownEvent(f"event version {version!r} is not one this app knows")
        if version > EVENT_VERSION:
            raise NewerEvent(f"event version {version} is newer than this app understands")
        handler = _HANDLERS.get(event.get("type"))
        if handler is None:
            raise UnknownEvent(f"unknown event type {event.get('type')!r}")
        try:
            # `seq` orders a device's own events that share a timestamp (a coarse or frozen clock).
            seq = event.get("seq", 0)
            if type(seq) is not int:
                seq = int(seq)
            moment = micros_of(event["time"])
            key = (moment, seq, _text(event["id"]))
            handler(self, event, key)
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
            # Each handler checks everything before it changes anything, so nothing was changed.
            raise UnknownEvent(f"a malformed {event.get('type')} event ({error!r})") from error
        if seq > self.last_seq:
            self.last_seq = seq

    def _apply_grade(self, event: dict, key: Key) -> None:
        progress = event["progress"]
        if not isinstance(progress, dict):
            raise TypeError("a grade without the card's progress")
        self.progress.set_if_newer(_text(event["card"]), progress, key)
        self.review_count += 1

    def _apply_progress(self, event: dict, key: Key) -> None:
        progress = event["progress"]
        if progress is not None and not isinstance(progress, dict):
            raise TypeError("a card's progress that is neither progress nor null")
        self.progress.set_if_newer(_text(event["card"]), progress, key)

    def _apply_grade_undone(self, event: dict, key: Key) -> None:
        _text(event["grade"])  # the history reads it; a line without it is malformed
        self._apply_progress(event, key)

    def _apply_deck(self, event: dict, key: Key) -> None:
        if isinstance(event["deck"], dict):
            deck = deck_from_json(event["deck"])
        else:
            raise TypeError("a deck event without a deck")
        if self._newer("deck:" + deck.id, key):
            self.decks[deck.id] = deck
            self.deck_rows[deck.id] = self.progress.rows_for([c.id for c in deck.cards])
            self._deck_of_card = None

    def _apply_deck_removed(self, event: dict, key: Key) -> None:
        deck_id = _text(event["deck_id"])
        if self._newer("deck:" + deck_id, key):
            self.decks.pop(deck_id, None)
            self.deck_rows.pop(deck_id, None)
            self._deck_of_card = None

    def _apply_setting(self, event: dict, key: Key) -> None:
        name, value = _text(event["key"]), event["value"]
        if self._newer("setting:" + name, key):
            self.settings[name] = value

    def _apply_setting_removed(self, event: dict, key: Key) -> None:
        name = _text(event["key"])
        if self._newer("setting:" + name, key):
            self.settings.pop(name, None)

    def _newer(self, slot: str, key: Key) -> bool:
        current = self.keys.get(slot)
        if current is not None and current >= key:
            return False
        self.keys[slot] = key
        return True

    # -- questions the window asks often -------------------------------------------------------
    def deck_of(self, card_id: str) -> str | None:
        """The id of the deck holding a card, without reading every deck's cards."""
        if self._deck_of_card is None:
            card = self.progress.card
            self._deck_of_card = {}
            for deck_id in self.decks:
                for row in self.deck_rows[deck_id]:
                    self._deck_of_card.setdefault(card[row], deck_id)
        return self._deck_of_card.get(card_id)


_HANDLERS = {
    "grade": CollectionState._apply_grade,
    "progress": CollectionState._apply_progress,
    "grade_undone": CollectionState._apply_grade_undone,
    "deck": CollectionState._apply_deck,
    "deck_removed": CollectionState._apply_deck_removed,
    "setting": CollectionState._apply_setting,
    "setting_removed": CollectionState._apply_setting_removed,
}


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {value!r}")
    return value

