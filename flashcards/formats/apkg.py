"""Anki packages (.apkg, .colpkg): every card of every note type in, Basic notes out.

Reading renders each Anki card through its note type's templates into our front and back, keeps
Anki's deck names (`Parent::Child`), tags, the images the cards show, the sounds they play (their
`[sound:name]` markers and files) and the review history.
Ids come from Anki's own ids, so importing the same package again adds nothing new.
"""

from __future__ import annotations

import html
import json
import re
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from datetime import datetime, timezone
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO, NamedTuple
from urllib.parse import unquote

from ..core.deck import Card, Deck
from ..core.files import write_atomically
from ..core.importing import ImportedDecks, ImportedReview
from ..core.progress import Rating
from ..core.snapshot import collector_paused
from . import FormatError
from .anki_export import image_names, write_collection
from .anki_package import AnkiPackage, Layout, is_plain_file_name
from .anki_schema import (FIELD_SEPARATOR, AnkiCollection, CardRow, LoggedReview, NoteType,
                          read_collection)
from .anki_templates import CardRenderer, card_renderer, cloze_numbers
from .html import SOUND, clean_html, is_plain_text, sound_names

Progress = Callable[[int, int], None]

# Only ever applied to sanitised HTML, where every attribute is double-quoted.
_IMG = re.compile(r"<img\b[^>]*?\bsrc=\"([^\"]*)\"[^>]*>", re.IGNORECASE)
_TAGS_BUT_IMG = re.compile(r"<(?!img\b)[^>]*>", re.IGNORECASE)
# Review log kinds that record no answer: changes made by hand, or by rescheduling.
_UNANSWERED_KINDS = {4, 5}
# Anki's answer buttons (ease 1 to 4) are our ratings, numbered alike.
_RATINGS = {ease: Rating(ease) for ease in range(1, 5)}
_PROGRESS_EVERY = 200
# How Anki's image occlusion notes mark their masks; without the masks such a card is just the
# image, with nothing to recall.
_OCCLUSION = "::image-occlusion:"
_DEFAULT_DECK = 1
# The fields Anki fills in itself; a template asking for them gets these over a note's own field.
_ANKI_FIELDS = ("Tags", "Type", "Deck", "Subdeck", "Card")
# The media names of a side that shows none.
_NO_NAMES: frozenset[str] = frozenset()
_IMAGE_OUTSIDE = "images removed: their names point outside the media folder"
_SOUND_OUTSIDE = "sounds removed: their names point outside the media folder"
# A card type not looked at yet, unlike None: one whose note type is missing.
_UNSEEN = object()


def read(path: Path, *, deck_name: str | None = None,
         cancelled: Callable[[], bool] | None = None,
         progress: Progress | None = None) -> ImportedDecks:
    """The decks, review history and images in an Anki package. Raises FormatError."""
    path = Path(path)
    # A card is several objects and none of them form cycles: the cycle collector would only walk
    # the whole heap again and again while they are made. The rows and caches they are made from
    # are gone by the time it runs again, so it walks only what is returned.
    with collector_paused():
        imported = _read_package(path, cancelled, progress)
    if not imported.decks:
        reasons = "; ".join(imported.warnings)
        raise FormatError(f"{path.name} holds no cards" + (f" ({reasons})" if reasons else ""))
    if deck_name:
        _rename_top_deck(imported, deck_name.strip())
    return imported


def _read_package(path: Path, cancelled: Callable[[], bool] | None,
                  progress: Progress | None) -> ImportedDecks:
    with tempfile.TemporaryDirectory(prefix="flashcards-anki-") as folder, \
            AnkiPackage(path, cancelled) as package:
        db_path = Path(folder) / "collection.sqlite"
        package.extract_collection(db_path)
        collection = read_collection(db_path, path.name)
        media_entries = package.media_entries()
        conversion = _Conversion(collection, media_entries, cancelled, progress)
        imported = conversion.run()
        first = len(collection.cards)
        for done, name in enumerate(sorted(conversion.referenced), start=first):
            imported.media[name] = package.read_media(media_entries[name])
            conversion.report(done)
        conversion.report(conversion.total)
    return imported


