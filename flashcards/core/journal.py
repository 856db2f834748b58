"""One device's journal: a JSON Lines file that only ever grows, one event a line.

A line is on disk once `append` returns. A crash can only leave the last line cut short; that
torn line is cut off (and kept in damaged/) the next time the device opens its journal.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from .files import NEW_FILE_MODE, fsync_folder

# How many bytes before a read position are remembered, to notice a journal replaced under us.
TAIL_LENGTH = 64


class Journal:
    """This device's own journal, open for appending."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._size = 0
        # Set when a failed append may have left part of a line behind.
        self._unclean = False

    @property
    def size(self) -> int:
        """How far the journal is known to be complete: every byte before this is a whole line."""
        return self._size

    def cut_torn_tail(self) -> bytes:
        """Cut off a last line left unfinished by a crash and return it (empty if there was none)."""
        try:
            handle = open(self.path, "r+b")
        except FileNotFoundError:
            return b""
        except PermissionError:
            # A read-only folder: nothing will be appended, so a torn line can stay until later.
            handle = None
        if handle is None:
            self._size = _complete_length(self.path)
            return b""
        with handle:
            size = handle.seek(0, os.SEEK_END)
            end = _complete_length(self.path, size)
            self._size = end
            if end == size:
                return b""
            handle.seek(end)
            torn = handle.read()
            handle.truncate(end)
            handle.flush()
            os.fsync(handle.fileno())
            return torn

    def append(self, data: bytes) -> None:
        """Write whole lines and return once they are on disk; on failure leave the file as it was."""
        fd = self._open()
        if self._unclean:
            # The last failure could not cut its partial line off at the time (a read-only disk).
            os.ftruncate(fd, self._size)
            self._unclean = False
        try:
            written = os.write(fd, data)
            while written < len(data):
                written += os.write(fd, data[written:])
            os.fsync(fd)
        except OSError:
            self._unclean = True
            try:
                os.ftruncate(fd, self._size)
                self._unclean = False
            except OSError:
                pass
            raise
        self._size += len(data)

    def _open(self) -> int:
        if self._fd is None:
            created = not self.path.exists()
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT,
                               NEW_FILE_MODE)
            if created:
                fsync_folder(self.path.parent)
        return self._fd

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def read_lines(path: Path, start: int) -> Iterator[tuple[int, bytes]]:
    """Every whole line from `start` on, with the position where it begins.

    A last line without its newline is not yielded: it is still being written, or being copied
    in by a sync tool, or was torn by a crash.
    """
    with open(path, "rb") as handle:
        handle.seek(start)
        position = start
        for line in handle:
            if not line.endswith(b"\n"):
                return
            yield position, line
            position += len(line)


# Where an event may begin: every event this app (or an earlier one) wrote starts with its "v".
_EVENT_START = re.compile(rb'\{\s*"v"\s*:')
_DECODER = json.JSONDecoder()


def split_damaged(line: bytes) -> tuple[list[tuple[int, bytes]], list[tuple[int, bytes]]]:
    """The whole events inside a line that is not one event, and the stretches that are not
    events, each with its offset in the line.

    Damage joins what it leaves to the next whole line: a block of NUL bytes written over a
    newline, or bytes put between two lines without one of their own. The event after them is
    still whole, and is found by where it starts. The line is read as Latin-1 only to find
    where each JSON value ends: one character a byte, so offsets are byte offsets.
    """
    text = line.decode("latin-1")
    events: list[tuple[int, bytes]] = []
    damage: list[tuple[int, bytes]] = []
    done = 0
    for match in _EVENT_START.finditer(line):
        start = match.start()
        if start < done:
            continue
        try:
            _value, end = _DECODER.raw_decode(text, start)
        except (ValueError, RecursionError):
            continue
        if line[done:start].strip():
            damage.append((done, line[done:start]))
        events.append((start, line[start:end]))
        done = end
    if line[done:].strip():
        damage.append((done, line[done:]))
    return events, damage


def tail_check(path: Path, end: int) -> int | None:
    """A checksum of the bytes just before `end`, or None if the file is shorter than that."""
    try:
        with open(path, "rb") as handle:
            if handle.seek(0, os.SEEK_END) < end:
                return None
            start = max(0, end - TAIL_LENGTH)
            handle.seek(start)
            return zlib.crc32(handle.read(end - start))
    except FileNotFoundError:
        return None


def _complete_length(path: Path, size: int | None = None) -> int:
    """The length of the file up to and including its last newline."""
    with open(path, "rb") as handle:
        size = handle.seek(0, os.SEEK_END) if size is None else size
        position = size
        while position > 0:
            step = min(65536, position)
            handle.seek(position - step)
            block = handle.read(step)
            newline = block.rfind(b"\n")
            if newline >= 0:
                return position - step + newline + 1
            position -= step
        return 0
