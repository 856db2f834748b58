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


# The `#key:value` header lines that Anki's text import knows (Anki 2.1.54+).
TEXT_HEADER_KEYS = frozenset({
    "separator", "html", "tags", "columns", "notetype", "deck",
    "notetype column", "deck column", "guid column", "tags column",
})
# How much of a .txt file is looked at to tell Anki's text export from an article.
_TXT_SAMPLE_BYTES = 4096
_TXT_SAMPLE_LINES = 5


def guess_format(path: Path) -> str:
    """The format a file is in, from its extension, or from its first bytes when that says nothing.

    A `.txt` is an article unless its start looks like Anki's "Notes in Plain Text": a `#key:value`
    header line Anki knows, or tab-separated lines; then it is "tsv" or "csv" as it says.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return _guess_txt(path)
    by_extension = FORMAT_BY_EXTENSION.get(suffix)
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


def _guess_txt(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            head = handle.read(_TXT_SAMPLE_BYTES)
    except OSError:
        # Nothing to look at (a file about to be written, say): what the extension says.
        return FORMAT_BY_EXTENSION[".txt"]
    lines = head.removeprefix(_BOM).decode("utf-8", errors="replace").splitlines()
    if len(head) == _TXT_SAMPLE_BYTES and len(lines) > 1:
        lines.pop()  # cut off mid-way
    lines = [line for line in lines if line.strip()]
    if not lines:
        return FORMAT_BY_EXTENSION[".txt"]
    if _is_text_header(lines[0]):
        return _text_format(lines)
    # An article's paragraphs may be indented with a tab, but do not have one between words.
    sample = lines[:_TXT_SAMPLE_LINES]
    split = [line for line in sample if "\t" in line.strip()]
    if "\t" in lines[0].strip() and len(split) * 2 >= len(sample):
        return "tsv"
    return FORMAT_BY_EXTENSION[".txt"]


def _is_text_header(line: str) -> bool:
    if not line.startswith("#"):
        return False
    key, colon, _value = line[1:].partition(":")
    return bool(colon) and key.strip().lower() in TEXT_HEADER_KEYS


def _text_format(lines: list[str]) -> str:
    """A text export's format, tsv or csv, from its `#separator:` line or else its first row."""
    from .csv_text import parse_separator

    for line in lines:
        if not line.startswith("#"):
            return "tsv" if "\t" in line else "csv"
        key, _colon, value = line[1:].partition(":")
        if key.strip().lower() == "separator":
            try:
                return "tsv" if parse_separator(value) == "\t" else "csv"
            except FormatError:
                return "csv"  # the reader names the problem
    return "csv"
