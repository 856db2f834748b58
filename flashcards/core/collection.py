"""The collection: every deck and card a person has, their progress, and the one way to change it."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from itertools import repeat
from pathlib import Path

from fsrs.scheduler import DEFAULT_PARAMETERS

from .backups import Backup, restore_events
from .changes import EVERYTHING, NOTHING, Changes
from .clock import Clock, SystemClock, day_bounds, study_day
from .deck import Card, CardId, Deck, DeckId, slugify
from .deck_options import (DEFAULT_PRESET, FITTED_PARAMETERS, SETTINGS_OF_DEFAULT, DeckOptions,
                           PresetId, default_options, fitted_parameters)
from .state import CollectionState, Marks
from .events import (timestamp, card_added_event, card_buried_event, card_edited_event,
                     card_flagged_event, card_moved_event, card_removed_event,
                     card_suspended_event, deck_created_event, deck_renamed_event, progress_event,
                     deck_preset_event, deck_removed_event, grade_event, preset_saved_event,
                     grade_undone_event, random_ids, review_from_event, setting_event,
                     setting_removed_event)
from .files import write_atomically
from .importing import ImportedDecks, ImportedReview
from .matching import matched_to
from .memory_tools import (BacklogSpread, BacklogStatus, FitRequest, OptimiseResult,
                           WorkloadForecast, overdue_count, studied_cards)
from . import memory_tools
from .optimiser import Fit
from .progress import Phase, Progress, Rating, Review, utc_text
from .progress_table import PHASE_OF_CODE, moment_of
from .scheduler import Scheduler, SchedulerSettings
from .search import parse_search
from .search_index import SearchIndex
from .settings import REMEMBERED_VALUES, Settings
from .snapshot import collector_paused
from .import_plan import plan_deck
from .store import LoadReport, Store, StoreError
from .study_queue import EXTRA_NEW_CARDS, DeckCounts, StudyQueue, extra_new_cards, family_of
from .undo import UndoHistory, UndoStep
from . import workload
from .workload import BacklogPlan, BreakPlan


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


# Anki's default: a review card forgotten this many times is a leech.
LEECH_THRESHOLD = 8
LEECH_TAG = "leech"


def is_leech(before: Progress | None, after: Progress, threshold: int) -> bool:
    """Whether this grade makes a leech: a lapse that brings the card's lapses to the threshold,
    or (as in Anki) to each half threshold beyond it."""
    lapsed = before is not None and after.lapses > before.lapses
    if not lapsed or threshold < 1 or after.lapses < threshold:
        return False
    return (after.lapses - threshold) % max(1, threshold // 2) == 0


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
        self._search_index = SearchIndex(tz)
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
        # Grades this app has added to each card's history since it opened the folder (an undone
        # grade takes one away): what a reading of the history does not see yet.
        self._grades_recorded: Counter[str] = Counter()
        self._schedulers: dict[PresetId, Scheduler] = {}
        # Each deck's cards by note, to find a card's siblings (see _siblings).
        self._notes: dict[DeckId, tuple[Deck, dict[str, list[CardId]]]] = {}
        self._scheduler = self._make_scheduler()
        if self.load_report.snapshot_outdated and not read_only:
            try:
                store.save_snapshot(self._state, now=self.clock.now())
            except StoreError as error:
                self.load_report.warnings.append(f"{error} The next start will take longer.")

    @classmethod
    def open(cls, folder: Path, device_id: str, clock: Clock | None = None,
             tz: tzinfo | None = None, read_only: bool = False,
             progress: Callable[[int, int], None] | None = None) -> Collection:
        """`progress`: see Store (a rebuild from the journals can take a while)."""
        return cls(Store(folder, device_id, progress), clock=clock, tz=tz, read_only=read_only)

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
                self.store.save_snapshot(self._state, backup_day=self.today(),
                                         now=self.clock.now())
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
        event = setting_event(self.store.device_id, self.clock.now(), key, value)
        self._record(event, changes=changes)
        self._scheduler = self._make_scheduler()
        if key not in REMEMBERED_VALUES:
            device = self.store.device_id
            self._undo.push(self._step("Change setting", changes, [event], lambda _events: [
                setting_removed_event(device, self.clock.now(), key) if before is missing
                else setting_event(device, self.clock.now(), key, before)]))
        return changes

    def settings_value(self, key: str, default=None):
        return self._state.settings.get(key, default)

    def _make_scheduler(self) -> Scheduler:
        """The Default preset's scheduler (what a replayed history is graded with)."""
        return Scheduler(self._scheduler_settings(self.presets()[DEFAULT_PRESET]))

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
        return self._state.card_count(deck_id)

    def has_deck(self, deck_id: DeckId) -> bool:
        return deck_id in self._state.decks

    def import_deck(self, deck: Deck, undoable: bool = True) -> ImportResult:
        """Import one deck (see import_decks)."""
        return self.import_decks(ImportedDecks([deck]), undoable).results[0]

    def import_decks(self, imported: ImportedDecks, undoable: bool = True) -> Imported:
        """Add what a file reader found: decks, their media, and progress replayed from history.

        What the file holds joins what is here (see matching: a deck joins the deck with its id
        or name, a card the card with its id or question), and its revision decides what it may
        change (see import_plan). Everything is saved in one write, with one fsync. `undoable`
        is False for what the app does by itself (the bundled decks), not the learner.
        """
        self._check_can_change()
        imported = matched_to(self.decks(), imported)
        if not self._only_shown:
            self._save_media(imported.media)
        device, now = self.store.device_id, self.clock.now()
        # Tens of thousands of new objects and no cycles among them: the cycle collector would
        # only walk the whole heap again and again.
        with collector_paused():
            plans = [plan_deck(self._state, deck, device, now) for deck in imported.decks]
            # A package or a --deck naming `Languages::French` brings Languages along.
            parents = self._missing_parents(*(plan.name for plan in plans),
                                            ids_taken=(plan.deck_id for plan in plans))
            events = [deck_created_event(device, now, deck) for deck in parents]
            events += [event for plan in plans for event in plan.events]
            deck_of = {card.id: deck.id for deck in imported.decks for card in deck.cards}
            grades = self._replayed(imported.reviews, deck_of)
            events += grades
            results = [ImportResult(plan.deck_id, plan.name, plan.kind, plan.added, plan.updated,
                                    plan.skipped) for plan in plans]
            if not events:
                return Imported(results, NOTHING)
            changes = Changes(cards=frozenset(deck_of),
                              decks=frozenset([*(plan.deck_id for plan in plans if plan.events),
                                               *(deck.id for deck in parents)]),
                              deck_list=bool(parents) or any(plan.events for plan in plans))
            self._record(*events, changes=changes)
        undo = [make for plan in plans for make in plan.undo]
        undo += [functools.partial(_parent_removed, deck.id) for deck in reversed(parents)]
        if undoable:
            self._undo.push(UndoStep("Import", lambda: self._import_undone(undo, grades),
                                     changes))
        return Imported(results, changes)

    def _import_undone(self, undo: list, grades: list[dict]) -> list[dict]:
        """The events that take an import back: decks and cards as they were, the history gone."""
        device, now = self.store.device_id, self.clock.now()
        events = [make(device, now) for make in undo]
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
        events, text = [], functools.lru_cache(maxsize=None)(utc_text)
        # Without fuzz, so two computers replaying the same history arrive at the same progress.
        replaying = Scheduler(replace(self._scheduler.settings, fuzz=False))
        for card_id, history in by_card.items():
            deck_id = deck_of.get(card_id) or self._state.deck_of(card_id)
            if deck_id is None or card_id in self._state.progress:
                continue
            history = sorted(history, key=lambda r: r.time)
            events += self._replayed_grades(replaying, deck_id, card_id, history, text)
        return events

    def _replayed_grades(self, scheduler: Scheduler, deck_id: DeckId, card_id: CardId,
                         history: list[ImportedReview], text: Callable) -> list[dict]:
        events, before = [], None
        outcomes = scheduler.replay((review.rating, review.time) for review in history)
        for review, progress in zip(history, outcomes):
            event = grade_event(self.store.device_id, Review(
                id=_imported_review_id(card_id, review), card_id=card_id, deck_id=deck_id, rating=review.rating,
                time=review.time, phase_before=before.phase if before else Phase.NEW,
                duration_ms=review.duration_ms), progress, text)
            event["imported"] = True
            events.append(event)
            before = progress
        return events

    def remove_deck(self, deck_id: DeckId) -> Changes:
        """Take a deck and its subdecks off the list. Their cards and progress are kept, so undo
        brings all back."""
        decks = [self.deck(deck) for deck in self.deck_and_subdecks(deck_id)]
        changes = Changes(decks=frozenset(deck.id for deck in decks), deck_list=True)
        return self._change("Delete deck", changes,
                            [deck_removed_event(self._device, self.clock.now(), deck.id)
                             for deck in decks],
                            lambda: [deck_created_event(self._device, self.clock.now(), deck)
                                     for deck in decks])

    def create_deck(self, name: str) -> Changes:
        """A new empty deck; `created` holds its id. A name already taken is refused. As in
        Anki, `Parent::Child` creates the parent too when there is none."""
        name = self._free_deck_name(name)
        new = [*self._missing_parents(name), Deck(self._new_deck_id(name), name)]
        return self._deck_change("Create deck", new, {}, created=(new[-1].id,))

    def rename_deck(self, deck_id: DeckId, name: str) -> Changes:
        """Rename a deck, its subdecks with it: `Parent::Child` nests it under Parent (created
        when there is none), and a name without `::` brings it back to the top."""
        before = self.deck(deck_id).name
        name = self._free_deck_name(name, deck_id)
        family = self.deck_and_subdecks(deck_id)
        depth = len(before.split("::"))
        parts = _name_parts(name)
        if len(family) > 1 and len(parts) > depth and parts[:depth] == _name_parts(before):
            raise ValueError(f"“{before}” cannot go inside one of its own subdecks.")
        names = {deck: "::".join([name, *(part.strip() for part in
                                          self.deck(deck).name.split("::")[depth:])])
                 for deck in family}
        for deck, new_name in names.items():
            self._free_deck_name(new_name, deck)
        renamed = {deck: (self.deck(deck).name, new_name) for deck, new_name in names.items()
                   if self.deck(deck).name != new_name}
        return self._deck_change("Rename deck", self._missing_parents(name), renamed)

    def _deck_change(self, label: str, new: list[Deck], renamed: dict[DeckId, tuple[str, str]],
                     created: tuple[str, ...] = ()) -> Changes:
        """Create decks and rename others, as one operation."""
        device, now = self._device, self.clock.now()
        changes = Changes(decks=frozenset([*(deck.id for deck in new), *renamed]),
                          deck_list=True, created=created)
        events = [deck_created_event(device, now, deck) for deck in new]
        events += [deck_renamed_event(device, now, deck, after)
                   for deck, (_before, after) in renamed.items()]
        return self._change(label, changes, events, lambda: [
            *(deck_renamed_event(self._device, self.clock.now(), deck, before)
              for deck, (before, _after) in renamed.items()),
            *(deck_removed_event(self._device, self.clock.now(), deck.id) for deck in new)])

    def _missing_parents(self, *names: str, ids_taken: Iterable[DeckId] = ()) -> list[Deck]:
        """The decks above each name (A and A::B above `A::B::C`) that are neither there yet nor
        among `names`, to create with them: as in Anki, every subdeck sits in a deck that can be
        studied, renamed and given options. `ids_taken`: ids the same write gives other decks."""
        taken = {_name_parts(deck.name) for deck in self.decks()} | set(map(_name_parts, names))
        ids, decks = set(ids_taken), []
        for name in names:
            parts = [part.strip() for part in name.split("::")][:-1]
            for parent in ("::".join(parts[:end]) for end in range(1, len(parts) + 1)):
                if _name_parts(parent) not in taken:
                    taken.add(_name_parts(parent))
                    deck_id = self._new_deck_id(parent, ids)
                    ids.add(deck_id)
                    decks.append(Deck(deck_id, parent))
        return decks

    def _new_deck_id(self, name: str, taken: set = frozenset()) -> DeckId:
        deck_id = DeckId(slugify(name))
        while deck_id in self._state.metas or deck_id in taken:
            deck_id = DeckId(f"{slugify(name)}-{uuid.uuid4().hex[:6]}")
        return deck_id

    def deck_and_subdecks(self, deck_id: DeckId) -> list[DeckId]:
        """A deck and the decks under it by name (`Parent::Child`): what studying it takes cards
        from. Each parent comes before its subdecks."""
        return family_of(self._state.decks, deck_id)[0]

    def _free_deck_name(self, name: str, deck_id: DeckId | None = None) -> str:
        name = "::".join(" ".join(part.split()) for part in name.split("::"))
        if not name:
            raise ValueError("A deck needs a name.")
        if "" in name.split("::"):
            raise ValueError("Each part of a deck name between “::” needs a name.")
        if any(_name_parts(d.name) == _name_parts(name) and d.id != deck_id
               for d in self.decks()):
            raise ValueError(f"There is already a deck named “{name}”.")
        return name

    # -- deck options ----------------------------------------------------------------------------
    def presets(self) -> dict[PresetId, DeckOptions]:
        """Every deck options preset: Default first, then the others by name."""
        others = sorted(((preset, options) for preset, options in self._state.presets.items()
                         if preset != DEFAULT_PRESET),
                        key=lambda item: (item[1].name.casefold(), item[0]))
        default = default_options(self._state.presets.get(DEFAULT_PRESET), self.settings)
        return {DEFAULT_PRESET: default, **dict(others)}

    def deck_options(self, deck_id: DeckId) -> tuple[PresetId, DeckOptions]:
        """The preset a deck uses and its options. A deck given none (a subdeck too) uses
        Default, and so does a deck whose preset was removed."""
        self.deck(deck_id)
        preset = self._preset_of(deck_id)
        if preset == DEFAULT_PRESET:
            return preset, default_options(self._state.presets.get(DEFAULT_PRESET), self.settings)
        return preset, self._state.presets[preset]

    def decks_using(self, preset_id: PresetId) -> list[DeckId]:
        return [deck.id for deck in self.decks() if self._preset_of(deck.id) == preset_id]

    def save_preset(self, preset_id: PresetId | None, options: DeckOptions) -> Changes:
        """Change a preset's options (None: add a new preset; `created` holds its id). Applies at
        once and reschedules nothing: each card keeps its due date until it is graded again.
        Saving Default changes the settings it takes its limits and retention from."""
        presets = self.presets()
        if preset_id is not None and preset_id not in presets:
            raise KeyError(f"no preset with id {preset_id!r}")
        adding = preset_id is None
        preset_id = PresetId(uuid.uuid4().hex) if adding else preset_id
        if not adding and presets[preset_id] == options:
            return NOTHING
        device, now = self._device, self.clock.now()
        stored = self._state.presets.get(preset_id)
        events = [preset_saved_event(device, now, preset_id, options.to_json())]
        undo: list[Callable[[], dict]] = [lambda: preset_saved_event(
            self._device, self.clock.now(), preset_id,
            None if stored is None else stored.to_json())]
        if preset_id == DEFAULT_PRESET:
            for key in SETTINGS_OF_DEFAULT:
                if getattr(options, key) != getattr(self.settings, key):
                    events.append(setting_event(device, now, key, getattr(options, key)))
                    undo.append(self._setting_as_now(key))
        changes = Changes(decks=frozenset(self.decks_using(preset_id)), settings=True,
                          created=(preset_id,) if adding else ())
        self._previews.clear()
        return self._change("Add preset" if adding else "Change deck options", changes, events,
                            lambda: [make() for make in undo])

    def use_preset(self, deck_ids, preset_id: PresetId) -> Changes:
        """Give decks a preset: their limits and scheduling follow it from now on."""
        if preset_id not in self.presets():
            raise KeyError(f"no preset with id {preset_id!r}")
        before = {deck_id: self.deck_options(deck_id)[0] for deck_id in deck_ids}
        changing = [deck_id for deck_id, preset in before.items() if preset != preset_id]
        device, now = self._device, self.clock.now()
        self._previews.clear()
        return self._change("Change preset", Changes(decks=frozenset(changing), settings=True),
                            [deck_preset_event(device, now, deck, preset_id) for deck in changing],
                            lambda: [deck_preset_event(self._device, self.clock.now(), deck,
                                                       before[deck]) for deck in changing])

    def remove_preset(self, preset_id: PresetId) -> Changes:
        """Remove a preset; the decks that used it use Default from now on."""
        if preset_id == DEFAULT_PRESET:
            raise ValueError("The Default preset cannot be removed.")
        options = self._state.presets.get(preset_id)
        if options is None:
            raise KeyError(f"no preset with id {preset_id!r}")
        users = self.decks_using(preset_id)
        device, now = self._device, self.clock.now()
        events = [preset_saved_event(device, now, preset_id, None)]
        events += [deck_preset_event(device, now, deck, DEFAULT_PRESET) for deck in users]
        self._previews.clear()
        return self._change("Remove preset", Changes(decks=frozenset(users), settings=True),
                            events, lambda: [
                                preset_saved_event(self._device, self.clock.now(), preset_id,
                                                   options.to_json()),
                                *(deck_preset_event(self._device, self.clock.now(), deck,
                                                    preset_id) for deck in users)])

    def _preset_of(self, deck_id: DeckId) -> PresetId:
        preset = self._state.deck_presets.get(deck_id, DEFAULT_PRESET)
        return PresetId(preset) if preset in self._state.presets else DEFAULT_PRESET

    def _setting_as_now(self, key: str) -> Callable[[], dict]:
        """What gives a setting back its present value, or removes it if it has none."""
        missing = object()
        value = self._state.settings.get(key, missing)
        return lambda: (setting_removed_event(self._device, self.clock.now(), key)
                        if value is missing
                        else setting_event(self._device, self.clock.now(), key, value))

    def _scheduler_of(self, deck_id: DeckId) -> Scheduler:
        """The scheduler of the deck's preset, made again only when its options change."""
        preset, options = self.deck_options(deck_id)
        wanted = self._scheduler_settings(options)
        scheduler = self._schedulers.get(preset)
        if scheduler is None or scheduler.settings != wanted:
            scheduler = self._schedulers[preset] = Scheduler(wanted)
        return scheduler

    def _scheduler_settings(self, options: DeckOptions) -> SchedulerSettings:
        fitted = fitted_parameters(self._state.settings.get(FITTED_PARAMETERS))
        return options.scheduler_settings(self.settings.fuzz, fitted)

    # -- cards ---------------------------------------------------------------------------------
    def add_card(self, deck_id: DeckId, front: str, back: str,
                 tags: tuple[str, ...] | list[str] = ()) -> Changes:
        """Add a card the learner wrote; `created` holds its id."""
        self.deck(deck_id)
        if not front.strip():
            raise ValueError("A card needs a front.")
        card = Card(CardId(uuid.uuid4().hex), front, back, tuple(tags))
        changes = Changes(cards=frozenset({card.id}), decks=frozenset({deck_id}), deck_list=True,
                          created=(card.id,))
        return self._change("Add card", changes,
                            [card_added_event(self._device, self.clock.now(), deck_id, card,
                                              by_user=True)],
                            lambda: [card_removed_event(self._device, self.clock.now(), card.id)])

    def edit_card(self, card_id: CardId, **fields) -> Changes:
        """Change a card's front, back or tags: only what differs is written."""
        deck, card = self.card(card_id)
        unknown = set(fields) - {"front", "back", "tags"}
        if unknown:
            raise KeyError(f"a card has no field {sorted(unknown)[0]!r}")
        if "tags" in fields:
            fields["tags"] = tuple(fields["tags"])
        changed = {name: value for name, value in fields.items() if getattr(card, name) != value}
        if not changed:
            return NOTHING
        before = {name: getattr(card, name) for name in changed}
        changes = Changes(cards=frozenset({card_id}), decks=frozenset({deck.id}))
        return self._change("Edit card", changes,
                            [card_edited_event(self._device, self.clock.now(), card_id,
                                               by_user=True, **changed)],
                            lambda: [card_edited_event(self._device, self.clock.now(), card_id,
                                                       by_user=True, **before)])

    def move_cards(self, card_ids, deck_id: DeckId) -> Changes:
        self.deck(deck_id)
        was = {card_id: self.card(card_id)[0].id for card_id in card_ids}
        moving = [card_id for card_id, deck in was.items() if deck != deck_id]
        changes = Changes(cards=frozenset(moving), decks=frozenset({deck_id, *was.values()}),
                          deck_list=True)
        now, place = self.clock.now(), self._places(moving)
        return self._change("Change deck", changes,
                            [card_moved_event(self._device, now, c, deck_id) for c in moving],
                            lambda: [card_moved_event(self._device, self.clock.now(), c, was[c],
                                                      position=place[c]) for c in moving])

    def remove_cards(self, card_ids) -> Changes:
        """Delete cards. Their progress stays in the journals, so undo brings them back whole."""
        found = [self.card(card_id) for card_id in card_ids]
        changes = Changes(cards=frozenset(card.id for _deck, card in found),
                          decks=frozenset(deck.id for deck, _card in found), deck_list=True)
        now, place = self.clock.now(), self._places([card.id for _deck, card in found])
        return self._change("Delete", changes,
                            [card_removed_event(self._device, now, card.id) for _d, card in found],
                            lambda: [card_added_event(self._device, self.clock.now(), deck.id,
                                                      card, position=place[card.id])
                                     for deck, card in found])

    def _places(self, card_ids) -> dict[CardId, list]:
        """Where each card sorts in its deck now, for an Undo that puts it back there."""
        return {card_id: list(self._state.entry(card_id).sorted_at) for card_id in card_ids}

    def marks(self, card_id: CardId) -> Marks:
        """Whether a card is suspended or buried, and its colour flag."""
        return self._state.marks_of(card_id)

    def suspend(self, card_ids, suspended: bool = True) -> Changes:
        return self._marked("Suspend" if suspended else "Unsuspend", card_ids,
                            lambda card, marks: marks.suspended != suspended,
                            lambda card: card_suspended_event(self._device, self.clock.now(),
                                                              card, suspended),
                            lambda card, marks: card_suspended_event(
                                self._device, self.clock.now(), card, marks.suspended))

    def bury(self, card_ids, buried: bool = True) -> Changes:
        """Hide cards until the next study day (buried) or show them again (not buried)."""
        until = (self.today() + timedelta(days=1)).isoformat() if buried else None
        return self._marked("Bury" if buried else "Unbury", card_ids,
                            lambda card, marks: marks.buried_on(self.today()) != buried,
                            lambda card: card_buried_event(self._device, self.clock.now(), card,
                                                           until),
                            lambda card, marks: card_buried_event(
                                self._device, self.clock.now(), card,
                                marks.buried_until.isoformat() if marks.buried_until else None))

    def flag(self, card_ids, flag: int) -> Changes:
        if not 0 <= flag <= 7:
            raise ValueError("A flag is a number from 0 (none) to 7.")
        return self._marked("Flag", card_ids, lambda card, marks: marks.flag != flag,
                            lambda card: card_flagged_event(self._device, self.clock.now(), card,
                                                            flag),
                            lambda card, marks: card_flagged_event(
                                self._device, self.clock.now(), card, marks.flag))

    def _marked(self, label: str, card_ids, differs, event, undo_event) -> Changes:
        found = [self.card(card_id) for card_id in card_ids]
        before = {card.id: self.marks(card.id) for _deck, card in found}
        marking = [card_id for card_id, marks in before.items() if differs(card_id, marks)]
        changes = Changes(cards=frozenset(marking),
                          decks=frozenset(deck.id for deck, card in found if card.id in marking))
        return self._change(label, changes, [event(card) for card in marking],
                            lambda: [undo_event(card, before[card]) for card in marking])

    def reset(self, card_ids) -> Changes:
        """Make cards new again (Anki's Forget); their review history stays."""
        found = [self.card(card_id) for card_id in card_ids]
        before = {card.id: self._state.progress.get(card.id) for _deck, card in found}
        resetting = [card_id for card_id, progress in before.items() if progress is not None]
        changes = Changes(cards=frozenset(resetting),
                          decks=frozenset(deck.id for deck, card in found if card.id in resetting))
        return self._change("Reset", changes,
                            [progress_event(self._device, self.clock.now(), c, None)
                             for c in resetting],
                            lambda: [progress_event(self._device, self.clock.now(), c, before[c])
                                     for c in resetting])

    def _change(self, label: str, changes: Changes, events: list[dict],
                inverse: Callable[[], list[dict]]) -> Changes:
        """Record one operation's events in one write, and how to undo it."""
        self._check_can_change()
        if not events:
            return NOTHING
        self._record(*events, changes=changes)
        self._undo.push(self._step(label, changes, events, lambda _events: inverse()))
        return changes

    def _step(self, label: str, changes: Changes, events: list[dict],
              inverse_of: Callable[[list[dict]], list[dict]], done: Changes | None = None,
              ) -> UndoStep:
        """How to undo the operation that wrote `events`, and how to do it again once undone:
        the same events made anew, newer than the undo's."""
        def again() -> tuple[list[dict], UndoStep]:
            renewed = [self._renewed(event) for event in events]
            return renewed, self._step(label, changes, renewed, inverse_of, done)
        return UndoStep(label, lambda: inverse_of(events), changes, again,
                        changes if done is None else done)

    def _renewed(self, event: dict) -> dict:
        """An event again, as if made now: its own id, the time of now, a place in the journal
        still to be given (seq)."""
        again = {name: value for name, value in event.items() if name != "seq"}
        again["id"] = next(self._review_ids)
        again["time"] = timestamp(self.clock.now())
        return again

    @property
    def _device(self) -> str:
        return self.store.device_id

    def card(self, card_id: CardId) -> tuple[Deck, Card]:
        deck = self._state.decks.get(self._state.deck_of(card_id) or "")
        card = deck.card(card_id) if deck is not None else None
        if card is None:
            raise KeyError(f"no card with id {card_id!r}")
        return deck, card

    def progress(self, card_id: CardId) -> Progress | None:
        return self._state.progress.get(card_id)

    def find_cards(self, search: str = "") -> list[tuple[Deck, Card]]:
        """The cards a search names, in Anki's syntax (see search.py; empty: every card), each
        with its deck: by deck name, then in each deck's own order. Raises SearchError."""
        found: list[tuple[Deck, Card]] = []
        with collector_paused():  # a pair per card found
            for deck, cards in self.find_cards_by_deck(search):
                found += zip(repeat(deck), cards)
        return found

    def find_cards_by_deck(self, search: str = "") -> list[tuple[Deck, Sequence[Card]]]:
        """The same cards deck by deck: each deck with any, and its cards found. A table of
        100,000 cards can keep them so without a pair for each card, which the cycle collector
        would look at again and again."""
        wanted = parse_search(search)
        found: list[tuple[Deck, Sequence[Card]]] = []
        today, rollover = self.today(), self.settings.rollover_hour
        with collector_paused():  # the facts made the first time
            for deck in self.decks():
                verdict = wanted.root.verdict(deck.name)
                if verdict is False:
                    continue
                cards: Sequence[Card] = deck.cards
                if verdict is None:  # the deck alone does not decide: its cards are asked
                    facts = self._search_index.facts(self._state, deck, today, rollover)
                    cards = list(map(cards.__getitem__, wanted.filter(facts)))
                if cards:
                    found.append((deck, cards))
        return found

    def add_card_to_deck_named(self, deck_name: str, front: str, back: str,
                               tags: tuple[str, ...] | list[str] = ()) -> Changes:
        """Add a card to the deck with this name (ignoring case), creating the deck when there is
        none, in one write; `created` holds the card's id (then the new deck's)."""
        if not front.strip():
            raise ValueError("A card needs a front.")
        found = [deck for deck in self.decks()
                 if _name_parts(deck.name) == _name_parts(deck_name)]
        if found:
            return self.add_card(found[0].id, front, back, tags)
        name = self._free_deck_name(deck_name)
        new = [*self._missing_parents(name), Deck(self._new_deck_id(name), name)]
        deck_id = new[-1].id
        card = Card(CardId(uuid.uuid4().hex), front, back, tuple(tags))
        now = self.clock.now()
        changes = Changes(cards=frozenset({card.id}),
                          decks=frozenset(deck.id for deck in new), deck_list=True,
                          created=(card.id, deck_id))
        return self._change("Add card", changes, [
            *(deck_created_event(self._device, now, deck) for deck in new),
            card_added_event(self._device, now, deck_id, card, by_user=True)],
            lambda: [card_removed_event(self._device, self.clock.now(), card.id),
                     *(deck_removed_event(self._device, self.clock.now(), deck.id)
                       for deck in reversed(new))])

    def add_media(self, data: bytes, suffix: str) -> str:
        """Keep a file a card shows (a pasted picture) in the media folder, named by its content,
        so the same picture pasted twice is one file; returns the name card HTML uses."""
        self._check_can_change()
        if not suffix.startswith(".") or not suffix[1:].isalnum():
            raise ValueError(f"{suffix!r} is not a file name suffix")
        name = f"paste-{hashlib.sha256(data).hexdigest()[:32]}{suffix.lower()}"
        self._save_media({name: data})
        return name

    def study_more_new(self, deck_id: DeckId, count: int | None = None) -> Changes:
        """Let `count` more new cards of a deck be studied today (Anki's custom study: by default
        the daily limit again). Tomorrow the deck's limit is as before."""
        self.deck(deck_id)
        count = self.deck_options(deck_id)[1].new_per_day if count is None else int(count)
        if count < 1:
            raise ValueError("Study at least one more new card.")
        key, today = EXTRA_NEW_CARDS + deck_id, self.today()
        before = self._state.settings.get(key)
        value = {"day": today.isoformat(), "cards": extra_new_cards(before, today) + count}
        changes = Changes(decks=frozenset({deck_id}))
        return self._change("Custom study", changes,
                            [setting_event(self._device, self.clock.now(), key, value)],
                            lambda: [setting_removed_event(self._device, self.clock.now(), key)
                                     if before is None else
                                     setting_event(self._device, self.clock.now(), key, before)])

    def new_cards_beyond_limit(self, deck_id: DeckId) -> int:
        """How many new cards of a deck wait beyond what today's limit lets be studied."""
        return self._queue().new_beyond_limit(deck_id)

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
        settings = self.settings
        default = default_options(self._state.presets.get(DEFAULT_PRESET), settings)
        presets = self._state.presets
        return StudyQueue(self._state, settings, self.clock.now(), self.tz, lambda deck_id: (
            default if (preset := self._preset_of(deck_id)) == DEFAULT_PRESET
            else presets[preset]))

    # -- grading -------------------------------------------------------------------------------
    def preview(self, card_id: CardId) -> dict[Rating, Progress]:
        """What each grade would do. Grading soon after gives these same outcomes (moved on by the
        time the card was on screen): with fuzzing, a fresh draw could differ from the buttons."""
        deck, _card = self.card(card_id)
        now = self.clock.now()
        outcomes = self._scheduler_of(deck.id).outcomes(self._state.progress.get(card_id), now)
        self._previews[card_id] = (now, outcomes)
        return outcomes

    def grade(self, card_id: CardId, rating: Rating, duration_ms: int | None = None,
              leech_threshold: int | None = None) -> Changes:
        """Record a grade. When this returns, the grade is on disk; `created` holds its review id.

        A review card forgotten for the `leech_threshold`th time (by default its deck preset's) is
        a leech, as in Anki (and again every half as many times more): the same write tags it
        "leech" and, unless the preset's leech action is "tag", suspends it; Undo takes them back
        together. Undo's label is the grade's name ("Good").
        """
        self._check_can_change()
        now = self.clock.now()
        deck, card = self.card(card_id)
        before = self._state.progress.get(card_id)
        shown_at, outcomes = self._previews.pop(card_id, (None, {}))
        if Rating(rating) in outcomes and now - shown_at < _PREVIEW_KEEPS:
            after = moved(outcomes[Rating(rating)], shown_at, now)
        else:
            after = self._scheduler_of(deck.id).outcome(before, rating, now)
        review = Review(id=next(self._review_ids), card_id=card_id, deck_id=deck.id,
                        rating=Rating(rating), time=now,
                        phase_before=before.phase if before else Phase.NEW,
                        duration_ms=duration_ms)
        events = [grade_event(self.store.device_id, review, after)]
        options = self.deck_options(deck.id)[1]
        if is_leech(before, after, leech_threshold or options.leech_threshold):
            events += self._leech_events(card, now, suspend=options.leech_action == "suspend")
        buried = self._siblings_to_bury(deck, card)
        events += [card_buried_event(self._device, now, sibling, until)
                   for sibling, until in buried.items()]
        changes = Changes(cards=frozenset({card_id, *buried}), decks=frozenset({deck.id}),
                          created=(events[0]["id"],))
        device, tags, suspended = self.store.device_id, card.tags, self.marks(card_id).suspended
        self._record(*events, changes=changes)

        def inverse(events: list[dict]) -> list[dict]:
            undone = [grade_undone_event(device, self.clock.now(), events[0]["id"], card_id,
                                         before)]
            kinds = {event["type"] for event in events}
            if "card_edited" in kinds:
                undone.append(card_edited_event(device, self.clock.now(), card_id, by_user=True,
                                                tags=tags))
            if "card_suspended" in kinds:
                undone.append(card_suspended_event(device, self.clock.now(), card_id, suspended))
            undone += [card_buried_event(device, self.clock.now(), sibling, None)
                       for sibling in buried]
            return undone

        self._undo.push(self._step(Rating(rating).label,
                                   replace(changes, created=(), card_to_show=card_id), events,
                                   inverse, done=replace(changes, created=())))
        return changes

    def _siblings_to_bury(self, deck: Deck, card: Card) -> dict[CardId, str]:
        """The card's siblings (cards of its note) that would show later today, each with the day
        it shows again: as in Anki, new and review siblings wait for tomorrow; learning ones,
        whose steps are minutes apart, do not."""
        if card.note is None:
            return {}
        today = self.today()
        _start, day_end = day_bounds(today, self.settings.rollover_hour, self.tz)
        tomorrow = today + timedelta(days=1)
        waiting = {}
        for sibling in self._siblings(deck, card):
            progress, marks = self._state.progress.get(sibling), self._state.marks_of(sibling)
            if marks.suspended or marks.buried_on(today):
                continue
            if progress is None or progress.phase is Phase.NEW or (
                    progress.phase is Phase.REVIEW and progress.due < day_end):
                waiting[sibling] = tomorrow.isoformat()
        return waiting

    def _siblings(self, deck: Deck, card: Card) -> list[CardId]:
        """The other cards of the card's note in its deck (kept per deck while the deck is the same)."""
        known = self._notes.get(deck.id)
        if known is None or known[0] is not deck:
            by_note: dict[str, list[CardId]] = {}
            for each in deck.cards:
                if each.note is not None:
                    by_note.setdefault(each.note, []).append(each.id)
            known = self._notes[deck.id] = (deck, by_note)
        return [sibling for sibling in known[1].get(card.note, ()) if sibling != card.id]

    def _leech_events(self, card: Card, now: datetime, suspend: bool) -> list[dict]:
        """Tag a leech and set it aside: studying it again as it is wastes the learner's time."""
        events = []
        if LEECH_TAG not in card.tags:
            events.append(card_edited_event(self._device, now, card.id, by_user=True,
                                            tags=(*card.tags, LEECH_TAG)))
        if suspend and not self.marks(card.id).suspended:
            events.append(card_suspended_event(self._device, now, card.id, True))
        return events

    def reviews(self, report: LoadReport | None = None) -> list[Review]:
        """The whole review history, oldest first. Reads every journal: call it only when needed.
        Damage found on the way (see Store.events) is described in `report`."""
        return self._reviews_in(self._grades_in_history(report))

    @staticmethod
    def _reviews_in(grades: list[dict]) -> list[Review]:
        history = []
        for event in grades:
            try:
                history.append(review_from_event(event))
            except ValueError:
                continue  # a malformed line: opening the folder skipped it too
        return sorted(history, key=lambda r: (r.time, r.id))

    def review_counts(self) -> Counter[str]:
        """How many grades each card has in the review history, by card id (0 for a card never
        graded): the grades `reviews` lists, counted in one reading of every journal."""
        return _counted(self._grades_in_history(keep=_card_of))

    def _grades_in_history(self, report: LoadReport | None = None,
                           keep: Callable[[dict], object] = lambda event: event) -> list:
        """Every grade event not undone, each once (a copy of a journal repeats ids), as `keep`
        gives it."""
        if not self.read_only:
            try:
                self.store.check_journal(self._state)  # a journal replaced is taken back first
            except StoreError:
                pass  # what could not be written yet is in the history all the same
        return self._grades_in_journals(report, keep)

    def _grades_in_journals(self, report: LoadReport | None = None,
                            keep: Callable[[dict], object] = lambda event: event) -> list:
        """The grades as the journals hold them now: reads files only, so it may run on another
        thread than the one changing the collection."""
        grades = _GradeTally(keep)
        for event in self.store.events(report):
            grades.add(event)
        return grades.kept()

    def retrievability(self, card_id: CardId) -> float:
        """The chance of recalling the card now; 0 for a card never learnt."""
        return self.retrievabilities([card_id]).get(card_id, 0.0)

    def retrievabilities(self, card_ids: Iterable[CardId]) -> dict[CardId, float]:
        """retrievability() of the cards learnt among many (a card never learnt has none), read
        straight from the progress table: sorting 100,000 cards by it one at a time took 2 s."""
        now, table, state = self.clock.now(), self._state.progress, self._state
        columns = table.value_columns()
        phases, stabilities, last_reviews = (
            columns["phase"], columns["stability"], columns["last_review"])
        schedulers: dict[DeckId, Scheduler] = {}
        chances = {}
        for card_id in card_ids:
            row = table.row(card_id)
            stability = None if row is None else stabilities[row]
            if stability is None or PHASE_OF_CODE[phases[row]] is Phase.NEW:
                continue
            deck_id = state.deck_of(card_id)
            scheduler = schedulers.get(deck_id)
            if scheduler is None:
                scheduler = schedulers[deck_id] = self._scheduler_of(deck_id)
            last_review = last_reviews[row]
            chances[card_id] = scheduler.recall_chance(
                stability, None if last_review is None else moment_of(last_review), now)
        return chances

    # -- the one path every change takes -------------------------------------------------------
    def _record(self, *events: dict, changes: Changes = NOTHING) -> None:
        """Save events, then apply them. If saving fails they wait in memory and StoreError says
        why; `changes` (what they change) is then what a later retry reports."""
        self._check_can_change()
        seq = max([self._state.last_seq] + [e["seq"] for e in self._unsaved])
        for event in events:
            seq += 1
            event["seq"] = seq
            if event["type"] in _GRADE_STEPS and isinstance(event.get("card"), str):
                self._grades_recorded[event["card"]] += _GRADE_STEPS[event["type"]]
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
        """What Undo would take back, in the learner's words ("Good" for a grade), or None."""
        return self._undo.label

    @property
    def redo_label(self) -> str | None:
        """What Redo would do again (the last operation undone), or None."""
        return self._undo.redo_label

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
            self._undo.put_back(step)  # saved later by a retry; the step is not lost
            raise
        self._undo.undone(step)
        self._previews.clear()
        self._scheduler = self._make_scheduler()
        return step.changes

    def redo(self) -> Changes:
        """Do again the last operation undone, by appending its events anew; returns what changed
        (NOTHING when there is none). Any new operation ends what can be redone."""
        self._check_can_change()
        step = self._undo.pop_undone()
        if step is None:
            return NOTHING
        events, undo_step = step.again()
        changes = step.done if step.done is not None else step.changes
        try:
            self._record(*events, changes=changes)
        except StoreError:
            self._undo.put_back_undone(step)
            raise
        self._undo.redone(undo_step)
        self._previews.clear()
        self._scheduler = self._make_scheduler()
        return changes

    def backups(self) -> list[Backup]:
        """The daily backups in the data folder, newest first."""
        return self.store.backups()

    def restore_backup(self, path: Path) -> Changes:
        """Bring decks, progress, settings and deck options presets back to a backup's; returns
        what changed.

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
        self.store.save_snapshot(self._state, backup_day=self.today(), now=self.clock.now())

    def take_warnings(self) -> list[str]:
        """What was found while the collection was open, besides `load_report` and what `refresh`
        reports, that a person should hear about: each warning once (returned, then forgotten).
        Today: this computer's journal replaced by another copy while the app had it open."""
        return self.store.take_notices()

    # -- the card browser ----------------------------------------------------------------------
    def change_tags(self, card_ids, add=(), remove=()) -> Changes:
        """Put tags on cards and take tags off them (Anki's Add Tags and Remove Tags).

        Each of `add` and `remove` is tags or text of tags split by spaces; tags are told apart
        ignoring case, as in Anki. A card keeps the order of its tags and gains new ones at the
        end. One card_edited event for each card whose tags change, all in one write, undone in
        one step."""
        adding, removing = _tag_words(add), {tag.casefold() for tag in _tag_words(remove)}
        found = [self.card(card_id) for card_id in dict.fromkeys(card_ids)]
        before: dict[CardId, tuple[str, ...]] = {}
        after: dict[CardId, tuple[str, ...]] = {}
        for _deck, card in found:
            tags = [tag for tag in card.tags if tag.casefold() not in removing]
            have = {tag.casefold() for tag in tags}
            for tag in adding:
                if tag.casefold() not in have:
                    tags.append(tag)
                    have.add(tag.casefold())
            if tuple(tags) != card.tags:
                before[card.id], after[card.id] = card.tags, tuple(tags)
        label = "Add tags" if not removing else "Remove tags" if not adding else "Change tags"
        changes = Changes(cards=frozenset(after),
                          decks=frozenset(deck.id for deck, card in found if card.id in after))
        now = self.clock.now()
        return self._change(label, changes,
                            [card_edited_event(self._device, now, card_id, by_user=True, tags=tags)
                             for card_id, tags in after.items()],
                            lambda: [card_edited_event(self._device, self.clock.now(), card_id,
                                                       by_user=True, tags=tags)
                                     for card_id, tags in before.items()])

    def review_counts_reading(self) -> Iterator[ReviewCounts | None]:
        """`review_counts` a little at a time, for a window that must not wait for it (a million
        grades take a minute to read): each step reads a few hundred events and gives None, the
        last gives the counts. Steps are taken on the collection's thread, between other work.

        The counts stay current: they add to what the reading found the grades this app records
        from the moment the reading began (and take away those it undoes)."""
        if not self.read_only:
            with contextlib.suppress(StoreError):  # as in review_counts
                self.store.check_journal(self._state)
        store, device = self.store, self.store.device_id
        # This device's events after these are the app's own, counted as they are recorded.
        last_seq = max([self._state.last_seq] + [e["seq"] for e in self._unsaved])
        recorded, recorded_before = self._grades_recorded, Counter(self._grades_recorded)

        def steps() -> Iterator[ReviewCounts | None]:
            grades = _GradeTally(_card_of)
            for number, event in enumerate(store.events(), 1):
                if event.get("device") != device or _seq(event) <= last_seq:
                    grades.add(event)
                if number % _EVENTS_PER_STEP == 0:
                    yield None
            yield ReviewCounts(_counted(grades.kept()), recorded, recorded_before)

        return steps()

    # -- memory tools: the scheduler fitted to the learner, breaks and backlogs ----------------
    def optimise(self, progress_callback: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> OptimiseResult:
        """Fit the scheduler to the review history, and keep the fitted parameters if they
        predict it better than those in use (one undoable change). Raises what
        optimiser.fit_parameters raises: OptimiserUnavailable, NotEnoughReviews, FitCancelled.
        A window runs the slow middle on another thread: prepare_fit, run, apply_fit."""
        request = self.prepare_fit()
        return self.apply_fit(request, request.run(progress_callback, cancelled))

    def prepare_fit(self) -> FitRequest:
        """What `optimise` fits; its `run` reads the journals and changes nothing, so it may go to
        another thread. What it returns is kept by `apply_fit`, on this one."""
        if not self.read_only:
            with contextlib.suppress(StoreError):
                self.store.check_journal(self._state)  # as in reviews(): taken back first
        return FitRequest(self.settings.fsrs_parameters, self._state.review_count,
                          lambda: self._reviews_in(self._grades_in_journals()))

    def apply_fit(self, request: FitRequest, fit: Fit) -> OptimiseResult:
        """Keep a fit's parameters if they are better, and remember the fit (its day and the
        grades counted then), in one write. Undo puts the parameters back, not the date; Redo
        the fitted ones."""
        self._check_can_change()
        device, now = self._device, self.clock.now()
        events = [setting_event(device, now, "optimised_on", self.today().isoformat()),
                  setting_event(device, now, "optimised_review_count", request.grades_so_far)]
        changes = Changes(settings=True) if fit.better else NOTHING
        if fit.better:
            inverse = self._setting_back("fsrs_parameters")
            kept = setting_event(device, now, "fsrs_parameters", list(fit.parameters))
            events.insert(0, kept)
        self._record(*events, changes=changes)
        if fit.better:
            self._scheduler = self._make_scheduler()
            self._previews.clear()
            self._undo.push(self._step("Optimise", changes, [kept], lambda _events: inverse()))
        return OptimiseResult(fit.log_loss_before, fit.log_loss_after, fit.better,
                              fit.review_count, self._scheduler.settings.parameters
                              or tuple(DEFAULT_PARAMETERS), changes)

    def fit_due(self) -> bool:
        """Whether the scheduler is due to be fitted again by itself (see memory_tools.fit_due)."""
        return memory_tools.fit_due(self._state.settings, self.today(), self._state.review_count)

    def _setting_back(self, key: str) -> Callable[[], list[dict]]:
        """The events that give a setting back the value it has now (or none)."""
        device, missing = self._device, object()
        before = self._state.settings.get(key, missing)
        return lambda: [setting_removed_event(device, self.clock.now(), key) if before is missing
                        else setting_event(device, self.clock.now(), key, before)]

    def workload_forecast(self) -> WorkloadForecast:
        """The learner's cards as they stand, for comparing desired retentions' workloads: its
        `run` simulates, and may go to another thread."""
        settings = self.settings
        return WorkloadForecast(settings.fsrs_parameters, tuple(studied_cards(self._state).values()),
                                self.clock.now(), settings.new_per_day)

    def plan_break(self, away_from: date, away_until: date,
                   cards: Mapping[CardId, Progress] | None = None) -> BreakPlan:
        """Where the reviews due on the study days `away_from` to `away_until` would go (see
        workload.plan_break); nothing moves until `apply_plan`. ValueError for days that do not
        make a break from today on. `cards`: what studied_progress gave, for a caller planning
        again and again (a dialog); read afresh when None."""
        settings = self.settings
        cards = self.studied_progress() if cards is None else cards
        return workload.plan_break(cards, away_from, away_until, self.clock.now(), self.tz,
                          settings.rollover_hour, daily_limit=max(1, settings.reviews_per_day),
                          desired_retention=settings.desired_retention,
                          parameters=settings.fsrs_parameters)

    def spread_backlog(self, days: int,
                       cards: Mapping[CardId, Progress] | None = None) -> BacklogPlan:
        """Overdue reviews spread over `days` study days from today, those most likely forgotten
        first (see workload.spread_backlog); nothing moves until `apply_plan`. `cards` as for
        plan_break."""
        settings = self.settings
        cards = self.studied_progress() if cards is None else cards
        return workload.spread_backlog(cards, days, self.clock.now(), self.tz,
                              settings.rollover_hour,
                              desired_retention=settings.desired_retention,
                              parameters=settings.fsrs_parameters)

    def studied_progress(self) -> dict[CardId, Progress]:
        """The progress of every card the learner studies (not suspended) and has begun: what
        the plans work from. Costs a second or so on 100,000 cards, so a dialog that plans as
        the person picks days reads it once and passes it to each plan; apply_plan then leaves
        alone any card that changed since."""
        return {card_id: progress for card_id, progress in studied_cards(self._state).items()
                if progress is not None}

    def apply_plan(self, plan: BreakPlan | BacklogPlan) -> Changes:
        """Move the cards' due moments as the plan says: one progress event per card, in one
        write, undone as one step ("Plan break", "Spread backlog"). A card graded or moved since
        the plan was made is left where it is now. A backlog spread is remembered while it
        lasts (see backlog_status)."""
        self._check_can_change()
        device, now = self._device, self.clock.now()
        before = {move.card_id: self._state.progress.get(move.card_id) for move in plan.moves}
        moving = {move.card_id: move.new_due for move in plan.moves
                  if before[move.card_id] is not None and before[move.card_id].due == move.old_due}
        events = [progress_event(device, now, card_id, replace(before[card_id], due=due))
                  for card_id, due in moving.items()]
        changes = Changes(cards=frozenset(moving), decks=frozenset(
            filter(None, map(self._state.deck_of, moving))))
        inverse = lambda: [progress_event(device, self.clock.now(), card_id, before[card_id])  # noqa: E731
                           for card_id in moving]
        label = "Plan break"
        if isinstance(plan, BacklogPlan) and events:
            label, changes = "Spread backlog", changes | Changes(settings=True)
            spread = BacklogSpread(self.today(), plan.days, max(plan.per_day.values()))
            events.append(setting_event(device, now, "backlog_spread", spread.to_json()))
            moved_back, spread_back = inverse, self._setting_back("backlog_spread")
            inverse = lambda: moved_back() + spread_back()  # noqa: E731
        self._previews.clear()
        return self._change(label, changes, events, inverse)

    def backlog_status(self) -> BacklogStatus:
        """How many reviews are overdue from before today, against a day's allowance, and the
        backlog spread under way, if any."""
        settings, today = self.settings, self.today()
        spread = BacklogSpread.from_json(self._state.settings.get("backlog_spread"))
        start = day_bounds(today, settings.rollover_hour, self.tz)[0]
        return BacklogStatus(overdue_count(self._state, start, self.clock.now()),
                             settings.reviews_per_day,
                             spread if spread is not None and spread.lasts_on(today) else None)


class ReviewCounts:
    """How many grades each card has in the review history, kept current: those a reading of
    the journals found, and those the app has recorded since (an undone grade takes one away)."""

    def __init__(self, read: Counter[str], recorded: Counter[str],
                 recorded_before: Counter[str]) -> None:
        self._read, self._recorded, self._before = read, recorded, recorded_before

    def __getitem__(self, card_id: str) -> int:
        return self._read[card_id] + self._recorded[card_id] - self._before[card_id]


# How a grade and an undone grade change their card's count of grades.
_GRADE_STEPS = {"grade": 1, "grade_undone": -1}
# A step of review_counts_reading: a few milliseconds of reading.
_EVENTS_PER_STEP = 200


class _GradeTally:
    """The grade events added that no grade_undone added takes back, each once (a copy of a
    journal repeats ids), as `keep` gives them: counting needs only each one's card, and a
    million whole events would fill the memory the cycle collector walks again and again."""

    def __init__(self, keep: Callable[[dict], object] = lambda event: event) -> None:
        self._keep = keep
        self._grades: dict[str, object] = {}
        self._undone: set[str] = set()

    def add(self, event: dict) -> None:
        kind = event.get("type")
        if kind == "grade" and isinstance(event.get("id"), str):
            self._grades[event["id"]] = self._keep(event)
        elif kind == "grade_undone" and isinstance(event.get("grade"), str):
            self._undone.add(event["grade"])

    def kept(self) -> list:
        return [kept for grade_id, kept in self._grades.items() if grade_id not in self._undone]


def _card_of(event: dict) -> object:
    return event.get("card")


def _counted(cards: list) -> Counter[str]:
    return Counter(card for card in cards if isinstance(card, str))


def _seq(event: dict) -> int:
    try:
        return int(event.get("seq", 0))
    except (TypeError, ValueError):
        return 0


def _tag_words(tags) -> list[str]:
    """Tags given one by one or as text split by spaces (a tag holds no space), each once."""
    if isinstance(tags, str):
        tags = [tags]
    unique: dict[str, str] = {}
    for word in (word for text in tags for word in str(text).split()):
        unique.setdefault(word.casefold(), word)
    return list(unique.values())


def _parent_removed(deck_id: DeckId, device: str, now) -> dict:
    """The event that takes back a parent deck an import created."""
    return deck_removed_event(device, now, deck_id)


def _name_parts(name: str) -> tuple[str, ...]:
    """A deck name as it is compared: each `::` part without case or surrounding space."""
    return tuple(part.strip().casefold() for part in name.split("::"))

def _imported_review_id(card_id: str, review: ImportedReview) -> str:
    """An id made from the review's source, the same on every computer that imports it."""
    source = review.source_id or utc_text(review.time)
    return hashlib.sha256(f"{card_id}\x1f{source}".encode()).hexdigest()[:32]


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
