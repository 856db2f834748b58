"""Importing packages that the official Anki library exported, in both of its layouts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from anki_helpers import (IMAGE_BYTES, export_package, make_sample_collection, package_entries,
                          zip_bytes)

from flashcards.core.collection import Collection as OurCollection
from flashcards.core.progress import Rating
from flashcards.formats import FormatError
from flashcards.formats.apkg import read

LAYOUTS = {"legacy": True, "latest": False}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("anki")
    col, notes = make_sample_collection(folder / "collection")
    packages = {name: export_package(col, folder / f"{name}.apkg", legacy=legacy)
                for name, legacy in LAYOUTS.items()}
    card_ids = {nid: [c.id for c in col.get_note(nid).cards()]
                for nid in (notes.basic, notes.reversed_pair, notes.optional_single,
                            notes.optional_pair, notes.cloze, notes.typed, notes.custom)}
    col.close()
    return packages, notes, card_ids


@pytest.fixture(params=list(LAYOUTS))
def package(request, sample) -> Path:
    return sample[0][request.param]


def _cards(imported):
    return {card.id: card for deck in imported.decks for card in deck.cards}


def _card(imported, anki_card_id):
    return _cards(imported)[f"anki-{anki_card_id}"]


def test_the_package_is_the_layout_it_claims(sample):
    packages = sample[0]
    with zipfile.ZipFile(packages["latest"]) as archive:
        assert "collection.anki21b" in archive.namelist()
    with zipfile.ZipFile(packages["legacy"]) as archive:
        assert "collection.anki21" in archive.namelist()


def test_every_anki_card_becomes_a_card(package):
    imported = read(package)
    # Basic 1, reversed pair 2, optional reversed 1 + 2, cloze with c1 and c2: 2,
    # type in the answer 1, our own note type with two card types: 2.
    assert len(_cards(imported)) == 11


def test_subdecks_keep_their_anki_names(package):
    imported = read(package)
    names = {deck.name: len(deck.cards) for deck in imported.decks}
    assert names == {"Languages": 6, "Languages::French": 5}


def test_basic_card_shows_front_and_back_without_repeating_the_front(package, sample):
    notes, card_ids = sample[1], sample[2]
    card = _card(read(package), card_ids[notes.basic][0])
    assert card.front == 'chat <img src="cat.png">'
    assert card.back == "cat"
    assert card.tags == ("animals", "french")


def test_reversed_card_asks_the_other_way(package, sample):
    notes, card_ids = sample[1], sample[2]
    imported = read(package)
    forward, backward = (_card(imported, cid) for cid in card_ids[notes.reversed_pair])
    assert (forward.front, forward.back) == ("chien", "dog")
    assert (backward.front, backward.back) == ("dog", "chien")
    assert forward.note == backward.note is not None, "the two sides are siblings"
    basic = _card(imported, card_ids[notes.basic][0])
    assert basic.note != forward.note


def test_optional_reverse_only_when_anki_made_that_card(package, sample):
    notes, card_ids = sample[1], sample[2]
    imported = read(package)
    assert len(card_ids[notes.optional_single]) == 1
    fronts = {_card(imported, cid).front for cid in card_ids[notes.optional_pair]}
    assert fronts == {"Katze", "cat"}


def test_each_cloze_hides_its_own_deletion(package, sample):
    notes, card_ids = sample[1], sample[2]
    imported = read(package)
    first, second = (_card(imported, cid) for cid in card_ids[notes.cloze])
    assert "[...]" in first.front and "Paris" not in first.front and "France" in first.front
    assert "Paris" in first.back and "geography" in first.back
    assert "[country]" in second.front and "France" not in second.front and "Paris" in second.front
    assert "France" in second.back


def test_typed_answer_card_asks_and_shows_the_expected_answer(package, sample):
    notes, card_ids = sample[1], sample[2]
    card = _card(read(package), card_ids[notes.typed][0])
    assert (card.front, card.back) == ("capital of Peru?", "Lima")


def test_note_types_of_ones_own_render_from_their_templates(package, sample):
    notes, card_ids = sample[1], sample[2]
    imported = read(package)
    recognise, recall = (_card(imported, cid) for cid in card_ids[notes.custom])
    assert (recognise.front, recognise.back) == ("laufen<br><i>Ich laufe.</i>", "to run")
    assert (recall.front, recall.back) == ("to run", "laufen")


def test_image_occlusion_cards_are_left_out_with_a_warning(package):
    imported = read(package)
    assert any("image occlusion" in warning for warning in imported.warnings)
    assert not any("Toggle" in card.back for card in _cards(imported).values())


def test_collection_packages_read_too(tmp_path):
    col, _ = make_sample_collection(tmp_path / "collection")
    target = tmp_path / "everything.colpkg"
    col.export_collection_package(str(target), include_media=True, legacy=False)
    col.close()
    imported = read(target)
    assert len(_cards(imported)) == 11
    assert imported.media == {"cat.png": IMAGE_BYTES}


def test_oldest_layout_without_version_entry_reads_too(sample, tmp_path):
    # What Anki 2.0 wrote: collection.anki2 holds the real collection, and there is no meta.
    entries = package_entries(sample[0]["legacy"])
    oldest = {"collection.anki2": entries["collection.anki21"], "media": entries["media"],
              "0": entries["0"]}
    path = tmp_path / "old.apkg"
    path.write_bytes(zip_bytes(oldest))
    imported = read(path)
    assert len(_cards(imported)) == 11
    assert imported.media == {"cat.png": IMAGE_BYTES}


def test_only_images_the_cards_show_come_along(package):
    assert read(package).media == {"cat.png": IMAGE_BYTES}


def test_review_history_comes_with_the_cards(package, sample):
    notes = sample[1]
    imported = read(package)
    history = [r for r in imported.reviews if r.card_id == f"anki-{notes.reviewed_card}"]
    assert [r.rating for r in history] == [Rating.GOOD, Rating.AGAIN]
    assert history[0].time <= history[1].time
    assert len(imported.reviews) == 2


def test_reading_twice_gives_the_same_ids(package):
    first, second = read(package), read(package)
    assert [d.id for d in first.decks] == [d.id for d in second.decks]
    assert set(_cards(first)) == set(_cards(second))


def test_importing_again_adds_nothing(package, tmp_path):
    with OurCollection.open(tmp_path / "data", "test") as collection:
        first = collection.import_decks(read(package)).results
        again = collection.import_decks(read(package)).results
    assert sum(result.added for result in first) == 11
    assert sum(result.added for result in again) == 0


def test_import_into_collection_keeps_images_and_progress(package, sample, tmp_path):
    notes = sample[1]
    with OurCollection.open(tmp_path / "data", "test") as collection:
        collection.import_decks(read(package))
        assert (collection.media_folder / "cat.png").read_bytes() == IMAGE_BYTES
        assert collection.progress(f"anki-{notes.reviewed_card}") is not None


def test_deck_name_renames_the_top_deck(package):
    imported = read(package, deck_name="French words")
    assert {deck.name for deck in imported.decks} == {"French words", "French words::French"}


def test_progress_reaches_the_end(package):
    reports = []
    read(package, progress=lambda done, total: reports.append((done, total)))
    assert reports[-1][0] == reports[-1][1] > 0
    assert all(done <= total for done, total in reports)


def test_cancelling_stops_the_import(package):
    with pytest.raises(FormatError, match="cancelled"):
        read(package, cancelled=lambda: True)
