"""The progress store: plain JSON files in the data folder.

Layout (all of it plain JSON, readable with `jq`):
  journal-<device>.jsonl      this device's events, one JSON object a line, append-only
  snapshot-<device>.json      the merged state and how far into each journal it has read
  damaged/                    anything unreadable, set aside instead of deleted
Each device writes only its own files, so a file-sync tool never sees two writers on one file.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .events import CollectionState, UnknownEvent

SNAPSHOT_FORMAT = "flashcards-snapshot"
SNAPSHOT_VERSION = 1
_JOURNAL_NAME = re.compile(r"^journal-(?P<device>[A-Za-z0-9_.-]+)\.jsonl$")


class StoreError(Exception):
    """A problem with the data folder, worded for the person using the app."""


class DataFolderInUse(StoreError):
    pass


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves either the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(folder: Path) -> None:
    if sys.platform.startswith("win"):
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class LoadReport:
    """What opening the store found that a person should hear about."""

    warnings: list[str] = field(default_factory=list)
    rebuilt: bool = False


class Store:
    def __init__(self, folder: Path, device_id: str) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", device_id):
            raise ValueError(f"device id {device_id!r} may only hold letters, digits, '.', '_' and '-'")
        self.folder = Path(folder)
        self.device_id = device_id
        self._lock_file = None
        self._journal = None
        self._offsets: dict[str, int] = {}

    # -- paths ---------------------------------------------------------------------------------
    @property
    def journal_path(self) -> Path:
        return self.folder / f"journal-{self.device_id}.jsonl"

    @property
    def snapshot_path(self) -> Path:
        return self.folder / f"snapshot-{self.device_id}.json"

    def journal_paths(self) -> list[Path]:
        return sorted(p for p in self.folder.iterdir() if _JOURNAL_NAME.match(p.name))

    # -- opening -------------------------------------------------------------------------------
    def open(self) -> tuple[CollectionState, LoadReport]:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"Cannot create the data folder {self.folder}: {error.strerror}") from error
        self._lock()
        report = LoadReport()
        self._repair_own_journal_tail(report)
        state = self._load_snapshot(report)
        if state is None:
            state, self._offsets = CollectionState(), {}
            report.rebuilt = True
        self._read_journals(state, report)
        self._journal = open(self.journal_path, "ab")
        return state, report

    def _lock(self) -> None:
        lock_path = self.folder / f".{self.device_id}.lock"
        self._lock_file = open(lock_path, "a+b")
        try:
            _lock_exclusively(self._lock_file)
        except OSError as error:
            self._lock_file.close()
            self._lock_file = None
            raise DataFolderInUse(
                f"Flashcards is already open on {self.folder}. Close the other window first."
            ) from error

    def _load_snapshot(self, report: LoadReport) -> CollectionState | None:
        path = self.snapshot_path
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_bytes())
            if data.get("format") != SNAPSHOT_FORMAT or data.get("version") != SNAPSHOT_VERSION:
                raise ValueError("unknown snapshot format or version")
            offsets = {name: int(v) for name, v in data["journals"].items()}
            state = CollectionState.from_json(data["state"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            kept = self._set_aside(path)
            report.warnings.append(
                f"The saved snapshot could not be read ({error}); it was kept as {kept.name} and "
                "your progress was rebuilt from the journals."
            )
            return None
        for name, offset in offsets.items():
            journal = self.folder / name
            if not journal.exists() or journal.stat().st_size < offset:
                report.warnings.append(f"{name} changed since the last snapshot; progress was rebuilt.")
                return None
        self._offsets = offsets
        return state

    def _read_journals(self, state: CollectionState, report: LoadReport) -> None:
        for path in self.journal_paths():
            self._offsets[path.name] = self._read_journal(path, state, report)

    def _read_journal(self, path: Path, state: CollectionState, report: LoadReport) -> int:
        start = self._offsets.get(path.name, 0)
        with open(path, "rb") as handle:
            handle.seek(start)
            data = handle.read()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            # Another device's journal may still be arriving through the sync tool.
            report.warnings.append(f"{path.name} ends in an incomplete line; it was left for later.")
        skipped_newer = 0
        line_number = 0
        for line_number, line in enumerate(data[:end].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                state.apply(json.loads(line))
            except UnknownEvent as error:
                if "newer" in str(error):
                    skipped_newer += 1
                else:
                    report.warnings.append(f"{path.name}: skipped an event ({error}).")
            except (ValueError, KeyError, TypeError) as error:
                report.warnings.append(
                    f"{path.name}: skipped an unreadable line after byte {start} ({error})."
                )
        if skipped_newer:
            report.warnings.append(
                f"{path.name} holds {skipped_newer} events from a newer version of Flashcards; "
                "they were kept but not applied. Update the app to see them."
            )
        return start + end

    def _repair_own_journal_tail(self, report: LoadReport) -> None:
        """Cut off a line torn by a crash, so the next append starts on a fresh line."""
        path = self.journal_path
        if not path.exists() or path.stat().st_size == 0:
            return
        with open(path, "r+b") as handle:
            data = handle.read()
            end = data.rfind(b"\n") + 1
            if end == len(data):
                return
            torn = data[end:]
            self._write_damaged(f"{path.name}.torn", torn)
            handle.truncate(end)
            handle.flush()
            os.fsync(handle.fileno())
        report.warnings.append(
            f"The last line of {path.name} was cut off by a crash before it was saved; "
            "it was set aside in damaged/."
        )

    # -- writing -------------------------------------------------------------------------------
    def append(self, event: dict) -> None:
        """Append one event and return only once it is on disk."""
        line = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
        assert self._journal is not None, "store is not open"
        position = self._journal.tell()
        try:
            self._journal.write(line)
            self._journal.flush()
            os.fsync(self._journal.fileno())
        except OSError as error:
            self._undo_partial_append(position)
            raise StoreError(_describe_write_error(error, self.journal_path)) from error
        self._offsets[self.journal_path.name] = position + len(line)

    def _undo_partial_append(self, position: int) -> None:
        try:
            self._journal.close()
        except OSError:
            pass
        try:
            with open(self.journal_path, "r+b") as handle:
                handle.truncate(position)
        except OSError:
            pass
        self._journal = open(self.journal_path, "ab")

    def save_snapshot(self, state: CollectionState) -> None:
        data = {
            "format": SNAPSHOT_FORMAT,
            "version": SNAPSHOT_VERSION,
            "device": self.device_id,
            "written": datetime.now(timezone.utc).isoformat(),
            "journals": self._offsets,
            "state": state.to_json(),
        }
        try:
            write_atomically(self.snapshot_path, json.dumps(data, ensure_ascii=False).encode())
        except OSError as error:
            raise StoreError(_describe_write_error(error, self.snapshot_path)) from error

    def refresh(self, state: CollectionState, report: LoadReport | None = None) -> None:
        """Read what other devices appended since we last looked."""
        self._read_journals(state, report or LoadReport())

    def events(self) -> Iterator[dict]:
        """Every readable event in every journal, for history and statistics. Slow by design."""
        for path in self.journal_paths():
            with open(path, "rb") as handle:
                for line in handle:
                    if not line.endswith(b"\n"):
                        break
                    try:
                        yield json.loads(line)
                    except ValueError:
                        continue

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    # -- keeping bad files -------------------------------------------------------------------
    def _set_aside(self, path: Path) -> Path:
        target = self._damaged_name(path.name)
        os.replace(path, target)
        return target

    def _write_damaged(self, name: str, data: bytes) -> Path:
        target = self._damaged_name(name)
        write_atomically(target, data)
        return target

    def _damaged_name(self, name: str) -> Path:
        folder = self.folder / "damaged"
        folder.mkdir(exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        return folder / f"{stamp}-{name}"


def _describe_write_error(error: OSError, path: Path) -> str:
    import errno

    if error.errno == errno.ENOSPC:
        return f"The disk is full: could not save to {path}. Free some space and try again."
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"The data folder is read-only: could not save to {path}."
    return f"Could not save to {path}: {error.strerror or error}."


def _lock_exclusively(handle) -> None:
    if sys.platform.startswith("win"):
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
