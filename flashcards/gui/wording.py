"""Sentences the window shows, built without Qt so they can be tested on their own."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo

from flashcards.formats.html import text_line


def next_due_text(due: datetime | None, now: datetime, tz: tzinfo | None = None) -> str:
    """When the next card of a finished deck is due, as a sentence.

    Close moments are counted in minutes ("in 9 minutes"); later ones name the local day and
    time ("tomorrow at 04:00", "on Friday at 04:00", "on 3 April at 04:00").
    """
    if due is None:
        return "This deck has no cards to study."
    wait = due - now
    if wait <= timedelta(0):
        return "The next card is due now."
    if wait < timedelta(minutes=1):
        return "The next card is due in less than a minute."
    if wait < timedelta(hours=1):
        minutes = round(wait.total_seconds() / 60)
        return f"The next card is due in {minutes} minute{'s' if minutes != 1 else ''}."
    local_due, local_now = due.astimezone(tz), now.astimezone(tz)
    clock_time = local_due.strftime("%H:%M")
    days_ahead = (local_due.date() - local_now.date()).days
    if days_ahead == 0:
        return f"The next card is due today at {clock_time}."
    if days_ahead == 1:
        return f"The next card is due tomorrow at {clock_time}."
    if days_ahead < 7:
        return f"The next card is due on {_weekday(local_due)} at {clock_time}."
    day = f"{local_due.day} {_month(local_due)}"
    if local_due.year != local_now.year:
        day += f" {local_due.year}"
    return f"The next card is due on {day} at {clock_time}."


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _weekday(moment: datetime) -> str:
    # Named here rather than with strftime("%A"), which follows the process locale.
    return _WEEKDAYS[moment.weekday()]


def _month(moment: datetime) -> str:
    return _MONTHS[moment.month - 1]


def day_text(day: date) -> str:
    """A day as people write it: "Monday 30 November 2026"."""
    return f"{_weekday(day)} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def size_text(size: int) -> str:
    """A file size in the units a file manager uses: "820 bytes", "14 KB", "3.2 MB"."""
    if size < 1000:
        return f"{size} byte{'s' if size != 1 else ''}"
    for unit in ("KB", "MB", "GB"):
        size /= 1000
        if size < 1000 or unit == "GB":
            break
    return f"{size:.1f} {unit}" if size < 10 else f"{size:.0f} {unit}"


# A hidden part of a cloze, as card HTML writes it: "[...]", or a hint in the brackets.
_HIDDEN = re.compile(r'<span class="cloze">\s*\[(.*?)\]\s*</span>', re.DOTALL)
_UNITS = {"s": "second", "m": "minute", "h": "hour", "d": "day", "mo": "month", "y": "year"}
_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)(mo|s|m|h|d|y)")


def spoken_text(card_html: str) -> str:
    """A side of a card as a screen reader says it: its plain text, each hidden part of a cloze
    said as "blank" (with its hint, if it has one) rather than as brackets and dots."""
    def blank(match: re.Match) -> str:
        hint = text_line(match.group(1))
        return "blank" if hint.strip(".…") == "" else f"blank ({hint})"

    return text_line(_HIDDEN.sub(blank, card_html))


def interval_words(interval: str) -> str:
    """A grade button's interval ("4d", "2.1mo") in words ("4 days", "2.1 months")."""
    match = _INTERVAL.fullmatch(interval)
    if match is None:
        return interval
    number, unit = match.groups()
    return f"{number} {_UNITS[unit]}{'' if number == '1' else 's'}"
