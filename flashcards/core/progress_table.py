"""Every card's progress as columns of plain numbers, the form the collection state keeps it in."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone

from .progress import Phase, Progress, parse_timestamp

# The key of the event that last set something: (time in microseconds, seq, event id).
Key = tuple[int, int, str]

# Phase codes in the progress table; 0 is a card with no progress yet (a new card).
_PHASE_CODES = {Phase.LEARNING: 1, Phase.REVIEW: 2, Phase.RELEARNING: 3, Phase.NEW: 4}
_PHASES = {code: phase for phase, code in _PHASE_CODES.items()}
# The phase of each code in the phase column, 0 (no progress) included.
PHASE_OF_CODE = {0: Phase.NEW, **_PHASES}
_CODE_OF_TEXT = {phase.value: code for phase, code in _PHASE_CODES.items()}
_NO_PROGRESS = (0, None, None, None, None, None, None, 0, 0, None)
_UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=_UTC)
_MICROSECOND = timedelta(microseconds=1)


def micros(moment: datetime) -> int:
    """A time as whole microseconds since 1970 (UTC): exact, and quick to read back from JSON."""
    return (moment - _EPOCH) // _MICROSECOND


def moment_of(microseconds: int) -> datetime:
    """The moment a number of microseconds since 1970 (UTC) stands for: the inverse of micros."""
    return _EPOCH + timedelta(microseconds=microseconds)


def micros_of(text: str) -> int:
    """The microseconds since 1970 of a time written as text (a time without a zone is UTC)."""
    return micros(parse_timestamp(text))


def micros_from_seconds(seconds: float) -> int:
    """The microseconds a float of seconds was made from (older snapshots kept times as floats)."""
    whole = round(seconds * 1_000_000)
    for candidate in (whole, whole - 1, whole + 1):
        if candidate / 1_000_000 == seconds:
            return candidate
    return whole


class ProgressTable(Mapping):
    """Every card's progress as columns of plain numbers (times in microseconds since 1970, UTC).

    A hundred thousand cards load as a dozen lists instead of a hundred thousand objects; a
    Progress is built only when someone asks for one card.

    Start-up only counts each deck's cards, which needs the COUNTING columns. The others can be
    handed over as `later`, a function that reads them the first time anything needs them: every
    method that uses one calls _read_later first; the COUNTING columns are plain attributes.
    """

    COLUMNS = ("card", "phase", "due", "step", "stability", "difficulty", "last_review",
               "first_review", "reps", "lapses", "last_review_graded", "set_time", "set_seq", "set_by")
    VALUES = COLUMNS[1:11]
    COUNTING = ("card", "phase", "due", "first_review", "last_review_graded")
    LATER = ("step", "stability", "difficulty", "last_review", "reps", "lapses", "set_time",
             "set_seq", "set_by")
    TIMES = ("due", "last_review", "first_review", "last_review_graded", "set_time")

    def __init__(self, columns: dict[str, list] | None = None,
                 later: Callable[[], dict[str, list]] | None = None,
                 unique: bool | None = None) -> None:
        """`unique` says, when the caller knows it, whether every card is on one row only."""
        columns = columns if columns is not None else {name: [] for name in self.COLUMNS}
        self._later = later
        self._set_columns(columns, self.COUNTING if later else self.COLUMNS, len(columns["card"]))
        if later is None:
            self._value_columns = tuple(columns[name] for name in self.VALUES)
        length = len(self.card)
        self._unique = len(self._row) == length if unique is None else unique
        if self._unique:
            self._count = length - self.phase.count(0)
        else:
            self._count = sum(1 for row in self._row.values() if self.phase[row])

    def _set_columns(self, columns: dict[str, list], names: tuple[str, ...], length: int) -> None:
        for name in names:
            if not isinstance(columns.get(name), list) or len(columns[name]) != length:
                raise ValueError(f"progress column {name!r} is missing or has the wrong length")
            setattr(self, name, columns[name])

    @functools.cached_property
    def _row(self) -> dict[str, int]:
        """The row of each card. A card in two decks is written twice; the first row is live."""
        card, last = self.card, len(self.card) - 1
        return dict(zip(reversed(card), range(last, -1, -1)))

    def _read_later(self) -> None:
        """Read the columns counting does not need, the first time anything else needs them."""
        if self._later is not None:
            self._set_columns(self._later(), self.LATER, len(self.card))
            self._later = None
            self._value_columns = tuple(getattr(self, column) for column in self.VALUES)

    # -- the Mapping a Collection reads ---------------------------------------------------------
    def get(self, card_id: str, default=None):
        row = self._row.get(card_id)
        if row is None or not self.phase[row]:
            return default
        return self._progress_at(row)

    def __getitem__(self, card_id: str) -> Progress:
        progress = self.get(card_id)
        if progress is None:
            raise KeyError(card_id)
        return progress

    def __contains__(self, card_id) -> bool:
        row = self._row.get(card_id)
        return row is not None and bool(self.phase[row])

    def __iter__(self):
        return (card for card, row in self._row.items() if self.phase[row])

    def __len__(self) -> int:
        return self._count

    def _progress_at(self, row: int) -> Progress:
        self._read_later()
        return Progress(
            phase=_PHASES[self.phase[row]], due=_moment(self.due[row]), step=self.step[row],
            stability=self.stability[row], difficulty=self.difficulty[row],
            last_review=_moment(self.last_review[row]), first_review=_moment(self.first_review[row]),
            reps=self.reps[row], lapses=self.lapses[row],
            last_review_graded=_moment(self.last_review_graded[row]))

    # -- changing ------------------------------------------------------------------------------
    def set_if_newer(self, card_id: str, data: dict | None, key: Key) -> bool:
        """Set a card's progress from its JSON form, unless a newer event has set it already."""
        return self.set_values_if_newer(card_id, _values_of(data), key)  # a malformed event changes nothing

    def set_values_if_newer(self, card_id: str, values: tuple, key: Key) -> bool:
        """The same with the values already worked out (see _values_of)."""
        self._read_later()
        row = self._row.get(card_id)
        if row is None:
            row = self._add(card_id)
        elif self.set_by[row] is not None and (
                self.set_time[row], self.set_seq[row], self.set_by[row]) >= key:
            return False
        self._count += bool(values[0]) - bool(self.phase[row])
        for column, value in zip(self._value_columns, values):
            column[row] = value
        self.set_time[row], self.set_seq[row], self.set_by[row] = key
        return True

    def rows_for(self, card_ids: list[str]) -> list[int]:
        """The row of each card, adding empty rows for cards never seen."""
        row_of = self._row
        unseen = [c for c in card_ids if c not in row_of]
        if unseen:
            # A deck of new cards: column by column, not one row at a time.
            self._add_all(list(dict.fromkeys(unseen)))
        return [row_of[c] for c in card_ids]

    def rows_between(self, start: int, end: int) -> list[int]:
        """The live rows of the cards written in rows start to end."""
        if self._unique:
            return list(range(start, end))
        return self.rows_for(self.card[start:end])

    def _add(self, card_id: str) -> int:
        self._read_later()
        value_columns = self._value_columns
        row = len(self.card)
        self.card.append(card_id)
        for column, value in zip(value_columns, _NO_PROGRESS):
            column.append(value)
        self.set_time.append(None)
        self.set_seq.append(None)
        self.set_by.append(None)
        self._row[card_id] = row
        return row

    def _add_all(self, card_ids: list[str]) -> None:
        self._read_later()
        value_columns = self._value_columns
        start, count = len(self.card), len(card_ids)
        self.card.extend(card_ids)
        for column, value in zip(value_columns, _NO_PROGRESS):
            column.extend([value] * count)
        for column in (self.set_time, self.set_seq, self.set_by):
            column.extend([None] * count)
        self._row.update(zip(card_ids, range(start, start + count)))

    # -- reading rows back ---------------------------------------------------------------------
    def row(self, card_id: str) -> int | None:
        return self._row.get(card_id)

    def value_columns(self) -> dict[str, list]:
        """The VALUES columns by name, each indexed by row."""
        self._read_later()
        return dict(zip(self.VALUES, self._value_columns))

    def values_at(self, row: int) -> tuple:
        self._read_later()
        return tuple(column[row] for column in self._value_columns)

    def live_rows(self) -> list[int]:
        """Rows that hold something worth saving: progress, or the key of the event that cleared it."""
        self._read_later()
        return [row for row in self._row.values() if self.set_by[row] is not None]

    def columns(self, rows: list[int]) -> dict[str, list]:
        self._read_later()
        return {name: [column[row] for row in rows]
                for name, column in ((name, getattr(self, name)) for name in self.COLUMNS)}


