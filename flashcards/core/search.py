"""Which cards a search names, in Anki's search syntax (see Anki's manual, "Searching").

    dog            front or back holds "dog" (any case, accents as typed; HTML tags are not text)
    "a dog"        the phrase; d*g and d_g: * is any run of characters, _ any one
    front:dog      the whole front is "dog" (front:*dog* holds it); back: likewise; front: empty
    deck:French    that deck and its subdecks (French::Verbs), any case, * wildcard, deck:"a b"
    tag:verb       tagged verb or a subtag (verb::irregular), any case, * wildcard; tag:none
    is:new  is:learn (learning or relearning)  is:review (review or relearning)
    is:due (a review or learning card due today)  is:suspended  is:buried
    flag:1         flag 0 (none) to 7
    prop:ivl>=10   also due (days from today), reps, lapses, s (stability); = != < <= > >=
    rated:7        answered in the last 7 days (rated:1: today)

Terms separated by spaces must all match; `or` between them takes either, and as in Anki `and`
binds tighter: `a or b c` is `a or (b and c)`. `-` before a term or a parenthesised group negates
it. A backslash takes away a character's meaning: `\\*`, `\\_`, `\\"`, `\\:`, `\\(`, `\\)`, `\\-`,
`\\\\`. Searches run over CardFacts, a plain view of each card that the caller builds.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial, reduce
from itertools import compress, repeat
from operator import attrgetter, contains, eq, ge, gt, is_, le, lt, ne, not_, or_
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

_TEXT, _PROGRESS = "text", "progress"
_DECK = attrgetter("deck")


class _Node:
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


class _Every(_Node):
    deck_only = True

    def test(self, facts):
        return True

    def select(self, rows, idx):
        return list(range(len(rows))) if idx is None else idx

    def verdict(self, deck):
        return True


class _Group(_Node):
    def __init__(self, terms: list[_Node]) -> None:
        self.terms = terms
        self.needs = frozenset().union(*(term.needs for term in terms))
        self.cost = max(term.cost for term in terms)
        self.deck_only = all(term.deck_only for term in terms)


class _And(_Group):
    def __init__(self, terms: list[_Node]) -> None:
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


class _Or(_Group):
    def test(self, facts):
        return any(term.test(facts) for term in self.terms)

    def verdict(self, deck):
        verdicts = [term.verdict(deck) for term in self.terms]
        return True if True in verdicts else None if None in verdicts else False

    def card_flags(self, cards):
        return reduce(partial(map, or_), (term.flags(cards) for term in self.terms))


class _Not(_Node):
    def __init__(self, term: _Node) -> None:
        self.term, self.needs, self.cost = term, term.needs, term.cost
        self.deck_only = term.deck_only

    def test(self, facts):
        return not self.term.test(facts)

    def verdict(self, deck):
        verdict = self.term.verdict(deck)
        return None if verdict is None else not verdict

    def card_flags(self, cards):
        return map(not_, self.term.flags(cards))


class _Text(_Node):
    """Plain words: in the folded text of either side, as a literal or a wildcard pattern."""

    needs, cost = frozenset({_TEXT}), 3

    def __init__(self, value: str) -> None:
        source, self.literal, self.part = _glob(value, _STAR, _ONE)
        self.search = re.compile(source).search

    def test(self, facts):
        return self._found(_fold_html(facts.front)) or self._found(_fold_html(facts.back))

    def _found(self, text: str) -> bool:
        return self.literal in text if self.literal is not None else bool(self.search(text))

    def card_flags(self, cards):
        return _over_texts(self.text_flags, cards)

    def text_flags(self, texts: Iterable[str]) -> list[bool]:
        if self.literal is not None:
            return list(map(contains, texts, repeat(self.literal)))
        part, search = self.part, self.search  # a quick look for the longest literal part first
        return [part in text and search(text) is not None for text in texts]


class _Field(_Node):
    """front:TEXT or back:TEXT: the whole side, folded, is the text (wildcards allowed)."""

    needs, cost = frozenset({_TEXT}), 3

    def __init__(self, side: str, value: str) -> None:
        self.side, (source, _, self.part) = attrgetter(side), _glob(value, _STAR, _ONE)
        self.fullmatch = re.compile(source).fullmatch
        # Over the folded "front\x1fback" of a card (wildcards never cross the \x1f).
        pattern = f"(?:{source})\x1f" if side == "front" else f"[^\x1f]*\x1f(?:{source})\\Z"
        self.match = re.compile(pattern).match

    def test(self, facts):
        return self.fullmatch(_fold_html(self.side(facts))) is not None

    def card_flags(self, cards):
        return _over_texts(self.text_flags, cards)

    def text_flags(self, texts: Iterable[str]) -> list[bool]:
        part, match = self.part, self.match
        return [part in text and match(text) is not None for text in texts]


class _Named(_Node):
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


class _Check(_Node):
    """A question about the card's scheduling: `accept` asks it of the field's value (of the
    whole card when field is None)."""

    needs, cost = frozenset({_PROGRESS}), 2

    def __init__(self, field: str | None, accept: Callable[[Any], object]) -> None:
        self.get, self.accept = attrgetter(field) if field else None, accept

    def test(self, facts):
        return bool(self.accept(self.get(facts) if self.get else facts))

    def card_flags(self, cards):
        return map(self.accept, map(self.get, cards) if self.get else cards)


# -- the public face ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Search:
    """A parsed search; empty text takes every card."""

    text: str = ""
    root: _Node = _Every()

    def matches(self, facts: CardFacts) -> bool:
        return self.root.test(facts)

    def filter(self, rows: Sequence[CardFacts]) -> list[int]:
        """The indices of the rows that match, ascending: the same cards as `matches`, faster for
        many. A card's text is folded for searching once, then remembered: on its CardFacts (so
        a caller that keeps its rows between searches pays nothing more) and by its text."""
        return self.root.select(rows, None)

    def takes_deck(self, name: str) -> bool:
        """Whether some card in the deck of that full name could match: False only when the
        search's deck terms alone rule the deck out."""
        return self.root.verdict(name) is not False

    @property
    def needs_text(self) -> bool:
        """Whether CardFacts.front and back must be filled in (else "" will do)."""
        return _TEXT in self.root.needs

    @property
    def needs_progress(self) -> bool:
        """Whether the scheduling facts (phase to last_review_day) must be filled in."""
        return _PROGRESS in self.root.needs


