"""What a person can see of a collection, for tests that compare two collections."""


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
