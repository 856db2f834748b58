"""What the window remembers on this computer only: the folder its file dialogs used last, the
export format chosen last, the look (theme and card font size), which decks are collapsed and
which of the browser's columns are hidden.

Kept in the user's config folder beside the device id, not in the data folder: a folder path of
one computer means nothing on another that syncs the same data, and each screen wants its own look.
"""

from __future__ import annotations

import json
from pathlib import Path

import platformdirs
from PySide6.QtCore import QStandardPaths

from flashcards.core.files import write_atomically

EXPORT_FORMATS = ("json", "csv", "tsv", "apkg")
_DEFAULT_EXPORT_FORMAT = "json"
# "system" follows the desktop's light or dark scheme, and its changes.
THEMES = ("system", "light", "dark")
CARD_FONT_SIZES = range(10, 49)  # points
DEFAULT_CARD_FONT_SIZE = 21


def _path() -> Path:
    return platformdirs.user_config_path("flashcards", appauthor=False) / "window.json"


def _read() -> dict:
    try:
        values = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return values if isinstance(values, dict) else {}


def _write(key: str, value) -> None:
    values = _read()
    if values.get(key) == value:
        return
    values[key] = value
    try:
        _path().parent.mkdir(parents=True, exist_ok=True)
        write_atomically(_path(), json.dumps(values, ensure_ascii=False, indent=1).encode())
    except OSError:
        pass  # only a convenience: the dialogs start in the home folder again


def last_folder() -> Path:
    """Where a file dialog opens: the folder used last, else Documents, else the home folder."""
    remembered = _read().get("last_folder")
    if isinstance(remembered, str) and Path(remembered).is_dir():
        return Path(remembered)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def remember_folder(folder: Path) -> None:
    _write("last_folder", str(Path(folder).resolve()))


def last_export_format() -> str:
    fmt = _read().get("export_format")
    return fmt if fmt in EXPORT_FORMATS else _DEFAULT_EXPORT_FORMAT


def remember_export_format(fmt: str) -> None:
    if fmt in EXPORT_FORMATS:
        _write("export_format", fmt)


def theme() -> str:
    chosen = _read().get("theme")
    return chosen if chosen in THEMES else "system"


def remember_theme(chosen: str) -> None:
    if chosen in THEMES:
        _write("theme", chosen)


def card_font_size() -> int:
    size = _read().get("card_font_size")
    return size if type(size) is int and size in CARD_FONT_SIZES else DEFAULT_CARD_FONT_SIZE


def remember_card_font_size(size: int) -> None:
    if size in CARD_FONT_SIZES:
        _write("card_font_size", int(size))


def collapsed_decks() -> set[str]:
    """The full names (`Parent::Child`) of the decks whose subdecks the deck list hides."""
    names = _read().get("collapsed_decks")
    return {name for name in names if isinstance(name, str)} if isinstance(names, list) else set()


def remember_collapsed_decks(names: set[str]) -> None:
    _write("collapsed_decks", sorted(names))


def hidden_browser_columns() -> set[str]:
    """The titles of the card browser's columns that the person hid."""
    titles = _read().get("hidden_browser_columns")
    return {title for title in titles if isinstance(title, str)} if isinstance(titles, list) else set()


def remember_hidden_browser_columns(titles: set[str]) -> None:
    _write("hidden_browser_columns", sorted(titles))
