"""The collection: every deck and card a person has, their progress, and the one way to change it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from .clock import Clock, SystemClock, day_bounds, study_day
from .deck import Card, Deck
from .events import (CollectionState, deck_event, deck_removed_event, grade_event,
                     review_from_event, setting_event)
from .progress import Phase, Progress, Rating, Review
from .scheduler import Scheduler, SchedulerSettings
from .importing import ImportedDecks, ImportedReview
from .backups import Backup, restore_events
from .store import LoadReport, Store, StoreError, write_atomically

# Like Anki: when nothing else is left, a learning card due within this window is shown early
# rather than making the person wait for it.
LEARN_AHEAD = timedelta(minutes=20)


# Values the app remembers in the collection that are not user settings.
REMEMBERED_VALUES = {"bundled_revisions"}


@dataclass(frozen=True)
class Settings:
    new_per_day: int = 20
    reviews_per_day: int = 200
    rollover_hour: int = 4
    desired_retention: float = 0.9
    fuzz: bool = True

    @classmethod
    def check(cls, key: str, value):
        """The value, converted to the setting's type, or ValueError saying what is allowed."""
        limits = {"new_per_day": (0, 9999), "reviews_per_day": (0, 99999), "rollover_hour": (0, 23)}
        if key in limits:
            low, high = limits[key]
            number = int(value)
            if not low <= number <= high:
                raise ValueError(f"{key} must be between {low} and {high}")
            return number
        if key == "desired_retention":
            number = float(value)
            if not 0.7 <= number <= 0.99:
                raise ValueError("desired_retention must be between 0.70 and 0.99")
            return number
        if key == "fuzz":
            if isinstance(value, str):
                return value.strip().lower() in ("1", "true", "yes", "on")
            return bool(value)
        raise KeyError(f"unknown setting {key!r}")

    @classmethod
    def from_values(cls, values: dict) -> Settings:
        known = {k: v for k, v in values.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(frozen=True)
class DeckCounts:
    new: int
    learning: int
    due: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.due


@dataclass(frozen=True)
class ImportResult:
    deck_id: str
    name: str
    kind: str
    added: int
    updated: int
    skipped: int


class Collection:
    def __init__(self, store: Store, clock: Clock | None = None, tz: tzinfo | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self.tz = tz
        self._state, self.load_report = store.open()
        self._previews: dict[str, tuple[datetime, dict[Rating, Progress]]] = {}
        # Changes that could not be written (disk full, read-only folder): kept for a retry and
        # not shown as saved until they are.
        self._unsaved: list[dict] = []
        self._scheduler = self._make_scheduler()
        if self.load_report.snapshot_outdated:
            try:
                store.save_snapshot(self._state)
            except StoreError as error:
                self.load_report.warnings.append(f"{error} The next start will take longer.")

    @classmethod
    def open(cls, folder: Path, device_id: str, clock: Clock | None = None,
             tz: tzinfo | None = None) -> Collection:
        return cls(Store(folder, device_id), clock=clock, tz=tz)

    def close(self, discard_unsaved: bool = False) -> None:
        """Save and let go of the data folder.

        Raises StoreError, and stays open, while changes are still unsaved, unless told to discard them.
        """
        if self._unsaved and not discard_unsaved:
            self.retry_pending()
        try:
            self.store.save_snapshot(self._state, backup_day=self.today())
        except StoreError:
            pass  # the journals hold everything; the snapshot only makes the next start quicker
        finally:
            self.store.close()

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- settings ------------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        return Settings.from_values(self._state.settings)

    def change_setting(self, key: str, value) -> None:
        """Change one setting (see Settings), or one of the app's own remembered values."""
        if key in Settings.__dataclass_fields__:
            value = Settings.check(key, value)
        elif key not in REMEMBERED_VALUES:
            raise KeyError(f"unknown setting {key!r}")
        self._record(setting_event(self.store.device_id, self.clock.now(), key, value))
        self._scheduler = self._make_scheduler()

    def settings_value(self, key: str, default=None):
        return self._state.settings.get(key, default)

    def _make_scheduler(self) -> Scheduler:
        settings = self.settings
        return Scheduler(SchedulerSettings(desired_retention=settings.desired_retention,
                                           fuzz=settings.fuzz))

    # -- decks ---------------------------------------------------------------------------------
    def decks(self) -> list[Deck]:
        return sorted(self._state.decks.values(), key=lambda d: d.name.casefold())

    def deck(self, deck_id: str) -> Deck:
        try:
            return self._state.decks[deck_id]
        except KeyError:
            raise KeyError(f"no deck with id {deck_id!r}") from None

    def has_deck(self, deck_id: str) -> bool:
        return deck_id in self._state.decks

    def import_deck(self, deck: Deck) -> ImportResult:
        """Add a deck, or merge a newer version of one we have: progress follows card ids."""
        existing = self._state.decks.get(deck.id)
        old_cards = {c.id: c for c in existing.cards} if existing else {}
        added = sum(1 for c in deck.cards if c.id not in old_cards)
        updated = sum(1 for c in deck.cards if c.id in old_cards and old_cards[c.id] != c)
        skipped = len(deck.cards) - added - updated
        unchanged = existing is not None and not added and not updated and (
            existing.name, existing.kind, existing.description, [c.id for c in existing.cards]
        ) == (deck.name, deck.kind, deck.description, [c.id for c in deck.cards])
        if not unchanged:
            self._record(deck_event(self.store.device_id, self.clock.now(), deck))
        return ImportResult(deck.id, deck.name, deck.kind.value, added, updated, skipped)

    def import_decks(self, imported: ImportedDecks) -> list[ImportResult]:
        """Add what a file reader found: decks, their media, and progress replayed from history."""
        self._save_media(imported.media)
        results = [self.import_deck(deck) for deck in imported.decks]
        self._replay(imported.reviews)
        return results

    def _save_media(self, media: dict[str, bytes]) -> None:
        for name, data in media.items():
            if Path(name).name != name or name in ("", ".", ".."):
                raise ValueError(f"media file name {name!r} is not a plain file name")
            target = self.media_folder / name
            if not target.exists():
                write_atomically(target, data)

    @property
    def media_folder(self) -> Path:
        return self.store.folder / "media"

    def _replay(self, reviews: list[ImportedReview]) -> None:
        """Turn another app's review history into FSRS progress, for cards we have not studied."""
        by_card: dict[str, list[ImportedReview]] = {}
        for review in reviews:
            by_card.setdefault(review.card_id, []).append(review)
        for card_id, history in by_card.items():
            if card_id in self._state.progress:
                continue
            try:
                deck, _ = self.card(card_id)
            except KeyError:
                continue
            progress = None
            for review in sorted(history, key=lambda r: r.time):
                before = progress
                progress = self._scheduler.outcome(before, review.rating, review.time)
                event = grade_event(self.store.device_id, Review(
                    id=uuid.uuid4().hex, card_id=card_id, deck_id=deck.id, rating=review.rating,
                    time=review.time, phase_before=before.phase if before else Phase.NEW,
                    duration_ms=review.duration_ms), progress)
                event["imported"] = True
                self._record(event)

    def remove_deck(self, deck_id: str) -> None:
        self.deck(deck_id)
        self._record(deck_removed_event(self.store.device_id, self.clock.now(), deck_id))

    def card(self, card_id: str) -> tuple[Deck, Card]:
        for deck in self._state.decks.values():
            card = deck.card(card_id)
            if card is not None:
                return deck, card
        raise KeyError(f"no card with id {card_id!r}")

    def progress(self, card_id: str) -> Progress | None:
        return self._state.progress.get(card_id)

    # -- today ---------------------------------------------------------------------------------
    def today(self) -> date:
        return study_day(self.clock.now(), self.settings.rollover_hour, self.tz)

    def _today_bounds(self) -> tuple[datetime, datetime]:
        return day_bounds(self.today(), self.settings.rollover_hour, self.tz)

    def counts(self, deck_id: str) -> DeckCounts:
        queues = self._queues(self.deck(deck_id))
        return DeckCounts(new=len(queues.new), learning=len(queues.learning) + len(queues.ahead),
                          due=len(queues.review))

    def next_card(self, deck_id: str) -> Card | None:
        """The card to show now: learning cards due, then reviews, then new cards, then learn-ahead."""
        queues = self._queues(self.deck(deck_id))
        for queue in (queues.learning, queues.review, queues.new, queues.ahead):
            if queue:
                return queue[0]
        return None

    def next_due(self, deck_id: str) -> datetime | None:
        """When the deck will next have a card to show, or None if it never will."""
        deck = self.deck(deck_id)
        now = self.clock.now()
        _, day_end = self._today_bounds()
        candidates = []
        for card in deck.cards:
            progress = self._state.progress.get(card.id)
            if progress is None:
                candidates.append(day_end)
            elif progress.phase in (Phase.LEARNING, Phase.RELEARNING):
                candidates.append(max(progress.due - LEARN_AHEAD, now))
            else:
                start, _ = day_bounds(study_day(progress.due, self.settings.rollover_hour, self.tz),
                                      self.settings.rollover_hour, self.tz)
                candidates.append(max(start, day_end if progress.due < day_end else start))
        return min(candidates, default=None)

    def _queues(self, deck: Deck) -> _Queues:
        settings = self.settings
        now = self.clock.now()
        start, end = self._today_bounds()
        new_cards, learning, ahead, review = [], [], [], []
        new_seen_today = reviews_done_today = 0
        for card in deck.cards:
            progress = self._state.progress.get(card.id)
            if progress is None:
                new_cards.append(card)
                continue
            if progress.first_review and start <= progress.first_review < end:
                new_seen_today += 1
            if progress.last_review_graded and start <= progress.last_review_graded < end:
                reviews_done_today += 1
            if progress.phase in (Phase.LEARNING, Phase.RELEARNING):
                if progress.due <= now:
                    learning.append((progress.due, card))
                elif progress.due <= now + LEARN_AHEAD:
                    ahead.append((progress.due, card))
            elif progress.due < end:
                review.append((progress.due, card))
        new_left = max(0, settings.new_per_day - new_seen_today)
        reviews_left = max(0, settings.reviews_per_day - reviews_done_today)
        by_due = lambda pair: pair[0]  # noqa: E731
        return _Queues(
            new=new_cards[:new_left],
            learning=[c for _, c in sorted(learning, key=by_due)],
            review=[c for _, c in sorted(review, key=by_due)][:reviews_left],
            ahead=[c for _, c in sorted(ahead, key=by_due)],
        )

    # -- grading -------------------------------------------------------------------------------
    def preview(self, card_id: str) -> dict[Rating, Progress]:
        """What each grade would do. Grading right after uses these exact outcomes."""
        now = self.clock.now()
        outcomes = self._scheduler.outcomes(self._state.progress.get(card_id), now)
        self._previews[card_id] = (now, outcomes)
        return outcomes

    def grade(self, card_id: str, rating: Rating, duration_ms: int | None = None) -> Review:
        """Record a grade. When this returns, the grade is on disk."""
        deck, _card = self.card(card_id)
        now = self.clock.now()
        before = self._state.progress.get(card_id)
        preview = self._previews.pop(card_id, None)
        if preview is not None and now - preview[0] < timedelta(hours=1):
            # Reuse the outcome the buttons showed: with fuzzing, a fresh draw could differ.
            after = _moved(preview[1][rating], preview[0], now)
        else:
            after = self._scheduler.outcome(before, rating, now)
        review = Review(id=uuid.uuid4().hex, card_id=card_id, deck_id=deck.id, rating=Rating(rating),
                        time=now, phase_before=before.phase if before else Phase.NEW,
                        duration_ms=duration_ms)
        self._record(grade_event(self.store.device_id, review, after))
        return review

    def reviews(self) -> list[Review]:
        """The whole review history, oldest first. Reads every journal: call it only when needed."""
        history = [review_from_event(e) for e in self.store.events() if e.get("type") == "grade"]
        return sorted(history, key=lambda r: (r.time, r.id))

    def retrievability(self, card_id: str) -> float:
        progress = self._state.progress.get(card_id)
        return self._scheduler.retrievability(progress, self.clock.now()) if progress else 0.0

    # -- the one path every change takes -------------------------------------------------------
    def _record(self, *events: dict) -> None:
        """Save events, then apply them. If saving fails they wait in memory and StoreError says why."""
        seq = max([self._state.last_seq] + [e["seq"] for e in self._unsaved])
        for event in events:
            seq += 1
            event["seq"] = seq
        if self._unsaved:
            try:
                self.retry_pending()
            except StoreError:
                self._unsaved.extend(events)
                raise
        try:
            self.store.append_all(events)
        except StoreError:
            self._unsaved.extend(events)
            raise
        for event in events:
            self._state.apply(event)

    @property
    def unsaved(self) -> int:
        """How many changes are waiting to be saved after a failed write."""
        return len(self._unsaved)

    def retry_pending(self) -> int:
        """Try again to save the changes a failed write left in memory; returns how many were saved."""
        if not self._unsaved:
            return 0
        events = self._unsaved
        self.store.append_all(events)
        self._unsaved = []
        for event in events:
            self._state.apply(event)
        self._scheduler = self._make_scheduler()
        return len(events)

    def backups(self) -> list[Backup]:
        """The daily backups in the data folder, newest first."""
        return self.store.backups()

    def restore_backup(self, path: Path) -> int:
        """Bring decks, progress and settings back to a backup's; returns how many things changed.

        Nothing is removed from the journals: the restore is recorded as new events, so other
        devices follow, and the review history stays whole.
        """
        backup = self.store.read_backup(Path(path))
        events = restore_events(self._state, backup, self.store.device_id, self.clock.now(),
                                Path(path).name)
        self._previews.clear()
        if events:
            self._record(*events)
        self._scheduler = self._make_scheduler()
        return len(events)

    def refresh(self) -> LoadReport:
        """Pick up events other devices wrote into the folder since we opened it."""
        report = LoadReport()
        self._state = self.store.refresh(self._state, report)
        if report.rebuilt:
            self._previews.clear()
        self._scheduler = self._make_scheduler()
        return report

    def save_snapshot(self) -> None:
        self.store.save_snapshot(self._state, backup_day=self.today())


def _moved(progress: Progress, then: datetime, now: datetime) -> Progress:
    """An outcome computed at `then`, as if computed at `now`."""
    delta = now - then
    at_then = lambda moment: now if moment == then else moment  # noqa: E731
    return replace(progress, due=progress.due + delta, last_review=now,
                   first_review=at_then(progress.first_review),
                   last_review_graded=at_then(progress.last_review_graded))


@dataclass
class _Queues:
    new: list[Card]
    learning: list[Card]
    review: list[Card]
    ahead: list[Card]
