"""Work that takes a while (reading a deck file, writing an export, reading a backup) runs on a
thread of its own, so the window keeps painting and Cancel stays clickable.

The work is a plain function `work(progress, cancelled)`; it must not change the collection,
which belongs to the GUI thread. What it returns comes back on the GUI thread, where the change
is made.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThread, Signal

Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class BackgroundTask(QThread):
    """Runs one piece of work off the GUI thread and reports back by signals.

    Exactly one of `succeeded(result)` and `failed(exception)` is emitted, on the GUI thread,
    after the last `progressed(done, total)`.
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Work, parent=None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self._work(self.progressed.emit, self.cancelled)
        except Exception as error:  # handed to the GUI thread, which words it for the person
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)


# Python's cycle collector runs in whichever thread happens to allocate when a collection is due.
# Run on a worker thread, it can finalise or walk Qt objects the GUI thread is using, and the
# app crashes (seen while a fit read the review history and the deck list was redrawn). Work
# that allocates much on a worker holds the collector off, from the GUI thread, until it is done.
_collector_holds = 0
_collector_was_enabled = False


def hold_collector() -> None:
    """Pause the cycle collector; call on the GUI thread before starting a task, and
    release_collector once the task has finished (after `wait()`). Holds nest."""
    global _collector_holds, _collector_was_enabled
    if _collector_holds == 0:
        _collector_was_enabled = gc.isenabled()
        gc.disable()
    _collector_holds += 1


def release_collector() -> None:
    global _collector_holds
    _collector_holds -= 1
    if _collector_holds == 0 and _collector_was_enabled:
        gc.enable()
