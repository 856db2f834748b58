"""Deck options, as Anki has them: presets of daily limits and scheduling shared by several decks.

A preset is saved whole (`preset_saved`) and a deck names the preset it uses (`deck_preset`);
both are parts kept last-writer-wins, like every other (see state.py). A deck that names no
preset, or one since removed, uses the built-in Default, whose daily limits and desired retention
are the collection's settings (Settings.new_per_day, reviews_per_day, desired_retention): folders
from before presets keep studying as they did, and changing Default changes those settings.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, fields, replace
from datetime import timedelta
from typing import NewType

from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from .scheduler import SchedulerSettings
from .settings import Settings

PresetId = NewType("PresetId", str)
DEFAULT_PRESET = PresetId("default")
# The global setting where the optimiser keeps the parameters it fitted: a preset without its
# own parameters schedules with these, else with FSRS's defaults.
FITTED_PARAMETERS = "fsrs_parameters"
# Default's values that are the collection's settings, not the preset's own.
SETTINGS_OF_DEFAULT = ("new_per_day", "reviews_per_day", "desired_retention")
LEECH_ACTIONS = ("suspend", "tag")
PARAMETER_COUNT = len(LOWER_BOUNDS_PARAMETERS)
# A step longer than this is a review interval, not a step.
_LONGEST_STEP_MINUTES = 365 * 24 * 60


@dataclass(frozen=True)
class DeckOptions:
    """One preset's values. Steps are in minutes; `parameters` None means the fitted parameters
    when there are any (FITTED_PARAMETERS), else FSRS's defaults. Raises ValueError, in one line
    a person can read, for a value out of range."""

    name: str = "Default"
    new_per_day: int = Settings.new_per_day
    reviews_per_day: int = Settings.reviews_per_day
    learning_steps: tuple[float, ...] = (1.0, 10.0)
    relearning_steps: tuple[float, ...] = (10.0,)
    desired_retention: float = Settings.desired_retention
    maximum_interval_days: int = 36500
    leech_threshold: int = 8  # Anki's: see collection.is_leech
    leech_action: str = "suspend"
    parameters: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("A preset needs a name.")
        set_ = object.__setattr__
        set_(self, "name", " ".join(self.name.split()))
        set_(self, "new_per_day", _whole(self.new_per_day, 0, 9999, "New cards/day"))
        set_(self, "reviews_per_day",
             _whole(self.reviews_per_day, 0, 99999, "Maximum reviews/day"))
        set_(self, "learning_steps", _steps(self.learning_steps, "Learning steps"))
        set_(self, "relearning_steps", _steps(self.relearning_steps, "Relearning steps"))
        retention = _number(self.desired_retention, "Desired retention")
        if not 0.7 <= retention <= 0.99:
            raise ValueError("Desired retention must be between 0.70 and 0.99.")
        set_(self, "desired_retention", retention)
        set_(self, "maximum_interval_days",
             _whole(self.maximum_interval_days, 1, 36500, "Maximum interval"))
        set_(self, "leech_threshold", _whole(self.leech_threshold, 1, 99, "Leech threshold"))
        if self.leech_action not in LEECH_ACTIONS:
            raise ValueError("Leech action must be “suspend” or “tag”.")
        if self.parameters is not None:
            set_(self, "parameters", checked_parameters(self.parameters))

    def to_json(self) -> dict:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in ("learning_steps", "relearning_steps", "parameters"):
            if values[name] is not None:
                values[name] = list(values[name])
        return values

    @classmethod
    def from_json(cls, values: dict) -> DeckOptions:
        """Options as an event holds them. A field it lacks takes its default and a field this
        version does not know is left out, so presets saved by a newer app still open."""
        if not isinstance(values, dict):
            raise TypeError("deck options must be an object")
        known = {f.name for f in fields(cls)}
        return cls(**{name: value for name, value in values.items() if name in known})

    def scheduler_settings(self, fuzz: bool, fitted: tuple[float, ...] | None) -> SchedulerSettings:
        """What the scheduler needs from these options; `fitted`: the optimiser's parameters."""
        return SchedulerSettings(
            desired_retention=self.desired_retention,
            learning_steps=tuple(timedelta(minutes=m) for m in self.learning_steps),
            relearning_steps=tuple(timedelta(minutes=m) for m in self.relearning_steps),
            maximum_interval_days=self.maximum_interval_days, fuzz=fuzz,
            parameters=self.parameters or fitted)


