"""The card browser: opened with B, searched, sorted, and every change made from it undoable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from flashcards.core.progress import Rating
from flashcards.core.search import SearchError
from flashcards.gui import dialogs
from flashcards.gui.card_table import Column

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
FAQ = "The 400 Blows: FAQ"


@pytest.fixture
def open_browser(qtbot, press):
    def _open(window):
        with qtbot.waitActive(window):  # B is the main window's key: for the active window
            window.activateWindow()
        press(window, Qt.Key.Key_B)
        browser = window.browser
        with qtbot.waitActive(browser):
            browser.activateWindow()
        # The review counts are read on a thread: the tests look at a browser that has them.
        qtbot.waitUntil(lambda: cell(browser, 0, Column.REVIEWS) != "")
        return browser

    return _open


@pytest.fixture
def browser(window, open_browser):
    return open_browser(window)


def test_the_browser_opens_no_larger_than_the_screen(browser):
    screen = browser.screen().availableGeometry()
    assert browser.frameGeometry().width() <= screen.width()
    assert browser.frameGeometry().height() <= screen.height()


def test_what_another_computer_changed_shows_in_the_open_browser(window, open_browser, data_dir,
                                                                clock, qtbot):
    from datetime import timezone

    from flashcards.core.collection import Collection

    browser = open_browser(window)
    with Collection.open(data_dir, "other-computer", clock=clock, tz=timezone.utc) as other:
        other.edit_card("faq-1", front="Edited on the other computer")
    with qtbot.waitActive(window):  # back at the main window: it looks for others' changes
        window.activateWindow()
    qtbot.waitUntil(lambda: "Edited on the other computer" in column_texts(browser, Column.FRONT))


def cell(browser, row: int, column: Column) -> str:
    return browser.model.index(row, column).data(Qt.ItemDataRole.DisplayRole)


def column_texts(browser, column: Column) -> list[str]:
    return [cell(browser, row, column) for row in range(browser.model.rowCount())]


def search(qtbot, browser, text: str) -> None:
    browser.search_box.clear()
    qtbot.keyClicks(browser.search_box, text)
    qtbot.keyClick(browser.search_box, Qt.Key.Key_Return)


def click_row(qtbot, browser, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    table = browser.table
    rect = table.visualRect(browser.model.index(row, Column.FRONT))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def tree_item(browser, *path: str):
    """The sidebar's item at `path` under Decks or Tags ("Decks", "French", "Verbs")."""
    roots = browser.sidebar
    item = next(roots.topLevelItem(i) for i in range(roots.topLevelItemCount())
                if roots.topLevelItem(i).text(0) == path[0])
    for name in path[1:]:
        item = next(item.child(i) for i in range(item.childCount())
                    if item.child(i).text(0) == name)
    return item


def click_tree_item(qtbot, browser, *path: str) -> None:
    rect = browser.sidebar.visualItemRect(tree_item(browser, *path))
    qtbot.mouseClick(browser.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_header(qtbot, browser, column: Column) -> None:
    header = browser.table.horizontalHeader()
    where = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2,
                   header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)


def test_b_opens_the_browser_on_every_card_and_edit_menu_has_browse(window, browser):
    assert browser.isVisible()
    assert browser.model.rowCount() == 38
    assert window.browse_action.shortcut().toString() == "B"
    edit_menu = window.menuBar().actions()[1].menu()
    assert window.browse_action in edit_menu.actions()
    assert browser.windowTitle() == "Browse (1 of 38 cards selected)"


def test_b_on_the_review_screen_opens_the_browser_on_the_card_shown(
        qtbot, window, press, open_browser):
    window.deck_page.select_deck("the-400-blows-faq")
    press(window, Qt.Key.Key_Return)
    shown = window.review_page.session.card.id
    browser = open_browser(window)
    assert browser.model.card_id(browser.table.currentIndex().row()) == shown
    assert browser.selected_card_ids() == [shown]
    assert window.review_page.session.card.id == shown, "the review goes on"


def test_cells_show_plain_text_and_the_cards_progress(browser, collection):
    assert cell(browser, 0, Column.FRONT) == "Fact number 1 about The 400 Blows?"
    assert cell(browser, 0, Column.DECK) == "The 400 Blows: Facts"
    assert (cell(browser, 0, Column.DUE), cell(browser, 0, Column.INTERVAL)) == ("New", "(new)")
    assert cell(browser, 0, Column.REVIEWS) == "0"


