"""Moving decks in and out of the collection, whatever the file format. Used by the CLI and the window."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .core.changes import NOTHING, Changes
from .core.collection import Collection, ImportResult
from .core.importing import ImportedDecks
from .formats import FORMAT_BY_EXTENSION, FormatError, guess_format

IMPORT_FORMATS = ("json", "csv", "tsv", "apkg", "article")
EXPORT_FORMATS = ("json", "csv", "tsv", "apkg")
_MODULES = {"json": "json_deck", "csv": "csv_text", "tsv": "csv_text", "apkg": "apkg",
            "article": "article"}

Progress = Callable[[int, int], None]


class ImportCancelled(FormatError):
    """The person stopped the import; nothing was changed."""


@dataclass
class ImportSummary:
    decks: list[ImportResult]
    # What the reader noticed that a person should check (cards flagged as cut off, skipped rows).
    warnings: list[str] = field(default_factory=list)
    # What the import changed in the collection.
    changes: Changes = NOTHING

    def lines(self) -> list[str]:
        """One line per deck, in words, as the command line prints them (the window sums them up
        in one status-bar line instead)."""
        lines = []
        for r in self.decks:
            if r.added or r.updated:
                lines.append(f"{r.name}: {r.added} added, {r.updated} updated, {r.skipped} unchanged")
            else:
                lines.append(f"{r.name}: nothing new ({r.skipped} cards already in the collection)")
        return lines


def _module(fmt: str):
    if fmt not in _MODULES:
        raise FormatError(f"Unknown format {fmt!r}; choose one of {', '.join(IMPORT_FORMATS)}.")
    return importlib.import_module(f"flashcards.formats.{_MODULES[fmt]}")


def import_file(collection: Collection, path: str | Path, fmt: str | None = None,
                deck_name: str | None = None, progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None) -> ImportSummary:
    """Read the whole file first, then add it in one go: a file that fails changes nothing."""
    return add_to_collection(collection, read_file(path, fmt, deck_name, progress, cancelled))


def read_file(path: str | Path, fmt: str | None = None, deck_name: str | None = None,
              progress: Progress | None = None,
              cancelled: Callable[[], bool] | None = None) -> ImportedDecks:
    """What a file holds, read without touching the collection (so it may run on any thread)."""
    path = Path(path)
    if not path.is_file():
        raise FormatError(f"{path} is not a file.")
    if path.stat().st_size == 0:
        raise FormatError(f"{path.name} is empty.")
    fmt = fmt or guess_format(path)
    if deck_name:
        # A name typed in a terminal that is not UTF-8 arrives with undecodable bytes as lone
        # surrogates, which could never be saved.
        deck_name = deck_name.encode("utf-8", "replace").decode("utf-8")
    options = {}
    if fmt == "apkg":
        options = {"progress": progress, "cancelled": cancelled}
    elif fmt == "tsv":
        options = {"separator": "\t"}
    try:
        imported = _module(fmt).read(path, deck_name=deck_name, **options)
    except FormatError:
        if cancelled is not None and cancelled():
            raise ImportCancelled("Import cancelled; nothing was changed.") from None
        raise
    if cancelled is not None and cancelled():
        raise ImportCancelled("Import cancelled; nothing was changed.")
    if not imported.decks:
        raise FormatError(f"{path.name} holds no cards.")
    return imported


def add_to_collection(collection: Collection, imported: ImportedDecks) -> ImportSummary:
    """Add what `read_file` found, in one write."""
    done = collection.import_decks(imported)
    return ImportSummary(done.results, list(imported.warnings), done.changes)


def export_deck(collection: Collection, deck_id: str, path: str | Path, fmt: str | None = None) -> Path:
    """Write one deck to a file; FormatError (one line) if it cannot be written there."""
    path = Path(path)
    # From the name only: the content of a file about to be replaced says nothing.
    fmt = fmt or FORMAT_BY_EXTENSION.get(path.suffix.lower())
    if fmt is None:
        raise FormatError(f"Cannot tell the format from the name {path.name}; end it in "
                          f"{', '.join('.' + f for f in EXPORT_FORMATS)}.")
    if fmt not in EXPORT_FORMATS:
        raise FormatError(f"Cannot export to {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}.")
    deck = collection.deck(deck_id)
    folder = path.parent
    if not folder.is_dir():
        why = "is not a folder" if folder.exists() else "does not exist"
        raise FormatError(f"Cannot export to {path}: the folder {folder} {why}.")
    module = _module(fmt)
    if fmt == "apkg":
        module.write([deck], path, media_folder=collection.media_folder)
    elif fmt in ("csv", "tsv"):
        module.write([deck], path, separator="\t" if fmt == "tsv" else ",")
    else:
        module.write([deck], path)
    return path


def restore_backup(collection: Collection, path: str | Path, progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> Changes:
    """Bring decks, progress and settings back to a daily backup; returns what changed.

    The review history is kept whole: the restore is recorded as new events, which other devices
    sharing the folder follow too.
    """
    return collection.restore_backup(Path(path))
