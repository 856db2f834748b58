"""Every question the window asks a person, one function each, so tests patch one place.

Each `ask_...` returns plain values (a Path, or None when the person cancels); each `show_...`
only tells. Callers use them through the module (`dialogs.ask_import_path(...)`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

IMPORT_FILTERS = ";;".join([
    "All supported (*.json *.csv *.tsv *.apkg *.colpkg *.txt)",
    "Flashcards decks (*.json)",
    "Comma-separated cards (*.csv)",
    "Tab-separated cards (*.tsv)",
    "Anki packages (*.apkg *.colpkg)",
    "Articles (*.txt)",
    "All files (*)",
])

EXPORT_FILTERS = {
    "json": "Flashcards deck (*.json)",
    "csv": "Comma-separated cards (*.csv)",
    "tsv": "Tab-separated cards (*.tsv)",
    "apkg": "Anki package (*.apkg)",
}

BACKUP_FILTERS = ";;".join([
    "Backups (*.json *.colpkg *.zip)",
    "All files (*)",
])


def ask_import_path(parent: QWidget | None) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Import", "", IMPORT_FILTERS)
    return Path(path) if path else None


def ask_export_path(parent: QWidget | None, suggested_name: str) -> tuple[Path, str | None] | None:
    """Where to save a deck, and the format picked in the file type list (None: from the name)."""
    filters = list(EXPORT_FILTERS.values())
    path, chosen = QFileDialog.getSaveFileName(parent, "Export", suggested_name, ";;".join(filters))
    if not path:
        return None
    fmt = next((key for key, text in EXPORT_FILTERS.items() if text == chosen), None)
    path = Path(path)
    if fmt and not path.suffix:
        path = path.with_suffix(f".{fmt}")
    return path, fmt


def ask_backup_path(parent: QWidget | None, folder: Path | None = None) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Restore backup", str(folder or ""),
                                          BACKUP_FILTERS)
    return Path(path) if path else None


def ask_confirmation(parent: QWidget | None, title: str, question: str) -> bool:
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_retry(parent: QWidget | None, title: str, message: str) -> bool:
    """Whether to try a failed save again (Retry) or leave it for later (Cancel)."""
    answer = QMessageBox.warning(parent, title, message,
                                 QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel,
                                 QMessageBox.StandardButton.Retry)
    return answer == QMessageBox.StandardButton.Retry


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.warning(parent, title, message)


def show_information(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.information(parent, title, message)


def show_warnings(parent: QWidget | None, title: str, warnings: list[str]) -> None:
    """Several things a person should know, in one box."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, warnings[0] if len(warnings) == 1 else
                      f"{len(warnings)} things need your attention:", parent=parent)
    if len(warnings) > 1:
        box.setInformativeText("\n".join(f"• {warning}" for warning in warnings))
    box.exec()
