"""Daily copies of the snapshot, and turning one back into the collection's state.

Backups live in backups/ as snapshot-<device>-<YYYY-MM-DD>.json, in the snapshot's own format.
Each device keeps its own: every backup from the last 7 days, and the newest one from each of the
4 calendar weeks before those 7 days. Older backups of this device are removed: they are copies of a
state the journals still hold in full.

Restoring never removes a journal event. The journals are the truth, so the restore is itself
recorded as events that set every deck, card and setting that differs back to the backup's value;
other devices read those events and arrive at the same state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from .card_book import FIELDS
from .deck_options import DEFAULT_PRESET
from .events import (card_added_event, card_buried_event, card_edited_event,
                     card_flagged_event, card_moved_event, card_removed_event,
                     card_suspended_event, deck_created_event, deck_preset_event,
                     deck_removed_event, deck_renamed_event, deck_revised_event,
                     preset_saved_event, progress_event, setting_event, setting_removed_event)
from .files import write_atomically
from .snapshot import decode
from .state import CollectionState, Marks

BACKUP_FOLDER = "backups"
DAILY = 7
WEEKLY = 4
_NAME = re.compile(r"^snapshot-(?P<device>[A-Za-z0-9_.-]+)-(?P<day>\d{4}-\d{2}-\d{2})\.json$")


@dataclass(frozen=True)
class Backup:
    day: date
    device: str
    path: Path


def backup_path(folder: Path, device: str, day: date) -> Path:
    return folder / BACKUP_FOLDER / f"snapshot-{device}-{day.isoformat()}.json"


def keep_daily(folder: Path, device: str, day: date, snapshot: bytes) -> Path | None:
    """Keep the day's first snapshot as that day's backup, then drop backups past their time."""
    path = backup_path(folder, device, day)
    if path.exists():
        return None
    path.parent.mkdir(exist_ok=True)
    write_atomically(path, snapshot)
    for backup in expired(list_backups(folder), device, day):
        backup.path.unlink(missing_ok=True)
    return path


def list_backups(folder: Path) -> list[Backup]:
    """Every backup in the folder, from any device, newest first."""
    found = []
    backups = folder / BACKUP_FOLDER
    if not backups.is_dir():
        return []
    for path in backups.iterdir():
        match = _NAME.match(path.name)
        if not match:
            continue
        try:
            day = date.fromisoformat(match["day"])
        except ValueError:
            continue
        found.append(Backup(day, match["device"], path))
    return sorted(found, key=lambda b: (b.day, b.device), reverse=True)


def expired(backups: list[Backup], device: str, today: date) -> list[Backup]:
    """This device's backups that are neither from the last 7 days nor the newest of one of the
    4 most recent calendar weeks before that."""
    mine = [b for b in backups if b.device == device and b.day <= today]
    keep = {b.path for b in mine if (today - b.day).days < DAILY}
    newest_of_week: dict[date, Backup] = {}
    # Calendar weeks, not a sliding window: a week's newest backup stays its newest as days pass.
    for backup in sorted((b for b in mine if b.path not in keep), key=lambda b: b.day):
        newest_of_week[backup.day - timedelta(days=backup.day.weekday())] = backup
    for week in sorted(newest_of_week, reverse=True)[:WEEKLY]:
        keep.add(newest_of_week[week].path)
    return [b for b in mine if b.path not in keep]


def read_backup(path: Path) -> CollectionState:
    """The state a backup holds; raises OSError or snapshot.SnapshotUnreadable."""
    state, _header = decode(Path(path).read_bytes())
    return state


def restore_events(current: CollectionState, backup: CollectionState, device: str,
                   moment: datetime, source: str) -> list[dict]:
    """The events that make `current` equal to `backup`, touching only what differs."""
    note = {"restored_from": source}
    events = _deck_events(current, backup, device, moment, note)
    events += _card_events(current, backup, device, moment, note)
    for card_id in sorted(set(current.marks) | set(backup.marks)):
        events += _mark_events(card_id, current.marks_of(card_id), backup.marks_of(card_id),
                               device, moment)
    for card_id in sorted(set(current.progress) | set(backup.progress)):
        if _progress_values(current, card_id) != _progress_values(backup, card_id):
            events.append(progress_event(device, moment, card_id, backup.progress.get(card_id),
                                         **note))
    missing = object()
    for key, value in backup.settings.items():
        if current.settings.get(key, missing) != value:
            events.append(setting_event(device, moment, key, value, **note))
    for key in current.settings:
        if key not in backup.settings:
            events.append(setting_removed_event(device, moment, key, **note))
    return events + _preset_events(current, backup, device, moment, note)


def _preset_events(current: CollectionState, backup: CollectionState, device: str,
                   moment: datetime, note: dict) -> list[dict]:
    """Deck options presets as the backup has them, and the preset each deck uses."""
    events = []
    for preset_id in sorted(set(current.presets) | set(backup.presets)):
        options = backup.presets.get(preset_id)
        if current.presets.get(preset_id) != options:
            events.append(preset_saved_event(device, moment, preset_id,
                                             None if options is None else options.to_json(),
                                             **note))
    for deck_id in sorted(set(current.deck_presets) | set(backup.deck_presets)):
        preset_id = backup.deck_presets.get(deck_id, DEFAULT_PRESET)
        if current.deck_presets.get(deck_id, DEFAULT_PRESET) != preset_id:
            events.append(deck_preset_event(device, moment, deck_id, preset_id, **note))
    return events


def _deck_events(current: CollectionState, backup: CollectionState, device: str,
                 moment: datetime, note: dict) -> list[dict]:
    events = []
    for deck_id, deck in backup.decks.items():
        here = current.decks.get(deck_id)
        if here is None:
            events.append(deck_created_event(device, moment, deck, **note))
            continue
        if here.name != deck.name:
            events.append(deck_renamed_event(device, moment, deck_id, deck.name, **note))
        if (here.kind, here.description, here.revision) != (deck.kind, deck.description,
                                                           deck.revision):
            events.append(deck_revised_event(device, moment, deck, **note))
    for deck_id in current.decks:
        if deck_id not in backup.decks:
            events.append(deck_removed_event(device, moment, deck_id, **note))
    return events


def _card_events(current: CollectionState, backup: CollectionState, device: str,
                 moment: datetime, note: dict) -> list[dict]:
    """Each card the backup shows, as it shows it, and the cards it does not show removed."""
    events = []
    here = {card.id: (deck_id, card) for deck_id, deck in current.decks.items()
            for card in deck.cards}
    there = {card.id: (deck_id, card) for deck_id, deck in backup.decks.items()
             for card in deck.cards}
    for card_id, (deck_id, card) in there.items():
        if card_id not in here:
            events.append(card_added_event(device, moment, deck_id, card, **note))
            continue
        deck_here, card_here = here[card_id]
        if deck_here != deck_id:
            events.append(card_moved_event(device, moment, card_id, deck_id, **note))
        changed = {name: getattr(card, name) for name in FIELDS
                   if getattr(card, name) != getattr(card_here, name)}
        if changed:
            events.append(card_edited_event(device, moment, card_id, **changed, **note))
    for card_id in here.keys() - there.keys():
        events.append(card_removed_event(device, moment, card_id, **note))
    return events


def _mark_events(card_id: str, here: Marks, there: Marks, device: str,
                 moment: datetime) -> list[dict]:
    events = []
    if here.suspended != there.suspended:
        events.append(card_suspended_event(device, moment, card_id, there.suspended))
    if here.buried_until != there.buried_until:
        until = there.buried_until.isoformat() if there.buried_until else None
        events.append(card_buried_event(device, moment, card_id, until))
    if here.flag != there.flag:
        events.append(card_flagged_event(device, moment, card_id, there.flag))
    return events


def _progress_values(state: CollectionState, card_id: str) -> tuple | None:
    if card_id not in state.progress:
        return None
    return state.progress.values_at(state.progress.row(card_id))
