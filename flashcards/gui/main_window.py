"""The main window: the deck list and the review page in one stack, plus the File, Edit, Tools
and Help menus."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import (QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence,
                           QShowEvent)
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QStackedWidget

from flashcards.core.changes import EVERYTHING, Changes
from flashcards.core.collection import Collection, ImportResult
from flashcards.core.review import ReviewSession
from flashcards.core.store import StoreError

from . import dialogs, theme
from .card_actions import CardActions
from .deck_list import DeckListPage
from .help import AboutDialog, ShortcutsDialog
from .review_view import ReviewPage
from .transfer_actions import Transfers

# Below this nothing overlaps: the counts and the totals line still fit at 360 pixels wide.
MINIMUM_SIZE = (360, 400)
STATUS_SECONDS = 8


class MainWindow(QMainWindow):
    # Something in the collection changed (a grade, an import, an undo); carries its Changes, and
    # each screen redraws what they name.
    collection_changed = Signal(object)
    # An import finished; carries the ImportResults (empty after an error or Cancel).
    import_finished = Signal(list)
    # An export finished; carries the file written, or None.
    export_finished = Signal(object)
    # A restore finished; carries whether the backup was restored.
    restore_finished = Signal(bool)

    def __init__(self, collection: Collection, parent=None) -> None:
        super().__init__(parent)
        self.collection = collection
        self.setWindowTitle("Flashcards")
        self.setWindowIcon(theme.app_icon())
        self.setAcceptDrops(True)
        self.setMinimumSize(*MINIMUM_SIZE)
        self.resize(900, 620)
        self.transfers = Transfers(self, collection)
        self._help_dialog: QDialog | None = None

        self.deck_page = DeckListPage(collection)
        self.review_page = ReviewPage(collection.media_folder)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.deck_page)
        self.pages.addWidget(self.review_page)
        self.setCentralWidget(self.pages)
        self._build_menus()
        self._build_card_actions()
        self._add_browser()
        self._add_deck_tools()

        self.deck_page.deck_chosen.connect(self._on_deck_page_deck_chosen)
        self.review_page.closed.connect(self._on_review_page_closed)
        self.review_page.card_graded.connect(self.collection_changed)
        self.collection_changed.connect(self._on_window_collection_changed)
        self.transfers.import_finished.connect(self._on_transfers_import_finished)
        self.transfers.export_finished.connect(self._on_transfers_export_finished)
        self.transfers.restore_finished.connect(self._on_transfers_restore_finished)
        self._warnings_shown = False
        self._add_memory_tools()
        self.deck_page.table.setFocus()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = QAction("&Undo", self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setEnabled(False)
        edit_menu.addAction(self.undo_action)
        self.undo_action.triggered.connect(self._on_undo_action_triggered)
        self.import_action = QAction("&Import…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.export_action = QAction("&Export…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.restore_action = QAction("&Restore backup…", self)
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.import_action.triggered.connect(self._on_import_action_triggered)
        self.export_action.triggered.connect(self._on_export_action_triggered)
        self.restore_action.triggered.connect(self._on_restore_action_triggered)
        self.quit_action.triggered.connect(self.close)

        tools_menu = self.menuBar().addMenu("&Tools")
        self.statistics_action = QAction("&Statistics", self)
        self.statistics_action.setShortcut(QKeySequence("T"))
        tools_menu.addAction(self.statistics_action)
        self.statistics_action.triggered.connect(self._on_statistics_action_triggered)

        help_menu = self.menuBar().addMenu("&Help")
        self.shortcuts_action = QAction("&Keyboard shortcuts", self)
        self.shortcuts_action.setShortcut(QKeySequence("F1"))
        self.about_action = QAction("&About Flashcards", self)
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)
        self.shortcuts_action.triggered.connect(self._on_shortcuts_action_triggered)
        self.about_action.triggered.connect(self._on_about_action_triggered)

    def _add_browser(self) -> None:
        """Edit › Browse (B, as in Anki): the card browser, one window at a time."""
        def browse() -> None:
            from .browser import Browser  # on first use: starting the app does not pay for it

            if self.browser is None:
                self.browser = Browser(self)
                self.browser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                self.browser.destroyed.connect(lambda: setattr(self, "browser", None))
            session = self.review_page.session
            if self.pages.currentWidget() is self.review_page and session and session.card:
                self.browser.select_card(session.card.id)  # the card on screen, as in Anki
            self.browser.show()
            self.browser.raise_()
            self.browser.activateWindow()

        self.browser = None
        self.browse_action = QAction("&Browse", self)
        self.browse_action.setShortcut(QKeySequence("B"))
        self.browse_action.triggered.connect(browse)
        menus = {action.text(): action.menu() for action in self.menuBar().actions()}
        menus["&Edit"].addSeparator()
        menus["&Edit"].addAction(self.browse_action)

    def _add_deck_tools(self) -> None:
        """Changes made on the deck list (create, rename, delete, deck options) reach every
        screen; Tools › Preferences (Ctrl+P, as in Anki) opens the preferences."""
        # Imported here, so that this part of the window is all in one place.
        from PySide6.QtWidgets import QMenu

        from .preferences_window import PreferencesWindow

        self.deck_page.collection_changed.connect(self.collection_changed)
        menus = {action.text(): action for action in self.menuBar().actions()}
        tools = menus.get("&Tools")
        if tools is None:
            tools = self.menuBar().insertMenu(menus["&Help"], QMenu("&Tools", self))
        self.preferences_action = QAction("&Preferences…", self)
        self.preferences_action.setShortcut(QKeySequence("Ctrl+P"))
        tools.menu().addAction(self.preferences_action)

        def show_preferences() -> None:
            window = PreferencesWindow(self.collection, self)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.settings_changed.connect(self.collection_changed)
            window.open()

        self.preferences_action.triggered.connect(show_preferences)

    def _add_memory_tools(self) -> None:
        """Tools > Optimise…, Desired retention…, Plan a break…, Spread backlog… (see
        memory_tools), in the Tools menu, which is made before Help if there is none yet."""
        from .memory_tools import MemoryTools

        bar = self.menuBar()
        titled = {action.text(): action for action in bar.actions()}
        tools = titled["&Tools"].menu() if "&Tools" in titled else None
        if tools is None:
            tools = QMenu("&Tools", self)
            if "&Help" in titled:
                bar.insertMenu(titled["&Help"], tools)
            else:
                bar.addMenu(tools)
        self.memory_tools = MemoryTools(self, tools)

    # -- pages --------------------------------------------------------------------------------
    def show_deck_list(self) -> None:
        # Time has passed while studying: learning cards may be due now, a new day may have begun.
        self.deck_page.recount()
        self.pages.setCurrentWidget(self.deck_page)
        self.deck_page.table.setFocus()

    def study(self, deck_id: str) -> None:
        self.review_page.start(ReviewSession(self.collection, deck_id))
        self.pages.setCurrentWidget(self.review_page)
        self.review_page.setFocus()

    def _on_deck_page_deck_chosen(self, deck_id: str) -> None:
        self.study(deck_id)

    def _on_review_page_closed(self) -> None:
        self.show_deck_list()

    def _on_window_collection_changed(self, changes: Changes) -> None:
        self.deck_page.apply(changes)
        self._show_undo_label()
        self._show_later_warnings()

    def _show_later_warnings(self, found: list[str] = ()) -> None:
        """What the collection found while open (`found`, and what saving a change came across:
        this computer's journal replaced under the app), each told once."""
        warnings = [*found, *self.collection.take_warnings()]
        if warnings:
            QTimer.singleShot(0, lambda: dialogs.show_warnings(
                self, "Flashcards found problems in its data", warnings))

    def _show_undo_label(self) -> None:
        label = self.collection.undo_label
        self.undo_action.setText(f"&Undo {label}" if label else "&Undo")
        self.undo_action.setEnabled(label is not None)

    # -- Edit menu ----------------------------------------------------------------------------
    def _on_undo_action_triggered(self) -> None:
        label = self.collection.undo_label
        if label is None:
            return
        try:
            if self.pages.currentWidget() is self.review_page and self.review_page.session:
                changes = self.review_page.undo()
            else:
                changes = self.collection.undo()
        except StoreError as error:
            dialogs.show_error(self, "Could not undo", str(error))
            return
        self.collection_changed.emit(changes)
        self.statusBar().showMessage(f"Undone: {label}.", STATUS_SECONDS * 1000)

    # -- redo and the Add window (card_actions.py) ---------------------------------------------
    def _build_card_actions(self) -> None:
        """Edit > Redo and File > Add cards…; what the review screen's card actions (bury,
        suspend, flag, edit) and the Add window change is published like any change."""
        self.card_actions = CardActions(self)
        self.redo_action = self.card_actions.redo_action
        self.add_action = self.card_actions.add_action

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Back at the window after a while: learning cards may be due, a new day begun, or another
        # device's grades arrived through the sync tool.
        if (event.type() == QEvent.Type.ActivationChange and self.isActiveWindow()
                and self.pages.currentWidget() is self.deck_page):
            report = self.collection.refresh()
            if report.rebuilt or report.lines_read:
                self.collection_changed.emit(EVERYTHING)  # the browser too shows what came
            else:
                self.deck_page.apply(EVERYTHING)
            self._show_later_warnings(report.warnings)

    # -- File menu ----------------------------------------------------------------------------
    def _on_import_action_triggered(self) -> None:
        self.transfers.import_interactively()

    def _on_export_action_triggered(self) -> None:
        if self.pages.currentWidget() is self.review_page and self.review_page.session:
            deck_id = self.review_page.session.deck_id
        else:
            deck_id = self.deck_page.selected_deck_id()
        self.transfers.export_interactively(deck_id)

    def _on_restore_action_triggered(self) -> None:
        self.transfers.restore_interactively()

    def import_paths(self, paths: list[Path]) -> None:
        """Import files one after another; `import_finished` tells when they are in."""
        self.transfers.import_paths(paths)

    def _on_transfers_import_finished(self, results: list[ImportResult],
                                      changes: Changes) -> None:
        if changes:
            self.collection_changed.emit(changes)
        if results:
            if self.pages.currentWidget() is self.deck_page:
                self.deck_page.select_deck(results[0].deck_id)
            self.statusBar().showMessage(_import_summary(results), STATUS_SECONDS * 1000)
        self.import_finished.emit(results)

    def _on_transfers_export_finished(self, path: Path | None) -> None:
        if path is not None:
            self.statusBar().showMessage(f"Exported to {path}", STATUS_SECONDS * 1000)
        self.export_finished.emit(path)

    def _on_transfers_restore_finished(self, restored: bool) -> None:
        if restored:
            self.collection_changed.emit(EVERYTHING)
            self.show_deck_list()
            self.statusBar().showMessage("Backup restored.", STATUS_SECONDS * 1000)
        self.restore_finished.emit(restored)

    # -- Tools menu ---------------------------------------------------------------------------
    def _on_statistics_action_triggered(self) -> None:
        # Imported here: its plotting library is paid for when the window opens, not at start-up.
        from .statistics_window import StatisticsWindow

        window = StatisticsWindow(self.collection, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()

    # -- Help menu ----------------------------------------------------------------------------
    def _on_shortcuts_action_triggered(self) -> None:
        self._show_help(ShortcutsDialog(self, self.menuBar()))

    def _on_about_action_triggered(self) -> None:
        self._show_help(AboutDialog(self, self.collection.store.folder))

    def _show_help(self, dialog: QDialog) -> None:
        # Opened without blocking, so the window keeps painting; one help box at a time.
        if self._help_dialog is not None:
            self._help_dialog.close()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_help_dialog_finished)
        self._help_dialog = dialog
        dialog.open()

    def _on_help_dialog_finished(self) -> None:
        self._help_dialog = None

    # -- drag and drop ------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if _dropped_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _dropped_files(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        # Import once the drop has finished, so the file manager is not kept waiting.
        QTimer.singleShot(0, lambda: self.import_paths(paths))

    # -- start and end ------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        """Quitting with grades a failed write left in memory: try once more, then ask."""
        if self.collection.unsaved:
            try:
                self.collection.retry_pending()
            except StoreError as error:
                count = self.collection.unsaved
                if not dialogs.ask_confirmation(
                        self, "Grades not saved",
                        f"{error}\nQuit anyway and lose {count} unsaved "
                        f"grade{'s' if count != 1 else ''}?"):
                    event.ignore()
                    return
        super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._warnings_shown:
            self._warnings_shown = True
            warnings = list(self.collection.load_report.warnings)
            if warnings:
                QTimer.singleShot(0, lambda: dialogs.show_warnings(
                    self, "Flashcards found problems in its data", warnings))


def _dropped_files(event) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [path for path in paths if path.is_file()]


def _import_summary(results: list[ImportResult]) -> str:
    added = sum(r.added for r in results)
    updated = sum(r.updated for r in results)
    names = ", ".join(f"“{r.name}”" for r in results[:3]) + (" …" if len(results) > 3 else "")
    if not added and not updated:
        return f"{names} {'was' if len(results) == 1 else 'were'} already up to date: nothing changed."
    summary = f"Imported {names}: {added} new card{'s' if added != 1 else ''}"
    return summary + (f", {updated} updated." if updated else ".")
