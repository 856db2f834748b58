"""Damage to the data folder: every kind is noticed, named, kept in damaged/, and costs no more
than the bytes that were actually lost."""

import errno
import json
import random
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from collection_views import everything
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.core import journal as journal_module
from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Rating
from flashcards.core.snapshot import SNAPSHOT_VERSION, decode
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


# -- the snapshot's first line -------------------------------------------------------------------

def a_used_folder(folder, clock):
    """Two decks, one renamed and one removed, grades, and changed settings."""
    with open_collection(folder, clock) as collection:
        collection.import_deck(words(6))
        collection.import_deck(words(4, "verbs"))
        collection.import_deck(words(3, "gone"))
        study(collection, clock, ["words-0", "words-1", "verbs-2"])
        collection.change_setting("new_per_day", 7)
        collection.change_setting("desired_retention", 0.85)
        study(collection, clock, ["words-0"], Rating.AGAIN)
        collection.import_deck(words(4, "verbs", name="Verbs, renamed", revision=2))
        collection.remove_deck("gone")


def a_used_snapshot(tmp_path, clock):
    """a_used_folder's folder, what its journals alone show, its snapshot's path and bytes, and
    where the snapshot's first line ends."""
    folder = tmp_path / "folder"
    a_used_folder(folder, clock)
    expected = rebuilt(folder, clock)
    snapshot = folder / "snapshot-laptop.json"
    data = snapshot.read_bytes()
    return folder, expected, snapshot, data, data.index(b"\n")


def test_a_damaged_header_is_set_aside_and_the_journals_replayed(tmp_path, clock):
    folder, expected, snapshot, data, _header_end = a_used_snapshot(tmp_path, clock)
    # A deck name changed by one byte: valid JSON, same length, nothing else touched.
    damaged = data.replace(b'"name":"Verbs, renamed"', b'"name":"Verbs, renamEd"', 1)
    assert damaged != data and damaged.index(b"renamEd") < damaged.index(b"\n")
    snapshot.write_bytes(damaged)
    with open_collection(folder, clock) as reopened:
        assert reopened.load_report.rebuilt
        (warning,) = reopened.load_report.warnings
        assert "snapshot could not be read" in warning and "damaged/" in warning
        assert everything(reopened) == expected
        assert reopened.deck("verbs").name == "Verbs, renamed"
    assert [p.read_bytes() for p in damaged_files(folder)] == [damaged]


