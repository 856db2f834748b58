"""Studying from the main window, driven with the keyboard and the mouse."""

import re

import pytest
from PySide6.QtCore import Qt

from flashcards.core.review import Screen
from flashcards.gui.main_window import MainWindow
from flashcards.gui.review_view import FINISHED_TEXT

pytestmark = pytest.mark.gui

FAQ_NAME = "The 400 Blows: FAQ"


def open_faq(window, press):
    press(window, Qt.Key.Key_Down)  # the FAQ deck is second
    press(window, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.review_page


def counters(window) -> tuple[int, int, int]:
    page = window.review_page
    return tuple(int(c.number.text()) for c in (page.new_counter, page.learning_counter,
                                                  page.due_counter))


def card_text(window) -> str:
    return window.review_page.card_view.toPlainText()


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_enter_opens_the_deck_at_its_first_question(window, press):
    open_faq(window, press)
    page = window.review_page
    assert page.deck_label.text() == FAQ_NAME
    assert counters(window) == (8, 0, 0)
    assert card_text(window) == "Who directed The 400 Blows?"
    assert page.show_answer_button.isVisible()
    assert window.focusWidget() is page


def test_double_click_and_the_study_button_open_a_deck(window, qtbot, press):
    table = window.deck_page.table
    second_row = table.visualRect(table.model().index(1, 0)).center()
    # A double-click reaches the view as a press, a release, then the double-click itself.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=second_row)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=second_row)
    assert window.review_page.deck_label.text() == FAQ_NAME
    press(window, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.deck_page
    qtbot.mouseClick(window.deck_page.study_button, Qt.MouseButton.LeftButton)
    assert window.review_page.deck_label.text() == FAQ_NAME


def test_space_shows_the_answer_under_the_question(window, press):
    open_faq(window, press)
    press(window, Qt.Key.Key_Space)
    assert window.review_page.screen is Screen.ANSWER
    text = card_text(window)
    assert text.startswith("Who directed The 400 Blows?")
    assert text.endswith("François Truffaut")


def test_grade_keys_do_nothing_while_the_question_shows(window, press):
    open_faq(window, press)
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4):
        press(window, key)
    assert window.review_page.screen is Screen.QUESTION
    assert card_text(window) == "Who directed The 400 Blows?"
    assert counters(window) == (8, 0, 0)


def test_grade_buttons_show_the_interval_each_grade_would_give(window, press):
    open_faq(window, press)
    press(window, Qt.Key.Key_Space)
    buttons = window.review_page.grade_buttons
    texts = [button.text() for button in buttons.values()]
    # Each grade with the key that gives it, then the interval it gives.
    assert [t.split("\n")[0] for t in texts] == ["Again (1)", "Hard (2)", "Good (3)", "Easy (4)"]
    assert all(re.fullmatch(r"\w+ \(\d\)\n\d+(\.\d)?(s|m|h|d|mo|y)", t) for t in texts)
    # A new card: Again and Good go to the 1 and 10 minute learning steps, Easy skips to days.
    assert texts[0] == "Again (1)\n1m"
    assert texts[2] == "Good (3)\n10m"
    assert texts[3].endswith("d")
    assert all(button.isVisible() for button in buttons.values())


def test_studying_moves_cards_out_of_new_and_esc_shows_current_counts(window, press, faq_cards, shown_rows):
    open_faq(window, press)
    press(window, Qt.Key.Key_Space)
    press(window, Qt.Key.Key_3)  # Good: into learning
    assert counters(window) == (7, 1, 0)
    assert card_text(window) == plain(faq_cards[1][0])  # the next question follows at once
    press(window, Qt.Key.Key_Space)
    press(window, Qt.Key.Key_1)  # Again
    press(window, Qt.Key.Key_Space)
    press(window, Qt.Key.Key_Return)  # Enter on the answer is Good
    assert counters(window) == (5, 3, 0)
    press(window, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.deck_page
    assert window.focusWidget() is window.deck_page.table
    assert window.deck_page.selected_deck_id() == "the-400-blows-faq"
    assert shown_rows(window)[FAQ_NAME] == (5, 3, 0, 8)


def test_the_buttons_work_with_the_mouse(window, qtbot, press):
    open_faq(window, press)
    page = window.review_page
    qtbot.mouseClick(page.show_answer_button, Qt.MouseButton.LeftButton)
    assert page.screen is Screen.ANSWER
    qtbot.mouseClick(page.grade_buttons[next(iter(page.grade_buttons))], Qt.MouseButton.LeftButton)
    assert page.screen is Screen.QUESTION
    assert counters(window) == (7, 1, 0)


def test_finishing_the_deck_says_so_and_when_the_next_card_is_due(window, press, faq_cards, shown_rows):
    open_faq(window, press)
    for _ in faq_cards:
        press(window, Qt.Key.Key_Space)
        press(window, Qt.Key.Key_4)  # Easy: each card leaves for days
    page = window.review_page
    assert page.screen is Screen.FINISHED
    assert page.finished_label.isVisible()
    assert page.finished_label.text() == FINISHED_TEXT
    assert re.fullmatch(r"The next card is due on .+ at 04:00\.", page.next_due_label.text())
    assert counters(window) == (0, 0, 0)
    press(window, Qt.Key.Key_3)  # nothing to grade: stays put
    assert page.screen is Screen.FINISHED
    press(window, Qt.Key.Key_Escape)
    assert shown_rows(window)[FAQ_NAME] == (0, 0, 0, 8)


def test_a_card_graded_again_comes_back_before_the_deck_is_finished(window, press, faq_cards):
    open_faq(window, press)
    press(window, Qt.Key.Key_Space)
    press(window, Qt.Key.Key_1)  # Again: back in a minute
    for _ in faq_cards[1:]:
        press(window, Qt.Key.Key_Space)
        press(window, Qt.Key.Key_4)
    # The card graded Again comes back early rather than making the person wait.
    assert window.review_page.screen is Screen.QUESTION
    press(window, Qt.Key.Key_Space)
    press(window, Qt.Key.Key_3)  # Good: the 10 minute step, shown again in the learn-ahead window
    press(window, Qt.Key.Key_Space)
    press(window, Qt.Key.Key_3)  # Good again: a day or more away
    assert window.review_page.screen is Screen.FINISHED
    assert window.review_page.next_due_label.text().startswith("The next card is due ")


def test_back_to_decks_button_leaves_the_finished_screen(window, qtbot, press, faq_cards):
    open_faq(window, press)
    for _ in faq_cards:
        press(window, Qt.Key.Key_Space)
        press(window, Qt.Key.Key_4)
    qtbot.mouseClick(window.review_page.back_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.deck_page


def test_a_new_window_over_the_same_folder_shows_the_same_counts(
        window, press, collection, open_collection, make_window, shown_rows):
    open_faq(window, press)
    for key in (Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_1):
        press(window, Qt.Key.Key_Space)
        press(window, key)
    press(window, Qt.Key.Key_Escape)
    before = shown_rows(window)
    assert before[FAQ_NAME] == (5, 2, 0, 8)
    window.close()
    collection.close()

    reopened = make_window(open_collection())
    assert isinstance(reopened, MainWindow)
    assert shown_rows(reopened) == before


def test_a_grade_that_cannot_be_saved_offers_retry(window, collection, press, monkeypatch):
    import errno
    import os

    from flashcards.gui import dialogs

    real_write = os.write
    state = {"full": True, "asked": []}

    def write(fd, data):
        if state["full"]:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    def ask_retry(parent, title, message):
        state["asked"].append(message)
        state["full"] = False  # the person freed some space, then pressed Retry
        return True

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(dialogs, "ask_retry", ask_retry)
    open_faq(window, press)
    first = card_text(window)
    press(window, Qt.Key.Key_Space)
    press(window, Qt.Key.Key_3)
    assert "disk is full" in state["asked"][0]
    assert card_text(window) != first
    assert len(collection.reviews()) == 1


def test_the_finished_screen_shows_the_next_card_by_itself_when_it_comes_due(
        window, press, collection, clock):
    from datetime import timedelta

    collection.change_setting("new_per_day", 2)
    clock.advance(timedelta(hours=13))  # 23:00: the next study day starts at 04:00
    open_faq(window, press)
    for _ in range(2):
        press(window, Qt.Key.Key_Space)
        press(window, Qt.Key.Key_4)
    page = window.review_page
    assert page.screen is Screen.FINISHED
    assert page.next_card_timer.isActive()
    # About five hours; Qt's coarse timers may report up to 5 % more for long waits.
    assert 4.9 * 3600_000 <= page.next_card_timer.remainingTime() <= 5.25 * 3600_000

    clock.advance(timedelta(hours=5, seconds=1))  # the person left the window open overnight
    page.next_card_timer.timeout.emit()
    assert page.screen is Screen.QUESTION
    assert counters(window)[0] == 2


def held(window, key, marked=True):
    """What a key held down sends after its first press: more presses, each marked as a repeat
    or (as X11 often sends them) unmarked, right after a release with the same timestamp."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for moment in range(1000, 1600, 33):
        target = window.focusWidget() or window
        if not marked:
            release = QKeyEvent(QEvent.Type.KeyRelease, key, Qt.KeyboardModifier.NoModifier)
            release.setTimestamp(moment)
            QApplication.sendEvent(target, release)
        press = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, " ", marked)
        press.setTimestamp(moment)
        QApplication.sendEvent(target, press)


@pytest.mark.parametrize("marked", [True, False], ids=["marked", "unmarked"])
def test_holding_space_shows_the_answer_once_and_grades_nothing(window, press, collection,
                                                                marked):
    open_faq(window, press)
    press(window, Qt.Key.Key_Space)
    held(window, Qt.Key.Key_Space, marked)
    assert window.review_page.screen is Screen.ANSWER
    assert counters(window) == (8, 0, 0)
    assert collection.reviews() == []


@pytest.mark.parametrize("marked", [True, False], ids=["marked", "unmarked"])
def test_holding_enter_or_a_grade_key_grades_one_card(window, press, collection, marked):
    open_faq(window, press)
    press(window, Qt.Key.Key_Return)
    press(window, Qt.Key.Key_Return)
    held(window, Qt.Key.Key_Return, marked)
    press(window, Qt.Key.Key_Space)
    held(window, Qt.Key.Key_3, marked)
    assert len(collection.reviews()) == 1
    assert window.review_page.screen is Screen.ANSWER


@pytest.mark.parametrize("marked", [True, False], ids=["marked", "unmarked"])
def test_holding_enter_on_the_deck_list_does_not_start_a_deck(window, marked):
    held(window, Qt.Key.Key_Return, marked)
    assert window.pages.currentWidget() is window.deck_page


def test_quick_presses_of_the_same_key_each_count(window, press, collection):
    open_faq(window, press)
    for _ in range(3):
        press(window, Qt.Key.Key_Space)
        press(window, Qt.Key.Key_3)
    assert len(collection.reviews()) == 3


def test_the_grade_buttons_name_their_keys(window, press):
    open_faq(window, press)
    press(window, Qt.Key.Key_Space)
    for rating, button in window.review_page.grade_buttons.items():
        assert f"({int(rating)})" in button.text().split("\n")[0]
    assert "Space" in window.review_page.show_answer_button.text()


def test_ctrl_z_puts_the_graded_card_back_on_screen(window, press, collection):
    open_faq(window, press)
    assert not window.undo_action.isEnabled()
    first = card_text(window)
    press(window, Qt.Key.Key_Space)
    press(window, Qt.Key.Key_3)
    assert card_text(window) != first and counters(window) == (7, 1, 0)
    assert window.undo_action.text() == "&Undo Good" and window.undo_action.isEnabled()
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert card_text(window) == first
    assert window.review_page.screen is Screen.QUESTION
    assert counters(window) == (8, 0, 0)
    assert collection.reviews() == []
    assert not window.undo_action.isEnabled()
    assert "Undone: Good" in window.statusBar().currentMessage()


def test_a_grade_updates_its_deck_row_without_reading_every_deck_again(
        window, qtbot, press, shown_rows):
    model = window.deck_page.table.model()
    with qtbot.assertNotEmitted(model.modelReset):
        open_faq(window, press)
        press(window, Qt.Key.Key_Space)
        press(window, Qt.Key.Key_3)
        press(window, Qt.Key.Key_Escape)
    assert shown_rows(window)["The 400 Blows: FAQ"] == (7, 1, 0, 8)
    assert shown_rows(window)["The 400 Blows: Facts"] == (20, 0, 0, 30)


def test_undo_on_the_deck_list_brings_the_counts_back(window, press, shown_rows):
    open_faq(window, press)
    press(window, Qt.Key.Key_Space)
    press(window, Qt.Key.Key_4)
    press(window, Qt.Key.Key_Escape)
    assert shown_rows(window)["The 400 Blows: FAQ"] == (7, 0, 0, 8)
    window.undo_action.trigger()
    assert shown_rows(window)["The 400 Blows: FAQ"] == (8, 0, 0, 8)
    assert window.deck_page.totals_label.text().startswith("Today: 28 new")
