"""Anki packages for tests: real ones made by the official `anki` library, and hand-made zips."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from anki.collection import (Collection, ExportAnkiPackageOptions, ImportAnkiPackageOptions,
                             ImportAnkiPackageRequest)

IMAGE_BYTES = b"\x89PNG\r\n\x1a\n fake image"


@dataclass
class SampleNotes:
    """The Anki note ids of what `make_sample_collection` added, to look cards up by."""

    basic: int
    reversed_pair: int
    optional_single: int
    optional_pair: int
    cloze: int
    typed: int
    custom: int
    reviewed_card: int


def open_anki_collection(folder: Path) -> Collection:
    folder.mkdir(parents=True, exist_ok=True)
    return Collection(str(folder / "collection.anki2"))


def make_sample_collection(folder: Path) -> tuple[Collection, SampleNotes]:
    """A collection with every stock note type, a subdeck, an image and reviews."""
    col = open_anki_collection(folder)
    top = col.decks.id("Languages")
    sub = col.decks.id("Languages::French")
    col.media.write_data("cat.png", IMAGE_BYTES)
    col.media.write_data("unused.png", b"never shown")

    basic = add_note(col, "Basic", sub, {"Front": 'chat <img src="cat.png">', "Back": "cat"},
                 ["french", "animals"])
    pair = add_note(col, "Basic (and reversed card)", sub, {"Front": "chien", "Back": "dog"})
    single = add_note(col, "Basic (optional reversed card)", top,
                  {"Front": "Hund", "Back": "dog", "Add Reverse": ""})
    optional = add_note(col, "Basic (optional reversed card)", top,
                    {"Front": "Katze", "Back": "cat", "Add Reverse": "y"})
    cloze = add_note(col, "Cloze", sub, {
        "Text": "{{c1::Paris}} is the capital of {{c2::France::country}}",
        "Back Extra": "geography"})
    typed = add_note(col, "Basic (type in the answer)", top, {"Front": "capital of Peru?",
                                                          "Back": "Lima"})
    _add_vocabulary_note_type(col)
    custom = add_note(col, "Vocabulary", top, {"Word": "laufen", "Meaning": "to run",
                                           "Example": "Ich laufe."})
    add_note(col, "Image Occlusion", top, {
        "Occlusion": "{{c1::image-occlusion:rect:left=.1:top=.1:width=.3:height=.2:oi=1}}",
        "Image": '<img src="cat.png">'})
    reviewed = _review_first_card(col, basic)
    return col, SampleNotes(basic, pair, single, optional, cloze, typed, custom, reviewed)


def _add_vocabulary_note_type(col: Collection) -> None:
    """A note type of a person's own, with a conditional section and two card types."""
    models = col.models
    note_type = models.new("Vocabulary")
    for name in ("Word", "Meaning", "Example"):
        models.add_field(note_type, models.new_field(name))
    for name, front, back in (
            ("Recognise", "{{Word}}{{#Example}}<br><i>{{Example}}</i>{{/Example}}",
             "{{FrontSide}}<hr id=answer>{{Meaning}}"),
            ("Recall", "{{Meaning}}", "{{FrontSide}}<hr id=answer>{{Word}}")):
        template = models.new_template(name)
        template["qfmt"], template["afmt"] = front, back
        models.add_template(note_type, template)
    models.add(note_type)


def add_note(col: Collection, note_type: str, deck_id: int, fields: dict[str, str],
         tags: list[str] | None = None) -> int:
    note = col.new_note(col.models.by_name(note_type))
    for name, value in fields.items():
        note[name] = value
    note.tags = tags or []
    col.add_note(note, deck_id)
    return note.id


def _review_first_card(col: Collection, note_id: int) -> int:
    """Answer the note's card Good then Again, so the review log has two rows for it."""
    card = col.get_note(note_id).cards()[0]
    col.decks.select(card.did)
    for ease in (3, 1):
        card = col.get_card(card.id)
        card.start_timer()
        col.sched.answerCard(card, ease)
    return card.id


def export_package(col: Collection, target: Path, *, legacy: bool) -> Path:
    col.export_anki_package(
        out_path=str(target),
        options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False,
                                         with_media=True, legacy=legacy),
        limit=None)
    return target


def import_into_anki(col: Collection, package: Path) -> None:
    col.import_anki_package(ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions()))


def zip_bytes(entries: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    """A zip holding exactly these entries, in this order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def package_entries(package: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
