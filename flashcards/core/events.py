"""The events a device records: each says one thing about one card, one deck or one setting.

Every change to the collection is one or more events; state.py adds them up. Each carries a unique
id, so applying one twice changes nothing and any copy of a journal is harmless.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime

from .deck import Card, Deck, deck_to_json
from .progress import Progress, Review, Phase, Rating, parse_timestamp, utc_text

# 1: the first slice. 2: a grade's event id is its review id; "progress" and "setting_removed".
# 3: "grade_undone". 4: events about one card or one deck ("card_added", "deck_renamed"…), which
# replace whole-deck "deck" events. Each event carries the version that brought its type, so an
# older app on another computer keeps applying the kinds it knows and keeps the others for after
# its update.
EVENT_VERSION = 4
_VERSION_OF_TYPE = {"grade_undone": 3, **dict.fromkeys((
    "deck_created", "deck_revised", "deck_renamed", "card_added", "card_edited", "card_moved",
    "card_removed", "card_suspended", "card_buried", "card_flagged"), 4)}


def timestamp(moment: datetime) -> str:
    """A fixed-width UTC timestamp: such strings sort in time order."""
    return utc_text(moment)


def new_event(event_type: str, device: str, moment: datetime, event_id: str | None = None,
              /, **body) -> dict:
    return _envelope(event_type, device, timestamp(moment), event_id, body)


def _envelope(event_type: str, device: str, time: str, event_id: str | None, body: dict) -> dict:
    return {"v": _VERSION_OF_TYPE.get(event_type, 2), "id": event_id or uuid.uuid4().hex,
            "device": device, "time": time, "type": event_type, **body}


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
    """A whole deck, as versions before per-card events wrote it (kept for tests of old journals)."""
    return new_event("deck", device, moment, deck=deck_to_json(deck), **body)


def deck_created_event(device: str, moment: datetime, deck: Deck, **body) -> dict:
    """A deck's name, kind, description and revision; its cards come in card_added events."""
    return new_event("deck_created", device, moment, deck=deck.id, name=deck.name,
                     kind=deck.kind.value, description=deck.description,
                     revision=deck.revision, **body)


def deck_revised_event(device: str, moment: datetime, deck: Deck, **body) -> dict:
    return new_event("deck_revised", device, moment, deck=deck.id, kind=deck.kind.value,
                     description=deck.description, revision=deck.revision, **body)


def deck_renamed_event(device: str, moment: datetime, deck_id: str, name: str, **body) -> dict:
    return new_event("deck_renamed", device, moment, deck=deck_id, name=name, **body)


def deck_removed_event(device: str, moment: datetime, deck_id: str, **body) -> dict:
    return new_event("deck_removed", device, moment, deck_id=deck_id, **body)


def card_added_event(device: str, moment: datetime, deck_id: str, card: Card,
                     event_id: str | None = None, **body) -> dict:
    return new_event("card_added", device, moment, event_id, card=card.id, deck=deck_id,
                     **card_fields(card), **body)


def card_fields(card: Card) -> dict:
    """A card's fields as events carry them: tags as a list, a warning only when there is one."""
    fields = {"front": card.front, "back": card.back, "tags": list(card.tags)}
    for name in ("warning", "note"):
        if getattr(card, name) is not None:
            fields[name] = getattr(card, name)
    return fields


def card_edited_event(device: str, moment: datetime, card_id: str, **fields) -> dict:
    """Only the fields that changed (front, back, tags, warning); `by_user` for a learner's edit."""
    if "tags" in fields:
        fields["tags"] = list(fields["tags"])
    return new_event("card_edited", device, moment, card=card_id, **fields)


def card_moved_event(device: str, moment: datetime, card_id: str, deck_id: str, **body) -> dict:
    return new_event("card_moved", device, moment, card=card_id, deck=deck_id, **body)


def card_removed_event(device: str, moment: datetime, card_id: str, **body) -> dict:
    return new_event("card_removed", device, moment, card=card_id, **body)


def card_suspended_event(device: str, moment: datetime, card_id: str, suspended: bool) -> dict:
    return new_event("card_suspended", device, moment, card=card_id, suspended=suspended)


def card_buried_event(device: str, moment: datetime, card_id: str, until: str | None) -> dict:
    """`until`: the study day (YYYY-MM-DD) the card shows again; None unburies it."""
    return new_event("card_buried", device, moment, card=card_id, until=until)


def card_flagged_event(device: str, moment: datetime, card_id: str, flag: int) -> dict:
    return new_event("card_flagged", device, moment, card=card_id, flag=flag)


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


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {value!r}")
    return value
