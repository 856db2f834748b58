"""Finding cards: Anki's search syntax over each card's facts, the order cards come in, and each
card's number of reviews."""

from dataclasses import replace
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Phase, Rating
from flashcards.core.search import CardFacts, SearchError, parse_search

NEW = dict(phase=Phase.NEW, due_day=None, interval_days=None, stability=None,
           last_review_day=None)


def card(front="", back="", deck="Default", tags=(), **facts) -> CardFacts:
    """A new card, unflagged, unless told otherwise."""
    values = dict(NEW, lapses=0, reps=0, suspended=False, buried=False, flag=0) | facts
    return CardFacts(front=front, back=back, deck=deck, tags=tuple(tags), **values)


def studied(due_day=0, phase=Phase.REVIEW, **facts) -> CardFacts:
    return card(phase=phase, due_day=due_day, **{"interval_days": 10, "stability": 12.0,
                                                 "last_review_day": 3, "reps": 4} | facts)


def matches(search: str, facts: CardFacts) -> bool:
    """The plain per-card answer, checked against the fast path over many cards."""
    parsed = parse_search(search)
    assert parsed.filter([facts]) == ([0] if parsed.matches(facts) else [])
    return parsed.matches(facts)


def fronts(search: str, cards: list[CardFacts]) -> list[str]:
    return [cards[i].front for i in parse_search(search).filter(cards)]


# -- decks (what the deck list and `cards deck:NAME` have always understood) ----------------------
@pytest.mark.parametrize("search, name, takes", [
    ("", "anything", True),
    ("deck:French", "french", True),
    ("deck:French", "French::Verbs", True),
    ("deck:French", "French words", False),
    ("deck:French", "Old French", False),
    ('deck:"French words"', "French words", True),
    ('"deck:French words"', "FRENCH WORDS", True),
    ("deck:Fr*ds", "French words", True),
    ("deck:*::Verbs", "French::Verbs", True),
    ("deck:*::Verbs", "Verbs", False),
    (r"deck:a\*b", "a*b", True),
    (r"deck:a\*b", "axb", False),
    ("deck:a.b", "axb", False),
    ("deck:a_b", "axb", True),
    (r"deck:a\_b", "axb", False),
    ("deck:*", "", True),
    # As in Anki, a space ends the deck name: this is deck French and the word "words".
    ("deck:French words", "French words", False),
    ("deck:French words", "French", True),
])
def test_a_deck_search_takes_names_as_anki_does(search, name, takes):
    assert parse_search(search).takes_deck(name) is takes
    assert matches(search, card("words", deck=name)) is takes


@pytest.mark.parametrize("search, name, takes", [
    ("deck:French is:new", "French", True),
    ("deck:French is:new", "Spanish", False),
    ("-deck:French", "French::Verbs", False),
    ("-deck:French", "Spanish", True),
    ("deck:French or tag:verb", "Spanish", True),
    ("deck:French or deck:Spanish", "German", False),
    ("-(deck:French cat)", "French", True),
    ("-(deck:French or cat)", "French", False),
])
def test_a_deck_is_left_out_only_when_its_name_alone_rules_it_out(search, name, takes):
    assert parse_search(search).takes_deck(name) is takes


