"""`flashcards stats`, used as a script would use it."""

import json
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import fsrs

from flashcards.core.clock import day_bounds, study_day
from test_cli import folder_state, run

ROLLOVER = 4  # the default start of a study day


def studied_folder(tmp_path, capsys) -> tuple[Path, date]:
    """Capitals and French words (with a Verbs subdeck) beside the bundled decks, studied over
    the last four study days up to today (the command reads the system clock):
        3 days ago  France Easy (new), Italy Easy (new)
        2 days ago  France Good (review)
        yesterday   France Again (review), manger Hard (new)
        today       France Good (relearning)
    Returns the folder and today's study day."""
    from flashcards.app import open_collection
    from flashcards.core.clock import FakeClock
    from flashcards.core.progress import Rating

    data = tmp_path / "data"
    for name, rows in (("Capitals", "France,Paris\nItaly,Rome\nSpain,Madrid\n"),
                       ("French words", "le chat,the cat\n"),
                       ("French words::Verbs", "manger,to eat\n")):
        path = tmp_path / f"{name}.csv"
        path.write_text(rows, encoding="utf-8")
        assert run(capsys, "--data-dir", str(data), "import", str(path), "--deck", name)[0] == 0
    now = datetime.now(timezone.utc)
    today = study_day(now, ROLLOVER)
    since_start = now - day_bounds(today, ROLLOVER)[0]

    def during(days_ago: int) -> datetime:
        # Half as far into that study day as now is into today's: inside it, and not to come.
        return day_bounds(today - timedelta(days=days_ago), ROLLOVER)[0] + since_start / 2

    clock = FakeClock(during(3))
    with open_collection(data, clock=clock) as collection:
        france, italy, _spain = (c.id for _d, c in collection.find_cards("deck:Capitals"))
        [(_deck, manger)] = collection.find_cards('deck:"French words::Verbs"')
        for days_ago, card_id, rating, seconds in (
                (3, france, Rating.EASY, 4), (3, italy, Rating.EASY, 6),
                (2, france, Rating.GOOD, 5),
                (1, france, Rating.AGAIN, 20), (1, manger.id, Rating.HARD, 9),
                (0, france, Rating.GOOD, 8)):
            clock.set(max(clock.now() + timedelta(seconds=30), during(days_ago)))
            collection.grade(card_id, rating, duration_ms=seconds * 1000)
    return data, today


def stats_json(capsys, data, *options) -> dict:
    status, out, err = run(capsys, "--data-dir", str(data), "stats", "--json", *options)
    assert status == 0 and err == ""
    return json.loads(out)


def test_stats_json_counts_the_reviews_of_each_day_and_the_streak(tmp_path, capsys):
    data, today = studied_folder(tmp_path, capsys)
    stats = stats_json(capsys, data)
    days_ago = lambda n: (today - timedelta(days=n)).isoformat()  # noqa: E731
    assert stats["reviews"] == {"total": 6, "streak": 4, "by_day": {
        days_ago(3): 2, days_ago(2): 1, days_ago(1): 2, days_ago(0): 1}}
    assert stats["time"] == {"seconds": 52.0, "by_day": {
        days_ago(3): 10.0, days_ago(2): 5.0, days_ago(1): 29.0, days_ago(0): 8.0}}
    assert (stats["period"], stats["from"], stats["today"]) == ("all", days_ago(3), days_ago(0))
    # The history says the same as `cards`.
    _, out, _ = run(capsys, "--data-dir", str(data), "cards", "--json")
    assert sum(card["reviews"] for card in json.loads(out)) == stats["reviews"]["total"]


def test_stats_json_counts_cards_by_state_and_what_falls_due(tmp_path, capsys):
    data, _today = studied_folder(tmp_path, capsys)
    stats = stats_json(capsys, data)
    cards = stats["cards"]
    assert (cards["total"], cards["new"], cards["suspended"]) == (43, 40, 0)
    assert cards["learning"] + cards["review"] + cards["relearning"] == 3
    assert cards["young"] + cards["mature"] == cards["review"]
    assert len(stats["forecast"]) == 30
    assert sum(stats["forecast"]) == 3  # every studied card comes back within the month


