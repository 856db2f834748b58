"""Every card's progress as columns of plain numbers, the form the collection state keeps it in."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime, timezone

from .progress import Phase, Progress, parse_timestamp

# The key of the event that last set something: (time in seconds, seq, event id).
Key = tuple[float, int, str]

# Phase codes in the progress table; 0 is a card with no progress yet (a new card).
_PHASE_CODES = {Phase.LEARNING: 1, Phase.REVIEW: 2, Phase.RELEARNING: 3, Phase.NEW: 4}
_PHASES = {code: phase for phase, code in _PHASE_CODES.items()}
_CODE_OF_TEXT = {phase.value: code for phase, code in _PHASE_CODES.items()}
_NO_PROGRESS = (0, None, None, None, None, None, None, 0, 0, None)
_UTC = timezone.utc


@functools.lru_cache(maxsize=1024)
def seconds_of(text: str) -> float:
    # Cached: a grade repeats its time as the card's last review, and often its first review.
    return parse_timestamp(text).timestamp()


class ProgressTable(Mapping):
    """Every card's progress as columns of plain numbers (times in seconds since 1970, UTC).

    A hundred thousand cards load as a dozen lists instead of a hundred thousand objects; a
    Progress is built only when someone asks for one card.
    """

    COLUMNS = ("card", "phase", "due", "step", "stability", "difficulty", "last_review",
               "first_review", "reps", "lapses", "last_review_graded", "set_time", "set_seq", "set_by")
    VALUES = COLUMNS[1:11]

    def __init__(self, columns: dict[str, list] | None = None) -> None:
        columns = columns if columns is not None else {name: [] for name in self.COLUMNS}
        length = len(columns["card"])
        for name in self.COLUMNS:
            if not isinstance(columns[name], list) or len(columns[name]) != length:
                raise ValueError(f"progress column {name!r} is missing or has the wrong length")
            setattr(self, name, columns[name])
        self._value_columns = tuple(columns[name] for name in self.VALUES)
        # A card in two decks is written twice; the first row is the live one.
        self._row: dict[str, int] = dict(zip(reversed(self.card), range(length - 1, -1, -1)))
        if len(self._row) == length:
            self._count = length - self.phase.count(0)
        else:
            self._count = sum(1 for row in self._row.values() if self.phase[row])

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
        return Progress(
            phase=_PHASES[self.phase[row]], due=_moment(self.due[row]), step=self.step[row],
            stability=self.stability[row], difficulty=self.difficulty[row],
            last_review=_moment(self.last_review[row]), first_review=_moment(self.first_review[row]),
            reps=self.reps[row], lapses=self.lapses[row],
            last_review_graded=_moment(self.last_review_graded[row]))

    # -- changing ------------------------------------------------------------------------------
    def set_if_newer(self, card_id: str, data: dict | None, key: Key) -> bool:
        values = _values_of(data)  # first, so a malformed event changes nothing
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
        if len(self._row) == len(self.card):
            return list(range(start, end))
        return self.rows_for(self.card[start:end])

    def _add(self, card_id: str) -> int:
        row = len(self.card)
        self.card.append(card_id)
        for column, value in zip(self._value_columns, _NO_PROGRESS):
            column.append(value)
        self.set_time.append(None)
        self.set_seq.append(None)
        self.set_by.append(None)
        self._row[card_id] = row
        return row

    def _add_all(self, card_ids: list[str]) -> None:
        start, count = len(self.card), len(card_ids)
        self.card.extend(card_ids)
        for column, value in zip(self._value_columns, _NO_PROGRESS):
            column.extend([value] * count)
        for column in (self.set_time, self.set_seq, self.set_by):
            column.extend([None] * count)
        self._row.update(zip(card_ids, range(start, start + count)))

    # -- reading rows back ---------------------------------------------------------------------
    def row(self, card_id: str) -> int | None:
        return self._row.get(card_id)

    def values_at(self, row: int) -> tuple:
        return tuple(column[row] for column in self._value_columns)

    def live_rows(self) -> list[int]:
        """Rows that hold something worth saving: progress, or the key of the event that cleared it."""
        return [row for row in self._row.values() if self.set_by[row] is not None]

    def columns(self, rows: list[int]) -> dict[str, list]:
        return {name: [column[row] for row in rows]
                for name, column in ((name, getattr(self, name)) for name in self.COLUMNS)}


def _values_of(data: dict | None) -> tuple:
    if data is None:
        return _NO_PROGRESS
    step = data.get("step")
    return (_CODE_OF_TEXT[data["phase"]], seconds_of(data["due"]),
            None if step is None else int(step), _number(data.get("stability")),
            _number(data.get("difficulty")), _optionalseconds_of(data.get("last_review")),
            _optionalseconds_of(data.get("first_review")), int(data.get("reps", 0)),
            int(data.get("lapses", 0)), _optionalseconds_of(data.get("last_review_graded")))


def _optionalseconds_of(text: str | None) -> float | None:
    return None if text is None else seconds_of(text)


def _number(value) -> float | None:
    return None if value is None else float(value)


def _moment(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, _UTC)