def parse_search(text: str) -> Search:
    """The search `text` names; empty text takes every card. Raises SearchError."""
    text = text.strip(_SPACE)
    return Search(text, _Reader(text).search() if text else _Every())


# -- reading the text -----------------------------------------------------------------------------
_SPACE = " \u3000"  # as in Anki: a space or an ideographic space separates terms
_AND, _OR = "and", "or"
# key:"quoted value", the key free of quotes, parentheses, colons and spaces (escapes allowed)
_KEY_BEFORE_QUOTE = re.compile(r'((?:[^"():\\ \u3000]|\\[^ \u3000])+):"')


class _Reader:
    """Anki's grammar: terms, `and`/`or` between them, `-` and parentheses."""

    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0

    def search(self) -> _Node:
        items = self._items()
        if self.pos < len(self.text):  # only an unmatched ) stops the items early
            raise SearchError("Unopened parenthesis: a ) has no ( before it.")
        return _combined(items)

    def _items(self) -> list:
        """Terms alternating with operators, an `and` put in where two terms meet."""
        items: list = []
        while (item := self._item()) is not None:
            if len(items) % 2 == 0 and item in (_AND, _OR):
                raise _misplaced(item)
            if len(items) % 2 == 1 and item not in (_AND, _OR):
                items.append(_AND)
            items.append(item)
        if items and items[-1] in (_AND, _OR):
            raise _misplaced(items[-1])
        return items

    def _item(self) -> _Node | str | None:
        text = self.text
        while self.pos < len(text) and text[self.pos] in _SPACE:
            self.pos += 1
        if self.pos == len(text) or text[self.pos] == ")":
            return None
        if text[self.pos] == "(":
            return self._group()
        if text[self.pos] == "-" and text[self.pos + 1:self.pos + 2] not in ("", *_SPACE, ")"):
            self.pos += 1
            return _Not(self._group() if text[self.pos] == "(" else self._term(negated=True))
        return self._term()

    def _group(self) -> _Node:
        self.pos += 1
        items = self._items()
        if self.pos == len(self.text):
            raise SearchError("Unclosed parenthesis.")
        self.pos += 1
        if not items:
            raise SearchError("Empty parentheses: put a search between them.")
        return _combined(items)

    def _term(self, negated: bool = False) -> _Node | str:
        text, start = self.text, self.pos
        if text[start] == '"':
            return _leaf(self._quoted())
        if key := _KEY_BEFORE_QUOTE.match(text, start):
            self.pos = key.end() - 1
            return _keyed(key.group(1), self._quoted())
        while self.pos < len(text) and text[self.pos] not in _SPACE + '"()':
            if text[self.pos] == "\\":
                if self.pos + 1 == len(text) or text[self.pos + 1] in _SPACE:
                    raise SearchError(r"A \ on its own escapes nothing: write \\ to search "
                                      "for one.")
                self.pos += 1
            self.pos += 1
        word = text[start:self.pos]
        if not negated and word.lower() in (_AND, _OR):
            return word.lower()
        return _leaf(word)

    def _quoted(self) -> str:
        text, end = self.text, self.pos + 1
        while end < len(text) and text[end] != '"':
            end += 2 if text[end] == "\\" else 1
        if end >= len(text):
            raise SearchError('Unclosed quote: a " needs another " after the text.')
        inside, self.pos = text[self.pos + 1:end], end + 1
        if not inside:
            raise SearchError('Empty quotes: put the text to search for between them.')
        return inside


