"""Start the desktop window over an open collection."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from flashcards.core.collection import Collection

from . import dialogs, theme
from .main_window import MainWindow


def run(collection: Collection, argv: list[str]) -> int:
    """Show the main window until the person quits; returns the exit code.

    The collection stays open: whoever opened it closes it.
    """
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("Flashcards")
    app.setApplicationDisplayName("Flashcards")
    app.setDesktopFileName("flashcards")
    app.setWindowIcon(theme.app_icon())
    theme.follow_system_scheme(app)
    window = MainWindow(collection)
    window.show()
    return app.exec()


def show_startup_error(message: str) -> None:
    """Tell the person why the window cannot open (e.g. the data folder is in use)."""
    app = QApplication.instance() or QApplication([])
    app.setApplicationName("Flashcards")
    app.setWindowIcon(theme.app_icon())
    dialogs.show_error(None, "Flashcards cannot start", message)
