"""The Tools menu's memory tools: Optimise…, Desired retention…, Plan a break…, Spread backlog…,
and the fit the app runs by itself once a month.

Each dialog returns what the person chose; the change is made here through the collection and
published once through the window's `collection_changed`, like every other change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from flashcards.core.changes import Changes
from flashcards.core.memory_tools import OptimiseResult
from flashcards.core.store import StoreError

from . import dialogs
from .break_dialog import BacklogDialog, BreakDialog
from .optimise_dialog import BackgroundFit, OptimiseDialog

if TYPE_CHECKING:
    from .main_window import MainWindow

STATUS_MS = 8000


# How long after start the monthly fit waits, and waits again while the learner studies.
AUTO_FIT_DELAY_MS = 120_000


class MemoryTools(QObject):
    def __init__(self, window: MainWindow, menu: QMenu) -> None:
        super().__init__(window)
        self._window = window
        self._collection = window.collection
        self._optimise_dialog: OptimiseDialog | None = None
        if not menu.isEmpty():
            menu.addSeparator()
        self.optimise_action = QAction("&Optimise…", self)
        self.retention_action = QAction("Desired &retention…", self)
        self.break_action = QAction("Plan a &break…", self)
        self.backlog_action = QAction("Spread &backlog…", self)
        for action, slot in ((self.optimise_action, self._on_optimise_action_triggered),
                             (self.retention_action, self._on_retention_action_triggered),
                             (self.break_action, self._on_break_action_triggered),
                             (self.backlog_action, self._on_backlog_action_triggered)):
            menu.addAction(action)
            action.triggered.connect(slot)
        self.background_fit = BackgroundFit(self._collection, self)
        self.background_fit.optimised.connect(self._on_background_fit_optimised)
        window.collection_changed.connect(self._on_window_collection_changed)
        window.deck_page.spread_backlog_requested.connect(self._on_backlog_action_triggered)
        window.installEventFilter(self)
        # Reading a long history takes seconds of the interpreter's time and a lot of memory:
        # not while the window opens, nor while the learner reviews.
        self._window = window
        self._fit_timer = QTimer(self, singleShot=True, interval=AUTO_FIT_DELAY_MS)
        self._fit_timer.timeout.connect(self._on_fit_timer_timeout)
        self._fit_timer.start()

    def _on_fit_timer_timeout(self) -> None:
        if self._window.pages.currentWidget() is self._window.deck_page:
            self.background_fit.start_if_due()
        else:
            self._fit_timer.start()  # studying: ask again later

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Asked about the window's events while it is being torn down too, when this object's
        # attributes may be gone: only a Close is looked at.
        if event.type() == QEvent.Type.Close and hasattr(self, "background_fit"):
            # Every fit's thread must be done before the window goes.
            self.background_fit.stop()
            if self._optimise_dialog is not None:
                self._optimise_dialog.done(0)
        return False

    # -- optimise -------------------------------------------------------------------------------
    def _on_optimise_action_triggered(self) -> None:
        if self.background_fit.busy:
            dialogs.show_information(self._window, "Optimise the scheduler",
                                     "The scheduler is being fitted to your reviews in the "
                                     "background. Its outcome will show in the status bar.")
            return
        if self._optimise_dialog is not None:
            self._optimise_dialog.raise_()
            return
        dialog = self._optimise_dialog = OptimiseDialog(self._collection, self._window)
        dialog.optimised.connect(self._on_optimise_dialog_optimised)
        dialog.finished.connect(self._on_optimise_dialog_finished)
        dialog.open()
        dialog.start()

    def _on_optimise_dialog_optimised(self, result: OptimiseResult) -> None:
        self._publish(result.changes)

    def _on_optimise_dialog_finished(self) -> None:
        if self._optimise_dialog is not None:
            self._optimise_dialog.deleteLater()
            self._optimise_dialog = None

    def _on_background_fit_optimised(self, result: OptimiseResult, text: str) -> None:
        self._publish(result.changes)
        self._window.statusBar().showMessage(text, STATUS_MS)

    def _on_window_collection_changed(self, _changes: Changes) -> None:
        # A month may have passed with the window open; but a change is most often a grade, and
        # a fit started now would read the whole history while the learner waits for the next
        # card. The check comes once the window has been left alone for a while.
        self._fit_timer.start()

    # -- desired retention ----------------------------------------------------------------------
    def _on_retention_action_triggered(self) -> None:
        from .retention_dialog import RetentionDialog  # pyqtgraph loads here, not at start-up

        retention = RetentionDialog.ask(self._collection, self._window)
        if retention is None:
            return
        try:
            changes = self._collection.change_setting("desired_retention", retention)
        except StoreError as error:
            dialogs.show_error(self._window, "Could not change the desired retention", str(error))
            return
        self._publish(changes)
        self._window.statusBar().showMessage(
            f"Desired retention set to {retention * 100:.1f}".removesuffix(".0") + " %.",
            STATUS_MS)

    # -- breaks and backlogs --------------------------------------------------------------------
    def _on_break_action_triggered(self) -> None:
        plan = BreakDialog.ask(self._collection, self._window)
        if plan is not None:
            self._apply(plan, "Break planned: {} reviews moved.")

    def _on_backlog_action_triggered(self) -> None:
        plan = BacklogDialog.ask(self._collection, self._window)
        if plan is not None:
            self._apply(plan, f"Backlog spread over {plan.days} days: {{}} reviews moved.")

    def _apply(self, plan, message: str) -> None:
        try:
            changes = self._collection.apply_plan(plan)
        except StoreError as error:
            dialogs.show_error(self._window, "Could not move the reviews", str(error))
            return
        self._publish(changes)
        self._window.statusBar().showMessage(message.format(len(changes.cards)), STATUS_MS)

    def _publish(self, changes: Changes) -> None:
        if changes:
            self._window.collection_changed.emit(changes)
