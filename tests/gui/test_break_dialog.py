"""Tools > Plan a break… and Spread backlog…, and the deck list's backlog line: the plan is
shown as the days are picked, Apply moves the reviews as one undoable step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from learner_history import add_learner_history
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from flashcards.gui.break_dialog import BacklogDialog, BreakDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def studied(collection, clock):
    """Four months of a simulated learner's reviews up to today: reviews due every day ahead."""
    add_learner_history(collection, clock.now() - timedelta(days=120), days=120)
    return collection


def open_dialog(qtbot, dialog_class, collection):
    dialog = dialog_class(collection)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def pick(qtbot, dialog, edit, day):
    """Pick a day in a date field, as the calendar does."""
    with qtbot.waitSignal(dialog.plan_shown):
        edit.setDate(QDate(day.year, day.month, day.day))


def tools_action(window, text: str):
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tools")
    return next(a for a in tools.actions() if a.text() == text)


def test_the_break_dialog_shows_where_the_reviews_go(studied, qtbot):
    dialog = open_dialog(qtbot, BreakDialog, studied)
    today = studied.today()
    assert dialog.first_day.date().toPython() == today + timedelta(days=7)
    pick(qtbot, dialog, dialog.first_day, today + timedelta(days=3))
    pick(qtbot, dialog, dialog.last_day, today + timedelta(days=12))
    plan = studied.plan_break(today + timedelta(days=3), today + timedelta(days=12))
    figures = {name: label.text() for name, label in dialog.figures.items()}
    assert figures["Reviews due while away"] == str(len(plan.moves)) and plan.moves
    assert figures["Brought before the break"].startswith(f"{sum(plan.due_before.values())} (")
    assert figures["Moved after it"].startswith(f"{sum(plan.due_after.values())} (")
    assert figures["Extra reviews expected"].startswith(
        f"about {plan.extra_reviews_expected:.1f}")
    assert dialog.apply_button.isEnabled()
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.plan.new_due() == plan.new_due()


def test_a_first_day_after_the_last_moves_the_last_day_along(studied, qtbot):
    dialog = open_dialog(qtbot, BreakDialog, studied)
    later = studied.today() + timedelta(days=30)
    pick(qtbot, dialog, dialog.first_day, later)
    assert dialog.last_day.date().toPython() == later


def test_a_break_with_nothing_due_cannot_be_applied(collection, qtbot):
    dialog = open_dialog(qtbot, BreakDialog, collection)  # only new cards: nothing is due
    assert dialog.figures["Reviews due while away"].text() == "0"
    assert not dialog.apply_button.isEnabled()


def test_applying_a_break_from_the_menu_moves_the_reviews_and_undo_puts_them_back(
        make_window, studied, qtbot, monkeypatch):
    today = studied.today()
    plan = studied.plan_break(today + timedelta(days=3), today + timedelta(days=9))
    monkeypatch.setattr(BreakDialog, "ask", classmethod(lambda cls, c, parent=None: plan))
    window = make_window(studied)
    before = {card_id: studied.progress(card_id).due for card_id in plan.new_due()}
    tools_action(window, "Plan a &break…").trigger()
    assert {card_id: studied.progress(card_id).due for card_id in plan.new_due()} == (
        plan.new_due())
    assert window.statusBar().currentMessage() == f"Break planned: {len(plan.moves)} reviews moved."
    assert window.undo_action.text() == "&Undo Plan break"
    window.undo_action.trigger()
    assert {card_id: studied.progress(card_id).due for card_id in plan.new_due()} == before


def test_the_backlog_dialog_spreads_over_the_days_typed(studied, clock, qtbot):
    clock.advance(days=20)  # three weeks away: a backlog
    dialog = open_dialog(qtbot, BacklogDialog, studied)
    assert dialog.days.value() == 7
    dialog.days.setFocus()
    qtbot.keyClick(dialog.days, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(dialog.plan_shown):
        qtbot.keyClicks(dialog.days, "3")
    plan = studied.spread_backlog(3)
    overdue = sum(plan.per_day.values())
    assert dialog.figures["Overdue reviews"].text() == f"{overdue}" and overdue > 3
    assert dialog.figures["Each day"].text().count(":") == 3
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert dialog.plan.days == 3 and dialog.plan.new_due() == plan.new_due()


def test_the_deck_list_offers_to_spread_a_backlog_and_then_shows_the_spread(
        make_window, studied, clock, qtbot, monkeypatch):
    clock.advance(days=20)
    studied.change_setting("reviews_per_day", 10)
    overdue = studied.backlog_status().overdue
    assert overdue > 10
    window = make_window(studied)
    page = window.deck_page
    assert page.backlog_label.text() == (
        f"{overdue} reviews are overdue, more than a day's limit of 10.")
    assert page.backlog_button.isVisible()
    monkeypatch.setattr(BacklogDialog, "ask",
                        classmethod(lambda cls, c, parent=None: c.spread_backlog(7)))
    qtbot.mouseClick(page.backlog_button, Qt.MouseButton.LeftButton)
    per_day = -(-overdue // 7)
    assert page.backlog_label.text() == f"Backlog spread over 7 days: {per_day} a day."
    assert not page.backlog_button.isVisible()
    assert window.undo_action.text() == "&Undo Spread backlog"
    window.undo_action.trigger()
    assert page.backlog_label.text().endswith("more than a day's limit of 10.")
    assert page.backlog_button.isVisible()


def test_no_backlog_line_when_nothing_much_is_overdue(window):
    assert not window.deck_page.backlog_label.isVisible()
    assert not window.deck_page.backlog_button.isVisible()


def test_cancelling_a_plan_moves_nothing(make_window, studied, qtbot, monkeypatch):
    monkeypatch.setattr(BreakDialog, "ask", classmethod(lambda cls, c, parent=None: None))
    window = make_window(studied)
    tools_action(window, "Plan a &break…").trigger()
    assert window.undo_action.text() == "&Undo"
