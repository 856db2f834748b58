"""The review page: renders what a ReviewSession says and forwards the person's keys and clicks.

Besides grading, Anki's keys act on the card: - buries it, @ suspends it, Ctrl+1..4 flag it,
E edits it in place. What each did is said in a line that fades after a few seconds.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from pathlib import Path

from PySide6.QtCore import QTimer, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QPushButton, QStackedWidget,
                               QVBoxLayout, QWidget)

from flashcards.core.changes import Changes
from flashcards.core.progress import Rating
from flashcards.core.review import ReviewSession, Screen
from flashcards.core.store import StoreError
from flashcards.formats.html import text_line

from . import accessibility, audio, dialogs
from .card_view import CardView, card_page_html
from .finished_page import FINISHED_TEXT, FinishedPage
from .held_keys import HeldKeyFilter
from .review_overlays import CardEditor, FlagMark, NoticeLine
from .review_widgets import Counter, ElidedLabel, key_button
from .wording import interval_words, spoken_text

__all__ = ["FINISHED_TEXT", "ReviewPage"]  # the finished screen's title, as tests read it

CARD_MAX_WIDTH = 820

_GRADE_KEYS = {Qt.Key.Key_1: Rating.AGAIN, Qt.Key.Key_2: Rating.HARD,
               Qt.Key.Key_3: Rating.GOOD, Qt.Key.Key_4: Rating.EASY}
_CONFIRM_KEYS = {Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter}
# Ctrl and these keys flag the card red, orange, green or blue, as in Anki.
_FLAG_KEYS = {Qt.Key.Key_1: 1, Qt.Key.Key_2: 2, Qt.Key.Key_3: 3, Qt.Key.Key_4: 4}
_CONTROL = Qt.KeyboardModifier.ControlModifier
# "@" takes Shift on most keyboards.
_SHIFT_OR_NONE = {Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier}


# Narrower than this, the review screen drops the count captions and puts the grades on two rows.
NARROW_WIDTH = 560

# The finished screen waits for the next card by itself only when it comes within this time.
MAX_WAIT = timedelta(hours=12)


def _grade_text(rating: Rating, interval: str) -> str:
    """A grade button's text: the grade and its key, then the interval it gives."""
    return f"{rating.label} ({int(rating)})\n{interval}"


