"""What the window remembers on this computer only: the folder its file dialogs used last, and
the export format chosen last.

Kept in the user's config folder beside the device id, not in the data folder: a folder path of
one computer means nothing on another that syncs the same data.
"""

from __future__ import annotations

import json
from pathlib import Path

import platformdirs
from PySide6.QtCore import QStandardPaths

from flashcards.core.files import write_atomically

EXPORT_FORMATS = ("json", "csv", "tsv", "apkg")
_DEFAULT_EXPORT_FORMAT = "json"


def _path() -> Path:
    return platformdirs.user_config_path("flashcards", appauthor=False) / "window.json"


def _read() -> dict:
    try:
        values = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return values if isinstance(values, dict) else {}


def _write(key: str, value: str) -> None:
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
