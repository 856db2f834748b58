"""Opening the collection before the window shows: off the GUI thread, so that when it takes a
while (years of reviews read again from the journals, when there is no snapshot to start from)
a window says how far it has come and lets the person give up."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEventLoop, QTimer, Qt
from PySide6.QtWidgets import QProgressDialog

# An opening quicker than this shows nothing: the window itself comes at once.
SHOW_AFTER_S = 0.5
_POLL_MS = 50
_STEPS = 1000

Opened = TypeVar("Opened")


class OpeningCancelled(Exception):
    """The person stopped the opening; nothing was changed."""


def open_with_progress(open_collection: Callable[[Callable[[int, int], None]], Opened]) -> Opened:
    """Call `open_collection(progress)` on a thread; show a progress window if it takes long.

    `progress(done, total)` is called by the opening (bytes of the journals read, and to read);
    once the person presses Cancel it raises OpeningCancelled, which this raises too. What the
    opening raises is raised here."""
    reading = Reading()
    thread = threading.Thread(target=reading.run, args=(open_collection,),
                              name="open-collection", daemon=True)
    thread.start()
    thread.join(SHOW_AFTER_S)  # no window is shown yet: nothing waits for this thread
    if thread.is_alive():
        _show_until_done(reading, thread)
    thread.join()
    return reading.outcome()


class Reading:
    """What the opening thread and the GUI thread share: how far, whether to stop, the end."""

    def __init__(self) -> None:
        self.done, self.total = 0, 0
        self.cancelled = threading.Event()
        self._opened = None
        self._error: BaseException | None = None

    def progress(self, done: int, total: int) -> None:
        if self.cancelled.is_set():
            raise OpeningCancelled("The opening was cancelled.")
        self.done, self.total = done, total

    def run(self, open_collection) -> None:
        try:
            self._opened = open_collection(self.progress)
        except BaseException as error:  # noqa: BLE001 - raised again on the GUI thread
            self._error = error

    def outcome(self):
        if self._error is not None:
            raise self._error
        return self._opened


def _show_until_done(reading: Reading, thread: threading.Thread) -> None:
    dialog = QProgressDialog("Reading your study history…", "Cancel", 0, 0)
    dialog.setWindowTitle("Opening Flashcards")
    dialog.setObjectName("openingProgress")
    dialog.setMinimumDuration(0)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.canceled.connect(reading.cancelled.set)
    loop = QEventLoop()
    timer = QTimer(interval=_POLL_MS)

    def look() -> None:
        if not thread.is_alive():
            loop.quit()
            return
        if reading.total and not reading.cancelled.is_set():
            dialog.setMaximum(_STEPS)
            dialog.setValue(min(_STEPS - 1, reading.done * _STEPS // reading.total))
            dialog.setLabelText(f"Reading your study history: {reading.done / 2**20:,.0f} of "
                                f"{reading.total / 2**20:,.0f} MB.\nThis happens once, when the "
                                "saved state has to be made again.")

    timer.timeout.connect(look)
    timer.start()
    dialog.show()
    look()
    if thread.is_alive():
        loop.exec()
    timer.stop()
    dialog.reset()
    dialog.close()
    dialog.deleteLater()
