"""What the review page shows besides the card: the line saying what just happened, the card's
colour flag, and the small editor that opens over the card (E)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEasingCurve, QPointF, QPropertyAnimation, QTimer, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPainterPath, QPen, QShortcut
from PySide6.QtWidgets import (QFrame, QGraphicsOpacityEffect, QHBoxLayout, QLabel, QPushButton,
                               QVBoxLayout, QWidget)

from flashcards.core.deck import Card
from flashcards.core.review import FLAG_NAMES

from . import accessibility, theme
from .card_fields import FormatBar, RichTextField, StorePicture

# How long a notice stays before it fades, and how long the fading takes.
NOTICE_MS = 3000
FADE_MS = 700

# Anki's flag colours, a little deeper on a light page and lighter on a dark one.
_FLAG_COLOURS = {
    "light": {1: "#d93a3a", 2: "#e8811c", 3: "#3d9a2f", 4: "#2f78d6", 5: "#d65ac8",
              6: "#14a89a", 7: "#8a55c9"},
    "dark": {1: "#ff6b6b", 2: "#ffa14a", 3: "#6fd35a", 4: "#6cb2ff", 5: "#ff86ee",
             6: "#2fd8c2", 7: "#b58cf0"},
}


def flag_colour(flag: int) -> QColor:
    return QColor(_FLAG_COLOURS["dark" if theme.is_dark() else "light"][flag])


class NoticeLine(QLabel):
    """One line saying what the last action did; it stays a few seconds, then fades away.
    Its room is kept while empty, so the card does not jump when a notice comes."""

    # The notice has faded away.
    faded = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewNotice")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self._opacity = QGraphicsOpacityEffect(self)
        self._opacity.setOpacity(0.0)
        self.setGraphicsEffect(self._opacity)
        self.hold_timer = QTimer(self)
        self.hold_timer.setSingleShot(True)
        self.hold_timer.setInterval(NOTICE_MS)
        self.hold_timer.timeout.connect(self._on_hold_timer_timeout)
        self._fade = QPropertyAnimation(self._opacity, b"opacity", self)
        self._fade.setDuration(FADE_MS)
        self._fade.setEasingCurve(QEasingCurve.Type.InQuad)
        self._fade.finished.connect(self._on_fade_finished)

    def say(self, text: str) -> None:
        self._fade.stop()
        self.setText(text)
        self._opacity.setOpacity(1.0)
        self.hold_timer.start()
        accessibility.announce(self, text)  # gone in a few seconds: said at once

    def clear_notice(self) -> None:
        self.hold_timer.stop()
        self._fade.stop()
        self._opacity.setOpacity(0.0)
        self.setText("")

    @property
    def showing(self) -> bool:
        """Whether a notice is on screen (not yet faded away)."""
        return bool(self.text()) and self._opacity.opacity() > 0

    def _on_hold_timer_timeout(self) -> None:
        self._fade.setStartValue(1.0)
        self._fade.setEndValue(0.0)
        self._fade.start()

    def _on_fade_finished(self) -> None:
        self.setText("")
        self.faded.emit()

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setHeight(max(hint.height(), self.fontMetrics().height() + 4))
        return hint

    def minimumSizeHint(self):
        return self.sizeHint()


class FlagMark(QWidget):
    """A small pennant in the flag's colour, at the card's corner; hidden without a flag."""

    SIZE = 30

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("flagMark")
        self.setFixedSize(self.SIZE, self.SIZE)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.flag = 0
        self.hide()

    def set_flag(self, flag: int) -> None:
        self.flag = flag
        if flag:
            name = FLAG_NAMES[flag]
            self.setToolTip(f"Flagged {name}")
            self.setAccessibleName(f"Flagged {name}")
        self.setVisible(bool(flag))
        self.update()

    def paintEvent(self, event) -> None:
        if not self.flag:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = flag_colour(self.flag)
        size = float(self.SIZE)
        painter.setPen(QPen(colour.darker(130), 2.2, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap))
        painter.drawLine(QPointF(size * 0.25, size * 0.12), QPointF(size * 0.25, size * 0.9))
        pennant = QPainterPath(QPointF(size * 0.29, size * 0.14))
        pennant.lineTo(QPointF(size * 0.88, size * 0.32))
        pennant.lineTo(QPointF(size * 0.29, size * 0.52))
        pennant.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPath(pennant)


class CardEditor(QFrame):
    """Front and Back of the card on screen, over the card: Ctrl+Return saves, Esc cancels."""

    # The learner saved; carries the front and back as clean card HTML.
    saved = Signal(str, str)
    cancelled = Signal()

    def __init__(self, media_folder: Path, store_picture: StorePicture, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("cardEditor")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._card: Card | None = None
        self.front_field = RichTextField(media_folder, store_picture)
        self.front_field.setObjectName("frontField")
        self.back_field = RichTextField(media_folder, store_picture)
        self.back_field.setObjectName("backField")
        self.format_bar = FormatBar([self.front_field, self.back_field])
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("saveEditButton")
        self.save_button.setToolTip("Save (Ctrl+Return)")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Cancel (Esc)")
        for button in (self.save_button, self.cancel_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        title = QLabel("Edit card")
        title.setObjectName("editorTitle")
        buttons = QHBoxLayout()
        buttons.addWidget(self.format_bar, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        layout.addWidget(title)
        for caption, field in (("Front", self.front_field), ("Back", self.back_field)):
            label = QLabel(caption)
            label.setObjectName("fieldCaption")
            label.setBuddy(field)
            layout.addWidget(label)
            layout.addWidget(field, 1)
        layout.addLayout(buttons)
        for keys, slot in (("Ctrl+Return", self._save), ("Ctrl+Enter", self._save),
                           ("Esc", self.cancelled.emit)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.save_button.clicked.connect(self._save)
        self.cancel_button.clicked.connect(self.cancelled)

    def start(self, card: Card) -> None:
        self._card = card
        self.front_field.set_card_html(card.front)
        self.back_field.set_card_html(card.back)
        self.front_field.setFocus()
        self.front_field.moveCursor(self.front_field.textCursor().MoveOperation.End)

    def _save(self) -> None:
        """Only a side the learner changed is written anew: the other keeps its HTML exactly
        (markup the editor cannot show, such as a table, is not lost by opening it)."""
        if self._card is None:
            return
        sides = []
        for field, before in ((self.front_field, self._card.front),
                              (self.back_field, self._card.back)):
            sides.append(field.card_html() if field.document().isModified() else before)
        self.saved.emit(*sides)