def test_a_search_narrows_the_table(qtbot, browser):
    search(qtbot, browser, f'deck:"{FAQ}"')
    assert browser.model.rowCount() == 8
    assert set(column_texts(browser, Column.DECK)) == {FAQ}
    assert not browser.search_error.isVisible()


def test_a_search_it_cannot_read_says_why_and_keeps_the_last_cards(qtbot, browser, collection):
    search(qtbot, browser, f'deck:"{FAQ}"')
    with pytest.raises(SearchError) as raised:
        collection.find_cards('deck:"French')
    search(qtbot, browser, 'deck:"French')
    assert browser.search_error.isVisible()
    assert browser.search_error.text() == str(raised.value)
    assert browser.model.rowCount() == 8
    search(qtbot, browser, "")
    assert not browser.search_error.isVisible() and browser.model.rowCount() == 38


def test_sorting_by_due_puts_the_soonest_first_and_new_cards_last(
        qtbot, window, collection, clock, open_browser):
    collection.grade("fact-5", Rating.EASY)  # in a few days
    collection.grade("faq-2", Rating.AGAIN)  # in a minute
    collection.grade("fact-1", Rating.GOOD)  # in ten minutes
    browser = open_browser(window)
    click_header(qtbot, browser, Column.DUE)
    fronts = column_texts(browser, Column.FRONT)
    assert fronts[:3] == ["When was The 400 Blows released?", "Fact number 1 about The 400 Blows?",
                          "Fact number 5 about The 400 Blows?"]
    assert column_texts(browser, Column.DUE)[3:] == ["New"] * 35
    # New cards keep the search's order among themselves: sorting is stable.
    assert fronts[3:5] == ["Fact number 2 about The 400 Blows?",
                           "Fact number 3 about The 400 Blows?"]
    click_header(qtbot, browser, Column.DUE)
    assert column_texts(browser, Column.FRONT)[-3:] == fronts[:3][::-1]


def test_sorting_by_retrievability_puts_the_likeliest_forgotten_first_and_new_cards_last(
        qtbot, window, collection, clock, open_browser):
    collection.grade("fact-5", Rating.EASY)
    collection.grade("faq-2", Rating.HARD)
    collection.grade("fact-1", Rating.GOOD)
    clock.advance(days=3)
    browser = open_browser(window)
    click_header(qtbot, browser, Column.RETRIEVABILITY)
    shown = column_texts(browser, Column.RETRIEVABILITY)
    assert column_texts(browser, Column.FRONT)[:3] == [
        "When was The 400 Blows released?", "Fact number 1 about The 400 Blows?",
        "Fact number 5 about The 400 Blows?"]
    assert [int(text.rstrip("%")) for text in shown[:3]] == sorted(
        int(text.rstrip("%")) for text in shown[:3])
    assert shown[3:] == [""] * 35


def test_three_rows_deleted_after_asking_and_ctrl_z_brings_them_back(
        qtbot, monkeypatch, window, browser, shown_rows):
    asked = []
    monkeypatch.setattr(dialogs, "ask_confirmation",
                        lambda parent, title, question: asked.append(question) or True)
    fronts = column_texts(browser, Column.FRONT)
    click_row(qtbot, browser, 0)
    click_row(qtbot, browser, 2, SHIFT)
    qtbot.keyClick(browser.table, Qt.Key.Key_Delete)
    assert asked == ["Delete 3 cards?"]
    assert browser.model.rowCount() == 35
    assert column_texts(browser, Column.FRONT) == fronts[3:]
    assert shown_rows(window)["The 400 Blows: Facts"][3] == 27, "the main window follows"
    qtbot.keyClick(browser.table, Qt.Key.Key_Z, CTRL)
    assert sorted(column_texts(browser, Column.FRONT)) == sorted(fronts)
    assert shown_rows(window)["The 400 Blows: Facts"][3] == 30
    assert browser.statusBar().currentMessage() == "Undone: Delete."
    qtbot.keyClick(browser.table, Qt.Key.Key_Z, CTRL | SHIFT)
    assert browser.model.rowCount() == 35