def _misplaced(operator: str) -> SearchError:
    return SearchError(f'"{operator}" needs a search on each side, as in dog {operator} cat.')


def _combined(items: list) -> _Node:
    """As in Anki (whose terms become SQL), `and` binds tighter than `or`."""
    alternatives: list[list[_Node]] = [[]]
    for item in items:
        if item == _OR:
            alternatives.append([])
        elif item != _AND:
            alternatives[-1].append(item)
    terms = [group[0] if len(group) == 1 else _And(group) for group in alternatives]
    return terms[0] if len(terms) == 1 else _Or(terms)


def _leaf(term: str) -> _Node:
    """A term without operators: plain text, or key:value at the first unescaped colon."""
    at = 0
    while at < len(term) and term[at] != ":":
        at += 2 if term[at] == "\\" else 1
    if at >= len(term):
        return _Text(term)
    if at == 0:
        raise SearchError(f"{_shown(term)} has nothing before its colon: write \\: to search "
                          "for a colon.")
    return _keyed(term[:at], term[at + 1:])


_UNSUPPORTED = {"added", "edited", "introduced", "resched", "note", "card", "did", "mid", "nid",
                "cid", "re", "nc", "sc", "w", "dupe", "has-cd", "preset"}
_KEYS = "front:, back:, deck:, tag:, is:, flag:, prop: or rated:"


def _keyed(key: str, value: str) -> _Node:
    name = key.lower()
    if name == "deck":
        if not value:
            raise SearchError('deck: needs a deck name, as in deck:French or deck:"French words".')
        return _Named("deck", value, ".*", ".")
    if name == "tag":
        if not value:
            raise SearchError("tag: needs a tag name, as in tag:verb or tag:none.")
        if value == "*":  # as in Anki: every card, tagged or not
            return _Every()
        return _Named("tags", value, r"\S*", r"\S")
    if name in ("front", "back"):
        return _Field(name, value)
    if name in _READERS:
        return _READERS[name](value)
    if name in _UNSUPPORTED:
        raise SearchError(f"{_shown(key)}: searches are not supported here: use {_KEYS}.")
    raise SearchError(f"{_shown(key)}: is not a field or a search: use {_KEYS} (or write \\: "
                      "to search for a colon).")


_QUEUED = frozenset({Phase.LEARNING, Phase.REVIEW, Phase.RELEARNING})


def _waiting(facts: CardFacts) -> bool:
    """Whether Anki's queue holds the card, as is:due and prop:due ask: suspended, buried and new
    cards are not in it."""
    return facts.phase in _QUEUED and not facts.suspended and not facts.buried


_STATES: dict[str, tuple[str | None, Callable[[Any], object]]] = {
    "new": ("phase", partial(is_, Phase.NEW)),
    "learn": ("phase", frozenset({Phase.LEARNING, Phase.RELEARNING}).__contains__),
    "review": ("phase", frozenset({Phase.REVIEW, Phase.RELEARNING}).__contains__),
    "due": (None, lambda f: _waiting(f) and f.due_day is not None and f.due_day <= 0),
    "suspended": ("suspended", bool),
    "buried": ("buried", bool),
}


def _state(value: str) -> _Check:
    if (check := _STATES.get(value.lower())) is None:
        raise SearchError(f"is:{_shown(value)} is not a known state: use is:new, is:learn, "
                          "is:review, is:due, is:suspended or is:buried.")
    return _Check(*check)


