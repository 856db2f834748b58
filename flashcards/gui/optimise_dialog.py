"""Tools > Optimise…: the scheduler fitted to the learner's reviews, with progress and Cancel;
and the same fit run by itself in the background once a month.

The review history is read and fitted on a thread of its own (BackgroundTask); the fit is kept,
or not, back on the GUI thread, by the collection, in one write.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout,
                               QWidget)

from flashcards.core.collection import Collection
from flashcards.core.memory_tools import FitRequest, OptimiseResult, fit_lines
from flashcards.core.optimiser import (FitCancelled, NotEnoughReviews, OptimiserUnavailable,
                                       numeric_modules)
from flashcards.core.store import StoreError

from .background import BackgroundTask, hold_collector, release_collector


class OptimiseDialog(QDialog):
    """Fits as soon as it opens; shows the outcome, or why there is none, until closed."""

    # The fit was kept or not: carries the OptimiseResult (its `changes` say what changed).
    optimised = Signal(object)
    # The dialog is done working (fitted, failed or cancelled): its text says how it went.
    settled = Signal()

    def __init__(self, collection: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Optimise the scheduler")
        self.setMinimumWidth(460)
        self._collection = collection
        self._task: BackgroundTask | None = None
        intro = _plain_label("Fitting the scheduler to your own reviews, so that it predicts "
                             "what you remember better. It keeps the fitted parameters only if "
                             "they predict your reviews better than the ones in use.")
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)
        self.outcome_label = _plain_label("Reading your reviews…")
        self.outcome_label.setObjectName("optimiseOutcome")
        self.outcome_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.outcome_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    @property
    def busy(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        """Begin the fit; call once, after showing the dialog."""
        try:
            numeric_modules()
            request = self._collection.prepare_fit()
        except OptimiserUnavailable as error:
            self._settle(str(error))
            return
        self._task = task = BackgroundTask(request.run, self)
        task.progressed.connect(self._on_task_progressed)
        task.succeeded.connect(lambda fit: self._on_task_succeeded(request, fit))
        task.failed.connect(self._on_task_failed)
        hold_collector()
        task.start()

    def _on_task_progressed(self, done: int, total: int) -> None:
        if self.progress_bar.maximum() != total:
            self.progress_bar.setRange(0, total)
            self.outcome_label.setText("Fitting…")
        self.progress_bar.setValue(done)

    def _on_task_succeeded(self, request: FitRequest, fit) -> None:
        self._finish_task()
        try:
            result = self._collection.apply_fit(request, fit)
        except StoreError as error:
            self._settle(f"The fitted parameters could not be saved: {error}")
            return
        self._settle("\n".join(fit_lines(result)))
        self.optimised.emit(result)

    def _on_task_failed(self, error: Exception) -> None:
        self._finish_task()
        if isinstance(error, FitCancelled):
            self._settle("Cancelled: the scheduler keeps the parameters it had.")
            super().reject()
        elif isinstance(error, (NotEnoughReviews, OptimiserUnavailable)):
            self._settle(f"{error} The scheduler keeps the parameters it had.")
        else:
            self._settle(f"The fit failed: {error}. The scheduler keeps the parameters it had.")

    def _finish_task(self) -> None:
        if self._task is not None:
            self._task.wait()
            self._task.deleteLater()
            self._task = None
            release_collector()

    def _settle(self, text: str) -> None:
        self.progress_bar.hide()
        self.outcome_label.setText(text)
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.settled.emit()

    def reject(self) -> None:
        """Cancel while fitting: the dialog closes when the fit has stopped."""
        if self._task is not None:
            self.outcome_label.setText("Cancelling…")
            self.buttons.setEnabled(False)
            self._task.cancel()
            return
        super().reject()

    def done(self, result: int) -> None:
        if self._task is not None:  # closed with the window: stop the fit before going
            self._task.cancel()
            self._finish_task()
        super().done(result)


class BackgroundFit(QObject):
    """The monthly fit, run by itself once a month after 1,000 new grades (Collection.fit_due),
    on its own thread, quietly: what it did is one sentence for the status bar."""

    # Carries the OptimiseResult and the sentence that says what was done.
    optimised = Signal(object, str)

    def __init__(self, collection: Collection, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._collection = collection
        self._task: BackgroundTask | None = None

    @property
    def busy(self) -> bool:
        return self._task is not None

    def start_if_due(self) -> bool:
        """Start the fit if it is due and can run here; whether it started."""
        if self._task is not None or self._collection.read_only or not self._collection.fit_due():
            return False
        try:
            numeric_modules()
        except OptimiserUnavailable:
            return False  # Tools > Optimise… says why; nothing to tell at every start
        request = self._collection.prepare_fit()
        self._task = task = BackgroundTask(request.run, self)
        task.succeeded.connect(lambda fit: self._on_task_succeeded(request, fit))
        task.failed.connect(self._on_task_failed)
        hold_collector()
        task.start()
        return True

    def _on_task_succeeded(self, request: FitRequest, fit) -> None:
        self._finish_task()
        try:
            result = self._collection.apply_fit(request, fit)
        except StoreError:
            return  # tried again next time: the fit's date was not saved either
        self.optimised.emit(result, fitted_by_itself_text(result))

    def _on_task_failed(self, _error: Exception) -> None:
        self._finish_task()  # cancelled, or nothing to predict yet: tried again another day

    def stop(self) -> None:
        """Stop a fit under way and wait for its thread (the window is closing)."""
        if self._task is not None:
            self._task.cancel()
            self._finish_task()

    def _finish_task(self) -> None:
        if self._task is not None:
            self._task.wait()
            self._task.deleteLater()
            self._task = None
            release_collector()


def fitted_by_itself_text(result: OptimiseResult) -> str:
    change = ("now uses parameters fitted to them" if result.kept
              else "keeps its parameters, which predict them as well")
    return (f"Scheduler fitted to your {result.review_count:,} reviews: it {change} "
            f"(log loss {result.log_loss_before:.4f} before, {result.log_loss_after:.4f} fitted).")


def _plain_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label
