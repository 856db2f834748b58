"""The review screen when nothing is left for today: what comes next, and more new cards."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from flashcards.core.review import ReviewSession

from .review_widgets import key_button
from .wording import next_due_text

FINISHED_TEXT = "Congratulations! You have finished this deck for today."


def _centred_label(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class FinishedPage(QWidget):
    """Congratulations, when the next card is due, Back to decks; and, when new cards wait
    beyond today's limit, how many and a button (C) that lets the day's limit through again
    (Anki's custom study, in one click)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = _centred_label(FINISHED_TEXT, "finishedTitle")
        self.next_due_label = _centred_label("", "nextDueLabel")
        self.back_button = key_button("Back to decks", "backButton", "Esc")
        self.more_new_label = _centred_label("", "moreNewLabel")
        self.study_more_button = key_button("", "studyMoreButton", "C")
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addSpacing(8)
        layout.addWidget(self.next_due_label)
        layout.addSpacing(20)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(28)
        layout.addWidget(self.more_new_label)
        layout.addSpacing(6)
        layout.addWidget(self.study_more_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def show_session(self, session: ReviewSession, next_due: datetime | None,
                     now: datetime) -> None:
        self.next_due_label.setText(next_due_text(next_due, now, session.collection.tz))
        left, more = session.new_cards_left(), session.more_new_cards
        self.more_new_label.setVisible(left > 0 and more > 0)
        self.study_more_button.setVisible(left > 0 and more > 0)
        if left and more:
            self.more_new_label.setText(
                f"{left} new card{' is' if left == 1 else 's are'} left beyond today's limit.")
            self.study_more_button.setText(
                f"Study {more} more new card{'' if more == 1 else 's'} today")

    @property
    def offers_more(self) -> bool:
        """Whether more new cards can be let through today (the button is there)."""
        return not self.study_more_button.isHidden()

    def spoken_text(self) -> str:
        """What the page says, as a screen reader announces it when the page appears."""
        labels = (self.title, self.next_due_label, self.more_new_label)
        return " ".join(label.text() for label in labels if label.text() and not label.isHidden())
