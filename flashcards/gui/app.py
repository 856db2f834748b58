"""Start the desktop window over an open collection."""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtWidgets import QApplication, QWidget

from flashcards.core.collection import Collection

from . import dialogs, theme
from .main_window import MainWindow


def application(argv: list[str]) -> QApplication:
    """The QApplication, made if there is none yet, with the app's name, icon and theme (given
    once: the theme then follows the system's by itself)."""
    app = QApplication.instance() or QApplication(argv)
    if not app.property(_DRESSED):
        app.setApplicationName("Flashcards")
        app.setApplicationDisplayName("Flashcards")
        app.setDesktopFileName("flashcards")
        app.setWindowIcon(theme.app_icon())
        theme.follow_system_scheme(app)
        app.setProperty(_DRESSED, True)
    return app


_DRESSED = "flashcardsDressed"


def run(collection: Collection, argv: list[str]) -> int:
    """Show the main window until the person quits; returns the exit code.

    The collection stays open: whoever opened it closes it.
    """
    app = application(argv)
    window = MainWindow(collection)
    window.show()
    if loses_none_references():
        dialogs.show_error(window, "Flashcards may close without warning", BROKEN_QT_MESSAGE)
    return app.exec()


BROKEN_QT_MESSAGE = (
    f"This copy of Qt for Python (PySide6 {PySide6.__version__}) has a known fault on Python "
    f"{sys.version_info.major}.{sys.version_info.minor} that makes programs close suddenly after "
    "a few hundred key presses. Your grades are saved as you go, but install another release: "
    "pip install 'PySide6-Essentials!=6.12.0'.")


def loses_none_references() -> bool:
    """Whether this PySide6 drops a reference to None on each call that returns nothing.

    Some releases do on Python 3.11 (6.12.0 is one): the interpreter aborts once None's count
    runs out. Python 3.12 and later cannot lose None, so there is nothing to check there.
    """
    if sys.version_info >= (3, 12):
        return False
    probe = QWidget()
    before = sys.getrefcount(None)
    for _ in range(100):
        probe.setToolTip("")
    return sys.getrefcount(None) - before <= -50


def show_startup_error(message: str) -> None:
    """Tell the person why the window cannot open (e.g. the data folder is in use)."""
    app = QApplication.instance() or QApplication([])
    app.setApplicationName("Flashcards")
    app.setWindowIcon(theme.app_icon())
    dialogs.show_error(None, "Flashcards cannot start", message)
