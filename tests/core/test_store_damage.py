"""Damage to the data folder: every kind is noticed, named, kept in damaged/, and costs no more
than the bytes that were actually lost."""

import json
import random
import shutil
from datetime import datetime, timezone

import pytest
from collection_views import everything
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Rating
from flashcards.core.store import LoadReport

UTC = timezone.utc


@pytest.fixture
def clock():
    return FakeClock(datetime(2025, 3, 3, 9, 0, tzinfo=UTC))


def words(count=20, deck_id="words", name=None, revision=1):
    cards = [Card(f"{deck_id}-{i}", f"front {i}", f"back {i}") for i in range(count)]
    return Deck(deck_id, name or deck_id.capitalize(), cards=cards, revision=revision)


def open_collection(folder, clock, device="laptop", read_only=False):
    return Collection.open(folder, device, clock=clock, tz=UTC, read_only=read_only)


def study(collection, clock, card_ids, rating=Rating.GOOD):
    for card_id in card_ids:
        collection.preview(card_id)
        clock.advance(seconds=7)
        collection.grade(card_id, rating)


def journal(folder, device="laptop"):
    return folder / f"journal-{device}.jsonl"


def lines_of(folder, device="laptop"):
    return journal(folder, device).read_bytes().splitlines(keepends=True)


def rebuilt(folder, clock, also_cards=()):
    """What the journals alone give: the folder copied without its snapshots and opened."""
    copy = folder.parent / "rebuilt-from-the-journals"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir()
    for path in folder.glob("journal-*.jsonl"):
        shutil.copy(path, copy / path.name)
    with open_collection(copy, clock, read_only=True) as collection:
        assert collection.load_report.rebuilt
        return everything(collection, also_cards)


def state_only(view):
    """What a person sees of their collection, without the review history."""
    return {part: value for part, value in view.items() if part != "reviews"}


def damaged_files(folder):
    place = folder / "damaged"
    return sorted(place.iterdir()) if place.is_dir() else []


def thirty_reviews(folder, clock):
    with open_collection(folder, clock) as collection:
        collection.import_deck(words(30))
        study(collection, clock, [f"words-{i}" for i in range(30)])
        return everything(collection)


def graded_cards(lines):
    cards = []
    for line in lines:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event["type"] == "grade":
            cards.append(event["card"])
    return cards


# -- 6. malformed lines never stop the history from being read --------------------------------------

MALFORMED = [
    {"v": 2, "type": "grade", "device": "laptop", "time": "2025-03-03T09:00:00.000000Z"},
    {"v": 2, "id": "x1", "type": "grade", "time": "2025-03-03T09:00:00.000000Z", "card": "words-1"},
    {"v": 2, "id": "x2", "type": "grade", "time": "not a time", "card": "words-1", "deck": "words",
     "rating": 3, "phase_before": "new"},
    {"v": 2, "id": 7, "type": "grade", "time": "2025-03-03T09:00:00.000000Z", "card": "words-1",
     "deck": "words", "rating": 3, "phase_before": "new"},
    {"v": 2, "id": "x3", "type": "grade", "time": "2025-03-03T09:00:00.000000Z", "card": "words-1",
     "deck": "words", "rating": 9, "phase_before": "new"},
    {"v": 2, "id": "x4", "type": "progress", "time": "2025-03-03T09:00:00.000000Z",
     "card": "words-1", "progress": [1, 2]},
    {"v": 2, "id": "x5", "type": "deck", "time": "2025-03-03T09:00:00.000000Z", "deck": "words"},
    [1, 2, 3], "text", 12, None,
]


def test_malformed_lines_are_skipped_when_reading_the_history(tmp_path, clock):
    before = thirty_reviews(tmp_path, clock)
    lines = lines_of(tmp_path)
    bad = [json.dumps(value).encode() + b"\n" for value in MALFORMED]
    journal(tmp_path).write_bytes(b"".join(lines[:3] + bad + lines[3:]))
    for snapshot in ("kept", "rebuilt"):
        if snapshot == "rebuilt":
            (tmp_path / "snapshot-laptop.json").unlink()
        with open_collection(tmp_path, clock) as reopened:
            assert len(reopened.reviews()) == 30
            assert len([e for e in reopened.store.events() if e.get("type") == "grade"]) >= 30
            assert state_only(everything(reopened)) == state_only(before)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
event_keys = st.sampled_from(["v", "id", "type", "time", "seq", "card", "deck", "rating",
                              "phase_before", "progress", "key", "value", "deck_id", "device",
                              "duration_ms"])
event_like = st.fixed_dictionaries(
    {"v": st.sampled_from([1, 2, 3, "2", None, 2.5]),
     "type": st.sampled_from(["grade", "progress", "deck", "deck_removed", "setting",
                              "setting_removed", "other"])},
    optional={"id": json_values | st.text(max_size=8),
              "time": st.sampled_from(["2025-03-03T09:00:00.000000Z", "2025-03-03", "", "x"])
              | json_values,
              "seq": json_values},
).flatmap(lambda base: st.dictionaries(event_keys, json_values, max_size=6).map(
    lambda extra: {**extra, **base}))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inserted=st.lists(st.tuples(st.integers(0, 40), event_like | json_values), min_size=1,
                         max_size=6))
def test_no_line_of_random_json_stops_the_folder_or_the_history(tmp_path_factory, inserted):
    folder = tmp_path_factory.mktemp("random-lines")
    clock = FakeClock(datetime(2025, 3, 3, 9, 0, tzinfo=UTC))
    with open_collection(folder, clock) as collection:
        collection.import_deck(words(5))
        study(collection, clock, ["words-0", "words-1", "words-2"])
        before = {c: collection.progress(c) for c in ("words-0", "words-1", "words-2")}
    lines = lines_of(folder)
    for place, value in sorted(inserted, key=lambda item: -item[0]):
        text = json.dumps(value).encode() + b"\n"
        lines.insert(min(place, len(lines)), text)
    journal(folder).write_bytes(b"".join(lines))
    (folder / "snapshot-laptop.json").unlink()
    with open_collection(folder, clock) as reopened:
        history = [r.id for r in reopened.reviews()]
        assert len(set(history)) >= 3
        list(reopened.store.events())
        for card, progress in before.items():
            shown = reopened.progress(card)
            assert shown is not None and shown.reps >= progress.reps
