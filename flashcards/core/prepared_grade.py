"""Grades worked out while their card is on screen, so that grading is left with little to do.

A grade must be on disk before the next card shows. Everything about it except its moment is
known as soon as the card is shown: the outcome of each button, the card, the deck and the event
id. A PreparedGrade keeps the journal line for one button written ahead, with blanks where the
moment of grading goes (its time, the due date that follows from it, how long the answer took,
and its place in this device's journal), and fills them in when the button is pressed.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from .events import GradeEvent, grade_event
from .progress import Progress, Review, utc_text
from .progress_table import ProgressTable, micros, values_of_progress

# Private-use characters: no card or deck id from this app holds them (and if one does, the
# grade is prepared the ordinary way).
_MARK = "\ue000"
_BLANK = re.compile(f'"{_MARK}(now|due|duration|seq){_MARK}"')
_NOW, _DUE, _DURATION, _SEQ = (f"{_MARK}{name}{_MARK}" for name in ("now", "due", "duration", "seq"))
_DUE_COLUMN = ProgressTable.VALUES.index("due")
_MOMENT_COLUMNS = tuple(ProgressTable.VALUES.index(name)
                        for name in ("last_review", "first_review", "last_review_graded"))


class PreparedGrade:
    def __init__(self, device: str, review: Review, outcome: Progress) -> None:
        """`review` is the grade as if given at the moment the outcome was worked out."""
        self.review, self.outcome = review, outcome
        shown, due = review.time, outcome.due

        def blank_times(moment: datetime | None) -> str | None:
            return _NOW if moment == shown else _DUE if moment == due else utc_text(moment)

        self._template = grade_event(device, review, outcome, blank_times)
        self._template["duration_ms"], self._template["seq"] = _DURATION, _SEQ
        self._now_fields = tuple(k for k, v in self._template["progress"].items() if v == _NOW)
        self._parts = _cut(self._template)
        # The progress table's values too: the due date moves with the moment of grading, and
        # any time that was the moment shown becomes the moment graded.
        self._values = values_of_progress(outcome)
        self._shown_micros = micros(shown)
        self._now_columns = tuple(i for i in _MOMENT_COLUMNS if self._values[i] == self._shown_micros)

    @property
    def usable(self) -> bool:
        """False in the unlikely case that the card's own text got in the way of the blanks."""
        return self._parts is not None

    def event(self, now: datetime, duration_ms: int | None) -> GradeEvent:
        """The grade event for a press of the button at `now`; its `seq` is set by whoever saves it.

        It is the event grade_event gives for the outcome as if worked out at `now`: the due
        date later by the time the card was on screen, and each time that was the moment shown
        now the moment graded.
        """
        now_text, now_micros = utc_text(now), micros(now)
        event = GradeEvent(self._template)
        event["time"], event["duration_ms"] = now_text, duration_ms
        progress = event["progress"] = dict(self._template["progress"])
        for field in self._now_fields:
            progress[field] = now_text
        if progress["due"] == _DUE:
            progress["due"] = utc_text(self.outcome.due + (now - self.review.time))
        values = list(self._values)
        values[_DUE_COLUMN] += now_micros - self._shown_micros
        for column in self._now_columns:
            values[column] = now_micros
        event.line_parts, event.values, event.time_micros = self._parts, tuple(values), now_micros
        return event


def _cut(template: dict) -> list[str] | None:
    """The template's journal line, cut into text and the names of the blanks between."""
    line = json.dumps(template, ensure_ascii=False, separators=(",", ":")) + "\n"
    parts = _BLANK.split(line)
    names = parts[1::2]
    if _MARK in "".join(parts[0::2]) or names.count("seq") != 1 or names.count("duration") != 1:
        return None
    return parts
