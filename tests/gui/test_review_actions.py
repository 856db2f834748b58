"""Acting on the card being studied with Anki's keys: - buries, @ suspends, Ctrl+1..4 flag,
E edits in place; each said in a line that fades, each undone with Ctrl+Z and redone with
Ctrl+Shift+Z. Leeches, and studying more new cards than the day's limit."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from studied_days import lapse_seven_times

from flashcards.core.progress import Rating
from flashcards.core.review import Screen

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
FIRST_FAQ = "Who directed The 400 Blows?"
SECOND_FAQ = "When was The 400 Blows released?"


def activated(window, qtbot):
    """The window as a person has it: in front, taking the keys (menu shortcuts need that)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


@pytest.fixture
def window(make_window, collection, qtbot):
    return activated(make_window(collection), qtbot)


@pytest.fixture
def faq_window(collection, make_window, qtbot):
    """A window over the two decks, made once `prepare(collection)` has run."""
    def _make(prepare=lambda collection: None):
        prepare(collection)
        return activated(make_window(collection), qtbot), collection

    return _make


def open_faq(window, press):
    press(window, Qt.Key.Key_Down)  # the FAQ deck is second
    press(window, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.review_page


def card_text(window) -> str:
    return window.review_page.card_view.toPlainText()


def counters(window) -> tuple[int, int, int]:
    page = window.review_page
    return tuple(int(c.number.text()) for c in (page.new_counter, page.learning_counter,
                                                  page.due_counter))


def notice(window) -> str:
    line = window.review_page.notice_line
    return line.text() if line.showing else ""


def test_minus_buries_the_card_until_tomorrow_and_ctrl_z_brings_it_back(window, press,
                                                                        collection, clock):
    open_faq(window, press)
    press(window, Qt.Key.Key_Space)
    press(window, Qt.Key.Key_Minus)
    assert notice(window) == "Card buried until tomorrow."
    assert card_text(window) == SECOND_FAQ and counters(window) == (7, 0, 0)
    assert window.undo_action.text() == "&Undo Bury"
    press(window, Qt.Key.Key_Z, CTRL)
    assert card_text(window) == FIRST_FAQ and counters(window) == (8, 0, 0)
    assert window.review_page.screen is Screen.QUESTION
    assert window.redo_action.text() == "&Redo Bury" and window.redo_action.isEnabled()
    press(window, Qt.Key.Key_Z, CTRL_SHIFT)
    assert card_text(window) == SECOND_FAQ and counters(window) == (7, 0, 0)
    assert "Redone: Bury" in window.statusBar().currentMessage()
    assert not window.redo_action.isEnabled()
    clock.advance(days=1)
    press(window, Qt.Key.Key_Escape)
    press(window, Qt.Key.Key_Return)
    assert card_text(window) == FIRST_FAQ, "tomorrow the buried card is back"


def test_at_suspends_the_card_and_the_deck_list_counts_one_fewer(window, press, shown_rows):
    open_faq(window, press)
    press(window, Qt.Key.Key_At, Qt.KeyboardModifier.ShiftModifier)
    assert notice(window) == "Card suspended."
    assert card_text(window) == SECOND_FAQ
    press(window, Qt.Key.Key_Escape)
    assert shown_rows(window)["The 400 Blows: FAQ"] == (7, 0, 0, 8)
    press(window, Qt.Key.Key_Z, CTRL)
    assert shown_rows(window)["The 400 Blows: FAQ"] == (8, 0, 0, 8)


def test_ctrl_digits_flag_the_card_with_a_coloured_mark(window, press, collection):
    open_faq(window, press)
    page = window.review_page
    assert not page.flag_mark.isVisible()
    press(window, Qt.Key.Key_1, CTRL)
    assert notice(window) == "Flagged red."
    assert page.flag_mark.isVisible() and page.flag_mark.toolTip() == "Flagged red"
    press(window, Qt.Key.Key_Space)
    press(window, Qt.Key.Key_4, CTRL)
    assert notice(window) == "Flagged blue." and page.flag_mark.flag == 4
    assert page.screen is Screen.ANSWER and card_text(window).startswith(FIRST_FAQ)
    assert collection.reviews() == [], "Ctrl+4 flags; it does not grade Easy"
    press(window, Qt.Key.Key_4, CTRL)
    assert notice(window) == "Flag removed." and not page.flag_mark.isVisible()
    press(window, Qt.Key.Key_Z, CTRL)
    assert page.flag_mark.flag == 4 and page.screen is Screen.ANSWER
    assert collection.marks("faq-1").flag == 4


def test_the_notice_fades_away(window, press, qtbot):
    open_faq(window, press)
    press(window, Qt.Key.Key_2, CTRL)
    line = window.review_page.notice_line
    assert line.text() == "Flagged orange." and line.hold_timer.isActive()
    assert 2000 <= line.hold_timer.interval() <= 6000, "a few seconds"
    with qtbot.waitSignal(line.faded):
        line.hold_timer.timeout.emit()  # the seconds pass
    assert not line.showing


def test_e_edits_the_card_in_place_and_ctrl_return_saves(window, press, qtbot, collection):
    open_faq(window, press)
    page = window.review_page
    press(window, Qt.Key.Key_E)
    editor = page.editor
    assert page.editing and window.focusWidget() is editor.front_field
    assert editor.front_field.toPlainText() == FIRST_FAQ
    qtbot.keyClicks(editor.front_field, " (1959)")
    press(window, Qt.Key.Key_Return, CTRL)
    assert not page.editing and window.focusWidget() is page
    assert card_text(window) == FIRST_FAQ + " (1959)"
    assert collection.card("faq-1")[1].front == "Who directed <i>The 400 Blows</i>? (1959)"
    assert collection.card("faq-1")[1].back == "François Truffaut", "the back was not touched"
    assert notice(window) == "Card edited."
    press(window, Qt.Key.Key_Z, CTRL)
    assert card_text(window) == FIRST_FAQ
    assert collection.card("faq-1")[1].front == "Who directed <i>The 400 Blows</i>?"


def test_esc_in_the_editor_cancels_and_stays_on_the_card(window, press, qtbot, collection):
    open_faq(window, press)
    press(window, Qt.Key.Key_Space)
    press(window, Qt.Key.Key_E)
    qtbot.keyClicks(window.review_page.editor.back_field, "changed")
    press(window, Qt.Key.Key_Escape)
    page = window.review_page
    assert not page.editing and window.pages.currentWidget() is page
    assert page.screen is Screen.ANSWER
    assert collection.card("faq-1")[1].back == "François Truffaut"
    assert collection.undo_label is None


def test_keys_typed_in_the_editor_are_text_not_actions(window, press, collection):
    open_faq(window, press)
    press(window, Qt.Key.Key_E)
    for key in (Qt.Key.Key_Minus, Qt.Key.Key_A, Qt.Key.Key_1, Qt.Key.Key_Space):
        press(window, key)
    press(window, Qt.Key.Key_B, CTRL)
    press(window, Qt.Key.Key_X)
    press(window, Qt.Key.Key_I, CTRL)  # italic here, not File > Import
    assert QApplication.activeModalWidget() is None
    press(window, Qt.Key.Key_Return, CTRL)
    front = collection.card("faq-1")[1].front
    assert front.endswith("?-a1 <b>x</b>") and collection.undo_label == "Edit card"
    assert window.card_actions.add_window is None, "A was a letter, not Add cards"


def test_an_empty_front_is_not_saved(window, press, qtbot, collection):
    open_faq(window, press)
    press(window, Qt.Key.Key_E)
    window.review_page.editor.front_field.selectAll()
    press(window, Qt.Key.Key_Delete)
    press(window, Qt.Key.Key_Return, CTRL)
    assert window.review_page.editing and notice(window) == "A card needs a front."
    assert collection.card("faq-1")[1].front.startswith("Who directed")


def test_actions_on_the_finished_screen_do_nothing(faq_window, press):
    window, collection = faq_window(lambda c: c.suspend([f"faq-{i}" for i in range(1, 9)]))
    open_faq(window, press)
    assert window.review_page.screen is Screen.FINISHED
    for key in (Qt.Key.Key_Minus, Qt.Key.Key_E):
        press(window, key)
    press(window, Qt.Key.Key_1, CTRL)
    assert collection.undo_label == "Suspend" and not window.review_page.editing


def test_the_eighth_lapse_makes_a_leech_said_once(faq_window, press, clock):
    def prepare(collection):
        lapse_seven_times(collection, clock, "faq-1")
        collection.suspend([f"faq-{i}" for i in range(2, 9)])

    window, collection = faq_window(prepare)
    open_faq(window, press)
    assert card_text(window) == FIRST_FAQ
    press(window, Qt.Key.Key_Space)
    press(window, Qt.Key.Key_1)
    assert notice(window) == ("This card is a leech: it was forgotten 8 times and is now "
                              "suspended.")
    assert "leech" in collection.card("faq-1")[1].tags and collection.marks("faq-1").suspended
    assert window.review_page.screen is Screen.FINISHED
    assert window.undo_action.text() == "&Undo Again"
    press(window, Qt.Key.Key_Z, CTRL)
    assert card_text(window) == FIRST_FAQ and not collection.marks("faq-1").suspended
    assert "leech" not in collection.card("faq-1")[1].tags


def test_study_more_new_cards_from_the_finished_screen(faq_window, press, qtbot):
    window, collection = faq_window(lambda c: c.change_setting("new_per_day", 3))
    open_faq(window, press)
    for _ in range(3):
        press(window, Qt.Key.Key_Space)
        press(window, Qt.Key.Key_4)
    page = window.review_page
    assert page.screen is Screen.FINISHED
    assert page.more_new_label.text() == "5 new cards are left beyond today's limit."
    assert page.study_more_button.text() == "Study 3 more new cards today"
    qtbot.mouseClick(page.study_more_button, Qt.MouseButton.LeftButton)
    assert page.screen is Screen.QUESTION and counters(window) == (3, 0, 0)
    assert window.focusWidget() is page
    assert window.undo_action.text() == "&Undo Custom study"
    press(window, Qt.Key.Key_Z, CTRL)
    assert page.screen is Screen.FINISHED
    press(window, Qt.Key.Key_Escape)
    assert window.deck_page.table.model().index(1, 1).data() == "0"


def test_no_study_more_button_when_no_new_card_waits(window, press, collection):
    for i in range(1, 9):
        collection.preview(f"faq-{i}")
        collection.grade(f"faq-{i}", Rating.EASY)
    open_faq(window, press)
    page = window.review_page
    assert page.screen is Screen.FINISHED
    assert not page.study_more_button.isVisible() and not page.more_new_label.isVisible()


def test_the_shortcut_list_names_every_new_key(window):
    window.shortcuts_action.trigger()
    lines = QApplication.activeModalWidget().lines()
    for line in ("-: Bury the card until tomorrow", "@: Suspend the card", "E: Edit the card",
                 "Ctrl+Shift+Z: Redo", "Ctrl+N: Add cards", "Ctrl+Return: Add the card, or "
                 "save the edit"):
        assert line in lines
    assert any(line.startswith("Ctrl+1 … Ctrl+4: Flag the card red") for line in lines)
    assert any(line.startswith("A: Add cards") for line in lines)
