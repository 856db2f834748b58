"""The choices a person makes about studying, with the values each may take."""

from __future__ import annotations

from dataclasses import dataclass

# Values the app remembers in the collection that are not user settings. "fsrs_parameters": the
# 21 parameters the optimiser fitted, which deck options presets without their own schedule with.
REMEMBERED_VALUES = {"bundled_revisions", "fsrs_parameters"}


@dataclass(frozen=True)
class Settings:
    new_per_day: int = 20
    reviews_per_day: int = 200
    rollover_hour: int = 4
    desired_retention: float = 0.9
    fuzz: bool = True

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