def test_a_snapshot_cut_off_in_its_first_line_is_set_aside(tmp_path, clock):
    folder, expected, snapshot, data, header_end = a_used_snapshot(tmp_path, clock)
    problems = []
    for end in [*range(0, header_end + 2), len(data) // 2, len(data) - 1]:
        snapshot.write_bytes(data[:end])
        try:
            with open_collection(folder, clock, read_only=True) as reopened:
                if not reopened.load_report.rebuilt or everything(reopened) != expected:
                    problems.append((end, "not rebuilt" if not reopened.load_report.rebuilt
                                     else "differs"))
        except Exception as error:  # noqa: BLE001 - counted and reported below
            problems.append((end, repr(error)))
    assert problems == [], f"{len(problems)} cut-off snapshots were trusted or stopped the open"


def test_no_flipped_bit_in_the_header_goes_unnoticed(tmp_path, clock):
    """Every byte of the first line, three bit flips each: the folder always opens, and shows
    exactly what the journals hold."""
    folder, expected, snapshot, data, header_end = a_used_snapshot(tmp_path, clock)
    rng = random.Random(1190)
    trials, raised, changed, unnoticed = 0, [], [], []
    for position in range(header_end):
        for bit in rng.sample(range(8), 3):
            damaged = bytearray(data)
            damaged[position] ^= 1 << bit
            snapshot.write_bytes(bytes(damaged))
            trials += 1
            try:
                with open_collection(folder, clock, read_only=True) as reopened:
                    if everything(reopened) != expected:
                        changed.append((position, bit))
                    elif not reopened.load_report.warnings:
                        unnoticed.append((position, bit))
            except Exception as error:  # noqa: BLE001 - counted and reported below
                raised.append((position, bit, repr(error)))
    assert (len(raised), len(changed)) == (0, 0), (
        f"of {trials} flips in a {header_end}-byte header, {len(raised)} stopped the folder "
        f"opening (first: {raised[:1]}) and {len(changed)} silently changed what is shown "
        f"(first: {changed[:3]})")
    assert unnoticed == [], f"{len(unnoticed)} of {trials} flips were not mentioned"


def test_no_flipped_bit_after_the_header_goes_unnoticed(tmp_path, clock):
    """Start-up reads only the first line; every other line is checked against the checksum
    the first line gives it the first time one is needed, before anything read is used. Bits
    flipped anywhere after the first line: the folder shows exactly what the journals hold, and
    says so."""
    folder, expected, snapshot, data, header_end = a_used_snapshot(tmp_path, clock)
    rng = random.Random(6)
    problems = []
    for position in sorted(rng.sample(range(header_end + 1, len(data)), 150)):
        damaged = bytearray(data)
        damaged[position] ^= 1 << rng.randrange(8)
        snapshot.write_bytes(bytes(damaged))
        try:
            with open_collection(folder, clock, read_only=True) as reopened:
                shown = everything(reopened)
                told = [*reopened.load_report.warnings, *reopened.take_warnings()]
                if shown != expected or not any("could not be read" in t for t in told):
                    problems.append((position, "differs" if shown != expected else "not told"))
        except Exception as error:  # noqa: BLE001 - counted and reported below
            problems.append((position, repr(error)))
    assert problems == [], f"{len(problems)} of 150 flips: first {problems[:3]}"


def test_damage_found_after_start_up_is_set_aside_and_the_next_start_is_whole(tmp_path, clock):
    folder, expected, snapshot, data, _header_end = a_used_snapshot(tmp_path, clock)
    damaged = data.replace(b'"words-3"', b'"words-9"', 1)
    assert damaged.index(b'"words-9"') > data.index(b"\n")
    snapshot.write_bytes(damaged)
    with open_collection(folder, clock) as reopened:
        assert not reopened.load_report.warnings  # the first line is whole
        counts = reopened.counts("words")  # from the first line alone
        assert everything(reopened) == expected  # reading the cards finds the damage
        (told,) = reopened.take_warnings()
        assert "could not be read" in told and "damaged/" in told
        assert reopened.counts("words") == counts
    assert [p.read_bytes() for p in damaged_files(folder)] == [damaged]
    with open_collection(folder, clock) as again:
        assert everything(again) == expected and not again.load_report.warnings


VERSION_3_FOLDER = Path(__file__).parent / "data" / "version-3-folder"


def test_a_version_3_snapshot_is_read_then_written_again_with_its_first_line_checked(tmp_path):
    folder = tmp_path / "folder"
    shutil.copytree(VERSION_3_FOLDER, folder)
    clock = FakeClock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    with open_collection(folder, clock) as collection:
        assert collection.load_report.converted and not collection.load_report.rebuilt
        assert collection.load_report.warnings == []
        seen = everything(collection)
    snapshot = (folder / "snapshot-laptop.json").read_bytes()
    assert snapshot.startswith(b'{"crc32":"') and decode(snapshot)[1]["version"] == SNAPSHOT_VERSION
    with open_collection(folder, clock, read_only=True) as again:
        assert everything(again) == seen


@pytest.mark.parametrize("field", [b'"event_version":', b'"journals":', b'"settings":',
                                   b'"size":', b'"decks":'])
def test_a_version_3_first_line_missing_a_field_is_damaged_not_a_crash(tmp_path, field):
    folder = tmp_path / "folder"
    shutil.copytree(VERSION_3_FOLDER, folder)
    snapshot = folder / "snapshot-laptop.json"
    data = snapshot.read_bytes()
    snapshot.write_bytes(data.replace(field, field.replace(b'":', b'_":'), 1))
    clock = FakeClock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    with open_collection(folder, clock) as collection:
        assert collection.load_report.rebuilt
        assert "snapshot could not be read" in collection.load_report.warnings[0]
        assert len(collection.reviews()) == 133
    assert len(damaged_files(folder)) == 1


# -- another computer's journal replaced while the app is open -----------------------------------

def two_versions_of_the_laptop_journal(root, clock):
    """The desk has read the laptop's journal; the laptop's journal then comes back as another
    version: the same first lines, then other grades, as long or longer."""
    desk, laptop = root / "desk", root / "laptop"
    with open_collection(laptop, clock, device="laptop") as collection:
        collection.import_deck(words(20))
    other = root / "laptop-elsewhere"
    shutil.copytree(laptop, other)
    with open_collection(laptop, clock, device="laptop") as collection:
        study(collection, clock, [f"words-{i}" for i in range(10)], Rating.AGAIN)
    with open_collection(other, clock, device="laptop") as collection:
        study(collection, clock, [f"words-{i}" for i in range(8, 20)], Rating.EASY)
    first, second = journal(laptop).read_bytes(), journal(other).read_bytes()
    assert len(second) >= len(first) and second[:len(first)] != first
    desk.mkdir()
    journal(desk, "laptop").write_bytes(first)
    return desk, second


@pytest.mark.parametrize("noticed_at", ["refresh", "start", "start after refresh"])
def test_another_computers_journal_replaced_while_open_is_noticed(tmp_path, clock, noticed_at):
    desk, second = two_versions_of_the_laptop_journal(tmp_path, clock)
    cards = [f"words-{i}" for i in range(20)]
    window = open_collection(desk, clock, device="desk")
    assert window.progress("words-0") is not None
    replaced = journal(desk, "laptop")
    staging = replaced.with_name(".syncing")
    staging.write_bytes(second)
    staging.replace(replaced)  # as a sync tool brings a new version in
    study(window, clock, ["words-3"])  # the desk is used meanwhile: its snapshot is saved at closing
    warnings = []
    if noticed_at != "start":
        report = window.refresh()
        warnings += report.warnings
    if noticed_at != "refresh":
        window.close()
        window = open_collection(desk, clock, device="desk")
        warnings += window.load_report.warnings
    expected = rebuilt(desk, clock, cards)
    shown = everything(window, cards)
    differing = [c for c in cards if shown["progress"][c] != expected["progress"][c]]
    assert differing == [], f"{len(differing)} of 20 cards differ from the journals"
    assert shown == expected
    assert any("journal-laptop.jsonl" in w and "replaced" in w for w in warnings), warnings
    window.close()
    with open_collection(desk, clock, device="desk") as again:
        assert everything(again, cards) == expected


def test_the_snapshot_records_what_was_read_not_what_is_there_when_saving(tmp_path, clock):
    desk, second = two_versions_of_the_laptop_journal(tmp_path, clock)
    window = open_collection(desk, clock, device="desk")
    journal(desk, "laptop").write_bytes(second)
    window.save_snapshot()  # made before anything noticed the new version
    window.close()
    with open_collection(desk, clock, device="desk") as reopened:
        cards = [f"words-{i}" for i in range(20)]
        assert everything(reopened, cards) == rebuilt(desk, clock, cards)


def test_another_computers_journal_gone_while_open_is_noticed_at_refresh(tmp_path, clock):
    desk, _second = two_versions_of_the_laptop_journal(tmp_path, clock)
    with open_collection(desk, clock, device="desk") as window:
        assert window.progress("words-0") is not None
        journal(desk, "laptop").unlink()
        report = window.refresh()
        assert report.rebuilt and "journal-laptop.jsonl" in report.warnings[0]
        assert window.progress("words-0") is None and not window.has_deck("words")


# -- this computer's journal put back to an older copy -------------------------------------------

def seventy_reviews(folder, clock):
    with open_collection(folder, clock) as collection:
        collection.import_deck(words(70))
        study(collection, clock, [f"words-{i}" for i in range(30)])
        # In the part that will go missing: a setting, a deck renamed and one removed, and grades.
        collection.change_setting("new_per_day", 12)
        collection.import_deck(words(70, name="Words, renamed", revision=2))
        collection.import_deck(words(2, "extra"))
        study(collection, clock, [f"words-{i}" for i in range(30, 70)], Rating.EASY)
        collection.remove_deck("extra")
        return everything(collection)


def test_a_journal_put_back_to_an_older_copy_keeps_every_cards_progress(tmp_path, clock):
    before = seventy_reviews(tmp_path, clock)
    lines = lines_of(tmp_path)
    grades = [i for i, line in enumerate(lines) if json.loads(line)["type"] == "grade"]
    first_thirty = lines[:grades[29] + 1]
    missing = len(lines) - len(first_thirty)
    journal(tmp_path).write_bytes(b"".join(first_thirty))  # a backup program restored it
    with open_collection(tmp_path, clock) as reopened:
        (warning,) = reopened.load_report.warnings
        assert "journal-laptop.jsonl" in warning and f"{missing} events" in warning
        assert "intact" not in warning
        assert state_only(everything(reopened)) == state_only(before)
        assert all(reopened.progress(f"words-{i}") == before["progress"][f"words-{i}"]
                   for i in range(70))
    assert lines_of(tmp_path)[:len(first_thirty)] == first_thirty, "only appended to"
    (tmp_path / "snapshot-laptop.json").unlink()
    with open_collection(tmp_path, clock) as rebuilt_from_journals:
        assert rebuilt_from_journals.load_report.rebuilt
        assert rebuilt_from_journals.load_report.warnings == []
        assert state_only(everything(rebuilt_from_journals)) == state_only(before)


def test_giving_back_again_from_the_same_snapshot_adds_nothing(tmp_path, clock):
    """Say the computer stopped after the journal was given back, before the snapshot was
    replaced: the next start finds the journal holding everything already."""
    before = seventy_reviews(tmp_path, clock)
    journal(tmp_path).write_bytes(b"".join(lines_of(tmp_path)[:25]))
    old_snapshot = (tmp_path / "snapshot-laptop.json").read_bytes()
    with open_collection(tmp_path, clock):
        pass
    given_back = journal(tmp_path).read_bytes()
    (tmp_path / "snapshot-laptop.json").write_bytes(old_snapshot)
    with open_collection(tmp_path, clock) as again:
        (warning,) = again.load_report.warnings
        assert "still give every card's progress" in warning
        assert state_only(everything(again)) == state_only(before)
    assert journal(tmp_path).read_bytes() == given_back


def test_a_journal_cut_part_way_through_a_line_is_not_called_a_crash(tmp_path, clock):
    before = seventy_reviews(tmp_path, clock)
    data = journal(tmp_path).read_bytes()
    journal(tmp_path).write_bytes(data[:len(data) // 2])
    with open_collection(tmp_path, clock) as reopened:
        warnings = " ".join(reopened.load_report.warnings)
        assert "intact" not in warnings and "bytes" in warnings
        assert state_only(everything(reopened)) == state_only(before)
    (tmp_path / "snapshot-laptop.json").unlink()
    with open_collection(tmp_path, clock) as rebuilt_from_journals:
        assert state_only(everything(rebuilt_from_journals)) == state_only(before)


def test_looking_at_a_folder_whose_journal_went_back_shows_all_and_writes_nothing(tmp_path, clock):
    before = seventy_reviews(tmp_path, clock)
    lines = lines_of(tmp_path)
    journal(tmp_path).write_bytes(b"".join(lines[:20]))
    files = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with open_collection(tmp_path, clock, read_only=True) as looking:
        (warning,) = looking.load_report.warnings
        assert "journal-laptop.jsonl" in warning
        assert state_only(everything(looking)) == state_only(before)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == files


def test_what_a_full_disk_keeps_from_being_written_back_waits_for_the_next_save(
        tmp_path, clock, monkeypatch):
    before = seventy_reviews(tmp_path, clock)
    lines = lines_of(tmp_path)
    journal(tmp_path).write_bytes(b"".join(lines[:20]))
    snapshot = (tmp_path / "snapshot-laptop.json").read_bytes()

    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as disk:
        disk.setattr(journal_module.Journal, "append", full)
        reopened = open_collection(tmp_path, clock)
        assert "could not be written back" in reopened.load_report.warnings[0]
        assert state_only(everything(reopened)) == state_only(before)
    assert (tmp_path / "snapshot-laptop.json").read_bytes() == snapshot, "kept until written back"
    study(reopened, clock, ["words-0"], Rating.HARD)  # the disk has room again
    after = everything(reopened)
    reopened.close()
    (tmp_path / "snapshot-laptop.json").unlink()
    with open_collection(tmp_path, clock) as rebuilt_from_journals:
        assert state_only(everything(rebuilt_from_journals)) == state_only(after)


# -- damage in the middle of a journal -----------------------------------------------------------

@pytest.mark.parametrize("snapshot", ["rebuilt", "kept"])
def test_a_block_of_zero_bytes_in_a_journal_is_found_and_reported(tmp_path, clock, snapshot):
    before = thirty_reviews(tmp_path, clock)
    data = journal(tmp_path).read_bytes()
    lines = data.splitlines(keepends=True)
    begins = [sum(len(line) for line in lines[:i]) for i in range(len(lines))]
    first_grade = next(i for i, line in enumerate(lines) if b'"type":"grade"' in line)
    start, block = begins[first_grade + 9], 4096  # from the start of a line in the middle
    damaged = data[:start] + b"\0" * block + data[start + block:]
    journal(tmp_path).write_bytes(damaged)
    intact = graded_cards(line for line, begin in zip(lines, begins)
                          if begin + len(line) <= start or begin >= start + block)
    lost = [card for card in graded_cards(lines) if card not in intact]
    assert 8 <= len(lost) <= 10 and len(intact) >= 20
    # What cannot be read: the block, and the rest of the line it ends in.
    end = start + block
    if end not in begins:
        end = damaged.index(b"\n", end) + 1
    unreadable = damaged[start:end]
    if snapshot == "rebuilt":
        (tmp_path / "snapshot-laptop.json").unlink()
    with open_collection(tmp_path, clock) as reopened:
        report = LoadReport()
        reviews = reopened.reviews(report)
        assert sorted(r.card_id for r in reviews) == sorted(intact)
        if snapshot == "rebuilt":
            # Opening read the whole journal: it tells at once.
            (warning,) = reopened.load_report.warnings
            assert all(reopened.progress(card) == before["progress"][card] for card in intact)
            assert all(reopened.progress(card) is None for card in lost)
        else:
            # Opening read only the snapshot; reading the history finds the damage.
            assert reopened.load_report.warnings == []
            (warning,) = report.warnings
            assert state_only(everything(reopened)) == state_only(before)
    assert "journal-laptop.jsonl" in warning
    assert f"byte {start:,} ({len(unreadable):,} bytes)" in warning and "zero bytes" in warning
    room = int(re.search(r"room for about (\d+) events", warning)[1])
    assert abs(room - len(lost)) <= 1
    assert [p.read_bytes() for p in damaged_files(tmp_path)] == [unreadable], \
        "the damaged part is kept, once"


def test_garbage_between_lines_is_reported_and_the_lines_around_it_read(tmp_path, clock):
    before = thirty_reviews(tmp_path, clock)
    lines = lines_of(tmp_path)
    garbage = [b"\x13\x37 not an event {\n", b"<<<<<<< conflict marker\n", b'{"v":2,"id":']
    damaged = lines[:5] + garbage[:2] + lines[5:12] + garbage[2:] + lines[12:]
    journal(tmp_path).write_bytes(b"".join(damaged))
    (tmp_path / "snapshot-laptop.json").unlink()
    with open_collection(tmp_path, clock) as reopened:
        (warning,) = reopened.load_report.warnings
        assert state_only(everything(reopened)) == state_only(before)
        assert len(reopened.reviews()) == 30
    assert "journal-laptop.jsonl" in warning and "3 " in warning
    assert f"{sum(map(len, garbage)):,} bytes" in warning
    kept = b"".join(p.read_bytes() for p in damaged_files(tmp_path))
    assert all(piece in kept for piece in garbage)


# -- malformed lines never stop the history from being read --------------------------------------

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


@pytest.mark.parametrize("broken", [{"due": "tomorrow"}, {"stability": float("nan")},
                                    {"difficulty": float("inf")}])
def test_a_cards_newest_grade_that_cannot_be_read_leaves_the_one_before(tmp_path, clock, broken):
    # A rebuild works out only each card's newest progress: that one being unreadable must not
    # cost the card the progress its grade before gave it. No scheduler gives a number that is
    # not finite, and the snapshot could not keep one.
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words(3))
        study(collection, clock, ["words-1", "words-2", "words-1"])
        before = everything(collection)
    lines = lines_of(tmp_path)
    last = json.loads(lines[-1])
    assert (last["type"], last["card"]) == ("grade", "words-1")
    unreadable = {**last, "id": "later", "seq": last["seq"] + 1,
                  "time": "2025-03-03T10:00:00.000000Z",
                  "progress": {**last["progress"], **broken}}
    journal(tmp_path).write_bytes(b"".join(lines) + json.dumps(unreadable).encode() + b"\n")
    (tmp_path / "snapshot-laptop.json").unlink()
    with open_collection(tmp_path, clock) as reopened:
        assert state_only(everything(reopened)) == state_only(before)
        assert "1 unreadable line(s)" in " ".join(reopened.load_report.warnings)
    with open_collection(tmp_path, clock) as from_the_snapshot:
        assert not from_the_snapshot.load_report.rebuilt
        assert state_only(everything(from_the_snapshot)) == state_only(before)


@pytest.mark.parametrize("held", [None, 4])
def test_a_rebuild_gives_every_card_its_newest_progress(tmp_path, clock, monkeypatch, held):
    from flashcards.core import state

    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words(12))
        study(collection, clock, [f"words-{i}" for i in range(12)])
        study(collection, clock, [f"words-{i}" for i in range(0, 12, 2)], Rating.AGAIN)
    # The desk's journal is read first and holds each card's newest grade.
    with open_collection(tmp_path, clock, device="desk") as collection:
        study(collection, clock, [f"words-{i}" for i in range(0, 12, 3)], Rating.EASY)
        before = everything(collection)
    if held:  # a collection larger than a replay holds at once, in miniature
        monkeypatch.setattr(state, "_NEWEST_PROGRESS_HELD", held)
    assert state_only(rebuilt(tmp_path, clock)) == state_only(before)


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
