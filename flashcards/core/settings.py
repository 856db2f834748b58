"""The choices a person makes about studying, with the values each may take."""

from __future__ import annotations

import math
from dataclasses import dataclass

from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

# Values the app remembers in the collection that are not user settings: the bundled decks'
# revisions, the last fit of the scheduler (its study day and the review count then), and the
# backlog spread last (see memory_tools).
REMEMBERED_VALUES = {"bundled_revisions", "optimised_on", "optimised_review_count",
                     "backlog_spread"}


@dataclass(frozen=True)
class Settings:
    new_per_day: int = 20
    reviews_per_day: int = 200
    rollover_hour: int = 4
    desired_retention: float = 0.9
    fuzz: bool = True
    # FSRS-6's 21 parameters fitted to this learner's reviews; None: the scheduler's defaults.
    fsrs_parameters: tuple[float, ...] | None = None

    @classmethod
    def check(cls, key: str, value):
        """The value, converted to the setting's type, or ValueError saying what is allowed."""
        limits = {"new_per_day": (0, 9999), "reviews_per_day": (0, 99999), "rollover_hour": (0, 23)}
        if key in limits:
            low, high = limits[key]
            number = int(value)
            if not low <= number <= high:
                raise ValueError(f"{key} must be between {low} and {high}")
            return number
        if key == "desired_retention":
            number = float(value)
            if not 0.7 <= number <= 0.99:
                raise ValueError("desired_retention must be between 0.70 and 0.99")
            return number
        if key == "fuzz":
            if isinstance(value, str):
                return value.strip().lower() in ("1", "true", "yes", "on")
            return bool(value)
        if key == "fsrs_parameters":
            return None if value is None else _checked_parameters(value)
        raise KeyError(f"unknown setting {key!r}")

    @classmethod
    def from_values(cls, values: dict) -> Settings:
        """The settings among `values`; one that is not allowed (a journal edited by hand, or
        damaged) is left at its default rather than stopping the app."""
        known = {}
        for key, value in values.items():
            if key in cls.__dataclass_fields__:
                try:
                    known[key] = cls.check(key, value)
                except (ValueError, TypeError, OverflowError):
                    continue
        return cls(**known)


def _checked_parameters(value) -> tuple[float, ...]:
    """21 numbers within the bounds the scheduler accepts: a journal edited by hand must not
    leave the app unable to schedule."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise ValueError("fsrs_parameters must be a list of 21 numbers")
    numbers = tuple(float(number) for number in value)
    if len(numbers) != len(LOWER_BOUNDS_PARAMETERS):
        raise ValueError(f"fsrs_parameters must be {len(LOWER_BOUNDS_PARAMETERS)} numbers, "
                         f"not {len(numbers)}")
    for index, (number, low, high) in enumerate(
            zip(numbers, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS)):
        if not (math.isfinite(number) and low <= number <= high):
            raise ValueError(f"fsrs_parameters[{index}] must be between {low} and {high}")
    return numbers