# -- text -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("search, front, back, found", [
    ("dog", "underdog", "", True),
    ("dog", "", "Doggy", True),
    ("DOG", "a dog", "", True),
    ("dog", "d o g", "", False),
    ("straße", "STRASSE", "", True),
    ("café", "Café", "", True),
    ("cafe", "café", "", False),                       # accents as typed
    ("café", "cafe\u0301", "", True),                  # however the accent is encoded
    ("span", '<span style="color: red">red</span>', "", False),   # tags are not text
    ("red", '<span style="color: red">red</span>', "", True),
    ("example", "<b>exa</b>mple", "", True),
    ('"italy (the"', "Italy<br>(the country)", "", True),
    ("a&b", "a&amp;b", "", True),
    ("nbsp", "a&nbsp;b", "", False),
    ('"a dog"', "atta dog", "", True),
    ('"a dog"', "dog a", "", False),
    ('"a dog"', "adog", "", False),
    ('"a dog"', "a<br>dog", "", True),
    ("d*g", "dung", "", True),
    ("d*g", "dg", "", True),
    ("d_g", "dig", "", True),
    ("d_g", "dg", "", False),
    (r"d\*g", "dung", "", False),
    (r"d\*g", "d*g", "", True),
    (r"d\_g", "d_g", "", True),
    ("front*back", "front", "back", False),            # a wildcard stays on one side
    ("*og", "a dog", "", True),                        # a star at either end finds no more
    ("do*", "", "a dog", True),
    ("**d*g**", "a dig", "", True),
    ("*d*z*", "a dog", "", False),
    ("*", "", "", True),
    (r"dog\*", "dog", "", False),                      # an escaped star is text
    (r"dog\*", "dog*", "", True),
    (r"\(a\)", "(a)", "", True),
    ('"(a)"', "(a)", "", True),
    ("a-b", "a-b", "", True),
    (r"\-a", "-a", "", True),
    ("-", "-", "", True),
    (r"a\:b", "a:b", "", True),
])
def test_plain_words_are_found_in_either_side_as_anki_finds_them(search, front, back, found):
    assert matches(search, card(front, back)) is found


@pytest.mark.parametrize("search, front, found", [
    ("front:dog", "dog", True),
    ("front:dog", "a dog", False),
    ("front:DOG", "<b>Dog</b>", True),
    ("front:*dog*", "a dog here", True),
    ("front:dog*", "a dog", False),
    ('front:"a dog"', "a  dog", True),
    ('"front:a dog"', "a dog", True),
    ("front:", "", True),
    ("front:", "x", False),
    ("front:_*", "x", True),
    ("front:_*", "", False),
    ("front:*", "", True),
    ("Front:dog", "dog", True),
    ('front:"a b"', "a\x1fb", True),                   # any whitespace is a space
    ("back:dog", "dog", False),
    ("front:*og", "a dog", True),
    ("front:*og", "a dog?", False),
    ("front:*o*", "dog", True),
    ("front:**g", "dog", True),
    ("front:*cat", "dog", False),                      # not on the back either
    (r"front:*\*", "dog*", True),
    (r"front:*\*", "dog", False),
])
def test_a_field_search_matches_the_whole_side(search, front, found):
    assert matches(search, card(front, back="cat")) is found


def test_back_searches_the_back_alone():
    assert matches("back:cat", card("dog", "cat"))
    assert not matches("back:cat*", card("cat", "dog"))
    assert matches("back:*o*", card("cat", "dog"))
    assert not matches("back:*at", card("cat", "dog"))
    assert not matches("back:do", card("cat", "dog"))
    assert matches("back:*og", card("cat", "a dog"))
    assert not matches("back:d*", card("dog", "cat"))


def test_a_card_is_found_by_its_current_text():
    before = card("the old question")
    assert matches("old", before)
    after = replace(before, front="the new question")
    assert parse_search("old").filter([after]) == []
    assert parse_search("new").filter([before, after]) == [1]


# -- tags -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("search, tags, found", [
    ("tag:verb", ["verb"], True),
    ("tag:verb", ["Verb"], True),
    ("tag:VERB", ["verb"], True),
    ("tag:verb", ["verb::irregular"], True),
    ("tag:verb", ["verbs"], False),
    ("tag:verb", ["noun::verb"], False),
    ("tag:verb::irregular", ["verb::irregular::past"], True),
    ("tag:verb::irregular", ["verb"], False),
    ("tag:ver*", ["verbs"], True),
    ("tag:*erb", ["verb"], True),
    ("tag:v_rb", ["verb"], True),
    ("tag:verb", ["noun", "verb"], True),
    ("tag:verb", [], False),
    ("tag:none", [], True),
    ("tag:none", ["verb"], False),
    ("tag:*", [], True),
    ("-tag:verb", ["noun"], True),
])
def test_a_tag_search_takes_the_tag_and_its_subtags_in_any_case(search, tags, found):
    assert matches(search, card(tags=tags)) is found


