"""File > Import / Export / Restore backup and drag and drop, with the file dialogs patched.

The slow part of each runs on a thread of its own; tests wait for the window's signal that says
it finished, as a person waits for the deck to appear.
"""

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QProgressDialog, QPushButton

from flashcards import transfer
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Rating
from flashcards.formats import json_deck
from flashcards.gui import dialogs
from flashcards.gui.dialogs import BackupChooser

pytestmark = pytest.mark.gui

# How long a test waits for a background import at most (it takes milliseconds).
DONE_MS = 10_000


@pytest.fixture
def deck_file(tmp_path):
    path = tmp_path / "cinema.json"
    cards = [Card(id=f"cinema-{i}", front=f"Question {i}", back=f"Answer {i}") for i in range(3)]
    json_deck.write([Deck(id="cinema", name="Cinema", cards=cards)], path)
    return path


@pytest.fixture
def errors(monkeypatch):
    """The error boxes shown, and whether a progress box was still on screen under each."""
    shown = []

    def show_error(parent, title, message):
        progress_visible = any(isinstance(w, QProgressDialog) and w.isVisible()
                               for w in QApplication.topLevelWidgets())
        assert not progress_visible, "the progress box is closed before an error shows"
        shown.append(message)

    monkeypatch.setattr(dialogs, "show_error", show_error)
    return shown


@pytest.fixture
def import_file_from_menu(window, qtbot, monkeypatch):
    """File > Import…, choosing `path` in the file dialog; returns the folders it opened in."""
    folders = []

    def _import(path):
        monkeypatch.setattr(dialogs, "ask_import_path",
                            lambda parent, folder: folders.append(folder) or path)
        with qtbot.waitSignal(window.import_finished, timeout=DONE_MS) as finished:
            window.import_action.trigger()
        return finished.args[0], folders

    return _import


def test_import_from_the_file_menu_adds_the_deck_to_the_list(
        window, import_file_from_menu, deck_file, errors, shown_rows):
    results, _ = import_file_from_menu(deck_file)
    assert errors == []
    assert [r.name for r in results] == ["Cinema"]
    assert shown_rows(window)["Cinema"] == (3, 0, 0, 3)
    assert window.deck_page.selected_deck_id() == "cinema"
    assert "Cinema" in window.statusBar().currentMessage()


def test_importing_the_same_file_again_says_the_collection_was_up_to_date(
        window, import_file_from_menu, deck_file, errors):
    import_file_from_menu(deck_file)
    import_file_from_menu(deck_file)
    assert errors == []
    assert "already up to date" in window.statusBar().currentMessage()


def test_the_file_dialog_opens_in_the_folder_used_last(
        window, import_file_from_menu, deck_file, tmp_path):
    _, first = import_file_from_menu(deck_file)
    assert first[0] in (Path.home(), Path.home() / "Documents")
    _, folders = import_file_from_menu(deck_file)
    assert folders[1] == deck_file.parent


def test_the_import_shortcut_is_ctrl_i(window):
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    assert window.export_action.shortcut().toString() == "Ctrl+E"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"


def test_cancelling_the_file_dialog_imports_nothing(window, qtbot, monkeypatch, shown_rows):
    monkeypatch.setattr(dialogs, "ask_import_path", lambda parent, folder: None)
    before = shown_rows(window)
    with qtbot.assertNotEmitted(window.collection_changed):
        window.import_action.trigger()
    assert not window.transfers.busy
    assert shown_rows(window) == before


def test_a_bad_file_shows_the_one_line_message(window, import_file_from_menu, tmp_path, errors,
                                               shown_rows):
    bad = tmp_path / "broken.json"
    bad.write_text("{ not json", encoding="utf-8")
    results, _ = import_file_from_menu(bad)
    assert results == []
    assert len(errors) == 1
    assert "broken.json" in errors[0] and "\n" not in errors[0]
    assert len(shown_rows(window)) == 2


@pytest.fixture
def slow_import(monkeypatch):
    """A file that takes until Cancel to read: it reports progress until told to stop."""
    started = threading.Event()

    def read_until_cancelled(path, fmt=None, deck_name=None, progress=None, cancelled=None):
        started.set()
        done = 0
        while not cancelled():
            done = (done + 1) % 100
            progress(done, 100)
            threading.Event().wait(0.005)
        raise transfer.ImportCancelled("Import cancelled; nothing was changed.")

    monkeypatch.setattr(transfer, "read_file", read_until_cancelled)
    return started


def visible_progress_box():
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QProgressDialog) and w.isVisible()]
    return boxes[0] if boxes else None


