"""The memory tools on the command line: breaks, backlogs and the fitted scheduler, as a script
would use them."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta, timezone

import pytest
from learner_history import add_learner_history
from test_cli import folder_state, run

from flashcards.app import open_collection


@pytest.fixture(scope="module")
def studied_folder(tmp_path_factory):
    """A data folder holding five months of a simulated learner's reviews, up to now: some
    reviews overdue, others due over the coming weeks."""
    data = tmp_path_factory.mktemp("studied") / "data"
    with open_collection(data) as collection:
        add_learner_history(collection, datetime.now(timezone.utc) - timedelta(days=150),
                            cards=300, days=140)
    return data


@pytest.fixture
def data(studied_folder, tmp_path):
    """A copy of the studied folder each test may change."""
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(studied_folder, copy)
    return copy


def days_from_today(days: int) -> str:
    # The CLI's study day starts at 04:00 local time; a break a few days ahead is clear of it.
    return (date.today() + timedelta(days=days)).isoformat()


def test_a_dry_run_break_says_where_the_reviews_would_go_and_changes_nothing(data, capsys):
    before = folder_state(data)
    status, out, err = run(capsys, "--data-dir", str(data), "break", "--from", days_from_today(3),
                           "--until", days_from_today(16), "--dry-run", "--json")
    assert status == 0 and err == ""
    plan = json.loads(out)
    assert plan["applied"] is False and plan["moved"] > 0
    assert sum(plan["before"].values()) + sum(plan["after"].values()) == plan["moved"]
    away = {days_from_today(n) for n in range(3, 17)}
    assert not away & (set(plan["before"]) | set(plan["after"]))
    assert folder_state(data) == before


def test_a_break_moves_the_reviews_out_of_it_and_says_so(data, capsys):
    args = ["--data-dir", str(data), "break", "--from", days_from_today(3),
            "--until", days_from_today(16)]
    status, out, _ = run(capsys, *args)
    assert status == 0
    assert "due while you are away moved." in out.splitlines()[0]
    assert "extra reviews expected" in out
    status, out, _ = run(capsys, *args, "--dry-run")
    assert status == 0 and "no review is due while you are away" in out


def test_a_break_before_today_is_refused_in_one_line(data, capsys):
    status, out, err = run(capsys, "--data-dir", str(data), "break", "--from", "2000-01-01",
                           "--until", "2000-01-05")
    assert status == 1 and err.strip() == "flashcards: a break cannot start before today"


def test_a_day_not_written_as_a_date_is_refused(data, capsys):
    with pytest.raises(SystemExit) as stopped:
        main_args = ["--data-dir", str(data), "break", "--from", "next monday", "--until",
                     days_from_today(3)]
        run(capsys, *main_args)
    assert stopped.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_a_backlog_is_spread_over_the_days_asked(data, capsys):
    status, out, _ = run(capsys, "--data-dir", str(data), "backlog", "--days", "4", "--dry-run",
                         "--json")
    plan = json.loads(out)
    assert status == 0 and plan["overdue"] > 4 and not plan["applied"]
    counts = list(plan["per_day"].values())
    assert len(counts) == 4 and max(counts) - min(counts) <= 1 and sum(counts) == plan["overdue"]
    status, out, _ = run(capsys, "--data-dir", str(data), "backlog", "--days", "4")
    assert status == 0
    assert out.startswith(f"{plan['overdue']} overdue reviews spread over 4 days")
    # What stays overdue is today's share alone.
    status, out, _ = run(capsys, "--data-dir", str(data), "backlog", "--days", "4", "--json",
                         "--dry-run")
    assert json.loads(out)["overdue"] == counts[0]


def test_optimise_reports_both_log_losses_and_keeps_a_better_fit(data, capsys):
    status, out, _ = run(capsys, "--data-dir", str(data), "optimise", "--json")
    result = json.loads(out)
    assert status == 0 and result["kept"] is True
    assert result["log_loss_after"] < result["log_loss_before"] and len(result["parameters"]) == 21
    status, out, _ = run(capsys, "--data-dir", str(data), "optimise")
    assert status == 0
    assert out.startswith("Log loss with current parameters: ")
    assert "; kept." in out or "; not kept." in out


def test_optimise_without_numpy_says_what_to_install(data, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "numpy", None)  # as if it were not installed
    before = folder_state(data)
    status, out, err = run(capsys, "--data-dir", str(data), "optimise")
    assert status == 1 and out == ""
    assert "numpy" in err and "pip install 'flashcards[optimise]'" in err
    assert "Traceback" not in err
    assert folder_state(data)["journal-test-device.jsonl"] == before["journal-test-device.jsonl"]


def test_optimise_with_no_history_says_there_is_nothing_to_fit(tmp_path, capsys):
    status, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "optimise")
    assert status == 1 and "No review came a day or more after" in err
