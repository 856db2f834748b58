"""File > Import, Export and Restore backup: ask for a file, run the transfer, report the outcome.

The transfer functions live in `flashcards.transfer`; they are imported when first used. They raise
FormatError or StoreError with a one-line message for the person, shown here in a message box.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from flashcards.core.collection import Collection, ImportResult
from flashcards.core.store import StoreError
from flashcards.formats import FormatError

from . import dialogs

# Show the progress dialog only for transfers that take longer than this.
PROGRESS_DELAY_MS = 400


class Progress:
    """The hook a long transfer reports to: a progress dialog with Cancel, shown only if slow."""

    def __init__(self, parent: QWidget | None, label: str) -> None:
        self._dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
        self._dialog.setWindowTitle("Flashcards")
        self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        self._dialog.setAutoClose(False)
        self._dialog.setAutoReset(False)
        self._dialog.setValue(0)

    def update(self, done: int, total: int) -> None:
        """progress=callable(done, total) for the transfer functions."""
        if total > 0 and self._dialog.maximum() != total:
            self._dialog.setMaximum(total)
        self._dialog.setValue(min(done, total) if total > 0 else 0)
        # The transfer runs on this thread: let the dialog paint and see a click on Cancel.
        QApplication.processEvents()

    def cancelled(self) -> bool:
        """cancelled=callable() -> bool for the transfer functions."""
        return self._dialog.wasCanceled()

    def close(self) -> None:
        self._dialog.reset()
        self._dialog.deleteLater()


def import_path(parent: QWidget | None, collection: Collection, path: Path) -> list[ImportResult]:
    """Import one file; returns the decks it touched (none after an error or Cancel).

    What the reader noticed (cards flagged as cut off, skipped rows) is shown in one box.
    """
    from flashcards import transfer

    progress = Progress(parent, f"Importing {path.name}…")
    try:
        summary = transfer.import_file(collection, path, progress=progress.update,
                                       cancelled=progress.cancelled)
    except transfer.ImportCancelled:
        return []
    except (FormatError, StoreError) as error:
        message = str(error)
        if path.name not in message:
            message = f"{path.name}: {message}"
        dialogs.show_error(parent, "Import failed", message)
        return []
    finally:
        progress.close()
    if summary.warnings:
        dialogs.show_warnings(parent, f"Imported {path.name}, with warnings", summary.warnings)
    return list(summary.decks)


def import_interactively(parent: QWidget | None, collection: Collection) -> list[ImportResult]:
    """File > Import…: ask for a file and import it."""
    path = dialogs.ask_import_path(parent)
    if path is None:
        return []
    return import_path(parent, collection, path)


def export_interactively(parent: QWidget | None, collection: Collection, deck_id: str | None) -> bool:
    """File > Export…: save the selected deck to a file the person picks."""
    if deck_id is None:
        dialogs.show_error(parent, "Export", "Select a deck to export first.")
        return False
    from flashcards import transfer

    deck = collection.deck(deck_id)
    answer = dialogs.ask_export_path(parent, f"{deck.name}.json")
    if answer is None:
        return False
    path, fmt = answer
    try:
        transfer.export_deck(collection, deck_id, path, fmt=fmt)
    except (FormatError, StoreError) as error:
        dialogs.show_error(parent, "Export failed", str(error))
        return False
    return True


def restore_backup_interactively(parent: QWidget | None, collection: Collection) -> bool:
    """File > Restore backup…: pick a backup file and bring the collection back to it."""
    from flashcards import transfer

    restore = getattr(transfer, "restore_backup", None)
    if restore is None:
        dialogs.show_error(parent, "Restore backup", "Restoring a backup is not available yet.")
        return False
    path = dialogs.ask_backup_path(parent, collection.store.folder / "backups")
    if path is None:
        return False
    if not dialogs.ask_confirmation(
            parent, "Restore backup",
            f"Replace your decks and progress with the backup {path.name}?"):
        return False
    progress = Progress(parent, f"Restoring {path.name}…")
    error_message = None
    try:
        restore(collection, path, progress=progress.update, cancelled=progress.cancelled)
    except (FormatError, StoreError) as error:
        error_message = str(error)
    finally:
        progress.close()
    if error_message:
        dialogs.show_error(parent, "Restore failed", error_message)
        return False
    return True
