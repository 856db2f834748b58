"""Tools > Optimise…: the fit runs off the GUI thread with progress and Cancel, then says both
log losses and whether the fitted parameters were kept; once a month it runs by itself."""

from __future__ import annotations

import gc
import sys
import threading
from datetime import timedelta

import pytest
from learner_history import LEARNER, add_learner_history
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from flashcards.core import memory_tools
from flashcards.core.optimiser import FitCancelled
from flashcards.gui import memory_tools as memory_tools_window
from flashcards.gui.optimise_dialog import OptimiseDialog


@pytest.fixture(autouse=True)
def fit_soon(monkeypatch):
    """The monthly fit waits two minutes after start; here it need not."""
    monkeypatch.setattr(memory_tools_window, "AUTO_FIT_DELAY_MS", 0)

pytestmark = pytest.mark.gui

# How long a test waits for a fit at most (a small history takes well under a second).
DONE_MS = 20_000


def tools_action(window, text: str):
    """The Tools menu's entry with this text, as a person finds it."""
    tools = next(action.menu() for action in window.menuBar().actions()
                 if action.text() == "&Tools")
    return next(action for action in tools.actions() if action.text() == text)


def optimise_from_menu(window, qtbot) -> OptimiseDialog:
    """Tools > Optimise…, waiting until the dialog says how it went."""
    tools_action(window, "&Optimise…").trigger()
    dialog = window.findChild(OptimiseDialog)
    if dialog.busy:
        with qtbot.waitSignal(dialog.settled, timeout=DONE_MS):
            pass
    return dialog


def button(dialog, standard):
    return dialog.buttons.button(standard)


@pytest.fixture
def studied(collection, clock):
    """The window's collection with four months of a simulated learner's reviews before today."""
    add_learner_history(collection, clock.now() - timedelta(days=120), days=118)
    return collection


@pytest.fixture
def studied_more(collection, clock):
    """Enough reviews (over 1,000) for the monthly fit to be due."""
    add_learner_history(collection, clock.now() - timedelta(days=160), cards=200, days=150)
    return collection


def test_optimise_shows_both_log_losses_and_keeps_a_better_fit(make_window, studied, qtbot):
    window = make_window(studied)
    dialog = optimise_from_menu(window, qtbot)
    text = dialog.outcome_label.text()
    assert text.startswith("Log loss with current parameters: ") and ", fitted: " in text
    assert "; kept." in text.splitlines()[0]
    assert studied.settings.fsrs_parameters is not None
    assert window.undo_action.text() == "&Undo Optimise"
    assert gc.isenabled()  # held off the fit's thread only while it ran
    qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Close),
                     Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    window.undo_action.trigger()
    assert studied.settings.fsrs_parameters is None


def test_a_fit_that_predicts_no_better_is_not_kept(make_window, studied, qtbot, monkeypatch):
    def no_better(reviews, start=None, progress_callback=None, cancelled=None):
        from flashcards.core.optimiser import Fit

        return Fit(parameters=tuple(LEARNER), log_loss_before=0.2512, log_loss_after=0.2530,
                   review_count=321, better=False, fitted=tuple(LEARNER))

    monkeypatch.setattr(memory_tools, "fit_parameters", no_better)
    window = make_window(studied)
    dialog = optimise_from_menu(window, qtbot)
    assert dialog.outcome_label.text().splitlines()[0] == (
        "Log loss with current parameters: 0.2512, fitted: 0.2530; not kept.")
    assert studied.settings.fsrs_parameters is None
    assert window.undo_action.text() == "&Undo"


def test_cancel_stops_the_fit_and_changes_nothing(make_window, studied, qtbot, monkeypatch):
    def slow(reviews, start=None, progress_callback=None, cancelled=None):
        progress_callback(1, 100)
        while not cancelled():
            threading.Event().wait(0.005)  # the fit's own pace: it asks between evaluations
        raise FitCancelled()

    monkeypatch.setattr(memory_tools, "fit_parameters", slow)
    window = make_window(studied)
    tools_action(window, "&Optimise…").trigger()
    dialog = window.findChild(OptimiseDialog)
    with qtbot.waitSignal(dialog.progress_bar.valueChanged, timeout=DONE_MS):
        pass
    assert dialog.progress_bar.isVisible() and dialog.progress_bar.maximum() == 100
    with qtbot.waitSignal(dialog.finished, timeout=DONE_MS):
        qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Cancel),
                         Qt.MouseButton.LeftButton)
    assert studied.settings.fsrs_parameters is None
    assert studied.settings_value("optimised_on") is None
    assert window.undo_action.text() == "&Undo"