def test_delete_asks_and_no_keeps_the_cards(qtbot, monkeypatch, browser, collection):
    monkeypatch.setattr(dialogs, "ask_confirmation", lambda parent, title, question: False)
    click_row(qtbot, browser, 0)
    qtbot.keyClick(browser.table, Qt.Key.Key_Delete)
    assert browser.model.rowCount() == 38 and collection.card_count("the-400-blows-facts") == 30


def test_ctrl_j_suspends_and_again_unsuspends(qtbot, browser, collection):
    click_row(qtbot, browser, 1)
    click_row(qtbot, browser, 3, CTRL)
    qtbot.keyClick(browser.table, Qt.Key.Key_J, CTRL)
    assert collection.marks("fact-2").suspended and collection.marks("fact-4").suspended
    assert not collection.marks("fact-3").suspended
    qtbot.keyClick(browser.table, Qt.Key.Key_J, CTRL)
    assert not collection.marks("fact-2").suspended


def test_a_flag_colours_its_cell_and_the_same_flag_again_takes_it_off(qtbot, browser, collection):
    click_row(qtbot, browser, 0)
    qtbot.keyClick(browser.table, Qt.Key.Key_1, CTRL)
    assert collection.marks("fact-1").flag == 1
    assert cell(browser, 0, Column.FLAG) == "Red"
    assert browser.model.index(0, Column.FLAG).data(Qt.ItemDataRole.BackgroundRole) is not None
    qtbot.keyClick(browser.table, Qt.Key.Key_4, CTRL)
    assert collection.marks("fact-1").flag == 4
    qtbot.keyClick(browser.table, Qt.Key.Key_4, CTRL)
    assert collection.marks("fact-1").flag == 0 and cell(browser, 0, Column.FLAG) == ""


def test_select_all_then_a_flag_marks_every_card_in_one_undoable_step(qtbot, browser, collection):
    browser.table.setFocus()
    qtbot.keyClick(browser.table, Qt.Key.Key_A, CTRL)
    assert browser.windowTitle() == "Browse (38 of 38 cards selected)"
    qtbot.keyClick(browser.table, Qt.Key.Key_3, CTRL)
    assert set(column_texts(browser, Column.FLAG)) == {"Green"}
    qtbot.keyClick(browser.table, Qt.Key.Key_Z, CTRL)
    assert set(column_texts(browser, Column.FLAG)) == {""}
    assert collection.marks("faq-8").flag == 0


def test_reset_makes_a_studied_card_new_again(qtbot, window, collection, open_browser):
    collection.grade("fact-1", Rating.GOOD)
    browser = open_browser(window)
    assert cell(browser, 0, Column.DUE) != "New"
    click_row(qtbot, browser, 0)
    qtbot.keyClick(browser.table, Qt.Key.Key_N, CTRL | ALT)
    assert collection.progress("fact-1") is None
    assert cell(browser, 0, Column.DUE) == "New"
    assert cell(browser, 0, Column.REVIEWS) == "1", "the history stays"


def test_tags_added_and_removed_show_in_the_table_and_the_tree(
        qtbot, monkeypatch, browser, collection):
    answers = iter(["film french", "film"])
    monkeypatch.setattr(dialogs, "ask_text", lambda parent, title, question: next(answers))
    click_row(qtbot, browser, 0)
    click_row(qtbot, browser, 1, SHIFT)
    qtbot.keyClick(browser.table, Qt.Key.Key_A, CTRL | SHIFT)
    assert collection.card("fact-1")[1].tags == ("film", "french")
    assert cell(browser, 1, Column.TAGS) == "film french"
    tags = tree_item(browser, "Tags")
    assert [tags.child(i).text(0) for i in range(tags.childCount())] == ["film", "french"]
    qtbot.keyClick(browser.table, Qt.Key.Key_A, CTRL | ALT | SHIFT)
    assert collection.card("fact-2")[1].tags == ("french",)
    click_tree_item(qtbot, browser, "Tags", "french")
    assert browser.search_box.text() == "tag:french"
    assert column_texts(browser, Column.TAGS) == ["french", "french"]


