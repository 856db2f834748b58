"""Every question the window asks a person, one function each, so tests patch one place.

Each `ask_...` returns plain values (a Path, or None when the person cancels); each `show_...`
only tells. Callers use them through the module (`dialogs.ask_import_path(...)`).

Messages are plain text: they quote deck and file names, which come from files anyone can write.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QInputDialog, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QVBoxLayout,
                               QWidget)

from flashcards.core.backups import Backup
from flashcards.core.deck import Deck, DeckId

from . import accessibility
from .wording import day_text, size_text

IMPORT_FILTERS = ";;".join([
    "All supported (*.json *.csv *.tsv *.apkg *.colpkg *.txt)",
    "Flashcards decks (*.json)",
    "Comma-separated cards (*.csv)",
    "Tab-separated cards (*.tsv)",
    "Anki packages (*.apkg *.colpkg)",
    "Anki notes in plain text, or articles (*.txt)",
    "All files (*)",
])

EXPORT_FILTERS = {
    "json": "Flashcards deck (*.json)",
    "csv": "Comma-separated cards (*.csv)",
    "tsv": "Tab-separated cards (*.tsv)",
    "apkg": "Anki package (*.apkg)",
}


def ask_import_path(parent: QWidget | None, folder: Path) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Import", str(folder), IMPORT_FILTERS)
    return Path(path) if path else None


def ask_export_path(parent: QWidget | None, suggested: Path,
                    fmt: str) -> tuple[Path, str | None] | None:
    """Where to save a deck, and the format picked in the file type list (None: from the name).

    The dialog opens at `suggested` with `fmt`'s file type chosen.
    """
    filters = list(EXPORT_FILTERS.values())
    path, chosen = QFileDialog.getSaveFileName(parent, "Export", str(suggested), ";;".join(filters),
                                               EXPORT_FILTERS.get(fmt, filters[0]))
    if not path:
        return None
    fmt = next((key for key, text in EXPORT_FILTERS.items() if text == chosen), None)
    path = Path(path)
    if fmt and not path.suffix:
        path = path.with_suffix(f".{fmt}")
    return path, fmt


def backup_label(backup: Backup) -> str:
    """A backup as a person knows it: its day."""
    return day_text(backup.day)


class BackupChooser(QDialog):
    """The daily backups, newest first, by day and size; Enter or Restore picks the selected one."""

    def __init__(self, parent: QWidget | None, backups: list[Backup], device: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore backup")
        self.setMinimumSize(380, 300)
        intro = QLabel("Choose the day to go back to. Your review history is kept, so you can "
                       "come back to today too.")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.list = accessibility.name(QListWidget(), "Backups")
        self.list.setObjectName("backupList")
        self._backups = list(backups)
        for backup in self._backups:
            text = f"{backup_label(backup)}    {size_text(_size(backup.path))}"
            if backup.device != device:
                text += f"    from {backup.device}"
            item = QListWidgetItem(text)
            item.setToolTip(backup.path.name)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton("Restore",
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.itemActivated.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)

    def chosen(self) -> Backup | None:
        row = self.list.currentRow()
        return self._backups[row] if 0 <= row < len(self._backups) else None


def ask_backup(parent: QWidget | None, backups: list[Backup], device: str) -> Backup | None:
    chooser = BackupChooser(parent, backups, device)
    return chooser.chosen() if chooser.exec() == QDialog.DialogCode.Accepted else None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                 buttons=QMessageBox.StandardButton.Ok,
                 default=QMessageBox.StandardButton.NoButton) -> QMessageBox:
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    return box


def ask_confirmation(parent: QWidget | None, title: str, question: str) -> bool:
    box = _message_box(parent, QMessageBox.Icon.Question, title, question,
                       QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                       QMessageBox.StandardButton.No)
    return QMessageBox.StandardButton(box.exec()) == QMessageBox.StandardButton.Yes


def ask_deck(parent: QWidget | None, title: str, question: str, decks: list[Deck],
             current: DeckId | None = None) -> DeckId | None:
    """One of `decks`, chosen by name (None: cancelled)."""
    names = [deck.name for deck in decks]
    start = next((i for i, deck in enumerate(decks) if deck.id == current), 0)
    name, chosen = QInputDialog.getItem(parent, title, question, names, start, False)
    if not chosen or name not in names:
        return None
    return decks[names.index(name)].id


def ask_retry(parent: QWidget | None, title: str, message: str) -> bool:
    """Whether to try a failed save again (Retry) or leave it for later (Cancel)."""
    box = _message_box(parent, QMessageBox.Icon.Warning, title, message,
                       QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel,
                       QMessageBox.StandardButton.Retry)
    return QMessageBox.StandardButton(box.exec()) == QMessageBox.StandardButton.Retry


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    _message_box(parent, QMessageBox.Icon.Warning, title, message).exec()


def show_information(parent: QWidget | None, title: str, message: str) -> None:
    _message_box(parent, QMessageBox.Icon.Information, title, message).exec()


def show_warnings(parent: QWidget | None, title: str, warnings: list[str]) -> None:
    """Several things a person should know, in one box."""
    text = warnings[0] if len(warnings) == 1 else (
        f"{len(warnings)} things need your attention:\n\n"
        + "\n".join(f"• {warning}" for warning in warnings))
    _message_box(parent, QMessageBox.Icon.Warning, title, text).exec()


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """One line of text (a deck's or a preset's name), or None when the person cancels."""
    answer, accepted = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return answer if accepted else None