# -- states, flags and properties -----------------------------------------------------------------
LEARNING, REVIEW, RELEARNING = Phase.LEARNING, Phase.REVIEW, Phase.RELEARNING


@pytest.mark.parametrize("search, taken", [
    ("is:new", {"new"}),
    ("is:learn", {"learning", "relearning"}),
    ("is:review", {"review", "relearning"}),
    ("is:learn is:review", {"relearning"}),
    ("-is:learn is:review", {"review"}),
    ("is:learn -is:review", {"learning"}),
])
def test_states_are_anki_s_learning_and_relearning_included(search, taken):
    cards = [card("new"), studied(phase=LEARNING, front="learning"),
             studied(phase=REVIEW, front="review"), studied(phase=RELEARNING, front="relearning")]
    assert set(fronts(search, cards)) == taken


@pytest.mark.parametrize("facts, due", [
    (studied(due_day=0), True),
    (studied(due_day=-3), True),
    (studied(due_day=1), False),
    (studied(due_day=0, phase=LEARNING), True),
    (studied(due_day=0, phase=RELEARNING), True),
    (card(), False),
    (studied(due_day=0, suspended=True), False),
    (studied(due_day=-1, buried=True), False),
])
def test_due_means_a_review_or_learning_card_waiting_today(facts, due):
    assert matches("is:due", facts) is due


def test_suspended_buried_and_flags_are_asked_as_marked():
    plain, suspended, buried = card("plain"), card("suspended", suspended=True), card(
        "buried", buried=True)
    flagged = [card(f"flag {flag}", flag=flag) for flag in range(8)]
    cards = [plain, suspended, buried, *flagged]
    assert fronts("is:suspended", cards) == ["suspended"]
    assert fronts("is:buried", cards) == ["buried"]
    assert fronts("flag:3", cards) == ["flag 3"]
    assert fronts("flag:0 -flag:0", cards) == []
    assert len(fronts("flag:0", cards)) == 4
    assert fronts("-flag:0", cards) == [f"flag {flag}" for flag in range(1, 8)]


@pytest.mark.parametrize("search, values, taken", [
    ("prop:ivl>10", [9, 10, 11], [11]),
    ("prop:ivl>=10", [9, 10, 11], [10, 11]),
    ("prop:ivl<10", [9, 10, 11], [9]),
    ("prop:ivl<=10", [9, 10, 11], [9, 10]),
    ("prop:ivl=10", [9, 10, 11], [10]),
    ("prop:ivl!=10", [9, 10, 11], [9, 11]),
    ("prop:ivl<5", [None, 7], [None]),                 # never scheduled: 0, as in Anki
    ("prop:reps>2", [2, 3], [3]),
    ("prop:lapses=0", [0, 1], [0]),
    ("prop:s>=2.5", [2.4, 2.5, None], [2.5]),
    ("prop:stability<3", [2.9, 3.0, None], [2.9]),       # no stability is never compared
    ("prop:stability!=3", [2.9, 3.0, None], [2.9]),
    ("prop:due=0", [-1, 0, 1], [0]),
    ("prop:due<0", [-2, 0, 1], [-2]),
    ("prop:due>-2", [-2, -1, 5], [-1, 5]),
])
def test_properties_compare_as_in_anki(search, values, taken):
    field = {"ivl": "interval_days", "reps": "reps", "lapses": "lapses", "s": "stability",
             "stability": "stability", "due": "due_day"}[search[5:].rstrip("<>=!-.0123456789")]
    cards = [studied(**{field: value, "front": str(value)}) for value in values]
    assert fronts(search, cards) == [str(value) for value in taken]


