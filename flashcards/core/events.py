"""The events a device records, and the state they add up to.

Every change to the collection is one event. Applying events is a last-writer-wins merge keyed by
(time, event id), so any set of events gives the same state whatever order they arrive in: that is
what lets several devices' journals in a synced folder be merged without a server.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .deck import Deck, deck_from_json, deck_to_json
from .progress import Phase, Progress, Rating, Review

EVENT_VERSION = 1


def timestamp(moment: datetime) -> str:
    """A fixed-width UTC timestamp: such strings sort in time order."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_timestamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def new_event(kind: str, device: str, moment: datetime, **body) -> dict:
    return {"v": EVENT_VERSION, "id": uuid.uuid4().hex, "device": device,
            "time": timestamp(moment), "type": kind, **body}


def grade_event(device: str, review: Review, after: Progress) -> dict:
    return new_event(
        "grade", device, review.time,
        card=review.card_id, deck=review.deck_id, rating=int(review.rating),
        phase_before=review.phase_before.value, duration_ms=review.duration_ms,
        progress=after.to_json(), review_id=review.id,
    )


def deck_event(device: str, moment: datetime, deck: Deck) -> dict:
    return new_event("deck", device, moment, deck=deck_to_json(deck))


def deck_removed_event(device: str, moment: datetime, deck_id: str) -> dict:
    return new_event("deck_removed", device, moment, deck_id=deck_id)


def setting_event(device: str, moment: datetime, key: str, value) -> dict:
    return new_event("setting", device, moment, key=key, value=value)


def review_from_event(event: dict) -> Review:
    return Review(
        id=event.get("review_id", event["id"]),
        card_id=event["card"],
        deck_id=event["deck"],
        rating=Rating(event["rating"]),
        time=parse_timestamp(event["time"]),
        phase_before=Phase(event["phase_before"]),
        duration_ms=event.get("duration_ms"),
    )


class UnknownEvent(ValueError):
    """An event this version cannot apply (written by a newer version, or malformed)."""


@dataclass
class CollectionState:
    """Everything the journals add up to, with the key of the event that last set each part."""

    decks: dict[str, Deck] = field(default_factory=dict)
    progress: dict[str, Progress] = field(default_factory=dict)
    settings: dict[str, object] = field(default_factory=dict)
    keys: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    review_count: int = 0
    last_seq: int = 0

    def apply(self, event: dict) -> None:
        version = event.get("v")
        if not isinstance(version, int) or version > EVENT_VERSION:
            raise UnknownEvent(f"event version {version!r} is newer than this app understands")
        # `seq` orders a device's own events that share a timestamp (a coarse or frozen clock).
        seq = int(event.get("seq", 0))
        self.last_seq = max(self.last_seq, seq)
        key = (event["time"], seq, event["id"])
        kind = event.get("type")
        if kind == "grade":
            self.review_count += 1
            if self._newer("card:" + event["card"], key):
                self.progress[event["card"]] = Progress.from_json(event["progress"])
        elif kind == "deck":
            deck = deck_from_json(event["deck"])
            if self._newer("deck:" + deck.id, key):
                self.decks[deck.id] = deck
        elif kind == "deck_removed":
            if self._newer("deck:" + event["deck_id"], key):
                self.decks.pop(event["deck_id"], None)
        elif kind == "setting":
            if self._newer("setting:" + event["key"], key):
                self.settings[event["key"]] = event["value"]
        else:
            raise UnknownEvent(f"unknown event type {kind!r}")

    def _newer(self, slot: str, key: tuple[str, int, str]) -> bool:
        current = self.keys.get(slot)
        if current is not None and current >= key:
            return False
        self.keys[slot] = key
        return True

    def to_json(self) -> dict:
        return {
            "decks": {deck_id: deck_to_json(deck) for deck_id, deck in self.decks.items()},
            "progress": {card_id: p.to_json() for card_id, p in self.progress.items()},
            "settings": self.settings,
            "keys": {slot: list(key) for slot, key in self.keys.items()},
            "review_count": self.review_count,
            "last_seq": self.last_seq,
        }

    @classmethod
    def from_json(cls, data: dict) -> CollectionState:
        return cls(
            decks={deck_id: deck_from_json(d) for deck_id, d in data["decks"].items()},
            progress={card_id: Progress.from_json(p) for card_id, p in data["progress"].items()},
            settings=dict(data["settings"]),
            keys={slot: (key[0], int(key[1]), key[2]) for slot, key in data["keys"].items()},
            review_count=int(data.get("review_count", 0)),
            last_seq=int(data.get("last_seq", 0)),
        )