def test_without_numpy_the_dialog_says_what_to_install_and_the_app_goes_on(
        make_window, studied, qtbot, monkeypatch, press):
    monkeypatch.setitem(sys.modules, "numpy", None)  # as if it were not installed
    window = make_window(studied)
    dialog = optimise_from_menu(window, qtbot)
    assert "pip install 'flashcards[optimise]'" in dialog.outcome_label.text()
    assert not dialog.progress_bar.isVisible()
    qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Close),
                     Qt.MouseButton.LeftButton)
    press(window, Qt.Key.Key_Return)  # studying still works
    assert window.pages.currentWidget() is window.review_page


def test_a_history_with_nothing_to_predict_is_said_so(window, qtbot):
    dialog = optimise_from_menu(window, qtbot)
    assert "No review came a day or more after" in dialog.outcome_label.text()
    assert "keeps the parameters it had" in dialog.outcome_label.text()


def test_the_monthly_fit_runs_by_itself_and_says_so_in_the_status_bar(
        make_window, studied_more, clock, qtbot):
    collection = studied_more
    assert collection.fit_due()
    window = make_window(collection)
    with qtbot.waitSignal(window.memory_tools.background_fit.optimised, timeout=DONE_MS):
        pass
    message = window.statusBar().currentMessage()
    assert message.startswith("Scheduler fitted to your ") and "log loss" in message
    assert collection.settings_value("optimised_on") == clock.now().date().isoformat()
    assert not collection.fit_due()


def test_no_fit_runs_by_itself_before_a_thousand_grades(make_window, studied, qtbot):
    window = make_window(studied)
    qtbot.wait(10)  # the turn of the event loop where the check is made
    assert not window.memory_tools.background_fit.busy
    assert studied.settings_value("optimised_on") is None


def test_closing_the_window_stops_a_fit_under_way(make_window, studied_more, qtbot, monkeypatch):
    started = threading.Event()
    stopped = []

    def slow(reviews, start=None, progress_callback=None, cancelled=None):
        started.set()
        while not cancelled():
            threading.Event().wait(0.005)
        stopped.append(True)
        raise FitCancelled()

    monkeypatch.setattr(memory_tools, "fit_parameters", slow)
    window = make_window(studied_more)
    qtbot.waitUntil(started.is_set, timeout=DONE_MS)
    window.close()
    assert stopped == [True] and not window.memory_tools.background_fit.busy and gc.isenabled()
    assert studied_more.settings.fsrs_parameters is None


def test_closing_the_window_with_the_dialog_fitting_stops_the_fit(
        make_window, studied, qtbot, monkeypatch):
    started = threading.Event()

    def slow(reviews, start=None, progress_callback=None, cancelled=None):
        started.set()
        while not cancelled():
            threading.Event().wait(0.005)
        raise FitCancelled()

    monkeypatch.setattr(memory_tools, "fit_parameters", slow)
    window = make_window(studied)
    tools_action(window, "&Optimise…").trigger()
    dialog = window.findChild(OptimiseDialog)
    qtbot.waitUntil(started.is_set, timeout=DONE_MS)
    window.close()
    assert not dialog.busy and not dialog.isVisible()
    assert studied.settings.fsrs_parameters is None


def test_the_monthly_fit_waits_while_the_learner_studies(make_window, studied_more, qtbot,
                                                         monkeypatch, press):
    monkeypatch.setattr(memory_tools_window, "AUTO_FIT_DELAY_MS", 100)
    window = make_window(studied_more)
    window.study(studied_more.decks()[0].id)
    qtbot.wait(300)
    assert not window.memory_tools.background_fit.busy
    for key in (Qt.Key.Key_Space, Qt.Key.Key_3):  # a grade changes the collection
        press(window, key)
    assert window.review_page.session.reviewed == 1
    assert not window.memory_tools.background_fit.busy
    assert studied_more.settings_value("optimised_on") is None
