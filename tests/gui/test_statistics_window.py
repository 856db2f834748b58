"""Tools > Statistics: opened with T, filtered by deck and period, readable in both looks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.gui import theme
from studied_days import study_days, word_deck

pytestmark = pytest.mark.gui

# A Monday morning, well after the 04:00 day rollover (the window's clock: see conftest.py).
START = datetime(2025, 3, 10, 10, 0, tzinfo=timezone.utc)
DECKS = {"fr": ("French words", 30), "fr-verbs": ("French words::Verbs", 10), "de": ("German", 8)}


@pytest.fixture(scope="module")
def studied_folder(tmp_path_factory):
    """Three decks, one under another, studied over the 90 days before START, once for all the
    tests here."""
    folder = tmp_path_factory.mktemp("studied") / "data"
    clock = FakeClock(START)
    collection = Collection.open(folder, "test-device", clock=clock, tz=timezone.utc)
    try:
        for deck_id, (name, size) in DECKS.items():
            collection.import_deck(word_deck(deck_id, name, size))
        collection.change_setting("fuzz", False)
        # Studying French words takes in its Verbs, as a learner with subdecks studies them.
        study_days(collection, clock, ["fr", "de"], days=90)
    finally:
        collection.close()
    return folder


@pytest.fixture
def studied(studied_folder, data_dir, open_collection):
    """A copy of the studied collection, open at START."""
    shutil.copytree(studied_folder, data_dir)
    return open_collection()


@pytest.fixture
def open_statistics(make_window, press, qtbot):
    """Shows the main window and presses T, as a person would; returns the statistics window."""
    from flashcards.gui.statistics_window import StatisticsWindow

    # The main windows stay referenced until the test ends: qtbot only keeps a weak reference,
    # and a main window collected mid-test would take its statistics window with it.
    windows = []

    def _open(collection):
        window = make_window(collection)
        windows.append(window)
        window.activateWindow()  # a shortcut goes to the window a person is looking at
        qtbot.waitUntil(window.isActiveWindow)
        press(window, Qt.Key.Key_T)
        statistics = window.findChild(StatisticsWindow)
        assert statistics is not None
        qtbot.waitExposed(statistics)
        return statistics

    yield _open
    windows.clear()


def shown_days(statistics) -> dict:
    """The heatmap's days and their review counts, as its squares hold them."""
    return dict(statistics.plots.reviews_per_day.data["data"])


def choose(qtbot, combo, text: str) -> None:
    """Pick an entry of a drop-down with the arrow keys."""
    combo.setFocus()
    wanted = combo.findText(text)
    assert wanted >= 0
    while combo.currentIndex() != wanted:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < wanted else Qt.Key.Key_Up)


def test_t_opens_the_statistics_of_every_deck_over_a_year(studied, open_statistics):
    statistics = open_statistics(studied)
    assert statistics.isVisible() and statistics.windowTitle() == "Statistics"
    assert statistics.deck_filter.currentText() == "All decks"
    assert statistics.period_filter.currentText() == "1 year"
    days = shown_days(statistics)
    today = studied.today()
    assert len(days) == 365 and max(days) == today
    assert sum(days.values()) == len(studied.reviews())
    assert days[today] > 0
    plots = statistics.plots
    assert sum(plots.card_states.opts["width"]) == 48
    assert len(plots.due_per_day.opts["height"]) == 30
    streak = statistics.statistics.streak
    assert streak >= 1 and f"streak {streak} day" in plots.heatmap_plot.titleLabel.text


def test_the_statistics_window_opens_over_the_main_window_on_its_screen(studied,
                                                                        open_statistics):
    statistics = open_statistics(studied)
    window = statistics.parentWidget()
    assert statistics.screen().availableGeometry().contains(statistics.frameGeometry())
    assert statistics.frameGeometry().contains(window.frameGeometry().center())


def test_escape_closes_the_statistics_window(studied, open_statistics, qtbot):
    statistics = open_statistics(studied)
    qtbot.keyClick(statistics.focusWidget() or statistics, Qt.Key.Key_Escape)
    assert not statistics.isVisible()