def _flag(value: str) -> _Check:
    if not (value.isascii() and value.isdigit() and int(value) <= 7):
        raise SearchError(f"flag:{_shown(value)} is not a flag: use flag:0 (no flag) to flag:7.")
    return _Check("flag", partial(eq, int(value)))


def _rated(value: str) -> _Check:
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= 365):
        raise SearchError(f"rated:{_shown(value)} is not a number of days from 1 to 365: write "
                          "rated:1 for today, rated:7 for the last week.")
    days = int(value)
    return _Check("last_review_day", lambda day: day is not None and day < days)


# The comparison with the number written first: prop:reps>10 asks 10 < reps.
_COMPARE = {"<=": ge, ">=": le, "!=": ne, "=": eq, "<": gt, ">": lt}
_PROP = re.compile(r"([a-z]+)(<=|>=|!=|=|<|>)?(.*)", re.DOTALL)
_WHOLE, _SIGNED, _DECIMAL = r"\d+", r"-?\d+", r"\d+(?:\.\d*)?|\.\d+"
# Each property: how its number is written, an example, and the check given the comparison.
_PROPERTIES: dict[str, tuple[str, str, Callable[[Callable[[Any], bool]], _Check]]] = {
    # A card never graded has interval 0 in Anki, so prop:ivl<5 takes new cards too.
    "ivl": (_WHOLE, ">10", lambda test: _Check("interval_days", lambda days: test(days or 0))),
    "due": (_SIGNED, "<0", lambda test: _Check(None, lambda f: _waiting(f) and f.due_day
                                                 is not None and test(f.due_day))),
    "reps": (_WHOLE, ">10", lambda test: _Check("reps", test)),
    "lapses": (_WHOLE, ">3", lambda test: _Check("lapses", test)),
    "s": (_DECIMAL, ">30", lambda test: _Check("stability", lambda s: s is not None and test(s))),
}
_PROPERTIES["stability"] = _PROPERTIES["s"]


def _prop(value: str) -> _Check:
    parts = _PROP.fullmatch(value.lower())
    if parts is None or parts.group(1) not in _PROPERTIES:
        raise SearchError(f"prop:{_shown(value)} is not a known property: use prop:ivl, "
                          "prop:due, prop:reps, prop:lapses or prop:s.")
    name, operator, number = parts.groups()
    form, example, check = _PROPERTIES[name]
    if operator is None:
        raise SearchError(f"prop:{name} needs a comparison (= != < <= > >=), as in "
                          f"prop:{name}{example}.")
    if not re.fullmatch(form, number, re.ASCII):
        raise SearchError(f"prop:{name} needs a number, as in prop:{name}{example}.")
    return check(partial(_COMPARE[operator], float(number) if form == _DECIMAL else int(number)))


_READERS = {"is": _state, "flag": _flag, "rated": _rated, "prop": _prop}


def _shown(text: str) -> str:
    """User text inside a one-line message."""
    return " ".join(text.split()) if any(char in text for char in "\r\n\t\v\f") else text


# -- wildcards and folded text --------------------------------------------------------------------
_ESCAPABLE = '\\"():-*_'
# In card text a wildcard stays within one side: folded text never holds \x1f (a space to split).
_STAR, _ONE = "[^\x1f]*", "[^\x1f]"


def _glob(value: str, star: str, one: str, fold: Callable[[str], str] | None = None
          ) -> tuple[str, str | None, str]:
    """Anki's wildcards in `value` as a regular expression over folded text; the folded text
    itself when it has no wildcard; and its longest part without one, which any match holds.
    Raises SearchError for an escape Anki does not know."""
    fold = fold or _fold_query
    parts, literals, run, wild, at = [], [], [], False, 0
    while at < len(value):
        char = value[at]
        if char == "\\":
            escaped = value[at + 1:at + 2]
            if not escaped or escaped not in _ESCAPABLE:
                raise SearchError(f"\\{_shown(escaped)} is not an escape: write \\\\ to search "
                                  "for a backslash.")
            run.append(escaped)
            at += 2
            continue
        if char in "*_":
            literals.append(fold("".join(run)))
            parts += [re.escape(literals[-1]), star if char == "*" else one]
            run, wild = [], True
        else:
            run.append(char)
        at += 1
    literals.append(fold("".join(run)))
    parts.append(re.escape(literals[-1]))
    return "".join(parts), None if wild else literals[-1], max(literals, key=len)


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
    takes longer than the search itself (see benchmarks/search_bench.py), so a card's text is
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
