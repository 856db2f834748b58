"""Tools › Preferences: the look, the card text size and the hour the study day starts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from flashcards.gui import preferences, theme
from flashcards.gui.preferences_window import PreferencesWindow

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _look_restored():
    """A theme applied here must not colour the tests that follow."""
    app = QApplication.instance()
    palette, sheet, style = app.palette(), app.styleSheet(), app.style().name()
    yield
    app.setStyle(style)
    app.setPalette(palette)
    app.setStyleSheet(sheet)


def open_preferences(window, qtbot) -> PreferencesWindow:
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(PreferencesWindow)
    assert dialog is not None and dialog.isVisible()
    return dialog


def choose(qtbot, combo, text):
    combo.setFocus()
    while combo.currentText() != text:
        qtbot.keyClick(combo, Qt.Key.Key_Down)


def test_choosing_dark_changes_the_look_at_once_and_is_remembered(window, qtbot):
    dialog = open_preferences(window, qtbot)
    assert dialog.theme_box.currentText() == "Follow the system"
    choose(qtbot, dialog.theme_box, "Dark")
    assert theme.is_dark()
    assert preferences.theme() == "dark"
    qtbot.keyClick(dialog.theme_box, Qt.Key.Key_Up)
    assert dialog.theme_box.currentText() == "Light"
    assert not theme.is_dark()
    assert theme.preferred_theme_name() == "light"


def test_the_card_text_size_goes_into_the_look(window, qtbot):
    dialog = open_preferences(window, qtbot)
    dialog.card_font_size.setFocus()
    qtbot.keyClick(dialog.card_font_size, Qt.Key.Key_Up)
    assert preferences.card_font_size() == 22
    assert "#cardView { font-size: 22pt; }" in QApplication.instance().styleSheet()


def test_the_hour_the_day_starts_is_a_setting_of_the_collection(window, qtbot, clock,
                                                                shown_rows):
    dialog = open_preferences(window, qtbot)
    assert dialog.day_start.value() == 4
    dialog.day_start.setFocus()
    qtbot.keyClick(dialog.day_start, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.day_start, "11")
    qtbot.keyClick(dialog.day_start, Qt.Key.Key_Return)
    assert window.collection.settings.rollover_hour == 11
    assert window.undo_action.text() == "&Undo Change setting"
