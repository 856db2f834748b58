"""A long study session driven by keys and repaints: the window must still be there at the end.

Some PySide6 releases on Python 3.11 lose a reference to None each time an empty QVariant comes
back from Qt; after a few hundred key presses the interpreter aborts. Python 3.12 and later make
None immortal, which hides the loss, so the drift is only measured where it can be seen.
"""

import sys

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication, QDialog

pytestmark = pytest.mark.gui

ROUNDS = 90
CTRL = Qt.KeyboardModifier.ControlModifier
# The faulty releases lose one reference per call, thousands in this test. The history the
# session adds holds None in places, so the count may rise, but it must never fall.
ALLOWED_FALL = 200


def none_references() -> int:
    return sys.getrefcount(None)


def activated(window, qtbot):
    """In front and taking the keys, as after a click on it: menu shortcuts need that."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def act_on_cards(window, press) -> int:
    """Flag and unflag, bury, undo, redo, suspend, undo, open the editor and cancel it; returns
    the keys pressed."""
    strokes = [(Qt.Key.Key_1, CTRL), (Qt.Key.Key_3, CTRL), (Qt.Key.Key_3, CTRL),
               (Qt.Key.Key_Minus, None), (Qt.Key.Key_Z, CTRL),
               (Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier),
               (Qt.Key.Key_At, Qt.KeyboardModifier.ShiftModifier), (Qt.Key.Key_Z, CTRL),
               (Qt.Key.Key_E, None), (Qt.Key.Key_X, None), (Qt.Key.Key_Escape, None)]
    for key, modifier in strokes:
        press(window, key, modifier)
        window.review_page.repaint()
    return len(strokes)


def add_a_card(window, press, qtbot) -> int:
    """A, a front and a back, Ctrl+Return, Esc; returns the keys pressed."""
    press(window, Qt.Key.Key_A)
    add = activated(window.card_actions.add_window, qtbot)
    strokes = [(Qt.Key.Key_Q, None), (Qt.Key.Key_Tab, None), (Qt.Key.Key_B, None),
               (Qt.Key.Key_B, CTRL), (Qt.Key.Key_Return, CTRL), (Qt.Key.Key_Escape, None)]
    for key, modifier in strokes:
        press(add, key, modifier)
        add.repaint()
    activated(window, qtbot)
    return len(strokes) + 1


def study_round(window, press, clock, qtbot) -> int:
    """Walk the deck list, study a few cards, act on one, undo a grade, add a card, look at the
    help; returns the keys pressed."""
    keys = 0
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Up) * 4:
        press(window, key)
        window.deck_page.table.viewport().repaint()
        keys += 1
    press(window, Qt.Key.Key_Return)
    keys += 1
    for grade in (Qt.Key.Key_3, Qt.Key.Key_1, Qt.Key.Key_4, Qt.Key.Key_2):
        press(window, Qt.Key.Key_Space)
        window.review_page.repaint()
        press(window, grade)
        window.review_page.repaint()
        keys += 2
    keys += act_on_cards(window, press)
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the last grade comes back
    keys += add_a_card(window, press, qtbot)
    press(window, Qt.Key.Key_Escape)
    keys += 2
    for action in (window.shortcuts_action, window.about_action):
        action.trigger()
        dialog = QApplication.activeModalWidget()
        dialog.repaint()
        press(dialog, Qt.Key.Key_Escape)
        keys += 1
    window.grab()
    # What the event loop does between key presses: closed dialogs are deleted.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    clock.advance(hours=6)  # cards come due again, a new day begins now and then
    return keys


def test_a_long_session_keeps_the_window_alive(window, press, clock, qtbot, collection):
    activated(window, qtbot)
    cards = len(collection.find_cards())
    study_round(window, press, clock, qtbot)  # caches and lazy imports settle first
    before = none_references()
    keys = 0
    for _ in range(ROUNDS):
        keys += study_round(window, press, clock, qtbot)
    drift = none_references() - before
    assert keys >= 3000
    assert window.isVisible()
    assert window.pages.currentWidget() is window.deck_page
    assert window.findChildren(QDialog) == [], "every help box closed is gone"
    assert len(collection.find_cards()) == cards + ROUNDS + 1, "a card added each round"
    if sys.version_info < (3, 12):
        assert drift > -ALLOWED_FALL, f"None lost {-drift} references"
