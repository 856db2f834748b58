"""A card's scheduling progress and the reviews that produce it."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone


class Phase(str, enum.Enum):
    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


class Rating(enum.IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


@dataclass(frozen=True)
class Progress:
    """Where one card stands. A card with no Progress yet is new."""

    phase: Phase
    due: datetime
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    first_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    # When the card was last graded while it was a review card: it counts against the daily
    # review allowance of that study day.
    last_review_graded: datetime | None = None

    def to_json(self, text: Callable[[datetime | None], str | None] | None = None) -> dict:
        """`text` writes the times, utc_text unless a caller has a memo of it (see grade_event)."""
        text = text or utc_text
        return {
            "phase": self.phase.value, "due": text(self.due), "step": self.step,
            "stability": self.stability, "difficulty": self.difficulty,
            "last_review": text(self.last_review), "first_review": text(self.first_review),
            "reps": self.reps, "lapses": self.lapses,
            "last_review_graded": text(self.last_review_graded),
        }

    @classmethod
    def from_json(cls, data: dict) -> Progress:
        values = dict(data)
        values["phase"] = Phase(values["phase"])
        for key in ("due", "last_review", "first_review", "last_review_graded"):
            if values.get(key) is not None:
                values[key] = _aware(datetime.fromisoformat(values[key]))
        return cls(**values)


def utc_text(moment: datetime | None) -> str | None:
    """A fixed-width UTC time ending in Z: such strings sort in time order and parse quickly."""
    if moment is None:
        return None
    if moment.tzinfo is not timezone.utc:
        moment = moment.astimezone(timezone.utc)
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_timestamp(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _aware(moment: datetime) -> datetime:
    # A time written without a zone can only have come from a person editing a file by hand.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Review:
    """One grade a person gave, as kept in the review history."""

    id: str
    card_id: str
    deck_id: str
    rating: Rating
    time: datetime
    phase_before: Phase
    duration_ms: int | None = None
