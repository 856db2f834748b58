"""A data folder written by the app of snapshot format 3 (event version 2): what it must still show.

The folder in data/version-3-folder was made by that version: two computers ("laptop" and
"desktop") sharing it, four study days, an Anki-style imported history, a deck renamed by a newer
revision, a deck removed, an image, changed settings and daily backups. Every later version must
open it with all of this intact.
"""

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.progress import Phase

FOLDER = Path(__file__).parent / "data" / "version-3-folder"
UTC = timezone.utc


@pytest.fixture
def opened(tmp_path):
    folder = tmp_path / "folder"
    shutil.copytree(FOLDER, folder)
    clock = FakeClock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    with Collection.open(folder, "laptop", clock=clock, tz=UTC) as collection:
        yield collection


def test_every_deck_and_todays_counts_are_there(opened):
    shown = {deck.id: (deck.name, len(deck.cards), deck.revision) for deck in opened.decks()}
    assert shown == {"capitals": ("Capitals", 25, 1), "film-faq": ("Film: FAQ", 6, 1),
                     "words": ("French words (renamed)", 13, 2)}
    counts = {deck_id: tuple(vars(opened.counts(deck_id)).values()) for deck_id in shown}
    assert counts == {"capitals": (0, 0, 8), "film-faq": (0, 1, 1), "words": (0, 1, 2)}


def test_the_whole_history_and_each_cards_progress_are_kept(opened):
    assert len(opened.reviews()) == 133
    capital = opened.progress("cap-0")
    assert capital.phase is Phase.REVIEW and capital.reps == 1 and capital.stability == 8.2956
    assert capital.due == datetime(2026, 11, 28, 8, 0, 10, tzinfo=UTC)
    imported_history = opened.progress("faq-0")
    assert imported_history.first_review == datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    assert imported_history.reps == 3
    assert opened.progress("words-new").due == datetime(2026, 12, 1, 8, 21, 25, tzinfo=UTC)


def test_settings_media_flags_and_backups_are_kept(opened):
    settings = opened.settings
    assert (settings.new_per_day, settings.fuzz, settings.desired_retention) == (15, False, 0.92)
    assert (opened.media_folder / "flag.png").read_bytes().startswith(b"\x89PNG")
    _deck, card = opened.card("faq-2")
    assert card.warning == "looks cut off"
    assert [b.path.name for b in opened.backups()][:2] == [
        "snapshot-laptop-2026-11-23.json", "snapshot-desktop-2026-11-23.json"]
    assert not opened.has_deck("old-deck")
