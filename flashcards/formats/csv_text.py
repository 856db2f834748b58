"""CSV and TSV text files in Anki's text-import conventions: `#key:value` header lines, then one
card a row. Anki's own text export reads back here, and our export imports into Anki."""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from ..core.deck import Card, Deck, DeckKind, slugify, stable_card_id
from ..core.files import write_atomically
from ..core.importing import ImportedDecks
from . import FormatError, read_utf8
from .html import clean_html, text_to_html

SEPARATOR_NAMES = {
    "comma": ",", "semicolon": ";", "tab": "\t", "space": " ", "pipe": "|", "colon": ":",
}
_NAME_OF_SEPARATOR = {char: name for name, char in SEPARATOR_NAMES.items()}
_SNIFFABLE = "\t,;|:"
# Enough of the file for the sniffer to see a pattern, small enough that its regexes stay quick.
_SAMPLE_LINES = 20
_SAMPLE_CHARS = 8192
_FRONT_NAMES = ("front", "question")
_BACK_NAMES = ("back", "answer")
_INDEX_KEYS = ("tags column", "guid column", "notetype column", "deck column")
_MAX_LISTED = 10


@dataclass
class Header:
    """What the `#key:value` lines at the top of a file say about the rest of it."""

    separator: str | None = None
    html: bool = False
    tags: tuple[str, ...] = ()
    columns: str | None = None
    deck: str | None = None
    # 0-based, keyed like the header ("tags column", ...).
    indexes: dict[str, int] = field(default_factory=dict)
    line_count: int = 0


@dataclass(frozen=True)
class Layout:
    """Which column of a row holds what, 0-based."""

    front: int
    back: int
    tags: int | None
    guid: int | None
    deck: int | None
    notetype: int | None = None

    @property
    def needed(self) -> int:
        """How many fields a row needs: tags and note type may be left off the end."""
        used = [self.front, self.back, self.guid, self.deck]
        return max(index for index in used if index is not None) + 1

    @property
    def used(self) -> int:
        """How many columns the layout gives a meaning to."""
        used = [self.front, self.back, self.tags, self.guid, self.deck, self.notetype]
        return max(index for index in used if index is not None) + 1


@dataclass(frozen=True)
class Row:
    line: int
    fields: list[str]


# A line that was left out, and why: (its line number in the file, the problem in a few words).
Problem = tuple[int, str]


# -- reading ------------------------------------------------------------------------------------

def read(path: Path, *, deck_name: str | None = None,
         separator: str | None = None) -> ImportedDecks:
    """The cards of a CSV/TSV file. A `#separator:` line in the file wins over `separator`,
    which in turn wins over guessing from the first lines.

    Bad lines (too few or too many fields, an empty front, a repeated card, a broken quote) are
    left out and named by their line number in `warnings`; only a file with no usable line at
    all is refused."""
    path = Path(path)
    lines = list(io.StringIO(read_utf8(path), newline=""))
    if not lines:
        raise FormatError(f"{path.name} is empty.")
    header = _read_header(lines)
    data = lines[header.line_count:]
    chosen = header.separator or (parse_separator(separator) if separator else None)
    fallback = "\t" if path.suffix.lower() == ".tsv" else ","
    chosen = chosen or sniff_separator(data, fallback=fallback)
    rows, problems = _read_rows(data, chosen, first_line=header.line_count + 1)
    if not rows and not problems:
        raise FormatError(f"{path.name} holds no cards.")
    imported = ImportedDecks(decks=[])
    if rows:
        names = _parse_column_names(header.columns, chosen)
        layout = _lay_out(header, names, widest=max(len(row.fields) for row in rows),
                          name=path.name)
        rows = _well_formed(rows, layout, _expected_width(rows, layout, names), problems)
        # A deck name chosen at import time gathers every card, whatever the deck column says.
        if deck_name:
            layout = replace(layout, deck=None)
        imported = _build_decks(rows, layout, header, deck_name or header.deck or path.stem,
                                problems)
    problems.sort(key=lambda problem: problem[0])
    if not any(deck.cards for deck in imported.decks):
        raise FormatError(_no_usable_line(path.name, problems))
    imported.warnings.extend(_summarise(problems))
    return imported