class _Conversion:
    """Anki's notes and cards turned into our decks, remembering what needs a person's attention."""

    def __init__(self, collection: AnkiCollection, media_entries: dict[str, str],
                 cancelled: Callable[[], bool] | None, progress: Progress | None) -> None:
        self.collection = collection
        self.media_entries = media_entries
        self.cancelled = cancelled or (lambda: False)
        self.progress = progress
        self.total = len(collection.cards) + len(media_entries)
        self.referenced: set[str] = set()
        self.skipped: Counter[str] = Counter()
        self.deck_names: dict[int, str] = {}
        self.card_types: dict[tuple[int | None, int], _CardType | None] = {}
        # The cards of each deck made, by Anki deck id; and the same lists by the deck id a card
        # names, which may be a deck the package lacks, whose cards go to its Default deck.
        self.decks: dict[int, list[Card]] = {}
        self.deck_cards: dict[int, list[Card]] = {}
        # The sides of a note's cards repeat (a reversed card's question is the other's answer):
        # each distinct side with markup is sanitised once.
        self.sanitised: dict[str, _Side] = {}
        # Notes share a handful of tag sets; one tuple each keeps the cards light.
        self.tag_sets: dict[str, tuple[str, ...]] = {}

    def run(self) -> ImportedDecks:
        kept: set[int] = set()
        rows = self.collection.cards
        for start in range(0, len(rows), _PROGRESS_EVERY):
            self.report(start)
            for row, card in self._cards(rows[start:start + _PROGRESS_EVERY]):
                if row[0] in kept:
                    # Only a damaged or hand-made database repeats an id (or a note's id).
                    self.skipped["cards skipped: their id repeats another card's"] += 1
                    continue
                cards = self.deck_cards.get(row[2]) or self._deck_cards(row[2])
                cards.append(card)
                kept.add(row[0])
        decks = [Deck(id=self._deck_key(deck_id), name=self._deck_name(deck_id), cards=cards)
                 for deck_id, cards in self.decks.items()]
        return ImportedDecks(
            decks=decks, reviews=_reviews(self.collection.reviews, kept),
            warnings=[f"{count} {reason}" for reason, count in self.skipped.items()])

    def report(self, done: int) -> None:
        if self.cancelled():
            raise FormatError("import cancelled")
        if self.progress:
            self.progress(min(done, self.total), self.total)

    def _cards(self, rows: list[CardRow]) -> Iterator[tuple[CardRow, Card]]:
        """The cards made from these rows, each with its row."""
        rendered = [self._render(row) for row in rows]
        # The sanitiser runs for all the new sides in one go: faster than between card renders.
        self._sanitise_new(sides for sides in rendered if not isinstance(sides, str))
        for row, sides in zip(rows, rendered):
            if isinstance(sides, str):
                self.skipped[sides] += 1
                continue
            card = self._card(row, *sides)
            if card is not None:
                yield row, card

    def _card(self, row: CardRow, front: str, back: str) -> Card | None:
        card_id, _, _, _, _, tags_text, note_id = row
        front_side, back_side = self._sanitised(front), self._sanitised(back)
        front, back = front_side.html, back_side.html
        if not _has_text(front):
            self.skipped["cards skipped: their question is empty"] += 1
            return None
        warning = None
        if front_side.has_media or back_side.has_media:
            warning = self._missing_media(front_side, back_side)
        tags = self.tag_sets.get(tags_text)
        if tags is None:
            tags = self.tag_sets[tags_text] = tuple(tags_text.split())
        # Cards of one note are siblings: studying one puts the others off to the next day.
        return Card(f"anki-{card_id}", front, back, tags, warning, note=f"anki-note-{note_id}")

    def _missing_media(self, *sides: _Side) -> str | None:
        """Remember the files the sides show or play; say which of them the package lacks."""
        missing = []
        for kind, names in (("image", set().union(*(side.images for side in sides))),
                            ("sound", set().union(*(side.sounds for side in sides)))):
            absent = sorted(name for name in names if name not in self.media_entries)
            self.referenced |= names.difference(absent)
            if absent:
                missing.append(f"{kind} not in the package: {', '.join(absent)}")
        return "; ".join(missing) or None

    def _render(self, row: CardRow) -> tuple[str, str] | str:
        """The card's front and back as its templates show them, or why it is left out."""
        _, ord_, deck_id, note_type_id, fields_text, tags_text, _ = row
        card_type = self.card_types.get((note_type_id, ord_), _UNSEEN)
        if card_type is _UNSEEN:
            card_type = self.card_types[(note_type_id, ord_)] = self._card_type(note_type_id, ord_)
        if card_type is None:
            return "cards skipped: their note or note type is missing"
        fields = fields_text.split(FIELD_SEPARATOR)
        if card_type.is_cloze and (hidden := _cloze_not_shown(card_type.number, fields,
                                                               fields_text)):
            return hidden
        if card_type.renderer is None:
            return "cards skipped: their card type is missing"
        # Most notes have all their type's fields, and most templates show only those: the
        # renderer can read the note's fields as they are.
        if card_type.shows_fields_only and len(fields) >= card_type.field_count:
            return card_type.renderer(fields, card_type.number)
        return self._render_with_anki_fields(card_type, deck_id, fields, tags_text)

    def _card_type(self, note_type_id: int | None, ord_: int) -> _CardType | None:
        note_type = self.collection.note_types.get(note_type_id)
        return None if note_type is None else _CardType(note_type, ord_)

    def _render_with_anki_fields(self, card_type: _CardType, deck_id: int, fields: list[str],
                                 tags_text: str) -> tuple[str, str]:
        # Values in the order of the names the renderer was made for: the note's fields (as many
        # as both have), then what Anki fills in itself, worked out only for templates that ask.
        values = fields[:card_type.field_count]
        renderer = card_type.renderer_for(len(values))
        if renderer.width > len(values):
            deck = self._deck_name(deck_id)
            values += (" ".join(tags_text.split()), card_type.note_type.name, deck,
                       deck.split("::")[-1], card_type.template.name)
        return renderer(values, card_type.number)

    def _deck_cards(self, deck_id: int) -> list[Card]:
        home = deck_id if deck_id in self.collection.deck_names else _DEFAULT_DECK
        cards = self.deck_cards[deck_id] = self.decks.setdefault(home, [])
        return cards

    def _sanitise_new(self, rendered: Iterable[tuple[str, str]]) -> None:
        """Sanitise each side with markup or sounds not seen before; plain text needs nothing."""
        known = self.sanitised
        new = {side: None for sides in rendered for side in sides
               if side not in known and not _is_plain_side(side)}
        for side in new:
            known[side] = self._sanitise(side)

    def _sanitised(self, card_html: str) -> _Side:
        """The side made safe, with the media names it shows and plays."""
        done = self.sanitised.get(card_html)
        if done is None:
            if _is_plain_side(card_html):
                return _Side(card_html)
            done = self.sanitised[card_html] = self._sanitise(card_html)
        if done.removed:
            # Counted for every card that loses the file, as if each were sanitised on its own.
            self.skipped.update(done.removed)
        return done

    def _sanitise(self, card_html: str) -> _Side:
        card_html = clean_html(card_html)
        images: AbstractSet[str] = _NO_NAMES
        sounds: AbstractSet[str] = _NO_NAMES
        removed: tuple[str, ...] = ()
        # The sanitiser writes every tag name in lower case, and any other "<" as "&lt;".
        if "<img" in card_html:
            card_html, images, removed = self._images(card_html)
        if "[sound:" in card_html:
            card_html, sounds, removed_sounds = _sounds(card_html)
            removed += removed_sounds
        return _Side(card_html, images, sounds, removed)

    def _images(self, card_html: str) -> tuple[str, set[str], tuple[str, ...]]:
        """The side with unsafe image references removed, the media names it shows, and one
        reason for each image removed."""
        names: set[str] = set()
        removed: list[str] = []

        def keep(match: re.Match) -> str:
            name = self._media_name(html.unescape(match.group(1)))
            if name is None:
                removed.append(_IMAGE_OUTSIDE)
                return ""
            names.add(name)
            return match.group(0)

        return _IMG.sub(keep, card_html), names, tuple(removed)

    def _media_name(self, source: str) -> str | None:
        for name in (source, unquote(source)):
            if name in self.media_entries:
                return name
        # Not in the package: kept only if it cannot point outside the media folder.
        return source if is_plain_file_name(source) else None

    def _deck_name(self, deck_id: int) -> str:
        if deck_id not in self.deck_names:
            names = self.collection.deck_names
            name = names.get(deck_id) or names.get(_DEFAULT_DECK) or "Default"
            self.deck_names[deck_id] = "::".join(part.strip() for part in name.split("::"))
        return self.deck_names[deck_id]

    def _deck_key(self, deck_id: int) -> str:
        if deck_id != _DEFAULT_DECK:
            return f"anki-{deck_id}"
        # Every Anki collection has a Default deck with id 1; its oldest card tells them apart,
        # so two people's Default decks never merge into one here.
        oldest = min((row[0] for row in self.collection.cards if row[2] == deck_id), default=0)
        return f"anki-default-{oldest}"