def _values_of(data: dict | None, time_of: Callable[[str], object] = micros_of) -> tuple:
    """A progress's values in column order; raises on anything malformed, before any is used."""
    if data is None:
        return _NO_PROGRESS
    step = data.get("step")
    last_review, graded = data.get("last_review"), data.get("last_review_graded")
    first_review = data.get("first_review")
    last_review_at = None if last_review is None else time_of(last_review)
    # A grade's two last-review times are nearly always one text, read once.
    graded_at = (last_review_at if graded == last_review
                 else None if graded is None else time_of(graded))
    return (_CODE_OF_TEXT[data["phase"]], time_of(data["due"]),
            None if step is None else int(step), _number(data.get("stability")),
            _number(data.get("difficulty")), last_review_at,
            None if first_review is None else time_of(first_review), int(data.get("reps", 0)),
            int(data.get("lapses", 0)), graded_at)


def _checked_time(text: str) -> str:
    datetime.fromisoformat(text)  # fails exactly where micros_of would
    return text


# The positions of the times in a progress's values (see _values_of).
_TIME_POSITIONS = (1, 5, 6, 9)


class NewestProgress:
    """The newest progress each card was given by a run of events, kept to be set all at once.

    Replaying a year of grades sets each card's progress a dozen times, and working out a
    progress's four times is most of what replaying a grade costs: here each is checked as it
    comes (a malformed one is refused at once, as by set_if_newer) and only the newest, once
    in the table, has its times worked out.
    """

    def __init__(self) -> None:
        self._newest: dict[str, tuple[Key, tuple]] = {}

    def __len__(self) -> int:
        return len(self._newest)

    def add(self, card_id: str, data: dict | None, key: Key) -> None:
        values = _values_of(data, _checked_time)
        held = self._newest.get(card_id)
        if held is None or held[0] < key:
            self._newest[card_id] = (key, values)

    def set_in(self, table: ProgressTable) -> None:
        """Give each card its newest progress in `table`, unless the table holds a newer one."""
        newest, self._newest = self._newest, {}
        for card_id, (key, values) in newest.items():
            values = list(values)
            for position in _TIME_POSITIONS:
                if values[position] is not None:
                    values[position] = micros_of(values[position])
            table.set_values_if_newer(card_id, tuple(values), key)


def _number(value) -> float | None:
    if value is None:
        return None
    number = float(value)
    if not math.isfinite(number):  # no scheduler gives one; a hand-edited line could
        raise ValueError(f"{value!r} is not a finite number")
    return number


def _moment(microseconds: int | None) -> datetime | None:
    return None if microseconds is None else _EPOCH + timedelta(microseconds=microseconds)
