"""Files that are not good Anki packages: a one-line FormatError, and nothing written anywhere."""

from __future__ import annotations

import json
import sqlite3
import struct
import zipfile
from pathlib import Path

import pytest
import zstandard
from anki_helpers import package_entries, zip_bytes

from flashcards.core.deck import Card, Deck
from flashcards.formats import FormatError, anki_package
from flashcards.formats.apkg import read, write


def _package(tmp_path: Path, data: bytes, name: str = "deck.apkg") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _error(path: Path, **options) -> str:
    with pytest.raises(FormatError) as caught:
        read(path, **options)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_empty_file(tmp_path):
    assert "empty" in _error(_package(tmp_path, b""))


def test_not_a_zip(tmp_path):
    assert "not an Anki package" in _error(_package(tmp_path, b"front,back\nq,a\n"))


def test_cut_short(tmp_path, entries):
    whole = zip_bytes(entries["legacy"], zipfile.ZIP_DEFLATED)
    assert "deck.apkg" in _error(_package(tmp_path, whole[: len(whole) // 2]))


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/escape.txt", "media/../../escape.txt",
                                  "C:/escape.txt", "..\\escape.txt"])
def test_entries_that_escape_are_refused(tmp_path, entries, name):
    folder = tmp_path / "inside"
    folder.mkdir()
    path = _package(folder, zip_bytes({**entries["legacy"], name: b"x"}))
    assert "unsafe path" in _error(path)
    assert not (tmp_path / "escape.txt").exists()


def test_zip_bomb_is_refused_from_its_headers(tmp_path, entries):
    bomb = {**entries["legacy"], "0": bytes(20 * 1024**2)}
    assert "zip bomb" in _error(_package(tmp_path, zip_bytes(bomb, zipfile.ZIP_DEFLATED)))


def test_too_much_in_total_is_refused(tmp_path, entries, monkeypatch):
    monkeypatch.setattr(anki_package, "MAX_TOTAL_BYTES", 4096)
    assert "more than 4 KiB" in _error(_package(tmp_path, zip_bytes(entries["legacy"])))


def test_zstd_bomb_inside_a_stored_entry_is_stopped_while_unpacking(tmp_path, entries):
    bomb = zstandard.ZstdCompressor(level=3).compress(bytes(64 * 1024**2))
    package = {**entries["latest"], "collection.anki21b": bomb}
    assert "zip bomb" in _error(_package(tmp_path, zip_bytes(package)))


def test_total_is_enforced_while_unpacking(tmp_path, entries, monkeypatch):
    # The zip headers only know the zstd-packed size; the unpacked collection is larger.
    declared = sum(len(data) for data in entries["latest"].values())
    unpacked = zstandard.ZstdDecompressor().stream_reader(entries["latest"]["collection.anki21b"])
    assert len(unpacked.read()) > declared
    monkeypatch.setattr(anki_package, "MAX_TOTAL_BYTES", declared)
    assert "unpacks to more than" in _error(_package(tmp_path, zip_bytes(entries["latest"])))


def test_entry_larger_than_its_header_says_is_refused(tmp_path, entries):
    data = bytearray(zip_bytes({**entries["legacy"], "0": b"A" * 5000}, zipfile.ZIP_DEFLATED))
    _shrink_declared_size(data, b"0", 100)
    assert "damaged" in _error(_package(tmp_path, bytes(data)))


def _shrink_declared_size(data: bytearray, name: bytes, size: int) -> None:
    """Make both zip headers of entry `name` claim it unpacks to `size` bytes."""
    headers = ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46))
    for signature, size_offset, length_offset, name_offset in headers:
        start = data.find(signature)
        while start >= 0:
            name_length = struct.unpack_from("<H", data, start + length_offset)[0]
            if data[start + name_offset:start + name_offset + name_length] == name:
                struct.pack_into("<I", data, start + size_offset, size)
            start = data.find(signature, start + 4)


def test_collection_that_is_not_sqlite(tmp_path, entries):
    package = {**entries["legacy"], "collection.anki21": b"SQLite format 3\x00" + b"\x07" * 5000}
    assert "collection" in _error(_package(tmp_path, zip_bytes(package)))


def test_sqlite_without_anki_tables(tmp_path, entries):
    db_path = tmp_path / "other.db"
    with sqlite3.connect(db_path) as db:
        db.execute("CREATE TABLE recipes (name text)")
    db.close()
    package = {**entries["legacy"], "collection.anki21": db_path.read_bytes()}
    assert "not an Anki collection" in _error(_package(tmp_path, zip_bytes(package)))


def test_missing_collection(tmp_path):
    assert "no collection.anki2" in _error(_package(tmp_path, zip_bytes({"media": b"{}"})))


def test_latest_layout_never_falls_back_to_the_decoy(tmp_path, entries):
    package = dict(entries["latest"])
    del package["collection.anki21b"]
    assert "collection.anki21b" in _error(_package(tmp_path, zip_bytes(package)))


def test_decoy_note_is_never_imported(tmp_path, entries):
    imported = read(_package(tmp_path, zip_bytes(entries["latest"])))
    assert not any("Please update" in card.front for deck in imported.decks for card in deck.cards)