def test_change_deck_moves_the_selected_cards(qtbot, monkeypatch, browser, collection):
    monkeypatch.setattr(dialogs, "ask_deck",
                        lambda parent, title, question, decks, current: "the-400-blows-faq")
    click_row(qtbot, browser, 0)
    qtbot.keyClick(browser.table, Qt.Key.Key_D, CTRL)
    assert collection.card("fact-1")[0].id == "the-400-blows-faq"
    assert browser.model.rowCount() == 38
    row = browser.model.row_of("fact-1")
    assert cell(browser, row, Column.DECK) == FAQ
    assert browser.table.currentIndex().row() == row, "the moved card stays the current one"


def test_editing_the_front_saves_on_ctrl_return(qtbot, browser, collection):
    click_row(qtbot, browser, 2)
    editor = browser.editor.front
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(editor, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(editor, "Who wrote it?")
    assert collection.card("fact-3")[1].front.startswith("Fact number 3")
    qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)
    assert collection.card("fact-3")[1].front == "Who wrote it?"
    assert cell(browser, 2, Column.FRONT) == "Who wrote it?"
    assert editor.toPlainText() == "Who wrote it?"


def test_editing_the_back_saves_when_the_focus_leaves(qtbot, browser, collection):
    click_row(qtbot, browser, 0)
    editor = browser.editor.back
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(editor, Qt.Key.Key_End, CTRL)
    qtbot.keyClicks(editor, " Really.")
    click_row(qtbot, browser, 1)
    assert collection.card("fact-1")[1].back == "The answer to fact 1. Really."
    assert browser.editor.back.toPlainText() == "The answer to fact 2."
    qtbot.keyClick(browser.table, Qt.Key.Key_Z, CTRL)
    assert collection.card("fact-1")[1].back == "The answer to fact 1."


def test_typing_not_yet_saved_survives_a_change_to_the_same_card(qtbot, browser, collection):
    click_row(qtbot, browser, 0)
    editor = browser.editor.front
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(editor, Qt.Key.Key_End, CTRL)
    qtbot.keyClicks(editor, " Twice.")
    qtbot.keyClick(editor, Qt.Key.Key_2, CTRL)  # the flag goes on the card being edited
    assert collection.marks("fact-1").flag == 2
    assert editor.toPlainText().endswith("Blows? Twice.")
    qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)
    assert collection.card("fact-1")[1].front == "Fact number 1 about <i>The 400 Blows</i>? Twice."


def test_clicking_a_deck_in_the_tree_searches_for_it(qtbot, browser):
    click_tree_item(qtbot, browser, "Decks", FAQ)
    assert browser.search_box.text() == f'deck:"{FAQ}"'
    assert browser.model.rowCount() == 8


def test_subdecks_are_a_tree_of_their_names_parts(qtbot, window, collection, open_browser):
    collection.create_deck("French::Verbs")
    browser = open_browser(window)
    verbs = tree_item(browser, "Decks", "French", "Verbs")
    assert verbs.data(0, Qt.ItemDataRole.UserRole) == 'deck:"French::Verbs"'


def test_a_deck_whose_name_holds_search_characters_is_found_by_its_item(
        qtbot, window, collection, open_browser):
    for name in ('Say "hi" *now*', 'Say "hi" then'):
        (deck_id,) = collection.create_deck(name).created
        collection.add_card(deck_id, f"In {name}", "answer")
    browser = open_browser(window)
    click_tree_item(qtbot, browser, "Decks", 'Say "hi" *now*')
    assert column_texts(browser, Column.FRONT) == ['In Say "hi" *now*']


