"""The card browser's tree of decks and tags: clicking one searches for its cards."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from flashcards.core.deck import Deck

SEARCH_ROLE = Qt.ItemDataRole.UserRole


class BrowserSidebar(QTreeWidget):
    """Decks and tags as trees of their `::` parts, as in Anki's sidebar."""

    # The search an item stands for, clicked or activated with the keyboard.
    search_chosen = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("browserSidebar")
        self.setHeaderHidden(True)
        self.itemClicked.connect(self._on_item_chosen)
        self.itemActivated.connect(self._on_item_chosen)

    def fill(self, decks: list[Deck]) -> None:
        """Show these decks, and the tags of their cards."""
        self.clear()
        tags = {tag.casefold(): tag for deck in decks for card in deck.cards
                for tag in card.tags}
        for title, names, search in (
                ("Decks", [deck.name for deck in decks], deck_search),
                ("Tags", sorted(tags.values(), key=str.casefold), tag_search)):
            root = QTreeWidgetItem(self, [title])
            root.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = root.font(0)
            font.setBold(True)
            root.setFont(0, font)
            _add_paths(root, names, search)
            root.setExpanded(True)

    def _on_item_chosen(self, item: QTreeWidgetItem) -> None:
        text = item.data(0, SEARCH_ROLE)
        if text:
            self.search_chosen.emit(text)


def _add_paths(root: QTreeWidgetItem, names: list[str], search: Callable[[str], str]) -> None:
    """An item for each `::` part of each name, under its parent's."""
    items: dict[str, QTreeWidgetItem] = {}
    for name in names:
        parent, path = root, ""
        for part in name.split("::"):
            path = f"{path}::{part}" if path else part
            item = items.get(path.casefold())
            if item is None:
                item = items[path.casefold()] = QTreeWidgetItem(parent, [part])
                item.setData(0, SEARCH_ROLE, search(path))
                item.setToolTip(0, search(path))
            parent = item


# Characters a search reads as wildcards, quotes or escapes: a backslash makes them plain.
_SPECIAL = re.compile(r'([\\"*_])')


def deck_search(name: str) -> str:
    """The search for a deck (and its subdecks), whatever characters its name holds."""
    return 'deck:"' + _SPECIAL.sub(r"\\\1", name) + '"'


def tag_search(tag: str) -> str:
    escaped = _SPECIAL.sub(r"\\\1", tag)
    return f'tag:"{escaped}"' if re.search(r"[()]", tag) else f"tag:{escaped}"
