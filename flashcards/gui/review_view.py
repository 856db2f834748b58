"""The review page: renders what a ReviewSession says and forwards the person's keys and clicks."""

from __future__ import annotations

import html
from datetime import timedelta
from functools import partial
from pathlib import Path

from PySide6.QtCore import QTimer, QUrl, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextOption
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy,
                               QStackedWidget, QTextBrowser, QVBoxLayout, QWidget)

from flashcards.core.changes import Changes
from flashcards.core.progress import Rating
from flashcards.core.review import ReviewSession, Screen
from flashcards.core.store import StoreError

from . import audio, dialogs, theme
from .held_keys import HeldKeyFilter
from .wording import next_due_text

FINISHED_TEXT = "Congratulations! You have finished this deck for today."
CARD_MAX_WIDTH = 820

_GRADE_KEYS = {Qt.Key.Key_1: Rating.AGAIN, Qt.Key.Key_2: Rating.HARD,
               Qt.Key.Key_3: Rating.GOOD, Qt.Key.Key_4: Rating.EASY}
_CONFIRM_KEYS = {Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter}
# How card HTML marks a hidden word (docs/deck-format.md, "Cloze cards").
_CLOZE = 'class="cloze"'


# Narrower than this, the review screen drops the count captions and puts the grades on two rows.
NARROW_WIDTH = 560

# The finished screen waits for the next card by itself only when it comes within this time.
MAX_WAIT = timedelta(hours=12)


class CardView(QTextBrowser):
    """Shows a card's HTML. Images load from the media folder only; nothing loads from elsewhere."""

    def __init__(self, media_folder: Path, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("cardView")
        self._media_folder = Path(media_folder).resolve()
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSearchPaths([str(self._media_folder)])
        document = self.document()
        document.setBaseUrl(QUrl.fromLocalFile(str(self._media_folder) + "/"))
        document.setDefaultStyleSheet(theme.card_style_sheet())
        option = QTextOption(document.defaultTextOption())
        option.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        document.setDefaultTextOption(option)
        document.setDocumentMargin(24)

    def show_html(self, html: str) -> None:
        self.setHtml(html)
        # setHtml resets the base URL: relative image names must keep resolving in the media folder.
        self.document().setBaseUrl(QUrl.fromLocalFile(str(self._media_folder) + "/"))

    def loadResource(self, resource_type: int, url: QUrl):
        if url.scheme() == "data":
            return super().loadResource(resource_type, url)
        if url.scheme() not in ("", "file"):
            return None  # never reach out to the network from a card
        name = url.toLocalFile() if url.isLocalFile() else url.path()
        path = (self._media_folder / name).resolve()
        if not path.is_relative_to(self._media_folder) or not path.is_file():
            return None
        return super().loadResource(resource_type, QUrl.fromLocalFile(str(path)))


class ElidedLabel(QLabel):
    """A one-line plain-text label that ends in "…" when its text does not fit."""

    def __init__(self, text: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._full_text = ""
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 -- Qt's name
        self._full_text = text
        self.setToolTip(f"<qt>{html.escape(text)}</qt>")
        self._elide()

    def text(self) -> str:
        """The whole text, as set; `shown_text` is what fits."""
        return self._full_text

    def shown_text(self) -> str:
        return super().text()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full_text, Qt.TextElideMode.ElideRight,
                                              max(self.contentsRect().width(), 0))
        super().setText(shown)


class _Counter(QWidget):
    """One of the New / Learning / Due numbers in the review header."""

    def __init__(self, kind: str, caption: str, parent=None) -> None:
        super().__init__(parent)
        self.number = QLabel("0")
        self.number.setTextFormat(Qt.TextFormat.PlainText)
        self.number.setObjectName(f"{kind}Count")
        self.number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.caption = label = QLabel(caption)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setObjectName("countCaption")
        self.number.setToolTip(caption)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.number)
        layout.addWidget(label)

    def set_value(self, value: int) -> None:
        self.number.setText(str(value))


def _card_html(front: str, back: str, *, answer_shown: bool) -> str:
    """The question, then the answer under it; a cloze's answer instead takes the question's
    place, as in Anki: the same text again with the hidden words filled in."""
    if answer_shown and _CLOZE in front:
        html = f'<a name="answer"></a><div class="answer">{back}</div>'
    else:
        html = f'<div class="question">{front}</div>'
        if answer_shown:
            html += f'<hr/><a name="answer"></a><div class="answer">{back}</div>'
    # The card style sheet colours hidden words for the look in use.
    return f'<div class="{"dark" if theme.is_dark() else "light"}">{html}</div>'


