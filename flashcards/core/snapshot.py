"""The snapshot: the merged state written as one JSON file, so start-up need not replay history.

The file is one JSON object, written with a fixed line layout so that start-up can read the small
parts and leave each deck's cards unread until that deck is opened:

    line 1      {"crc32":"<8 hex digits>","format":…,"version":4,…,"decks":[{id, name, kind, …,
                "cards": count}, …],
    line 2      "progress":{
    lines 3…    "card":[…],  "phase":[…],  "due":[…], …              one line per progress column
    then        "deck_cards":{
    then        "<deck id>":[{"id":…,"front":…,"back":…},…],     one line per deck, in "decks" order
    last line   }}

Times are whole microseconds since 1970, UTC. `crc32` opens the file, at a fixed place, and is the
checksum of every byte after it: the rest of line 1 (decks, settings, how far each journal was
read) as much as the progress and the cards. Version 3 had the same layout without `crc32`, and a
`body_crc32` in line 1 that guarded only the lines after it; it is still read, and converted.
Any other file, including this one reformatted by hand, is treated as unreadable and rebuilt from
the journals.
"""

from __future__ import annotations

import contextlib
import gc
import json
import zlib
from datetime import datetime, timezone

from .deck import Deck, DeckKind, deck_from_json, deck_to_json
from .events import EVENT_VERSION, CollectionState, ProgressTable
from .progress_table import micros_from_seconds

SNAPSHOT_FORMAT = "flashcards-snapshot"
SNAPSHOT_VERSION = 4

# What to do with a snapshot of an older version. The first slice's version 1 kept everything in
# one object; its journals hold the same facts, so it is set aside and rebuilt from them.
# Version 2 kept the progress on one line with times as float seconds: it is read and converted.
# Version 3 is version 4 without the checksum of its first line: read as it is, then rewritten.
MIGRATIONS: dict[int, str] = {1: "rebuild", 2: "convert", 3: "convert"}

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


class LazyDeck(Deck):
    """A deck whose cards stay as the snapshot's text until something reads them."""

    def __getattr__(self, name: str):
        if name != "cards" or "_raw_cards" not in self.__dict__:
            raise AttributeError(name)
        raw = self.__dict__.pop("_raw_cards")
        cards = deck_from_json({"id": self.id, "name": self.name,
                                "cards": json.loads(bytes(raw))}).cards
        self.__dict__["cards"] = cards
        return cards

    def __eq__(self, other):
        # A deck read lazily equals the same deck built any other way.
        if not isinstance(other, Deck):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in Deck.__dataclass_fields__)

    __hash__ = None

    @property
    def unread_cards(self) -> memoryview | None:
        """The cards as the snapshot held them, while nothing has read them."""
        return self.__dict__.get("_raw_cards")


def encode(state: CollectionState, journals: dict[str, dict], device: str,
           copies: dict[str, dict] | None = None) -> bytes:
    """`journals` and `copies`: how far each journal, and each copy a sync tool made of one, was
    read (journal.ReadPoint.record())."""
    # Every card becomes a dict on the way to text: with the collector running, making them would
    # walk the whole heap several times over.
    with collector_paused():
        return _encode(state, journals, device, copies or {})


def _encode(state: CollectionState, journals: dict[str, dict], device: str,
            copies: dict[str, dict]) -> bytes:
    decks = list(state.decks.values())
    rows: list[int] = []
    meta = []
    for deck in decks:
        deck_rows = state.deck_rows[deck.id]
        meta.append({"id": deck.id, "name": deck.name, "kind": deck.kind.value,
                     "revision": deck.revision, "description": deck.description,
                     "cards": len(deck_rows)})
        rows.extend(deck_rows)
    in_decks = set(rows)
    # A card in two decks is written on a row of each.
    shared_rows = len(rows) - len(in_decks)
    rows.extend(row for row in state.progress.live_rows() if row not in in_decks)
    columns = state.progress.columns(rows)
    lines = [_PROGRESS_COLUMNS]
    lines += [_dumps(name) + b":" + _dumps(values) + b"," for name, values in columns.items()]
    lines[-1] = lines[-1][:-1] + b"},"
    lines.append(_DECK_CARDS)
    for index, deck in enumerate(decks):
        cards = _cards_text(deck)
        comma = b"," if index < len(decks) - 1 else b""
        lines.append(_dumps(deck.id) + b":" + cards + comma)
    lines.append(b"}}")
    body = b"\n".join(lines)
    header = {
        "format": SNAPSHOT_FORMAT, "version": SNAPSHOT_VERSION, "event_version": EVENT_VERSION,
        "device": device, "written": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "journals": journals, "copies": copies, "review_count": state.review_count,
        "last_seq": state.last_seq, "skipped_newer": state.skipped_newer,
        "settings": state.settings, "keys": {slot: list(key) for slot, key in state.keys.items()},
        "shared_rows": shared_rows, "decks": meta,
    }
    # The header's fields without its braces: the checksum goes first, the body follows.
    fields = _dumps(header)[1:-1] + b",\n"
    checksum = zlib.crc32(body, zlib.crc32(fields))
    return b"".join([_CHECKSUM_OPENING, b"%08x" % checksum, _CHECKSUM_CLOSING, fields, body])


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


