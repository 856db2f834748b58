"""Plain-text "facts and FAQ" articles: a fact deck from the headed sections, a FAQ deck from the Q&A.

Such an article runs: by-line and dates, an introduction, maybe "Key Takeaways:" bullets and a
"Table of Contents", then the facts (a short heading line, then one paragraph), closing prose and
a conclusion, then a numbered FAQ ("1. Question?" then "Answer: ..."), then page furniture.
Only the facts and the FAQ become cards; everything else is recognised in order to be skipped.
A fact card asks for recall (see fact_cloze): its paragraph with the words its heading names hidden,
or a question made from its heading.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from flashcards.core.deck import Card, Deck, DeckKind, slugify
from flashcards.core.importing import ImportedDecks

from . import FormatError, read_utf8
from .fact_cloze import ArticleWords, fact_sides
from .html import text_to_html

CUT_OFF = "text looks cut off"


@dataclass(frozen=True)
class Fact:
    heading: str
    text: str


@dataclass(frozen=True)
class Faq:
    question: str
    answer: str


@dataclass
class Article:
    subject: str
    facts: list[Fact] = field(default_factory=list)
    faqs: list[Faq] = field(default_factory=list)


# Lines that belong to the page around the article, never to a fact.
_FURNITURE = [re.compile(pattern, re.IGNORECASE) for pattern in (
    r"^(written|reviewed|edited|fact[- ]?checked|updated|published|posted) (by|on)\b",
    r"^modified\s*(&|and)\s*updated\b",
    r"^(last )?(updated|published|modified)\s*:",
    r"^sources?\s*:",
    r"^key takeaways?\s*:?$",
    r"^table of contents\s*:?$",
    r"^was this (page|article) helpful\b",
    r"^(frequently asked questions|faqs?)\b",
    r"^(share( this)?|advertisement|related (articles|posts))\s*:?$",
    r"^answer\s*:",
    r"^[•·▪◦‣●*–—-]\s*",
)]
# Where the facts are over: the conclusion, the FAQ, the page's own questions.
_END_OF_FACTS = re.compile(
    r"^(in conclusion\b|conclusion$|final thoughts$|frequently asked questions\b|faqs?\b|was this (page|article) helpful\b)",
    re.IGNORECASE)
_QUESTION = re.compile(r"^(?:(?:q(?:uestion)?\s*)?\d{1,3}\s*[.):]\s*|q\s*:\s*)?(?P<question>\S.*)$", re.IGNORECASE)
_NUMBERED = re.compile(r"^\d{1,3}\s*[.)]\s+(?=\S)")
_ANSWER = re.compile(r"^(?:answer|a)\s*:\s*", re.IGNORECASE)
_CLOSING_MARKS = "\"'”’»)]"
_SENTENCE_END = ".!?"
_MAX_HEADING_WORDS = 12
# Words a heading does not end on but a sentence cut off mid-way often does ("released in").
_DANGLING_WORDS = {"a", "an", "the", "in", "on", "at", "of", "to", "for", "by", "with", "from",
                   "and", "or", "but", "as", "than", "that", "which", "was", "were", "is", "are"}
_MAX_SUBJECT_WORDS = 8


def read(path: Path, *, deck_name: str | None = None) -> ImportedDecks:
    """A fact deck and a FAQ deck from an article; `deck_name` replaces the subject in their names."""
    path = Path(path)
    article = parse_article(read_utf8(path))
    if not article.facts and not article.faqs:
        raise FormatError(f"No facts or FAQ found in {path.name}")
    subject = article.subject or _subject_from_file_name(path)
    shown = deck_name or subject
    deck_id = slugify(_ascii(subject))
    decks = []
    if article.facts:
        decks.append(_deck(f"{deck_id}-facts", f"{shown}: Facts", DeckKind.FACT,
                           _fact_sides(article, subject), f"Facts from the article “{path.name}”."))
    if article.faqs:
        decks.append(_deck(f"{deck_id}-faq", f"{shown}: FAQ", DeckKind.FAQ,
                           [_Sides(faq.question, text_to_html(faq.question), text_to_html(faq.answer),
                                   looks_cut_off(faq.answer)) for faq in article.faqs],
                           f"Questions and answers from the article “{path.name}”."))
    return ImportedDecks(decks=decks, warnings=_warnings(decks))


def parse_article(text: str) -> Article:
    """The subject, facts and FAQ of an article's text; furniture, prose and conclusion are left out."""
    units = _units(text)
    faqs, faq_start = _faqs(units)
    facts, first_heading = _facts(units[:faq_start])
    subject = _subject(text, units[:first_heading], facts)
    return Article(subject=subject, facts=facts, faqs=faqs)