def test_a_long_import_shows_progress_and_cancel_stops_it(
        window, qtbot, monkeypatch, deck_file, errors, slow_import, shown_rows):
    monkeypatch.setattr(dialogs, "ask_import_path", lambda parent, folder: deck_file)
    before = shown_rows(window)
    with qtbot.waitSignal(window.import_finished, timeout=DONE_MS) as finished:
        window.import_action.trigger()
        qtbot.waitUntil(lambda: visible_progress_box() is not None, timeout=DONE_MS)
        box = visible_progress_box()
        assert "cinema.json" in box.labelText()
        cancel = box.findChild(QPushButton)
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert finished.args == [[]]
    assert errors == []  # the person cancelled: no error box
    assert visible_progress_box() is None
    assert shown_rows(window) == before


def test_a_second_import_while_one_runs_is_refused(
        window, qtbot, monkeypatch, deck_file, errors, slow_import):
    monkeypatch.setattr(dialogs, "ask_import_path", lambda parent, folder: deck_file)
    window.import_action.trigger()
    assert slow_import.wait(5)
    window.import_action.trigger()
    assert len(errors) == 1 and "busy with the import of cinema.json" in errors[0]
    qtbot.waitUntil(lambda: visible_progress_box() is not None, timeout=DONE_MS)
    with qtbot.waitSignal(window.import_finished, timeout=DONE_MS):
        qtbot.mouseClick(visible_progress_box().findChild(QPushButton), Qt.MouseButton.LeftButton)


def test_the_window_keeps_painting_while_a_file_is_read(
        window, qtbot, monkeypatch, deck_file, slow_import):
    monkeypatch.setattr(dialogs, "ask_import_path", lambda parent, folder: deck_file)
    window.import_action.trigger()
    assert slow_import.wait(5)
    qtbot.waitUntil(lambda: visible_progress_box() is not None, timeout=DONE_MS)
    box = visible_progress_box()
    values = set()
    qtbot.waitUntil(lambda: values.add(box.value()) or len(values) > 3, timeout=DONE_MS)
    with qtbot.waitSignal(window.import_finished, timeout=DONE_MS):
        box.findChild(QPushButton).click()


def drag_and_drop(window, mime: QMimeData) -> tuple[bool, bool]:
    where = window.rect().center()
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False, False
    drop = QDropEvent(where.toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    return True, drop.isAccepted()


def test_dropping_a_file_on_the_window_imports_it(window, qtbot, deck_file, errors, shown_rows):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(deck_file))])
    with qtbot.waitSignal(window.import_finished, timeout=DONE_MS):
        assert drag_and_drop(window, mime) == (True, True)
    assert errors == []
    assert "Cinema" in shown_rows(window)


def test_warnings_from_the_file_are_shown_after_the_import(
        window, import_file_from_menu, monkeypatch, tmp_path, errors, shown_rows):
    article = tmp_path / "lighthouses.txt"
    article.write_text(
        "Lighthouses are towers that guide ships at night.\n\n"
        "The First Lighthouse\n\nThe Pharos of Alexandria was built in the\n\n"
        "Fresnel Lenses\n\nA Fresnel lens lets a small lamp be seen from far away.\n\n"
        "1. What is a lighthouse?\n\nAnswer: A tower with a light that guides ships.\n",
        encoding="utf-8")
    warned = []
    monkeypatch.setattr(dialogs, "show_warnings", lambda parent, title, items: warned.extend(items))
    import_file_from_menu(article)
    assert errors == []
    assert any("cut off" in warning for warning in warned)
    assert "Lighthouses: Facts" in shown_rows(window)


def test_dragging_something_that_is_not_a_file_is_refused(window):
    mime = QMimeData()
    mime.setText("just some text")
    assert drag_and_drop(window, mime) == (False, False)


@pytest.fixture
def export_from_menu(window, qtbot, monkeypatch):
    """File > Export…, answering the file dialog with `answer(suggested, fmt)`."""
    asked = []

    def _export(answer):
        def ask(parent, suggested, fmt):
            asked.append((suggested, fmt))
            return answer(suggested, fmt) if len(asked) == 1 else None

        monkeypatch.setattr(dialogs, "ask_export_path", ask)
        with qtbot.waitSignal(window.export_finished, timeout=DONE_MS) as finished:
            window.export_action.trigger()
        return finished.args[0]

    return _export, asked


