"""One device's journal: JSON Lines files that only ever grow, one event a line.

The journal is written in segments (see journal_files for their names): once a segment holds
SEGMENT_BYTES, the next event starts a new one, and the closed segment never changes again.
A line is on disk once `append` returns. A crash can only leave the last line of the last segment
cut short; that torn line is cut off (and kept in damaged/) the next time the device opens it.
"""

from __future__ import annotations

import errno
import json
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from .files import NEW_FILE_MODE, fsync_folder

# How long a segment of a journal grows before the next one begins. A sync tool that uploads whole
# files (Nextcloud) then sends a few MB after each review, not years of journal; a few MB is
# also small enough to check quickly and large enough that even a million reviews (about 500 MB)
# make a folder of a hundred or so segments. A segment only ever exceeds it by one append larger
# than itself (a big import). Tests make it smaller.
SEGMENT_BYTES = 4 * 1024 * 1024

# How many bytes at each end of what was read of a journal are remembered, to notice the file
# replaced or cut short since: a disk block at each end, two small reads to check.
WINDOW = 4096
# Snapshots of format 3 remembered a checksum of the last 64 bytes before the read position.
OLD_TAIL_LENGTH = 64


@dataclass(frozen=True)
class ReadPoint:
    """How far a journal has been read: `size` bytes of whole lines, `lines` of them, and the first
    and the last WINDOW bytes of those (all of them when fewer) as they were read.

    Checking both ends notices a journal a sync tool replaced by another version, whether shorter,
    as long or longer, and one cut short; it costs two small reads, where a checksum of every byte
    would mean reading years of journal at each start."""

    size: int = 0
    lines: int = 0
    head: bytes = b""
    tail: bytes = b""

    def record(self) -> dict:
        """What a snapshot keeps of it."""
        return {"size": self.size, "lines": self.lines, "head_crc32": zlib.crc32(self.head),
                "tail_crc32": zlib.crc32(self.tail)}

    def still_in(self, handle: BinaryIO) -> bool:
        """Whether the open journal still holds, where they were read, the bytes that were read."""
        return (_read_at(handle, 0, len(self.head)) == self.head
                and _read_at(handle, self.size - len(self.tail), len(self.tail)) == self.tail)

    def after(self, data: bytes) -> ReadPoint:
        """The point past whole lines this app has just appended."""
        head = self.head if len(self.head) >= WINDOW else (self.head + data[:WINDOW])[:WINDOW]
        tail = data[-WINDOW:] if len(data) >= WINDOW else (self.tail + data)[-WINDOW:]
        return ReadPoint(self.size + len(data), self.lines + data.count(b"\n"), head, tail)


def read_point(handle: BinaryIO, size: int, lines: int) -> ReadPoint:
    """The point `size` bytes into an open journal, its two ends read from that same file."""
    length = min(size, WINDOW)
    return ReadPoint(size, lines, _read_at(handle, 0, length), _read_at(handle, size - length, length))


def recorded_point(handle: BinaryIO, entry: dict) -> ReadPoint | None:
    """The point a snapshot recorded (`entry`, from ReadPoint.record), or None if the open journal
    no longer holds what was read then.

    A format 3 snapshot kept only the size and a checksum of the last 64 bytes; its lines are
    counted here, once, as it is converted."""
    size = entry["size"]
    point = read_point(handle, size, entry.get("lines", 0))
    if len(point.tail) != min(size, WINDOW):
        return None  # shorter than what was read
    if "tail_crc32" in entry:
        if (zlib.crc32(point.head), zlib.crc32(point.tail)) != (entry["head_crc32"],
                                                                 entry["tail_crc32"]):
            return None
        return point
    if entry["tail"] != zlib.crc32(point.tail[-OLD_TAIL_LENGTH:]):
        return None
    return replace(point, lines=_count_lines(handle, size))


def _read_at(handle: BinaryIO, start: int, length: int) -> bytes:
    handle.seek(start)
    return handle.read(length)


def _count_lines(handle: BinaryIO, size: int) -> int:
    handle.seek(0)
    count = 0
    while size > 0:
        block = handle.read(min(size, 1 << 20))
        if not block:
            break
        count += block.count(b"\n")
        size -= len(block)
    return count


