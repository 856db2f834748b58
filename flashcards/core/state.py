"""The state the journals add up to: decks, their cards, each card's progress and marks, settings.

Applying events is a last-writer-wins merge keyed by (time, seq, event id), part by part: each
part (a deck's name, a card's front, a card's deck, its progress, a setting…) keeps the key of the
event that last set it and changes only for a newer one. Any set of events therefore gives the
same state whatever order they arrive in: that is what lets several devices' journals in a
synced folder be merged without a server, and what makes applying an event twice harmless.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date

from .card_book import FIELDS, CardEntry, card_values, position_of
from .deck import Card, CardId, Deck, DeckId, DeckKind, deck_from_json
from .deck_options import DeckOptions
from .events import EVENT_VERSION, NewerEvent, UnknownEvent
from .progress_table import Key, NewestProgress, ProgressTable, micros_of

# The key before every event's: the parts of a card no event has set yet carry it.
NO_KEY: Key = (0, 0, "")
_LOOSE = DeckId("")  # where events about a card wait for the event that places it in a deck
# Cards whose newest progress a replay holds before setting it in the table: some 50 MB, the
# whole of a 100,000-card collection, so the usual replay sets each card once.
_NEWEST_PROGRESS_HELD = 100_000


@dataclass(frozen=True)
class Marks:
    """What a learner has marked on a card, apart from its text and progress."""

    suspended: bool = False
    buried_until: date | None = None  # shown again from this study day on
    flag: int = 0  # 0 none, 1-7 Anki's colours

    def buried_on(self, day: date) -> bool:
        return self.buried_until is not None and day < self.buried_until


UNMARKED = Marks()


class DamagedLater(ValueError):
    """A part of the snapshot left unread at start-up turned out damaged when first read."""


class LazyDeck(Deck):
    """A deck whose cards are read (from the snapshot's text) the first time someone needs them."""

    @property
    def cards(self) -> tuple:
        cards = self.__dict__.get("_cards")
        if cards is None:
            cards = self.__dict__["_cards"] = tuple(self.__dict__.pop("_read")())
        return cards

    @cards.setter
    def cards(self, cards) -> None:
        self.__dict__["_cards"] = tuple(cards)

    def __eq__(self, other):
        if not isinstance(other, Deck):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in Deck.__dataclass_fields__)

    __hash__ = None

    @property
    def unread(self) -> bool:
        """Whether the cards are still only the snapshot's text."""
        return "_read" in self.__dict__


def lazy_deck(meta: Deck, read: Callable[[], list[Card]]) -> LazyDeck:
    deck = LazyDeck.__new__(LazyDeck)
    deck.__dict__.update(id=meta.id, name=meta.name, kind=meta.kind,
                         description=meta.description, revision=meta.revision, _read=read)
    return deck


