"""A card's scheduling progress and the reviews that produce it."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from datetime import datetime


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

    def to_json(self) -> dict:
        data = asdict(self)
        data["phase"] = self.phase.value
        for key in ("due", "last_review", "first_review", "last_review_graded"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict) -> Progress:
        values = dict(data)
        values["phase"] = Phase(values["phase"])
        for key in ("due", "last_review", "first_review", "last_review_graded"):
            if values.get(key) is not None:
                values[key] = datetime.fromisoformat(values[key])
        return cls(**values)


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
