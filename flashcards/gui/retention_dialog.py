"""Tools > Desired retention…: how many reviews a day each desired retention would ask over the
next year, for the learner's own cards, and the choice of one.

Imported only when the dialog opens: pyqtgraph and numpy cost start-up time no one else needs.
The workloads are simulated on a thread of its own (a second or so for four retentions).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QHBoxLayout, QLabel,
                               QRadioButton, QStackedWidget, QVBoxLayout, QWidget)

from flashcards.core.collection import Collection
from flashcards.core.memory_tools import COMPARED_RETENTIONS, FORECAST_DAYS
from flashcards.core.optimiser import FitCancelled

from . import accessibility, theme
from .background import BackgroundTask, hold_collector, release_collector

# One colour per retention, from the least remembered to the most; each set reads on its look.
_CURVE_COLOURS = {
    "light": ("#8e24aa", "#ef6c00", "#2e7d32", "#1a5fd0"),
    "dark": ("#ce93d8", "#ffb74d", "#6fcf75", "#6ea8ff"),
}
# Daily counts jump from one day to the next; a week's mean shows the trend a person plans by.
SMOOTHING_DAYS = 7


class RetentionDialog(QDialog):
    """The curves, and one radio button per retention; OK changes nothing by itself: `ask`
    returns the retention chosen, and the caller sets it."""

    # The simulated workloads are on the plot (or the reason they cannot be is shown).
    forecast_shown = Signal()

    def __init__(self, collection: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Desired retention")
        self.resize(720, 520)
        self._current = collection.settings.desired_retention
        intro = _plain_label(
            "How much of what you study you want to remember when a card comes back. "
            "Remembering more takes more reviews: here is what each choice would ask of you "
            "over the next year, for the cards you have and the new cards you learn each day.")
        self.plot = accessibility.name(_plot_widget(), "Reviews a day over the next year")
        self.status_label = _plain_label("Working out the reviews each choice would take…")
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._plot_or_status = QStackedWidget()
        self._plot_or_status.addWidget(self.status_label)
        self._plot_or_status.addWidget(self.plot)
        self.choices = QButtonGroup(self)
        self.choice_buttons: dict[float, QRadioButton] = {}
        row = QHBoxLayout()
        row.addWidget(_plain_label("Remember:"))
        retentions = list(COMPARED_RETENTIONS)
        if not any(abs(self._current - r) < 1e-9 for r in retentions):
            retentions.append(self._current)  # the one in use stays on offer
        for retention in retentions:
            button = QRadioButton(_percent(retention))
            accessibility.name(button, f"Remember {_percent(retention)}")  # not a bare number
            button.setChecked(abs(retention - self._current) < 1e-9)
            self.choices.addButton(button)
            self.choice_buttons[retention] = button
            row.addWidget(button)
        row.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self._plot_or_status, 1)
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        self.choices.buttonToggled.connect(self._on_choices_button_toggled)
        self.totals: dict[float, int] = {}
        self._curves: dict[float, pg.PlotDataItem] = {}
        self._task = BackgroundTask(collection.workload_forecast().run, self)
        self._task.succeeded.connect(self._on_task_succeeded)
        self._task.failed.connect(self._on_task_failed)
        hold_collector()
        self._task.start()

    @classmethod
    def ask(cls, collection: Collection, parent: QWidget | None = None) -> float | None:
        """The desired retention chosen, or None when cancelled or left as it was."""
        dialog = cls(collection, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        chosen = dialog.chosen_retention()
        return chosen if accepted and abs(chosen - dialog._current) > 1e-9 else None

    def chosen_retention(self) -> float:
        return next(r for r, button in self.choice_buttons.items() if button.isChecked())

    def _on_task_succeeded(self, workloads: dict[float, list[float]]) -> None:
        self._stop_task()
        colours = _CURVE_COLOURS["dark" if theme.is_dark(self.palette()) else "light"]
        # Top right, where the curves have fallen from their start, on the plot's own colour.
        palette = self.palette()
        backdrop = QColor(palette.color(QPalette.ColorRole.Base))
        backdrop.setAlpha(225)
        self.plot.addLegend(offset=(-12, 12), horSpacing=14, labelTextColor=self._text_colour(),
                            brush=pg.mkBrush(backdrop),
                            pen=pg.mkPen(palette.color(QPalette.ColorRole.Mid)))
        highest = 0.0
        for (retention, daily), colour in zip(workloads.items(), colours):
            self.totals[retention] = round(sum(daily))
            means = _weekly_means(daily)
            highest = max(highest, max(means, default=0.0))
            curve = self.plot.plot(list(range(1, len(daily) + 1)), means, antialias=True,
                                   name=_total_text(retention, self.totals[retention]),
                                   pen=pg.mkPen(QColor(colour), width=2))
            self._curves[retention] = curve
        self.plot.setYRange(0, max(highest, 1.0) * 1.05, padding=0)
        self._describe_totals()
        self._show_chosen()
        self._plot_or_status.setCurrentWidget(self.plot)
        self.forecast_shown.emit()

    def _describe_totals(self) -> None:
        """The legend's totals, for whoever cannot see the plot: on it, and on each choice."""
        self.plot.setAccessibleDescription(", ".join(
            _total_text(retention, total) for retention, total in self.totals.items()))
        for retention, total in self.totals.items():
            if retention in self.choice_buttons:
                self.choice_buttons[retention].setAccessibleDescription(
                    f"{total:,} reviews over the next year")

    def _on_task_failed(self, error: Exception) -> None:
        self._stop_task()
        if not isinstance(error, FitCancelled):
            self.status_label.setText(f"{error}\nYou can still choose a desired retention.")
            self.forecast_shown.emit()

    def _on_choices_button_toggled(self, _button, _checked: bool) -> None:
        self._show_chosen()

    def _show_chosen(self) -> None:
        """The chosen retention's curve drawn thicker, so the choice is seen on the plot."""
        chosen = self.chosen_retention()
        for retention, curve in self._curves.items():
            pen = pg.mkPen(curve.opts["pen"])
            pen.setWidthF(3.5 if retention == chosen else 1.5)
            curve.setPen(pen)

    def _text_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.WindowText)

    def _stop_task(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task.wait()
            self._task.deleteLater()
            self._task = None
            release_collector()

    def done(self, result: int) -> None:
        self._stop_task()
        super().done(result)


def _plot_widget() -> pg.PlotWidget:
    """A plot in the app's colours: the window's background, its text colour for the axes."""
    from PySide6.QtWidgets import QApplication

    palette = QApplication.palette()
    text = palette.color(QPalette.ColorRole.WindowText)
    plot = pg.PlotWidget(background=palette.color(QPalette.ColorRole.Base))
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.showGrid(x=False, y=True, alpha=0.15)
    for side, title in (("bottom", "days from today"),
                        ("left", f"reviews a day ({SMOOTHING_DAYS}-day mean)")):
        axis = plot.getAxis(side)
        axis.setPen(pg.mkPen(palette.color(QPalette.ColorRole.Mid)))
        axis.setTextPen(pg.mkPen(text))
        axis.setLabel(title, color=text.name())
    plot.setXRange(1, FORECAST_DAYS, padding=0.01)
    plot.setMinimumHeight(260)
    return plot


def _weekly_means(daily: list[float]) -> list[float]:
    """Each day's count averaged with the days around it (fewer at the ends)."""
    half = SMOOTHING_DAYS // 2
    means = []
    for day in range(len(daily)):
        window = daily[max(0, day - half):day + half + 1]
        means.append(sum(window) / len(window))
    return means


def _percent(retention: float) -> str:
    return f"{retention * 100:.1f}".removesuffix(".0") + " %"


def _total_text(retention: float, total: int) -> str:
    """A retention and the reviews it would ask over the year, as the legend says them."""
    return f"{_percent(retention)}: {total:,} reviews"


def _plain_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label
