"""Exporting our decks as an Anki package, checked by importing it into the real Anki library."""

from __future__ import annotations

import json
import zipfile

import anki.lang
import pytest
from anki.utils import field_checksum as anki_field_checksum
from anki_helpers import import_into_anki, open_anki_collection

from flashcards.core.deck import Card, Deck
from flashcards.formats.anki_export import field_checksum
from flashcards.formats.apkg import read, write

IMAGE = b"\x89PNG\r\n\x1a\n our image"


def _decks() -> list[Deck]:
    return [
        Deck(id="spanish", name="Spanish", cards=[
            Card("spanish-1", 'hola <img src="wave.png">', "hello", tags=("greeting", "es")),
            Card("spanish-2", "adiós", "<b>goodbye</b>"),
        ]),
        Deck(id="spanish-verbs", name="Spanish::Verbs", cards=[Card("verbs-1", "ser", "to be")]),
        Deck(id="physics", name="Physics", cards=[
            Card("physics-1", "F = ?", "m &middot; a"),
            Card("physics-2", "<img src='force diagram.png'> which force?", "gravity")]),
    ]


@pytest.fixture
def exported(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    (media / "wave.png").write_bytes(IMAGE)
    (media / "force diagram.png").write_bytes(b"diagram")
    (media / "other.png").write_bytes(b"not on any card")
    target = tmp_path / "out.apkg"
    write(_decks(), target, media_folder=media)
    return target


@pytest.fixture
def anki_col(tmp_path):
    col = open_anki_collection(tmp_path / "anki")
    yield col
    col.close()


def _anki_notes(col) -> dict[str, tuple[str, ...]]:
    notes = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        notes[note.fields[0]] = (*note.fields, " ".join(sorted(note.tags)),
                                 col.decks.name(note.cards()[0].did))
    return notes


def test_anki_imports_every_card_with_its_fields_deck_and_tags(exported, anki_col):
    import_into_anki(anki_col, exported)
    assert anki_col.card_count() == 5
    assert _anki_notes(anki_col) == {
        'hola <img src="wave.png">': ('hola <img src="wave.png">', "hello", "es greeting",
                                      "Spanish"),
        "adiós": ("adiós", "<b>goodbye</b>", "", "Spanish"),
        "ser": ("ser", "to be", "", "Spanish::Verbs"),
        "F = ?": ("F = ?", "m &middot; a", "", "Physics"),
        "<img src='force diagram.png'> which force?": (
            "<img src='force diagram.png'> which force?", "gravity", "", "Physics"),
    }


def test_anki_gets_the_images_the_cards_show(exported, anki_col):
    import_into_anki(anki_col, exported)
    media = anki_col.media.dir()
    assert (open(f"{media}/wave.png", "rb").read()) == IMAGE
    assert (open(f"{media}/force diagram.png", "rb").read()) == b"diagram"
    with zipfile.ZipFile(exported) as archive:
        assert json.loads(archive.read("media")) == {"0": "wave.png", "1": "force diagram.png"}


def test_anki_shows_front_then_back(exported, anki_col):
    import_into_anki(anki_col, exported)
    card = anki_col.get_card(anki_col.find_cards('"deck:Spanish::Verbs"')[0])
    assert card.question().endswith("ser")
    assert "to be" in card.answer()


def test_importing_the_same_export_twice_into_anki_adds_nothing(exported, anki_col, tmp_path):
    import_into_anki(anki_col, exported)
    again = tmp_path / "again.apkg"
    write(_decks(), again)
    import_into_anki(anki_col, again)
    assert anki_col.note_count() == 5
    names = [m.name for m in anki_col.models.all_names_and_ids()]
    assert names.count("Basic (Flashcards)") == 1


def test_checksums_match_the_ones_anki_computes(anki_col):
    anki.lang.set_lang("en_US")
    for text in ("hola", "<b>a &amp; b</b>&nbsp;c", "x <img src='y z.png' width=2>", "adiós",
                 "hi [sound:hi &amp; bye.mp3]"):
        assert field_checksum(text) == anki_field_checksum(text)


def test_our_own_export_reads_back(exported):
    imported = read(exported)
    cards = {card.front: card for deck in imported.decks for card in deck.cards}
    assert {deck.name for deck in imported.decks} == {"Spanish", "Spanish::Verbs", "Physics"}
    assert cards["adiós"].back == "<b>goodbye</b>"
    assert cards['hola <img src="wave.png">'].tags == ("greeting", "es")
    assert imported.media == {"wave.png": IMAGE, "force diagram.png": b"diagram"}


def test_writing_leaves_only_the_package(tmp_path):
    write(_decks(), tmp_path / "out.apkg")
    assert [p.name for p in tmp_path.iterdir()] == ["out.apkg"]


def test_missing_image_files_are_left_out(tmp_path, anki_col):
    target = tmp_path / "out.apkg"
    write(_decks(), target, media_folder=tmp_path / "nowhere")
    import_into_anki(anki_col, target)
    assert anki_col.card_count() == 5