class _CardType:
    """One card type of one note type, worked out once for all the cards made from it."""

    def __init__(self, note_type: NoteType, ord_: int) -> None:
        self.note_type = note_type
        self.is_cloze = note_type.is_cloze
        # A cloze note type has one template; its cards differ by the deletion they hide.
        template_index = 0 if note_type.is_cloze else ord_
        self.number = ord_ + 1
        self.field_count = len(note_type.fields)
        self.template = note_type.templates[template_index] \
            if 0 <= template_index < len(note_type.templates) else None
        self._renderers: dict[int, CardRenderer] = {}
        self.renderer = self.renderer_for(self.field_count) if self.template else None
        self.shows_fields_only = self.renderer is not None and \
            self.renderer.width <= self.field_count

    def renderer_for(self, count: int) -> CardRenderer:
        """The renderer for notes with `count` of the note type's fields."""
        renderer = self._renderers.get(count)
        if renderer is None:
            renderer = self._renderers[count] = card_renderer(
                self.template.front, self.template.back,
                self.note_type.fields[:count] + _ANKI_FIELDS)
        return renderer


class _Side(NamedTuple):
    """A side made safe: its HTML, the media names it shows and plays, and one reason for each
    image or sound taken out of it because its name points outside the media folder."""

    html: str
    images: AbstractSet[str] = _NO_NAMES
    sounds: AbstractSet[str] = _NO_NAMES
    removed: tuple[str, ...] = ()

    @property
    def has_media(self) -> bool:
        return bool(self.images or self.sounds)


