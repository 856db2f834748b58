"""Which journal file in the data folder is whose: each device's journal, in segments, and the
copies that sync tools make of one when it changed on two sides at once.

A device's journal is written in segments of a few MB (journal.SEGMENT_BYTES): the first is
`journal-<device>.jsonl`, as journals were named before there were segments, the next ones
`journal-<device>@0002.jsonl`, `journal-<device>@0003.jsonl` and so on. A device id never holds
an "@" and no sync tool puts one in a name, so a segment is taken neither for another device's
journal nor for a copy.

A sync tool keeps both sides of such a conflict, one under the journal's own name and one under a
name of its own making:

    Syncthing     journal-laptop.sync-conflict-20261201-101010-ABCDEFG.jsonl
    Dropbox       journal-laptop (conflicted copy 2026-12-01).jsonl
                  journal-laptop (Laptop's conflicted copy 2026-12-01).jsonl
    Nextcloud     journal-laptop_conflict-20261201-101010.jsonl
    OneDrive      journal-laptop-DESKTOP7.jsonl          (the computer's name appended)
    Google Drive  journal-laptop (1).jsonl

Some of these names are a valid journal name for another device id ("laptop-DESKTOP7"), so the
name alone cannot tell. What the file holds can: every event names the device that wrote it, and
a device writes only its own journal. A file whose events name another device than its name
does is a copy of that device's journal.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .json_text import parse as parse_json

_DEVICE = r"[A-Za-z0-9_.-]+"
SEGMENT_MARK = "@"
_NAME = re.compile(rf"journal-(?P<device>{_DEVICE}?)(?:{SEGMENT_MARK}(?P<part>[0-9]+))?\.jsonl")
# Names only a sync tool makes: Syncthing's and Nextcloud's marks. Such a file is a copy even
# before any of its content has arrived.
_TOOL_MARK = re.compile(r"\.sync-conflict-|_conflict-\d{8}-\d{6}")
# How the app (every version of it) begins an event: the device comes third. Found at the start of
# a line, it names the journal's device without parsing the line, which may be a whole deck.
_ENVELOPE = re.compile(
    rb'\{\s*"v"\s*:\s*\d+\s*,\s*"id"\s*:\s*"([^"\\]*)"\s*,\s*"device"\s*:\s*"(' + _DEVICE.encode()
    + rb')"')
# The opening of a line as this app writes it, up to the event's id.
_PLAIN_OPENINGS = {b'{"v":%d,"id":"' % version for version in range(1, 10)}
_PLAIN_OPENING = len(b'{"v":1,"id":"')
# How far into a file to look for an event naming its device: past a damaged first line or two.
_LOOK_FOR_DEVICE = 65536
# A line longer than this is not parsed only to find its device.
_PARSE_AT_MOST = 1 << 20


@dataclass(frozen=True)
class JournalFile:
    """A journal file in the data folder: `device` is whose events it holds, `part` which of that
    device's segments it is (1 for the first), and `copy` whether it is a copy a sync tool made
    rather than that device's own file (its `part` is then 0)."""

    path: Path
    device: str
    part: int = 1
    copy: bool = False

    @property
    def name(self) -> str:
        return self.path.name


def journal_name(device: str, part: int = 1) -> str:
    """The name of a device's journal segment `part` (from 1)."""
    if part == 1:
        return f"journal-{device}.jsonl"
    return f"journal-{device}{SEGMENT_MARK}{part:04d}.jsonl"


def parse_journal_name(name: str) -> tuple[str, int] | None:
    """The device and the segment a journal's own name gives, or None if it is no such name."""
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    device, part = match["device"], int(match["part"] or 1)
    if part < 1 or journal_name(device, part) != name:
        return None  # "@1", "@2" or "@00002": no name the app writes
    return device, part


def find_journals(folder: Path) -> list[JournalFile]:
    """Every journal and copy of one in the folder, by name. A copy whose content names no device
    yet (empty, or its first line still arriving) is left out until it does."""
    if not folder.is_dir():
        return []  # opened only to read, a folder never used is not created
    found = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if not (name.startswith("journal-") and name.endswith(".jsonl")):
            continue
        parsed = None if _TOOL_MARK.search(name) else parse_journal_name(name)
        try:
            inside = device_inside(path)
        except OSError:
            inside = None  # gone since the folder was listed, or unreadable: read as named
        if parsed is not None and inside in (None, parsed[0]):
            found.append(JournalFile(path, *parsed))
        elif inside is not None:
            found.append(JournalFile(path, inside, part=0, copy=True))
    # Each device's segments in order, whatever the names sort as.
    return sorted(found, key=lambda file: (file.copy, file.device, file.part, file.name))


def device_inside(path: Path) -> str | None:
    """The device the first readable events of a journal name, or None if there is none yet."""
    with open(path, "rb") as handle:
        return _device_in(handle)


def _device_in(handle: BinaryIO) -> str | None:
    head = handle.read(4096)
    match = _ENVELOPE.match(head)
    if match:
        return match[2].decode()
    # Not the app's own opening: look further, line by line.
    head += handle.read(_LOOK_FOR_DEVICE - len(head))
    start = 0
    while start < len(head):
        end = head.find(b"\n", start)
        match = _ENVELOPE.match(head, start)
        if match:
            return match[2].decode()
        if end < 0:
            return None
        line = head[start:end]
        start = end + 1
        if len(line) < _PARSE_AT_MOST:
            try:
                event = parse_json(line)
            except (ValueError, RecursionError):
                continue
            device = event.get("device") if isinstance(event, dict) else None
            if isinstance(device, str) and re.fullmatch(_DEVICE, device):
                return device
    return None


def event_id(line: bytes) -> str | None:
    """The id of the event a journal line holds, or None if it holds no readable event. The whole
    line is read: a damaged line may still begin like an event."""
    try:
        event = parse_json(line)
    except (ValueError, RecursionError):
        return None
    value = event.get("id") if isinstance(event, dict) else None
    return value if isinstance(value, str) else None


def ids_in(path: Path, wanted: set[str]) -> set[str]:
    """Which of the `wanted` ids a journal file holds a readable event of. A line is parsed only
    if it begins as an event with one of those ids: years of journal are looked through quickly."""
    found = set()
    wanted_bytes = {key.encode() for key in wanted}
    try:
        with open(path, "rb") as handle:
            for line in handle:
                if not line.endswith(b"\n"):
                    continue
                # How this app writes every line: its id then read without a regular expression.
                if line[:_PLAIN_OPENING] in _PLAIN_OPENINGS:
                    if line[_PLAIN_OPENING:line.find(b'"', _PLAIN_OPENING)] not in wanted_bytes:
                        continue
                else:
                    opening = _ENVELOPE.match(line)
                    if opening is not None and opening[1] not in wanted_bytes:
                        continue
                key = event_id(line)
                if key in wanted:
                    found.add(key)
    except FileNotFoundError:
        pass
    return found


def size_of(handle: BinaryIO) -> int:
    return os.fstat(handle.fileno()).st_size