def test_export_writes_the_selected_deck_and_names_the_file(
        window, export_from_menu, tmp_path, press, errors):
    export, asked = export_from_menu
    target = tmp_path / "faq.json"
    press(window, Qt.Key.Key_Down)
    assert export(lambda suggested, fmt: (target, "json")) == target
    assert errors == []
    assert asked[0][0].name == "The 400 Blows FAQ.json" and asked[0][1] == "json"
    exported = json_deck.read(target).decks
    assert [deck.name for deck in exported] == ["The 400 Blows: FAQ"]
    assert len(exported[0].cards) == 8
    assert str(target) in window.statusBar().currentMessage()


def test_export_offers_the_folder_and_format_used_last(window, qtbot, export_from_menu, tmp_path,
                                                       errors):
    export, asked = export_from_menu
    elsewhere = tmp_path / "exports"
    elsewhere.mkdir()
    export(lambda suggested, fmt: (elsewhere / "facts.csv", "csv"))
    with qtbot.assertNotEmitted(window.export_finished):
        window.export_action.trigger()  # the file dialog is answered with Cancel
    assert errors == []
    assert asked[1][0].parent == elsewhere and asked[1][0].suffix == ".csv"
    assert asked[1][1] == "csv"


def test_export_to_a_folder_that_does_not_exist_says_so(window, export_from_menu, tmp_path,
                                                        errors):
    export, _ = export_from_menu
    missing = tmp_path / "no-such-folder" / "deck.json"
    assert export(lambda suggested, fmt: (missing, "json")) is None
    assert len(errors) == 1 and "no-such-folder" in errors[0] and "\n" not in errors[0]
    assert not missing.parent.exists()


@pytest.fixture
def two_backups(collection, clock):
    """Yesterday's backup after two FAQ cards, today's after three more."""
    def study_faq(count):
        for _ in range(count):
            card = collection.next_card("the-400-blows-faq")
            collection.grade(card.id, Rating.EASY)

    study_faq(2)
    collection.save_snapshot()
    clock.advance(days=1)
    study_faq(3)
    collection.save_snapshot()
    return collection.backups()


def test_the_backup_list_shows_each_day_and_size_and_enter_picks_one(qtbot, two_backups):
    chooser = BackupChooser(None, two_backups, "test-device")
    qtbot.addWidget(chooser)
    chooser.show()
    lines = [chooser.list.item(row).text() for row in range(chooser.list.count())]
    assert lines[0].startswith("Tuesday 11 March 2025") and "KB" in lines[0]
    assert lines[1].startswith("Monday 10 March 2025")
    assert not any("snapshot-" in line for line in lines)
    qtbot.keyClick(chooser.list, Qt.Key.Key_Down)
    with qtbot.waitSignal(chooser.accepted):
        qtbot.keyClick(chooser.list, Qt.Key.Key_Return)
    assert chooser.chosen() == two_backups[1]


def test_restore_backup_brings_the_counts_back(window, qtbot, collection, two_backups,
                                               monkeypatch, errors, shown_rows):
    asked = []
    monkeypatch.setattr(dialogs, "ask_backup", lambda parent, backups, device: backups[1])
    monkeypatch.setattr(dialogs, "ask_confirmation",
                        lambda parent, title, question: asked.append(question) or True)
    with qtbot.waitSignal(window.restore_finished, timeout=DONE_MS) as finished:
        window.restore_action.trigger()
    assert finished.args == [True]
    assert errors == [] and "Monday 10 March 2025" in asked[0]
    assert shown_rows(window)["The 400 Blows: FAQ"] == (6, 0, 0, 8)
    assert len(collection.reviews()) == 5, "the review history stays whole"


def test_restore_backup_failure_is_shown(window, qtbot, two_backups, monkeypatch, errors):
    two_backups[0].path.write_text("not a snapshot", encoding="utf-8")
    monkeypatch.setattr(dialogs, "ask_backup", lambda parent, backups, device: backups[0])
    monkeypatch.setattr(dialogs, "ask_confirmation", lambda parent, title, question: True)
    with qtbot.waitSignal(window.restore_finished, timeout=DONE_MS) as finished:
        window.restore_action.trigger()
    assert finished.args == [False]
    assert len(errors) == 1 and "cannot be used" in errors[0]


def test_restore_with_no_backups_says_there_are_none(window, monkeypatch):
    told = []
    monkeypatch.setattr(dialogs, "show_information",
                        lambda parent, title, message: told.append(message))
    monkeypatch.setattr(dialogs, "ask_backup", lambda *args: pytest.fail("nothing to choose"))
    window.restore_action.trigger()
    assert "no backups yet" in told[0]


def test_the_backup_chooser_can_be_cancelled(qtbot, two_backups):
    chooser = BackupChooser(None, two_backups, "test-device")
    qtbot.addWidget(chooser)
    chooser.show()
    cancel = chooser.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    with qtbot.waitSignal(chooser.rejected):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