def _is_plain_side(card_html: str) -> bool:
    """Whether the side is plain text that plays nothing: it needs no sanitising."""
    return "[sound:" not in card_html and is_plain_text(card_html)


def _sounds(card_html: str) -> tuple[str, set[str], tuple[str, ...]]:
    """The side with unsafe sound markers removed, the sound files it plays, and one reason for
    each marker removed. A sound's name is the file's own: it is never URL-decoded."""
    names: set[str] = set()
    removed: list[str] = []

    def keep(match: re.Match) -> str:
        name = html.unescape(match.group(1))
        if not is_plain_file_name(name):
            removed.append(_SOUND_OUTSIDE)
            return ""
        names.add(name)
        return match.group(0)

    return SOUND.sub(keep, card_html), names, tuple(removed)


def _cloze_not_shown(number: int, fields: list[str], fields_text: str) -> str | None:
    """Why the cloze card with this number is left out, if it is."""
    if _OCCLUSION in fields_text:
        return "image occlusion cards skipped: masks over images need Anki"
    if not any(number in cloze_numbers(value) for value in fields):
        return "cloze cards skipped: their deletion is no longer in the note"
    return None


def _has_text(card_html: str) -> bool:
    """Whether the side shows something besides markup and white space (an image counts)."""
    if "<" not in card_html:
        return bool(card_html.strip())
    # Markup starts with "<" and ends with ">": any other visible first or last character is text.
    for edge in (card_html[0], card_html[-1]):
        if edge not in "<>" and not edge.isspace():
            return True
    return bool(_TAGS_BUT_IMG.sub("", card_html).strip())