def test_choosing_a_deck_shows_its_cards_and_reviews_with_its_subdecks(studied, open_statistics,
                                                                      qtbot):
    statistics = open_statistics(studied)
    plots = statistics.plots
    everything = (sum(shown_days(statistics).values()), list(plots.due_per_day.opts["height"]))
    reviews = studied.reviews()

    for deck, cards, prefixes in (("German", 8, ("de-",)),
                                  ("French words", 40, ("fr-",)),  # with the verbs
                                  ("French words::Verbs", 10, ("fr-verbs-",))):
        choose(qtbot, statistics.deck_filter, deck)
        in_deck = sum(1 for review in reviews if review.card_id.startswith(prefixes))
        assert sum(shown_days(statistics).values()) == in_deck < everything[0]
        assert sum(plots.card_states.opts["width"]) == cards
        assert sum(plots.due_per_day.opts["height"]) <= cards
        answers = sum(sum(bars.opts["height"]) for bars in plots.answer_buttons.values())
        assert answers == in_deck

    choose(qtbot, statistics.deck_filter, "All decks")
    assert (sum(shown_days(statistics).values()), list(plots.due_per_day.opts["height"])) == \
        everything


def test_choosing_a_period_changes_the_days_shown(studied, open_statistics, qtbot):
    statistics = open_statistics(studied)
    today = studied.today()
    first_review = min(review.time for review in studied.reviews())

    choose(qtbot, statistics.period_filter, "1 month")
    days = shown_days(statistics)
    assert (min(days), max(days)) == (today - timedelta(days=29), today)
    month_minutes = list(statistics.plots.time_per_day.opts["height"])
    assert len(month_minutes) == sum(1 for count in days.values() if count)

    choose(qtbot, statistics.period_filter, "All time")
    days = shown_days(statistics)
    assert min(days) == first_review.date() and max(days) == today
    assert len(statistics.plots.time_per_day.opts["height"]) > len(month_minutes)
    assert sum(days.values()) == len(studied.reviews())


def test_retention_and_memory_are_drawn_from_the_history(studied, open_statistics):
    plots = open_statistics(studied).plots
    _weeks, young = plots.young_retention.getData()
    shares = [share for share in young if share == share]  # NaN: a week with no review
    assert shares and all(50 <= share <= 100 for share in shares)
    studied_cards = 48 - plots.card_states.opts["width"][0]  # all but the new ones
    assert sum(plots.stability.opts["height"]) == studied_cards
    assert sum(plots.retrievability.opts["height"]) == studied_cards


def lightness(colour) -> int:
    return QColor(colour).lightness()


def test_the_dark_look_draws_light_text_on_a_dark_background(qapp, studied, open_statistics):
    theme.apply_theme(qapp, "dark")
    try:
        statistics = open_statistics(studied)
        picture = statistics.plots.grab().toImage()
        assert lightness(picture.pixelColor(4, picture.height() // 2)) < 60
        axis = statistics.plots.due_plot.getAxis("left")
        assert lightness(axis.textPen().color()) > 180
        assert lightness(statistics.plots.reviews_per_day.data["brush"][0].color()) < 80
    finally:
        theme.apply_theme(qapp, "light")
    # Back to the light look while open: the plots follow.
    picture = statistics.plots.grab().toImage()
    assert lightness(picture.pixelColor(4, picture.height() // 2)) > 200
    assert lightness(statistics.plots.due_plot.getAxis("left").textPen().color()) < 80


def test_the_main_window_starts_without_the_plotting_library():
    probe = ("import sys, flashcards.gui.main_window\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pyqtgraph', 'numpy')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_someone_who_has_not_studied_yet_is_told_the_plots_fill_in(open_collection,
                                                                    open_statistics):
    statistics = open_statistics(open_collection())
    assert "No reviews" in statistics.summary.text()
    assert "fill in as you study" in statistics.summary.text()
