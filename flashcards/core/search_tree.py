"""The parsed form of a search: a tree of nodes over CardFacts, and the text folding it reads.

search.py reads search text into this tree; each node answers for one card (test) or for many
at once (select), the faster way.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial, reduce
from itertools import compress, repeat
from operator import attrgetter, contains, is_not, not_, or_
from typing import Any

from .progress import Phase


class SearchError(ValueError):
    """Search text that cannot be read; the message says, in one line, what is wrong."""


@dataclass(frozen=True, slots=True)
class CardFacts:
    """What a search can ask about one card. Days count study days, as the study queue does."""

    front: str  # the card's HTML ("" will do when the search does not need_text)
    back: str
    deck: str  # the full name, as in French::Verbs
    tags: tuple[str, ...]
    phase: Phase  # NEW for a card never graded
    due_day: int | None  # days from today (-2: two days overdue); None for a new card
    interval_days: int | None  # the gap it was last scheduled for; None counts as 0, as in Anki
    lapses: int
    reps: int
    stability: float | None
    suspended: bool
    buried: bool
    flag: int  # a colour 1-7 as in Anki, 0 for none
    last_review_day: int | None  # days before today of the last grade (0: today); None: never
    # The folded text searches read, remembered on first use (see _over_texts).
    _searched: str | None = field(default=None, init=False, repr=False, compare=False)


# -- the parsed tree ------------------------------------------------------------------------------
# Each node answers for one card (test), for a list of cards at once (flags: True or False per
# card, computed by map and compress over C methods where they can answer, so no Python code runs
# per card), and for a whole deck (verdict: True or False when the deck name alone decides, None
# when its cards must be asked). `select` gives the indices among `idx` (None: all) that match.

TEXT, PROGRESS = "text", "progress"
_DECK = attrgetter("deck")


class Node:
    needs: frozenset[str] = frozenset()
    cost = 1  # a conjunction asks its cheapest terms first, so costly ones see fewer cards
    deck_only = False  # whether the verdict always decides: then each distinct deck is asked once

    def test(self, facts: CardFacts) -> bool:
        raise NotImplementedError

    def verdict(self, deck: str) -> bool | None:
        return None

    def select(self, rows: Sequence[CardFacts], idx: list[int] | None) -> list[int]:
        if idx is None:
            return list(compress(range(len(rows)), self.flags(rows)))
        return list(compress(idx, self.flags(list(map(rows.__getitem__, idx)))))

    def flags(self, cards: Sequence[CardFacts]) -> Iterable[bool]:
        if self.deck_only:
            decks = list(map(_DECK, cards))
            taken = {deck for deck in set(decks) if self.verdict(deck)}
            return map(taken.__contains__, decks)
        return self.card_flags(cards)

    def card_flags(self, cards: Sequence[CardFacts]) -> Iterable[bool]:
        return map(self.test, cards)


class Every(Node):
    deck_only = True

    def test(self, facts):
        return True

    def select(self, rows, idx):
        return list(range(len(rows))) if idx is None else idx

    def verdict(self, deck):
        return True


class Group(Node):
    def __init__(self, terms: list[Node]) -> None:
        self.terms = terms
        self.needs = frozenset().union(*(term.needs for term in terms))
        self.cost = max(term.cost for term in terms)
        self.deck_only = all(term.deck_only for term in terms)


class And(Group):
    def __init__(self, terms: list[Node]) -> None:
        super().__init__(sorted(terms, key=lambda term: term.cost))

    def test(self, facts):
        return all(term.test(facts) for term in self.terms)

    def verdict(self, deck):
        verdicts = [term.verdict(deck) for term in self.terms]
        return False if False in verdicts else None if None in verdicts else True

    def select(self, rows, idx):
        if self.deck_only:
            return super().select(rows, idx)
        for term in self.terms:  # each term asks only the cards the ones before it took
            idx = term.select(rows, idx)
            if not idx:
                break
        return idx

    def card_flags(self, cards):
        taken = set(self.select(cards, None))
        return map(taken.__contains__, range(len(cards)))


class Or(Group):
    def test(self, facts):
        return any(term.test(facts) for term in self.terms)

    def verdict(self, deck):
        verdicts = [term.verdict(deck) for term in self.terms]
        return True if True in verdicts else None if None in verdicts else False

    def card_flags(self, cards):
        return reduce(partial(map, or_), (term.flags(cards) for term in self.terms))


class Not(Node):
    def __init__(self, term: Node) -> None:
        self.term, self.needs, self.cost = term, term.needs, term.cost
        self.deck_only = term.deck_only

    def test(self, facts):
        return not self.term.test(facts)

    def verdict(self, deck):
        verdict = self.term.verdict(deck)
        return None if verdict is None else not verdict

    def card_flags(self, cards):
        return map(not_, self.term.flags(cards))


class Text(Node):
    """Plain words: in the folded text of either side, as a literal or a wildcard pattern."""

    needs, cost = frozenset({TEXT}), 3

    def __init__(self, value: str) -> None:
        source, self.literal = _glob(value, _STAR, _ONE)
        # A star at either end adds nothing to a search anywhere in the text, but it would have
        # the search try every length of it, from every place.
        self.search = re.compile(_without_end_stars(_without_start_stars(source))).search

    def test(self, facts):
        return self._found(_fold_html(facts.front)) or self._found(_fold_html(facts.back))

    def _found(self, text: str) -> bool:
        return self.literal in text if self.literal is not None else bool(self.search(text))

    def card_flags(self, cards):
        return _over_texts(self.text_flags, cards)

    def text_flags(self, texts: Iterable[str]) -> list[bool]:
        if self.literal is not None:
            return list(map(contains, texts, repeat(self.literal)))
        return list(map(is_not, map(self.search, texts), repeat(None)))


class Field(Node):
    """front:TEXT or back:TEXT: the whole side, folded, is the text (wildcards allowed)."""

    needs, cost = frozenset({TEXT}), 3

    def __init__(self, side: str, value: str) -> None:
        self.side, (source, _) = attrgetter(side), _glob(value, _STAR, _ONE)
        self.fullmatch = re.compile(source).fullmatch
        # Over the folded "front\x1fback" of a card, whose one \x1f wildcards never cross: the
        # back is what follows it; the front what comes before it, which a front starting with a
        # star lets the search look for anywhere, jumping to where its text is.
        if side == "back":
            self.find = re.compile(f"\x1f(?:{source})\\Z").search
        elif source.startswith(_STAR):
            self.find = re.compile(f"(?:{_without_start_stars(source)})\x1f").search
        else:
            self.find = re.compile(f"(?:{source})\x1f").match

    def test(self, facts):
        return self.fullmatch(_fold_html(self.side(facts))) is not None

    def card_flags(self, cards):
        return _over_texts(self.text_flags, cards)

    def text_flags(self, texts: Iterable[str]) -> list[bool]:
        return list(map(is_not, map(self.find, texts), repeat(None)))


class Named(Node):
    """deck:NAME or tag:NAME: the name or a parent of it, any case. Each distinct deck (or set of
    tags) is answered once per select, so the thousands of cards in a deck cost one match."""

    cost = 1

    def __init__(self, field: str, value: str, star: str, one: str) -> None:
        self.field, self.deck_only = field, field == "deck"
        self.none = field == "tags" and value.lower() == "none"
        source = _glob(value, star, one, fold=_nfc)[0]
        self.match = re.compile(f"(?:{source})(?:::.*)?", re.IGNORECASE | re.DOTALL).fullmatch

    def answer(self, value: str | tuple[str, ...]) -> bool:
        if self.field == "deck":
            return self.match(_nfc(value)) is not None
        if self.none:
            return not value
        return any(self.match(_nfc(tag)) for tag in value)

    def test(self, facts):
        return self.answer(getattr(facts, self.field))

    def card_flags(self, cards):
        values = list(map(attrgetter(self.field), cards))
        taken = {value for value in set(values) if self.answer(value)}
        return map(taken.__contains__, values)

    def verdict(self, deck):
        return self.answer(deck) if self.field == "deck" else None


class Check(Node):
    """A question about the card's scheduling: `accept` asks it of the field's value (of the
    whole card when field is None)."""

    needs, cost = frozenset({PROGRESS}), 2

    def __init__(self, field: str | None, accept: Callable[[Any], object]) -> None:
        self.get, self.accept = attrgetter(field) if field else None, accept

    def test(self, facts):
        return bool(self.accept(self.get(facts) if self.get else facts))

    def select(self, rows, idx):
        if idx is None:
            return super().select(rows, idx)
        # Read from the rows as it goes: no list of the cards taken so far to make first.
        return list(compress(idx, self.card_flags(map(rows.__getitem__, idx))))

    def card_flags(self, cards):
        return map(self.accept, map(self.get, cards) if self.get else cards)


# -- wildcards and folded text --------------------------------------------------------------------
_ESCAPABLE = '\\"():-*_'
# In card text a wildcard stays within one side: folded text never holds \x1f (a space to split).
_STAR, _ONE = "[^\x1f]*", "[^\x1f]"


def _glob(value: str, star: str, one: str, fold: Callable[[str], str] | None = None
          ) -> tuple[str, str | None]:
    """Anki's wildcards in `value` as a regular expression over folded text; and the folded text
    itself when it has no wildcard. Raises SearchError for an escape Anki does not know."""
    fold = fold or _fold_query
    parts, run, wild, at = [], [], False, 0
    while at < len(value):
        char = value[at]
        if char == "\\":
            escaped = value[at + 1:at + 2]
            if not escaped or escaped not in _ESCAPABLE:
                raise SearchError(f"\\{shown(escaped)} is not an escape: write \\\\ to search "
                                  "for a backslash.")
            run.append(escaped)
            at += 2
            continue
        if char in "*_":
            parts += [re.escape(fold("".join(run))), star if char == "*" else one]
            run, wild = [], True
        else:
            run.append(char)
        at += 1
    literal = fold("".join(run))
    parts.append(re.escape(literal))
    return "".join(parts), None if wild else literal


def _without_start_stars(source: str) -> str:
    """A pattern from _glob without the stars it starts with."""
    while source.startswith(_STAR):
        source = source[len(_STAR):]
    return source


def _without_end_stars(source: str) -> str:
    """A pattern from _glob without the stars it ends with (an escaped star is not one)."""
    while source.endswith(_STAR):
        source = source[:-len(_STAR)]
    return source


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_WHITESPACE = re.compile(r"\s+")


def _fold_query(text: str) -> str:
    return _WHITESPACE.sub(" ", _nfc(text).casefold())


# Tags that start a new line or cell become a space, so words either side stay apart.
_BREAK = re.compile(r"</?(?:br|p|div|li|ul|ol|tr|td|th|table|h[1-6]|hr|blockquote|pre)\b[^>]*>",
                    re.IGNORECASE)
_MARKUP = re.compile(r"<!--.*?-->|<(style|script)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)


def _fold_html(fragment: str) -> str:
    """Card HTML as the text a search reads: no tags, entities decoded, any case, one space."""
    if "<" in fragment:
        fragment = _MARKUP.sub("", _BREAK.sub(" ", fragment))
    if "&" in fragment:
        fragment = html.unescape(fragment)
    # lower() is casefold() for ASCII, and ten times faster; spaces are tidied only where needed.
    text = fragment.lower() if fragment.isascii() else _nfc(fragment).casefold()
    if "  " in text or not text.isprintable() or text[:1] == " " or text[-1:] == " ":
        return " ".join(text.split())
    return text


_FOLDED: dict[tuple[str, str], str] = {}
_FOLDED_LIMIT = 500_000


def _over_texts(flags: Callable[[Iterable[str]], list[bool]], cards: Sequence[CardFacts]
                ) -> list[bool]:
    """`flags` asked of each card's folded "front\x1fback". Folding every card for every search
    takes longer than the search itself (benchmarks/search_bench.py: cold_ms), so a card's text is
    folded once: kept on its CardFacts, for a caller that keeps its rows, and by its texts, for
    one that rebuilds them."""
    try:  # in one pass over the texts kept on the cards, the usual case
        return flags(map(_SEARCHED, cards))
    except TypeError:  # a card without one (None) is new here: fold what is missing, ask again
        texts = list(map(_SEARCHED, cards))
        for at, facts in enumerate(cards):
            if texts[at] is None:
                texts[at] = _remember(facts)
        return flags(texts)


def _remember(facts: CardFacts) -> str:
    key = (facts.front, facts.back)
    if (text := _FOLDED.get(key)) is None:
        if len(_FOLDED) >= _FOLDED_LIMIT:  # card texts change: start afresh now and then
            _FOLDED.clear()
        text = _FOLDED[key] = f"{_fold_html(facts.front)}\x1f{_fold_html(facts.back)}"
    object.__setattr__(facts, "_searched", text)
    return text


_SEARCHED = attrgetter("_searched")

def shown(text: str) -> str:
    """User text inside a one-line message."""
    return " ".join(text.split()) if any(char in text for char in "\r\n\t\v\f") else text
