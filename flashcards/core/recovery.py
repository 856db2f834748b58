"""Giving a journal back what it lost, from the snapshot that still holds it.

This device's journal can come back shorter than the snapshot says it was (a sync tool or a backup
program put an older copy in its place), or as another file altogether. The snapshot still holds
every card's progress, every deck and setting as they were; the journals are the truth, though, and
a later rebuild from them would lose whatever only the missing lines held. So what the snapshot
holds and the journals no longer give is written back into the journal as new events: `progress`,
the deck and card events that set each part (deck_created, card_edited, card_suspended…),
`setting` and `setting_removed`, like a restored backup's, each carrying `recovered_from`.

Each event takes the time, `seq` and id of the change it gives back, not the moment of the
recovery: it is that change recorded again, so it wins over exactly what that change won over, a
change made meanwhile on another computer, which is later, still wins over it, and should the
lost line come back too, the two are one change. A recovery interrupted before the snapshot is
replaced therefore finds nothing left to give back the next time. Only the reviews' history
cannot be given back: the snapshot does not hold it.
"""

from __future__ import annotations

from .card_book import FIELDS, CardEntry
from .events import (card_added_event, card_buried_event, card_edited_event, card_flagged_event,
                     card_moved_event, card_removed_event, card_suspended_event,
                     deck_created_event, deck_removed_event, deck_renamed_event,
                     deck_revised_event, progress_event, setting_event, setting_removed_event)
from .progress_table import Key, moment_of
from .state import NO_KEY, CollectionState


def recovery_events(kept: CollectionState, journals: CollectionState, device: str,
                    source: str) -> list[dict]:
    """The events that give back what `kept` (read from a snapshot) holds and `journals` (rebuilt
    from the journals as they are now) does not: every part `kept` set with a later change."""
    note = {"recovered_from": source}
    events = []
    for slot, key in kept.keys.items():
        current = journals.keys.get(slot)
        if current is not None and current >= key:
            continue
        kind, _, name = slot.partition(":")
        event = _part_event(kept, kind, name, device, moment_of(key[0]), note)
        if event is None:
            continue
        events.append(_as_of(event, key))
    events += _card_events(kept, journals, device, note)
    table, other = kept.progress, journals.progress
    for row in table.live_rows():
        key = (table.set_time[row], table.set_seq[row], table.set_by[row])
        card = table.card[row]
        there = other.row(card)
        if there is not None and other.set_by[there] is not None and (
                other.set_time[there], other.set_seq[there], other.set_by[there]) >= key:
            continue
        events.append(_as_of(progress_event(device, moment_of(key[0]), card, table.get(card),
                                            **note), key))
    return events


def _as_of(event: dict, key: Key) -> dict:
    event["id"], event["seq"] = key[2], key[1]
    return event


def _part_event(kept: CollectionState, kind: str, name: str, device: str, moment, note: dict):
    """The event that sets one part of a deck, a card's marks or a setting as `kept` has it."""
    meta = kept.metas.get(name)
    if kind == "deck":
        if name in kept.removed_decks or meta is None:
            return deck_removed_event(device, moment, name, **note)
        return deck_created_event(device, moment, meta, **note)
    if kind == "deck-name" and meta is not None:
        return deck_renamed_event(device, moment, name, meta.name, **note)
    if kind == "deck-info" and meta is not None:
        return deck_revised_event(device, moment, meta, **note)
    marks = kept.marks_of(name)
    if kind == "suspended":
        return card_suspended_event(device, moment, name, marks.suspended)
    if kind == "buried":
        until = marks.buried_until
        return card_buried_event(device, moment, name, until.isoformat() if until else None)
    if kind == "flag":
        return card_flagged_event(device, moment, name, marks.flag)
    if kind == "setting":
        return (setting_event(device, moment, name, kept.settings[name], **note)
                if name in kept.settings else setting_removed_event(device, moment, name, **note))
    return None  # a whole-deck event's listing: its cards are given back one by one


def _card_events(kept: CollectionState, journals: CollectionState, device: str,
                 note: dict) -> list[dict]:
    """For every card, the events giving back each part `kept` set later than the journals."""
    events = []
    for entry in kept.iter_entries():
        there = journals.entry(entry.card.id)
        if entry.placed > (there.placed if there else NO_KEY):
            event = (card_added_event(device, moment_of(entry.placed[0]), entry.deck, entry.card,
                                      **note) if there is None
                     else card_moved_event(device, moment_of(entry.placed[0]), entry.card.id,
                                           entry.deck, **note))
            events.append(_as_of(event, entry.placed))
        for key, fields in _fields_by_key(entry).items():
            if there is None or any(key > there.field_key(name) for name in fields):
                values = {name: getattr(entry.card, name) for name in fields}
                events.append(_as_of(card_edited_event(device, moment_of(key[0]), entry.card.id,
                                                       **values, **note), key))
        if entry.removed is not None and (there is None or there.removed is None
                                          or entry.removed > there.removed):
            events.append(_as_of(card_removed_event(device, moment_of(entry.removed[0]),
                                                    entry.card.id, **note), entry.removed))
    return events


def _fields_by_key(entry: CardEntry) -> dict[Key, list[str]]:
    fields: dict[Key, list[str]] = {}
    for name in FIELDS:
        key = entry.field_key(name)
        if key != NO_KEY:
            fields.setdefault(key, []).append(name)
    return fields
