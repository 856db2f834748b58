"""The snapshot: the merged state written as one JSON file, so start-up need not replay history.

The file is one JSON object, written with a fixed line layout so that start-up can read the small
parts and leave each deck's cards unread until that deck is opened:

    line 1      {"crc32":"<8 hex digits>","format":…,"version":6,…,"decks":[{id, name, kind, …,
                "cards": count, "removed": bool}, …],
    line 2      "progress":{
    lines 3…    "card":[…],  "phase":[…],  "due":[…], …              one line per progress column
    then        "deck_cards":{
    then        "<deck id>":[{"id":…,"front":…,"back":…,"k":[…]},…],  one line per deck, in "decks" order
    last line   }}

Each deck's line keeps every card placed in it, with the keys of the events that set its parts
(card_book.CardEntry.to_json), removed cards and removed decks included: an older event arriving
later is weighed against them. The progress rows hold the seen cards of each deck not removed, in
deck order ("cards" of them per deck), then the rest. "parked" says which deck keeps each card a
learner does not see, so an event about one finds it without reading every deck.

Line 1 also holds, when the snapshot was written with a moment (at close), each deck's counting
digest ("counting", see counting_digest): the deck list's counts come from it at start-up, and
the progress columns are read the first time anything else needs them.

Times are whole microseconds since 1970, UTC. `crc32` opens the file, at a fixed place, and is
the checksum of the rest of line 1 (decks, settings, how far each journal was read, the presets,
the digest, and "lines": every later line's length and checksum). Start-up reads line 1 only;
the first time anything else is needed every later line is checked at once (SnapshotText), and
damage found then rebuilds the state from the journals (CollectionState.when_damaged).
Version 5 had the same lines with one checksum over every byte after it and no "lines"; version 4
had no keys in the cards (each deck's last whole-deck event had placed them all); version 3 had
no `crc32` either, and a `body_crc32` in line 1 that guarded only the lines after it. All are
read, and converted.
Any other file, including this one reformatted by hand, is treated as unreadable and rebuilt from
the journals.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import zlib
from datetime import date, datetime, timezone
from typing import BinaryIO, Callable

import orjson

from .card_book import CardEntry
from .counting_digest import CountingDigest, make_digest
from .deck import CardId, Deck, DeckId, DeckKind
from .deck_options import DeckOptions
from .events import EVENT_VERSION
from .json_text import parse as parse_json
from .progress_table import ProgressTable, micros_from_seconds
from .state import CollectionState, DamagedLater, Marks

SNAPSHOT_FORMAT = "flashcards-snapshot"
SNAPSHOT_VERSION = 6

# What to do with a snapshot of an older version. The first slice's version 1 kept everything in
# one object; its journals hold the same facts, so it is set aside and rebuilt from them.
# Version 2 kept the progress on one line with times as float seconds: it is read and converted.
# Version 3 is version 4 without the checksum of its first line, and version 4 is version 5
# without the cards' keys: read as they are, then rewritten.
MIGRATIONS: dict[int, str] = {1: "rebuild", 2: "convert", 3: "convert", 4: "convert",
                              5: "convert"}

# The opening of a version 4 file, before and after the checksum's 8 hex digits.
_CHECKSUM_OPENING = b'{"crc32":"'
_CHECKSUM_CLOSING = b'",'
_CHECKED_FROM = len(_CHECKSUM_OPENING) + 8 + len(_CHECKSUM_CLOSING)

_PROGRESS = b'"progress":'
_PROGRESS_COLUMNS = b'"progress":{'
_DECK_CARDS = b'"deck_cards":{'


class SnapshotUnreadable(ValueError):
    """The snapshot cannot be used; the reason is worded for a person."""


class OlderSnapshot(SnapshotUnreadable):
    """A snapshot from an earlier version of the app, to be migrated."""


class DamagedPart(SnapshotUnreadable, DamagedLater):
    """A part of the snapshot does not match its checksum, found when the parts were first read
    (see SnapshotText.check_before_reading)."""


# Reading a part again from the open file needs pread, and replacing a file that is held open
# needs a system that allows it (not Windows).
_CAN_KEEP_OPEN = os.name != "nt" and hasattr(os, "pread")


class SnapshotText:
    """Parts of a snapshot read again when first needed, so the whole file need not stay in
    memory: most decks are never opened in a session.

    Made from the file's bytes as read, and, where it can be, the file itself held open: a part
    is then read from the file again (checked against the bytes first read), and the bytes are
    let go. A snapshot is never changed in place, only replaced, so the open file keeps the very
    bytes that were read, even after the app writes a new snapshot over its name. Where an open
    file cannot be replaced (Windows), the bytes stay in memory instead.
    """

    def __init__(self, data: bytes | None, file: BinaryIO | None = None) -> None:
        """`file`, if given, is the open file `data` was read from; this takes it over. Without
        `data`, every part is read from the file."""
        self._data: bytes | None = data
        self._file = file
        self._unchecked: list[tuple[int, int, int]] = []
        if file is not None and not _CAN_KEEP_OPEN and data is not None:
            file.close()
            self._file = None

    def check_before_reading(self, parts: list[tuple[int, int, int]]) -> None:
        """Check every one of `parts` against its checksum before any part is read: damage is
        then found at one moment, before anything read from the file is used."""
        self._unchecked = parts

    def check_now(self) -> None:
        parts, self._unchecked = self._unchecked, []
        for number, part in enumerate(parts, start=2):
            start, end, crc = part
            if zlib.crc32(self._bytes(start, end)) != crc:
                self._unchecked = parts
                raise DamagedPart(f"its line {number} does not match its checksum")

    def part(self, start: int, end: int) -> tuple[int, int, int]:
        """A part to read later: its place and the checksum of its bytes now."""
        return start, end, zlib.crc32(memoryview(self._data)[start:end])

    def read(self, part: tuple[int, int, int]) -> bytes:
        if self._unchecked:
            self.check_now()
        start, end, crc = part
        if self._data is not None:
            return self._data[start:end]
        text = self._bytes(start, end)
        if zlib.crc32(text) != crc:
            raise SnapshotUnreadable("it changed on disk while the app had it open; "
                                     "restart Flashcards to read it again")
        return text

    def _bytes(self, start: int, end: int) -> bytes:
        if self._data is not None:
            return self._data[start:end]
        text = os.pread(self._file.fileno(), end - start, start)
        if len(text) != end - start:
            raise DamagedPart("it is shorter than its first line says")
        return text

    def let_go(self) -> None:
        """Keep only the open file from now on (when there is one)."""
        if self._file is not None:
            self._data = None

    def __del__(self) -> None:
        if self._file is not None:
            self._file.close()


class UnreadEntries:
    """A deck's cards as the snapshot's text, read into entries when first called."""

    def __init__(self, text: SnapshotText, part: tuple[int, int, int], deck_id: DeckId,
                 default_key, line_opening: bytes = b"") -> None:
        """`line_opening`: what the part begins with before the cards (a version 6 part is the
        deck's whole line), checked and left out."""
        self._text, self._part, self._deck_id, self._default_key = text, part, deck_id, default_key
        self._opening = line_opening

    def text(self) -> bytes:
        line = self._text.read(self._part)
        if not self._opening:
            return line
        if not line.startswith(self._opening):
            raise SnapshotUnreadable(f"the cards of deck {self._deck_id!r} are not where they "
                                     "should be")
        return line[len(self._opening):].removesuffix(b",")

    def __call__(self) -> list[CardEntry]:
        try:
            with collector_paused():  # thousands of cards at once: twice as fast
                entries = parse_json(self.text())
                return [CardEntry.from_json(entry, self._deck_id, self._default_key, order)
                        for order, entry in enumerate(entries, start=1)]
        except DamagedLater:
            raise  # the state that read it becomes the journals' (CollectionState.when_damaged)
        except (ValueError, KeyError, TypeError) as error:
            raise SnapshotUnreadable(f"the cards of deck {self._deck_id!r} are damaged "
                                     f"({error})") from error


def encode(state: CollectionState, journals: dict[str, dict], device: str,
           copies: dict[str, dict] | None = None, now: datetime | None = None) -> bytes:
    """`journals` and `copies`: how far each journal, and each copy a sync tool made of one, was
    read (journal.ReadPoint.record()); `now`, if given, the moment the counting digest is made
    for (see counting_digest)."""
    # Every card becomes a dict on the way to text: with the collector running, making them would
    # walk the whole heap several times over.
    with collector_paused():
        return _encode(state, journals, device, copies or {}, now)


def _encode(state: CollectionState, journals: dict[str, dict], device: str,
            copies: dict[str, dict], now: datetime | None) -> bytes:
    seen_rows, seen = state.deck_rows, state.decks  # the rows first: see deck_rows
    rows: list[int] = []
    meta = []
    deck_ids = state.all_deck_ids()
    for deck_id in deck_ids:
        deck = state.metas.get(deck_id)
        if deck is None:  # cards waiting for the event that creates their deck
            meta.append({"id": deck_id, "cards": 0, "uncreated": True})
            continue
        deck_rows = seen_rows.get(deck_id, []) if deck_id in seen else []
        meta.append({"id": deck.id, "name": deck.name, "kind": deck.kind.value,
                     "revision": deck.revision, "description": deck.description,
                     "cards": len(deck_rows), "removed": deck_id not in seen})
        rows.extend(deck_rows)
    in_decks = set(rows)
    # A card in two decks (from a version-3 snapshot) is written on a row of each.
    shared_rows = len(rows) - len(in_decks)
    rows.extend(row for row in state.progress.live_rows() if row not in in_decks)
    columns = state.progress.columns(rows)
    lines = [_PROGRESS_COLUMNS]
    lines += [_dumps(name) + b":" + _dumps_bulk(values) + b"," for name, values in columns.items()]
    lines[-1] = lines[-1][:-1] + b"},"
    lines.append(_DECK_CARDS)
    for index, deck_id in enumerate(deck_ids):
        cards = state.unread_text(deck_id)
        if cards is None:
            cards = _dumps_bulk([entry.to_json() for entry in state.entries(deck_id)])
        comma = b"," if index < len(deck_ids) - 1 else b""
        lines.append(_dumps(deck_id) + b":" + cards + comma)
    lines.append(b"}}")
    body = b"\n".join(lines)
    header = {
        "format": SNAPSHOT_FORMAT, "version": SNAPSHOT_VERSION, "event_version": EVENT_VERSION,
        "device": device, "written": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "journals": journals, "copies": copies, "review_count": state.review_count,
        "last_seq": state.last_seq, "skipped_newer": state.skipped_newer,
        "settings": state.settings, "keys": {slot: list(key) for slot, key in state.keys.items()},
        "shared_rows": shared_rows, "decks": meta, "parked": state.parked(),
        "marks": {card: _marks_to_json(marks) for card, marks in state.marks.items()},
        "presets": {preset: options.to_json() for preset, options in state.presets.items()},
        "deck_presets": state.deck_presets,
    }
    if now is not None and shared_rows == 0:
        header["counting"] = make_digest(state, now).to_json()
    header["lines"] = [[len(line), zlib.crc32(line)] for line in lines]
    # The header's fields without its braces: the checksum goes first, the body follows.
    fields = _dumps(header)[1:-1] + b",\n"
    checksum = zlib.crc32(fields)
    return b"".join([_CHECKSUM_OPENING, b"%08x" % checksum, _CHECKSUM_CLOSING, fields, body])


def _marks_to_json(marks: Marks) -> dict:
    entry: dict = {}
    if marks.suspended:
        entry["suspended"] = True
    if marks.buried_until is not None:
        entry["buried_until"] = marks.buried_until.isoformat()
    if marks.flag:
        entry["flag"] = marks.flag
    return entry


def _marks_from_json(entry: dict) -> Marks:
    until = entry.get("buried_until")
    return Marks(suspended=entry.get("suspended") is True,
                 buried_until=None if until is None else date.fromisoformat(until),
                 flag=int(entry.get("flag", 0)))


@contextlib.contextmanager
def collector_paused():
    """Build many objects at once without the cycle collector running over them again and again.

    Loading creates no reference cycles, so nothing is left for the collector to find.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read(file: BinaryIO) -> tuple[CollectionState, dict]:
    """The snapshot in an open file, which is taken over: parts not needed at once (each deck's
    cards, the progress) are read from it when first needed. Of a version 6 file only the first
    line is read now; every other line is checked the first time one is needed."""
    first = file.readline()
    header = _own_first_line(first)
    if header is None or not _CAN_KEEP_OPEN:
        return decode(first + file.read(), file)
    text = SnapshotText(None, file)
    try:
        with collector_paused():
            state = _from_lines(header, len(first), os.fstat(file.fileno()).st_size, text)
    except SnapshotUnreadable:
        raise
    except _DAMAGE as error:
        raise SnapshotUnreadable(f"it is damaged ({error})") from error
    return state, header


def _own_first_line(first: bytes) -> dict | None:
    """The header of a version 6 first line that matches its own checksum (else None)."""
    written = first[len(_CHECKSUM_OPENING):_CHECKED_FROM - len(_CHECKSUM_CLOSING)]
    if (not first.startswith(_CHECKSUM_OPENING) or not first.endswith(b",\n")
            or first[_CHECKED_FROM - len(_CHECKSUM_CLOSING):_CHECKED_FROM] != _CHECKSUM_CLOSING
            or b"%08x" % zlib.crc32(memoryview(first)[_CHECKED_FROM:]) != written):
        return None
    try:
        header = parse_json(first[:-2] + b"}")
    except ValueError:
        return None
    if (not isinstance(header, dict) or header.get("format") != SNAPSHOT_FORMAT
            or header.get("version") != 6):
        return None
    return header


def decode(data: bytes, file: BinaryIO | None = None) -> tuple[CollectionState, dict]:
    """The state and the header; raises SnapshotUnreadable with the reason.

    Given the open `file` the bytes came from, `data` need not be kept (see SnapshotText).
    """
    text = SnapshotText(data, file)
    try:
        with collector_paused():
            decoded = _decode(data, text)
        text.let_go()
        return decoded
    except SnapshotUnreadable:
        raise
    except _DAMAGE as error:
        raise SnapshotUnreadable(f"it is damaged ({error})") from error


_DAMAGE = (ValueError, KeyError, TypeError, IndexError, AttributeError, OverflowError,
           RecursionError)


def _decode(data: bytes, text: SnapshotText) -> tuple[CollectionState, dict]:
    first = data.find(b"\n")
    header = _own_first_line(data[:first + 1]) if first > 0 else None
    if header is not None:
        state = _from_lines(header, first + 1, len(data), text)
        text.check_now()
        return state, header
    checked = data.startswith(_CHECKSUM_OPENING)
    if checked:
        # Checked before anything in the file is believed, its version included.
        written = data[len(_CHECKSUM_OPENING):_CHECKED_FROM - len(_CHECKSUM_CLOSING)]
        if (data[_CHECKED_FROM - len(_CHECKSUM_CLOSING):_CHECKED_FROM] != _CHECKSUM_CLOSING
                or b"%08x" % zlib.crc32(memoryview(data)[_CHECKED_FROM:]) != written):
            raise SnapshotUnreadable("its contents do not match its checksum")
    first = data.find(b"\n")
    header = parse_json(data[:first - 1] + b"}") if first > 0 else parse_json(data)
    if not isinstance(header, dict) or header.get("format") != SNAPSHOT_FORMAT:
        raise SnapshotUnreadable("it is not a Flashcards snapshot")
    version = header.get("version")
    if version == 6:
        raise SnapshotUnreadable("its first line does not match its checksum")
    if MIGRATIONS.get(version) == "rebuild":
        raise OlderSnapshot(f"it was written by an earlier version (format {version})")
    if version not in (SNAPSHOT_VERSION, *MIGRATIONS):
        raise SnapshotUnreadable(f"it was written by a newer version of Flashcards (format {version})")
    if not checked:
        if version >= 4:
            # Its opening was damaged: the checksum cannot be found, so nothing can be trusted.
            raise SnapshotUnreadable("its checksum is missing")
        # Versions 2 and 3 checked only what follows their first line.
        if zlib.crc32(memoryview(data)[first + 1:]) != header["body_crc32"]:
            raise SnapshotUnreadable("its contents do not match its checksum")
    _check_header(header, version)
    lines = _lines(data, first + 1)
    unique = version >= 3 and header["shared_rows"] == 0
    if version >= 3:
        read_progress = _progress_columns(data, text, lines, unique)
    else:
        progress = _progress_in_seconds(data, *next(lines))
        read_progress = lambda: progress  # noqa: E731
        header["keys"] = {slot: (micros_from_seconds(k[0]), *k[1:])
                          for slot, k in header["keys"].items()}
    if data[slice(*next(lines))] != _DECK_CARDS:
        raise SnapshotUnreadable("its deck section is not where it should be")
    deck_parts = [_deck_part(meta, data, text, *next(lines)) for meta in header["decks"]]
    if data[slice(*next(lines))] != b"}}" or next(lines, None) is not None:
        raise SnapshotUnreadable("it does not end where it should")
    if version < 5:
        _keys_per_part(header["keys"], header["decks"])
    return _state(header, unique, read_progress, text, deck_parts), header


def _from_lines(header: dict, body_start: int, size: int, text: SnapshotText) -> CollectionState:
    """A version 6 snapshot: each line after the first is a part whose length and checksum the
    first line gives; none is read here."""
    _check_header(header, 6)
    lines = header["lines"]
    columns = ProgressTable.COLUMNS
    if (not isinstance(lines, list) or len(lines) != len(columns) + len(header["decks"]) + 3
            or not all(isinstance(line, list) and len(line) == 2 and all(
                type(value) is int and value >= 0 for value in line) for line in lines)):
        raise SnapshotUnreadable("its list of lines is damaged")
    if size != body_start + sum(length for length, _crc in lines) + len(lines) - 1:
        raise SnapshotUnreadable("it is not as long as its first line says (it was cut off, or "
                                 "something was added)")
    parts, start = [], body_start
    for length, crc in lines:
        parts.append((start, start + length, crc))
        start += length + 1
    text.check_before_reading(parts)
    column_parts = dict(zip(columns, parts[1:1 + len(columns)]))
    deck_parts = parts[2 + len(columns):-1]

    def read(names) -> dict[str, list]:
        return {name: parse_json(_column_text(text.read(column_parts[name]), name))
                for name in names}

    unique = header["shared_rows"] == 0
    read_progress = lambda: ProgressTable(  # noqa: E731
        read(ProgressTable.COUNTING), unique=unique, later=lambda: read(ProgressTable.LATER))
    return _state(header, unique, read_progress, text, deck_parts,
                  openings=[_dumps(meta["id"]) + b":" for meta in header["decks"]])


def _column_text(line: bytes, name: str) -> bytes:
    opening = _dumps(name) + b":"
    if not line.startswith(opening):
        raise SnapshotUnreadable(f"its progress column {name!r} is not where it should be")
    return line[len(opening):].removesuffix(b",").removesuffix(b"}")


def _state(header: dict, unique: bool, read_progress: Callable[[], ProgressTable],
           text: SnapshotText, deck_parts: list, openings: list[bytes] | None = None
           ) -> CollectionState:
    keys = {slot: (int(k[0]), int(k[1]), str(k[2])) for slot, k in header["keys"].items()}
    state = CollectionState(
        settings=dict(header["settings"]), keys=keys,
        review_count=int(header["review_count"]), last_seq=int(header["last_seq"]),
        skipped_newer=int(header["skipped_newer"]))
    digest = header.get("counting")
    if unique and digest is not None:
        # The deck list's counts come from the digest: the progress is read when first used.
        state.counting_digest = CountingDigest.from_json(digest)
        state.read_progress_later(read_progress)
        rows_between = lambda start, end: list(range(start, end))  # noqa: E731
    else:
        state.read_progress_later(read_progress)
        rows_between = state.progress.rows_between
    first_row = 0
    for index, (meta, part) in enumerate(zip(header["decks"], deck_parts, strict=True)):
        deck_id = DeckId(str(meta["id"]))
        read = UnreadEntries(text, part, deck_id, keys.get("deck-listing:" + deck_id),
                             openings[index] if openings else b"")
        count = int(meta["cards"])
        rows = rows_between(first_row, first_row + count)
        first_row += count
        if meta.get("uncreated") is True:
            state.add_unread_book(deck_id, read)  # cards waiting for their deck to be created
            continue
        deck = Deck(id=deck_id, name=str(meta["name"]), kind=DeckKind(meta["kind"]),
                    description=str(meta["description"]), revision=int(meta["revision"]))
        state.add_unread_deck(deck, meta.get("removed") is True, read, rows)
    state.park({CardId(card): DeckId(deck) for card, deck in header.get("parked", {}).items()})
    state.marks.update({CardId(card): _marks_from_json(entry)
                        for card, entry in header.get("marks", {}).items()})
    # Deck options presets, since they came (an older snapshot has none).
    state.presets.update({str(preset): DeckOptions.from_json(options)
                          for preset, options in header.get("presets", {}).items()})
    state.deck_presets.update({DeckId(str(deck)): str(preset)
                               for deck, preset in header.get("deck_presets", {}).items()})
    return state


def _keys_per_part(keys: dict, decks: list[dict]) -> None:
    """Before version 5 one key ("deck:<id>", a whole-deck event's) set every part of a deck."""
    for meta in decks:
        key = keys.get("deck:" + str(meta["id"]))
        if key is not None:
            for part in ("deck-name:", "deck-info:", "deck-listing:"):
                keys[part + str(meta["id"])] = key


def _check_header(header: dict, version: int) -> None:
    """Raise SnapshotUnreadable unless every field the store reads is there, of its type.

    A version 4 header has passed its checksum by now; a version 3 one has nothing else to
    catch a damaged field before it stops the folder opening."""
    journals = header["journals"]
    # Copies of journals that sync tools made, merged: recorded like journals, since version 4
    # (an older snapshot has none).
    copies = header.setdefault("copies", {})
    if (type(header["event_version"]) is not int or not isinstance(journals, dict)
            or not isinstance(copies, dict)):
        raise SnapshotUnreadable("its first line is damaged")
    # Version 4 records how far each journal was read as journal.ReadPoint.record() gives it;
    # versions 2 and 3 kept the size and a checksum of the 64 bytes before it ("tail").
    fields = {"size": (int,), "lines": (int,), "head_crc32": (int,), "tail_crc32": (int,)}
    if version < 4:
        fields = {"size": (int,), "tail": (int, type(None))}
    for entry in [*journals.values(), *copies.values()]:
        if not isinstance(entry, dict) or any(
                type(entry.get(name)) not in types for name, types in fields.items()) or any(
                type(value) is int and value < 0 for value in entry.values()):
            raise SnapshotUnreadable("its list of journals is damaged")
    if not isinstance(header["settings"], dict) or not isinstance(header["keys"], dict):
        raise SnapshotUnreadable("its settings are damaged")
    if not isinstance(header["decks"], list) or not all(isinstance(m, dict) for m in header["decks"]):
        raise SnapshotUnreadable("its list of decks is damaged")


def _progress_columns(data: bytes, text: SnapshotText, lines,
                      unique: bool) -> Callable[[], ProgressTable]:
    """What reads the progress table, with only the columns that counting needs until others
    are used."""
    if data[slice(*next(lines))] != _PROGRESS_COLUMNS:
        raise SnapshotUnreadable("its progress section is not where it should be")
    places = {}
    for index, name in enumerate(ProgressTable.COLUMNS):
        start, end = next(lines)
        prefix = _dumps(name) + b":"
        ending = b"}," if index == len(ProgressTable.COLUMNS) - 1 else b","
        if data[start:start + len(prefix)] != prefix or data[end - len(ending):end] != ending:
            raise SnapshotUnreadable(f"its progress column {name!r} is not where it should be")
        places[name] = (start + len(prefix), end - len(ending))
    parts = {name: text.part(*place) for name, place in places.items()}

    def read(names) -> dict[str, list]:
        return {name: parse_json(text.read(parts[name])) for name in names}

    return lambda: ProgressTable(read(ProgressTable.COUNTING), unique=unique,
                                 later=lambda: read(ProgressTable.LATER))


def _progress_in_seconds(data: bytes, start: int, end: int) -> ProgressTable:
    """Version 2's progress: every column on one line, times as float seconds."""
    if data[start:start + len(_PROGRESS)] != _PROGRESS:
        raise SnapshotUnreadable("its progress section is not where it should be")
    columns = parse_json(data[start + len(_PROGRESS):end - 1])
    for name in ProgressTable.TIMES:
        columns[name] = [None if seconds is None else micros_from_seconds(seconds)
                         for seconds in columns[name]]
    return ProgressTable(columns)


def _lines(data: bytes, start: int):
    """The (start, end) of each line from `start` on, without copying the text."""
    while start <= len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        yield start, end
        start = end + 1


def _deck_part(meta: dict, data: bytes, text: SnapshotText, start: int,
               end: int) -> tuple[int, int, int]:
    prefix = _dumps(meta["id"]) + b":"
    if data[start:start + len(prefix)] != prefix:
        raise SnapshotUnreadable(f"the cards of deck {meta['id']!r} are not where they should be")
    if data[end - 1:end] == b",":
        end -= 1
    # Read when first needed: most decks are never opened in a session.
    return text.part(start + len(prefix), end)


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _dumps_bulk(value) -> bytes:
    """_dumps of the progress columns and the cards: the bulk of a snapshot, written by orjson
    about ten times as fast (saving 100,000 cards' snapshot took 0.7 s in json.dumps alone). They
    hold no number that is not finite (which orjson would write as null; see progress_table)."""
    try:
        return orjson.dumps(value)
    except TypeError:  # what orjson does not write: an integer over 64 bits, say
        return _dumps(value)