def test_prop_due_asks_only_cards_waiting_in_the_queue():
    cards = [studied(due_day=-1, front="waiting"), studied(due_day=-1, suspended=True),
             studied(due_day=-1, buried=True), card(front="new", due_day=-1)]
    assert fronts("prop:due<0", cards) == ["waiting"]
    assert fronts("prop:due=-1", cards) == ["waiting"]


@pytest.mark.parametrize("search, taken", [
    ("rated:1", ["today"]),
    ("rated:2", ["today", "yesterday"]),
    ("rated:365", ["today", "yesterday", "last month"]),
])
def test_rated_takes_cards_answered_in_the_last_days(search, taken):
    cards = [card("never"), studied(last_review_day=0, front="today"),
             studied(last_review_day=1, front="yesterday"),
             studied(last_review_day=30, front="last month")]
    assert fronts(search, cards) == taken


# -- combining ------------------------------------------------------------------------------------
ABC = [card(text) for text in ("a", "b", "c", "a b", "a c", "b c", "a b c")]


@pytest.mark.parametrize("search, taken", [
    ("a b", ["a b", "a b c"]),
    ("a and b", ["a b", "a b c"]),
    ("a AND b", ["a b", "a b c"]),
    ("a or b", ["a", "b", "a b", "a c", "b c", "a b c"]),
    ("a OR b", ["a", "b", "a b", "a c", "b c", "a b c"]),
    # As in Anki, where the terms become SQL: and binds tighter than or.
    ("a or b c", ["a", "a b", "a c", "b c", "a b c"]),
    ("a or (b c)", ["a", "a b", "a c", "b c", "a b c"]),
    ("(a or b) c", ["a c", "b c", "a b c"]),
    ("a b or c", ["c", "a b", "a c", "b c", "a b c"]),
    ("-a", ["b", "c", "b c"]),
    ("-a -b", ["c"]),
    ("-(a or b)", ["c"]),
    ("-a or b", ["b", "c", "a b", "b c", "a b c"]),
    ("-(a b) c", ["c", "a c", "b c"]),
    ("a -(b or c)", ["a"]),
    ("((a))", ["a", "a b", "a c", "a b c"]),
    ("  a\u3000 b  ", ["a b", "a b c"]),
    ('a"b"(c)', ["a b c"]),
    ("-and", ["a", "b", "c", "a b", "a c", "b c", "a b c"]),
])
def test_terms_combine_with_and_or_not_and_parentheses(search, taken):
    assert fronts(search, ABC) == taken


# -- what a search needs --------------------------------------------------------------------------
@pytest.mark.parametrize("search, text, progress", [
    ("", False, False),
    ("deck:French tag:verb", False, False),
    ("dog", True, False),
    ("front:dog", True, False),
    ("is:due", False, True),
    ("flag:1 or deck:x", False, True),
    ("-(dog or prop:ivl>3)", True, True),
])
def test_a_search_says_which_facts_it_needs(search, text, progress):
    parsed = parse_search(search)
    assert (parsed.needs_text, parsed.needs_progress) == (text, progress)