def decode(data: bytes) -> tuple[CollectionState, dict]:
    """The state and the header; raises SnapshotUnreadable with the reason."""
    try:
        with collector_paused():
            return _decode(data)
    except SnapshotUnreadable:
        raise
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, OverflowError,
            RecursionError) as error:
        raise SnapshotUnreadable(f"it is damaged ({error})") from error


def _decode(data: bytes) -> tuple[CollectionState, dict]:
    checked = data.startswith(_CHECKSUM_OPENING)
    if checked:
        # Checked before anything in the file is believed, its version included.
        written = data[len(_CHECKSUM_OPENING):_CHECKED_FROM - len(_CHECKSUM_CLOSING)]
        if (data[_CHECKED_FROM - len(_CHECKSUM_CLOSING):_CHECKED_FROM] != _CHECKSUM_CLOSING
                or b"%08x" % zlib.crc32(memoryview(data)[_CHECKED_FROM:]) != written):
            raise SnapshotUnreadable("its contents do not match its checksum")
    first = data.find(b"\n")
    header = json.loads(data[:first - 1] + b"}") if first > 0 else json.loads(data)
    if not isinstance(header, dict) or header.get("format") != SNAPSHOT_FORMAT:
        raise SnapshotUnreadable("it is not a Flashcards snapshot")
    version = header.get("version")
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
    if version >= 3:
        progress = _progress_columns(data, lines, unique=header["shared_rows"] == 0)
    else:
        progress = _progress_in_seconds(data, *next(lines))
        header["keys"] = {slot: (micros_from_seconds(k[0]), *k[1:])
                          for slot, k in header["keys"].items()}
    if data[slice(*next(lines))] != _DECK_CARDS:
        raise SnapshotUnreadable("its deck section is not where it should be")
    decks, deck_rows, first_row = {}, {}, 0
    for meta in header["decks"]:
        deck = _lazy_deck(meta, data, *next(lines))
        decks[deck.id] = deck
        count = int(meta["cards"])
        deck_rows[deck.id] = progress.rows_between(first_row, first_row + count)
        first_row += count
    if data[slice(*next(lines))] != b"}}" or next(lines, None) is not None:
        raise SnapshotUnreadable("it does not end where it should")
    state = CollectionState(
        decks=decks, progress=progress, settings=dict(header["settings"]),
        keys={slot: (int(k[0]), int(k[1]), str(k[2])) for slot, k in header["keys"].items()},
        review_count=int(header["review_count"]), last_seq=int(header["last_seq"]),
        skipped_newer=int(header["skipped_newer"]), deck_rows=deck_rows)
    return state, header


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


def _progress_columns(data: bytes, lines, unique: bool) -> ProgressTable:
    """The progress table, reading only the columns that counting needs until others are used."""
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
    read = lambda names: {name: json.loads(data[slice(*places[name])]) for name in names}  # noqa: E731
    return ProgressTable(read(ProgressTable.COUNTING), later=lambda: read(ProgressTable.LATER),
                         unique=unique)


def _progress_in_seconds(data: bytes, start: int, end: int) -> ProgressTable:
    """Version 2's progress: every column on one line, times as float seconds."""
    if data[start:start + len(_PROGRESS)] != _PROGRESS:
        raise SnapshotUnreadable("its progress section is not where it should be")
    columns = json.loads(data[start + len(_PROGRESS):end - 1])
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


def _lazy_deck(meta: dict, data: bytes, start: int, end: int) -> LazyDeck:
    prefix = _dumps(meta["id"]) + b":"
    if data[start:start + len(prefix)] != prefix:
        raise SnapshotUnreadable(f"the cards of deck {meta['id']!r} are not where they should be")
    if data[end - 1:end] == b",":
        end -= 1
    deck = LazyDeck.__new__(LazyDeck)
    deck.__dict__.update(id=str(meta["id"]), name=str(meta["name"]), kind=DeckKind(meta["kind"]),
                         description=str(meta["description"]), revision=int(meta["revision"]),
                         # A view, not a copy: most decks are never opened in a session.
                         _raw_cards=memoryview(data)[start + len(prefix):end])
    return deck


def _cards_text(deck: Deck) -> bytes | memoryview:
    if isinstance(deck, LazyDeck) and deck.unread_cards is not None:
        return deck.unread_cards
    return _dumps(deck_to_json(deck)["cards"])


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
