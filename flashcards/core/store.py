"""The progress store: plain JSON files in the data folder (docs/storage.md describes them).

  journal-<device>.jsonl      this device's events, one JSON object a line, append-only, in
  journal-<device>@0002.jsonl segments of a few MB (journal.SEGMENT_BYTES)
  snapshot-<device>.json      the merged state and how far into each journal it has read
  backups/                    daily copies of the snapshot
  damaged/                    anything unreadable, set aside instead of deleted
  superseded/                 snapshots replaced by a rebuild, kept in case they are needed
Each device writes only its own files, so a file-sync tool never sees two writers on one file.
Today's state is the merge of every journal; the snapshot only saves replaying them all. The copies
a sync tool makes of a journal that changed on two sides are merged and never written to (see
journal_files and Store._merge_copies).

A store opened to change the folder holds this device's lock (one writer at a time). A store
opened only to read (`open(read_only=True)`) takes no lock and writes, cuts or moves nothing: what
it cannot read it reports and leaves where it is, and a journal's unfinished last line, which a
writer may be appending right now, is simply not read yet.
"""

from __future__ import annotations

import errno
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from . import backups as backup_files
from . import journal as journal_module
from .events import EVENT_VERSION, NewerEvent, UnknownEvent
from .state import CollectionState
from .files import write_atomically
from .journal import Journal, ReadPoint, lines_from, read_lines, read_point, recorded_point, split_damaged
from .json_text import parse as parse_json
from .journal_files import (JournalFile, event_id, find_journals, ids_in, journal_name,
                            parse_journal_name)
from .recovery import recovery_events
from .state import DamagedLater
from .snapshot import (SNAPSHOT_VERSION, OlderSnapshot, SnapshotUnreadable, collector_paused,
                       encode)
from .snapshot import read as read_snapshot

__all__ = ["DataFolderInUse", "LoadReport", "Store", "StoreError"]

_DEVICE_ID = re.compile(r"[A-Za-z0-9_.-]+")
# How often a long reading of the journals tells how far it has come (see Store's `progress`).
_PROGRESS_LINES = 4096


class StoreError(Exception):
    """A problem with the data folder, worded for the person using the app."""


class DataFolderInUse(StoreError):
    pass


@dataclass
class LoadReport:
    """What opening (or refreshing) the store found that a person should hear about."""

    warnings: list[str] = field(default_factory=list)
    rebuilt: bool = False
    # The snapshot was in an older format, read and converted in memory.
    converted: bool = False
    lines_read: int = 0

    @property
    def snapshot_outdated(self) -> bool:
        """Whether the snapshot is worth rewriting now rather than at closing: it was rebuilt or
        converted, something was wrong, or many journal lines had to be read past it (say after
        crashes)."""
        return (self.rebuilt or self.converted or bool(self.warnings)
                or self.lines_read > _LINES_WORTH_A_SNAPSHOT)


