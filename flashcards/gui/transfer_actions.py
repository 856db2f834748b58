"""File > Import, Export and Restore backup: ask, run the slow part off the GUI thread, report.

Reading a deck file, writing an export and reading a backup run as a BackgroundTask; the change
to the collection is then made here, on the GUI thread, in one write. One transfer runs at a
time. The transfer functions live in `flashcards.transfer`, imported when first used; they raise
FormatError or StoreError with a one-line message for the person.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from flashcards.core.changes import NOTHING, Changes
from flashcards.core.collection import Collection, ImportResult
from flashcards.core.store import StoreError
from flashcards.formats import FormatError

from . import dialogs, preferences
from .background import BackgroundTask

# Show the progress box only for transfers that take longer than this.
PROGRESS_DELAY_MS = 400


class ProgressBox:
    """A progress box with Cancel, shown only if the work is slow; its label is plain text."""

    def __init__(self, parent: QWidget | None, label: str, task: BackgroundTask) -> None:
        self._dialog = QProgressDialog(parent)
        text = QLabel(label)
        text.setTextFormat(Qt.TextFormat.PlainText)
        self._dialog.setLabel(text)
        self._dialog.setCancelButtonText("Cancel")
        self._dialog.setRange(0, 0)
        self._dialog.setWindowTitle("Flashcards")
        self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        self._dialog.setAutoClose(False)
        self._dialog.setAutoReset(False)
        self._dialog.setValue(0)
        self._dialog.canceled.connect(task.cancel)
        task.progressed.connect(self._on_task_progressed)

    def _on_task_progressed(self, done: int, total: int) -> None:
        if total > 0 and self._dialog.maximum() != total:
            self._dialog.setMaximum(total)
        self._dialog.setValue(min(done, total) if total > 0 else 0)

    def close(self) -> None:
        self._dialog.reset()
        self._dialog.hide()
        self._dialog.deleteLater()


class Transfers(QObject):
    """Runs the window's imports, exports and restores, one at a time."""

    # The decks an import touched (an empty list after an error or Cancel), and what changed.
    import_finished = Signal(list, object)
    # The file an export wrote, or None.
    export_finished = Signal(object)
    # Whether a backup was restored.
    restore_finished = Signal(bool)

    def __init__(self, window: QWidget, collection: Collection) -> None:
        super().__init__(window)
        self._window = window
        self._collection = collection
        self._task: BackgroundTask | None = None
        self._what = ""

    @property
    def busy(self) -> bool:
        return self._task is not None

    # -- import ---------------------------------------------------------------------------------
    def import_interactively(self) -> None:
        if self._refused_while_busy("import"):
            return
        path = dialogs.ask_import_path(self._window, preferences.last_folder())
        if path is not None:
            self.import_paths([path])

    def import_paths(self, paths: list[Path]) -> None:
        """Import files one after another; `import_finished` says what they changed."""
        if self._refused_while_busy("import"):
            return
        preferences.remember_folder(paths[0].parent)
        self._import_next(list(paths), [])

    def _import_next(self, paths: list[Path], results: list[ImportResult],
                     changes: Changes = NOTHING) -> None:
        if not paths:
            self.import_finished.emit(results, changes)
            return
        from flashcards import transfer

        path, rest = paths[0], paths[1:]

        def read(progress, cancelled):
            return transfer.read_file(path, progress=progress, cancelled=cancelled)

        def add(imported) -> None:
            try:
                summary = transfer.add_to_collection(self._collection, imported)
            except (FormatError, StoreError, ValueError) as error:
                _show_import_error(self._window, path, error)
            else:
                results.extend(summary.decks)
                nonlocal changes
                changes |= summary.changes
                if summary.warnings:
                    dialogs.show_warnings(self._window, f"Imported {path.name}, with warnings",
                                          summary.warnings)
            self._import_next(rest, results, changes)

        def fail(error: Exception) -> None:
            if not isinstance(error, transfer.ImportCancelled):
                _show_import_error(self._window, path, error)
            self._import_next(rest, results, changes)

        self._run(f"the import of {path.name}", f"Importing {path.name}…", read, add, fail)

    # -- export ---------------------------------------------------------------------------------
    def export_interactively(self, deck_id: str | None) -> None:
        """Save a deck to a file the person picks, in the format they used last."""
        if self._refused_while_busy("export"):
            return
        if deck_id is None:
            dialogs.show_error(self._window, "Export", "Select a deck to export first.")
            return
        from flashcards import transfer

        deck = self._collection.deck(deck_id)
        fmt = preferences.last_export_format()
        suggested = preferences.last_folder() / f"{_file_name(deck.name)}.{fmt}"
        answer = dialogs.ask_export_path(self._window, suggested, fmt)
        if answer is None:
            return
        path, fmt = answer
        preferences.remember_folder(path.parent)
        if fmt:
            preferences.remember_export_format(fmt)
        deck.cards  # noqa: B018 -- read on this thread: the collection is not shared
        collection = self._collection

        def write(progress, cancelled) -> Path:
            return transfer.export_deck(collection, deck_id, path, fmt=fmt)

        def fail(error: Exception) -> None:
            if isinstance(error, (FormatError, StoreError, OSError)):
                dialogs.show_error(self._window, "Export failed", _one_line(error))
            else:
                dialogs.show_error(self._window, "Export failed", f"{path.name}: {error}")
            self.export_finished.emit(None)

        self._run(f"the export to {path.name}", f"Exporting to {path.name}…", write,
                  self.export_finished.emit, fail)

    # -- restore --------------------------------------------------------------------------------
    def restore_interactively(self) -> None:
        """Pick one of the daily backups and bring the collection back to it."""
        if self._refused_while_busy("restore"):
            return
        backups = self._collection.backups()
        if not backups:
            dialogs.show_information(self._window, "Restore backup",
                                     "There are no backups yet: one is kept each day you study.")
            return
        backup = dialogs.ask_backup(self._window, backups, self._collection.store.device_id)
        if backup is None:
            return
        label = dialogs.backup_label(backup)
        if not dialogs.ask_confirmation(
                self._window, "Restore backup",
                f"Bring your decks and progress back to the backup of {label}? "
                "Your review history is kept."):
            return
        collection = self._collection

        def read(progress, cancelled):
            return collection.read_backup(backup.path)

        def apply(state) -> None:
            try:
                collection.restore_from(state, backup.path.name)
            except StoreError as error:
                fail(error)
            else:
                self.restore_finished.emit(True)

        def fail(error: Exception) -> None:
            dialogs.show_error(self._window, "Restore failed", _one_line(error))
            self.restore_finished.emit(False)

        self._run("the restore", f"Restoring the backup of {label}…", read, apply, fail)

    # -- running one task at a time -------------------------------------------------------------
    def _refused_while_busy(self, action: str) -> bool:
        if self._task is None:
            return False
        dialogs.show_error(self._window, f"Cannot {action} now",
                           f"Flashcards is busy with {self._what}. Wait for it to finish, or "
                           f"cancel it, then try again.")
        return True

    def _run(self, what: str, label: str, work, on_success, on_failure) -> None:
        task = BackgroundTask(work, self)
        box = ProgressBox(self._window, label, task)
        self._task, self._what = task, what

        def finish(handler, value) -> None:
            # The progress box goes first: a message box under it could not be clicked.
            box.close()
            task.wait()
            task.deleteLater()
            self._task = None
            handler(value)

        task.succeeded.connect(lambda value: finish(on_success, value))
        task.failed.connect(lambda error: finish(on_failure, error))
        task.start()


def _show_import_error(parent: QWidget, path: Path, error: Exception) -> None:
    message = _one_line(error)
    if path.name not in message:
        message = f"{path.name}: {message}"
    dialogs.show_error(parent, "Import failed", message)


def _one_line(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror}."
    return " ".join(str(error).split()) or type(error).__name__


def _file_name(deck_name: str) -> str:
    """A deck name made safe to suggest as a file name on any system."""
    kept = "".join(" " if char in '<>:"/\\|?*' or ord(char) < 32 else char for char in deck_name)
    return " ".join(kept.split()).strip(" .") or "deck"