# -- errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("search, says", [
    ("(a", "Unclosed parenthesis."),
    ("(a (b)", "Unclosed parenthesis."),
    ("a)", "Unopened parenthesis: a ) has no ( before it."),
    ("(a) b)", "Unopened parenthesis: a ) has no ( before it."),
    ("()", "Empty parentheses: put a search between them."),
    ("a ( ) b", "Empty parentheses: put a search between them."),
    ('"a dog', 'Unclosed quote: a " needs another " after the text.'),
    ('deck:"French', 'Unclosed quote: a " needs another " after the text.'),
    ('"deck:x', 'Unclosed quote: a " needs another " after the text.'),
    ('""', "Empty quotes: put the text to search for between them."),
    ('deck:""', "Empty quotes: put the text to search for between them."),
    ("or a", '"or" needs a search on each side, as in dog or cat.'),
    ("a or", '"or" needs a search on each side, as in dog or cat.'),
    ("a and or b", '"or" needs a search on each side, as in dog or cat.'),
    ("and", '"and" needs a search on each side, as in dog and cat.'),
    (":a", ":a has nothing before its colon: write \\: to search for a colon."),
    (r"\f", r"\f is not an escape: write \\ to search for a backslash."),
    ("a\\", r"A \ on its own escapes nothing: write \\ to search for one."),
    ("deck:", 'deck: needs a deck name, as in deck:French or deck:"French words".'),
    ("tag:", "tag: needs a tag name, as in tag:verb or tag:none."),
    ("is:foo", "is:foo is not a known state: use is:new, is:learn, is:review, is:due, "
               "is:suspended or is:buried."),
    ("is:", "is: is not a known state: use is:new, is:learn, is:review, is:due, is:suspended "
            "or is:buried."),
    ("flag:8", "flag:8 is not a flag: use flag:0 (no flag) to flag:7."),
    ("flag:-1", "flag:-1 is not a flag: use flag:0 (no flag) to flag:7."),
    ("flag:red", "flag:red is not a flag: use flag:0 (no flag) to flag:7."),
    ("prop:ivl", "prop:ivl needs a comparison (= != < <= > >=), as in prop:ivl>10."),
    ("prop:ivl~3", "prop:ivl needs a comparison (= != < <= > >=), as in prop:ivl>10."),
    ("prop:ivl>x", "prop:ivl needs a number, as in prop:ivl>10."),
    ("prop:ivl>-1", "prop:ivl needs a number, as in prop:ivl>10."),
    ("prop:ivl>1.5", "prop:ivl needs a number, as in prop:ivl>10."),
    ("prop:due=0.5", "prop:due needs a number, as in prop:due<0."),
    ("prop:s>", "prop:s needs a number, as in prop:s>30."),
    ("prop:ease>2", "prop:ease>2 is not a known property: use prop:ivl, prop:due, prop:reps, "
                    "prop:lapses or prop:s."),
    ("rated:0", "rated:0 is not a number of days from 1 to 365: write rated:1 for today, rated:7 "
                "for the last week."),
    ("rated:366", "rated:366 is not a number of days from 1 to 365: write rated:1 for today, "
                  "rated:7 for the last week."),
    ("rated:7:1", "rated:7:1 is not a number of days from 1 to 365: write rated:1 for today, "
                  "rated:7 for the last week."),
    ("added:1", "added: searches are not supported here: use front:, back:, deck:, tag:, is:, "
                "flag:, prop: or rated:."),
    ("colour:red", "colour: is not a field or a search: use front:, back:, deck:, tag:, is:, "
                   "flag:, prop: or rated: (or write \\: to search for a colon)."),
])
def test_a_search_that_cannot_be_read_says_why_in_one_line(search, says):
    with pytest.raises(SearchError) as error:
        parse_search(search)
    assert str(error.value) == says


def test_an_error_message_stays_on_one_line_whatever_was_typed():
    for search in ("is:a\nb", '"is:new\n"', "prop:x\r\n<1", "fl\tag:x:"):
        with pytest.raises(SearchError) as error:
            parse_search(search)
        assert "\n" not in str(error.value) and "\r" not in str(error.value)


# -- properties: negation and the fast path -------------------------------------------------------
WORDS = ["dog", "Cat", "café", "a dog", "d*g", "c_t", "*og", "ca*", "front:dog", "back:*at*",
         "front:*og", "front:d*", "back:do", "back:*", "front:",
         "deck:French", "deck:French::*", 'deck:"Old French"', "tag:verb", "tag:none", "tag:v*",
         "is:new", "is:learn", "is:review", "is:due", "is:suspended", "is:buried", "flag:0",
         "flag:2", "prop:ivl>5", "prop:due<0", "prop:due=0", "prop:reps<=3", "prop:lapses!=0",
         "prop:s>10", "rated:1", "rated:7"]
