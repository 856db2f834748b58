"""A card as the review page shows it: its HTML, with pictures from the media folder only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QFrame, QTextBrowser

from . import theme

# How card HTML marks a hidden word (docs/deck-format.md, "Cloze cards").
_CLOZE = 'class="cloze"'


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

    def set_corner_widget(self, widget) -> None:
        """A widget kept at the card's top right corner (the flag), above the text."""
        widget.setParent(self)
        self._corner = widget
        self._place_corner()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_corner()

    def _place_corner(self) -> None:
        corner = getattr(self, "_corner", None)
        if corner is not None:
            corner.move(self.width() - corner.width() - 10, 10)
            corner.raise_()

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


def card_page_html(front: str, back: str, *, answer_shown: bool) -> str:
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