class Journal:
    """One segment of this device's own journal, open for appending.

    The file is kept open from the start, and its identity (device and inode) remembered, so that
    a file put in its place (a sync tool or a backup program renames another copy over it) or one
    deleted is noticed before the next append, which would otherwise go on into a file no longer
    in the folder. Opened for reading too: what this app wrote into it can still be read from
    the replaced file, once it is gone from the folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        # The path as the operating system takes it, made once: it is looked up before each append.
        self._where = os.fspath(path)
        self._fd: int | None = None
        # Every byte before this is a whole line.
        self._size = 0
        # The size of the file as this app last left it, a torn line it could not cut included.
        self._file_size = 0
        # The (device, inode) of the file this app reads and appends to; None while there is none.
        self._identity: tuple[int, int] | None = None
        # Set when a failed append may have left part of a line behind.
        self._unclean = False

    @property
    def size(self) -> int:
        """How far the journal is known to be complete: every byte before this is a whole line."""
        return self._size

    def open(self) -> bytes:
        """Open the file if there is one; cut off a last line left unfinished by a crash and
        return it (empty if there was none)."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | _BINARY)
        except FileNotFoundError:
            return b""
        except OSError as error:
            if error.errno not in _READ_ONLY:
                raise
            # A read-only folder: nothing can be appended yet, so a torn line can stay until the
            # first append, which cuts it off first.
            status = os.stat(self.path)
            self._identity = (status.st_dev, status.st_ino)
            self._file_size = status.st_size
            self._size = _complete_length(self.path, status.st_size)
            self._unclean = self._size != self._file_size
            return b""
        self._fd = fd
        status = os.fstat(fd)
        self._identity = (status.st_dev, status.st_ino)
        size = status.st_size
        end = _complete_length(self.path, size)
        self._size = self._file_size = end
        if end == size:
            return b""
        torn = _read_fd(fd, end, size - end)
        os.ftruncate(fd, end)
        os.fsync(fd)
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
        self._size = self._file_size = self._size + len(data)

    def create(self) -> None:
        """Create the file, empty: a new segment. FileExistsError if there is one already: a file
        this app has not read is never appended to."""
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_EXCL | _BINARY,
                     NEW_FILE_MODE)
        self._take(fd)
        self._size = self._file_size = 0
        fsync_folder(self.path.parent)

    def finish(self) -> None:
        """Before the next segment begins: cut off what a failed append may have left behind."""
        if self._unclean and self._fd is not None:
            os.ftruncate(self._fd, self._size)
            self._unclean = False

    def moved(self) -> bool:
        """Whether the file at the path is no longer the file as this app left it: another one put
        in its place, deleted, or changed in place (copied over, cut short). One stat, no read:
        cheap enough before every append."""
        try:
            status = os.stat(self._where)
        except FileNotFoundError:
            return self._identity is not None
        if (status.st_dev, status.st_ino) != self._identity:
            return True  # another file, or one where there was none
        if self._unclean:
            return status.st_size < self._size  # part of a line may still be there
        return status.st_size != self._file_size

    @property
    def had_file(self) -> bool:
        """Whether there was a file for this app to read or write (False until it creates one)."""
        return self._identity is not None

    def written(self) -> bytes | None:
        """The whole lines of the file this app had open, read through its own handle: after the
        file was replaced or deleted, what only this app still holds. None if it cannot be read
        (never opened, or cut short in place, so that what it held is gone)."""
        if self._fd is None or os.fstat(self._fd).st_size < self._size:
            return None
        return _read_fd(self._fd, 0, self._size)

    def in_place(self) -> bool:
        """Whether the file at the path is still the one this app has open (so a change was made
        in place)."""
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            return False
        return (status.st_dev, status.st_ino) == self._identity

    def _open(self) -> int:
        if self._fd is None:
            created = not self.path.exists()
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT | _BINARY, NEW_FILE_MODE)
            self._take(fd)
            if created:
                fsync_folder(self.path.parent)
        return self._fd

    def _take(self, fd: int) -> None:
        status = os.fstat(fd)
        self._fd, self._identity = fd, (status.st_dev, status.st_ino)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


_BINARY = getattr(os, "O_BINARY", 0)
_READ_ONLY = (errno.EACCES, errno.EPERM, errno.EROFS)


def _read_fd(fd: int, start: int, length: int) -> bytes:
    """`length` bytes from `start` of an open file (fewer if it ends first)."""
    os.lseek(fd, start, os.SEEK_SET)
    pieces = []
    while length > 0:
        piece = os.read(fd, min(length, 1 << 20))
        if not piece:
            break
        pieces.append(piece)
        length -= len(piece)
    return b"".join(pieces)


def read_lines(path: Path, start: int) -> Iterator[tuple[int, bytes]]:
    """Every whole line from `start` on, with the position where it begins.

    A last line without its newline is not yielded: it is still being written, or being copied
    in by a sync tool, or was torn by a crash.
    """
    with open(path, "rb") as handle:
        yield from lines_from(handle, start)


def lines_from(handle: BinaryIO, start: int) -> Iterator[tuple[int, bytes]]:
    """read_lines on a journal already open."""
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
