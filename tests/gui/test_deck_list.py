import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from flashcards.core.progress import Rating
from flashcards.gui.deck_tree import Column, DeckTreeModel

pytestmark = pytest.mark.gui


def test_deck_list_shows_both_decks_with_todays_counts(window, shown_rows):
    assert window.windowTitle() == "Flashcards"
    # New cards are capped at 20 a day, so the 30-card deck shows 20 new.
    assert shown_rows(window) == {
        "The 400 Blows: Facts": (20, 0, 0, 30),
        "The 400 Blows: FAQ": (8, 0, 0, 8),
    }
    assert "28 new" in window.deck_page.totals_label.text()
    assert "38 cards in 2 decks" in window.deck_page.totals_label.text()


def test_the_list_has_the_focus_with_the_first_deck_selected(window):
    assert window.focusWidget() is window.deck_page.table
    assert window.deck_page.selected_deck_id() == "the-400-blows-facts"


def test_the_deck_model_behaves_as_qt_expects(qtmodeltester, collection):
    model = DeckTreeModel(collection)
    qtmodeltester.check(model)
    card = collection.next_card("the-400-blows-faq")
    collection.preview(card.id)
    collection.grade(card.id, Rating.GOOD)
    model.refresh()
    qtmodeltester.check(model)
    faq = model.index_of("the-400-blows-faq").row()
    assert model.index(faq, Column.NEW).data() == "7"
    assert model.index(faq, Column.LEARNING).data() == "1"
    assert model.headerData(Column.DUE, Qt.Orientation.Horizontal) == "Due"


def test_an_empty_collection_says_how_to_add_decks(make_window, open_collection):
    window = make_window(open_collection())
    assert window.deck_page.empty_label.isVisible()
    assert "Import" in window.deck_page.empty_label.text()
    assert not window.deck_page.study_button.isEnabled()


def test_counts_follow_the_clock_when_the_window_is_activated(window, qtbot, clock, collection,
                                                              press, shown_rows):
    press(window, Qt.Key.Key_Down)
    press(window, Qt.Key.Key_Return)
    for key in (Qt.Key.Key_Space, Qt.Key.Key_4):
        press(window, key)
    press(window, Qt.Key.Key_Escape)
    assert shown_rows(window)["The 400 Blows: FAQ"] == (7, 0, 0, 8)
    elsewhere = QWidget()  # the person switches to another window for a while
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    elsewhere.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow())
    clock.advance(days=30)  # the Easy card is due again, and it is a new day
    assert shown_rows(window)["The 400 Blows: FAQ"] == (7, 0, 0, 8)
    window.activateWindow()
    qtbot.waitUntil(lambda: shown_rows(window)["The 400 Blows: FAQ"] == (7, 0, 1, 8))
    assert window.deck_page.selected_deck_id() == "the-400-blows-faq"
