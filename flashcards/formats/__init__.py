"""Readers and writers for deck files, one module per format. They depend on the core only.

Every reader is `read(path: Path, *, deck_name: str | None = None) -> ImportedDecks` and raises
FormatError (one line naming the problem) for anything it cannot read; it never touches the
collection. Every writer is `write(decks: list[Deck], path: Path, **options) -> None`.
"""

from __future__ import annotations

from pathlib import Path


class FormatError(Exception):
    """A file that cannot be imported, with a one-line message that names the problem."""


FORMAT_BY_EXTENSION = {
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".txt": "article",
    ".apkg": "apkg",
    ".colpkg": "apkg",
}


def guess_format(path: Path) -> str:
    """The format a file is in, from its extension, or from its first bytes when that says nothing."""
    by_extension = FORMAT_BY_EXTENSION.get(path.suffix.lower())
    if by_extension:
        return by_extension
    try:
        with open(path, "rb") as handle:
            head = handle.read(512)
    except OSError as error:
        raise FormatError(f"Cannot read {path.name}: {error.strerror}") from error
    if head.startswith(b"PK\x03\x04"):
        return "apkg"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "json"
    if b"\t" in head:
        return "tsv"
    return "csv"