def _grade_text(rating: Rating, interval: str) -> str:
    """A grade button's text: the grade and its key, then the interval it gives."""
    return f"{rating.label} ({int(rating)})\n{interval}"


def _key_button(text: str, name: str, key: str) -> QPushButton:
    """A button that never takes the keyboard focus: the page handles keys, the button says which."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(key)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button


class ReviewPage(QWidget):
    """Question, then answer under it, then four grade buttons; or the "finished" message."""

    closed = Signal()
    # A grade was saved; carries its Changes.
    card_graded = Signal(object)

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
        self.new_counter = _Counter("new", "New")
        self.learning_counter = _Counter("learning", "Learning")
        self.due_counter = _Counter("due", "Due")
        header = QHBoxLayout()
        header.setSpacing(18)
        header.addWidget(self.deck_label, 1)
        for counter in (self.new_counter, self.learning_counter, self.due_counter):
            header.addWidget(counter)

        self.card_view = CardView(media_folder)
        self.card_view.setMaximumWidth(CARD_MAX_WIDTH)
        card_row = QHBoxLayout()
        card_row.addStretch(0)
        card_row.addWidget(self.card_view, 100)
        card_row.addStretch(0)
        card_page = QWidget()
        card_page.setLayout(card_row)
        card_row.setContentsMargins(0, 0, 0, 0)

        self.finished_label = QLabel(FINISHED_TEXT)
        self.finished_label.setTextFormat(Qt.TextFormat.PlainText)
        self.finished_label.setObjectName("finishedTitle")
        self.finished_label.setWordWrap(True)
        self.finished_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_due_label = QLabel()
        self.next_due_label.setTextFormat(Qt.TextFormat.PlainText)
        self.next_due_label.setObjectName("nextDueLabel")
        self.next_due_label.setWordWrap(True)
        self.next_due_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.back_button = _key_button("Back to decks", "backButton", "Esc")
        finished_page = QWidget()
        finished_layout = QVBoxLayout(finished_page)
        finished_layout.addStretch(2)
        finished_layout.addWidget(self.finished_label)
        finished_layout.addSpacing(8)
        finished_layout.addWidget(self.next_due_label)
        finished_layout.addSpacing(20)
        finished_layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignHCenter)
        finished_layout.addStretch(3)

        self._body = QStackedWidget()
        self._body.addWidget(card_page)
        self._body.addWidget(finished_page)

        self.show_answer_button = _key_button("Show answer  (Space)", "showAnswerButton", "Space")
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
        layout.addWidget(self._footer)

        self.show_answer_button.clicked.connect(self._on_show_answer_button_clicked)
        self.back_button.clicked.connect(self._on_back_button_clicked)

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
        if session.screen is Screen.FINISHED or session.card is None:
            now = session.collection.clock.now()
            next_due = session.next_due()
            self.next_due_label.setText(next_due_text(next_due, now, session.collection.tz))
            if next_due is not None and next_due - now < MAX_WAIT:
                self.next_card_timer.start(max(0, int((next_due - now).total_seconds() * 1000)) + 500)
            self._body.setCurrentIndex(1)
            self._footer.setCurrentIndex(2)
            self.sounds.stop()
            return
        card = session.card
        sides = [card.front, card.back] if session.screen is Screen.ANSWER else [card.front]
        self.card_view.show_html(_card_html(audio.label_sounds(card.front),
                                            audio.label_sounds(card.back),
                                            answer_shown=session.screen is Screen.ANSWER)
                                 + self.sounds.note(sides))
        self.sounds.show((card.id, session.screen), sides)
        for button_state in session.buttons:
            button = self.grade_buttons[button_state.rating]
            button.setText(_grade_text(button_state.rating, button_state.interval))
            button.setToolTip(f"{button_state.label}: next review in {button_state.interval} "
                              f"(key {int(button_state.rating)})")
        self._body.setCurrentIndex(0)
        self._footer.setCurrentIndex(1 if session.screen is Screen.ANSWER else 0)
        if session.screen is Screen.ANSWER:
            self.card_view.scrollToAnchor("answer")

    def _on_next_card_timer_timeout(self) -> None:
        if self.session is not None and self.isVisible():
            self.session.resume()
            self.render()

    @property
    def screen(self) -> Screen | None:
        return self.session.screen if self.session else None

    # -- what the person does -----------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
            return
        screen = self.screen
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
        elif screen in (Screen.QUESTION, Screen.ANSWER) and key == Qt.Key.Key_R:
            self.sounds.replay()
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
        changes = self.session.undo()
        self.render()
        return changes
