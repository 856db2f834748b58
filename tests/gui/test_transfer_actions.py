"""File > Import / Export / Restore backup and drag and drop, with the file dialogs patched."""

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QProgressDialog

from flashcards import transfer
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Rating
from flashcards.formats import FormatError, json_deck
from flashcards.gui import dialogs

pytestmark = pytest.mark.gui


@pytest.fixture
def deck_file(tmp_path):
    path = tmp_path / "cinema.json"
    cards = [Card(id=f"cinema-{i}", front=f"Question {i}", back=f"Answer {i}") for i in range(3)]
    json_deck.write([Deck(id="cinema", name="Cinema", cards=cards)], path)
    return path


@pytest.fixture
def errors(monkeypatch):
    shown = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: shown.append(message))
    return shown


def test_import_from_the_file_menu_adds_the_deck_to_the_list(
        window, monkeypatch, deck_file, errors, shown_rows):
    monkeypatch.setattr(dialogs, "ask_import_path", lambda parent: deck_file)
    window.import_action.trigger()
    assert errors == []
    assert shown_rows(window)["Cinema"] == (3, 0, 0, 3)
    assert window.deck_page.selected_deck_id() == "cinema"
    assert "Cinema" in window.statusBar().currentMessage()


def test_the_import_shortcut_is_ctrl_i(window):
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    assert window.export_action.shortcut().toString() == "Ctrl+E"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"


def test_cancelling_the_file_dialog_imports_nothing(window, monkeypatch, shown_rows):
    monkeypatch.setattr(dialogs, "ask_import_path", lambda parent: None)
    before = shown_rows(window)
    window.import_action.trigger()
    assert shown_rows(window) == before


def test_a_bad_file_shows_the_one_line_message(window, monkeypatch, tmp_path, errors, shown_rows):
    bad = tmp_path / "broken.json"
    bad.write_text("{ not json", encoding="utf-8")
    monkeypatch.setattr(dialogs, "ask_import_path", lambda parent: bad)
    window.import_action.trigger()
    assert len(errors) == 1
    assert "broken.json" in errors[0] and "\n" not in errors[0]
    assert len(shown_rows(window)) == 2


def test_a_long_import_reports_progress_and_can_be_cancelled(
        window, qtbot, monkeypatch, deck_file, errors):
    seen = []

    def fake_import(collection, path, fmt=None, *, progress=None, cancelled=None, **_):
        progress(1, 3)
        seen.append(cancelled())
        dialog = window.findChild(QProgressDialog)
        assert (dialog.value(), dialog.maximum()) == (1, 3)
        dialog.cancel()  # what the Cancel button does
        progress(2, 3)
        seen.append(cancelled())
        # transfer.import_file stops like this once cancelled() says so.
        raise transfer.ImportCancelled("Import cancelled; nothing was changed.")

    monkeypatch.setattr(dialogs, "ask_import_path", lambda parent: deck_file)
    monkeypatch.setattr(transfer, "import_file", fake_import)
    with qtbot.assert_not_emitted(window.collection_changed):
        window.import_action.trigger()
    assert seen == [False, True]
    assert errors == []  # the person cancelled: no error box


def test_dropping_a_file_on_the_window_imports_it(window, qtbot, deck_file, errors, shown_rows):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(deck_file))])
    where = QPointF(window.rect().center())
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.wait_signal(window.import_finished):
        QApplication.sendEvent(window, drop)
    assert drop.isAccepted()
    assert errors == []
    assert "Cinema" in shown_rows(window)


def test_warnings_from_the_file_are_shown_after_the_import(window, monkeypatch, tmp_path, errors,
                                                         shown_rows):
    article = tmp_path / "lighthouses.txt"
    article.write_text(
        "Lighthouses are towers that guide ships at night.\n\n"
        "The First Lighthouse\n\nThe Pharos of Alexandria was built in the\n\n"
        "Fresnel Lenses\n\nA Fresnel lens lets a small lamp be seen from far away.\n\n"
        "1. What is a lighthouse?\n\nAnswer: A tower with a light that guides ships.\n",
        encoding="utf-8")
    warned = []
    monkeypatch.setattr(dialogs, "show_warnings", lambda parent, title, items: warned.extend(items))
    monkeypatch.setattr(dialogs, "ask_import_path", lambda parent: article)
    window.import_action.trigger()
    assert errors == []
    assert any("cut off" in warning for warning in warned)
    assert "Lighthouses: Facts" in shown_rows(window)


def test_dragging_something_that_is_not_a_file_is_refused(window):
    mime = QMimeData()
    mime.setText("just some text")
    enter = QDragEnterEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


def test_export_writes_the_selected_deck(window, monkeypatch, tmp_path, press, errors):
    target = tmp_path / "faq.json"
    asked = []

    def ask(parent, suggested_name):
        asked.append(suggested_name)
        return target, "json"

    monkeypatch.setattr(dialogs, "ask_export_path", ask)
    press(window, Qt.Key.Key_Down)
    window.export_action.trigger()
    assert errors == []
    assert asked == ["The 400 Blows: FAQ.json"]
    exported = json_deck.read(target).decks
    assert [deck.name for deck in exported] == ["The 400 Blows: FAQ"]
    assert len(exported[0].cards) == 8


def test_restore_backup_brings_the_counts_back(window, collection, monkeypatch, press, errors,
                                               shown_rows):
    def study_faq(count):
        for _ in range(count):
            card = collection.next_card("the-400-blows-faq")
            collection.grade(card.id, Rating.EASY)

    study_faq(2)
    collection.save_snapshot()  # writes today's backup
    study_faq(3)
    backup = collection.backups()[0].path
    asked = []
    monkeypatch.setattr(dialogs, "ask_backup_path", lambda parent, folder=None: backup)
    monkeypatch.setattr(dialogs, "ask_confirmation",
                        lambda parent, title, question: asked.append(question) or True)
    window.restore_action.trigger()
    assert errors == [] and backup.name in asked[0]
    assert shown_rows(window)["The 400 Blows: FAQ"] == (6, 0, 0, 8)
    assert len(collection.reviews()) == 5, "the review history stays whole"


def test_restore_backup_failure_is_shown(window, monkeypatch, tmp_path, errors):
    def fail(collection, path, **hooks):
        raise FormatError("backup.colpkg is not a Flashcards backup.")

    monkeypatch.setattr(transfer, "restore_backup", fail, raising=False)
    monkeypatch.setattr(dialogs, "ask_backup_path", lambda parent, folder=None: tmp_path / "b")
    monkeypatch.setattr(dialogs, "ask_confirmation", lambda parent, title, question: True)
    window.restore_action.trigger()
    assert errors == ["backup.colpkg is not a Flashcards backup."]
