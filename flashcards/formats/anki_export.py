"""Our decks as an Anki collection database in schema 11, the one every Anki version imports.

Each card becomes a note of one Basic note type (Front/Back), new and unscheduled, in an Anki deck
of the same name; its sides go in as they are, so Anki plays their `[sound:name]` markers. Note
guids come from our card ids, so importing the same export again into Anki updates the notes it
added the first time instead of duplicating them.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import sqlite3
from pathlib import Path

from ..core.deck import Deck
from .anki_schema import FIELD_SEPARATOR

# Fixed, so every export shares one note type in Anki instead of adding a new one each time.
NOTE_TYPE_ID = 1_342_697_561_419_123
NOTE_TYPE_NAME = "Basic (Flashcards)"
_DEFAULT_DECK_ID = 1
_GUID_ALPHABET = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                  "!#$%&()*+,-./:;<=>?@[]^_`{|}~")
_IMG = re.compile(r"""<img[^>]+src=(?:"([^"]+?)"[^>]*>|'([^']+?)'[^>]*>|([^ >]+?)(?: [^>]*>|>))""",
                  re.IGNORECASE | re.DOTALL)
_MARKUP = re.compile(r"<!--.*?-->|<style.*?>.*?</style>|<script.*?>.*?</script>|<.*?>",
                     re.IGNORECASE | re.DOTALL)

_SCHEMA = """
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL,
  scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL,
  ls integer NOT NULL, conf text NOT NULL, models text NOT NULL, decks text NOT NULL,
  dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL,
  sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL,
  ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL,
  queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL,
  reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,
  odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL,
  ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL,
  time integer NOT NULL, type integer NOT NULL);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
"""


def write_collection(db_path: Path, decks: list[Deck], now_ms: int) -> None:
    """Create the collection database at `db_path` holding every card of `decks`."""
    deck_ids = _anki_deck_ids(decks, now_ms)
    db = sqlite3.connect(db_path)
    try:
        db.executescript(_SCHEMA)
        db.execute("INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')",
                   (now_ms // 1000, now_ms, now_ms, json.dumps(_collection_settings()),
                    json.dumps({str(NOTE_TYPE_ID): _note_type(now_ms)}),
                    json.dumps(_deck_entries(deck_ids, now_ms)), json.dumps(_deck_options())))
        _insert_notes(db, decks, deck_ids, now_ms)
        db.commit()
    finally:
        db.close()


def _insert_notes(db: sqlite3.Connection, decks: list[Deck], deck_ids: dict[str, int],
                  now_ms: int) -> None:
    notes, cards = [], []
    row_id = now_ms
    seconds = now_ms // 1000
    for deck in decks:
        did = deck_ids[deck.name]
        for card in deck.cards:
            row_id += 1
            tags = f" {' '.join(card.tags)} " if card.tags else ""
            sort_field = plain_text(card.front)
            notes.append((row_id, note_guid(card.id), NOTE_TYPE_ID, seconds, -1, tags,
                          card.front + FIELD_SEPARATOR + card.back, sort_field,
                          field_checksum(card.front), 0, ""))
            # New cards, due in the order they appear in our deck.
            cards.append((row_id, row_id, did, 0, seconds, -1, 0, 0, len(cards) + 1,
                          0, 0, 0, 0, 0, 0, 0, 0, "{}"))
    db.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", notes)
    db.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)


def note_guid(card_id: str) -> str:
    """A guid in Anki's style (base 91), the same every time for the same card."""
    number = int.from_bytes(hashlib.sha1(card_id.encode()).digest()[:8], "big")
    digits = []
    while True:
        number, digit = divmod(number, len(_GUID_ALPHABET))
        digits.append(_GUID_ALPHABET[digit])
        if not number:
            return "".join(reversed(digits))


def image_names(field: str) -> list[str]:
    """The file names of the images a field shows, however its <img> tags are quoted."""
    return [html.unescape(m.group(1) or m.group(2) or m.group(3)) for m in _IMG.finditer(field)]


def plain_text(field: str) -> str:
    """The field as Anki sorts and compares it: no markup, but image file names kept."""
    text = _IMG.sub(lambda m: f" {m.group(1) or m.group(2) or m.group(3)} ", field)
    return html.unescape(_MARKUP.sub("", text)).replace("\xa0", " ")


def field_checksum(field: str) -> int:
    """Anki's duplicate check: the first 32 bits of the SHA-1 of the field's plain text."""
    return int(hashlib.sha1(plain_text(field).encode()).hexdigest()[:8], 16)


def _anki_deck_ids(decks: list[Deck], now_ms: int) -> dict[str, int]:
    """Anki deck id by name, for our decks and the parents their `A::B` names imply."""
    names: list[str] = []
    for deck in decks:
        parts = deck.name.split("::")
        for depth in range(1, len(parts) + 1):
            name = "::".join(parts[:depth])
            if name not in names:
                names.append(name)
    # Every Anki collection already has a "Default" deck: cards for ours go into that one.
    return {name: _DEFAULT_DECK_ID if name.casefold() == "default" else now_ms - len(names) + index
            for index, name in enumerate(names)}


def _deck_entries(deck_ids: dict[str, int], now_ms: int) -> dict[str, dict]:
    entries = {str(_DEFAULT_DECK_ID): _deck(_DEFAULT_DECK_ID, "Default", 0)}
    for name, did in deck_ids.items():
        if did != _DEFAULT_DECK_ID:
            entries[str(did)] = _deck(did, name, now_ms // 1000)
    return entries


def _deck(did: int, name: str, modified: int) -> dict:
    return {"id": did, "name": name, "mod": modified, "usn": -1, "desc": "", "dyn": 0, "conf": 1,
            "collapsed": False, "browserCollapsed": False, "extendNew": 0, "extendRev": 0,
            "newToday": [0, 0], "revToday": [0, 0], "lrnToday": [0, 0], "timeToday": [0, 0]}


def _note_type(now_ms: int) -> dict:
    fields = [{"name": name, "ord": index, "sticky": False, "rtl": False, "font": "Arial",
               "size": 20, "media": []} for index, name in enumerate(("Front", "Back"))]
    template = {"name": "Card 1", "ord": 0, "qfmt": "{{Front}}",
                "afmt": "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}",
                "bqfmt": "", "bafmt": "", "did": None}
    return {"id": NOTE_TYPE_ID, "name": NOTE_TYPE_NAME, "type": 0, "mod": now_ms // 1000,
            "usn": -1, "sortf": 0, "did": None, "tmpls": [template], "flds": fields,
            "css": ".card {\n font-family: arial;\n font-size: 20px;\n text-align: center;\n}\n",
            "latexPre": "", "latexPost": "", "req": [[0, "any", [0]]], "tags": [], "vers": []}


def _collection_settings() -> dict:
    return {"nextPos": 1, "curDeck": _DEFAULT_DECK_ID, "schedVer": 2, "sortType": "noteFld",
            "sortBackwards": False, "activeDecks": [_DEFAULT_DECK_ID], "curModel": NOTE_TYPE_ID}


def _deck_options() -> dict:
    return {"1": {"id": 1, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60,
                  "autoplay": True, "timer": 0, "replayq": True, "dyn": False,
                  "new": {"bury": False, "delays": [1.0, 10.0], "initialFactor": 2500,
                          "ints": [1, 4, 0], "order": 1, "perDay": 20},
                  "rev": {"bury": False, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500,
                          "perDay": 200, "hardFactor": 1.2},
                  "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8,
                            "minInt": 1, "mult": 0.0}}}