class Store:
    def __init__(self, folder: Path, device_id: str,
                 progress: Callable[[int, int], None] | None = None) -> None:
        """`progress`, if given, hears how far a long reading of the journals has come: bytes
        read and bytes to read (about). It may raise to stop the opening."""
        if not _DEVICE_ID.fullmatch(device_id):
            raise ValueError(f"device id {device_id!r} may only hold letters, digits, '.', '_' and '-'")
        self.folder = Path(folder)
        self.device_id = device_id
        self._progress = progress
        self._reading = (0, 0)  # bytes of the journals read so far, and to read, in this reading
        self._lock_file = None
        # The segment of this device's journal that appends go to, and which one it is.
        self._journal: Journal | None = None
        self._part = 1
        # The segments the snapshot knew of: a new one never takes the name of one of them, which
        # may still exist somewhere else, and come back through the sync tool.
        self._known_parts: set[int] = set()
        # Set when this device's journal went back or was replaced: the next append begins a new
        # segment rather than write into a file that is not the one this app last left.
        self._fresh_segment = False
        # What a person should hear about that was found while the folder was open, after
        # opening (see take_notices), and whether the journal's replacement was told already.
        self._notices: list[str] = []
        self._told_replaced = False
        # How far each journal has been read, with the bytes at both ends as they were read: what
        # the next snapshot records, never what is on disk when it is written.
        self._points: dict[str, ReadPoint] = {}
        # What the snapshot recorded of each journal, until the journal is checked against it.
        self._recorded: dict[str, dict] = {}
        # The same for the copies sync tools made of journals (see journal_files): how far each
        # was merged, and what the snapshot recorded of it. A copy is not a device's journal.
        self._copy_points: dict[str, ReadPoint] = {}
        self._recorded_copies: dict[str, dict] = {}
        # The copies a person has been told about, so that each is told once.
        self._copies_told: set[str] = set()
        # The journal files found when the folder was last looked at (see _scan).
        self._files: list[JournalFile] = []
        # Lines this device's journal must hold that could not be written yet (a full disk): what
        # gives it back what it lost, what only a copy of it held. The next append writes them
        # first, and the snapshot, which holds their effect already, is not replaced until then.
        self._unwritten: list[bytes] = []
        self.read_only = False
        # Whether the state has moved on from the snapshot on disk (events appended or read,
        # a rebuild, a conversion): only then is writing the snapshot worth anything.
        self._snapshot_behind = False
        self._older_snapshot = False  # the snapshot read was an older format's: kept aside once

    # -- paths ---------------------------------------------------------------------------------
    @property
    def journal_path(self) -> Path:
        """The segment of this device's journal that appends go to."""
        if self._journal is not None:
            return self._journal.path
        return self.folder / journal_name(self.device_id, self._part)

    @property
    def snapshot_path(self) -> Path:
        return self.folder / f"snapshot-{self.device_id}.json"

    def journal_paths(self) -> list[Path]:
        """Every device's journal files; not the copies a sync tool made of them."""
        return [found.path for found in find_journals(self.folder) if not found.copy]

    # -- opening -------------------------------------------------------------------------------
    def open(self, read_only: bool = False) -> tuple[CollectionState, LoadReport]:
        """Read the merged state. To change the folder, this device's lock is taken first
        (DataFolderInUse if another app holds it); `read_only` takes no lock and writes nothing,
        and every attempt to save then raises StoreError."""
        self.read_only = read_only
        report = LoadReport()
        if read_only:
            if self.folder.exists() and not self.folder.is_dir():
                raise StoreError(f"The data folder {self.folder} is not a folder.")
        else:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"Cannot create the data folder {self.folder}: {error.strerror}") from error
            self._lock(report)
        try:
            torn = None
            # One look at the folder serves the whole opening (each file's first bytes are read
            # to tell whose it is), unless the journals must be replayed.
            self._scan()
            if not read_only:
                self._clear_unfinished_copies()
                self._open_own_journal()
                torn = self._cut_torn_tail(report)
            state = self._load_snapshot(report)
            own_changed = False
            if state is not None and any(found.copy and found.name in self._recorded
                                         for found in self._files):
                # An earlier version read this copy as another computer's journal, counting its
                # reviews again: rebuilt, without it.
                state = None
            try:
                state, own_changed = self._catch_up(state, report)
                if state is not None and not report.rebuilt:
                    self._merge_copies(state, report)
            except DamagedLater as error:
                # Events past the snapshot needed a part of it, and that part is damaged.
                report.warnings.append(self._damaged_snapshot_told(error))
                state = None
            if state is None:
                state = self._replay_all(report)
            if torn is not None:
                self._mention_torn_tail(*torn, own_changed, report)
        except BaseException:
            self.close()
            raise
        state.when_damaged(self._rebuilt_after_damage)
        return state, report

    def _catch_up(self, state: CollectionState | None,
                  report: LoadReport) -> tuple[CollectionState | None, bool]:
        """Apply what the journals hold past the snapshot; None when they must all be replayed.
        Also whether this device's own journal held less or other than the snapshot says."""
        own_changed = False
        if state is not None:
            recorded = {name: entry for name, entry in self._recorded.items()
                        if self._is_own(name)}
            changed = self._read_journals(state, report, look_again=False)
            own = [name for name in changed if self._is_own(name)]
            own_changed = bool(own)
            others = [name for name in changed if not self._is_own(name)]
            stale = (f"{_names(others)} is not the file the snapshot was made from (it is "
                     "missing, shorter or was replaced); progress was rebuilt from the journals")
            if own_changed:
                if others:
                    report.warnings.append(f"{stale}.")
                state = self._give_back(state, recorded, own, report)
            elif others:
                kept = self._set_aside(self.snapshot_path, "superseded")
                report.warnings.append(f"{stale} and the old snapshot was kept as {kept}.")
                state = None
        return state, own_changed

    def _damaged_snapshot_told(self, error: DamagedLater) -> str:
        kept = self._set_aside(self.snapshot_path, "damaged")
        return (f"The snapshot could not be read: {error}. It was kept as {kept} and your "
                "progress was rebuilt from the journals.")

    def _rebuilt_after_damage(self, error: DamagedLater) -> CollectionState:
        """The journals' state, when a part of the snapshot read after opening is damaged."""
        report = LoadReport()
        told = self._damaged_snapshot_told(error)
        state = self._replay_all(report)
        self._notices.extend([told, *report.warnings])
        return state

    def _lock(self, report: LoadReport) -> None:
        lock_path = self.folder / f".{self.device_id}.lock"
        try:
            self._lock_file = open(lock_path, "a+b")
        except OSError as error:
            if not _is_read_only(error):
                raise StoreError(f"Cannot use the data folder {self.folder}: {error.strerror}.") from error
            report.warnings.append(_READ_ONLY_ON_OPEN.format(folder=self.folder))
            return
        try:
            _lock_exclusively(self._lock_file)
        except OSError as error:
            self._lock_file.close()
            self._lock_file = None
            raise DataFolderInUse(
                f"Flashcards is already open on {self.folder}. Close the other window first."
            ) from error

    def _clear_unfinished_copies(self) -> None:
        """Remove this device's half-written temporary files left by a crash.

        Each is an unfinished copy of a snapshot or backup whose previous version is still whole.
        """
        device = self.device_id
        for path in [*self.folder.glob(f".snapshot-{device}.json.*.tmp"),
                     *self.folder.glob(f"backups/.snapshot-{device}-????-??-??.json.*.tmp")]:
            try:
                path.unlink()
            except OSError:
                pass

    def _open_own_journal(self) -> None:
        """Make the last segment of this device's journal the one appends go to."""
        own = [found for found in self._files if found.device == self.device_id and not found.copy]
        self._part = max((found.part for found in own), default=1)
        while not own and self.journal_path.exists():
            # A file under this device's journal name that holds another device's events (see
            # journal_files): merged as a copy, never appended to.
            self._part += 1
        self._journal = Journal(self.journal_path)

    def _is_own(self, name: str) -> bool:
        """Whether a journal file name is one of this device's segments."""
        parsed = parse_journal_name(name)
        return parsed is not None and parsed[0] == self.device_id

    def _cut_torn_tail(self, report: LoadReport) -> tuple[int, str, str] | None:
        """Cut off an unfinished last line; returns where its message goes, where it was kept and
        the segment it was cut from (what happened is only known once the journal is checked
        against the snapshot). Only the last segment is ever appended to, so only it can hold a
        line a crash left unfinished."""
        name = self.journal_path.name
        try:
            torn = self._journal.open()
        except OSError as error:
            report.warnings.append(f"Could not check the end of {name}: {error.strerror}.")
            return None
        if not torn:
            return None
        return len(report.warnings), self._keep_damaged(f"{name}.torn", torn), name

    def _mention_torn_tail(self, place: int, kept: str, name: str, journal_changed: bool,
                           report: LoadReport) -> None:
        if journal_changed:
            # Not a crash: the journal was cut short, or replaced, and the line was cut with it.
            warning = (f"The last line of {name} was cut off part-way; it was set aside as "
                       f"{kept}.")
        else:
            warning = (f"The last line of {name} was cut off by a crash before it was saved; it "
                       f"was set aside as {kept}. Everything saved before it is intact.")
        report.warnings.insert(place, warning)

    def _give_back(self, kept: CollectionState, recorded: dict[str, dict], changed: list[str],
                   report: LoadReport) -> CollectionState:
        """This device's journal no longer holds what the snapshot was made from (`recorded`:
        what the snapshot says of each of its segments; `changed`: the segments that changed):
        rebuild from the journals, then write back into the journal what only the snapshot still
        holds (see recovery), so that neither today's state nor a later rebuild loses it."""
        # Written into a new segment: the file that went back may be one version of several.
        self._fresh_segment = True
        state = self._replay_all(report)
        events = recovery_events(kept, state, self.device_id, self.snapshot_path.name)
        now = [point for name, point in self._points.items() if self._is_own(name)]
        now_size, now_lines = sum(p.size for p in now), sum(p.lines for p in now)
        recorded_size = sum(entry["size"] for entry in recorded.values())
        name = f"This computer's journal ({_names(changed)})"
        if now_size < recorded_size:
            # A format 3 snapshot did not count lines: then only the bytes can be told.
            counted = all("lines" in entry for entry in recorded.values())
            missing = sum(entry.get("lines", 0) for entry in recorded.values()) - now_lines
            what = f"{recorded_size - now_size:,} bytes are"
            if counted and missing == 1:
                what = f"1 event ({what[:-4]}) is"
            elif counted and missing > 1:
                what = f"{missing} events ({what[:-4]}) are"
            warning = (f"{name} is shorter than when this computer last saved its progress: "
                       f"{what} missing from it. It was probably put back from an older copy, "
                       "by a sync tool or a backup program.")
        else:
            warning = (f"{name} is not the journal this computer last saved its progress with: "
                       "it was replaced, or changed where it had been read.")
        cards = sum(1 for event in events if event["type"] == "progress")
        given = (f"{cards} cards' progress and {len(events) - cards} decks or settings that "
                 "only the snapshot still held")
        if not events:
            warning += " The journals still give every card's progress, deck and setting."
        elif self.read_only:
            warning += (f" Shown as the snapshot holds them: {given}; they were not written "
                        "back, as the folder was opened only to read.")
        else:
            self._unwritten.extend(_line(event) for event in events)
            try:
                self.append_all([])
            except StoreError as error:
                warning += (f" Kept from the snapshot: {given}. They could not be written back "
                            f"into the journal yet: {error} They go in with the next change "
                            "saved; until then the snapshot is kept as it is.")
            else:
                kept_as = self._set_aside(self.snapshot_path, "superseded")
                warning += (f" Kept from the snapshot and written back into the journal: "
                            f"{given}. The reviews among the missing events are gone from the "
                            f"review history. The old snapshot was kept as {kept_as}.")
        for event in events:
            state.apply(event)
        state.last_seq = max(state.last_seq, kept.last_seq)
        report.warnings.append(warning)
        return state

    def _load_snapshot(self, report: LoadReport) -> CollectionState | None:
        path = self.snapshot_path
        try:
            file = open(path, "rb")
        except FileNotFoundError:
            return None
        except OSError as error:
            report.warnings.append(f"Could not read {path.name} ({error.strerror}); progress was "
                                   "rebuilt from the journals.")
            return None
        try:
            state, header = read_snapshot(file)
        except OSError as error:
            file.close()
            report.warnings.append(f"Could not read {path.name} ({error.strerror}); progress was "
                                   "rebuilt from the journals.")
            return None
        except OlderSnapshot as error:
            kept = self._set_aside(path, "superseded")
            report.warnings.append(f"The snapshot was migrated: {error}. It was kept as {kept} "
                                   "and your progress was rebuilt from the journals.")
            return None
        except SnapshotUnreadable as error:
            kept = self._set_aside(path, "damaged")
            report.warnings.append(f"The snapshot could not be read: {error}. It was kept as "
                                   f"{kept} and your progress was rebuilt from the journals.")
            return None
        report.converted = header["version"] != SNAPSHOT_VERSION
        self._snapshot_behind = self._older_snapshot = report.converted
        if header["event_version"] < EVENT_VERSION and state.skipped_newer:
            # Events this app can now read were skipped when the snapshot was made.
            return None
        self._points, self._recorded = {}, dict(header["journals"])
        self._known_parts = {parsed[1] for parsed in map(parse_journal_name, self._recorded)
                             if parsed is not None and parsed[0] == self.device_id}
        self._recorded_copies = dict(header.get("copies", {}))
        self._copies_told |= set(self._recorded_copies)
        return state

    def _replay_all(self, report: LoadReport) -> CollectionState:
        state = CollectionState()
        self._points, self._recorded = {}, {}
        self._copy_points, self._recorded_copies = {}, {}
        report.rebuilt = True
        self._snapshot_behind = True
        self._read_journals(state, report)
        self._merge_copies(state, report)
        return state

    def _read_journals(self, state: CollectionState, report: LoadReport, own: bool = True,
                       look_again: bool = True) -> list[str]:
        """Read what each journal holds past the point read before; returns the journals that no
        longer hold what was read (then `state` is only good for replaying all of them).
        `own`: this device's journal too (once open to change, only this app appends to it).
        `look_again`: list the folder's journals anew, rather than use the list just made."""
        changed = []
        with collector_paused(), state.replaying():
            files = self._scan() if look_again else self._files
            paths = [found.path for found in files if not found.copy]
            present = {path.name for path in paths}
            read = {*self._recorded, *(name for name, point in self._points.items() if point.size)}
            changed += [name for name in read if name not in present
                        and (own or not self._is_own(name))]
            self._reading = (0, self._bytes_to_read(paths))
            for path in paths:
                if (own or not self._is_own(path.name)) and not self._read_journal(
                        path, state, report):
                    changed.append(path.name)
        return changed

    def _bytes_to_read(self, paths: list[Path]) -> int:
        total = 0
        for path in paths:
            point = self._points.get(path.name)
            entry = self._recorded.get(path.name)
            done = point.size if point else entry.get("size", 0) if entry else 0
            try:
                total += max(0, path.stat().st_size - done)
            except OSError:
                pass
        return total

    def _tell_progress(self, done_here: int) -> None:
        done, total = self._reading
        self._progress(done + done_here, max(total, done + done_here))

    def _read_journal(self, path: Path, state: CollectionState, report: LoadReport) -> bool:
        """Apply the lines past the point read before; False if the journal no longer holds, where
        it was read, what was read (nothing is applied then)."""
        name = path.name
        try:
            handle = open(path, "rb")
        except FileNotFoundError:  # gone since the folder was listed
            return self._points.get(name, ReadPoint()).size == 0 and name not in self._recorded
        with handle:
            point = self._points.get(name)
            if point is None:
                entry = self._recorded.pop(name, None)
                point = ReadPoint() if entry is None else recorded_point(handle, entry)
                if point is None:
                    return False
                self._points[name] = point
            elif not point.still_in(handle):
                return False
            start = end = point.size
            lines_before = report.lines_read
            bad: list[tuple[int, bytes, str]] = []
            newer = 0
            loads, apply = parse_json, state.apply
            for position, line in lines_from(handle, start):
                end = position + len(line)
                report.lines_read += 1
                if self._progress is not None and report.lines_read % _PROGRESS_LINES == 0:
                    self._tell_progress(end - start)
                try:
                    apply(loads(line))
                except NewerEvent:
                    newer += 1
                except (ValueError, RecursionError) as error:  # not JSON, too deep, or malformed
                    if line.strip():
                        newer += _apply_what_is_whole(position, line, error, apply, bad)
            if end == start:
                return True
            self._reading = (self._reading[0] + end - start, self._reading[1])
            # Both ends from the file the lines were read from, even if it was replaced since.
            self._points[name] = read_point(handle, end,
                                            point.lines + report.lines_read - lines_before)
        self._snapshot_behind = True
        state.skipped_newer += newer
        if newer:
            report.warnings.append(
                f"{path.name} holds {newer} events from a newer version of Flashcards; they were "
                "kept but not applied. Update the app to see them.")
        if bad:
            self._report_bad_lines(path, bad, report)
        return True

    def _report_bad_lines(self, path: Path, bad: list[tuple[int, bytes, str]],
                          report: LoadReport) -> None:
        """Say what could not be read, where, and what it held; keep a copy in damaged/."""
        size = sum(len(piece) for _, piece, _ in bad)
        places = [f"byte {position:,} ({len(piece):,} bytes)" for position, piece, _ in bad[:3]]
        if len(bad) > 3:
            places.append(f"{len(bad) - 3} more")
        # One unreadable stretch may have been many lines: say how many would fit in it.
        room = round(size / _typical_line_length(path, bad[0][0], len(bad[0][1])))
        held = f", room for about {room} events" if room > len(bad) else ""
        warning = (f"{path.name}: {len(bad)} unreadable line(s) were skipped, {size:,} bytes in "
                   f"all{held}, at {', '.join(places)} (the first {bad[0][2]}). Every event "
                   "before and after them was read. The journal was left as it is")
        if self.read_only:
            report.warnings.append(f"{warning}.")
            return
        kept = self._keep_damaged(f"{path.name}.unreadable-at-{bad[0][0]}",
                                  b"".join(piece for _, piece, _ in bad), once=True)
        report.warnings.append(f"{warning}; copies are in {kept}.")

    def _merge_copies(self, state: CollectionState, report: LoadReport) -> None:
        """Apply what the copies sync tools made of journals hold and their journals do not.

        A copy is one side of a conflict: it may hold events its journal lacks (a review made on
        the other side). Those are applied, by id, so each counts once, and a copy of this
        device's own journal has them appended to that journal, verbatim: it then holds
        everything, and the copy can be deleted. A copy of another device's journal is left for
        that device to take in the same way. A copy is only ever read; each is told about once,
        when it is first merged."""
        copies = [found for found in self._files if found.copy]  # as _read_journals found them
        present = {found.name for found in copies}
        # A copy deleted: what it added is kept (see above), and one that comes back under the
        # same name (Google Drive's "(1)") is another copy, told about again.
        for points in (self._copy_points, self._recorded_copies):
            for name in [name for name in points if name not in present]:
                del points[name]
        self._copies_told &= present
        taken: set[str] = set()  # what copies gave in this pass: two copies may share it
        for copy in copies:
            with collector_paused():
                merged = self._merge_copy(copy, state, taken)
            if merged is None:
                continue
            extras, newer = merged
            self._snapshot_behind = True
            state.skipped_newer += newer
            written = self._keep_extras(copy, extras, state) if extras else None
            if copy.name not in self._copies_told:
                self._copies_told.add(copy.name)
                report.warnings.append(self._copy_warning(copy, len(extras), written))

    def _merge_copy(self, copy: JournalFile, state: CollectionState,
                    taken: set[str]) -> tuple[list[bytes], int] | None:
        """Apply the events of one copy that its device's journal does not hold. Returns their
        lines and how many came from a newer app, or None if nothing changed since it was last
        merged."""
        try:
            handle = open(copy.path, "rb")
        except FileNotFoundError:
            return None
        with handle:
            point = self._copy_points.get(copy.name)
            if point is None:
                entry = self._recorded_copies.pop(copy.name, None)
                point = None if entry is None else recorded_point(handle, entry)
            if point is not None and point.still_in(handle) and next(
                    lines_from(handle, point.size), None) is None:
                self._copy_points[copy.name] = point
                return None
            # New, or changed since: merged again whole. Events already applied change nothing.
            held, end, lines = [], 0, 0
            for position, line in lines_from(handle, 0):
                end, lines = position + len(line), lines + 1
                found = event_id(line)
                if found is not None and found not in taken:
                    held.append((line, found))
            self._copy_points[copy.name] = read_point(handle, end, lines)
        wanted = {found for _line, found in held}
        there = set().union(*(ids_in(path, wanted) for path in self._journals_of(copy.device)))
        extras = []
        for line, found in held:
            if found not in there and found not in taken:
                taken.add(found)
                extras.append(line)
        newer = 0
        for line in extras:
            try:
                state.apply(parse_json(line))
            except NewerEvent:
                newer += 1
            except UnknownEvent:
                pass  # kept in the copy, and in the journal it goes to, as it is
        return extras, newer

    def _journals_of(self, device: str) -> list[Path]:
        return [found.path for found in self._files if found.device == device and not found.copy]

    def _scan(self) -> list[JournalFile]:
        """Look at the folder's journal files again: which is whose, which is a copy."""
        self._files = find_journals(self.folder)
        return self._files

    def _keep_extras(self, copy: JournalFile, extras: list[bytes],
                     state: CollectionState) -> StoreError | bool:
        """Append what only a copy of this device's journal holds to that journal. Returns True
        once written, the error if it could not be yet (it then waits for the next append), and
        False if the copy is another device's or the folder was opened only to read."""
        if copy.device != self.device_id or self.read_only or self._journal is None:
            return False
        self._unwritten.extend(extras)
        try:
            self.append_all([], state)
        except StoreError as error:
            return error
        return True

    def _copy_warning(self, copy: JournalFile, extras: int,
                      written: StoreError | bool | None) -> str:
        own = copy.device == self.device_id
        whose = "this computer's journal" if own else f"the journal of the computer {copy.device!r}"
        opening = f"{copy.name} is a copy of {whose} that a sync tool made. It was merged:"
        events = "1 event" if extras == 1 else f"{extras} events"
        if not extras:
            return (f"{opening} everything in it is already in {whose}, so the copy can be "
                    "deleted.")
        if written is True:
            return (f"{opening} {events} only the copy held went into {whose}, so nothing is "
                    "lost and the copy can be deleted.")
        if isinstance(written, StoreError):
            return (f"{opening} {events} only the copy holds are shown, but could not be written "
                    f"into {whose} yet: {written} They go in with the next change saved; the "
                    "copy can be deleted after that.")
        if own:
            return (f"{opening} {events} only the copy holds are shown; they are written into "
                    f"{whose} the next time Flashcards opens this folder to change it, and the "
                    "copy can be deleted after that.")
        return (f"{opening} {events} only the copy holds are shown; {copy.device!r} adds them "
                "to its own journal the next time it opens this folder, and the copy can be "
                "deleted after that.")

    # -- writing -------------------------------------------------------------------------------
    def append(self, event: dict) -> None:
        """Append one event and return only once it is on disk."""
        self.append_all([event])

    def append_all(self, events: Iterable[dict], state: CollectionState | None = None) -> None:
        """Append events together (one flush to disk) and return once all of them are on disk.

        First, the file appends go to is checked to be the one this app last left (a stat): if a
        sync tool or a backup program replaced it, deleted it or changed it, nothing this app wrote
        is lost (see _take_back), and `state`, the collection's, takes in what the file put in its
        place holds."""
        self.check_writable()
        if self._journal is None:
            raise StoreError("The data folder is not open.")
        new = b"".join(_line(event) for event in events)
        try:
            # (A new segment due is begun whatever became of the file before it.)
            if not self._fresh_segment and self._journal.moved():
                self._take_back(state)
            if not new and not self._unwritten:
                return
            data = b"".join([*self._unwritten, new]) if self._unwritten else new
            journal = self._journal
            if self._fresh_segment or (
                    journal.size and journal.size + len(data) > journal_module.SEGMENT_BYTES):
                journal = self._start_segment()
            journal.append(data)
        except OSError as error:
            raise StoreError(_describe_write_error(error, self.journal_path)) from error
        self._unwritten = []
        name = journal.name
        self._points[name] = self._points.get(name, _NOTHING_READ).after(data)
        self._snapshot_behind = True

    def _start_segment(self) -> Journal:
        """Close the segment appends went to, and begin the next one, under a name no segment of
        this device had on disk or in the snapshot."""
        self._journal.finish()
        parts = [found.part for found in self._files if found.device == self.device_id]
        part = max([self._part, *parts, *self._known_parts]) + 1
        while True:
            journal = Journal(self.folder / journal_name(self.device_id, part))
            try:
                journal.create()
            except FileExistsError:
                part += 1  # a file this app has not read: left to be read, never appended to
                continue
            break
        self._journal.close()
        self._journal, self._part, self._fresh_segment = journal, part, False
        return journal

    def check_journal(self, state: CollectionState) -> None:
        """Make sure what this app wrote is still in the folder, without a change to save: if this
        device's journal was replaced, deleted or changed since the last append, what only this
        app holds is written again now (see _take_back). When looking for other devices'
        changes, and before closing: once the app lets go of the file, it is gone."""
        if not self.read_only and self._journal is not None:
            self.append_all([], state)

    def _take_back(self, state: CollectionState | None) -> None:
        """The segment this app appends to is no longer the file it left: another was put in its
        place, it was deleted, or changed in place. Appending on would write into a file no longer
        in the folder, or after lines this app never read. Instead:

        - the lines this app had written that the file now there lacks are written again, read
          from the file this app still has open (gone from the folder, not from the disk);
        - the events the file now there holds that this app had not read are applied to `state`;
        - if what the file held cannot be read back (it was changed in place), what `state` holds
          and the journals no longer give is written back, as when a journal went back (see
          recovery): every card's progress, deck and setting, not the reviews' history;
        - all of it goes into a new segment, and the file now there is left as it is.

        Only reads happen before the first change, so an error leaves everything as it was."""
        journal = self._journal
        path, name = journal.path, journal.path.name
        in_place = journal.in_place()
        if not journal.had_file:
            written = b""  # a file arrived where there was none: nothing of this app's in it
        else:
            written = None if in_place else journal.written()
        try:
            there = path.read_bytes()
        except FileNotFoundError:
            there = None
        if written is not None and there == written:
            # The same bytes under another inode number (some network file systems renumber
            # files): the same journal, taken up again where it is.
            journal.close()
            self._journal = Journal(path)
            self._journal.open()
            return
        present = [(line, event_id(line)) for line in (there or b"").splitlines(keepends=True)
                   if line.endswith(b"\n")]
        old = [(line, event_id(line)) for line in (written or b"").splitlines(keepends=True)]
        ids_there = {found for _line, found in present} | {None}
        ids_old = {found for _line, found in old} | {None}
        missing = [line for line, found in old if found not in ids_there]
        unseen = [line for line, found in present if found not in ids_old]
        recovered = []
        if written is None and state is not None:
            recovered = recovery_events(state, self._journals_as_they_are(), self.device_id, name)
        newer = 0
        for line in unseen if state is not None else []:
            try:
                state.apply(parse_json(line))
            except NewerEvent:
                newer += 1
            except UnknownEvent:
                pass
        if state is not None:
            state.skipped_newer += newer
        journal.close()
        if there is None:
            self._points.pop(name, None)
        else:
            self._points[name] = ReadPoint().after(b"".join(line for line, _id in present))
        self._unwritten[:0] = [*missing, *(_line(event) for event in recovered)]
        self._fresh_segment = self._snapshot_behind = True
        if not self._told_replaced:
            self._told_replaced = True
            how = ("deleted" if there is None else "arrived" if not journal.had_file
                   else "changed" if written is None else "replaced")
            self._notices.append(_replaced_notice(name, how, len(missing), len(recovered),
                                                  len(unseen)))

    def _journals_as_they_are(self) -> CollectionState:
        """What the journals give, each read whole into a state of its own: nothing else read."""
        state = CollectionState()
        for path in self.journal_paths():
            for _position, line in read_lines(path, 0):
                try:
                    state.apply(parse_json(line))
                except (ValueError, RecursionError):
                    continue  # unknown, newer or damaged: no part of what is given back
        return state

    def take_notices(self) -> list[str]:
        """What was found while the folder was open that a person should hear about (this
        device's journal replaced under the app), each once: returned, then forgotten."""
        notices, self._notices = self._notices, []
        return notices

    def check_writable(self) -> None:
        """Raise StoreError if the folder was opened only to read."""
        if self.read_only:
            raise StoreError(f"Changes cannot be saved: the data folder {self.folder} was opened "
                             "only to read.")

    @property
    def snapshot_behind(self) -> bool:
        """Whether the state has moved on since the snapshot on disk was read or written."""
        return self._snapshot_behind

    def save_snapshot(self, state: CollectionState, backup_day: date | None = None,
                      now: datetime | None = None) -> None:
        """Write the snapshot; on the first save of `backup_day`, keep a copy as that day's backup.
        `now`: the moment the snapshot's counting digest is made for (none without it)."""
        self.check_writable()
        if self._unwritten:
            # The snapshot on disk is the only place what they give back is kept, and it is
            # already the newer state: replacing it now could lose them.
            return
        journals = {name: point.record() for name, point in self._points.items()}
        copies = {name: point.record() for name, point in self._copy_points.items()}
        data = encode(state, journals, self.device_id, copies, now)
        try:
            if self._older_snapshot:
                self._keep_older_snapshot()
            write_atomically(self.snapshot_path, data)
            if backup_day is not None:
                backup_files.keep_daily(self.folder, self.device_id, backup_day, data)
        except OSError as error:
            raise StoreError(_describe_write_error(error, self.snapshot_path)) from error
        self._snapshot_behind = False

    def refresh(self, state: CollectionState, report: LoadReport | None = None) -> CollectionState:
        """Read what other devices appended since we last looked; returns the (maybe rebuilt) state."""
        report = report if report is not None else LoadReport()
        try:
            self.check_journal(state)
        except StoreError as error:
            report.warnings.append(str(error))  # what could not be written waits, see append_all
        changed = self._read_journals(state, report, own=self.read_only)
        if changed:
            report.warnings.append(f"{_names(changed)} was replaced by a different file, or cut "
                                   "short; progress was rebuilt from the journals.")
            if not self.read_only:
                self._set_aside(self.snapshot_path, "superseded")
            return self._replay_all(report)
        self._merge_copies(state, report)
        return state

    # -- history and backups -------------------------------------------------------------------
    def events(self, report: LoadReport | None = None) -> Iterator[dict]:
        """Every readable event in every journal, for history and statistics. Slow by design.

        Reading every line, this is where damage in the part of a journal the snapshot already
        covers comes to light: it goes into `report`, and a copy into damaged/."""
        # The copies too: a review only a copy holds is in the history (each id counts once).
        for path in [found.path for found in find_journals(self.folder)]:
            bad: list[tuple[int, bytes, str]] = []
            for position, line in read_lines(path, 0):
                try:
                    found = [parse_json(line)]
                except (ValueError, RecursionError) as error:
                    if not line.strip():
                        continue
                    found = []
                    _apply_what_is_whole(position, line, error, found.append, bad)
                for event in found:
                    version = event.get("v") if isinstance(event, dict) else None
                    if type(version) is int and 1 <= version <= EVENT_VERSION:
                        yield event
            if bad and report is not None:
                self._report_bad_lines(path, bad, report)
        # And what this device's journal must hold but could not be written yet (a full disk).
        for line in self._unwritten:
            try:
                event = parse_json(line)
            except (ValueError, RecursionError):
                continue
            version = event.get("v") if isinstance(event, dict) else None
            if type(version) is int and 1 <= version <= EVENT_VERSION:
                yield event

    def backups(self) -> list[backup_files.Backup]:
        """The backups in the folder, newest first."""
        return backup_files.list_backups(self.folder)

    def read_backup(self, path: Path) -> CollectionState:
        try:
            return backup_files.read_backup(path)
        except OSError as error:
            raise StoreError(f"Could not read the backup {Path(path).name}: {error.strerror}.") from error
        except SnapshotUnreadable as error:
            raise StoreError(f"The backup {Path(path).name} cannot be used: {error}.") from error

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def _keep_older_snapshot(self) -> None:
        """A copy of the snapshot an older version wrote, in superseded/, before it is replaced
        by this version's: whoever goes back to that version can put it back."""
        target = self._aside_name("superseded", self.snapshot_path.name)
        target.parent.mkdir(exist_ok=True)
        write_atomically(target, self.snapshot_path.read_bytes())
        self._older_snapshot = False

    # -- keeping bad files ---------------------------------------------------------------------
    def _set_aside(self, path: Path, folder: str) -> str:
        """Move a file into damaged/ or superseded/ and say where it went."""
        if self.read_only:
            return f"{path.name} (left where it is: the folder was opened only to read)"
        target = self._aside_name(folder, path.name)
        try:
            target.parent.mkdir(exist_ok=True)
            os.replace(path, target)
        except FileNotFoundError:
            return "(already gone)"
        except OSError as error:
            return f"{path.name} (it could not be moved: {error.strerror})"
        return f"{folder}/{target.name}"

    def _keep_damaged(self, name: str, data: bytes, once: bool = False) -> str:
        """Write a copy into damaged/. `once`: under `name` itself, and not again if the same
        bytes are there already (damage found each time the history is read)."""
        target = self.folder / "damaged" / name
        free = False
        if once:
            try:
                if target.read_bytes() == data:
                    return f"damaged/{target.name}"
            except FileNotFoundError:
                free = True
            except OSError:
                pass
        if not free:
            target = self._aside_name("damaged", name)
        try:
            target.parent.mkdir(exist_ok=True)
            write_atomically(target, data)
        except OSError as error:
            return f"nowhere (could not write to damaged/: {error.strerror})"
        return f"damaged/{target.name}"

    def _aside_name(self, folder: str, name: str) -> Path:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        return self.folder / folder / f"{stamp}-{name}"


