"""The deck options window: presets chosen, added, renamed and removed, and each field saved at
once, the deck list following."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from flashcards.core.deck_options import DEFAULT_PRESET
from flashcards.gui import dialogs

pytestmark = pytest.mark.gui

FAQ = "the-400-blows-faq"
FACTS = "the-400-blows-facts"


def open_options(window, press, deck_id):
    window.deck_page.select_deck(deck_id)
    press(window, Qt.Key.Key_O)
    options = window.deck_page.options_window
    assert options is not None and options.isVisible()
    return options


def type_into(qtbot, widget, text):
    """Replace a field's text as a person does: select it all, type, press Enter."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_o_opens_the_options_of_the_selected_deck(window, press):
    options = open_options(window, press, FAQ)
    assert options.windowTitle() == "Options for The 400 Blows: FAQ"
    assert options.preset_box.currentText() == "Default (used by 2 decks)"
    assert options.new_per_day.value() == 20
    assert options.learning_steps.text() == "1m 10m"


def test_changing_the_new_cards_limit_changes_the_deck_list_at_once(window, press, qtbot,
                                                                    shown_rows):
    options = open_options(window, press, FACTS)
    type_into(qtbot, options.new_per_day, "5")
    assert window.collection.deck_options(FACTS)[1].new_per_day == 5
    # Both decks use Default, whose limit it is.
    assert shown_rows(window)["The 400 Blows: Facts"] == (5, 0, 0, 30)
    assert shown_rows(window)["The 400 Blows: FAQ"] == (5, 0, 0, 8)
    assert options.isVisible()  # Enter saved the field; the window stays open
    window.undo_action.trigger()
    assert shown_rows(window)["The 400 Blows: Facts"] == (20, 0, 0, 30)
    assert options.new_per_day.value() == 20


def test_a_new_preset_applies_to_this_deck_only(window, press, qtbot, monkeypatch, shown_rows):
    monkeypatch.setattr(dialogs, "ask_text", lambda *args: "Slow")
    options = open_options(window, press, FAQ)
    qtbot.mouseClick(options.add_button, Qt.MouseButton.LeftButton)
    assert options.preset_box.currentText() == "Slow (used by 1 deck)"
    type_into(qtbot, options.new_per_day, "2")
    assert shown_rows(window)["The 400 Blows: FAQ"] == (2, 0, 0, 8)
    assert shown_rows(window)["The 400 Blows: Facts"] == (20, 0, 0, 30)
    options.preset_box.setFocus()
    qtbot.keyClick(options.preset_box, Qt.Key.Key_Up)  # back to Default
    assert window.collection.deck_options(FAQ)[0] == DEFAULT_PRESET
    assert shown_rows(window)["The 400 Blows: FAQ"] == (8, 0, 0, 8)


def test_steps_typed_as_text_are_saved_and_a_mistake_is_explained(window, press, qtbot):
    options = open_options(window, press, FAQ)
    type_into(qtbot, options.learning_steps, "2m 1h")
    assert window.collection.deck_options(FAQ)[1].learning_steps == (2.0, 60.0)
    type_into(qtbot, options.learning_steps, "2 minutes")
    assert options.error_label.isVisible()
    assert "“minutes” is not a step" in options.error_label.text()
    assert window.collection.deck_options(FAQ)[1].learning_steps == (2.0, 60.0)


def test_renaming_and_removing_a_preset(window, press, qtbot, monkeypatch):
    names = iter(["Slow", "Slower"])
    monkeypatch.setattr(dialogs, "ask_text", lambda *args: next(names))
    monkeypatch.setattr(dialogs, "ask_confirmation", lambda *args: True)
    options = open_options(window, press, FAQ)
    assert not options.remove_button.isEnabled()  # Default stays
    qtbot.mouseClick(options.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(options.rename_button, Qt.MouseButton.LeftButton)
    assert options.preset_box.currentText() == "Slower (used by 1 deck)"
    qtbot.mouseClick(options.remove_button, Qt.MouseButton.LeftButton)
    assert options.preset_box.currentText() == "Default (used by 2 decks)"
    assert options.preset_box.count() == 1


def test_the_options_window_closes_when_its_deck_is_deleted(window, press, monkeypatch):
    monkeypatch.setattr(dialogs, "ask_confirmation", lambda *args: True)
    options = open_options(window, press, FAQ)
    window.activateWindow()
    window.deck_page.table.setFocus()
    press(window, Qt.Key.Key_Delete)
    assert not options.isVisible()
