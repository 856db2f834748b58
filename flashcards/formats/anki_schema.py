"""What an Anki collection database holds that a person studies: note types, decks, notes, cards
and their review log, read from either schema Anki has used (11 with JSON, 18 with protobuf)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from . import FormatError
from .anki_protobuf import ProtobufError, number_field, text_field

FIELD_SEPARATOR = "\x1f"
_REQUIRED_TABLES = {"col", "notes", "cards"}
_CLOZE_KIND = 1


@dataclass(frozen=True)
class Template:
    name: str
    front: str
    back: str


@dataclass(frozen=True)
class NoteType:
    id: int
    name: str
    is_cloze: bool
    fields: tuple[str, ...]
    templates: tuple[Template, ...]


# A card as a plain row, straight from SQLite: a collection has tens of thousands of cards, and
# building any object per card costs more than everything SQLite does to find them.
# (card id, ord, home deck id, note type id, the note's fields joined by FIELD_SEPARATOR, tags,
# note id); the note type id is None when the card's note is missing.
CardRow = tuple[int, int, int, int | None, str, str, int]


class LoggedReview(NamedTuple):
    card_id: int
    time_ms: int
    ease: int
    duration_ms: int
    kind: int


@dataclass
class AnkiCollection:
    note_types: dict[int, NoteType]
    deck_names: dict[int, str]
    cards: list[CardRow]
    reviews: list[LoggedReview]


def read_collection(db_path: Path, package_name: str) -> AnkiCollection:
    """Everything we import from the database, or FormatError if it is not an Anki collection."""
    try:
        db = sqlite3.connect(db_path)
    except sqlite3.Error as error:
        raise FormatError(f"{package_name}: its collection cannot be opened ({error})") from None
    try:
        # The database comes from someone else: no schema-defined code, no writes.
        db.execute("PRAGMA trusted_schema = OFF")
        db.execute("PRAGMA query_only = ON")
        return _read_any_text(db, package_name)
    except sqlite3.DatabaseError as error:
        raise FormatError(f"{package_name}: its collection is damaged "
                          f"({' '.join(str(error).split())})") from None
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError,
            RecursionError) as error:
        raise FormatError(f"{package_name}: its collection is damaged "
                          f"({_describe(error)})") from None
    finally:
        db.close()


def _read_any_text(db: sqlite3.Connection, package_name: str) -> AnkiCollection:
    try:
        return _read(db, package_name)
    except sqlite3.OperationalError:
        # Text that is not valid UTF-8: read it all again, keeping what can be read. Decoding
        # this way from the start would cost a Python call for every value.
        db.text_factory = lambda raw: raw.decode("utf-8", "replace")
        return _read(db, package_name)


def _read(db: sqlite3.Connection, package_name: str) -> AnkiCollection:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not _REQUIRED_TABLES <= tables:
        raise FormatError(f"{package_name}: the database inside is not an Anki collection")
    if "notetypes" in tables:
        note_types, deck_names = _note_types_18(db), _deck_names_18(db)
    else:
        note_types, deck_names = _note_types_and_decks_11(db)
    return AnkiCollection(
        note_types=note_types,
        deck_names=deck_names,
        cards=_cards(db),
        reviews=_reviews(db) if "revlog" in tables else [],
    )


def _note_types_and_decks_11(db: sqlite3.Connection) -> tuple[dict[int, NoteType], dict[int, str]]:
    row = db.execute("SELECT models, decks FROM col").fetchone()
    if row is None:
        raise ValueError("no collection settings")
    models, decks = json.loads(row[0]), json.loads(row[1])
    note_types = {}
    for model in models.values():
        fields = sorted(model["flds"], key=lambda f: int(f["ord"]))
        templates = sorted(model["tmpls"], key=lambda t: int(t["ord"]))
        note_type = NoteType(
            id=int(model["id"]), name=str(model["name"]), is_cloze=model.get("type") == 1,
            fields=tuple(str(f["name"]) for f in fields),
            templates=tuple(Template(str(t["name"]), str(t["qfmt"]), str(t["afmt"]))
                            for t in templates))
        note_types[note_type.id] = note_type
    deck_names = {int(deck["id"]): str(deck["name"]) for deck in decks.values()}
    return note_types, deck_names


def _note_types_18(db: sqlite3.Connection) -> dict[int, NoteType]:
    fields: dict[int, list[str]] = {}
    for ntid, name in db.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(int(ntid), []).append(str(name))
    templates: dict[int, list[Template]] = {}
    for ntid, name, config in db.execute("SELECT ntid, name, config FROM templates "
                                         "ORDER BY ntid, ord"):
        config = _blob(config)
        templates.setdefault(int(ntid), []).append(
            Template(str(name), text_field(config, 1), text_field(config, 2)))
    note_types = {}
    for ntid, name, config in db.execute("SELECT id, name, config FROM notetypes"):
        ntid = int(ntid)
        note_types[ntid] = NoteType(
            id=ntid, name=str(name), is_cloze=number_field(_blob(config), 1) == _CLOZE_KIND,
            fields=tuple(fields.get(ntid, ())), templates=tuple(templates.get(ntid, ())))
    return note_types


def _deck_names_18(db: sqlite3.Connection) -> dict[int, str]:
    return {int(did): str(name).replace(FIELD_SEPARATOR, "::")
            for did, name in db.execute("SELECT id, name FROM decks")}


# Columns are cast in SQL so every row has the types the reader expects whatever a damaged or
# hostile database stores, without a Python call per value; a value missing from a card reads as
# 0 (-1 for its ord: no card type), which the reader then skips or files under the Default deck.
_CARDS_QUERY = """
SELECT ifnull(CAST(c.id AS INTEGER), 0), ifnull(CAST(c.ord AS INTEGER), -1),
       ifnull(CAST(CASE WHEN CAST(c.odid AS INTEGER) != 0 THEN c.odid ELSE c.did END
                   AS INTEGER), 0),
       CAST(n.mid AS INTEGER), ifnull(CAST(n.flds AS TEXT), ''), ifnull(CAST(n.tags AS TEXT), ''),
       ifnull(CAST(c.nid AS INTEGER), 0)
FROM cards AS c LEFT JOIN notes AS n ON n.id = c.nid
ORDER BY c.id
"""
_REVIEWS_QUERY = """
SELECT ifnull(CAST(cid AS INTEGER), 0), ifnull(CAST(id AS INTEGER), 0),
       ifnull(CAST(ease AS INTEGER), 0), ifnull(CAST(time AS INTEGER), 0),
       ifnull(CAST(type AS INTEGER), 0)
FROM revlog ORDER BY id
"""


def _cards(db: sqlite3.Connection) -> list[CardRow]:
    # A card in a filtered deck still belongs to its home deck (odid), where a person keeps it.
    return db.execute(_CARDS_QUERY).fetchall()


def _reviews(db: sqlite3.Connection) -> list[LoggedReview]:
    return list(map(LoggedReview._make, db.execute(_REVIEWS_QUERY).fetchall()))


def _blob(value) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    raise ProtobufError("settings are not a protobuf blob")


def _describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing {error}"
    text = str(error).splitlines()[0][:120] if str(error) else ""
    return text or type(error).__name__
