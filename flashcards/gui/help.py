"""Help > Keyboard shortcuts and Help > About."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QGridLayout, QLabel, QMenuBar,
                               QPushButton, QVBoxLayout, QWidget)

from flashcards import __version__

# The keys of each screen and window; the main window's menu shortcuts are read from its menus.
STUDY_KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Deck list", [
        ("↑ / ↓", "Choose a deck"),
        ("← / →", "Hide or show a deck's subdecks"),
        ("Enter", "Study the chosen deck and its subdecks"),
        ("A", "Add cards to the chosen deck"),
        ("F2", "Rename the chosen deck"),
        ("O", "Options of the chosen deck"),
        ("Delete", "Delete the chosen deck"),
    ]),
    ("Studying", [
        ("Space or Enter", "Show the answer"),
        ("1", "Again: you forgot"),
        ("2", "Hard"),
        ("3, Space or Enter", "Good"),
        ("4", "Easy"),
        ("-", "Bury the card until tomorrow"),
        ("@", "Suspend the card"),
        ("Ctrl+1 … Ctrl+4", "Flag the card red, orange, green or blue (again: no flag)"),
        ("E", "Edit the card"),
        ("A", "Add cards to this deck"),
        ("R", "Play the card's sounds again"),
        ("C", "When the deck is finished: study more new cards today"),
        ("Esc", "Back to the deck list"),
    ]),
    ("Writing a card (Add window, Browse window, or E while studying)", [
        ("Ctrl+Return", "Add the card, or save the edit"),
        ("Ctrl+B / Ctrl+I / Ctrl+U", "Bold / italic / underline"),
        ("Ctrl+Shift+L", "Bulleted list"),
        ("Tab", "Next field"),
        ("Esc", "Close the Add window, or cancel the edit"),
    ]),
    ("Browse window", [
        ("Ctrl+D", "Move the selected cards to another deck"),
        ("Ctrl+J", "Suspend the selected cards, or unsuspend them"),
        ("Ctrl+Alt+N", "Reset the selected cards to new"),
        ("Ctrl+1 … Ctrl+7", "Flag the selected cards (again: no flag)"),
        ("Ctrl+Shift+A", "Add tags to the selected cards"),
        ("Ctrl+Alt+Shift+A", "Remove tags from the selected cards"),
        ("Delete", "Delete the selected cards"),
        ("Ctrl+Z / Ctrl+Shift+Z", "Undo / redo"),
        ("Esc", "Close the Browse window"),
    ]),
    ("Statistics window", [
        ("Esc", "Close the Statistics window"),
    ]),
]
# Said after the menus' own shortcuts.
MENU_KEYS = [("Alt+letter", "Open a menu, or go to a field, by its underlined letter")]


def _plain_label(text: str, name: str | None = None) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    return label


class ShortcutsDialog(QDialog):
    """Every key the app answers to, in one list."""

    def __init__(self, parent: QWidget | None, menu_bar: QMenuBar) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutsDialog")
        self.setMinimumWidth(440)
        sections = list(STUDY_KEYS)
        sections.append(("Anywhere", [
            (action.shortcut().toString(), action.text().replace("&", "").rstrip("…"))
            for action in _shortcut_actions(menu_bar.actions())] + MENU_KEYS))
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(6)
        row = 0
        for title, keys in sections:
            heading = _plain_label(title, "shortcutSection")
            grid.addWidget(heading, row, 0, 1, 2)
            row += 1
            for key, meaning in keys:
                grid.addWidget(_plain_label(key, "shortcutKey"), row, 0)
                grid.addWidget(_plain_label(meaning), row, 1)
                row += 1
        grid.setRowMinimumHeight(row, 8)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(buttons)

    def lines(self) -> list[str]:
        """What the dialog lists, one "key: meaning" a line (what a person reads on it)."""
        grid: QGridLayout = self.layout().itemAt(0).layout()
        lines = []
        for row in range(grid.rowCount()):
            cells = [grid.itemAtPosition(row, column) for column in (0, 1)]
            texts = [cell.widget().text() for cell in cells if cell is not None]
            if len(texts) == 2:
                lines.append(f"{texts[0]}: {texts[1]}")
        return lines


def _shortcut_actions(actions: list[QAction]) -> list[QAction]:
    """The actions with a shortcut among these menus' (and their submenus'), in menu order."""
    found = []
    for action in actions:
        if action.menu() is not None:
            found += _shortcut_actions(action.menu().actions())
        elif not action.shortcut().isEmpty():
            found.append(action)
    return found


def open_folder(folder: Path) -> bool:
    """Show a folder in the system's file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class AboutDialog(QDialog):
    """The version, the licence, and where the person's progress lives."""

    def __init__(self, parent: QWidget | None, data_folder: Path) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Flashcards")
        self.setObjectName("aboutDialog")
        self.setMinimumWidth(440)
        self.data_folder = Path(data_folder)
        title = _plain_label(f"Flashcards {__version__}", "aboutTitle")
        summary = _plain_label("A desktop study app with FSRS spaced repetition.\n"
                               "Free software under the MIT licence.")
        folder_caption = _plain_label("Your decks and progress are kept in:")
        self.folder_label = _plain_label(str(self.data_folder), "dataFolder")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.open_folder_button = QPushButton("Open data folder")
        self.open_folder_button.setAutoDefault(False)
        self.open_folder_button.clicked.connect(self._on_open_folder_button_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.open_folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(summary)
        layout.addSpacing(6)
        layout.addWidget(folder_caption)
        layout.addWidget(self.folder_label)
        layout.addSpacing(6)
        layout.addWidget(buttons)

    def _on_open_folder_button_clicked(self) -> None:
        open_folder(self.data_folder)
