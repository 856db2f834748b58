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


_BOM = b"\xef\xbb\xbf"


def read_utf8(path: Path) -> str:
    """A text file's contents, a UTF-8 byte-order mark dropped; FormatError if it is not UTF-8."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise FormatError(f"Cannot read {Path(path).name}: {error.strerror}") from error
    skipped = len(_BOM) if data.startswith(_BOM) else 0
    try:
        return data[skipped:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = skipped + error.start
        raise FormatError(f"{Path(path).name} is not UTF-8: byte {data[offset]:#04x} at offset "
                          f"{offset} cannot be read; save it as UTF-8.") from None


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
