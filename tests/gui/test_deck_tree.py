"""The deck list as a tree: subdecks under their parents with counts added up, collapsed as the
person left them, nested by dragging, and created, renamed and deleted there, each undoable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from flashcards.core.deck import Card, Deck
from flashcards.gui import dialogs
from flashcards.gui.deck_tree import Column, DeckTreeModel

pytestmark = pytest.mark.gui


def words(deck_id: str, name: str, count: int) -> Deck:
    return Deck(deck_id, name, cards=[Card(f"{deck_id}-{i}", f"{name} {i}?", f"answer {i}")
                                      for i in range(count)])


@pytest.fixture
def tree_collection(collection, data_dir, clock):
    """The two film decks, French with its Verbs, and Jazz under a Music no deck is named.

    The app creates a parent with its subdeck, so such a Music comes from two computers: one
    moved Jazz into Music while the other, not knowing, deleted the empty Music."""
    from datetime import timedelta, timezone

    from flashcards.core.collection import Collection

    collection.import_deck(words("fr", "French", 3), undoable=False)
    collection.import_deck(words("fr-verbs", "French::Verbs", 4), undoable=False)
    collection.import_deck(words("jazz", "Jazz", 2), undoable=False)
    music = collection.create_deck("Music").created[0]
    clock.advance(timedelta(minutes=1))
    with Collection.open(data_dir, "other-computer", clock=clock, tz=timezone.utc) as other:
        other.rename_deck("jazz", "Music::Jazz")
    clock.advance(timedelta(minutes=1))
    collection.remove_deck(music)
    collection.refresh()
    assert collection.deck("jazz").name == "Music::Jazz"
    assert "Music" not in [deck.name for deck in collection.decks()]
    return collection


@pytest.fixture
def tree_window(make_window, tree_collection):
    return make_window(tree_collection)


def shown_tree(window) -> dict[str, tuple[int, int, int, int]]:
    """Every row the tree holds, expanded or not: "Parent/Child" -> (new, learning, due, cards)."""
    model = window.deck_page.table.model()
    rows = {}

    def walk(parent, prefix):
        for row in range(model.rowCount(parent)):
            cells = [model.index(row, column, parent).data() for column in range(len(Column))]
            rows[prefix + cells[0]] = tuple(int(cell) for cell in cells[1:])
            walk(model.index(row, 0, parent), prefix + cells[0] + "/")

    walk(model.index(-1, -1), "")
    return rows


def row_index(window, deck_id):
    return window.deck_page.model.index_of(deck_id)


def visible(window, deck_id) -> bool:
    table = window.deck_page.table
    return table.visualRect(row_index(window, deck_id)).isValid()


def test_subdecks_show_under_their_parents_with_counts_added_up(tree_window):
    assert shown_tree(tree_window) == {
        "French": (7, 0, 0, 7),
        "French/Verbs": (4, 0, 0, 4),
        "Music": (2, 0, 0, 2),
        "Music/Jazz": (2, 0, 0, 2),
        "The 400 Blows: Facts": (20, 0, 0, 30),
        "The 400 Blows: FAQ": (8, 0, 0, 8),
    }
    assert visible(tree_window, "fr-verbs")  # expanded at first
    assert "of 47 cards in 5 decks" in tree_window.deck_page.totals_label.text()


def test_the_tree_model_behaves_as_qt_expects(qtmodeltester, tree_collection):
    model = DeckTreeModel(tree_collection)
    qtmodeltester.check(model)
    tree_collection.rename_deck("jazz", "French::Jazz")
    model.refresh()
    qtmodeltester.check(model)


def test_studying_a_parent_deck_studies_its_subdecks_too(tree_window, press):
    tree_window.deck_page.select_deck("fr")
    press(tree_window, Qt.Key.Key_Return)
    page = tree_window.review_page
    assert page.new_counter.number.text() == "7"
    for _ in range(4):  # French's three cards, then the first of its verbs
        press(tree_window, Qt.Key.Key_Space)
        press(tree_window, Qt.Key.Key_4)
    assert page.deck_label.text() == "French"
    assert page.new_counter.number.text() == "3"
    press(tree_window, Qt.Key.Key_Escape)
    assert shown_tree(tree_window)["French/Verbs"] == (3, 0, 0, 4)


def test_a_collapsed_deck_stays_collapsed_when_the_window_opens_again(
        tree_window, make_window, tree_collection, press):
    tree_window.deck_page.select_deck("fr")
    press(tree_window, Qt.Key.Key_Left)  # collapses French, as in any tree
    assert not visible(tree_window, "fr-verbs")
    tree_window.close()
    again = make_window(tree_collection)
    assert not visible(again, "fr-verbs")
    assert visible(again, "jazz")
    again.deck_page.select_deck("fr")
    press(again, Qt.Key.Key_Right)
    assert visible(again, "fr-verbs")


def drag(view, source, target) -> None:
    """Drag a row onto another as a person's mouse would: enter, move over, drop."""
    data = view.model().mimeData([source])
    spot = QPointF(view.visualRect(target).center())
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for event in (QDragEnterEvent(spot.toPoint(), Qt.DropAction.MoveAction, data, buttons, keys),
                  QDragMoveEvent(spot.toPoint(), Qt.DropAction.MoveAction, data, buttons, keys),
                  QDropEvent(spot, Qt.DropAction.MoveAction, data, buttons, keys)):
        QApplication.sendEvent(view.viewport(), event)


