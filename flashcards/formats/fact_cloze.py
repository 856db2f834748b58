"""A fact card that asks for recall: its paragraph with the words its heading names hidden.

A heading such as "Directed by Francois Truffaut" names what its paragraph is about. Those words
are found in the paragraph (a name or date before a common term), hidden on the front as
`<span class="cloze">[...]</span>` and shown on the back in a `<span class="cloze">`, the way
Anki's export of a cloze note renders. When the paragraph does not hold them, the heading becomes
a question about the paragraph instead.
"""

from __future__ import annotations

import html
import math
import os
import re
import unicodedata
from dataclasses import dataclass

HIDDEN = "[...]"
CLOZE_FRONT = f'<span class="cloze">{HIDDEN}</span>'

# A word, keeping "Jean-Pierre", "coming-of-age" and "don’t" whole; or a number ("8,849", "1950s").
_WORD = re.compile(r"\d+(?:[.,]\d+)*[^\W\d_]*|[^\W\d_](?:[\w’'-]*\w)?")
_POSSESSIVE = ("’s", "'s")
_STOPWORDS = frozenset("""
    a an the of in on at to for by with from into onto over under about after before between
    and or but nor as than that which who whom whose what when where why how
    is are was were be been being has have had do does did will would can could may might
    it its it’s he she his her they them their we our you your i my this these those there
    not no so such very more most much many also just only own same other
""".split())
_DETERMINERS = frozenset("the its his her their this these those".split())
# A paragraph with more than this share of its words hidden no longer gives enough to recall from.
_MAX_HIDDEN_SHARE = 0.5


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    key: str  # lowercase, accents dropped, possessive "’s" cut off
    capitalised: bool
    starts_sentence: bool


@dataclass(frozen=True)
class _Span:
    """Words of the paragraph that the heading names."""
    start: int
    end: int
    is_name: bool
    weight: int  # how many of the heading's words it holds
    commonness: int  # in how many facts its rarest word appears