_LINES_WORTH_A_SNAPSHOT = 20_000
_NOTHING_READ = ReadPoint()

_READ_ONLY_ON_OPEN = ("The data folder {folder} is read-only: you can look at your cards, but "
                      "grades cannot be saved until it is writable again.")


def _replaced_notice(name: str, how: str, missing: int, recovered: int, unseen: int) -> str:
    """What a person hears when this device's journal was `how`: "deleted", "changed" (in place),
    "replaced" (another file put in its place) or "arrived" (where there was none yet)."""
    if how == "deleted":
        notice = f"{name}, this computer's journal, was deleted while Flashcards had it open."
    elif how == "changed":
        notice = (f"{name}, this computer's journal, was changed while Flashcards had it open "
                  "(copied over, or cut short).")
    elif how == "arrived":
        notice = (f"{name}, a journal under this computer's name, arrived while Flashcards had "
                  "the folder open (from a sync tool or a backup program).")
    else:
        notice = (f"{name}, this computer's journal, was replaced while Flashcards had it open: "
                  "a sync tool or a backup program put another copy in its place.")
    if how == "changed":
        notice += (f" Every card's progress, deck and setting shown was kept and written back "
                   f"into the journal ({recovered} changes); the reviews among the lines it lost "
                   "are gone from the review history.")
    elif missing:
        notice += (f" Nothing is lost: the {missing} events only Flashcards still held were "
                   "written into the journal again.")
    else:
        notice += " Nothing is lost: the file there holds everything Flashcards had written."
    if unseen:
        notice += (f" The {unseen} events the file there holds that were not shown yet are "
                   "shown now.")
    return notice + " That file is left as it is; the journal goes on in a new file."