def test_dragging_a_deck_onto_another_nests_it_and_undo_takes_it_back(tree_window, qtbot):
    table = tree_window.deck_page.table
    drag(table, row_index(tree_window, "the-400-blows-faq"), row_index(tree_window, "fr"))
    qtbot.waitUntil(lambda: "French/The 400 Blows: FAQ" in shown_tree(tree_window))
    assert tree_window.collection.deck("the-400-blows-faq").name == "French::The 400 Blows: FAQ"
    assert shown_tree(tree_window)["French"] == (15, 0, 0, 15)
    assert tree_window.deck_page.selected_deck_id() == "the-400-blows-faq"
    tree_window.undo_action.trigger()
    assert shown_tree(tree_window)["The 400 Blows: FAQ"] == (8, 0, 0, 8)


def test_a_deck_dragged_onto_a_parent_no_deck_has_joins_it(tree_window, qtbot):
    table = tree_window.deck_page.table
    music = row_index(tree_window, "jazz").parent()
    drag(table, row_index(tree_window, "fr-verbs"), music)
    qtbot.waitUntil(lambda: "Music/Verbs" in shown_tree(tree_window))
    assert shown_tree(tree_window)["Music"] == (6, 0, 0, 6)


def test_a_deck_cannot_be_dropped_into_its_own_subdeck(tree_window, qtbot):
    table = tree_window.deck_page.table
    undo_before = tree_window.collection.undo_label
    with qtbot.assertNotEmitted(table.model().deck_dropped):
        drag(table, row_index(tree_window, "fr"), row_index(tree_window, "fr-verbs"))
    assert tree_window.collection.deck("fr").name == "French"
    assert tree_window.collection.undo_label == undo_before, "nothing to undo"


def test_create_deck_asks_a_name_and_undo_removes_it(tree_window, qtbot, monkeypatch, press):
    asked = []
    monkeypatch.setattr(dialogs, "ask_text", lambda *args: asked.append(args[1:]) or "Music::Blues")
    qtbot.mouseClick(tree_window.deck_page.create_button, Qt.MouseButton.LeftButton)
    assert asked == [("Create Deck", "New deck name:")]
    assert shown_tree(tree_window)["Music/Blues"] == (0, 0, 0, 0)
    new = tree_window.deck_page.selected_deck_id()
    assert tree_window.collection.deck(new).name == "Music::Blues"
    press(tree_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Music/Blues" not in shown_tree(tree_window)


def test_f2_renames_a_deck_with_its_subdecks_and_undo_renames_them_back(
        tree_window, monkeypatch, press):
    monkeypatch.setattr(dialogs, "ask_text", lambda parent, title, label, text: "Français")
    tree_window.deck_page.select_deck("fr")
    press(tree_window, Qt.Key.Key_F2)
    assert tree_window.collection.deck("fr-verbs").name == "Français::Verbs"
    assert "Français/Verbs" in shown_tree(tree_window)
    press(tree_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert tree_window.collection.deck("fr-verbs").name == "French::Verbs"


def test_a_name_already_taken_is_refused_with_the_reason(tree_window, monkeypatch, press):
    errors = []
    monkeypatch.setattr(dialogs, "ask_text", lambda *args: "Music::Jazz")
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: errors.append(text))
    tree_window.deck_page.select_deck("fr")
    press(tree_window, Qt.Key.Key_F2)
    assert errors == ["There is already a deck named “Music::Jazz”."]


def test_delete_asks_naming_the_cards_then_undo_brings_the_decks_back(
        tree_window, monkeypatch, press):
    questions = []
    monkeypatch.setattr(dialogs, "ask_confirmation",
                        lambda parent, title, question: questions.append(question) or True)
    tree_window.deck_page.select_deck("fr")
    press(tree_window, Qt.Key.Key_Delete)
    assert questions == ["Delete “French” and its 7 cards?"]
    assert "French" not in shown_tree(tree_window)
    assert "French/Verbs" not in shown_tree(tree_window)
    press(tree_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown_tree(tree_window)["French/Verbs"] == (4, 0, 0, 4)


def test_the_context_menu_offers_rename_options_and_delete(tree_window):
    texts = [action.text() for action in tree_window.deck_page.deck_menu.actions()]
    assert texts == ["Rename…", "Options…", "Delete"]


def test_a_parent_no_deck_has_cannot_be_studied_renamed_or_deleted(tree_window):
    page = tree_window.deck_page
    page.table.setCurrentIndex(row_index(tree_window, "jazz").parent())
    assert page.selected_deck_id() is None
    assert not page.study_button.isEnabled()
    assert not page.rename_action.isEnabled() and not page.delete_action.isEnabled()