@pytest.mark.parametrize("version", [b"\x08\x04", b"\x08\x00", b""])
def test_package_from_a_newer_anki(tmp_path, entries, version):
    package = {**entries["latest"], "meta": version}
    assert "newer Anki" in _error(_package(tmp_path, zip_bytes(package)))


@pytest.mark.parametrize("name", ["../escape.png", "..%2Fescape.png", "/tmp/escape.png"])
def test_media_names_that_escape_are_not_imported(tmp_path, name):
    source = tmp_path / "ours.apkg"
    write([Deck("d", "D", cards=[Card("c", f'look <img src="{name}">', "x")])], source)
    package = {**package_entries(source), "media": json.dumps({"0": name}).encode(),
               "0": b"image"}
    imported = read(_package(tmp_path, zip_bytes(package)))
    assert imported.media == {}
    assert "<img" not in imported.decks[0].cards[0].front
    assert any("outside the media folder" in warning for warning in imported.warnings)


def test_image_missing_from_the_package_flags_the_card(tmp_path):
    source = tmp_path / "ours.apkg"
    write([Deck("d", "D", cards=[Card("c", 'look <img src="gone.png">', "x")])], source)
    card = read(source).decks[0].cards[0]
    assert card.warning and "gone.png" in card.warning


def test_package_without_cards(tmp_path):
    source = tmp_path / "ours.apkg"
    write([Deck("d", "D", cards=[])], source)
    assert "holds no cards" in _error(source)


def test_writing_where_there_is_no_folder(tmp_path):
    with pytest.raises(FormatError, match="Cannot write"):
        write([Deck("d", "D", cards=[Card("c", "q", "a")])], tmp_path / "missing" / "out.apkg")


def test_text_that_is_not_utf8_reads_with_replacement_characters(tmp_path):
    source = tmp_path / "ours.apkg"
    write([Deck("d", "D", cards=[Card("c", "caf\u00e9", "answer")])], source)
    package = package_entries(source)
    db_path = tmp_path / "collection.db"
    db_path.write_bytes(package["collection.anki21"])
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE notes SET flds = CAST(? AS TEXT)", (b"caf\xe9\x1fanswer",))
    db.close()
    package["collection.anki21"] = db_path.read_bytes()
    card = read(_package(tmp_path, zip_bytes(package))).decks[0].cards[0]
    assert (card.front, card.back) == ("caf\ufffd", "answer")


def test_cards_with_values_missing_are_left_out_and_the_rest_read(tmp_path):
    source = tmp_path / "ours.apkg"
    write([Deck("d", "D", cards=[Card("c1", "first", "1"), Card("c2", "second", "2"),
                                 Card("c3", "third", "3")])], source)
    package = package_entries(source)
    db_path = tmp_path / "collection.db"
    db_path.write_bytes(package["collection.anki21"])
    with sqlite3.connect(db_path) as db:
        # A copy of the table keeps the rows and loses the constraints that forbid a missing ord.
        db.executescript("CREATE TABLE loose AS SELECT * FROM cards; DROP TABLE cards; "
                         "ALTER TABLE loose RENAME TO cards")
        first, second, _ = (row[0] for row in db.execute("SELECT id FROM cards ORDER BY id"))
        db.execute("UPDATE cards SET ord = NULL WHERE id = ?", (first,))
        db.execute("UPDATE cards SET did = 'not a deck' WHERE id = ?", (second,))
    db.close()
    package["collection.anki21"] = db_path.read_bytes()
    imported = read(_package(tmp_path, zip_bytes(package)))
    fronts = {card.front for deck in imported.decks for card in deck.cards}
    assert fronts == {"second", "third"}
    assert any("card type is missing" in warning for warning in imported.warnings)


def test_every_card_that_loses_an_image_is_counted(tmp_path):
    source = tmp_path / "ours.apkg"
    same = 'look <img src="../escape.png">'
    write([Deck("d", "D", cards=[Card("c1", same, "1"), Card("c2", same, "2"),
                                 Card("c3", "other", same)])], source)
    imported = read(source)
    assert "3 images removed: their names point outside the media folder" in imported.warnings
    assert all("<img" not in card.front + card.back for card in imported.decks[0].cards)


def test_cards_and_notes_whose_ids_repeat_are_read_once(tmp_path):
    source = tmp_path / "ours.apkg"
    write([Deck("d", "D", cards=[Card("c1", "first", "1"), Card("c2", "second", "2")])], source)
    package = package_entries(source)
    db_path = tmp_path / "collection.db"
    db_path.write_bytes(package["collection.anki21"])
    with sqlite3.connect(db_path) as db:
        # Copies of the tables lose the primary keys that keep ids apart; every row is doubled.
        for table in ("cards", "notes"):
            db.executescript(f"CREATE TABLE loose AS SELECT * FROM {table}; DROP TABLE {table}; "
                             f"ALTER TABLE loose RENAME TO {table}; "
                             f"INSERT INTO {table} SELECT * FROM {table}")
    db.close()
    package["collection.anki21"] = db_path.read_bytes()
    imported = read(_package(tmp_path, zip_bytes(package)))
    assert sorted(card.front for card in imported.decks[0].cards) == ["first", "second"]
    assert "6 cards skipped: their id repeats another card's" in imported.warnings
