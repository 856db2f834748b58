"""Kill the app at random moments while it grades: every grade it reported saved is still there.

The default run kills it 15 times. The long run (200 kills, about a minute) is marked slow and
left out by default; run it with

    .venv/bin/python -m pytest -m slow tests/core/test_crash.py

(CI runs every slow test after the default run: see .ci/run.)
"""

import json
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from flashcards.core.collection import Collection
from flashcards.core.snapshot import decode

CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]
# The journal's segments, made small enough that the child begins a new one every dozen grades.
SEGMENT_BYTES = 8192


def run_and_kill(folder: Path, rng: random.Random) -> list[str]:
    """Start the grading child, kill it with SIGKILL at a random moment, return what it printed.

    Every other kill lands while the child starts (before the journal is even open); the others
    land while it grades, counted from its first saved grade, so that a slow, busy machine still
    tests grading and not only starting.
    """
    child = subprocess.Popen([sys.executable, str(CHILD), str(folder), str(rng.randrange(10**9)),
                              str(SEGMENT_BYTES)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    printed: list[bytes] = []
    first_grade = threading.Event()

    def read() -> None:
        for line in child.stdout:
            printed.append(line)
            first_grade.set()

    reader = threading.Thread(target=read)
    reader.start()
    if rng.random() < 0.5:
        time.sleep(rng.uniform(0.05, 0.4))
    else:
        first_grade.wait(timeout=60)
        time.sleep(rng.uniform(0, 0.3))
    child.send_signal(signal.SIGKILL)
    child.wait()
    reader.join()
    errors = child.stderr.read().decode()
    assert child.returncode == -signal.SIGKILL, errors
    # A line is only proof of a saved grade once it is whole.
    return [line.decode().strip() for line in printed if line.endswith(b"\n")]


def assert_every_file_parses(folder: Path) -> None:
    for journal in folder.glob("journal-*.jsonl"):
        data = journal.read_bytes()
        whole = data[:data.rfind(b"\n") + 1]  # a torn last line is allowed until the next start
        for line in whole.splitlines():
            json.loads(line)
    for snapshot in [*folder.glob("snapshot-*.json"), *folder.glob("backups/*.json")]:
        decode(snapshot.read_bytes())


def kill_repeatedly(folder: Path, kills: int, seed: int) -> int:
    rng = random.Random(seed)
    promised: set[str] = set()
    for _ in range(kills):
        promised.update(run_and_kill(folder, rng))
        assert_every_file_parses(folder)
        with Collection.open(folder, "crash") as reopened:
            saved = {review.id for review in reopened.reviews()}
            missing = promised - saved
            assert not missing, f"{len(missing)} grades reported saved were lost"
        assert not list(folder.rglob("*.tmp")), "no half-written file is left behind"
        assert_every_file_parses(folder)
    return len(promised)


def test_grades_survive_being_killed(tmp_path):
    assert kill_repeatedly(tmp_path, kills=15, seed=1) > 0
    assert len(list(tmp_path.glob("journal-crash*.jsonl"))) > 1, "kills landed across segments"


@pytest.mark.slow
def test_grades_survive_being_killed_two_hundred_times(tmp_path):
    assert kill_repeatedly(tmp_path, kills=200, seed=2) > 1000
    assert len(list(tmp_path.glob("journal-crash*.jsonl"))) > 50
