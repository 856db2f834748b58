"""The app as a screen reader has it: every control of every window named by what it does, the
review screen saying each card and each notice as it appears, every action within reach of the
keyboard, and Help > Keyboard shortcuts listing every key the windows answer to."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from learner_history import add_learner_history
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QApplication,
                               QComboBox, QGraphicsView, QLineEdit, QPlainTextEdit, QSlider,
                               QTextEdit, QWidget)
from studied_days import lapse_seven_times

from flashcards.core.backups import Backup
from flashcards.core.progress import Rating
from flashcards.core.review import Screen
from flashcards.gui.break_dialog import BacklogDialog, BreakDialog
from flashcards.gui.card_fields import FORMAT_KEYS
from flashcards.gui.dialogs import BackupChooser
from flashcards.gui.optimise_dialog import OptimiseDialog
from flashcards.gui.preferences_window import PreferencesWindow
from flashcards.gui.retention_dialog import RetentionDialog
from flashcards.gui.statistics_window import StatisticsWindow

pytestmark = pytest.mark.gui

Name, Description = QAccessible.Text.Name, QAccessible.Text.Description
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
# What a person works: a screen reader must be able to say what each is.
CONTROLS = (QAbstractButton, QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox,
            QAbstractItemView, QSlider, QGraphicsView)
FIRST_FAQ = "Who directed The 400 Blows?"
SECOND_FAQ = "When was The 400 Blows released?"
FORECAST_MS = 20_000


# -- what a screen reader says --------------------------------------------------------------------
def interface(widget: QWidget):
    return QAccessible.queryAccessibleInterface(widget)


def spoken_name(widget: QWidget) -> str:
    """The name a screen reader says for a control. A combo box's accessible name is its current
    value on Linux; there, as for any control whose name is only its value, the label it is
    labelled by (its buddy, or its form row's label) names it."""
    control = interface(widget)
    name = control.text(Name)
    if name and name != control.text(QAccessible.Text.Value):
        return name
    labels = [label.text(Name) for label, _relation in
              control.relations(QAccessible.RelationFlag.Label)]
    return labels[0] if labels else ""


def says_what_it_is(name: str) -> bool:
    """A word, on one line: not a sign ("⚙", "•"), a lone letter ("B"), or the button's text
    with its key and interval under it."""
    return bool(re.search(r"[^\W\d_]{2}", name)) and "\n" not in name


def controls(top: QWidget) -> list[QWidget]:
    """The controls on screen in a window: widgets of a kind a person works, or that take the
    focus with Tab; a control's own parts (a spin box's line edit, a table's header) are left
    to the control."""
    found = []
    for widget in top.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if not (isinstance(widget, CONTROLS) or widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            continue
        above = widget.parentWidget()
        while above is not None and above is not top and not isinstance(above, CONTROLS):
            above = above.parentWidget()
        if above is None or above is top:
            found.append(widget)
    return found


def unnamed(top: QWidget) -> list[str]:
    return [f"{type(widget).__name__} {widget.objectName()!r}: {spoken_name(widget)!r}"
            for widget in controls(top) if not says_what_it_is(spoken_name(widget))]


# -- every window, opened as a person opens it ----------------------------------------------------
def activated(window, qtbot):
    """In front and taking the keys, as after a click on it: menu shortcuts need that."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def open_faq(window, press):
    press(window, Qt.Key.Key_Down)  # the FAQ deck is second
    press(window, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.review_page


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def deck_list(window, press, qtbot, collection):
    return window


def question(window, press, qtbot, collection):
    open_faq(window, press)
    return window


def answer(window, press, qtbot, collection):
    open_faq(window, press)
    press(window, Qt.Key.Key_Space)
    return window


def card_editor(window, press, qtbot, collection):
    open_faq(window, press)
    press(window, Qt.Key.Key_E)
    assert window.review_page.editing
    return window


def finished(window, press, qtbot, collection):
    collection.change_setting("new_per_day", 1)
    open_faq(window, press)
    press(window, Qt.Key.Key_Space)
    press(window, Qt.Key.Key_4)
    assert window.review_page.study_more_button.isVisible()
    return window


def add_window(window, press, qtbot, collection):
    press(window, Qt.Key.Key_A)
    return window.card_actions.add_window


def browser(window, press, qtbot, collection):
    press(activated(window, qtbot), Qt.Key.Key_B)
    return window.browser


def deck_options(window, press, qtbot, collection):
    press(window, Qt.Key.Key_O)
    return window.deck_page.options_window


def preferences(window, press, qtbot, collection):
    press(activated(window, qtbot), Qt.Key.Key_P, CTRL)
    return window.findChild(PreferencesWindow)


def statistics(window, press, qtbot, collection):
    press(activated(window, qtbot), Qt.Key.Key_T)
    return window.findChild(StatisticsWindow)


def keyboard_shortcuts(window, press, qtbot, collection):
    press(activated(window, qtbot), Qt.Key.Key_F1)
    return QApplication.activeModalWidget()


def about(window, press, qtbot, collection):
    window.about_action.trigger()
    return QApplication.activeModalWidget()


def plan_a_break(window, press, qtbot, collection):
    return shown(qtbot, BreakDialog(collection, window))


def spread_backlog(window, press, qtbot, collection):
    return shown(qtbot, BacklogDialog(collection, window))


def optimise(window, press, qtbot, collection):
    dialog = shown(qtbot, OptimiseDialog(collection, window))
    dialog.start()  # too few reviews: it says so at once
    return dialog


def desired_retention(window, press, qtbot, collection):
    add_learner_history(collection, collection.clock.now() - timedelta(days=60), days=58)
    dialog = RetentionDialog(collection, window)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.forecast_shown, timeout=FORECAST_MS):
        dialog.show()
    assert dialog.plot.isVisible()
    return dialog


def restore_backup(window, press, qtbot, collection):
    backups = [Backup(date(2025, 3, 9), "test-device", collection.store.folder / "none.json")]
    return shown(qtbot, BackupChooser(window, backups, "test-device"))


WINDOWS = [deck_list, question, answer, card_editor, finished, add_window, browser, deck_options,
           preferences, statistics, keyboard_shortcuts, about, plan_a_break, spread_backlog,
           optimise, desired_retention, restore_backup]


@pytest.mark.parametrize("open_window", WINDOWS, ids=[opener.__name__ for opener in WINDOWS])
def test_every_control_has_a_name_that_says_what_it_is(open_window, window, press, qtbot,
                                                       collection):
    top = open_window(window, press, qtbot, collection)
    assert top is not None and top.isVisible()
    assert controls(top), "no control found: the window did not open"
    assert unnamed(top) == []


# -- names and descriptions that follow the screen ------------------------------------------------
def test_grade_buttons_say_the_grade_then_when_the_card_comes_back(window, press):
    answer(window, press, None, None)
    buttons = list(window.review_page.grade_buttons.values())
    easy_days = re.fullmatch(r"Easy \(4\)\n(\d+)d", buttons[3].text()).group(1)  # fuzzed
    assert [button.text() for button in buttons[:3]] == [
        "Again (1)\n1m", "Hard (2)\n6m", "Good (3)\n10m"]
    assert [spoken_name(button) for button in buttons] == ["Again", "Hard", "Good", "Easy"]
    assert [interface(button).text(Description) for button in buttons] == [
        "Next review in 1 minute, key 1", "Next review in 6 minutes, key 2",
        "Next review in 10 minutes, key 3", f"Next review in {easy_days} days, key 4"]


def test_buttons_that_show_their_key_are_named_without_it(window, press):
    open_faq(window, press)
    button = window.review_page.show_answer_button
    assert button.text() == "Show answer  (Space)"
    assert spoken_name(button) == "Show answer"
    assert interface(button).text(Description) == "Key: Space"


def test_the_review_screen_is_named_by_the_deck_being_studied(window, press):
    open_faq(window, press)
    assert window.focusWidget() is window.review_page
    assert spoken_name(window.review_page) == "Studying The 400 Blows: FAQ"


def test_the_statistics_plots_describe_their_figures(window, press, qtbot, collection):
    top = statistics(window, press, qtbot, collection)
    description = interface(top.plots).text(Description)
    assert description.startswith("Reviews per day: 0")
    assert "Due in the next 30 days: " in description and "Cards: 38" in description


# -- the review screen's announcements -----------------------------------------------------------
def test_the_question_then_the_answer_is_announced(window, press, screen_reader):
    view = window.review_page.card_view
    open_faq(window, press)
    assert screen_reader.announcements() == [FIRST_FAQ]
    assert screen_reader.announcements(view) == [FIRST_FAQ]
    assert interface(view).text(Description) == FIRST_FAQ
    press(window, Qt.Key.Key_Space)
    assert screen_reader.announcements() == [FIRST_FAQ, "François Truffaut"]
    assert interface(view).text(Description) == "François Truffaut"
    press(window, Qt.Key.Key_3)
    assert screen_reader.announcements()[-1] == SECOND_FAQ


@pytest.fixture
def bundled_window(make_window, tmp_path, clock):
    """The window on a first start: the bundled decks, their cloze facts first."""
    from flashcards.app import open_collection

    collection = open_collection(tmp_path / "first-start", clock=clock)
    yield make_window(collection)
    collection.close()


def test_a_cloze_is_announced_with_blank_for_the_hidden_words(bundled_window, press,
                                                              screen_reader):
    window = bundled_window
    press(window, Qt.Key.Key_Return)
    assert window.review_page.card_view.toPlainText().endswith("released in [...].")
    press(window, Qt.Key.Key_Space)
    assert screen_reader.announcements() == [
        "The movie “The 400 Blows” is a French film released in blank.",
        "The movie “The 400 Blows” is a French film released in 1959."]


def test_a_notice_is_announced_then_the_next_card(window, press, screen_reader):
    page = window.review_page
    open_faq(window, press)
    screen_reader.clear()
    press(window, Qt.Key.Key_Minus)
    assert screen_reader.announcements() == ["Card buried until tomorrow.", SECOND_FAQ]
    assert screen_reader.announcements(page.notice_line) == ["Card buried until tomorrow."]
    # While it shows, the notice is there to be read again.
    assert spoken_name(page.notice_line) == "Card buried until tomorrow."


def test_a_flag_is_announced_and_the_card_is_not_said_again(window, press, screen_reader):
    open_faq(window, press)
    press(window, Qt.Key.Key_Space)
    screen_reader.clear()
    press(window, Qt.Key.Key_1, CTRL)
    assert screen_reader.announcements() == ["Flagged red."]
    assert spoken_name(window.review_page.flag_mark) == "Flagged red"


def test_a_leech_is_announced_then_the_finished_screen(make_window, collection, clock, press,
                                                       screen_reader):
    lapse_seven_times(collection, clock, "faq-1")
    collection.suspend([f"faq-{i}" for i in range(2, 9)])
    window = make_window(collection)
    open_faq(window, press)
    press(window, Qt.Key.Key_Space)
    screen_reader.clear()
    press(window, Qt.Key.Key_1)
    leech, finished_text = screen_reader.announcements()
    assert leech == "This card is a leech: it was forgotten 8 times and is now suspended."
    assert finished_text.startswith("Congratulations!")


def test_the_finished_screen_is_announced(window, press, screen_reader, collection):
    finished(window, press, None, collection)
    assert screen_reader.announcements(window.review_page.finished_page) == [
        "Congratulations! You have finished this deck for today. "
        "The next card is due tomorrow at 04:00. "
        "7 new cards are left beyond today's limit."]


def test_a_screen_reader_is_told_the_screen_and_the_card_changed(window, press, screen_reader):
    """Sent by Qt itself when a name or a description changes: a screen reader that looks at the
    review screen or the card reads them anew."""
    open_faq(window, press)
    assert screen_reader.changed(QAccessible.Event.NameChanged, window.review_page)
    assert screen_reader.changed(QAccessible.Event.DescriptionChanged,
                                 window.review_page.card_view)


# -- every action from the keyboard, and every key in Help > Keyboard shortcuts ------------------
def test_c_studies_more_new_cards_from_the_finished_screen(window, press, collection):
    finished(window, press, None, collection)
    assert window.review_page.study_more_button.toolTip() == "C"
    press(window, Qt.Key.Key_C)
    assert window.review_page.screen is Screen.QUESTION
    assert window.undo_action.text() == "&Undo Custom study"


def test_c_does_nothing_when_no_more_new_cards_wait(window, press, collection):
    for number in range(1, 9):
        collection.preview(f"faq-{number}")
        collection.grade(f"faq-{number}", Rating.EASY)
    open_faq(window, press)
    press(window, Qt.Key.Key_C)
    assert window.review_page.screen is Screen.FINISHED
    assert collection.undo_label == "Easy"


def test_ctrl_shift_l_makes_a_bulleted_list(window, press, qtbot):
    add = add_window(window, press, qtbot, None)
    qtbot.keyClicks(add.front_field, "Truffaut")
    qtbot.keyClick(add.front_field, Qt.Key.Key_L, CTRL_SHIFT)
    assert add.front_field.card_html() == "<ul><li>Truffaut</li></ul>"
    assert add.format_bar.list_button.toolTip() == "Bulleted list (Ctrl+Shift+L)"


def key_text(sequence: QKeySequence) -> str:
    # Return and the keypad's Enter are one key to a person: the list names it once, as Enter
    # or Return.
    return sequence.toString().replace("Return", "Enter")


def listed_keys(lines: list[str]) -> set[str]:
    """The keys the shortcut list names: "3, Space or Enter", "Ctrl+B / Ctrl+I", and runs
    such as "Ctrl+1 … Ctrl+4", each key on its own."""
    keys = set()
    for line in lines:
        for part in re.split(r" / |, | or ", line.partition(": ")[0]):
            run = re.fullmatch(r"(.*?)(\d) … \1(\d)", part)
            names = ([f"{run[1]}{n}" for n in range(int(run[2]), int(run[3]) + 1)] if run
                     else [part])
            keys |= {key_text(QKeySequence(name)) for name in names}
    return keys


def test_the_shortcut_list_names_every_key_of_every_window(window, qtbot):
    """Every shortcut of the main window, its review screen's editor, the Add window and the
    Browse window, as Qt has them, and every key the card fields format with, is in
    Help > Keyboard shortcuts."""
    window.add_action.trigger()
    window.browse_action.trigger()
    bound = {key_text(sequence) for action in window.findChildren(QAction)
             for sequence in action.shortcuts()}
    bound |= {key_text(sequence) for shortcut in window.findChildren(QShortcut)
              for sequence in shortcut.keys()}
    bound |= {key_text(QKeySequence(keys)) for keys in FORMAT_KEYS}
    assert {"Ctrl+N", "A", "F2", "Ctrl+Enter", "Ctrl+J", "Ctrl+7", "Esc", "Ctrl+U"} <= bound
    window.shortcuts_action.trigger()
    dialog = QApplication.activeModalWidget()
    assert dialog.windowTitle() == "Keyboard shortcuts"
    assert bound - listed_keys(dialog.lines()) == set()


def test_the_shortcut_list_names_the_finished_screens_key_and_the_menus(window):
    window.shortcuts_action.trigger()
    lines = QApplication.activeModalWidget().lines()
    for line in ("C: When the deck is finished: study more new cards today",
                 "Alt+letter: Open a menu, or go to a field, by its underlined letter"):
        assert line in lines
