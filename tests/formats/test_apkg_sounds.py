"""Sounds in Anki packages: their files and `[sound:name]` markers come in, and go out again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from anki_helpers import (add_note, export_package, import_into_anki, open_anki_collection,
                          package_entries, zip_bytes)

from flashcards.core.collection import Collection as OurCollection
from flashcards.core.deck import Card, Deck
from flashcards.formats.apkg import read, write

HELLO = b"ID3 hello, spoken"
BONJOUR = b"OggS bonjour, spoken"


@pytest.fixture(scope="module", params=["legacy", "latest"])
def package(request, tmp_path_factory) -> Path:
    """A package Anki made: a Basic note that plays a sound on each side, one whose file is gone,
    and a listening card whose question is a sound alone."""
    folder = tmp_path_factory.mktemp("anki")
    col = open_anki_collection(folder / "collection")
    deck = col.decks.id("Sounds")
    col.media.write_data("hello.mp3", HELLO)
    col.media.write_data("bonjour & co.ogg", BONJOUR)
    add_note(col, "Basic", deck, {"Front": "hello [sound:hello.mp3]",
                                  "Back": "<b>bonjour</b> [sound:bonjour &amp; co.ogg]"})
    add_note(col, "Basic", deck, {"Front": "goodbye [sound:gone.mp3]", "Back": "au revoir"})
    add_note(col, "Basic", deck, {"Front": "[sound:hello.mp3]", "Back": "hello"})
    target = export_package(col, folder / f"{request.param}.apkg",
                            legacy=request.param == "legacy")
    col.close()
    return target


def _cards(imported) -> dict[str, Card]:
    return {card.back: card for deck in imported.decks for card in deck.cards}


def test_sound_markers_stay_on_their_side(package):
    cards = _cards(read(package))
    card = cards["<b>bonjour</b> [sound:bonjour &amp; co.ogg]"]
    assert card.front == "hello [sound:hello.mp3]"
    assert card.warning is None
    assert cards["hello"].front == "[sound:hello.mp3]"


def test_the_sound_files_come_along(package):
    imported = read(package)
    assert imported.media == {"hello.mp3": HELLO, "bonjour & co.ogg": BONJOUR}
    assert not any("sound" in warning for warning in imported.warnings)


def test_a_sound_missing_from_the_package_gives_its_card_a_warning(package):
    card = _cards(read(package))["au revoir"]
    assert card.front == "goodbye [sound:gone.mp3]"
    assert card.warning == "sound not in the package: gone.mp3"


def test_importing_writes_the_sounds_into_the_media_folder(package, tmp_path):
    with OurCollection.open(tmp_path / "data", "test") as collection:
        collection.import_decks(read(package))
        media = collection.media_folder
        assert (media / "hello.mp3").read_bytes() == HELLO
        assert (media / "bonjour & co.ogg").read_bytes() == BONJOUR


def _with_sound(tmp_path: Path, name: str) -> Path:
    """One of our packages whose card plays `name`, a file the package holds under that name."""
    source = tmp_path / "ours.apkg"
    write([Deck("d", "D", cards=[Card("c", f"listen [sound:{name}] here", "x")])], source)
    package = {**package_entries(source), "media": json.dumps({"0": name}).encode(),
               "0": b"not a sound"}
    path = tmp_path / "sly.apkg"
    path.write_bytes(zip_bytes(package))
    return path


@pytest.mark.parametrize("name", ["../x.mp3", "..%2Fx.mp3", "..\\x.mp3", "sub/x.mp3", "C:x.mp3",
                                  "ABSOLUTE"])
def test_a_sound_named_outside_the_media_folder_is_refused(tmp_path, name):
    if name == "ABSOLUTE":
        name = str(tmp_path / "x.mp3")
    package = _with_sound(tmp_path, name)
    before = sorted(tmp_path.rglob("*"))
    imported = read(package)
    assert imported.media == {}
    card = imported.decks[0].cards[0]
    assert (card.front, card.warning) == ("listen  here", None)
    assert imported.warnings == ["1 sounds removed: their names point outside the media folder"]
    with OurCollection.open(tmp_path / "data", "test") as collection:
        collection.import_decks(imported)
        assert not collection.media_folder.exists()
    after = [p for p in tmp_path.rglob("*") if p.relative_to(tmp_path).parts[0] != "data"]
    assert sorted(after) == before


def test_exported_sounds_open_in_anki(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    (media / "hello.mp3").write_bytes(HELLO)
    (media / "bonjour & co.ogg").write_bytes(BONJOUR)
    target = tmp_path / "out.apkg"
    decks = [Deck("d", "Sounds", cards=[
        Card("c1", "hello [sound:hello.mp3]", "<b>bonjour</b> [sound:bonjour &amp; co.ogg]"),
        Card("c2", "goodbye [sound:gone.mp3]", "au revoir")])]
    write(decks, target, media_folder=media)
    col = open_anki_collection(tmp_path / "anki")
    try:
        import_into_anki(col, target)
        first = col.get_card(col.find_cards('"front:hello*"')[0])
        assert [tag.filename for tag in first.question_av_tags()] == ["hello.mp3"]
        assert [tag.filename for tag in first.answer_av_tags()] == ["bonjour & co.ogg"]
        anki_media = Path(col.media.dir())
        assert (anki_media / "hello.mp3").read_bytes() == HELLO
        assert (anki_media / "bonjour & co.ogg").read_bytes() == BONJOUR
    finally:
        col.close()
    again = _cards(read(target))
    assert again["<b>bonjour</b> [sound:bonjour &amp; co.ogg]"].front == "hello [sound:hello.mp3]"
    assert again["au revoir"].warning == "sound not in the package: gone.mp3"