def _fold(text: str) -> str:
    """Lowercase with accents dropped, so "Léaud" and "Leaud" are the same word."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _WORD.finditer(text):
        word, end = match.group(), match.end()
        for ending in _POSSESSIVE:
            if word.endswith(ending) and len(word) > len(ending):
                word, end = word[:-len(ending)], end - len(ending)
                break
        tokens.append(_Token(match.start(), end, _fold(word), word[0].isupper(),
                             _starts_sentence(text, match.start())))
    return tokens


def _starts_sentence(text: str, start: int) -> bool:
    index = start - 1
    while index >= 0 and text[index] in " “”\"'‘’([":
        index -= 1
    return index < 0 or text[index] in ".!?:;"


_STEM = 5  # two longer words are one word in two forms only when they share this many letters


def _same_word(one: str, other: str) -> bool:
    """Whether two folded words are one word in another form ("realism", "realistic")."""
    if one == other:
        return True
    shorter, longer = (one, other) if len(one) <= len(other) else (other, one)
    if longer in (shorter + "s", shorter + "es"):
        return True
    if shorter[:_STEM] != longer[:_STEM]:
        return False
    return len(os.path.commonprefix((one, other))) >= max(_STEM, len(shorter) - 3)


def _forms(key: str) -> list[str]:
    """Where to look a word up among words indexed by their first letters (see _same_word)."""
    return [key[:_STEM], key + "s", key + "es", key[:-1], key[:-2]]


class ArticleWords:
    """What the article's words are: names (always capitalised), dates, and the words so common
    across its facts (or in its subject) that they are the context of a fact, not what it says."""

    def __init__(self, subject: str, paragraphs: list[str]) -> None:
        self.subject = subject
        self._subject_words = {t.key for t in _tokens(subject)} - _STOPWORDS
        self._paragraphs_with: dict[str, set[int]] = {}
        self._words_by_start: dict[str, set[str]] = {}  # each word under its first letters and itself
        lowercase: set[str] = set()
        capitalised: set[str] = set()
        for number, paragraph in enumerate(paragraphs):
            for token in _tokens(paragraph):
                self._paragraphs_with.setdefault(token.key, set()).add(number)
                (capitalised if token.capitalised else lowercase).add(token.key)
        for word in self._paragraphs_with:
            self._words_by_start.setdefault(word[:_STEM], set()).add(word)
            self._words_by_start.setdefault(word, set()).add(word)
        self._names = capitalised - lowercase
        self._common_count = max(4, math.ceil(len(paragraphs) / 4))
        self._context: dict[str, bool] = {}
        self._counts: dict[str, int] = {}

    def is_name(self, key: str) -> bool:
        """Whether the word is a name or a number wherever the article uses it."""
        return key[:1].isdigit() or key in self._names

    def names(self, token: _Token) -> bool:
        """Whether the word is a name here: capitalised mid-sentence, or a name everywhere."""
        return self.is_name(token.key) or (token.capitalised and not token.starts_sentence)

    def in_subject(self, key: str) -> bool:
        return any(_same_word(key, word) for word in self._subject_words)

    def is_context(self, key: str) -> bool:
        if key not in self._context:
            self._context[key] = key in _STOPWORDS or self.in_subject(key) or self._is_common(key)
        return self._context[key]

    def paragraphs_with(self, key: str) -> int:
        """In how many of the facts the word appears, in any of its forms."""
        if key not in self._counts:
            found: set[int] = set()
            candidates = set().union(*(self._words_by_start.get(form, ()) for form in _forms(key)))
            for word in candidates:
                if _same_word(key, word):
                    found |= self._paragraphs_with[word]
            self._counts[key] = len(found)
        return self._counts[key]

    def _is_common(self, key: str) -> bool:
        return self.paragraphs_with(key) >= self._common_count


def fact_sides(heading: str, paragraph: str, words: ArticleWords) -> tuple[str, str]:
    """The front and back HTML of a fact: a cloze of the paragraph, or a question and the paragraph."""
    hidden = _hidden_spans(heading, paragraph, words)
    if not hidden:
        return html.escape(_question(heading, words), quote=False), _escape(paragraph)
    front, back, last = [], [], 0
    for start, end in hidden:
        before = _escape(paragraph[last:start])
        front += [before, CLOZE_FRONT]
        back += [before, f'<span class="cloze">{_escape(paragraph[start:end])}</span>']
        last = end
    front.append(_escape(paragraph[last:]))
    back.append(_escape(paragraph[last:]))
    return "".join(front), "".join(back)


def _question(heading: str, words: ArticleWords) -> str:
    """"Emotional Impact" -> "What does the article say about the emotional impact of <subject>?"."""
    heading = heading.strip().rstrip("?!.:;, ")
    subject = words.subject
    if not heading or _fold(heading) == _fold(subject):
        return f"What does the article say about {subject or heading or 'this'}?"
    tokens = _tokens(heading)
    parts, last = [], 0
    for token in tokens:
        word = heading[token.start:token.end]
        parts += [heading[last:token.start], word if words.is_name(token.key) else word.lower()]
        last = token.end
    phrase = "".join(parts) + heading[last:]
    first = tokens[0].key if tokens else ""
    if first in ("a", "an") and phrase.startswith(first):
        phrase = "the" + phrase[len(first):]
    elif first not in _DETERMINERS and not words.is_name(first):
        phrase = f"the {phrase}"
    # "the emotional impact of <subject>", but not "the countess of Lovelace of <subject>".
    keys = [t.key for t in tokens]
    if subject and "&" not in heading and not any(
            words.is_name(key) or words.in_subject(key) or key in ("of", "and") for key in keys):
        phrase = f"{phrase} of {subject}"
    return f"What does the article say about {phrase}?"


def _hidden_spans(heading: str, paragraph: str, words: ArticleWords) -> list[tuple[int, int]]:
    """Where the paragraph says the thing the heading names, each time it says it; nothing when
    the paragraph does not hold it or hiding it would leave too little to recall from."""
    tokens = _tokens(paragraph)
    spans = _spans(_roles(heading, words), paragraph, tokens, words)
    if not spans:
        return []
    # One thing to recall, as in a one-deletion cloze: a name or date before a term, more of the
    # heading before less, a word few facts use before a common one, the first before the rest.
    best = max(spans, key=lambda span: (span.is_name, span.weight, -span.commonness))
    chosen = [(span.start, span.end) for span in spans
              if _fold(paragraph[span.start:span.end]) == _fold(paragraph[best.start:best.end])]
    hidden_words = sum(len(_tokens(paragraph[start:end])) for start, end in chosen)
    if hidden_words > _MAX_HIDDEN_SHARE * len(tokens):
        return []
    return chosen


_KEY, _CONTEXT, _JOINER = "key", "context", "joiner"


def _roles(heading: str, words: ArticleWords) -> dict[str, str]:
    """What each word of the heading may do in a hidden span.

    A key word is what the fact is about; a context word, common across the article, belongs in
    a span beside a key word only as part of a name ("Francois Truffaut", "Radium Institute");
    a joiner ("of", "de" in a title-case heading) may only stand between key words.
    """
    tokens = _tokens(heading)
    title_case = _is_title_case(heading, tokens)
    roles = {}
    for token in tokens:
        if token.key in _STOPWORDS or (title_case and not token.capitalised and not token.key[:1].isdigit()):
            roles[token.key] = _JOINER
        elif words.is_context(token.key):
            roles[token.key] = _CONTEXT
        else:
            roles[token.key] = _KEY
    return roles


def _is_title_case(heading: str, tokens: list[_Token]) -> bool:
    """"The Vasco da Gama Bridge": its lowercase words are particles, not what it is about."""
    long_words = [t for t in tokens if len(t.key) > 3 and t.key not in _STOPWORDS]
    return len(long_words) > 1 and all(t.capitalised for t in long_words)


def _role(token: _Token, roles: dict[str, str], words: ArticleWords) -> str | None:
    role = roles.get(token.key)
    if role == _CONTEXT:
        return _CONTEXT if words.names(token) else _JOINER
    if role is not None:
        return role
    if any(role == _KEY and _same_word(token.key, key) for key, role in roles.items()):
        return _KEY
    return None


def _spans(roles: dict[str, str], paragraph: str, tokens: list[_Token], words: ArticleWords) -> list[_Span]:
    """Runs of the heading's words in the paragraph, split where names meet terms ("directed by
    | Francois Truffaut"), without joiners at either end, each holding at least one key word."""
    spans: list[_Span] = []
    run: list[tuple[_Token, str]] = []
    kind: bool | None = None  # whether the run's words are names
    for token in tokens:
        role = _role(token, roles, words)
        adjacent = bool(run) and _only_space(paragraph, run[-1][0].end, token.start)
        is_name = words.names(token) if role in (_KEY, _CONTEXT) else None
        if role is None or not adjacent or (is_name is not None and kind is not None and is_name != kind):
            _add_span(run, spans, words)
            run, kind = [], None
        if role is not None:
            run.append((token, role))
            kind = kind if is_name is None else is_name
    _add_span(run, spans, words)
    return spans


def _add_span(run: list[tuple[_Token, str]], spans: list[_Span], words: ArticleWords) -> None:
    while run and run[0][1] == _JOINER:
        run = run[1:]
    while run and run[-1][1] == _JOINER:
        run = run[:-1]
    keys = [token.key for token, role in run if role == _KEY]
    if keys:
        spans.append(_Span(run[0][0].start, run[-1][0].end, any(words.names(t) for t, _ in run),
                           len(keys), min(words.paragraphs_with(key) for key in keys)))


def _only_space(text: str, start: int, end: int) -> bool:
    return not text[start:end].strip()


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