def _read_header(lines: list[str]) -> Header:
    """The `#key:value` lines at the top (after any blank lines); they end at the first line not
    starting with `#`."""
    header = Header()
    blank = 0
    for line in lines:
        if not line.strip() and not header.line_count:
            blank += 1
            continue
        if not line.startswith("#"):
            break
        header.line_count += 1
        key, colon, value = line[1:].rstrip("\r\n").partition(":")
        if colon:
            _apply_header_entry(header, key.strip().lower(), value)
    if header.line_count:
        header.line_count += blank
    return header


def _apply_header_entry(header: Header, key: str, value: str) -> None:
    # The separator keeps its spaces: `#separator: ` means space.
    if key == "separator":
        header.separator = parse_separator(value)
        return
    value = value.strip()
    if key == "html":
        header.html = _parse_truth(value)
    elif key == "tags":
        header.tags = tuple(value.split())
    elif key == "columns":
        header.columns = value
    elif key == "deck":
        header.deck = value or None
    elif key in _INDEX_KEYS:
        header.indexes[key] = _parse_column_index(key, value)


def parse_separator(value: str) -> str:
    """The separator character for a name (`tab`, `comma`...) or the character itself."""
    named = SEPARATOR_NAMES.get(value.strip().lower())
    if named:
        return named
    if len(value) == 1 and not (value.isalnum() or value in "\"\r\n"):
        return value
    raise FormatError(f"#separator:{value.strip()} is not a separator; use comma, semicolon, tab, "
                      "space, pipe, colon or the character itself.")


def _parse_truth(value: str) -> bool:
    lowered = value.lower()
    if lowered not in ("true", "false"):
        raise FormatError(f"#html:{value} makes no sense; use true or false.")
    return lowered == "true"


