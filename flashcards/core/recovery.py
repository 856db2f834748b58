"""Giving a journal back what it lost, from the snapshot that still holds it.

This device's journal can come back shorter than the snapshot says it was (a sync tool or a backup
program put an older copy in its place), or as another file altogether. The snapshot still holds
every card's progress, every deck and setting as they were; the journals are the truth, though, and
a later rebuild from them would lose whatever only the missing lines held. So what the snapshot
holds and the journals no longer give is written back into the journal as new events: `progress`,
`deck`, `deck_removed`, `setting` and `setting_removed`, like a restored backup's, each carrying
`recovered_from`.

Each event takes the time, `seq` and id of the change it gives back, not the moment of the
recovery: it is that change recorded again, so it wins over exactly what that change won over, a
change made meanwhile on another computer, which is later, still wins over it, and should the
lost line come back too, the two are one change. A recovery interrupted before the snapshot is
replaced therefore finds nothing left to give back the next time. Only the reviews' history
cannot be given back: the snapshot does not hold it.
"""

from __future__ import annotations

from .state import CollectionState
from .events import (deck_event, deck_removed_event, progress_event,
                     setting_event, setting_removed_event)
from .progress_table import Key, moment_of


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
        moment = moment_of(key[0])
        if kind == "deck":
            deck = kept.decks.get(name)
            event = (deck_event(device, moment, deck, **note) if deck is not None
                     else deck_removed_event(device, moment, name, **note))
        elif kind == "setting":
            event = (setting_event(device, moment, name, kept.settings[name], **note)
                     if name in kept.settings
                     else setting_removed_event(device, moment, name, **note))
        else:
            continue
        events.append(_as_of(event, key))
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
