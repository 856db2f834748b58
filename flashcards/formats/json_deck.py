"""Our own deck file: one deck per JSON file, as described in docs/deck-format.md.

Card ids in these files are what ties a person's progress to a card, so they are kept exactly as
written; everything else a file says is checked, and card text is sanitised, on the way in.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from flashcards.core.deck import Deck, DeckKind, deck_from_json, deck_to_json
from flashcards.core.files import write_atomically
from flashcards.core.importing import ImportedDecks

from . import FormatError, read_utf8
from .html import clean_html

FORMAT_NAME = "flashcards-deck"
FORMAT_VERSION = 1

_KINDS = {kind.value for kind in DeckKind}


def read(path: Path, *, deck_name: str | None = None) -> ImportedDecks:
    """The deck in a JSON deck file; `deck_name` replaces the name the file gives it."""
    text = read_utf8(path)
    try:
        return read_text(text, deck_name=deck_name)
    except FormatError as error:
        # The same message a pasted text would get, saying which of perhaps many files it is.
        raise FormatError(f"{Path(path).name}: {error}") from error


def read_text(text: str, *, deck_name: str | None = None) -> ImportedDecks:
    """The deck in the text of a JSON deck file."""
    deck = _deck_from_document(_parse(text))
    if deck_name:
        deck = replace(deck, name=deck_name)
    return ImportedDecks(decks=[deck], warnings=_flag_warnings(deck))


def write(decks: list[Deck], path: Path, **options) -> None:
    """Save exactly one deck; the file is replaced whole, so a crash never leaves half a deck."""
    if len(decks) != 1:
        raise FormatError(f"A JSON deck file holds exactly one deck, not {len(decks)}")
    path = Path(path)
    try:
        write_atomically(path, dump(decks[0]).encode("utf-8"))
    except OSError as error:
        raise FormatError(f"Cannot write {path.name}: {error.strerror or error}") from error


def dump(deck: Deck) -> str:
    """The text of a JSON deck file holding `deck`."""
    document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, **deck_to_json(deck)}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _parse(text: str) -> object:
    if not text.strip():
        raise FormatError("The file is empty")
    if _ESCAPED_SURROGATE.search(text) and _has_lone_surrogate(text):
        # JSON may spell half a character ("\ud800"); such a string cannot be saved as UTF-8.
        raise FormatError("The file holds a broken character escape (a lone \\uD800-\\uDFFF)")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(f"Not JSON: {error.msg} (line {error.lineno}, column {error.colno})") from error
    except RecursionError as error:
        raise FormatError("Not a deck file: the JSON is nested too deeply") from error
    except ValueError as error:
        # e.g. a number too long to convert: still just a file we cannot read.
        raise FormatError(f"Not JSON: {error}") from error


def _has_lone_surrogate(text: str) -> bool:
    try:
        json.dumps(json.loads(text), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    except (ValueError, RecursionError):
        return False  # not JSON at all: _parse says so
    return False


def _deck_from_document(document: object) -> Deck:
    if not isinstance(document, dict):
        raise FormatError(f"Not a deck file: expected a JSON object, found {_json_type(document)}")
    _check_envelope(document)
    _check_deck_fields(document)
    cards = _require(document, "cards", list, "the deck")
    checked = [_checked_card(entry, index) for index, entry in enumerate(cards, start=1)]
    _check_unique_ids(checked)
    try:
        return deck_from_json({**document, "cards": checked})
    except (KeyError, ValueError, TypeError) as error:
        raise FormatError(f"Not a valid deck: {error}") from error


def _check_envelope(document: dict) -> None:
    if document.get("format") != FORMAT_NAME:
        found = document.get("format")
        what = "no \"format\" key" if found is None else f"format {json.dumps(found)[:60]}"
        raise FormatError(f"Not a Flashcards deck file: {what} (expected \"{FORMAT_NAME}\")")
    version = document.get("version")
    if not _is_int(version) or version < 1:
        raise FormatError("The deck file has no valid \"version\" (a whole number, 1 or more)")
    if version > FORMAT_VERSION:
        raise FormatError(
            f"The deck file is format version {version}, made by a newer version of Flashcards; "
            f"this version reads up to {FORMAT_VERSION}")


def _check_deck_fields(document: dict) -> None:
    _require_text(document, "id", "the deck")
    _require_text(document, "name", "the deck")
    kind = document.get("kind", DeckKind.BASIC.value)
    if not isinstance(kind, str) or kind not in _KINDS:
        raise FormatError(
            f"The deck has an unknown kind {json.dumps(kind)[:60]} (expected one of {', '.join(sorted(_KINDS))})")
    if "revision" in document:
        revision = document["revision"]
        if not _is_int(revision) or revision < 1:
            raise FormatError("The deck's \"revision\" must be a whole number, 1 or more")
    if "description" in document:
        _require(document, "description", str, "the deck")


def _checked_card(entry: object, index: int) -> dict:
    where = f"card {index}"
    if not isinstance(entry, dict):
        raise FormatError(f"{where.capitalize()} is {_json_type(entry)}, not an object")
    card = {"id": _require_text(entry, "id", where)}
    for side in ("front", "back"):
        card[side] = clean_html(_require(entry, side, str, where))
    if not card["front"].strip():
        raise FormatError(f"{where.capitalize()} has an empty \"front\"")
    if "tags" in entry:
        tags = _require(entry, "tags", list, where)
        if not all(isinstance(tag, str) for tag in tags):
            raise FormatError(f"{where.capitalize()}: every tag must be a string")
        card["tags"] = tags
    for key in ("flag", "note"):
        if entry.get(key) is not None:
            card[key] = _require(entry, key, str, where)
    return card


def _check_unique_ids(cards: list[dict]) -> None:
    seen: dict[str, int] = {}
    for index, card in enumerate(cards, start=1):
        if card["id"] in seen:
            raise FormatError(
                f"Card {index} has the same id as card {seen[card['id']]}: {json.dumps(card['id'])[:80]}")
        seen[card["id"]] = index


def _flag_warnings(deck: Deck) -> list[str]:
    flagged = [card for card in deck.cards if card.warning]
    if not flagged:
        return []
    return [f"{len(flagged)} card(s) in “{deck.name}” are flagged for checking"]


def _require(mapping: dict, key: str, kind: type, where: str):
    if key not in mapping:
        raise FormatError(f"{where.capitalize()} has no \"{key}\"")
    value = mapping[key]
    if not isinstance(value, kind):
        raise FormatError(
            f"{where.capitalize()}: \"{key}\" must be {_json_type_name(kind)}, not {_json_type(value)}")
    return value


def _require_text(mapping: dict, key: str, where: str) -> str:
    value = _require(mapping, key, str, where)
    if not value.strip():
        raise FormatError(f"{where.capitalize()} has an empty \"{key}\"")
    return value


def _is_int(value: object) -> bool:
    # JSON true/false arrive as bools, which Python counts as ints.
    return isinstance(value, int) and not isinstance(value, bool)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return _json_type_name(type(value))


def _json_type_name(kind: type) -> str:
    return {str: "a string", list: "a list", dict: "an object"}.get(kind, kind.__name__)