def test_a_grade_in_the_main_window_counts_in_the_reviews_column(qtbot, window, browser, press):
    with qtbot.waitActive(window):
        window.activateWindow()
    window.deck_page.select_deck("the-400-blows-faq")
    press(window, Qt.Key.Key_Return)
    shown = window.review_page.session.card.id
    press(window, Qt.Key.Key_Space)
    press(window, Qt.Key.Key_3)
    row = browser.model.row_of(shown)
    assert cell(browser, row, Column.REVIEWS) == "1"
    assert cell(browser, row, Column.DUE) != "New"
    press(window, Qt.Key.Key_Z, CTRL)
    assert (cell(browser, row, Column.REVIEWS), cell(browser, row, Column.DUE)) == ("0", "New")
    press(window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert cell(browser, row, Column.REVIEWS) == "1", "redone"


def test_the_table_model_passes_qts_checks(qtmodeltester, qtbot, browser):
    qtmodeltester.check(browser.model)
    click_header(qtbot, browser, Column.FRONT)
    qtmodeltester.check(browser.model)


def test_the_browser_closes_with_escape_and_opens_again(qtbot, window, browser, open_browser):
    qtbot.keyClick(browser.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.browser is None)
    QApplication.processEvents()
    assert open_browser(window).model.rowCount() == 38


def column_action(browser, column: Column):
    return next(action for action in browser.table.columns_menu.actions()
                if action.text().replace("&", "") == column.title)


def test_right_clicking_the_header_offers_the_columns(qtbot, browser):
    from PySide6.QtGui import QContextMenuEvent

    header = browser.table.horizontalHeader()
    position = QPoint(header.sectionViewportPosition(Column.DUE) + 5, header.height() // 2)
    QApplication.sendEvent(header.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, position, header.viewport().mapToGlobal(position)))
    menu = browser.table.columns_menu
    qtbot.waitUntil(menu.isVisible)
    assert [action.text() for action in menu.actions()] == [column.title for column in Column]
    assert all(action.isChecked() for action in menu.actions())
    assert not column_action(browser, Column.FRONT).isEnabled(), "a row always shows its front"
    menu.close()


def test_a_hidden_column_gives_its_room_away_and_stays_hidden_next_time(qtbot, window, browser,
                                                                       open_browser):
    header = browser.table.horizontalHeader()
    front_before = header.sectionSize(Column.FRONT)
    column_action(browser, Column.STABILITY).trigger()  # a click on it in the menu
    column_action(browser, Column.DECK).trigger()
    assert header.isSectionHidden(Column.STABILITY) and header.isSectionHidden(Column.DECK)
    assert header.sectionSize(Column.FRONT) > front_before

    qtbot.keyClick(browser.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.browser is None)
    QApplication.processEvents()
    again = open_browser(window)
    header = again.table.horizontalHeader()
    assert header.isSectionHidden(Column.STABILITY) and header.isSectionHidden(Column.DECK)
    assert not column_action(again, Column.STABILITY).isChecked()

    column_action(again, Column.STABILITY).trigger()
    assert not header.isSectionHidden(Column.STABILITY)
    assert header.sectionSize(Column.STABILITY) > 0


def shown_width(browser) -> int:
    header = browser.table.horizontalHeader()
    return sum(header.sectionSize(column) for column in Column if not header.isSectionHidden(column))


def test_the_columns_fill_a_browser_made_larger_until_the_person_sizes_one(qtbot, browser):
    table, header = browser.table, browser.table.horizontalHeader()
    browser.resize(1800, browser.height())  # the window maximised on a large screen
    qtbot.waitUntil(lambda: abs(shown_width(browser) - table.viewport().width()) <= 2)
    browser.resize(1600, browser.height())
    qtbot.waitUntil(lambda: abs(shown_width(browser) - table.viewport().width()) <= 2)

    # The person drags the right edge of Back 40 px to the right.
    edge = header.sectionViewportPosition(Column.BACK) + header.sectionSize(Column.BACK) - 1
    middle = header.height() // 2
    back_before = header.sectionSize(Column.BACK)
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, middle))
    qtbot.mouseMove(header.viewport(), QPoint(edge + 20, middle))
    qtbot.mouseMove(header.viewport(), QPoint(edge + 40, middle))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge + 40, middle))
    chosen = header.sectionSize(Column.BACK)
    assert chosen > back_before
    browser.resize(browser.width() - 200, browser.height())
    QApplication.processEvents()
    assert header.sectionSize(Column.BACK) == chosen, "the person's width is kept"


def test_the_browser_opens_over_the_main_window(window, open_browser):
    window.setGeometry(window.screen().availableGeometry().adjusted(250, 200, -50, -100))
    browser = open_browser(window)
    assert browser.screen().availableGeometry().contains(browser.frameGeometry())
    assert browser.frameGeometry().contains(window.frameGeometry().center())