@functools.lru_cache(maxsize=16)  # asked each time a deck is counted; both are values
def default_options(stored: DeckOptions | None, settings: Settings) -> DeckOptions:
    """The Default preset: as saved (or built in), with the collection's settings in it."""
    return replace(stored or DeckOptions(),
                   **{name: getattr(settings, name) for name in SETTINGS_OF_DEFAULT})


def fitted_parameters(value) -> tuple[float, ...] | None:
    """The optimiser's parameters from the global setting, or None when there are none usable
    (never set, or a value from a journal edited by hand)."""
    if value is None:
        return None
    try:
        return checked_parameters(value)
    except (TypeError, ValueError):
        return None


def checked_parameters(values) -> tuple[float, ...]:
    """FSRS-6's 21 parameters, each within the range the fsrs package accepts."""
    if isinstance(values, (str, bytes)) or len(values) != PARAMETER_COUNT:
        raise ValueError(f"FSRS parameters must be {PARAMETER_COUNT} numbers.")
    numbers = tuple(_number(value, "FSRS parameters") for value in values)
    for index, (value, low, high) in enumerate(
            zip(numbers, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS)):
        if not low <= value <= high:
            raise ValueError(f"FSRS parameter {index + 1} must be between {low:g} and {high:g}.")
    return numbers


def parse_parameters(text: str) -> tuple[float, ...] | None:
    """Parameters as a person types or pastes them (commas or spaces); empty text is None."""
    words = text.replace(",", " ").split()
    if not words:
        return None
    try:
        numbers = [float(word) for word in words]
    except ValueError:
        raise ValueError(f"FSRS parameters must be {PARAMETER_COUNT} numbers.") from None
    return checked_parameters(numbers)


def format_parameters(parameters: tuple[float, ...] | None) -> str:
    return ", ".join(f"{value:.4f}".rstrip("0").rstrip(".") for value in parameters or ())


# -- steps as text: "1m 10m 1h", as Anki writes them ------------------------------------------
_STEP = re.compile(r"(\d+(?:\.\d+)?)([smhd]?)")
_MINUTES_PER_UNIT = {"s": 1 / 60, "m": 1.0, "": 1.0, "h": 60.0, "d": 1440.0}


def parse_steps(text: str) -> tuple[float, ...]:
    """Steps in minutes from text such as "1m 10m 1h 1d" (a bare number is minutes)."""
    steps = []
    for word in text.replace(",", " ").split():
        match = _STEP.fullmatch(word.lower())
        if match is None:
            raise ValueError(f"“{word}” is not a step: write steps like 1m 10m 1h 1d.")
        steps.append(float(match[1]) * _MINUTES_PER_UNIT[match[2]])
    return _steps(steps, "Steps")


def format_steps(steps: tuple[float, ...]) -> str:
    """Steps as text, each in the largest unit that holds it whole: (1, 10, 1440) is "1m 10m 1d"."""
    return " ".join(_step_text(minutes) for minutes in steps)


def _step_text(minutes: float) -> str:
    for unit, size in (("d", 1440.0), ("h", 60.0), ("m", 1.0)):
        if minutes >= size and float(minutes / size).is_integer():
            return f"{int(minutes / size)}{unit}"
    return f"{round(minutes * 60)}s"


def _steps(values, what: str) -> tuple[float, ...]:
    if isinstance(values, (str, bytes)):
        raise ValueError(f"{what} must be a list of minutes.")
    steps = tuple(_number(value, what) for value in values)
    if any(not 0 < step <= _LONGEST_STEP_MINUTES for step in steps):
        raise ValueError(f"{what} must each be more than 0 and at most 365 days.")
    return steps


def _whole(value, low: int, high: int, what: str) -> int:
    if not _is_number(value) or value != int(value):
        raise ValueError(f"{what} must be a whole number.")
    if not low <= value <= high:
        raise ValueError(f"{what} must be between {low} and {high}.")
    return int(value)


def _number(value, what: str) -> float:
    if not _is_number(value):
        raise ValueError(f"{what}: {value!r} is not a number.")
    return float(value)


def _is_number(value) -> bool:
    return (type(value) is not bool and isinstance(value, (int, float))
            and math.isfinite(value))
