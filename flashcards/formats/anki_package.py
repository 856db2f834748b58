"""An Anki package on disk: a zip holding a collection, numbered media files and their names.

A package comes from anyone, so nothing in it is trusted: entry paths are checked, and every byte
read out of it counts against a budget, so a small file cannot unpack into a disk-filling one.
"""

from __future__ import annotations

import enum
import json
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import unquote

import zstandard

from . import FormatError
from .anki_protobuf import ProtobufError, message_fields, number_field, text_field

# Everything a package may unpack into, all entries together.
MAX_TOTAL_BYTES = 2 * 1024**3
# Real collections and images compress far less than this; zip bombs compress far more.
MAX_RATIO = 200
# Small entries may compress well (an empty JSON map, a tiny database) without being suspicious.
LARGE_ENTRY_BYTES = 8 * 1024**2
_CHUNK = 1024**2
_SMALL_ENTRY_BYTES = 64 * 1024**2


class Layout(enum.IntEnum):
    """Which generation of Anki wrote the package; the number is what the `meta` entry says."""

    LEGACY_1 = 1
    LEGACY_2 = 2
    LATEST = 3

    @property
    def collection_entry(self) -> str:
        return {Layout.LEGACY_1: "collection.anki2", Layout.LEGACY_2: "collection.anki21",
                Layout.LATEST: "collection.anki21b"}[self]

    @property
    def compressed(self) -> bool:
        return self is Layout.LATEST


def is_plain_file_name(name: str) -> bool:
    """A name that can only mean a file directly inside the media folder, even URL-decoded."""
    return all(bool(form) and form not in (".", "..") and not any(c in form for c in "/\\\x00:")
               for form in (name, unquote(name)))


class AnkiPackage:
    def __init__(self, path: Path, cancelled: Callable[[], bool] | None = None) -> None:
        self.path = path
        self._cancelled = cancelled or (lambda: False)
        self._left = MAX_TOTAL_BYTES
        self._zip = _open_zip(path)
        try:
            self._entries = {info.filename: info for info in self._zip.infolist()}
            self._check_entries()
            self.layout = self._read_layout()
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self) -> AnkiPackage:
        return self

    def __exit__(self, *exc) -> None:
        self._zip.close()

    # -- what the zip holds ----------------------------------------------------------------------
    def _check_entries(self) -> None:
        total = 0
        for info in self._entries.values():
            if not _is_safe_entry_name(info.filename):
                raise FormatError(f"{self.path.name} has an entry with an unsafe path: "
                                  f"{info.filename[:80]!r}")
            if info.file_size > LARGE_ENTRY_BYTES and \
                    info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise FormatError(f"{self.path.name} looks like a zip bomb: {info.filename} "
                                  f"is compressed more than {MAX_RATIO}:1")
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise FormatError(f"{self.path.name} would unpack to more than "
                              f"{_size_text(MAX_TOTAL_BYTES)}")

    def _read_layout(self) -> Layout:
        if "meta" in self._entries:
            try:
                version = number_field(self._read_small("meta"), 1)
            except ProtobufError:
                raise FormatError(f"{self.path.name} is damaged: its version entry is unreadable")
            if version not in {layout.value for layout in Layout}:
                raise FormatError(f"{self.path.name} was made by a newer Anki (package version "
                                  f"{version}); export it again with 'Support older Anki versions'")
            layout = Layout(version)
        elif "collection.anki21" in self._entries:
            layout = Layout.LEGACY_2
        else:
            layout = Layout.LEGACY_1
        if layout.collection_entry not in self._entries:
            raise FormatError(f"{self.path.name} is not an Anki package: "
                              f"it has no {layout.collection_entry}")
        return layout

    # -- reading entries -------------------------------------------------------------------------
    def extract_collection(self, target: Path) -> None:
        """Write the collection's SQLite database to `target`, unpacking it if need be."""
        with open(target, "wb") as out:
            for chunk in self._chunks(self.layout.collection_entry, self.layout.compressed):
                out.write(chunk)

    def media_entries(self) -> dict[str, str]:
        """Media file name -> the zip entry holding it, for entries that exist and have plain names."""
        if "media" not in self._entries:
            return {}
        data = self._read_small("media", self.layout.compressed)
        try:
            names = self._latest_media_names(data) if self.layout.compressed else \
                _legacy_media_names(data)
        except (ValueError, TypeError, AttributeError, RecursionError):
            raise FormatError(f"{self.path.name} is damaged: its media list is unreadable")
        return {name: entry for name, entry in names.items()
                if entry in self._entries and is_plain_file_name(name)}

    def read_media(self, entry: str) -> bytes:
        return b"".join(self._chunks(entry, self.layout.compressed))

    def _latest_media_names(self, data: bytes) -> dict[str, str]:
        names = {}
        for index, item in enumerate(message_fields(data, 1)):
            names[text_field(item, 1)] = str(number_field(item, 255, index))
        return names

    def _read_small(self, entry: str, zstd: bool = False) -> bytes:
        data = bytearray()
        for chunk in self._chunks(entry, zstd):
            data += chunk
            if len(data) > _SMALL_ENTRY_BYTES:
                raise FormatError(f"{self.path.name} is damaged: {entry} is far too large")
        return bytes(data)

    def _chunks(self, entry: str, zstd: bool) -> Iterator[bytes]:
        """The entry's bytes, unpacked, each chunk charged to the package's budget."""
        info = self._entries[entry]
        try:
            with self._zip.open(info) as member:
                source = _zstd_reader(member) if zstd else member
                produced = 0
                while chunk := source.read(_CHUNK):
                    produced += len(chunk)
                    self._charge(entry, len(chunk), produced, info.file_size)
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, zstandard.ZstdError, EOFError, OSError,
                NotImplementedError, RuntimeError) as error:
            raise FormatError(f"{self.path.name} is damaged: {entry} cannot be unpacked "
                              f"({_first_line(error)})") from None

    def _charge(self, entry: str, size: int, produced: int, packed: int) -> None:
        if self._cancelled():
            raise FormatError("import cancelled")
        self._left -= size
        if self._left < 0:
            raise FormatError(f"{self.path.name} unpacks to more than "
                              f"{_size_text(MAX_TOTAL_BYTES)}")
        if produced > LARGE_ENTRY_BYTES and produced > MAX_RATIO * max(packed, 1):
            raise FormatError(f"{self.path.name} looks like a zip bomb: {entry} unpacks "
                              f"more than {MAX_RATIO}:1")


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        if path.stat().st_size == 0:
            raise FormatError(f"{path.name} is empty")
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise FormatError(f"{path.name} is not an Anki package (not a zip file, or cut short)") \
            from None
    except (OSError, EOFError, ValueError, NotImplementedError) as error:
        raise FormatError(f"Cannot open {path.name}: {_first_line(error)}") from None


def _zstd_reader(member: BinaryIO) -> BinaryIO:
    return zstandard.ZstdDecompressor().stream_reader(member, read_across_frames=True)


def _legacy_media_names(data: bytes) -> dict[str, str]:
    mapping = json.loads(data.decode("utf-8") or "{}")
    return {str(name): str(entry) for entry, name in mapping.items()}


def _is_safe_entry_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not (path.is_absolute() or ".." in path.parts or "\\" in name or "\x00" in name
                or (len(name) > 1 and name[1] == ":"))


def _size_text(size: int) -> str:
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} bytes"


def _first_line(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text.splitlines()[0][:200]
