"""Opening the collection the way the app and the CLI both do: folders, device id, bundled decks."""

from __future__ import annotations

import os
import re
import socket
import uuid
from collections.abc import Callable
from pathlib import Path

import platformdirs

from .core.clock import Clock
from .core.collection import Collection
from .core.files import write_atomically
from .install_paths import shipped_folder

APP_NAME = "flashcards"
BUNDLED_DECKS = shipped_folder("decks")


def data_folder(override: str | os.PathLike | None = None) -> Path:
    """--data-dir wins, then FLASHCARDS_DATA_DIR, then the platform's user data folder."""
    if override:
        return Path(override).expanduser()
    from_env = os.environ.get("FLASHCARDS_DATA_DIR")
    if from_env:
        return Path(from_env).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def device_id() -> str:
    """This computer's id. Kept outside the data folder, which a sync tool may share with others."""
    from_env = os.environ.get("FLASHCARDS_DEVICE_ID")
    if from_env:
        return from_env
    path = platformdirs.user_config_path(APP_NAME, appauthor=False) / "device-id"
    try:
        existing = path.read_text(encoding="utf-8").strip()
        if re.fullmatch(r"[A-Za-z0-9_.-]+", existing):
            return existing
    except OSError:
        pass
    host = re.sub(r"[^A-Za-z0-9]+", "-", socket.gethostname()).strip("-")[:24] or "device"
    new_id = f"{host}-{uuid.uuid4().hex[:8]}"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, new_id.encode())
    return new_id


def open_collection(data_dir: str | os.PathLike | None = None, clock: Clock | None = None,
                    bundled: Path | None = BUNDLED_DECKS, read_only: bool = False,
                    progress: Callable[[int, int], None] | None = None) -> Collection:
    """The collection, with the bundled decks added on the first start.

    `read_only` opens it only to look (no lock, nothing written): the bundled decks a first start
    would add are then shown without being saved, so a command that looks sees what the window
    would. `progress`: see Collection.open.
    """
    collection = Collection.open(data_folder(data_dir), device_id(), clock=clock,
                                 read_only=read_only, progress=progress)
    if bundled is not None:
        try:
            if read_only:
                with collection.shown_not_saved():
                    add_bundled_decks(collection, bundled)
            else:
                add_bundled_decks(collection, bundled)
        except BaseException:
            collection.close(discard_unsaved=True)
            raise
    return collection


def add_bundled_decks(collection: Collection, folder: Path) -> None:
    """Add the decks that ship with the app, or a newer revision of one; progress follows card ids.

    A deck the person removed stays removed: only decks never seen, or older revisions, change.
    """
    from .formats import json_deck

    if not folder.is_dir():
        return
    seen = collection.settings_value("bundled_revisions", {})
    changed = dict(seen)
    for path in sorted(folder.glob("*.json")):
        for deck in json_deck.read(path).decks:
            if seen.get(deck.id, 0) >= deck.revision:
                continue
            collection.import_deck(deck, undoable=False)  # the app's doing, not the learner's
            changed[deck.id] = deck.revision
    if changed != seen:
        collection.change_setting("bundled_revisions", changed)
