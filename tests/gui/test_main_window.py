"""The window as a whole: start-up warnings, the entry point, the look."""

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication

from flashcards.core.store import LoadReport
from flashcards.gui import app, dialogs, theme

pytestmark = pytest.mark.gui


def test_load_warnings_are_shown_once_at_start(qtbot, monkeypatch, collection, make_window):
    shown = []
    monkeypatch.setattr(dialogs, "show_warnings",
                        lambda parent, title, warnings: shown.append(warnings))
    collection.load_report = LoadReport(warnings=["journal-x.jsonl was damaged and set aside."])
    window = make_window(collection)
    qtbot.waitUntil(lambda: len(shown) == 1)
    window.hide()
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()  # a second notice, if there were one, would be shown now
    assert shown == [["journal-x.jsonl was damaged and set aside."]]


def test_no_warnings_no_box(qtbot, monkeypatch, make_window, collection):
    monkeypatch.setattr(dialogs, "show_warnings", lambda *args: pytest.fail("no warning expected"))
    make_window(collection)
    QApplication.processEvents()  # the check at start runs once the window is shown


def test_run_shows_the_window_and_returns_the_exit_code(qtbot, monkeypatch, collection):
    qapp = QApplication.instance()
    seen = {}

    def fake_exec():
        window = next(w for w in QApplication.topLevelWidgets() if w.windowTitle() == "Flashcards"
                      and w.isVisible())
        seen["title"] = window.windowTitle()
        seen["icon"] = not window.windowIcon().isNull()
        window.close()
        return 0

    monkeypatch.setattr(qapp, "exec", fake_exec)
    assert app.run(collection, ["flashcards"]) == 0
    assert seen == {"title": "Flashcards", "icon": True}
    assert qapp.applicationName() == "Flashcards"


@pytest.mark.parametrize("name", ["light", "dark"])
def test_both_looks_load_their_style_sheet(qapp, name):
    theme.apply_theme(qapp, name)
    try:
        assert "#newCount" in qapp.styleSheet()
        assert theme.is_dark() == (name == "dark")
    finally:
        theme.apply_theme(qapp, "light")


def test_first_launch_shows_the_bundled_decks(make_window, tmp_path, clock, shown_rows):
    from flashcards.app import open_collection

    collection = open_collection(tmp_path / "first-launch", clock=clock)
    try:
        window = make_window(collection)
        assert shown_rows(window) == {
            "The 400 Blows: Facts": (20, 0, 0, 30),
            "The 400 Blows: FAQ": (8, 0, 0, 8),
        }
        assert window.focusWidget() is window.deck_page.table
    finally:
        collection.close()


def test_quitting_with_an_unsaved_grade_asks_first(window, collection, press, monkeypatch):
    import errno
    import os

    def full_disk(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full_disk)
    monkeypatch.setattr(dialogs, "ask_retry", lambda *args: False)
    press(window, Qt.Key.Key_Return)
    press(window, Qt.Key.Key_Space)
    press(window, Qt.Key.Key_3)
    assert collection.unsaved == 1

    questions = []
    monkeypatch.setattr(dialogs, "ask_confirmation",
                        lambda parent, title, question: questions.append(question) or False)
    window.close()
    assert window.isVisible(), "the person chose to stay"
    assert "1 unsaved grade" in questions[0]

    monkeypatch.undo()  # space freed: the grade can now be saved
    window.close()
    assert not window.isVisible() and collection.unsaved == 0


def test_a_second_window_on_the_same_folder_is_refused_with_a_message(tmp_path, monkeypatch,
                                                                      capsys):
    from flashcards.app import open_collection
    from flashcards.cli import main

    shown = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: shown.append(message))
    first = open_collection(tmp_path)
    try:
        assert main(["--data-dir", str(tmp_path)]) == 1
    finally:
        first.close()
    assert "already open" in shown[0]
    assert "already open" in capsys.readouterr().err


def test_this_computers_journal_replaced_while_grading_is_told_once(
        qtbot, monkeypatch, collection, make_window, press, data_dir):
    from PySide6.QtCore import Qt

    shown = []
    monkeypatch.setattr(dialogs, "show_warnings",
                        lambda parent, title, warnings: shown.append(warnings))
    window = make_window(collection)
    press(window, Qt.Key.Key_Return)  # the first deck
    journal = data_dir / "journal-test-device.jsonl"
    older = journal.read_bytes()
    press(window, Qt.Key.Key_Space)
    press(window, Qt.Key.Key_3)
    staging = data_dir / ".syncing"
    staging.write_bytes(older)
    staging.replace(journal)  # a sync tool puts an older copy in its place
    for _ in range(2):
        press(window, Qt.Key.Key_Space)
        press(window, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: len(shown) == 1)
    QApplication.processEvents()
    (warnings,) = shown
    assert len(warnings) == 1 and "journal-test-device.jsonl" in warnings[0]
    assert len(collection.reviews()) == 3


def test_a_copy_found_when_the_window_comes_back_is_told_once(
        qtbot, monkeypatch, collection, make_window, data_dir):
    shown = []
    monkeypatch.setattr(dialogs, "show_warnings",
                        lambda parent, title, warnings: shown.append(warnings))
    window = make_window(collection)
    journal = data_dir / "journal-test-device.jsonl"
    (data_dir / "journal-test-device (1).jsonl").write_bytes(journal.read_bytes())
    for _ in range(2):
        window.changeEvent(QEvent(QEvent.Type.ActivationChange))
        QApplication.processEvents()
    assert len(shown) == 1 and "journal-test-device (1).jsonl" in shown[0][0]
