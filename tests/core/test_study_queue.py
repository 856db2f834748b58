"""The study rules, read from the progress columns, against the rules written out card by card."""

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.core.clock import FakeClock, day_bounds, study_day
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Phase, Rating
from flashcards.core.study_queue import LEARN_AHEAD

UTC = timezone.utc
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def by_the_rules(collection, deck_id):
    """Counts, next card and next due worked out one card at a time, as the README states them."""
    now, settings_ = collection.clock.now(), collection.settings
    day = study_day(now, settings_.rollover_hour, UTC)
    start, end = day_bounds(day, settings_.rollover_hour, UTC)
    cards = collection.deck(deck_id).cards
    progress = {card.id: collection.progress(card.id) for card in cards}
    studied = [p for p in progress.values() if p is not None]
    new_today = sum(1 for p in studied if p.first_review and start <= p.first_review < end)
    done_today = sum(1 for p in studied
                     if p.last_review_graded and start <= p.last_review_graded < end)
    new_left = max(0, settings_.new_per_day - new_today)
    reviews_left = max(0, settings_.reviews_per_day - done_today)
    learning = [(p.due, c) for c in cards if (p := progress[c.id])
                and p.phase in (Phase.LEARNING, Phase.RELEARNING)]
    due_learning = [pair for pair in learning if pair[0] <= now]
    soon = [pair for pair in learning if now < pair[0] <= now + LEARN_AHEAD]
    reviews = [(p.due, c) for c in cards if (p := progress[c.id])
               and p.phase not in (Phase.LEARNING, Phase.RELEARNING) and p.due < end]
    new = [c for c in cards if progress[c.id] is None]
    counts = (min(len(new), new_left), len(due_learning) + len(soon),
              min(len(reviews), reviews_left))
    first = lambda pairs: min(pairs, key=lambda pair: pair[0])[1]  # noqa: E731
    if due_learning:
        card = first(due_learning)
    elif reviews and reviews_left:
        card = first(reviews)
    elif new and new_left:
        card = new[0]
    else:
        card = first(soon) if soon else None
    waits = [end for c in cards if progress[c.id] is None]
    for c in cards:
        p = progress[c.id]
        if p is None:
            continue
        if p.phase in (Phase.LEARNING, Phase.RELEARNING):
            waits.append(max(p.due - LEARN_AHEAD, now))
        elif p.due < end:
            waits.append(end)
        else:
            waits.append(day_bounds(study_day(p.due, settings_.rollover_hour, UTC),
                                    settings_.rollover_hour, UTC)[0])
    return counts, card, min(waits, default=None)


steps = st.lists(st.tuples(st.sampled_from(list(Rating)), st.integers(0, 3 * 24 * 60)),
                 min_size=0, max_size=40)


@settings(max_examples=40)
@given(steps=steps, limit=st.integers(0, 6), size=st.integers(0, 12))
def test_the_queue_follows_the_rules_card_by_card(tmp_path_factory, steps, limit, size):
    folder = tmp_path_factory.mktemp("queue")
    clock = FakeClock(START)
    with Collection.open(folder, "laptop", clock=clock, tz=UTC) as collection:
        collection.change_setting("new_per_day", limit)
        collection.change_setting("reviews_per_day", limit + 2)
        collection.import_deck(Deck("d", "D", cards=[Card(f"c{i}", f"q{i}", f"a{i}")
                                                     for i in range(size)]))
        for rating, minutes in steps:
            clock.advance(timedelta(minutes=minutes))
            counts, card, next_due = by_the_rules(collection, "d")
            shown = collection.counts("d")
            assert (shown.new, shown.learning, shown.due) == counts
            assert collection.next_card("d") == card
            assert collection.next_due("d") == next_due
            if card is not None:
                collection.preview(card.id)
                collection.grade(card.id, rating)
