"""How long the app takes to be usable: process start to the deck list on screen, and `flashcards decks`.

    .venv/bin/python benchmarks/startup_bench.py [--runs N]

Each run is a fresh Python process over a data folder holding the bundled decks, the window drawn
on Qt's offscreen platform. Prints the median seconds of each, JSON on the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WINDOW = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from flashcards.app import open_collection
from flashcards.gui.main_window import MainWindow
app = QApplication(sys.argv[:1])
collection = open_collection(sys.argv[1])
window = MainWindow(collection)
window.show()
def ready():
    sys.stdout.write("ready\\n"); sys.stdout.flush(); app.quit()
QTimer.singleShot(0, ready)  # runs once the first paint has been queued and processed
app.exec()
collection.close()
"""


def time_command(args: list[str], env: dict, wait_for_ready: bool) -> float:
    began = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             cwd=ROOT, env=env)
    if wait_for_ready:
        line = child.stdout.readline()
        elapsed = time.perf_counter() - began
        child.wait()
        if line.strip() != "ready":
            raise SystemExit("the window did not start")
        return elapsed
    child.communicate()
    if child.returncode:
        raise SystemExit(f"{args} failed")
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FLASHCARDS_DEVICE_ID="bench",
                   FLASHCARDS_DATA_DIR=folder)
        cli = [sys.executable, "-m", "flashcards", "decks"]
        time_command(cli, env, wait_for_ready=False)  # first start: adds the bundled decks
        window = [time_command([sys.executable, "-c", WINDOW, folder], env, True) for _ in range(runs)]
        decks = [time_command(cli, env, False) for _ in range(runs)]
    figures = {"window_shown_s": round(statistics.median(window), 3),
               "cli_decks_s": round(statistics.median(decks), 3), "runs": runs}
    print(f"process start to deck list shown: {figures['window_shown_s']} s")
    print(f"flashcards decks:                 {figures['cli_decks_s']} s")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
