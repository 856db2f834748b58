"""A side of a card being written: bold, italic, bulleted lists and pasted pictures.

The field gives card HTML of its own making (b, i, u, sub, sup, ul/ol, br, img and the cloze
span), never Qt's rich-text dump, and that HTML goes through the sanitiser an import uses before
it reaches the core. A pasted picture is kept in the media folder through the collection.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QMimeData, Qt, QUrl, Signal
from PySide6.QtGui import (QColor, QFont, QImage, QKeyEvent, QKeySequence, QTextCharFormat,
                           QTextCursor, QTextDocument, QTextListFormat)
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextEdit, QWidget

from flashcards.formats.html import clean_html

from . import accessibility

# Keeps a picture's bytes in the media folder under the given suffix; returns its file name.
StorePicture = Callable[[bytes, str], str]

# A hidden word of a cloze card is shown in this colour while editing, and a run of text in it
# is written back as the cloze span: Qt's rich text keeps no classes of its own.
CLOZE_COLOUR = "#1f5fc4"
_CLOZE_SPAN = re.compile(r'<span class="cloze">(.*?)</span>', re.DOTALL)
# A picture whose source the sanitiser took away (a remote one): nothing to show.
_NO_SOURCE_IMAGE = re.compile(r"<img\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
# Anki's keys for bold, italic and underline; Ctrl+Shift+L for a bulleted list, as in Word.
FORMAT_KEYS = {"Ctrl+B": "toggle_bold", "Ctrl+I": "toggle_italic", "Ctrl+U": "toggle_underline",
               "Ctrl+Shift+L": "toggle_bullets"}
_LINE_SEPARATOR = "\u2028"  # Shift+Enter: a line break inside a paragraph
_OBJECT = "\ufffc"  # where the document holds a picture


class RichTextField(QTextEdit):
    """Ctrl+B, Ctrl+I and Ctrl+U format the selection (or what is typed next), Ctrl+Shift+L
    makes a bulleted list; pictures pasted are stored in the media folder and shown."""

    # The text changed (typed, formatted, pasted).
    edited = Signal()

    def __init__(self, media_folder: Path, store_picture: StorePicture, parent=None) -> None:
        super().__init__(parent)
        self._media_folder = Path(media_folder).resolve()
        self._store_picture = store_picture
        self.setAcceptRichText(True)
        self.setTabChangesFocus(True)
        self.document().setBaseUrl(QUrl.fromLocalFile(str(self._media_folder) + "/"))
        self.textChanged.connect(self.edited)

    # -- card HTML in and out -----------------------------------------------------------------
    def set_card_html(self, card_html: str) -> None:
        """Show a card side; the document counts as unchanged until the learner edits it."""
        shown = _CLOZE_SPAN.sub(rf'<span style="color:{CLOZE_COLOUR}">\1</span>', card_html)
        self.setHtml(shown)
        self.document().setBaseUrl(QUrl.fromLocalFile(str(self._media_folder) + "/"))
        self.document().setModified(False)

    def card_html(self) -> str:
        """What the field holds, as clean card HTML ("" when empty)."""
        return clean_html(document_html(self.document()))

    def clear_field(self) -> None:
        self.clear()
        self.setCurrentCharFormat(QTextCharFormat())

    # -- formatting ---------------------------------------------------------------------------
    def toggle_bold(self) -> None:
        bold = self.fontWeight() > QFont.Weight.Normal
        self._merge(lambda f: f.setFontWeight(QFont.Weight.Normal if bold else QFont.Weight.Bold))

    def toggle_italic(self) -> None:
        italic = self.fontItalic()
        self._merge(lambda f: f.setFontItalic(not italic))

    def toggle_underline(self) -> None:
        underline = self.fontUnderline()
        self._merge(lambda f: f.setFontUnderline(not underline))

    def _merge(self, change: Callable[[QTextCharFormat], None]) -> None:
        text_format = QTextCharFormat()
        change(text_format)
        self.mergeCurrentCharFormat(text_format)

    def toggle_bullets(self) -> None:
        """Make the paragraphs under the cursor a bulleted list, or plain paragraphs again."""
        cursor = self.textCursor()
        current = cursor.currentList()
        if current is None:
            cursor.createList(QTextListFormat.Style.ListDisc)
            return
        cursor.beginEditBlock()
        document = self.document()
        first = document.findBlock(cursor.selectionStart())
        last = document.findBlock(cursor.selectionEnd())
        block = first
        while block.isValid():
            if block.textList() is not None:
                block.textList().remove(block)
                block_format = block.blockFormat()
                block_format.setIndent(0)
                QTextCursor(block).setBlockFormat(block_format)
            if block == last:
                break
            block = block.next()
        cursor.endEditBlock()

    def event(self, event: QEvent) -> bool:
        # The format keys work here, before the window's shortcuts (Ctrl+I imports) see them.
        if event.type() == QEvent.Type.ShortcutOverride and _format_method(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        method = _format_method(event)
        if method:
            getattr(self, method)()
            return
        super().keyPressEvent(event)

    # -- pasting ------------------------------------------------------------------------------
    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasImage() or bool(_picture_files(source)) or super().canInsertFromMimeData(
            source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """A picture is stored and shown; HTML is cleaned first (no script, nothing remote)."""
        if source.hasImage():
            self.insert_picture(QImage(source.imageData()))
        elif _picture_files(source):
            for path in _picture_files(source):
                self._insert_picture_file(path)
        elif source.hasHtml():
            self.textCursor().insertHtml(_NO_SOURCE_IMAGE.sub("", clean_html(source.html())))
        else:
            super().insertFromMimeData(source)

    def insert_picture(self, image: QImage) -> None:
        if image.isNull():
            return
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        self._insert_stored(self._store_picture(bytes(data), ".png"), image)

    def _insert_picture_file(self, path: Path) -> None:
        image = QImage(str(path))
        if not image.isNull():
            self._insert_stored(self._store_picture(path.read_bytes(), path.suffix.lower()),
                                image)

    def _insert_stored(self, name: str, image: QImage) -> None:
        self.document().addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        self.textCursor().insertHtml(f'<img src="{html.escape(name)}">')

    def loadResource(self, resource_type: int, url: QUrl):
        """Pictures of the card being edited, from the media folder only."""
        if url.scheme() not in ("", "file"):
            return None
        name = url.toLocalFile() if url.isLocalFile() else url.path()
        path = (self._media_folder / name).resolve()
        if not path.is_relative_to(self._media_folder) or not path.is_file():
            return None
        return QImage(str(path))


_PICTURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}


def _picture_files(source: QMimeData) -> list[Path]:
    if not source.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in source.urls() if url.isLocalFile()]
    return [path for path in paths if path.suffix.lower() in _PICTURE_SUFFIXES and path.is_file()]


def _format_method(event: QKeyEvent) -> str | None:
    """The field's method a format key calls (None: not a format key)."""
    return FORMAT_KEYS.get(QKeySequence(event.keyCombination()).toString())


