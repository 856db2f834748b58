"""Opening the collection before the window: off the GUI thread, with a progress window and
Cancel when it takes long (a rebuild from the journals)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from flashcards.gui import opening
from flashcards.gui.opening import OpeningCancelled, open_with_progress

pytestmark = pytest.mark.gui


def progress_window() -> QProgressDialog | None:
    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QProgressDialog) and w.isVisible()), None)


def slow_opening(release: threading.Event):
    """An opening that reads 10 MB of journals, then waits for `release`."""
    def _open(progress):
        for done in range(0, 11):
            progress(done * 2**20, 10 * 2**20)
        while not release.wait(0.01):
            progress(10 * 2**20, 10 * 2**20)
        return "the collection"
    return _open


def test_a_quick_opening_shows_no_window(qapp):
    assert open_with_progress(lambda progress: "the collection") == "the collection"
    assert progress_window() is None


def test_a_long_opening_says_how_far_it_has_come(qapp, monkeypatch):
    monkeypatch.setattr(opening, "SHOW_AFTER_S", 0.05)
    release, seen = threading.Event(), []

    def look():
        window = progress_window()
        if window is None:
            QTimer.singleShot(20, look)
            return
        seen.append(window.labelText())
        release.set()

    QTimer.singleShot(0, look)
    assert open_with_progress(slow_opening(release)) == "the collection"
    assert seen and "10 of 10 MB" in seen[0]
    assert progress_window() is None


def test_cancel_stops_the_opening(qapp, qtbot, monkeypatch):
    monkeypatch.setattr(opening, "SHOW_AFTER_S", 0.05)
    release = threading.Event()

    def cancel():
        window = progress_window()
        if window is None:
            QTimer.singleShot(20, cancel)
            return
        button = window.findChild(QPushButton)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, cancel)
    with pytest.raises(OpeningCancelled):
        open_with_progress(slow_opening(release))
    release.set()


def test_what_the_opening_raises_is_raised(qapp):
    def broken(progress):
        raise ValueError("the folder is in use")

    with pytest.raises(ValueError, match="in use"):
        open_with_progress(broken)