class CollectionState:
    """Everything the journals add up to, with the key of the event that last set each part.

    Decks and cards: `decks` and `deck_rows` are what a learner sees (decks not removed, their
    cards not removed, in deck order); behind them, every deck ever created and every card ever
    placed is kept with its keys (see card_book), so an older event arriving late is weighed
    against what is newer, and undoing a removal brings everything back.
    """

    def __init__(self, progress: ProgressTable | None = None, settings: dict | None = None,
                 keys: dict[str, Key] | None = None, review_count: int = 0, last_seq: int = 0,
                 skipped_newer: int = 0) -> None:
        self._progress = progress if progress is not None else ProgressTable()
        self._read_progress: Callable[[], ProgressTable] | None = None
        # What gives the journals' state instead, when the snapshot's unread parts are damaged.
        self._rebuild: Callable[[DamagedLater], CollectionState] | None = None
        # The snapshot's counts of each deck (study_queue.CountingDigest), good while nothing
        # has changed since it was read: any event makes it None.
        self.counting_digest = None
        self.settings: dict[str, object] = settings if settings is not None else {}
        # The key of the event that last set each part named by a slot: "deck:<id>" (created or
        # removed), "deck-name:<id>", "deck-info:<id>", "deck-listing:<id>" (the newest whole-deck
        # event), "setting:<key>", "suspended:<card>", "buried:<card>", "flag:<card>",
        # "preset:<id>", "deck-preset:<deck>". The cards' own keys live in their entries, their
        # progress keys in the progress table.
        self.keys: dict[str, Key] = keys if keys is not None else {}
        self.review_count = review_count
        self.last_seq = last_seq
        # Events from a newer app that were kept but not applied: an updated app re-reads them.
        self.skipped_newer = skipped_newer
        self.metas: dict[DeckId, Deck] = {}  # every deck's name and kind, without cards
        self.removed_decks: set[DeckId] = set()
        self.marks: dict[CardId, Marks] = {}
        # Deck options presets not removed, and the preset each deck was last given.
        self.presets: dict[str, DeckOptions] = {}
        self.deck_presets: dict[DeckId, str] = {}
        self._books: dict[DeckId, dict[CardId, CardEntry]] = {}
        self._where: dict[CardId, DeckId] = {}  # the book of every card in a book read
        # Decks whose entries are still the snapshot's text, and where a card not among the
        # learner's cards (removed, or in a removed deck) is kept.
        self._unread: dict[DeckId, Callable[[], list[CardEntry]]] = {}
        self._parked: dict[CardId, DeckId] = {}
        self._values: dict[DeckId, Deck] = {}
        self._rows: dict[DeckId, list[int]] = {}
        self._dirty: set[DeckId] = set()
        self._deck_of_card: dict[CardId, DeckId] | None = None
        self._unread_index: dict[CardId, DeckId] | None = None
        # The cards events were about (their text, place, progress or marks) since the search
        # index last took them, once it keeps any (see search_index): it makes their facts again.
        self.changed_cards: set[CardId] | None = None
        # While replaying (see replaying), each card's newest progress, not yet in the table.
        self._newest_progress: NewestProgress | None = None

    @property
    def progress(self) -> ProgressTable:
        if self._read_progress is not None:
            try:
                self._progress, self._read_progress = self._read_progress(), None
            except DamagedLater as error:
                self._become_rebuilt(error)
        return self._progress

    def read_progress(self) -> ProgressTable:
        """The progress table, read now if it was left for later."""
        return self.progress

    def when_damaged(self, rebuild: Callable[[DamagedLater], CollectionState]) -> None:
        """What to do if a part of the snapshot read after start-up is damaged: `rebuild`
        gives the state the journals add up to, and this state becomes it."""
        self._rebuild = rebuild

    def _become_rebuilt(self, error: DamagedLater) -> None:
        # Everyone holding this state (the collection, decks read later) sees the rebuilt one;
        # nothing read from the damaged parts was handed out, as they were never read.
        if self._rebuild is None:
            raise error
        rebuilt = self._rebuild(error)
        self.__dict__.clear()
        self.__dict__.update(rebuilt.__dict__)

    def read_progress_later(self, read: Callable[[], ProgressTable]) -> None:
        """Have the progress table read from the snapshot the first time anything uses it: the
        deck list's counts can come from the snapshot's counting digest instead."""
        self._read_progress = read

    @property
    def progress_read(self) -> bool:
        return self._read_progress is None

    # -- what a learner sees -------------------------------------------------------------------
    @property
    def decks(self) -> dict[DeckId, Deck]:
        self._settle()
        return self._values

    @property
    def deck_rows(self) -> dict[DeckId, list[int]]:
        """Each deck's rows in the progress table (read first: rows are only used with it, and
        should the snapshot's parts be damaged, this state becomes the journals' before any row
        is handed out)."""
        self.read_progress()
        self._settle()
        return self._rows

    def card_count(self, deck_id: DeckId) -> int:
        """How many cards a learner sees in a deck, without reading the progress table."""
        self._settle()
        return len(self._rows[deck_id])

    def deck_of(self, card_id: CardId) -> DeckId | None:
        """The deck a learner sees a card in, without reading every deck's cards."""
        self._settle()
        # Most often the card's deck has been read (it is being studied or browsed): its entry
        # says where it is, without an index of every card of every deck.
        deck_id = self._where.get(card_id)
        if deck_id in self._values and deck_id not in self._unread:
            entry = self._books[deck_id].get(card_id)
            if entry is not None and self.is_alive(entry):
                return deck_id
        if self._deck_of_card is None:
            card = self.progress.card
            self._deck_of_card = {}
            for deck_id, rows in self._rows.items():
                for row in rows:
                    self._deck_of_card.setdefault(card[row], deck_id)
        return self._deck_of_card.get(card_id)

    def marks_of(self, card_id: CardId) -> Marks:
        return self.marks.get(card_id, UNMARKED)

    def entry(self, card_id: CardId) -> CardEntry | None:
        """A card's entry wherever it is kept (a deck removed, a card removed), or None."""
        book = self._where.get(card_id)
        if book is None:
            book = self._parked.get(card_id)
            if book is None:
                book = self._unread_deck_of(card_id)
            if book is None or book not in self._unread:
                return None
            self._read_book(book)
        return self._books.get(book, {}).get(card_id)

    def _unread_deck_of(self, card_id: CardId) -> DeckId | None:
        """The deck still unread that a learner sees the card in. Asked while applying events,
        so it must not settle the learner's view (that would rebuild a deck per event)."""
        if not self._unread:
            return None
        if self._unread_index is None:
            card = self.progress.card
            self._unread_index = {card[row]: deck_id for deck_id in self._unread
                                  for row in self._rows.get(deck_id, ())}
        return self._unread_index.get(card_id)

    def is_alive(self, entry: CardEntry) -> bool:
        return entry.deck != _LOOSE and entry.alive(self.keys.get("deck-listing:" + entry.deck))

    # -- merging -------------------------------------------------------------------------------
    def apply(self, event: dict) -> None:
        """Apply one event; raises UnknownEvent and changes nothing when the event cannot be
        applied: from a newer app (NewerEvent), of an unknown type, or malformed in any way."""
        if not isinstance(event, dict):
            raise UnknownEvent(f"{type(event).__name__} where an event should be")
        version = event.get("v")
        if type(version) is not int or version < 1:
            raise UnknownEvent(f"event version {version!r} is not one this app knows")
        if version > EVENT_VERSION:
            raise NewerEvent(f"event version {version} is newer than this app understands")
        handler = _HANDLERS.get(event.get("type"))
        if handler is None:
            raise UnknownEvent(f"unknown event type {event.get('type')!r}")
        try:
            # `seq` orders a device's own events that share a timestamp (a coarse or frozen clock).
            seq = event.get("seq", 0)
            if type(seq) is not int:
                seq = int(seq)
            key = (micros_of(event["time"]), seq, _text(event["id"]))
            self.counting_digest = None
            handler(self, event, key)
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
            # Each handler checks everything before it changes anything, so nothing was changed.
            raise UnknownEvent(f"a malformed {event.get('type')} event ({error!r})") from error
        if self.changed_cards is not None and isinstance(card := event.get("card"), str):
            self.changed_cards.add(CardId(card))
        if seq > self.last_seq:
            self.last_seq = seq

    def _apply_grade(self, event: dict, key: Key) -> None:
        progress = event["progress"]
        if not isinstance(progress, dict):
            raise TypeError("a grade without the card's progress")
        self._set_progress(_text(event["card"]), progress, key)
        self.review_count += 1

    def _apply_progress(self, event: dict, key: Key) -> None:
        progress = event["progress"]
        if progress is not None and not isinstance(progress, dict):
            raise TypeError("a card's progress that is neither progress nor null")
        self._set_progress(_text(event["card"]), progress, key)

    def _set_progress(self, card_id: str, progress: dict | None, key: Key) -> None:
        if self._newest_progress is None:
            self.progress.set_if_newer(card_id, progress, key)
            return
        self._newest_progress.add(card_id, progress, key)
        if len(self._newest_progress) >= _NEWEST_PROGRESS_HELD:
            self._newest_progress.set_in(self.progress)

    @contextmanager
    def replaying(self) -> Iterator[None]:
        """Apply a run of events (a journal read) with each card's progress set once, from its
        newest event, when the run ends; nothing may read the progress in between."""
        if self._newest_progress is not None:
            yield
            return
        self._newest_progress = NewestProgress()
        try:
            yield
        finally:
            newest, self._newest_progress = self._newest_progress, None
            if newest:  # the progress table may not have been read yet: leave it so
                newest.set_in(self.progress)

    def _apply_grade_undone(self, event: dict, key: Key) -> None:
        _text(event["grade"])  # the history reads it; a line without it is malformed
        self._apply_progress(event, key)

    def _apply_deck(self, event: dict, key: Key) -> None:
        """A whole deck, as journals written before per-card events hold it (see card_book)."""
        if not isinstance(event["deck"], dict):
            raise TypeError("a deck event without a deck")
        deck = deck_from_json(event["deck"])
        self._set_deck(deck, key)
        if self._newer("deck-listing:" + deck.id, key):
            self._dirty.add(deck.id)
        for order, card in enumerate(deck.cards, start=1):
            if self.entry(card.id) is None:
                self._add_entry(CardEntry(card, deck.id, key, order))
                continue
            values = {name: getattr(card, name) for name in FIELDS}
            self._place(card.id, deck.id, key, values, order)

    def _apply_deck_created(self, event: dict, key: Key) -> None:
        deck = Deck(id=DeckId(_text(event["deck"])), name=_text(event["name"]),
                    kind=DeckKind(event.get("kind", "basic")),
                    description=_text(event.get("description", "")),
                    revision=int(event.get("revision", 1)))
        self._set_deck(deck, key)

    def _apply_deck_revised(self, event: dict, key: Key) -> None:
        deck_id = DeckId(_text(event["deck"]))
        description, revision = _text(event["description"]), int(event["revision"])
        kind = DeckKind(event.get("kind", "basic"))
        if self._newer("deck-info:" + deck_id, key):
            self._meta_changed(deck_id, kind=kind, description=description, revision=revision)

    def _apply_deck_renamed(self, event: dict, key: Key) -> None:
        deck_id, name = DeckId(_text(event["deck"])), _text(event["name"])
        if self._newer("deck-name:" + deck_id, key):
            self._meta_changed(deck_id, name=name)

    def _apply_deck_removed(self, event: dict, key: Key) -> None:
        deck_id = DeckId(_text(event.get("deck_id", event.get("deck"))))
        if self._newer("deck:" + deck_id, key):
            self.removed_decks.add(deck_id)
            self._meta_changed(deck_id)

    def _set_deck(self, deck: Deck, key: Key) -> None:
        """A deck created (or listed whole): there, with this name, kind, description, revision."""
        if self._newer("deck:" + deck.id, key):
            self.removed_decks.discard(deck.id)
            self._meta_changed(deck.id)
        if self._newer("deck-name:" + deck.id, key):
            self._meta_changed(deck.id, name=deck.name)
        if self._newer("deck-info:" + deck.id, key):
            self._meta_changed(deck.id, kind=deck.kind, description=deck.description,
                               revision=deck.revision)

    def _meta_changed(self, deck_id: DeckId, **values) -> None:
        meta = self.metas.get(deck_id) or Deck(id=deck_id, name=deck_id)
        self.metas[deck_id] = replace(meta, **values)
        self._dirty.add(deck_id)

    def _apply_card_added(self, event: dict, key: Key) -> None:
        deck_id = DeckId(_text(event["deck"]))
        # Every field is set, so an older edit arriving later cannot change this card's text.
        values = {"front": "", "back": "", "tags": (), "warning": None, "note": None,
                  **card_values(event)}
        card_id, by_user = CardId(_text(event["card"])), bool(event.get("by_user"))
        position = position_of(event)
        if self.entry(card_id) is None:
            # The common case (an import, a new card): made whole at once, nothing to weigh.
            self._add_entry(CardEntry(Card(id=card_id, **values), deck_id, key, by_user=by_user,
                                      position=position))
            return
        self._place(card_id, deck_id, key, values, 0, by_user=by_user, position=position)

    def _add_entry(self, entry: CardEntry) -> None:
        """A card no event has mentioned before, in its deck (or loose, waiting for one)."""
        self._book(entry.deck)[entry.card.id] = entry
        self._where[entry.card.id] = entry.deck
        self._dirty.add(entry.deck)

    def _apply_card_edited(self, event: dict, key: Key) -> None:
        card_id, values = CardId(_text(event["card"])), card_values(event)
        entry = self._entry_or_loose(card_id)
        if entry.write(values, key, by_user=bool(event.get("by_user"))):
            self._dirty.add(entry.deck)

    def _apply_card_moved(self, event: dict, key: Key) -> None:
        self._place(CardId(_text(event["card"])), DeckId(_text(event["deck"])), key, {}, 0,
                    position=position_of(event))

    def _apply_card_removed(self, event: dict, key: Key) -> None:
        entry = self._entry_or_loose(CardId(_text(event["card"])))
        if entry.remove(key):
            self._dirty.add(entry.deck)

    def _place(self, card_id: CardId, deck_id: DeckId, key: Key, values: dict, order: int,
               by_user: bool = False, position: Key | None = None) -> None:
        entry = self._entry_or_loose(card_id)
        before = entry.deck
        if entry.place(deck_id, key, order, position):
            if by_user:
                entry.by_user = True
            self._books[before].pop(card_id)
            self._book(deck_id)[card_id] = entry
            self._where[card_id] = deck_id
            self._dirty.update((before, deck_id))
        if values and entry.write(values, key):
            self._dirty.add(entry.deck)

    def _entry_or_loose(self, card_id: CardId) -> CardEntry:
        """The card's entry; for a card no event has placed yet, a loose one that waits."""
        entry = self.entry(card_id)
        if entry is None:
            entry = CardEntry(Card(id=card_id, front="", back=""), _LOOSE, NO_KEY)
            self._add_entry(entry)
        return entry

    def _apply_card_suspended(self, event: dict, key: Key) -> None:
        card_id, suspended = CardId(_text(event["card"])), event["suspended"]
        if type(suspended) is not bool:
            raise TypeError("suspended must be true or false")
        self._mark(card_id, "suspended", key, suspended=suspended)

    def _apply_card_buried(self, event: dict, key: Key) -> None:
        card_id, until = CardId(_text(event["card"])), event["until"]
        day = None if until is None else date.fromisoformat(_text(until))
        self._mark(card_id, "buried", key, buried_until=day)

    def _apply_card_flagged(self, event: dict, key: Key) -> None:
        card_id, flag = CardId(_text(event["card"])), event["flag"]
        if type(flag) is not int or not 0 <= flag <= 7:
            raise ValueError("a flag is a number from 0 to 7")
        self._mark(card_id, "flag", key, flag=flag)

    def _mark(self, card_id: CardId, slot: str, key: Key, **value) -> None:
        if not self._newer(f"{slot}:{card_id}", key):
            return
        marks = replace(self.marks_of(card_id), **value)
        if marks == UNMARKED:
            self.marks.pop(card_id, None)
        else:
            self.marks[card_id] = marks

    def _apply_setting(self, event: dict, key: Key) -> None:
        name, value = _text(event["key"]), event["value"]
        if self._newer("setting:" + name, key):
            self.settings[name] = value

    def _apply_setting_removed(self, event: dict, key: Key) -> None:
        name = _text(event["key"])
        if self._newer("setting:" + name, key):
            self.settings.pop(name, None)

    def _apply_preset_saved(self, event: dict, key: Key) -> None:
        preset_id, options = _text(event["preset"]), event["options"]
        saved = None if options is None else DeckOptions.from_json(options)
        if self._newer("preset:" + preset_id, key):
            if saved is None:
                self.presets.pop(preset_id, None)
            else:
                self.presets[preset_id] = saved

    def _apply_deck_preset(self, event: dict, key: Key) -> None:
        deck_id, preset_id = DeckId(_text(event["deck"])), _text(event["preset"])
        if self._newer("deck-preset:" + deck_id, key):
            self.deck_presets[deck_id] = preset_id

    def _newer(self, slot: str, key: Key) -> bool:
        current = self.keys.get(slot)
        if current is not None and current >= key:
            return False
        self.keys[slot] = key
        return True

    # -- the books behind the decks ------------------------------------------------------------
    def _book(self, deck_id: DeckId) -> dict[CardId, CardEntry]:
        if deck_id in self._unread:
            self._read_book(deck_id)
        return self._books.setdefault(deck_id, {})

    def _read_book(self, deck_id: DeckId) -> None:
        try:
            entries = self._unread[deck_id]()
        except DamagedLater as error:
            self._become_rebuilt(error)
            return
        del self._unread[deck_id]
        book = self._books.setdefault(deck_id, {})
        for entry in entries:
            book[entry.card.id] = entry
            self._where[entry.card.id] = deck_id
        self._dirty.add(deck_id)

    def entries(self, deck_id: DeckId) -> list[CardEntry]:
        """Every card kept under a deck, seen or not, in deck order (for the snapshot)."""
        return sorted(self._book(deck_id).values(), key=CardEntry.sort_key)

    def unread_text(self, deck_id: DeckId):
        """While a deck's entries are still the snapshot's text: that text (else None)."""
        read = self._unread.get(deck_id)
        if read is None:
            return None
        try:
            return read.text()
        except DamagedLater as error:
            self._become_rebuilt(error)
            return None

    def all_deck_ids(self) -> list[DeckId]:
        """Every deck kept, removed ones too, then the places of cards whose deck no event has
        created yet (the loose cards' among them): their cards are kept all the same."""
        ids = dict.fromkeys(self.metas)
        ids.update(dict.fromkeys(deck for deck, book in self._books.items() if book))
        ids.update(dict.fromkeys(self._unread))
        return list(ids)

    def _settle(self) -> None:
        """Bring the learner's view up to date with the decks events changed since last asked."""
        if not self._dirty:
            return
        dirty, self._dirty = self._dirty, set()
        self._deck_of_card = None
        for deck_id in dirty:
            meta = self.metas.get(deck_id)
            if meta is None or deck_id in self.removed_decks:
                self._values.pop(deck_id, None)
                self._rows.pop(deck_id, None)
                continue
            if deck_id in self._unread and deck_id in self._rows:
                # Only its name or description changed: the cards stay unread.
                self._values[deck_id] = self._unread_value(meta)
                continue
            listed_at = self.keys.get("deck-listing:" + deck_id)
            cards = [entry.card for entry in self.entries(deck_id) if entry.alive(listed_at)]
            self._values[deck_id] = Deck(id=meta.id, name=meta.name, kind=meta.kind, cards=cards,
                                         description=meta.description, revision=meta.revision)
            self._rows[deck_id] = self.progress.rows_for([card.id for card in cards])

    # -- made from a snapshot ------------------------------------------------------------------
    def add_unread_deck(self, meta: Deck, removed: bool, read: Callable[[], list[CardEntry]],
                        rows: list[int]) -> None:
        """A deck whose entries stay the snapshot's text until needed; `rows`: its seen cards'."""
        self.metas[meta.id] = Deck(id=meta.id, name=meta.name, kind=meta.kind,
                                   description=meta.description, revision=meta.revision)
        self.add_unread_book(meta.id, read)
        if removed:
            self.removed_decks.add(meta.id)
            return
        self._values[meta.id] = self._unread_value(meta)
        self._rows[meta.id] = rows

    def _unread_value(self, meta: Deck) -> LazyDeck:
        listed_at = self.keys.get("deck-listing:" + meta.id)
        return lazy_deck(meta, lambda: [
            entry.card for entry in self.entries(meta.id) if entry.alive(listed_at)])

    def add_unread_book(self, deck_id: DeckId, read: Callable[[], list[CardEntry]]) -> None:
        self._unread[deck_id] = read

    def park(self, parked: dict[CardId, DeckId]) -> None:
        """Say where the cards a learner does not see are kept (from a snapshot)."""
        self._parked.update(parked)

    def parked(self) -> dict[CardId, DeckId]:
        """Every card kept but not seen, and the deck (or loose place) keeping it."""
        self._settle()
        found = {card: deck for card, deck in self._parked.items()
                 if deck in self._unread}
        for deck_id, book in self._books.items():
            seen = deck_id in self._values
            listed_at = self.keys.get("deck-listing:" + deck_id)
            for card_id, entry in book.items():
                if not seen or deck_id == _LOOSE or not entry.alive(listed_at):
                    found[card_id] = deck_id
        return found

    def iter_entries(self) -> Iterator[CardEntry]:
        for deck_id in self.all_deck_ids():
            yield from self._book(deck_id).values()


_HANDLERS = {
    "grade": CollectionState._apply_grade,
    "progress": CollectionState._apply_progress,
    "grade_undone": CollectionState._apply_grade_undone,
    "deck": CollectionState._apply_deck,
    "deck_created": CollectionState._apply_deck_created,
    "deck_revised": CollectionState._apply_deck_revised,
    "deck_renamed": CollectionState._apply_deck_renamed,
    "deck_removed": CollectionState._apply_deck_removed,
    "card_added": CollectionState._apply_card_added,
    "card_edited": CollectionState._apply_card_edited,
    "card_moved": CollectionState._apply_card_moved,
    "card_removed": CollectionState._apply_card_removed,
    "card_suspended": CollectionState._apply_card_suspended,
    "card_buried": CollectionState._apply_card_buried,
    "card_flagged": CollectionState._apply_card_flagged,
    "setting": CollectionState._apply_setting,
    "setting_removed": CollectionState._apply_setting_removed,
    "preset_saved": CollectionState._apply_preset_saved,
    "deck_preset": CollectionState._apply_deck_preset,
}


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {value!r}")
    return value
