"""The Add window, driven as a person writes cards: A or Ctrl+N, type, Ctrl+Return, next."""

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument
from PySide6.QtWidgets import QApplication

from flashcards.core.review import Screen

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
FAQ = "the-400-blows-faq"
FACTS = "the-400-blows-facts"


def activated(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


@pytest.fixture
def window(make_window, collection, qtbot):
    return activated(make_window(collection), qtbot)


def open_add_window(window, press, qtbot, key=Qt.Key.Key_A, modifier=None):
    press(window, key, modifier)
    add = window.card_actions.add_window
    assert add is not None and add.isVisible()
    qtbot.waitUntil(add.isActiveWindow)
    return add


def type_in(qtbot, add, text):
    """Type into whichever field has the focus, as a person would."""
    qtbot.keyClicks(add.focusWidget(), text)


def faq_fronts(collection) -> list[str]:
    return [card.front for card in collection.deck(FAQ).cards]


def test_a_on_the_deck_list_adds_cards_one_after_another(window, press, qtbot, collection,
                                                         shown_rows):
    press(window, Qt.Key.Key_Down)  # the FAQ deck
    add = open_add_window(window, press, qtbot)
    assert add.deck_box.currentText() == "The 400 Blows: FAQ"
    assert add.focusWidget() is add.front_field
    type_in(qtbot, add, "Who wrote the score?")
    press(add, Qt.Key.Key_Tab)
    type_in(qtbot, add, "Jean Constantin")
    press(add, Qt.Key.Key_Tab)
    assert add.focusWidget() is add.tags_edit
    type_in(qtbot, add, "music film")
    press(add, Qt.Key.Key_Return, CTRL)
    added = collection.deck(FAQ).cards[-1]
    assert (added.front, added.back, added.tags) == ("Who wrote the score?", "Jean Constantin",
                                                     ("music", "film"))
    assert add.front_field.toPlainText() == "" and add.back_field.toPlainText() == ""
    assert add.tags_edit.text() == "music film", "the tags stay for the next card"
    assert add.focusWidget() is add.front_field
    assert add.status_label.text() == "Added to The 400 Blows: FAQ."
    type_in(qtbot, add, "Who is Rene?")
    press(add, Qt.Key.Key_Tab)
    type_in(qtbot, add, "Antoine's friend")
    press(add, Qt.Key.Key_Return, CTRL)
    assert len(faq_fronts(collection)) == 10
    assert shown_rows(window)["The 400 Blows: FAQ"] == (10, 0, 0, 10)
    press(add, Qt.Key.Key_Escape)
    assert not add.isVisible()
    activated(window, qtbot)
    assert window.undo_action.text() == "&Undo Add card"
    press(window, Qt.Key.Key_Z, CTRL)
    assert faq_fronts(collection)[-1] == "Who wrote the score?"
    assert shown_rows(window)["The 400 Blows: FAQ"] == (9, 0, 0, 9)


def test_ctrl_n_and_the_file_menu_open_it_on_the_chosen_deck(window, press, qtbot):
    add = open_add_window(window, press, qtbot, Qt.Key.Key_N, CTRL)
    assert add.deck_box.currentText() == "The 400 Blows: Facts"
    add.close()
    assert window.add_action.text() == "&Add cards…"
    assert window.add_action in window.menuBar().actions()[0].menu().actions()
    window.add_action.trigger()
    assert window.card_actions.add_window is add and add.isVisible(), "one Add window"


def test_a_while_studying_adds_to_the_deck_studied_and_its_counts_follow(window, press, qtbot):
    press(window, Qt.Key.Key_Down)
    press(window, Qt.Key.Key_Return)
    press(window, Qt.Key.Key_Space)
    add = open_add_window(window, press, qtbot)
    assert add.deck_box.currentText() == "The 400 Blows: FAQ"
    type_in(qtbot, add, "Who plays the mother?")
    press(add, Qt.Key.Key_Tab)
    type_in(qtbot, add, "Claire Maurier")
    press(add, Qt.Key.Key_Return, CTRL)
    page = window.review_page
    assert int(page.new_counter.number.text()) == 9
    assert page.screen is Screen.ANSWER, "the card being studied stays, answer showing"


def test_a_front_the_deck_has_is_pointed_out_before_adding(window, press, qtbot, collection):
    press(window, Qt.Key.Key_Down)
    add = open_add_window(window, press, qtbot)
    assert not add.duplicate_label.isVisible()
    type_in(qtbot, add, "who plays  Antoine Doinel?")
    assert add.duplicate_label.isVisible()
    assert add.duplicate_label.text() == "This front is already in The 400 Blows: FAQ."
    add.deck_box.setCurrentIndex(add.deck_box.findText("The 400 Blows: Facts"))
    assert not add.duplicate_label.isVisible()
    add.deck_box.setCurrentIndex(add.deck_box.findText("The 400 Blows: FAQ"))
    press(add, Qt.Key.Key_Return, CTRL)
    assert len(faq_fronts(collection)) == 9, "pointed out, not refused, as in Anki"
    type_in(qtbot, add, "A brand new question")
    assert not add.duplicate_label.isVisible()


def test_bold_italic_and_a_bulleted_list(window, press, qtbot, collection):
    press(window, Qt.Key.Key_Down)
    add = open_add_window(window, press, qtbot)
    type_in(qtbot, add, "Name ")
    press(add, Qt.Key.Key_B, CTRL)
    type_in(qtbot, add, "two")
    press(add, Qt.Key.Key_B, CTRL)
    type_in(qtbot, add, " of ")
    press(add, Qt.Key.Key_I, CTRL)
    type_in(qtbot, add, "his")
    press(add, Qt.Key.Key_I, CTRL)
    type_in(qtbot, add, " films")
    press(add, Qt.Key.Key_Tab)
    qtbot.mouseClick(add.format_bar.list_button, Qt.MouseButton.LeftButton)
    type_in(qtbot, add, "Jules and Jim")
    press(add, Qt.Key.Key_Return)
    type_in(qtbot, add, "Day for Night")
    assert QApplication.activeModalWidget() is None, "Ctrl+I was italic, not Import"
    press(add, Qt.Key.Key_Return, CTRL)
    card = collection.deck(FAQ).cards[-1]
    assert card.front == "Name <b>two</b> of <i>his</i> films"
    assert card.back == "<ul><li>Jules and Jim</li><li>Day for Night</li></ul>"


def test_the_preview_shows_the_card_as_the_review_page_will(window, press, qtbot):
    add = open_add_window(window, press, qtbot)
    type_in(qtbot, add, "Capital of France?")
    press(add, Qt.Key.Key_Tab)
    type_in(qtbot, add, "Paris")
    assert add.preview.toPlainText() == "Capital of France?\n\nParis"


def test_a_pasted_picture_is_kept_in_the_media_folder_and_shown(window, press, qtbot,
                                                                collection):
    add = open_add_window(window, press, qtbot)
    type_in(qtbot, add, "Which colour? ")
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#c0392b"))
    QApplication.clipboard().setImage(image)
    press(add, Qt.Key.Key_V, CTRL)
    press(add, Qt.Key.Key_Tab)
    type_in(qtbot, add, "Red")
    (stored,) = collection.media_folder.glob("paste-*.png")
    shown = add.preview.loadResource(QTextDocument.ResourceType.ImageResource,
                                     QUrl(stored.name))
    assert shown is not None and not shown.isNull()
    press(add, Qt.Key.Key_Return, CTRL)
    card = collection.deck(FACTS).cards[-1]
    assert card.front == f'Which colour? <img src="{stored.name}">'
    assert QImage(str(stored)).pixelColor(5, 5) == QColor("#c0392b")


def test_pasted_html_is_cleaned_before_it_reaches_the_collection(window, press, qtbot,
                                                                 collection):
    add = open_add_window(window, press, qtbot)
    mime = QMimeData()
    mime.setHtml('<b onclick="steal()">Safe</b><script>alert(1)</script>'
                 '<img src="https://tracker.example/x.png">')
    mime.setText("Safe")
    QApplication.clipboard().setMimeData(mime)
    press(add, Qt.Key.Key_V, CTRL)
    press(add, Qt.Key.Key_Tab)
    type_in(qtbot, add, "answer")
    press(add, Qt.Key.Key_Return, CTRL)
    front = collection.deck(FACTS).cards[-1].front
    assert "Safe" in front and "<b>" in front
    for unwanted in ("script", "onclick", "tracker", "alert"):
        assert unwanted not in front
    # The clipboard owns the QMimeData now, and so does its Python wrapper: left there, both
    # delete it when the interpreter ends, and the test run exits with a segfault.
    QApplication.clipboard().clear()


def test_a_card_needs_a_front(window, press, qtbot, collection):
    add = open_add_window(window, press, qtbot)
    press(add, Qt.Key.Key_Tab)
    type_in(qtbot, add, "an answer alone")
    before = len(collection.find_cards())
    press(add, Qt.Key.Key_Return, CTRL)
    assert add.status_label.text() == "A card needs a front."
    assert len(collection.find_cards()) == before
    assert add.focusWidget() is add.front_field


def test_a_deck_renamed_while_the_window_is_open_shows_its_new_name(window, press, qtbot,
                                                                   collection):
    press(window, Qt.Key.Key_Down)
    add = open_add_window(window, press, qtbot)
    window.collection_changed.emit(collection.rename_deck(FAQ, "Truffaut"))
    assert add.deck_box.currentText() == "Truffaut"


def test_a_card_just_added_counts_as_there_until_undone(window, press, qtbot):
    press(window, Qt.Key.Key_Down)
    add = open_add_window(window, press, qtbot)
    type_in(qtbot, add, "Who plays the father?")
    assert not add.duplicate_label.isVisible()
    press(add, Qt.Key.Key_Return, CTRL)
    type_in(qtbot, add, "Who plays the father?")
    assert add.duplicate_label.isVisible()
    window.undo_action.trigger()  # Edit > Undo Add card, in the main window
    assert not add.duplicate_label.isVisible()


def test_the_add_window_opens_over_the_main_window_on_its_screen(window, press, qtbot):
    window.setGeometry(window.screen().availableGeometry().adjusted(250, 200, -50, -100))
    add = open_add_window(window, press, qtbot)
    assert window.screen().availableGeometry().contains(add.frameGeometry())
    assert add.frameGeometry().contains(window.frameGeometry().center())
