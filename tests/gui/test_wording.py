from datetime import datetime, timedelta, timezone

import pytest

from flashcards.gui.wording import next_due_text

NOW = datetime(2025, 3, 10, 10, 0, tzinfo=timezone.utc)  # a Monday


@pytest.mark.parametrize(("due", "expected"), [
    (None, "This deck has no cards to study."),
    (NOW - timedelta(minutes=1), "The next card is due now."),
    (NOW + timedelta(seconds=20), "The next card is due in less than a minute."),
    (NOW + timedelta(minutes=1), "The next card is due in 1 minute."),
    (NOW + timedelta(minutes=9), "The next card is due in 9 minutes."),
    (NOW + timedelta(minutes=59, seconds=10), "The next card is due in 59 minutes."),
    (NOW + timedelta(hours=3), "The next card is due today at 13:00."),
    (datetime(2025, 3, 11, 4, 0, tzinfo=timezone.utc), "The next card is due tomorrow at 04:00."),
    (datetime(2025, 3, 14, 4, 0, tzinfo=timezone.utc), "The next card is due on Friday at 04:00."),
    (datetime(2025, 4, 3, 4, 0, tzinfo=timezone.utc), "The next card is due on 3 April at 04:00."),
    (datetime(2026, 1, 5, 4, 0, tzinfo=timezone.utc),
     "The next card is due on 5 January 2026 at 04:00."),
])
def test_next_due_text(due, expected):
    assert next_due_text(due, NOW, timezone.utc) == expected


def test_days_are_counted_in_the_local_time_zone():
    paris = timezone(timedelta(hours=1))
    # 23:30 UTC on Monday is already Tuesday 00:30 in Paris.
    due = datetime(2025, 3, 10, 23, 30, tzinfo=timezone.utc)
    assert next_due_text(due, NOW, paris) == "The next card is due tomorrow at 00:30."
    assert next_due_text(due, NOW, timezone.utc) == "The next card is due today at 23:30."


def test_a_backup_day_is_written_out_as_people_do():
    from datetime import date

    from flashcards.gui.wording import day_text

    assert day_text(date(2026, 11, 30)) == "Monday 30 November 2026"


def test_file_sizes_read_as_a_file_manager_shows_them():
    from flashcards.gui.wording import size_text

    assert [size_text(n) for n in (1, 820, 14_200, 3_210_000, 48_000_000, 2_500_000_000)] == [
        "1 byte", "820 bytes", "14 KB", "3.2 MB", "48 MB", "2.5 GB"]


def test_a_cloze_is_spoken_with_blank_for_the_hidden_words():
    from flashcards.gui.wording import spoken_text

    assert spoken_text('“The 400 Blows” was directed by <span class="cloze">[...]</span>.') == (
        "“The 400 Blows” was directed by blank.")
    assert spoken_text('Born in <span class="cloze">[year]</span>, in <i>Paris</i>') == (
        "Born in blank (year), in Paris")
    assert spoken_text("Who directed <i>The 400 Blows</i>?<br>Think&nbsp;hard") == (
        "Who directed The 400 Blows? Think hard")


def test_a_grade_buttons_interval_is_spoken_in_words():
    from flashcards.gui.wording import interval_words

    assert [interval_words(text) for text in ("45s", "1m", "10m", "3h", "1d", "4d", "2.1mo",
                                              "1y", "1.5y")] == [
        "45 seconds", "1 minute", "10 minutes", "3 hours", "1 day", "4 days", "2.1 months",
        "1 year", "1.5 years"]