def _reviews(logged: list[LoggedReview], anki_card_ids: set[int]) -> list[ImportedReview]:
    reviews = []
    for entry in logged:
        if entry.card_id not in anki_card_ids or entry.kind in _UNANSWERED_KINDS or \
                entry.ease not in _RATINGS:
            continue
        try:
            when = datetime.fromtimestamp(entry.time_ms / 1000, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            continue
        duration = entry.duration_ms if entry.duration_ms > 0 else None
        # Anki's revlog id is the review's time in milliseconds.
        reviews.append(ImportedReview(f"anki-{entry.card_id}", when, _RATINGS[entry.ease],
                                      duration, source_id=str(entry.time_ms)))
    return reviews


def _rename_top_deck(imported: ImportedDecks, new_name: str) -> None:
    tops = {deck.name.split("::")[0] for deck in imported.decks}
    if len(tops) != 1:
        imported.warnings.append(f"kept the package's own deck names: it has {len(tops)} "
                                 f"top-level decks, so none was renamed to {new_name!r}")
        return
    imported.decks = [replace(deck, name="::".join([new_name, *deck.name.split("::")[1:]]))
                      for deck in imported.decks]


# -- writing --------------------------------------------------------------------------------------
def write(decks: list[Deck], path: Path, *, media_folder: Path | None = None) -> None:
    """An Anki package (legacy layout 2, readable by every Anki since 2.1) holding `decks`."""
    path = Path(path)
    now_ms = int(time.time() * 1000)
    media = _media_files(decks, Path(media_folder) if media_folder else None)
    try:
        with tempfile.TemporaryDirectory(prefix="flashcards-anki-") as folder:
            db_path = Path(folder) / "collection.anki21"
            write_collection(db_path, decks, now_ms)
            write_atomically(path, lambda handle: _write_zip(handle, db_path, media))
    except OSError as error:
        raise FormatError(f"Cannot write {path.name}: {error.strerror or error}") from error


def _write_zip(target: BinaryIO, db_path: Path, media: dict[str, Path]) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("meta", bytes([0x08, Layout.LEGACY_2]))
        archive.write(db_path, Layout.LEGACY_2.collection_entry)
        # Anki 2.0 only looks for this name; later versions read the entry above.
        archive.write(db_path, Layout.LEGACY_1.collection_entry)
        archive.writestr("media", json.dumps({str(i): name for i, name in enumerate(media)}))
        for index, file in enumerate(media.values()):
            archive.write(file, str(index), compress_type=zipfile.ZIP_STORED)


def _media_files(decks: list[Deck], media_folder: Path | None) -> dict[str, Path]:
    """Images the cards show and sounds they play that exist in the media folder, by name."""
    if media_folder is None:
        return {}
    files = {}
    for deck in decks:
        for card in deck.cards:
            both = card.front + card.back
            for name in image_names(both) + sound_names(both):
                if name in files or not is_plain_file_name(name):
                    continue
                # Cards written by older tools may percent-encode the name.
                file = next((media_folder / candidate for candidate in (name, unquote(name))
                             if (media_folder / candidate).is_file()), None)
                if file is not None:
                    files[name] = file
    return files
