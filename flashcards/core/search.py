"""Which cards a search names, in Anki's search syntax. Only `deck:NAME` is understood so far.

As in Anki, `deck:NAME` takes the deck of that name and its subdecks (`French::Verbs` for
`deck:French`), ignores case, lets `*` stand for any run of characters (`\\*` for a star itself),
and takes quotes around a name with spaces: `deck:"French words"` or `"deck:French words"`. Typed
in a shell as one argument, `'deck:French words'` means the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class SearchError(ValueError):
    """Search text this version does not understand; the message says what it does understand."""


@dataclass(frozen=True)
class Search:
    """A parsed search. Without a deck pattern it takes every card."""

    text: str = ""
    deck_pattern: re.Pattern | None = None

    def takes_deck(self, name: str) -> bool:
        return self.deck_pattern is None or self.deck_pattern.fullmatch(name) is not None


def parse_search(text: str) -> Search:
    """The search `text` names; empty text takes every card. Raises SearchError."""
    text = text.strip()
    if not text:
        return Search()
    key, colon, name = _unquoted(text, text).partition(":")
    if not colon or key.casefold() != "deck":
        raise SearchError(f"Cannot search for {text!r} yet: only deck:NAME is understood so far.")
    name = _unquoted(name.strip(), text)
    if not name:
        raise SearchError('deck: needs a deck name, as in deck:French or deck:"French words".')
    return Search(text, re.compile(_pattern(name) + "(?:::.*)?", re.IGNORECASE | re.DOTALL))


def _unquoted(text: str, search: str) -> str:
    if text.startswith('"'):
        if len(text) < 2 or not text.endswith('"'):
            raise SearchError(f"Cannot search for {search!r}: a quote is not closed.")
        return text[1:-1]
    return text


def _pattern(name: str) -> str:
    """Anki's wildcards as a regular expression: `*` is any run of characters, `\\x` is x itself."""
    parts, escaped = [], False
    for char in name:
        if escaped:
            parts.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "*":
            parts.append(".*")
        else:
            parts.append(re.escape(char))
    if escaped:
        parts.append(re.escape("\\"))
    return "".join(parts)
