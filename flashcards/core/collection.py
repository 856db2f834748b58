"""The collection: every deck and card a person has, their progress, and the one way to change it."""

from __future__ import annotations

import contextlib
import functools
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from .backups import Backup, restore_events
from .changes import EVERYTHING, NOTHING, Changes
from .clock import Clock, SystemClock, study_day
from .deck import Card, CardId, Deck, DeckId
from .state import CollectionState
from .events import (deck_event, deck_removed_event, grade_event,
                     grade_undone_event, random_ids, review_from_event, setting_event,
                     setting_removed_event)
from .files import write_atomically
from .importing import ImportedDecks, ImportedReview
from .matching import matched_to
from .progress import Phase, Progress, Rating, Review, utc_text
from .scheduler import Scheduler, SchedulerSettings
from .search import parse_search
from .settings import REMEMBERED_VALUES, Settings
from .snapshot import collector_paused
from .store import LoadReport, Store, StoreError
from .study_queue import DeckCounts, StudyQueue
from .undo import UndoHistory, UndoStep


@dataclass(frozen=True)
class ImportResult:
    deck_id: DeckId
    name: str
    kind: str
    added: int
    updated: int
    skipped: int


@dataclass(frozen=True)
class Imported:
    """What an import did: one result per deck in the file, and what changed."""

    results: list[ImportResult]
    changes: Changes