def test_stats_json_gives_retention_answer_buttons_and_the_memory_of_cards(tmp_path, capsys):
    data, today = studied_folder(tmp_path, capsys)
    stats = stats_json(capsys, data)
    weeks = stats["retention"]
    assert [week["week"] for week in weeks] == sorted({
        (day - timedelta(days=day.weekday())).isoformat()
        for day in (today - timedelta(days=n) for n in range(4))})
    # France was a review card twice: passed two days ago, forgotten yesterday.
    young = [week["young"] for week in weeks if week["young"]["reviews"]]
    assert sum(y["reviews"] for y in young) == 2 and sum(y["passed"] for y in young) == 1
    assert all(week["mature"] == {"passed": 0, "reviews": 0, "rate": None} for week in weeks)
    assert stats["buttons"] == {
        "learning": {"again": 0, "hard": 1, "good": 1, "easy": 2},
        "young": {"again": 1, "hard": 0, "good": 1, "easy": 0},
        "mature": {"again": 0, "hard": 0, "good": 0, "easy": 0}}
    assert sum(b["cards"] for b in stats["stability"]) == 3
    assert stats["stability"][-1]["to"] is None  # the last bin has no upper end
    assert sum(b["cards"] for b in stats["retrievability"]["bins"]) == 3
    assert 0 < stats["retrievability"]["average"] <= 1
    assert stats["parameters"] == list(fsrs.Scheduler().parameters)
    assert len(stats["parameters"]) == 21


def test_stats_of_one_deck_take_its_subdecks(tmp_path, capsys):
    data, today = studied_folder(tmp_path, capsys)
    stats = stats_json(capsys, data, "--deck", "french words")
    assert stats["deck"] == "french words"
    assert stats["reviews"]["by_day"] == {(today - timedelta(days=1)).isoformat(): 1}
    assert stats["reviews"]["streak"] == 1
    assert (stats["cards"]["total"], stats["cards"]["new"]) == (2, 1)
    assert stats_json(capsys, data, "--deck", "Capitals")["reviews"]["total"] == 5


def test_stats_over_the_last_month_start_thirty_days_back(tmp_path, capsys):
    data, today = studied_folder(tmp_path, capsys)
    stats = stats_json(capsys, data, "--period", "month")
    assert (stats["period"], stats["from"]) == ("month", (today - timedelta(days=29)).isoformat())
    assert stats["reviews"]["total"] == 6


def test_stats_prints_a_short_summary(tmp_path, capsys):
    data, today = studied_folder(tmp_path, capsys)
    before = folder_state(data)
    status, out, err = run(capsys, "--data-dir", str(data), "stats")
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == (f"All decks, all time ({(today - timedelta(days=3)).isoformat()} to "
                        f"{today.isoformat()})")
    assert lines[1] == "Reviews    6 on 4 days; today 1; streak 4 days"
    assert lines[2] == "Time       52s, 13s a day studied"
    assert lines[3].startswith("Cards      43: 40 new, ")
    assert lines[4].startswith("Due        today ") and lines[4].endswith("next 30 days 3")
    assert lines[5] == "Retention  young 50.0% of 2 reviews, mature no reviews"
    assert lines[6].startswith("Recall     ") and lines[6].endswith("over 3 studied cards")
    assert len(lines) == 7
    assert folder_state(data) == before  # it only looks


def test_stats_of_a_deck_that_does_not_exist_say_so_in_one_line(tmp_path, capsys):
    data, _today = studied_folder(tmp_path, capsys)
    for options in ([], ["--json"]):
        status, out, err = run(capsys, "--data-dir", str(data), "stats", "--deck", "Spanish",
                               *options)
        assert (status, out, err) == (1, "", "flashcards: no deck named 'Spanish'\n")


def test_stats_on_a_folder_never_used_show_the_bundled_cards_as_new_and_make_nothing(tmp_path,
                                                                                     capsys):
    data = tmp_path / "data"
    stats = stats_json(capsys, data)
    assert stats["reviews"] == {"total": 0, "streak": 0, "by_day": {}}
    assert (stats["cards"]["total"], stats["cards"]["new"]) == (38, 38)
    assert stats["forecast"] == [0] * 30
    assert stats["retrievability"]["average"] is None
    assert not data.exists()


def test_stats_explains_itself():
    result = subprocess.run([sys.executable, "-m", "flashcards", "stats", "--help"],
                            capture_output=True, text=True, check=True)
    assert "usage: flashcards stats" in result.stdout and "--deck NAME" in result.stdout