def _names(names: list[str]) -> str:
    return " and ".join(sorted(names))


def _line(event: dict) -> bytes:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _apply_what_is_whole(position: int, line: bytes, error: Exception, apply,
                         bad: list[tuple[int, bytes, str]]) -> int:
    """Apply the whole events in a line that did not read as one event, and add what is left to
    `bad` (its position, bytes, and what is wrong with it). Returns how many events were from a
    newer app."""
    events, damage = split_damaged(line)
    for offset, piece in damage:
        bad.append((position + offset, piece, _what_is_wrong(piece, error)))
    newer = 0
    for offset, piece in events:
        try:
            apply(parse_json(piece))
        except NewerEvent:
            newer += 1
        except (ValueError, RecursionError) as malformed:
            bad.append((position + offset, piece + b"\n", f"is {malformed}"))
    return newer


def _typical_line_length(path: Path, position: int, length: int) -> int:
    """The middle length of the whole lines just before and after a damaged stretch."""
    reach = 16384
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, position - reach))
            before = handle.read(position - max(0, position - reach)).split(b"\n")[1:-1]
            handle.seek(position + length)
            after = handle.read(reach).split(b"\n")[:-1]
    except OSError:
        return max(length, 1)
    lengths = sorted(len(line) + 1 for line in before[-5:] + after[:5] if line)
    return lengths[len(lengths) // 2] if lengths else max(length, 1)


def _what_is_wrong(piece: bytes, error: Exception) -> str:
    if b"\0" in piece:
        return (f"holds {piece.count(0):,} zero bytes, as a failing disk or a computer's crash "
                "can leave")
    if isinstance(error, UnknownEvent):
        return f"is {error}"
    return "is not an event Flashcards wrote"


def _is_read_only(error: OSError) -> bool:
    return error.errno in (errno.EACCES, errno.EPERM, errno.EROFS)


def _describe_write_error(error: OSError, path: Path) -> str:
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return (f"The disk is full: could not save to {path}. Free some space and try again; "
                "nothing already saved was lost.")
    if _is_read_only(error):
        return (f"The data folder is read-only: could not save to {path}. Make it writable and "
                "try again; nothing already saved was lost.")
    return f"Could not save to {path}: {error.strerror or error}. Nothing already saved was lost."


def _lock_exclusively(handle) -> None:
    if os.name == "nt":
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
