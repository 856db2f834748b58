"""Files written whole, the one way the app saves a file: a crash leaves the old one or the new one.

Snapshots, backups, media, exported decks and the device id are all written here: the new bytes go
to a temporary file beside the target (`.<name>.<random>.tmp`), which is flushed and synced to
disk, then renamed over the target in one step, and the folder is synced so the rename lasts too.

Every file gets the permission a user's file ordinarily has: read and write for all, less what
the process's umask takes away (0644 under the usual umask 022).
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

NEW_FILE_MODE = 0o666

Content = bytes | Callable[[BinaryIO], None]


def write_atomically(path: Path, content: Content) -> None:
    """Replace `path` with `content`: bytes, or a function that writes them to the open file.

    The folder must exist. On any failure the target is left as it was and the temporary file
    is removed.
    """
    path = Path(path)
    temporary, handle = _temporary_beside(path)
    try:
        with handle:
            if callable(content):
                content(handle)
            else:
                handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def _temporary_beside(path: Path) -> tuple[Path, BinaryIO]:
    """A new, empty file in the target's folder, under a name nothing else uses."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
    for _attempt in range(100):
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(temporary, flags, NEW_FILE_MODE)
        except FileExistsError:
            continue
        return temporary, os.fdopen(fd, "wb")
    raise FileExistsError(errno.EEXIST, "No free name for a temporary file", str(path.parent))


def fsync_folder(folder: Path) -> None:
    """Make a file's creation or renaming durable, not just its contents."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
