"""The window's size, the Help menu, and text from files shown as text, never as HTML."""

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from flashcards import __version__
from flashcards.core.deck import Card, Deck
from flashcards.gui import dialogs, help as help_dialogs

pytestmark = pytest.mark.gui

IMAGE_NAME = '<img src="/usr/share/pixmaps/debian-logo.png">'
HEADING_NAME = "<h1 style=color:red>Your data was deleted</h1>"
LONG_NAME = "A very long deck name " * 8


@pytest.fixture
def odd_decks(collection):
    for deck_id, name in (("image", IMAGE_NAME), ("heading", HEADING_NAME), ("long", LONG_NAME)):
        collection.import_deck(Deck(id=deck_id, name=name,
                                    cards=[Card(id=f"{deck_id}-1", front="Q", back="A")]))
    return collection


def open_deck(window, qtbot, name):
    page = window.deck_page
    model = page.table.model()
    row = next(r for r in range(model.rowCount())
               if model.index(r, 0).data(Qt.ItemDataRole.DisplayRole) == name)
    page.select_deck(model.deck_id(row))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.review_page


def visible_labels(widget: QWidget) -> list[QLabel]:
    return [label for label in widget.findChildren(QLabel) if label.isVisible()]


@pytest.mark.parametrize("name", [IMAGE_NAME, HEADING_NAME])
def test_a_deck_name_that_looks_like_html_is_shown_as_written(odd_decks, make_window, qtbot, name):
    window = make_window(odd_decks)
    open_deck(window, qtbot, name)
    header = window.review_page.deck_label
    assert header.text() == name
    assert header.textFormat() == Qt.TextFormat.PlainText
    assert all(label.textFormat() == Qt.TextFormat.PlainText
               for label in visible_labels(window) if label is not header)


def test_messages_quoting_a_name_show_it_as_written(qtbot, monkeypatch):
    shown = []

    def exec_(box):
        shown.append((box.text(), box.textFormat()))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    dialogs.show_error(None, "Import failed", f"{HEADING_NAME}.csv: line 3 is empty")
    dialogs.show_warnings(None, "Warnings", [IMAGE_NAME, HEADING_NAME])
    assert all(text_format == Qt.TextFormat.PlainText for _text, text_format in shown)
    assert HEADING_NAME in shown[0][0] and IMAGE_NAME in shown[1][0]


def test_a_long_deck_name_is_cut_short_with_an_ellipsis(odd_decks, make_window, qtbot):
    window = make_window(odd_decks)
    open_deck(window, qtbot, LONG_NAME)
    header = window.review_page.deck_label
    assert header.shown_text().endswith("…")
    assert header.fontMetrics().horizontalAdvance(header.shown_text()) <= header.width()


def test_the_window_cannot_be_made_smaller_than_its_minimum(window):
    window.resize(100, 100)
    assert window.width() >= 360 and window.height() >= 400
    assert (window.minimumWidth(), window.minimumHeight()) == (360, 400)


def overlapping(widgets: list[QWidget]) -> list[tuple[str, str]]:
    def rect(widget):
        return QRect(widget.mapTo(widget.window(), widget.rect().topLeft()), widget.size())

    return [(a.text(), b.text()) for i, a in enumerate(widgets) for b in widgets[i + 1:]
            if rect(a).intersects(rect(b))]


def test_at_the_narrowest_the_counts_and_totals_stay_readable(odd_decks, make_window, qtbot):
    window = make_window(odd_decks)
    window.resize(360, 400)
    qtbot.waitUntil(lambda: window.width() == 360)
    totals = window.deck_page.totals_label
    assert totals.isVisible() and totals.height() >= totals.heightForWidth(totals.width())
    table = window.deck_page.table
    assert table.horizontalHeader().length() <= table.viewport().width()
    open_deck(window, qtbot, LONG_NAME)
    page = window.review_page
    numbers = [counter.number for counter in (page.new_counter, page.learning_counter,
                                              page.due_counter)]
    labels = [page.deck_label, *numbers]
    assert overlapping(labels) == []
    for number in numbers:
        assert number.width() >= number.sizeHint().width()
        assert number.mapTo(window, number.rect().topRight()).x() <= window.width()


def test_f1_lists_every_keyboard_shortcut(window, qtbot):
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F1)
    dialog = QApplication.activeModalWidget()
    assert dialog.windowTitle() == "Keyboard shortcuts"
    lines = dialog.lines()
    for expected in ("Space or Enter: Show the answer", "1: Again: you forgot", "4: Easy",
                     "Esc: Back to the deck list", "Ctrl+I: Import", "Ctrl+E: Export",
                     "Ctrl+Q: Quit", "Ctrl+Z: Undo", "T: Statistics", "F1: Keyboard shortcuts"):
        assert expected in lines
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_about_names_the_version_the_licence_and_opens_the_data_folder(window, qtbot, collection,
                                                                       monkeypatch):
    opened = []
    monkeypatch.setattr(help_dialogs, "open_folder", opened.append)
    window.about_action.trigger()
    dialog = QApplication.activeModalWidget()
    texts = " ".join(label.text() for label in visible_labels(dialog))
    assert __version__ in texts and "MIT" in texts
    assert str(collection.store.folder) in texts
    qtbot.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened == [collection.store.folder]


def test_the_menus_are_file_edit_tools_and_help(window):
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Tools", "&Help"]
