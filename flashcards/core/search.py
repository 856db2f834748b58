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

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from operator import eq, ge, gt, is_, le, lt, ne
from typing import Any

from .progress import Phase


from .search_tree import (PROGRESS, TEXT, And, CardFacts, Check, Every, Field, Named, Node, Not,
                          Or, SearchError, Text, shown)
# -- the public face ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Search:
    """A parsed search; empty text takes every card."""

    text: str = ""
    root: Node = Every()

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
        return TEXT in self.root.needs

    @property
    def needs_progress(self) -> bool:
        """Whether the scheduling facts (phase to last_review_day) must be filled in."""
        return PROGRESS in self.root.needs


def parse_search(text: str) -> Search:
    """The search `text` names; empty text takes every card. Raises SearchError."""
    text = text.strip(_SPACE)
    return Search(text, _Reader(text).search() if text else Every())


# -- reading the text -----------------------------------------------------------------------------
_SPACE = " \u3000"  # as in Anki: a space or an ideographic space separates terms
_AND, _OR = "and", "or"
# key:"quoted value", the key free of quotes, parentheses, colons and spaces (escapes allowed)
_KEY_BEFORE_QUOTE = re.compile(r'((?:[^"():\\ \u3000]|\\[^ \u3000])+):"')


class _Reader:
    """Anki's grammar: terms, `and`/`or` between them, `-` and parentheses."""

    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0

    def search(self) -> Node:
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

    def _item(self) -> Node | str | None:
        text = self.text
        while self.pos < len(text) and text[self.pos] in _SPACE:
            self.pos += 1
        if self.pos == len(text) or text[self.pos] == ")":
            return None
        if text[self.pos] == "(":
            return self._group()
        if text[self.pos] == "-" and text[self.pos + 1:self.pos + 2] not in ("", *_SPACE, ")"):
            self.pos += 1
            return Not(self._group() if text[self.pos] == "(" else self._term(negated=True))
        return self._term()

    def _group(self) -> Node:
        self.pos += 1
        items = self._items()
        if self.pos == len(self.text):
            raise SearchError("Unclosed parenthesis.")
        self.pos += 1
        if not items:
            raise SearchError("Empty parentheses: put a search between them.")
        return _combined(items)

    def _term(self, negated: bool = False) -> Node | str:
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


def _combined(items: list) -> Node:
    """As in Anki (whose terms become SQL), `and` binds tighter than `or`."""
    alternatives: list[list[Node]] = [[]]
    for item in items:
        if item == _OR:
            alternatives.append([])
        elif item != _AND:
            alternatives[-1].append(item)
    terms = [group[0] if len(group) == 1 else And(group) for group in alternatives]
    return terms[0] if len(terms) == 1 else Or(terms)


def _leaf(term: str) -> Node:
    """A term without operators: plain text, or key:value at the first unescaped colon."""
    at = 0
    while at < len(term) and term[at] != ":":
        at += 2 if term[at] == "\\" else 1
    if at >= len(term):
        return Text(term)
    if at == 0:
        raise SearchError(f"{shown(term)} has nothing before its colon: write \\: to search "
                          "for a colon.")
    return _keyed(term[:at], term[at + 1:])


_UNSUPPORTED = {"added", "edited", "introduced", "resched", "note", "card", "did", "mid", "nid",
                "cid", "re", "nc", "sc", "w", "dupe", "has-cd", "preset"}
_KEYS = "front:, back:, deck:, tag:, is:, flag:, prop: or rated:"


def _keyed(key: str, value: str) -> Node:
    name = key.lower()
    if name == "deck":
        if not value:
            raise SearchError('deck: needs a deck name, as in deck:French or deck:"French words".')
        return Named("deck", value, ".*", ".")
    if name == "tag":
        if not value:
            raise SearchError("tag: needs a tag name, as in tag:verb or tag:none.")
        if value == "*":  # as in Anki: every card, tagged or not
            return Every()
        return Named("tags", value, r"\S*", r"\S")
    if name in ("front", "back"):
        return Field(name, value)
    if name in _READERS:
        return _READERS[name](value)
    if name in _UNSUPPORTED:
        raise SearchError(f"{shown(key)}: searches are not supported here: use {_KEYS}.")
    raise SearchError(f"{shown(key)}: is not a field or a search: use {_KEYS} (or write \\: "
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


def _state(value: str) -> Check:
    if (check := _STATES.get(value.lower())) is None:
        raise SearchError(f"is:{shown(value)} is not a known state: use is:new, is:learn, "
                          "is:review, is:due, is:suspended or is:buried.")
    return Check(*check)


def _flag(value: str) -> Check:
    if not (value.isascii() and value.isdigit() and int(value) <= 7):
        raise SearchError(f"flag:{shown(value)} is not a flag: use flag:0 (no flag) to flag:7.")
    return Check("flag", partial(eq, int(value)))


def _rated(value: str) -> Check:
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= 365):
        raise SearchError(f"rated:{shown(value)} is not a number of days from 1 to 365: write "
                          "rated:1 for today, rated:7 for the last week.")
    days = int(value)
    return Check("last_review_day", lambda day: day is not None and day < days)


# The comparison with the number written first: prop:reps>10 asks 10 < reps.
_COMPARE = {"<=": ge, ">=": le, "!=": ne, "=": eq, "<": gt, ">": lt}
_PROP = re.compile(r"([a-z]+)(<=|>=|!=|=|<|>)?(.*)", re.DOTALL)
_WHOLE, _SIGNED, _DECIMAL = r"\d+", r"-?\d+", r"\d+(?:\.\d*)?|\.\d+"
# Each property: how its number is written, an example, and the check given the comparison.
_PROPERTIES: dict[str, tuple[str, str, Callable[[Callable[[Any], bool]], Check]]] = {
    # A card never graded has interval 0 in Anki, so prop:ivl<5 takes new cards too.
    "ivl": (_WHOLE, ">10", lambda test: Check("interval_days", lambda days: test(days or 0))),
    "due": (_SIGNED, "<0", lambda test: Check(None, lambda f: _waiting(f) and f.due_day
                                                 is not None and test(f.due_day))),
    "reps": (_WHOLE, ">10", lambda test: Check("reps", test)),
    "lapses": (_WHOLE, ">3", lambda test: Check("lapses", test)),
    "s": (_DECIMAL, ">30", lambda test: Check("stability", lambda s: s is not None and test(s))),
}
_PROPERTIES["stability"] = _PROPERTIES["s"]


def _prop(value: str) -> Check:
    parts = _PROP.fullmatch(value.lower())
    if parts is None or parts.group(1) not in _PROPERTIES:
        raise SearchError(f"prop:{shown(value)} is not a known property: use prop:ivl, "
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