class ReviewPage(QWidget):
    """Question, then answer under it, then four grade buttons; or the "finished" message."""

    closed = Signal()
    # A grade was saved; carries its Changes.
    card_graded = Signal(object)
    # The card on screen was buried, suspended, flagged or edited, or more new cards were let
    # through today; carries the Changes.
    card_changed = Signal(object)

    def __init__(self, media_folder: Path, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPage")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # A held key would otherwise reveal and grade card after card without a look.
        self.installEventFilter(HeldKeyFilter(self))
        self.session: ReviewSession | None = None
        self.sounds = audio.CardSounds(media_folder, audio.SoundPlayer(self))
        # On the finished screen: fires when the next card may be shown, so it appears by itself.
        self.next_card_timer = QTimer(self)
        self.next_card_timer.setSingleShot(True)
        self.next_card_timer.timeout.connect(self._on_next_card_timer_timeout)

        self.deck_label = ElidedLabel()
        self.deck_label.setObjectName("deckName")
        self.new_counter = Counter("new", "New")
        self.learning_counter = Counter("learning", "Learning")
        self.due_counter = Counter("due", "Due")
        header = QHBoxLayout()
        header.setSpacing(18)
        header.addWidget(self.deck_label, 1)
        for counter in (self.new_counter, self.learning_counter, self.due_counter):
            header.addWidget(counter)

        self.card_view = accessibility.name(CardView(media_folder), "Card")
        self.card_view.setMaximumWidth(CARD_MAX_WIDTH)
        # What was last announced, and of what: a redraw of the same screen says nothing again.
        self._announced: tuple | None = None
        self.flag_mark = FlagMark()
        self.card_view.set_corner_widget(self.flag_mark)
        self.notice_line = NoticeLine()
        self.editor = CardEditor(media_folder, self._store_picture)
        self.editor.setMaximumWidth(CARD_MAX_WIDTH)
        card_row = QHBoxLayout()
        card_row.addStretch(0)
        card_row.addWidget(self.card_view, 100)
        card_row.addStretch(0)
        card_page = QWidget()
        card_page.setLayout(card_row)
        card_row.setContentsMargins(0, 0, 0, 0)

        self.finished_page = FinishedPage()
        # The finished screen's parts, as tests and the window name them.
        self.finished_label = self.finished_page.title
        self.next_due_label = self.finished_page.next_due_label
        self.back_button = self.finished_page.back_button
        self.more_new_label = self.finished_page.more_new_label
        self.study_more_button = self.finished_page.study_more_button

        editor_row = QHBoxLayout()
        editor_row.setContentsMargins(0, 0, 0, 0)
        editor_row.addStretch(0)
        editor_row.addWidget(self.editor, 100)
        editor_row.addStretch(0)
        editor_page = QWidget()
        editor_page.setLayout(editor_row)

        self._body = QStackedWidget()
        self._body.addWidget(card_page)
        self._body.addWidget(self.finished_page)
        self._body.addWidget(editor_page)

        self.show_answer_button = key_button("Show answer", "showAnswerButton", "Space",
                                             key_shown=True)
        question_bar = QWidget()
        question_layout = QHBoxLayout(question_bar)
        question_layout.setContentsMargins(0, 0, 0, 0)
        question_layout.addStretch(1)
        question_layout.addWidget(self.show_answer_button)
        question_layout.addStretch(1)

        self.grade_buttons: dict[Rating, QPushButton] = {}
        answer_bar = QWidget()
        self._answer_layout = answer_layout = QGridLayout(answer_bar)
        self._grades_per_row = 0
        answer_layout.setContentsMargins(0, 0, 0, 0)
        answer_layout.setSpacing(10)
        for rating in Rating:
            button = QPushButton(_grade_text(rating, ""))
            accessibility.name(button, rating.label)  # said without the key and the interval
            button.setObjectName(f"{rating.name.lower()}Button")
            button.setProperty("grade", True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolTip(f"{rating.label} (key {int(rating)})")
            button.clicked.connect(partial(self._on_grade_button_clicked, rating))
            self.grade_buttons[rating] = button
        self._arrange_grade_buttons(per_row=4)

        self._footer = QStackedWidget()
        self._footer.addWidget(question_bar)
        self._footer.addWidget(answer_bar)
        self._footer.addWidget(QWidget())
        self._footer.setObjectName("reviewFooter")

        line = QFrame()
        line.setObjectName("headerLine")
        line.setFrameShape(QFrame.Shape.HLine)

        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 20)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addWidget(line)
        layout.addWidget(self._body, 1)
        layout.addWidget(self.notice_line)
        layout.addWidget(self._footer)

        self.show_answer_button.clicked.connect(self._on_show_answer_button_clicked)
        self.back_button.clicked.connect(self._on_back_button_clicked)
        self.study_more_button.clicked.connect(self._on_study_more_button_clicked)
        self.editor.saved.connect(self._on_editor_saved)
        self.editor.cancelled.connect(self._on_editor_cancelled)

    # -- fitting a narrow window ------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        narrow = self.width() < NARROW_WIDTH
        margin = 12 if narrow else 24
        self._layout.setContentsMargins(margin, 16, margin, 20)
        for counter in (self.new_counter, self.learning_counter, self.due_counter):
            counter.caption.setVisible(not narrow)
        self._arrange_grade_buttons(per_row=2 if narrow else 4)

    def _arrange_grade_buttons(self, per_row: int) -> None:
        """The four grade buttons in one row, or two rows of two when the window is narrow."""
        grid = self._answer_layout
        if self._grades_per_row == per_row:
            return
        self._grades_per_row = per_row
        for button in self.grade_buttons.values():
            grid.removeWidget(button)
        for index, button in enumerate(self.grade_buttons.values()):
            grid.addWidget(button, index // per_row, 1 + index % per_row)
        for column in range(grid.columnCount()):
            grid.setColumnStretch(column, 0)
        # Empty columns either side keep the buttons together in the middle.
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(per_row + 1, 1)

    # -- what the session says ----------------------------------------------------------------
    def start(self, session: ReviewSession) -> None:
        self.session = session
        accessibility.name(self, f"Studying {session.deck_name}")
        self._announced = None
        self._stop_editing()
        self.notice_line.clear_notice()
        self.render()

    def render(self) -> None:
        session = self.session
        if session is None:
            return
        self.deck_label.setText(session.deck_name)
        counts = session.counts
        self.new_counter.set_value(counts.new)
        self.learning_counter.set_value(counts.learning)
        self.due_counter.set_value(counts.due)
        self.next_card_timer.stop()
        notice = session.take_notice()
        if notice:
            self.notice_line.say(notice)
        if session.screen is Screen.FINISHED or session.card is None:
            self._stop_editing()
            now = session.collection.clock.now()
            next_due = session.next_due()
            self.finished_page.show_session(session, next_due, now)
            if next_due is not None and next_due - now < MAX_WAIT:
                self.next_card_timer.start(max(0, int((next_due - now).total_seconds() * 1000)) + 500)
            self._body.setCurrentIndex(1)
            self._footer.setCurrentIndex(2)
            self.sounds.stop()
            self._announce(self.finished_page, self.finished_page.spoken_text(), Screen.FINISHED)
            return
        card = session.card
        self.flag_mark.set_flag(session.flag)
        if self.editing:
            return
        sides = [card.front, card.back] if session.screen is Screen.ANSWER else [card.front]
        self.card_view.show_html(card_page_html(audio.label_sounds(card.front),
                                            audio.label_sounds(card.back),
                                            answer_shown=session.screen is Screen.ANSWER)
                                 + self.sounds.note(sides))
        self.sounds.show((card.id, session.screen), sides)
        for button_state in session.buttons:
            button = self.grade_buttons[button_state.rating]
            button.setText(_grade_text(button_state.rating, button_state.interval))
            interval, key = interval_words(button_state.interval), int(button_state.rating)
            button.setToolTip(f"{button_state.label}: next review in {interval} (key {key})")
            button.setAccessibleDescription(f"Next review in {interval}, key {key}")
        self._body.setCurrentIndex(0)
        self._footer.setCurrentIndex(1 if session.screen is Screen.ANSWER else 0)
        if session.screen is Screen.ANSWER:
            self.card_view.scrollToAnchor("answer")
        # The side just shown: the answer (a cloze's whole sentence), or the question.
        spoken = spoken_text(sides[-1])
        self.card_view.setAccessibleDescription(spoken)
        self._announce(self.card_view, spoken, (card.id, session.screen))

    def _announce(self, widget: QWidget, text: str, shown: object) -> None:
        """Have a screen reader say what just appeared, once: `shown` tells it from what was
        there before, so that a redraw (a flag, a card added elsewhere) repeats nothing."""
        if self._announced != (shown, text):
            self._announced = (shown, text)
            accessibility.announce(widget, text)

    def _on_next_card_timer_timeout(self) -> None:
        if self.session is not None and self.isVisible():
            self.session.resume()
            self.render()

    @property
    def screen(self) -> Screen | None:
        return self.session.screen if self.session else None

    # -- what the person does -----------------------------------------------------------------
    @property
    def editing(self) -> bool:
        """Whether the editor is open over the card (E)."""
        return self._body.currentWidget() is self.editor.parentWidget()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        screen = self.screen
        on_card = screen in (Screen.QUESTION, Screen.ANSWER) and not self.editing
        if on_card and modifiers == _CONTROL and key in _FLAG_KEYS:
            self._act(partial(self.session.toggle_flag, _FLAG_KEYS[key]))
            return
        if on_card and modifiers in _SHIFT_OR_NONE and key == Qt.Key.Key_At:
            self._act(self.session.suspend)
            return
        if modifiers or self.editing:
            super().keyPressEvent(event)
            return
        if key == Qt.Key.Key_Escape:
            self.closed.emit()
        elif screen is Screen.QUESTION and key in _CONFIRM_KEYS:
            self._show_answer()
        elif screen is Screen.ANSWER and key in _CONFIRM_KEYS:
            self._grade(Rating.GOOD)
        elif screen is Screen.ANSWER and key in _GRADE_KEYS:
            self._grade(_GRADE_KEYS[key])
        elif screen is Screen.FINISHED and key in _CONFIRM_KEYS:
            self.closed.emit()
        elif screen is Screen.FINISHED and key == Qt.Key.Key_C and self.finished_page.offers_more:
            self._on_study_more_button_clicked()
        elif on_card and key == Qt.Key.Key_R:
            self.sounds.replay()
        elif on_card and key == Qt.Key.Key_Minus:
            self._act(self.session.bury)
        elif on_card and key == Qt.Key.Key_E:
            self._start_editing()
        else:
            super().keyPressEvent(event)

    def hideEvent(self, event) -> None:
        # Leaving the page, or closing the window, silences the card.
        self.sounds.stop()
        super().hideEvent(event)

    def _on_show_answer_button_clicked(self) -> None:
        self._show_answer()

    def _on_grade_button_clicked(self, rating: Rating) -> None:
        self._grade(rating)

    def _on_back_button_clicked(self) -> None:
        self.closed.emit()

    def _show_answer(self) -> None:
        if self.session is not None:
            self.session.show_answer()
            self.render()

    def _retry_until_saved_or_given_up(self, message: str) -> Changes | None:
        """Offer Retry while saving fails; the grade stays in memory when the person stops asking."""
        while dialogs.ask_retry(self, "Could not save the grade",
                                f"{message}\nYour grade is kept and will be saved when you retry."):
            try:
                return self.session.retry()
            except StoreError as error:
                message = str(error)
        return None

    def _grade(self, rating: Rating) -> None:
        if self.session is None:
            return
        try:
            changes = self.session.grade(rating)
        except StoreError as error:
            changes = self._retry_until_saved_or_given_up(str(error))
            if changes is None:
                return
        if changes:
            self.card_graded.emit(changes)
        self.render()

    def undo(self) -> Changes:
        """Take back the last operation; an undone grade of this deck comes back on screen.
        Raises StoreError when the undo cannot be saved."""
        self._stop_editing()
        changes = self.session.undo()
        self.render()
        return changes

    def redo(self) -> Changes:
        """Do again the last operation undone. Raises StoreError when it cannot be saved."""
        self._stop_editing()
        changes = self.session.redo()
        self.render()
        return changes

    def apply(self, changes: Changes) -> None:
        """A change made outside the page (a card added): the counts, or the finished screen,
        follow it; the card on screen stays."""
        if self.session is not None and not self.editing:
            self.session.catch_up(changes)
            self.render()

    # -- acting on the card -------------------------------------------------------------------
    def _act(self, action) -> None:
        """Do one of the session's actions on the card, publish what changed and redraw."""
        if self.session is None:
            return
        try:
            changes = action()
        except StoreError as error:
            dialogs.show_error(self, "Could not save the change", str(error))
            return
        if changes:
            self.card_changed.emit(changes)
        self.render()

    def _store_picture(self, data: bytes, suffix: str) -> str:
        return self.session.collection.add_media(data, suffix)

    def _start_editing(self) -> None:
        if self.session is None or self.session.card is None:
            return
        self.sounds.stop()
        self.editor.start(self.session.card)
        self._body.setCurrentWidget(self.editor.parentWidget())
        self._footer.setCurrentIndex(2)
        self.editor.front_field.setFocus()

    def _stop_editing(self) -> None:
        if self.editing:
            self._body.setCurrentIndex(0)
            self.setFocus()

    def _on_editor_saved(self, front: str, back: str) -> None:
        if not text_line(front):
            self.notice_line.say("A card needs a front.")
            return
        self._stop_editing()
        self._act(partial(self.session.edit, front, back))

    def _on_editor_cancelled(self) -> None:
        self._stop_editing()
        self.render()

    def _on_study_more_button_clicked(self) -> None:
        self._act(self.session.study_more_new)
        self.setFocus()
