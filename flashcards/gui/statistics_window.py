"""Tools > Statistics: how much and how well the learner studies, and what is coming, as plots.

The history is read once when the window opens; choosing another deck or period works the
figures out again from it (flashcards.core.statistics) without reading the journals again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QApplication, QComboBox, QHBoxLayout, QLabel, QScrollArea,
                               QVBoxLayout, QWidget)

from flashcards.core.collection import Collection
from flashcards.core.statistics import (Period, Statistics, compute_statistics,
                                        deck_and_subdecks, gather_history)

from . import accessibility
from .statistics_plots import PlotColours, StatisticsPlots, duration_text
from .window_placement import place_over, size_on_screen

PERIODS = (("1 month", Period.MONTH), ("1 year", Period.YEAR), ("All time", Period.ALL))


class StatisticsWindow(QWidget):
    def __init__(self, collection: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Statistics")
        self.setObjectName("statisticsWindow")
        self.resize(size_on_screen(parent or self, QSize(1000, 760)))
        self.statistics: Statistics | None = None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.history = gather_history(collection)  # reads every journal
        finally:
            QApplication.restoreOverrideCursor()

        self.deck_filter = QComboBox()
        self.deck_filter.addItem("All decks", None)
        for deck_id, name in sorted(self.history.decks.items(),
                                    key=lambda item: item[1].casefold()):
            self.deck_filter.addItem(name, deck_id)
        self.period_filter = QComboBox()
        for label, _period in PERIODS:
            self.period_filter.addItem(label)
        self.period_filter.setCurrentIndex(1)  # a year: the whole heatmap
        self.summary = QLabel()
        self.summary.setObjectName("statisticsSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.plots = accessibility.name(StatisticsPlots(), "Plots")
        # The plots answer the mouse only (a day's tip): the keys go to the scroll area.
        self.plots.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll = scroll = accessibility.name(QScrollArea(), "Plots")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.plots)

        filters = QHBoxLayout()
        for text, combo in (("&Deck", self.deck_filter), ("&Period", self.period_filter)):
            label = QLabel(text)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo)
            filters.addSpacing(12)
        filters.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(scroll, 1)

        self.deck_filter.currentIndexChanged.connect(self._on_deck_filter_changed)
        self.period_filter.currentIndexChanged.connect(self._on_period_filter_changed)
        self.show_statistics()
        self.deck_filter.setFocus()
        if parent is not None:
            place_over(self, parent)

    def show_statistics(self) -> None:
        """Work the figures out for the chosen deck and period, and draw them."""
        deck_id = self.deck_filter.currentData()
        deck_ids = None if deck_id is None else deck_and_subdecks(self.history.decks, deck_id)
        _label, period = PERIODS[self.period_filter.currentIndex()]
        self.statistics = compute_statistics(self.history, deck_ids, period)
        self._redraw()

    def _redraw(self) -> None:
        stats = self.statistics
        self.plots.show_statistics(stats, PlotColours.of(self.palette()))
        # The figures in the plots' titles, for whoever cannot see the plots.
        for part in (self._scroll, self.plots):
            part.setAccessibleDescription(self.plots.titles_text())
        days = len(stats.reviews_by_day)
        if not stats.total_reviews:
            # Empty plots alone look broken to someone who has not studied yet.
            self.summary.setText(f"No reviews since {stats.first_day.isoformat()}: the plots "
                                 "fill in as you study.")
            return
        self.summary.setText(
            f"{stats.total_reviews:,} review{'s' * (stats.total_reviews != 1)} on {days} "
            f"day{'s' * (days != 1)}, {duration_text(stats.total_seconds)} studied, "
            f"since {stats.first_day.isoformat()}")

    def _on_deck_filter_changed(self) -> None:
        self.show_statistics()

    def _on_period_filter_changed(self) -> None:
        self.show_statistics()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:  # as the review screen goes back to the deck list
            self.close()
        else:
            super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # The person switched between the light and dark look: the plots take the new colours.
        if event.type() == QEvent.Type.PaletteChange and self.statistics is not None:
            self._redraw()