def looks_cut_off(text: str) -> bool:
    """Whether a paragraph stops mid-sentence, as text copied from a web page sometimes does."""
    stripped = text.rstrip().rstrip(_CLOSING_MARKS)
    # An ellipsis at the end is how pages mark an excerpt, not how a fact ends.
    return not stripped.endswith(tuple(_SENTENCE_END)) or stripped.endswith(("...", "…"))


def card_ids(deck_id: str, fronts: list[str]) -> list[str]:
    """Readable ids from each front, numbered when two fronts come out the same."""
    used: set[str] = set()
    ids = []
    for front in fronts:
        base = card_id = f"{deck_id}-{slugify(_ascii(front))}"
        number = 1
        while card_id in used:
            number += 1
            card_id = f"{base}-{number}"
        used.add(card_id)
        ids.append(card_id)
    return ids


def _units(text: str) -> list[str]:
    """The article's non-empty lines, each a heading, a paragraph or a piece of furniture."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return [line for line in lines if line]


# The FAQ


def _faqs(units: list[str]) -> tuple[list[Faq], int]:
    """The question-and-answer pairs, and where the first question stands (or len(units))."""
    faqs: list[Faq] = []
    start = len(units)
    for index in range(len(units) - 1):
        answer = _answer_after(units, index)
        if answer is None:
            continue
        question = _QUESTION.match(units[index])["question"]
        faqs.append(Faq(question=question, answer=answer))
        start = min(start, index)
    return faqs, start


def _answer_after(units: list[str], index: int) -> str | None:
    """The answer when units[index] is a question followed by "Answer: ..."."""
    line = units[index]
    if _ANSWER.match(line) or not (_NUMBERED.match(line) or line.endswith("?")):
        return None
    marker = _ANSWER.match(units[index + 1])
    if not marker:
        return None
    answer = units[index + 1][marker.end():]
    if not answer and index + 2 < len(units) and not _ANSWER.match(units[index + 2]):
        answer = units[index + 2]
    return answer or None


# The facts


def _facts(units: list[str]) -> tuple[list[Fact], int]:
    """Each short heading line followed by its paragraph, and where the first heading stands."""
    facts: list[Fact] = []
    first = len(units)
    index = 0
    while index < len(units) - 1 and not _END_OF_FACTS.match(units[index]):
        heading, paragraph = units[index], units[index + 1]
        if _is_heading(heading) and _is_paragraph(paragraph) and not _END_OF_FACTS.match(paragraph):
            facts.append(Fact(heading=_NUMBERED.sub("", heading), text=paragraph))
            first = min(first, index)
            index += 2
        else:
            index += 1
    return facts, first


def _is_furniture(unit: str) -> bool:
    return any(pattern.match(unit) for pattern in _FURNITURE)


def _is_heading(unit: str) -> bool:
    words = unit.split()
    return (not _is_furniture(unit) and len(words) <= _MAX_HEADING_WORDS and len(unit) <= 100
            and unit[-1] not in ".,;:" and not unit[0].islower())


def _is_paragraph(unit: str) -> bool:
    if _is_furniture(unit):
        return False
    words = unit.split()
    ends_sentence = unit.rstrip(_CLOSING_MARKS).endswith(tuple(_SENTENCE_END))
    # A cut-off sentence has no full stop, but unlike a heading it is not in title case, or it
    # stops on a word no heading ends with.
    dangling = len(words) >= 4 and words[-1].lower() in _DANGLING_WORDS
    return (ends_sentence or dangling or len(words) > _MAX_HEADING_WORDS
            or (len(words) >= 4 and not _title_case(words)))


def _title_case(words: list[str]) -> bool:
    long_words = [word.strip(_CLOSING_MARKS + "“‘(") for word in words if len(word) > 3]
    capitalised = sum(1 for word in long_words if word[:1].isupper() or word[:1].isdigit())
    return capitalised * 2 > len(long_words)


# The subject


def _subject(text: str, intro: list[str], facts: list[Fact]) -> str:
    """What the article is about: of the names it gives itself, the one it repeats most."""
    candidates = [*_intro_subjects(intro), *_quoted_titles(text)]
    if facts:
        candidates.append(facts[0].heading)
    candidates = [c for c in (_clean_subject(c) for c in candidates) if c]
    if not candidates:
        return ""
    counts = {candidate: _mentions(text, candidate) for candidate in candidates}
    return max(candidates, key=lambda candidate: counts[candidate])  # max keeps the first of equals


_NOT_A_SUBJECT = frozenset("it this that these those there they he she we you i in on as when with".split())


def _intro_subjects(intro: list[str]) -> list[str]:
    """"X is a ..." from the first sentence of the introduction, and "facts about X"."""
    paragraphs = [unit for unit in intro if _is_paragraph(unit) and not _is_heading(unit)]
    found = []
    for paragraph in paragraphs[:2]:
        sentence = re.split(r"(?<=[.!?])\s", paragraph, maxsplit=1)[0]
        defined = re.match(r"(?P<subject>.+?)\s+(?:is|was|are|were|has been|remains)\s", sentence)
        if defined:
            found.append(defined["subject"].split(",")[0])
        about = re.search(r"\bfacts about (?P<subject>.+?)(?=\s+(?:that|which|who|to|you|and|will|from)\b|[,.:;!?]|$)",
                          paragraph, re.IGNORECASE)
        if about:
            found.append(about["subject"])
    return found


def _quoted_titles(text: str) -> list[str]:
    """Names the article puts in quotation marks at least twice, most frequent first."""
    quoted = Counter(re.findall(r"[“\"]([^”\"\n]{2,80}?)[,.]?[”\"]", text))
    return [title for title, count in quoted.most_common(3) if count >= 2]


def _clean_subject(candidate: str) -> str:
    words = candidate.strip(" “”\"'‘’,.:;!?").split()
    if not words or len(words) > _MAX_SUBJECT_WORDS or words[0].lower() in _NOT_A_SUBJECT:
        return ""
    # "facts about the Great Barrier Reef" names it mid-sentence; a deck name starts a title.
    if words[0] in ("the", "a", "an"):
        words[0] = words[0].capitalize()
    return " ".join(words)


def _mentions(text: str, candidate: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(candidate)}(?!\w)", text, re.IGNORECASE))


def _subject_from_file_name(path: Path) -> str:
    return re.sub(r"[-_]+", " ", path.stem).strip().capitalize() or "Article"


# The decks


@dataclass(frozen=True)
class _Sides:
    named: str  # what the card's id is made from: the fact's heading or the question
    front: str
    back: str
    cut_off: bool


def _fact_sides(article: Article, subject: str) -> list[_Sides]:
    """Each fact as a card to recall it from; its id still comes from the heading, so progress on
    a fact survives a change in how its card is worded."""
    words = ArticleWords(subject, [fact.text for fact in article.facts])
    return [_Sides(fact.heading, *fact_sides(fact.heading, fact.text, words), looks_cut_off(fact.text))
            for fact in article.facts]


def _deck(deck_id: str, name: str, kind: DeckKind, sides: list[_Sides], description: str) -> Deck:
    ids = card_ids(deck_id, [side.named for side in sides])
    cards = [Card(id=card_id, front=side.front, back=side.back, warning=CUT_OFF if side.cut_off else None)
             for card_id, side in zip(ids, sides)]
    return Deck(id=deck_id, name=name, kind=kind, cards=cards, description=description)


def _warnings(decks: list[Deck]) -> list[str]:
    return [f"“{deck.name}”, card {number}: {card.warning}; check it before studying"
            for deck in decks for number, card in enumerate(deck.cards, start=1) if card.warning]


def _ascii(text: str) -> str:
    """Accents dropped, so "Léaud" gives the slug "leaud" rather than "l-aud"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