class Collection:
    """Opened to change (the default), it holds the data folder's lock for this device. Opened with
    `read_only`, it takes no lock and writes nothing, so it can look while another app has the
    folder open; every change then raises StoreError."""

    def __init__(self, store: Store, clock: Clock | None = None, tz: tzinfo | None = None,
                 read_only: bool = False) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self.tz = tz
        self._state, self.load_report = store.open(read_only=read_only)
        # Changes made while showing what a writer would add by itself: applied, never saved.
        self._only_shown = False
        # The grade buttons' outcomes for a card on screen, and when they were worked out.
        self._previews: dict[CardId, tuple[datetime, dict[Rating, Progress]]] = {}
        self._review_ids = random_ids()
        # Changes that could not be written (disk full, read-only folder): kept for a retry and
        # not shown as saved until they are.
        self._unsaved: list[dict] = []
        self._unsaved_changes = NOTHING
        self._undo = UndoHistory()
        self._scheduler = self._make_scheduler()
        if self.load_report.snapshot_outdated and not read_only:
            try:
                store.save_snapshot(self._state)
            except StoreError as error:
                self.load_report.warnings.append(f"{error} The next start will take longer.")

    @classmethod
    def open(cls, folder: Path, device_id: str, clock: Clock | None = None,
             tz: tzinfo | None = None, read_only: bool = False) -> Collection:
        return cls(Store(folder, device_id), clock=clock, tz=tz, read_only=read_only)

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def close(self, discard_unsaved: bool = False) -> None:
        """Save and let go of the data folder.

        The snapshot (and the day's backup) is written only if something changed since it was
        read, so opening and closing without a change leaves the folder exactly as it was.
        Raises StoreError, and stays open, while changes are still unsaved, unless told to discard them.
        """
        if self._unsaved and not discard_unsaved:
            self.retry_pending()
        try:
            if not self.read_only:
                # Last chance to write again what only this app holds (told to no one: closing).
                self.store.check_journal(self._state)
            if self.store.snapshot_behind and not self.read_only:
                self.store.save_snapshot(self._state, backup_day=self.today())
        except StoreError:
            pass  # the journals hold everything; the snapshot only makes the next start quicker
        finally:
            self.store.close()

    @contextlib.contextmanager
    def shown_not_saved(self):
        """In a read-only collection: changes made inside are shown for as long as it is open, and
        never saved. Lets a command that only looks show what opening the folder to change it
        would add by itself (the bundled decks on a first start)."""
        if not self.read_only:
            raise RuntimeError("only a collection opened read-only shows changes without saving them")
        self._only_shown = True
        try:
            yield self
        finally:
            self._only_shown = False

    def _check_can_change(self) -> None:
        if not self._only_shown:
            self.store.check_writable()

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- settings ------------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        return Settings.from_values(self._state.settings)

    def change_setting(self, key: str, value) -> Changes:
        """Change one setting (see Settings), or one of the app's own remembered values."""
        if key in Settings.__dataclass_fields__:
            value = Settings.check(key, value)
        elif key not in REMEMBERED_VALUES:
            raise KeyError(f"unknown setting {key!r}")
        self._check_can_change()
        missing = object()
        before = self._state.settings.get(key, missing)
        changes = Changes(settings=True)
        self._record(setting_event(self.store.device_id, self.clock.now(), key, value),
                     changes=changes)
        self._scheduler = self._make_scheduler()
        if key not in REMEMBERED_VALUES:
            device = self.store.device_id
            self._undo.push(UndoStep("Change setting", lambda: [
                setting_removed_event(device, self.clock.now(), key) if before is missing
                else setting_event(device, self.clock.now(), key, before)], changes))
        return changes

    def settings_value(self, key: str, default=None):
        return self._state.settings.get(key, default)

    def _make_scheduler(self) -> Scheduler:
        settings = self.settings
        return Scheduler(SchedulerSettings(desired_retention=settings.desired_retention,
                                           fuzz=settings.fuzz))

    # -- decks ---------------------------------------------------------------------------------
    def decks(self) -> list[Deck]:
        return sorted(self._state.decks.values(), key=lambda d: d.name.casefold())

    def deck(self, deck_id: DeckId) -> Deck:
        try:
            return self._state.decks[deck_id]
        except KeyError:
            raise KeyError(f"no deck with id {deck_id!r}") from None

    def card_count(self, deck_id: DeckId) -> int:
        """How many cards a deck holds, without reading the cards themselves."""
        self.deck(deck_id)
        return len(self._state.deck_rows[deck_id])

    def has_deck(self, deck_id: DeckId) -> bool:
        return deck_id in self._state.decks

    def import_deck(self, deck: Deck) -> ImportResult:
        """Add a deck, or merge a newer version of one we have: progress follows card ids."""
        self._check_can_change()
        result, event = self._deck_change(deck)
        if event is not None:
            self._record(event, changes=Changes(decks=frozenset({deck.id}), deck_list=True))
        return result

    def _deck_change(self, deck: Deck) -> tuple[ImportResult, dict | None]:
        """What importing `deck` would change, and the event that changes it (None: nothing)."""
        existing = self._state.decks.get(deck.id)
        if existing is None:
            added, updated = len(deck.cards), 0
        else:
            old_cards = {c.id: c for c in existing.cards}
            added = sum(1 for c in deck.cards if c.id not in old_cards)
            updated = sum(1 for c in deck.cards if c.id in old_cards and old_cards[c.id] != c)
        skipped = len(deck.cards) - added - updated
        unchanged = existing is not None and not added and not updated and (
            existing.name, existing.kind, existing.description, [c.id for c in existing.cards]
        ) == (deck.name, deck.kind, deck.description, [c.id for c in deck.cards])
        event = None if unchanged else deck_event(self.store.device_id, self.clock.now(), deck)
        return ImportResult(deck.id, deck.name, deck.kind.value, added, updated, skipped), event

    def import_decks(self, imported: ImportedDecks) -> Imported:
        """Add what a file reader found: decks, their media, and progress replayed from history.

        What the file holds joins what is here (see matching): an import never duplicates a deck
        or a card, and never takes a card away. The decks and the replayed history are saved in
        one write, with one fsync.
        """
        self._check_can_change()
        imported = matched_to(self.decks(), imported)
        if not self._only_shown:
            self._save_media(imported.media)
        # Tens of thousands of new objects and no cycles among them: the cycle collector would
        # only walk the whole heap again and again.
        with collector_paused():
            planned = [self._deck_change(deck) for deck in imported.decks]
            deck_of = {card.id: deck.id for deck in imported.decks for card in deck.cards}
            events = [event for _result, event in planned if event is not None]
            grades = self._replayed(imported.reviews, deck_of)
            events += grades
            if not events:
                return Imported([result for result, _event in planned], NOTHING)
            changed_decks = {event["deck"]["id"] for event in events if event["type"] == "deck"}
            before = {deck_id: self._state.decks.get(deck_id) for deck_id in changed_decks}
            changes = Changes(cards=frozenset(deck_of), decks=frozenset(changed_decks),
                              deck_list=bool(changed_decks))
            self._record(*events, changes=changes)
        self._undo.push(UndoStep("Import", lambda: self._import_undone(before, grades), changes))
        return Imported([result for result, _event in planned], changes)

    def _import_undone(self, decks_before: dict[str, Deck | None], grades: list[dict]) -> list[dict]:
        """The events that take an import back: each deck as it was, the replayed history gone."""
        device, now = self.store.device_id, self.clock.now()
        events = [deck_removed_event(device, now, deck_id) if deck is None
                  else deck_event(device, now, deck) for deck_id, deck in decks_before.items()]
        events += [grade_undone_event(device, now, grade["id"], grade["card"], None)
                   for grade in grades]
        return events

    def _save_media(self, media: dict[str, bytes]) -> None:
        if media:
            self.media_folder.mkdir(exist_ok=True)
        for name, data in media.items():
            if Path(name).name != name or name in ("", ".", ".."):
                raise ValueError(f"media file name {name!r} is not a plain file name")
            target = self.media_folder / name
            if not target.exists():
                write_atomically(target, data)

    @property
    def media_folder(self) -> Path:
        return self.store.folder / "media"

    def _replayed(self, reviews: list[ImportedReview], deck_of: dict[str, str]) -> list[dict]:
        """Another app's review history as FSRS grades, for cards we have not studied yet.

        `deck_of` says which imported deck holds each card; a card it does not know is looked
        for in the decks already here.
        """
        by_card: dict[str, list[ImportedReview]] = {}
        for review in reviews:
            by_card.setdefault(review.card_id, []).append(review)
        # A grade's time comes back as its card's last review, first review and so on: each is
        # written once. The memo lives only as long as this import.
        events, ids, text = [], random_ids(), functools.lru_cache(maxsize=None)(utc_text)
        for card_id, history in by_card.items():
            deck_id = deck_of.get(card_id) or self._state.deck_of(card_id)
            if deck_id is None or card_id in self._state.progress:
                continue
            history = sorted(history, key=lambda r: r.time)
            events += self._replayed_grades(deck_id, card_id, history, ids, text)
        return events

    def _replayed_grades(self, deck_id: DeckId, card_id: CardId, history: list[ImportedReview],
                         ids: Iterator[str], text: Callable) -> list[dict]:
        events, before = [], None
        outcomes = self._scheduler.replay((review.rating, review.time) for review in history)
        for review, progress in zip(history, outcomes):
            event = grade_event(self.store.device_id, Review(
                id=next(ids), card_id=card_id, deck_id=deck_id, rating=review.rating,
                time=review.time, phase_before=before.phase if before else Phase.NEW,
                duration_ms=review.duration_ms), progress, text)
            event["imported"] = True
            events.append(event)
            before = progress
        return events

    def remove_deck(self, deck_id: DeckId) -> Changes:
        """Take a deck off the list. Its cards' progress is kept, so undoing brings all back."""
        deck = self.deck(deck_id)
        self._check_can_change()
        changes = Changes(decks=frozenset({deck_id}), deck_list=True)
        self._record(deck_removed_event(self.store.device_id, self.clock.now(), deck_id),
                     changes=changes)
        self._undo.push(UndoStep("Remove deck", lambda: [
            deck_event(self.store.device_id, self.clock.now(), deck)], changes))
        return changes

    def card(self, card_id: CardId) -> tuple[Deck, Card]:
        deck = self._state.decks.get(self._state.deck_of(card_id) or "")
        card = deck.card(card_id) if deck is not None else None
        if card is None:
            raise KeyError(f"no card with id {card_id!r}")
        return deck, card

    def progress(self, card_id: CardId) -> Progress | None:
        return self._state.progress.get(card_id)

    def find_cards(self, search: str = "") -> list[tuple[Deck, Card]]:
        """The cards a search names (see search.py; empty: every card), each with its deck: by
        deck name, then in each deck's own order. Raises SearchError for text it cannot read."""
        wanted = parse_search(search)
        return [(deck, card) for deck in self.decks() if wanted.takes_deck(deck.name)
                for card in deck.cards]

    # -- today ---------------------------------------------------------------------------------
    def today(self) -> date:
        return study_day(self.clock.now(), self.settings.rollover_hour, self.tz)

    def counts(self, deck_id: DeckId) -> DeckCounts:
        return self._queue().counts(deck_id)

    def next_card(self, deck_id: DeckId) -> Card | None:
        """The card to show now: learning cards due, then reviews, then new cards, then learn-ahead."""
        return self._queue().next_card(deck_id)

    def next_card_and_counts(self, deck_id: DeckId) -> tuple[Card | None, DeckCounts]:
        """next_card and counts together, for the price of one."""
        return self._queue().next_card_and_counts(deck_id)

    def next_due(self, deck_id: DeckId) -> datetime | None:
        """When the deck will next have a card to show, or None if it never will."""
        return self._queue().next_due(deck_id)

    def _queue(self) -> StudyQueue:
        return StudyQueue(self._state, self.settings, self.clock.now(), self.tz)

    # -- grading -------------------------------------------------------------------------------
    def preview(self, card_id: CardId) -> dict[Rating, Progress]:
        """What each grade would do. Grading soon after gives these same outcomes (moved on by the
        time the card was on screen): with fuzzing, a fresh draw could differ from the buttons."""
        self.card(card_id)
        now = self.clock.now()
        outcomes = self._scheduler.outcomes(self._state.progress.get(card_id), now)
        self._previews[card_id] = (now, outcomes)
        return outcomes

    def grade(self, card_id: CardId, rating: Rating, duration_ms: int | None = None) -> Changes:
        """Record a grade. When this returns, the grade is on disk; `created` holds its review id."""
        self._check_can_change()
        now = self.clock.now()
        deck, _card = self.card(card_id)
        before = self._state.progress.get(card_id)
        shown_at, outcomes = self._previews.pop(card_id, (None, {}))
        if Rating(rating) in outcomes and now - shown_at < _PREVIEW_KEEPS:
            after = moved(outcomes[Rating(rating)], shown_at, now)
        else:
            after = self._scheduler.outcome(before, rating, now)
        review = Review(id=next(self._review_ids), card_id=card_id, deck_id=deck.id,
                        rating=Rating(rating), time=now,
                        phase_before=before.phase if before else Phase.NEW,
                        duration_ms=duration_ms)
        event, deck_id = grade_event(self.store.device_id, review, after), deck.id
        grade_id = event["id"]
        changes = Changes(cards=frozenset({card_id}), decks=frozenset({deck_id}),
                          created=(grade_id,))
        self._record(event, changes=changes)
        self._undo.push(UndoStep("Grade", lambda: [grade_undone_event(
            self.store.device_id, self.clock.now(), grade_id, card_id, before)],
            Changes(cards=changes.cards, decks=changes.decks, card_to_show=card_id)))
        return changes

    def reviews(self, report: LoadReport | None = None) -> list[Review]:
        """The whole review history, oldest first. Reads every journal: call it only when needed.
        Damage found on the way (see Store.events) is described in `report`."""
        history = []
        for event in self._grades_in_history(report):
            try:
                history.append(review_from_event(event))
            except ValueError:
                continue  # a malformed line: opening the folder skipped it too
        return sorted(history, key=lambda r: (r.time, r.id))

    def review_counts(self) -> Counter[str]:
        """How many grades each card has in the review history, by card id (0 for a card never
        graded): the grades `reviews` lists, counted in one reading of every journal."""
        return Counter(event["card"] for event in self._grades_in_history()
                       if isinstance(event.get("card"), str))

    def _grades_in_history(self, report: LoadReport | None = None) -> list[dict]:
        """Every grade event not undone, each once: a copy of a journal repeats ids."""
        grades: dict[str, dict] = {}
        undone: set[str] = set()
        if not self.read_only:
            try:
                self.store.check_journal(self._state)  # a journal replaced is taken back first
            except StoreError:
                pass  # what could not be written yet is in the history all the same
        for event in self.store.events(report):
            kind = event.get("type")
            if kind == "grade" and isinstance(event.get("id"), str):
                grades[event["id"]] = event
            elif kind == "grade_undone" and isinstance(event.get("grade"), str):
                undone.add(event["grade"])
        return [event for grade_id, event in grades.items() if grade_id not in undone]

    def retrievability(self, card_id: CardId) -> float:
        progress = self._state.progress.get(card_id)
        return self._scheduler.retrievability(progress, self.clock.now()) if progress else 0.0

    # -- the one path every change takes -------------------------------------------------------
    def _record(self, *events: dict, changes: Changes = NOTHING) -> None:
        """Save events, then apply them. If saving fails they wait in memory and StoreError says
        why; `changes` (what they change) is then what a later retry reports."""
        self._check_can_change()
        seq = max([self._state.last_seq] + [e["seq"] for e in self._unsaved])
        for event in events:
            seq += 1
            event["seq"] = seq
        if self._only_shown:
            for event in events:
                self._state.apply(event)
            return
        # Whatever a failed write left waiting goes first, in the same write.
        self._unsaved.extend(events)
        self._unsaved_changes |= changes
        self._save_unsaved()

    def _save_unsaved(self) -> None:
        events = self._unsaved
        self.store.append_all(events, self._state)  # on StoreError the events stay waiting
        self._unsaved = []
        self._unsaved_changes = NOTHING
        for event in events:
            self._state.apply(event)

    @property
    def unsaved(self) -> int:
        """How many changes are waiting to be saved after a failed write."""
        return len(self._unsaved)

    def retry_pending(self) -> Changes:
        """Try again to save the changes a failed write left in memory; returns what they change."""
        changes = self._unsaved_changes
        if self._unsaved:
            self._save_unsaved()
            self._scheduler = self._make_scheduler()  # a waiting setting may have changed it
        return changes

    # -- undo ----------------------------------------------------------------------------------
    @property
    def undo_label(self) -> str | None:
        """What Undo would take back, in the learner's words ("Grade"), or None."""
        return self._undo.label

    def undo(self) -> Changes:
        """Take back the last operation; returns what changed (NOTHING when there is none).

        Undoing a grade puts its card back in front of the learner: see Changes.card_to_show.
        """
        self._check_can_change()
        step = self._undo.pop()
        if step is None:
            return NOTHING
        try:
            self._record(*step.inverse(), changes=step.changes)
        except StoreError:
            self._undo.push(step)  # saved later by a retry; the step is not lost
            raise
        self._previews.clear()
        self._scheduler = self._make_scheduler()
        return step.changes

    def backups(self) -> list[Backup]:
        """The daily backups in the data folder, newest first."""
        return self.store.backups()

    def restore_backup(self, path: Path) -> Changes:
        """Bring decks, progress and settings back to a backup's; returns what changed.

        Nothing is removed from the journals: the restore is recorded as new events, so other
        devices follow, and the review history stays whole.
        """
        self._check_can_change()
        return self.restore_from(self.read_backup(path), Path(path).name)

    def read_backup(self, path: Path) -> CollectionState:
        """The state a backup holds. Reads only the file, so it may run on another thread."""
        return self.store.read_backup(Path(path))

    def restore_from(self, backup: CollectionState, source: str) -> Changes:
        """Bring the collection back to a backup read by `read_backup`; see `restore_backup`.

        A restore is not undone step by step: restoring today's backup brings today back.
        """
        self._check_can_change()
        events = restore_events(self._state, backup, self.store.device_id, self.clock.now(),
                                source)
        self._previews.clear()
        if not events:
            return NOTHING
        self._record(*events, changes=EVERYTHING)
        self._scheduler = self._make_scheduler()
        self._undo.clear()
        return EVERYTHING

    def refresh(self) -> LoadReport:
        """Pick up events other devices wrote into the folder since we opened it.

        What they changed is not told apart: a window reads everything again.
        """
        report = LoadReport()
        self._state = self.store.refresh(self._state, report)
        if report.rebuilt or report.lines_read:
            self._previews.clear()  # another device may have graded a card on screen
        self._scheduler = self._make_scheduler()
        return report

    def save_snapshot(self) -> None:
        self.store.save_snapshot(self._state, backup_day=self.today())

    def take_warnings(self) -> list[str]:
        """What was found while the collection was open, besides `load_report` and what `refresh`
        reports, that a person should hear about: each warning once (returned, then forgotten).
        Today: this computer's journal replaced by another copy while the app had it open."""
        return self.store.take_notices()


# How long the buttons' outcomes stay good for a grade: a card left on screen for longer is
# worked out again when it is graded.
_PREVIEW_KEEPS = timedelta(hours=1)


def moved(outcome: Progress, then: datetime, now: datetime) -> Progress:
    """An outcome worked out at `then`, as if worked out at `now`: due later by the time between,
    and each time that was `then` now `now`."""
    at_now = lambda moment: now if moment == then else moment  # noqa: E731
    return replace(outcome, due=outcome.due + (now - then), last_review=at_now(outcome.last_review),
                   first_review=at_now(outcome.first_review),
                   last_review_graded=at_now(outcome.last_review_graded))
