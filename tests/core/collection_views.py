"""What a person can see of a collection, for tests that compare two collections, and the way
those tests open one and study in it."""

from datetime import timezone

from flashcards.core.collection import Collection
from flashcards.core.progress import Rating


def open_collection(folder, clock, device="laptop", read_only=False):
    return Collection.open(folder, device, clock=clock, tz=timezone.utc, read_only=read_only)


def study(collection, clock, card_ids, rating=Rating.GOOD):
    """Show each card, wait 7 s, grade it; returns the review ids, in order."""
    graded = []
    for card_id in card_ids:
        collection.preview(card_id)
        clock.advance(seconds=7)
        graded.append(collection.grade(card_id, rating).created[0])
    return graded


def everything(collection, also_cards=()) -> dict:
    """Decks, every card's progress (and that of `also_cards`, which may be in no deck any more),
    today's counts, settings and the review history."""
    decks = {d.id: d for d in collection.decks()}
    cards = sorted({c.id for d in decks.values() for c in d.cards} | set(also_cards))
    return {
        "decks": decks,
        "progress": {card_id: collection.progress(card_id) for card_id in cards},
        "counts": {deck_id: collection.counts(deck_id) for deck_id in decks},
        "settings": collection.settings,
        "reviews": sorted(r.id for r in collection.reviews()),
    }


def applied(events: list[dict]):
    """The state a list of events adds up to, applied in the order given (copies: a state may
    keep what it is handed)."""
    from flashcards.core.state import CollectionState

    state = CollectionState()
    for event in events:
        state.apply(dict(event))
    return state


def applied_across_a_snapshot(events: list[dict], cut: int, rng):
    """The first `cut` events applied, the state written as a snapshot and read back, then the
    rest applied in a shuffled order: as a device meets events that arrive after its snapshot."""
    from flashcards.core.snapshot import decode, encode

    first, later = events[:cut], list(events[cut:])
    rng.shuffle(later)
    state, _header = decode(encode(applied(first), {}, "laptop"))
    for event in later:
        state.apply(dict(event))
    return state