def _parse_column_index(key: str, value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise FormatError(f"#{key}:{value} makes no sense; columns are counted from 1.")
    return int(value) - 1


def sniff_separator(lines: list[str], fallback: str) -> str:
    """Guess the separator from the first lines, as Anki does when a file does not say."""
    sample_lines = [line for line in lines[:_SAMPLE_LINES * 2] if line.strip()][:_SAMPLE_LINES]
    sample = "".join(sample_lines)[:_SAMPLE_CHARS]
    if not sample:
        return fallback
    try:
        return csv.Sniffer().sniff(sample, delimiters=_SNIFFABLE).delimiter
    except csv.Error:
        pass
    # The sniffer wants a pattern over several lines; one line still shows what splits it.
    counts = {char: sample_lines[0].count(char) for char in _SNIFFABLE}
    best = max(counts, key=counts.get)
    return best if counts[best] else fallback


def _read_rows(lines: list[str], separator: str, *,
               first_line: int) -> tuple[list[Row], list[Problem]]:
    """Every non-blank row, with the file line it starts on; and the badly quoted lines, each
    left out on its own: reading starts again on the line after the one a bad row began on."""
    rows: list[Row] = []
    problems: list[Problem] = []
    source = _Lines(lines)
    while source.position < len(lines):
        start = source.position
        reader = csv.reader(source, delimiter=separator, quotechar='"', doublequote=True,
                            strict=True)
        while True:
            offset = start + reader.line_num
            try:
                fields = next(reader)
            except StopIteration:
                return rows, problems
            except csv.Error as error:
                problems.append((first_line + offset, _explain(error)))
                source.position = offset + 1
                break
            if any(value.strip() for value in fields):
                rows.append(Row(first_line + offset, fields))
    return rows, problems


class _Lines:
    """The lines of a file for csv.reader, from a position that can be moved back."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.position = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.position >= len(self.lines):
            raise StopIteration
        self.position += 1
        return self.lines[self.position - 1]


def _explain(error: csv.Error) -> str:
    message = str(error)
    if "unexpected end of data" in message:
        return "a quoted field is never closed"
    if "field larger than field limit" in message:
        return (f"a field is longer than {csv.field_size_limit()} characters "
                "(is a quote never closed?)")
    return f"badly quoted field ({' '.join(message.split())})"


def _lay_out(header: Header, names: list[str], *, widest: int, name: str) -> Layout:
    """Where front, back, tags, guid and deck are, from the header's columns and indexes."""
    width = len(names) if names else widest
    indexes = dict(header.indexes)
    _check_indexes(indexes, width, name)
    if "tags column" not in indexes and "tags" in names:
        indexes["tags column"] = names.index("tags")
    taken = set(indexes.values())
    front = _find_named(names, _FRONT_NAMES, taken)
    back = _find_named(names, _BACK_NAMES, taken | {front})
    free = (i for i in itertools.count() if i not in taken and i not in (front, back))
    front = front if front is not None else next(free)
    back = back if back is not None else next(free)
    return Layout(front, back, indexes.get("tags column"), indexes.get("guid column"),
                  indexes.get("deck column"), indexes.get("notetype column"))


def _parse_column_names(columns: str | None, separator: str) -> list[str]:
    if not columns:
        return []
    try:
        parsed = next(csv.reader([columns], delimiter=separator, quotechar='"'), [])
    except csv.Error as error:
        raise FormatError(f"#columns:{columns} cannot be read ({error}).") from None
    return [column.strip().lower() for column in parsed]


def _check_indexes(indexes: dict[str, int], width: int, name: str) -> None:
    for key, index in indexes.items():
        if index >= width:
            raise FormatError(f"{name}: #{key}:{index + 1} is out of range; "
                              f"rows have at most {width} columns.")
    by_index: dict[int, str] = {}
    for key, index in indexes.items():
        if index in by_index:
            raise FormatError(f"{name}: #{by_index[index]} and #{key} both point at column "
                              f"{index + 1}.")
        by_index[index] = key


def _find_named(names: list[str], wanted: tuple[str, ...], taken: set[int | None]) -> int | None:
    return next((i for i, column in enumerate(names) if column in wanted and i not in taken), None)


def _expected_width(rows: list[Row], layout: Layout, names: list[str]) -> int:
    """How many fields a row of this file has: as many as `#columns` names, or else as most rows
    have (as Anki, which pads every row of its export), and at least those the layout uses."""
    usual = len(names) if names else Counter(len(row.fields) for row in rows).most_common(1)[0][0]
    return max(usual, layout.used)


def _well_formed(rows: list[Row], layout: Layout, width: int,
                 problems: list[Problem]) -> list[Row]:
    """The rows with every field the layout needs and no more than `width` fields; empty fields
    at the end of a row are fine, as tags and padding may be left empty."""
    kept = []
    for row in rows:
        count = len(row.fields)
        if count < layout.needed:
            expected = layout.needed if layout.needed == width else f"at least {layout.needed}"
            problems.append((row.line, f"{_fields(count)}, expected {expected}"))
        elif count > width and (filled := _filled_length(row.fields)) > width:
            problems.append((row.line, f"{_fields(filled)}, expected {width}"))
        else:
            kept.append(row)
    return kept


def _filled_length(fields: list[str]) -> int:
    """The number of fields up to the last one that is not empty."""
    return next((i + 1 for i in range(len(fields) - 1, -1, -1) if fields[i].strip()), 0)


def _fields(count: int) -> str:
    return f"{count} field{'s' * (count != 1)}"


def _build_decks(rows: list[Row], layout: Layout, header: Header, default_name: str,
                 problems: list[Problem]) -> ImportedDecks:
    """One deck, or one per value of the deck column; the first of two equal cards wins."""
    decks: dict[str, Deck] = {}
    cards_of: dict[str, list[Card]] = {}
    line_of_id: dict[str, int] = {}
    line_of_card: dict[tuple[str, str, str], int] = {}
    to_html = clean_html if header.html else text_to_html
    for row in rows:
        deck_name = _pick_field(row.fields, layout.deck).strip() or default_name
        deck = decks.get(deck_name) or _add_deck(deck_name, decks)
        card = _make_card(row, layout, header.tags, deck.id, to_html)
        if card is None:
            problems.append((row.line, "the front is empty"))
            continue
        same = (deck.id, card.front, card.back)
        if same in line_of_card:
            problems.append((row.line, f"the same card as line {line_of_card[same]}"))
        elif card.id in line_of_id:
            # Same id: the same guid, or (without one) the same front with another back.
            first = line_of_id[card.id]
            problems.append((row.line, f"the same guid as line {first}"
                             if _pick_field(row.fields, layout.guid).strip()
                             else f"the same front as line {first} but another back"))
        else:
            line_of_id[card.id] = line_of_card[same] = row.line
            cards_of.setdefault(deck.id, []).append(card)
    return ImportedDecks(decks=[deck.with_cards(cards_of[deck.id]) for deck in decks.values()
                                if deck.id in cards_of])


def _add_deck(name: str, decks: dict[str, Deck]) -> Deck:
    # Names that slug alike ("A B", "a-b") still need decks of their own.
    base = slugify(name)
    used = {deck.id for deck in decks.values()}
    deck_id = next(candidate for candidate in _candidate_ids(base) if candidate not in used)
    deck = Deck(id=deck_id, name=name, kind=DeckKind.BASIC)
    decks[name] = deck
    return deck


def _candidate_ids(base: str) -> Iterator[str]:
    yield base
    for number in itertools.count(2):
        yield f"{base}-{number}"


def _make_card(row: Row, layout: Layout, common_tags: tuple[str, ...], deck_id: str,
               to_html: Callable[[str], str]) -> Card | None:
    fields = row.fields
    front = to_html(fields[layout.front].strip())
    if not front.strip():
        return None
    back = to_html(fields[layout.back].strip())
    own_tags = _pick_field(fields, layout.tags).split()
    guid = _pick_field(fields, layout.guid).strip()
    card_id = f"{deck_id}-{guid}" if guid else stable_card_id(deck_id, front)
    return Card(id=card_id, front=front, back=back, tags=_merge_tags(common_tags, own_tags))


def _pick_field(fields: list[str], index: int | None) -> str:
    return fields[index] if index is not None and index < len(fields) else ""


def _merge_tags(*groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(itertools.chain(*groups)))


def _summarise(problems: list[Problem]) -> list[str]:
    """One warning a skipped line, the first few of them, then how many more were skipped."""
    warnings = [f"line {line}: {problem}; skipped" for line, problem in problems[:_MAX_LISTED]]
    rest = len(problems) - _MAX_LISTED
    if rest > 0:
        warnings.append(f"{rest} more bad line{'s were' if rest != 1 else ' was'} skipped")
    return warnings


def _no_usable_line(name: str, problems: list[Problem]) -> str:
    if not problems:
        return f"{name} holds no cards."
    listed = "; ".join(f"line {line}: {problem}" for line, problem in problems[:_MAX_LISTED])
    rest = len(problems) - _MAX_LISTED
    more = f"; and {rest} more bad line{'s' * (rest != 1)}" if rest > 0 else ""
    return f"{name} has no usable line: {listed}{more}."


# -- writing ------------------------------------------------------------------------------------

def write(decks: list[Deck], path: Path, *, separator: str | None = None) -> None:
    """The decks as Anki writes a text export: header lines, then front, back[, tags] rows.

    Tab-separated for .tsv and unknown extensions, comma-separated for .csv, unless `separator`
    says otherwise. Several decks get a deck column so each card goes back where it came from.
    """
    path = Path(path)
    char = parse_separator(separator) if separator else (
        "," if path.suffix.lower() == ".csv" else "\t")
    with_deck = len(decks) > 1
    with_tags = any(card.tags for deck in decks for card in deck.cards)
    def write_text(binary) -> None:
        handle = io.TextIOWrapper(binary, encoding="utf-8", newline="", write_through=True)
        handle.write("".join(_format_header(decks, char, with_deck, with_tags)))
        _write_rows(handle, decks, char, with_deck, with_tags)
        handle.detach()  # the binary file stays open for write_atomically to flush and sync

    try:
        write_atomically(path, write_text)
    except OSError as error:
        raise FormatError(f"Cannot write {path.name}: {error.strerror}") from error


def _format_header(decks: list[Deck], separator: str, with_deck: bool,
                   with_tags: bool) -> list[str]:
    lines = [f"#separator:{_NAME_OF_SEPARATOR.get(separator, separator)}\n", "#html:true\n"]
    if with_deck:
        lines.append("#deck column:1\n")
    elif decks:
        # A header is one line, so a deck name must be too.
        lines.append(f"#deck:{' '.join(decks[0].name.split())}\n")
    if with_tags:
        lines.append(f"#tags column:{4 if with_deck else 3}\n")
    return lines


def _write_rows(handle: TextIO, decks: list[Deck], separator: str, with_deck: bool,
                with_tags: bool) -> None:
    options = {"delimiter": separator, "quotechar": '"', "lineterminator": "\n"}
    plain = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, **options)
    # Quoted, a row starting with `#` cannot pass for a header or comment line.
    quoted = csv.writer(handle, quoting=csv.QUOTE_ALL, **options)
    for deck in decks:
        for card in deck.cards:
            row = [deck.name] if with_deck else []
            row += [card.front, card.back]
            if with_tags:
                row.append(" ".join(card.tags))
            (quoted if row[0].startswith("#") else plain).writerow(row)