searches = st.recursive(
    st.sampled_from(WORDS).map(lambda word: f'"{word}"' if " " in word and ":" not in word
                               else word),
    lambda inner: st.one_of(
        st.builds("{} {}".format, inner, inner), st.builds("{} or {}".format, inner, inner),
        st.builds("-({})".format, inner), st.builds("({})".format, inner)),
    max_leaves=6)
texts = st.sampled_from(["", "dog", "A <b>Dog</b>", "cat", "café", "cafe", "d*g", "dig",
                         "a&nbsp;dog", "<i>c</i>at", "dog\x1fcat", " Straße "])
optional_day = st.none() | st.integers(-5, 40)
cards = st.builds(
    CardFacts, front=texts, back=texts,
    deck=st.sampled_from(["French", "French::Verbs", "Old French", "Spanish"]),
    tags=st.lists(st.sampled_from(["verb", "Verb::past", "noun", "verbs"]), max_size=2).map(tuple),
    phase=st.sampled_from(list(Phase)), due_day=optional_day, interval_days=optional_day,
    lapses=st.integers(0, 4), reps=st.integers(0, 6),
    stability=st.none() | st.floats(0.1, 100), suspended=st.booleans(), buried=st.booleans(),
    flag=st.integers(0, 7), last_review_day=optional_day)


@given(search=searches, rows=st.lists(cards, max_size=12))
def test_a_negated_search_takes_exactly_the_cards_the_search_leaves(search, rows):
    parsed, negated = parse_search(search), parse_search(f"-({search})")
    for facts in rows:
        assert negated.matches(facts) is not parsed.matches(facts)
    taken = parsed.filter(rows)
    assert negated.filter(rows) == [i for i in range(len(rows)) if i not in taken]


@given(search=searches, rows=st.lists(cards, max_size=12))
def test_filtering_many_cards_agrees_with_asking_each(search, rows):
    parsed = parse_search(search)
    assert parsed.filter(rows) == [i for i, facts in enumerate(rows) if parsed.matches(facts)]
    # Again on new rows for the same cards, as a caller that rebuilds them would pass.
    assert parsed.filter([replace(facts) for facts in rows]) == parsed.filter(rows)
    for deck in {facts.deck for facts in rows if parsed.matches(facts)}:
        assert parsed.takes_deck(deck)


# -- the collection -------------------------------------------------------------------------------
@pytest.fixture
def collection(tmp_path):
    clock = FakeClock(datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc))
    with Collection.open(tmp_path / "data", "laptop", clock=clock, tz=timezone.utc) as col:
        for deck_id, name in (("b", "beta"), ("a", "Alpha"), ("c", "Alpha::Sub")):
            col.import_deck(Deck(deck_id, name, cards=[
                Card(f"{deck_id}-{i}", f"q{i}", f"a{i}") for i in (3, 1, 2)]))
        yield col


def test_cards_come_by_deck_name_then_in_each_decks_order(collection):
    assert [card.id for _deck, card in collection.find_cards()] == [
        "a-3", "a-1", "a-2", "c-3", "c-1", "c-2", "b-3", "b-1", "b-2"]
    assert [deck.name for deck, _card in collection.find_cards("deck:alpha")] == (
        ["Alpha"] * 3 + ["Alpha::Sub"] * 3)


def test_review_counts_count_each_cards_grades_in_the_history(collection):
    for card_id, ratings in (("a-3", [Rating.AGAIN, Rating.GOOD]), ("b-1", [Rating.EASY])):
        for rating in ratings:
            collection.grade(card_id, rating)
    counts = collection.review_counts()
    assert counts == {"a-3": 2, "b-1": 1}
    assert counts["a-1"] == 0
    assert sum(counts.values()) == len(collection.reviews())