class FormatBar(QWidget):
    """Bold, italic and bulleted-list buttons for whichever field has the focus last."""

    def __init__(self, fields: list[RichTextField], parent=None) -> None:
        super().__init__(parent)
        self._fields = fields
        self._field = fields[0]
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.bold_button = self._button("B", "Bold", "boldButton", "toggle_bold")
        self.italic_button = self._button("I", "Italic", "italicButton", "toggle_italic")
        self.list_button = self._button("•", "Bulleted list", "bulletsButton", "toggle_bullets")
        bold_font, italic_font = self.bold_button.font(), self.italic_button.font()
        bold_font.setBold(True)
        italic_font.setItalic(True)
        self.bold_button.setFont(bold_font)
        self.italic_button.setFont(italic_font)
        for button in (self.bold_button, self.italic_button, self.list_button):
            layout.addWidget(button)
        layout.addStretch(1)
        for field in fields:
            field.installEventFilter(self)

    def _button(self, text: str, spoken: str, name: str, method: str) -> QPushButton:
        """A button showing `text` (a letter or a sign), which a screen reader calls `spoken`."""
        key = next(key for key, called in FORMAT_KEYS.items() if called == method)
        button = accessibility.name(QPushButton(text), spoken)
        button.setObjectName(name)
        button.setProperty("formatButton", True)
        button.setToolTip(f"{spoken} ({shortcut_text(key)})")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the cursor
        button.clicked.connect(lambda: getattr(self._field, method)())
        return button

    def eventFilter(self, watched, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and watched in self._fields:
            self._field = watched
        return False


def document_html(document: QTextDocument) -> str:
    """A document's text as simple card HTML: paragraphs joined by <br>, lists as ul/ol."""
    parts: list[str] = []
    open_list, list_tag = None, ""
    block = document.begin()
    while block.isValid():
        text_list = block.textList()
        if text_list is not None:
            if text_list != open_list:
                if open_list is not None:
                    parts.append(f"</{list_tag}>")
                list_tag = "ol" if _numbered(text_list.format().style()) else "ul"
                parts.append(f"<{list_tag}>")
                open_list = text_list
            parts.append(f"<li>{_inline_html(block)}</li>")
        else:
            if open_list is not None:
                parts.append(f"</{list_tag}>")
                open_list = None
            elif parts:
                parts.append("<br>")
            parts.append(_inline_html(block))
        block = block.next()
    if open_list is not None:
        parts.append(f"</{list_tag}>")
    text = "".join(parts)
    while text.endswith("<br>"):
        text = text[:-4]
    return text


def _numbered(style: QTextListFormat.Style) -> bool:
    return style in (QTextListFormat.Style.ListDecimal, QTextListFormat.Style.ListLowerAlpha,
                     QTextListFormat.Style.ListUpperAlpha, QTextListFormat.Style.ListLowerRoman,
                     QTextListFormat.Style.ListUpperRoman)


def _inline_html(block) -> str:
    pieces = []
    iterator = block.begin()
    while not iterator.atEnd():
        fragment = iterator.fragment()
        if fragment.isValid():
            pieces.append(_fragment_html(fragment.text(), fragment.charFormat()))
        iterator += 1
    return "".join(pieces)


def _fragment_html(text: str, char_format: QTextCharFormat) -> str:
    if char_format.isImageFormat():
        name = char_format.toImageFormat().name()
        if not name:
            return ""
        return f'<img src="{html.escape(name)}">' * max(1, text.count(_OBJECT))
    out = html.escape(text, quote=False).replace(_LINE_SEPARATOR, "<br>").replace(_OBJECT, "")
    alignment = char_format.verticalAlignment()
    if alignment == QTextCharFormat.VerticalAlignment.AlignSuperScript:
        out = f"<sup>{out}</sup>"
    elif alignment == QTextCharFormat.VerticalAlignment.AlignSubScript:
        out = f"<sub>{out}</sub>"
    if char_format.fontUnderline():
        out = f"<u>{out}</u>"
    if char_format.fontItalic():
        out = f"<i>{out}</i>"
    if char_format.fontWeight() > QFont.Weight.Medium:
        out = f"<b>{out}</b>"
    if char_format.foreground().color() == QColor(CLOZE_COLOUR):
        out = f'<span class="cloze">{out}</span>'
    return out


def shortcut_text(sequence: str) -> str:
    """A key sequence as this platform writes it ("Ctrl+Return")."""
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)
