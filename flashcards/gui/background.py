"""Work that takes a while (reading a deck file, writing an export, reading a backup) runs on a
thread of its own, so the window keeps painting and Cancel stays clickable.

The work is a plain function `work(progress, cancelled)`; it must not change the collection,
which belongs to the GUI thread. What it returns comes back on the GUI thread, where the change
is made.
"""

from __future__ import annotations

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
