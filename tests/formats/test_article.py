"""Facts-and-FAQ articles become a fact deck and a FAQ deck, with nothing from around the article."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.core.deck import DeckKind
from flashcards.core.importing import ImportedDecks
from flashcards.formats import FormatError, json_deck
from flashcards.formats.article import CUT_OFF, card_ids, looks_cut_off, parse_article, read
from flashcards.formats.fact_cloze import CLOZE_FRONT, HIDDEN, ArticleWords, fact_sides

ARTICLES = Path(__file__).resolve().parent / "articles"
THE_400_BLOWS = ARTICLES / "the-400-blows.txt"
GREAT_BARRIER_REEF = ARTICLES / "great-barrier-reef.txt"
ADA_LOVELACE = ARTICLES / "ada-lovelace.txt"
MARIE_CURIE = ARTICLES / "marie-curie.txt"
LISBON = ARTICLES / "lisbon.txt"
OXYGEN = ARTICLES / "oxygen.txt"
# The decks that ship with the app, made from THE_400_BLOWS.
BUNDLED_DECKS = Path(__file__).resolve().parents[2] / "decks"

FURNITURE = ("Was this page helpful", "Key Takeaways", "Table of Contents", "In conclusion", "Written by",
             "Reviewed by", "Modified &amp; Updated", "Source:", "Answer:", "If you enjoyed", "In this article",
             "Our commitment", "Ready to")


def _text(fragment: str) -> str:
    """Card HTML as the text it shows, line breaks kept and a cloze's hidden words unmarked."""
    return html.unescape(re.sub(r"</?span[^>]*>", "", fragment.replace("<br>", "\n")))


def _decks(path: Path):
    facts, faq = read(path).decks
    return facts, faq


def _all_card_text(imported: ImportedDecks) -> list[str]:
    return [side for deck in imported.decks for card in deck.cards for side in (card.front, card.back)]


# The 400 Blows, the article the bundled decks come from


def test_the_400_blows_gives_30_facts_and_8_questions():
    facts, faq = _decks(THE_400_BLOWS)
    assert (facts.name, facts.kind, len(facts.cards)) == ("The 400 Blows: Facts", DeckKind.FACT, 30)
    assert (faq.name, faq.kind, len(faq.cards)) == ("The 400 Blows: FAQ", DeckKind.FAQ, 8)
    assert (facts.id, faq.id) == ("the-400-blows-facts", "the-400-blows-faq")


def test_the_400_blows_subject_comes_from_the_article():
    assert parse_article(THE_400_BLOWS.read_text(encoding="utf-8")).subject == "The 400 Blows"


def test_facts_pair_each_heading_with_its_paragraph():
    facts, _ = _decks(THE_400_BLOWS)
    second, last = facts.cards[1], facts.cards[-1]
    assert second.id == "the-400-blows-facts-directed-by-francois-truffaut"
    assert _text(second.back).startswith("The 400 Blows” was directed by Francois Truffaut, who is considered")
    assert last.id == "the-400-blows-facts-enduring-legacy"
    assert _text(last.back).endswith("testament to Truffaut’s visionary filmmaking.")


def test_the_first_fact_is_kept_but_flagged_as_cut_off():
    imported = read(THE_400_BLOWS)
    first = imported.decks[0].cards[0]
    assert first.front == "What does the article say about The 400 Blows?"
    assert _text(first.back) == "The movie “The 400 Blows” is a French film released in"
    assert first.warning == CUT_OFF
    assert [card.warning for card in imported.decks[0].cards[1:]] == [None] * 29
    assert len(imported.warnings) == 1 and "cut off" in imported.warnings[0]


def test_faq_cards_are_question_and_answer_without_the_prefix():
    _, faq = _decks(THE_400_BLOWS)
    assert _text(faq.cards[0].front) == "Who directed “The 400 Blows”?"
    assert _text(faq.cards[0].back) == "“The 400 Blows” was directed by François Truffaut."
    assert _text(faq.cards[-1].front) == "Where can I watch “The 400 Blows”?"
    assert not any(card.back.startswith("Answer") for card in faq.cards)
    assert not any(card.front[0].isdigit() for card in faq.cards)


def test_nothing_from_around_the_facts_becomes_a_card():
    text = _all_card_text(read(THE_400_BLOWS))
    for furniture in FURNITURE:
        assert not any(furniture in side for side in text), furniture


def test_ids_are_the_same_on_every_read():
    first, second = read(THE_400_BLOWS), read(THE_400_BLOWS)
    assert [[c.id for c in d.cards] for d in first.decks] == [[c.id for c in d.cards] for d in second.decks]
    ids = [card.id for deck in first.decks for card in deck.cards]
    assert len(set(ids)) == len(ids) == 38
    assert first.decks[0].cards[1].id == "the-400-blows-facts-directed-by-francois-truffaut"
    assert first.decks[1].cards[0].id == "the-400-blows-faq-who-directed-the-400-blows"


def test_ids_read_well_even_with_accents():
    facts, _ = _decks(THE_400_BLOWS)
    assert facts.cards[4].id == "the-400-blows-facts-jean-pierre-leauds-breakout-role"


def test_the_bundled_decks_hold_the_cards_of_the_article_they_were_made_from():
    """The bundled decks are this article's 30 facts and 8 questions, written up by hand: the
    same decks and the same cards in the same order, so importing the article joins them (and
    progress follows) by card id. A fact's back is its paragraph, and a question's answer is the
    article's; the hand edits add back lost curly quotes and accents, finish the fact the article
    cut off, and drop one answer's claim of a film rating. The fact fronts are written by hand to
    ask for recall (see the next test); the questions are the article's."""
    def letters(text: str) -> str:
        return unicodedata.normalize("NFKD", _text(text)).encode("ascii", "ignore").decode()

    parsed = read(THE_400_BLOWS).decks
    bundled = [json_deck.read(path).decks[0] for path in sorted(BUNDLED_DECKS.glob("*.json"))]
    assert [(d.id, d.name, d.kind, len(d.cards)) for d in bundled] == [
        (d.id, d.name, d.kind, len(d.cards)) for d in parsed] == [
        ("the-400-blows-facts", "The 400 Blows: Facts", DeckKind.FACT, 30),
        ("the-400-blows-faq", "The 400 Blows: FAQ", DeckKind.FAQ, 8)]
    edited = {}
    for made, shipped in zip(parsed, bundled):
        assert [c.id for c in shipped.cards] == [c.id for c in made.cards]
        edited.update({c.id: (_text(m.back), _text(c.back)) for m, c in zip(made.cards, shipped.cards)
                       if letters(m.back) != letters(c.back)})
    faq_made, faq_shipped = parsed[1], bundled[1]
    assert [letters(c.front) for c in faq_shipped.cards] == [letters(c.front) for c in faq_made.cards]
    assert not any(card.warning for deck in bundled for card in deck.cards)
    cut_off = edited.pop("the-400-blows-facts-the-400-blows")
    assert cut_off == ("The movie “The 400 Blows” is a French film released in",
                       "The movie “The 400 Blows” is a French film released in 1959.")
    rating = "the-400-blows-faq-is-the-400-blows-suitable-for-all-audiences"
    article_says, shipped_says = edited.pop(rating)
    assert "PG-13" in article_says and "PG-13" not in shipped_says
    assert edited == {}, "no other card differs in more than quotes and accents"


def test_every_bundled_fact_asks_for_recall():
    """Written by hand: a cloze of the fact, or a question whose answer the back marks."""
    facts = json_deck.read(BUNDLED_DECKS / "the-400-blows-facts.json").decks[0]
    for card in facts.cards:
        _assert_asks_for_recall(card)
        assert _MARKED.search(card.back), f"{card.id}: the back marks nothing to recall"
    clozes = [card for card in facts.cards if CLOZE_FRONT in card.front]
    assert len(clozes) >= 25, "a cloze for nearly every fact, a question only where a cloze fits badly"


# Fact cards ask for recall, in every article


ALL_ARTICLES = [THE_400_BLOWS, GREAT_BARRIER_REEF, ADA_LOVELACE, MARIE_CURIE, LISBON, OXYGEN]
_MARKED = re.compile(r'<span class="cloze">(.*?)</span>', re.DOTALL)


def _filled(front: str, back: str) -> str:
    """A cloze front with each [...] given back the words the back marks, in order."""
    hidden = _MARKED.findall(back)
    pieces = front.split(CLOZE_FRONT)
    assert len(pieces) == len(hidden) + 1, "the back marks every word the front hides"
    return "".join(piece + words for piece, words in zip(pieces, [*hidden, ""]))


def _assert_asks_for_recall(card) -> None:
    front, back = _text(card.front), _text(card.back)
    assert front not in back, f"{card.id}: the back repeats the front"
    assert HIDDEN in front or front.endswith("?"), f"{card.id}: neither a cloze nor a question"
    if HIDDEN in front:
        assert _filled(card.front, card.back) == _MARKED.sub(r"\1", card.back), card.id
        assert all(words.strip() for words in _MARKED.findall(card.back)), card.id


@pytest.mark.parametrize("path", ALL_ARTICLES, ids=lambda path: path.stem)
def test_every_fact_card_asks_for_recall(path):
    facts = read(path).decks[0]
    assert facts.kind == DeckKind.FACT
    for card in facts.cards:
        _assert_asks_for_recall(card)


@pytest.mark.parametrize("path", ALL_ARTICLES, ids=lambda path: path.stem)
def test_a_fact_back_is_its_paragraph_and_its_id_comes_from_its_heading(path):
    article = parse_article(path.read_text(encoding="utf-8"))
    facts = read(path).decks[0]
    assert [_text(card.back) for card in facts.cards] == [fact.text for fact in article.facts]
    assert [card.id for card in facts.cards] == card_ids(facts.id, [fact.heading for fact in article.facts])


def _card(path: Path, heading_slug: str):
    [card] = [card for card in read(path).decks[0].cards if card.id.endswith(f"-facts-{heading_slug}")]
    return card


@pytest.mark.parametrize("path, heading_slug, hidden", [
    (THE_400_BLOWS, "directed-by-francois-truffaut", "Francois Truffaut"),
    (THE_400_BLOWS, "cannes-film-festival-premiere", "Cannes Film Festival"),
    (THE_400_BLOWS, "emotional-impact", "emotional impact"),
    (THE_400_BLOWS, "intimate-portrayal-of-adolescence", "intimate portrayal of adolescence"),
    (MARIE_CURIE, "marriage-to-pierre-curie", "Pierre Curie"),
    (MARIE_CURIE, "the-radium-institute", "Radium Institute"),
    (LISBON, "the-great-earthquake-of-1755", "1755"),
    (LISBON, "the-vasco-da-gama-bridge", "Vasco da Gama Bridge"),
    (LISBON, "rebuilt-by-the-marquis-of-pombal", "Marquis of Pombal"),
    (OXYGEN, "atomic-number-8", "8"),
    (OXYGEN, "liquid-oxygen-is-blue", "blue liquid"),
    (ADA_LOVELACE, "daughter-of-lord-byron", "Lord Byron"),
])
def test_the_words_the_heading_names_are_hidden(path, heading_slug, hidden):
    """Names and dates first: "Directed by Francois Truffaut" hides who, not "directed by"."""
    card = _card(path, heading_slug)
    assert _MARKED.findall(card.back) == [hidden]
    assert hidden not in _text(card.front).replace(HIDDEN, "")


def test_a_name_is_hidden_each_time_the_fact_gives_it():
    card = _card(MARIE_CURIE, "first-woman-nobel-laureate")
    assert _MARKED.findall(card.back) == ["Nobel", "Nobel"]
    assert "Nobel" not in _text(card.front)


@pytest.mark.parametrize("path, heading_slug, question", [
    (THE_400_BLOWS, "enduring-legacy",
     "What does the article say about the enduring legacy of The 400 Blows?"),
    (THE_400_BLOWS, "the-400-blows", "What does the article say about The 400 Blows?"),
    (MARIE_CURIE, "a-dangerous-inheritance",
     "What does the article say about the dangerous inheritance of Marie Curie?"),
    (LISBON, "gateway-to-the-age-of-exploration",
     "What does the article say about the gateway to the age of exploration?"),
    (ADA_LOVELACE, "countess-of-lovelace", "What does the article say about the countess of Lovelace?"),
])
def test_a_heading_whose_words_the_paragraph_lacks_becomes_a_question(path, heading_slug, question):
    card = _card(path, heading_slug)
    assert card.front == question
    assert "cloze" not in card.back


@given(heading=st.text(max_size=40), paragraph=st.text(min_size=1, max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_fact_gives_a_cloze_or_a_question_with_its_paragraph_on_the_back(heading, paragraph):
    words = ArticleWords("Subject", [paragraph])
    front, back = fact_sides(heading, paragraph, words)
    assert html.unescape(_MARKED.sub(r"\1", back)) == paragraph
    assert CLOZE_FRONT in front or front.endswith("?")
    if CLOZE_FRONT in front:
        assert _filled(front, back) == _MARKED.sub(r"\1", back)


def test_the_new_articles_parse_exactly():
    for path, subject, facts, faqs in [(MARIE_CURIE, "Marie Curie", 13, 5), (LISBON, "Lisbon", 13, 5),
                                       (OXYGEN, "Oxygen", 12, 5)]:
        article = parse_article(path.read_text(encoding="utf-8"))
        assert (article.subject, len(article.facts), len(article.faqs)) == (subject, facts, faqs)
        imported = read(path)
        assert imported.warnings == []
        text = _all_card_text(imported)
        for furniture in FURNITURE + ("In conclusion", "Rosalind Franklin", "Porto", "Hydrogen"):
            assert not any(furniture in side for side in text), (path.stem, furniture)


# Other articles written the same way


def test_an_article_with_byline_takeaways_and_contents_parses_exactly():
    article = parse_article(GREAT_BARRIER_REEF.read_text(encoding="utf-8"))
    assert article.subject == "The Great Barrier Reef"
    assert len(article.facts) == 12 and len(article.faqs) == 5
    assert article.facts[0].heading == "World’s Largest Coral Reef System"
    assert article.facts[-1].heading == "An Economic Engine"
    assert article.faqs[2].answer.startswith("Yes. Snorkelling and diving trips")
    assert article.faqs[4].question == "When is the best time to visit the Great Barrier Reef?"
    assert not any(looks_cut_off(fact.text) for fact in article.facts)


def test_great_barrier_reef_decks():
    imported = read(GREAT_BARRIER_REEF)
    assert [(d.id, d.name, len(d.cards)) for d in imported.decks] == [
        ("the-great-barrier-reef-facts", "The Great Barrier Reef: Facts", 12),
        ("the-great-barrier-reef-faq", "The Great Barrier Reef: FAQ", 5),
    ]
    assert imported.warnings == []
    text = _all_card_text(imported)
    for furniture in FURNITURE + ("Ha Long Bay", "Gbrmpa.gov.au", "Marisol Keane"):
        assert not any(furniture in side for side in text), furniture


def test_an_article_without_byline_takeaways_or_contents_parses_exactly():
    article = parse_article(ADA_LOVELACE.read_text(encoding="utf-8"))
    assert article.subject == "Ada Lovelace"
    assert [fact.heading for fact in article.facts] == [
        "Daughter of Lord Byron", "A mathematical education", "Meeting Charles Babbage",
        "The Notes on the Analytical Engine", "Note G: The First Program?", "Beyond Numbers",
        "Countess of Lovelace",
    ]
    assert [faq.question for faq in article.faqs] == [
        "When did Ada Lovelace die?", "Which programming language is named after Ada Lovelace?",
        "When is Ada Lovelace Day?",
    ]
    assert article.faqs[0].answer == "She died on 27 November 1852, aged 36."


def test_a_cut_off_fact_anywhere_is_flagged_and_warned_about():
    imported = read(ADA_LOVELACE)
    facts = imported.decks[0]
    assert [card.warning for card in facts.cards] == [None] * 6 + [CUT_OFF]
    assert imported.warnings and "card 7" in imported.warnings[0]


def test_closing_prose_and_a_conclusion_heading_are_not_facts():
    text = _all_card_text(read(ADA_LOVELACE))
    assert not any("Conclusion" in side or "reputation has only grown" in side for side in text)


def test_deck_name_replaces_the_subject_in_the_names_but_not_the_ids():
    facts, faq = read(ADA_LOVELACE, deck_name="Computing pioneers").decks
    assert (facts.name, faq.name) == ("Computing pioneers: Facts", "Computing pioneers: FAQ")
    assert (facts.id, faq.id) == ("ada-lovelace-facts", "ada-lovelace-faq")


# Small articles, and what is not an article


def _article(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_article_with_facts_only_gives_one_deck(tmp_path):
    path = _article(tmp_path, "Mount Everest, the highest mountain above sea level, is in the Himalayas.\n\n"
                              "Highest Peak\n\nIts summit is 8,849 metres above sea level.\n\n"
                              "First Ascent\n\nEdmund Hillary and Tenzing Norgay reached the summit in 1953.\n")
    [deck] = read(path).decks
    assert (deck.id, deck.name) == ("mount-everest-facts", "Mount Everest: Facts")
    assert [card.front for card in deck.cards] == [
        "What does the article say about the highest peak of Mount Everest?",
        "What does the article say about the first ascent of Mount Everest?"]


def test_numbered_fact_headings_lose_their_numbers(tmp_path):
    path = _article(tmp_path, "1. Highest Peak\n\nIts summit is 8,849 metres above sea level.\n\n"
                              "2. First Ascent\n\nEdmund Hillary and Tenzing Norgay reached the summit in 1953.\n")
    cards = read(path).decks[0].cards
    assert [card.id.split("-facts-")[1] for card in cards] == ["highest-peak", "first-ascent"]
    assert not any(re.search(r"\d\.", card.front) for card in cards)


def test_an_article_with_a_faq_only_gives_one_deck(tmp_path):
    path = _article(tmp_path, "1. How high is Mount Everest?\n\nAnswer: About 8,849 metres.\n")
    [deck] = read(path).decks
    assert deck.kind == DeckKind.FAQ
    assert [(card.front, card.back) for card in deck.cards] == [("How high is Mount Everest?", "About 8,849 metres.")]


def test_plain_text_is_escaped_into_html(tmp_path):
    path = _article(tmp_path, "The Seaside Chippy is a shop by the sea.\n\n"
                              "Fish & Chips <Classic>\n\nCod & haddock are <b>the</b> usual fish.\n\n"
                              "Salt & Vinegar\n\nMost people add <i>both</i> at the counter.\n")
    cloze, question = read(path).decks[0].cards
    assert cloze.front == 'Cod &amp; haddock are &lt;b&gt;the&lt;/b&gt; usual <span class="cloze">[...]</span>.'
    assert cloze.back == 'Cod &amp; haddock are &lt;b&gt;the&lt;/b&gt; usual <span class="cloze">fish</span>.'
    assert question.front == "What does the article say about the salt &amp; vinegar?"
    assert question.back == "Most people add &lt;i&gt;both&lt;/i&gt; at the counter."


def test_cards_with_the_same_heading_get_distinct_ids(tmp_path):
    path = _article(tmp_path, "Origins\n\nThe first paragraph says one thing.\n\n"
                              "Origins\n\nThe second paragraph says another.\n")
    ids = [card.id for card in read(path).decks[0].cards]
    assert ids[1] == ids[0] + "-2"


def test_prose_without_facts_or_faq_is_refused(tmp_path):
    path = _article(tmp_path, "This is a letter to a friend, written in long sentences with no headings at all.\n\n"
                              "It goes on for another paragraph that is also far too long to be a heading.\n")
    with pytest.raises(FormatError, match="No facts or FAQ found"):
        read(path)


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(FormatError, match="No facts or FAQ found"):
        read(_article(tmp_path, ""))


def test_text_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café History\n\nThe first café in Paris opened in 1686.\n".encode("latin-1"))
    with pytest.raises(FormatError, match="not UTF-8"):
        read(path)


@pytest.mark.parametrize("text, cut_off", [
    ("The movie is a French film released in", True),
    ("It was released in 1959", True),
    ("It is, as the critics said, …", True),
    ("It was released in 1959.", False),
    ("Who could forget it?", False),
    ("The film was called “The 400 Blows.”", False),
])
def test_looks_cut_off(text, cut_off):
    assert looks_cut_off(text) is cut_off


_lines = st.sampled_from([
    "", "Short Heading", "1. A question?", "Answer: an answer.", "Answer:", "Key Takeaways:", "  • a bullet",
    "Table of Contents", "In conclusion, it ends.", "Was this page helpful?", "“Quoted Title” is a thing.",
    "A paragraph long enough to count as one, since it runs to well over twelve words.",
]) | st.text(max_size=60)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_lines, max_size=30).map("\n".join) | st.text())
def test_any_text_gives_decks_or_a_format_error(tmp_path, text):
    path = tmp_path / "any.txt"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        imported = read(path)
    except FormatError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert isinstance(imported, ImportedDecks) and imported.decks
        ids = [card.id for deck in imported.decks for card in deck.cards]
        assert len(set(ids)) == len(ids)


def _without(text: str, start: str, end: str) -> str:
    """The article with the part from `start` up to (not including) `end` cut out."""
    return text[:text.index(start)] + text[text.index(end):]


@pytest.mark.parametrize("edit", [
    lambda text: _without(text, "Edithe Roby", "The 400 Blows is a French"),
    lambda text: _without(text, "Key Takeaways:", "The 400 Blows\n"),
    lambda text: _without(text, "In this article", "The 400 Blows\n"),
    lambda text: _without(text, "Edithe Roby", "The 400 Blows\n"),
    lambda text: _without(text, "Ready to be captivated", "1. Who directed"),
    lambda text: _without(text, "If you enjoyed", "Our commitment") + "\n",
    lambda text: text.replace("\n", "\r\n"),
], ids=["no byline", "no takeaways or contents", "no introduction", "starts at the facts",
        "no closing prose", "less furniture", "Windows line ends"])
def test_the_400_blows_parses_the_same_with_parts_left_out(edit):
    article = parse_article(edit(THE_400_BLOWS.read_text(encoding="utf-8")))
    assert (article.subject, len(article.facts), len(article.faqs)) == ("The 400 Blows", 30, 8)
    assert article.facts[0].heading == "The 400 Blows" and article.facts[-1].heading == "Enduring Legacy"


def test_a_cut_off_fact_full_of_names_is_still_kept_and_flagged():
    text = ("Lighthouses are towers that guide ships at night.\n\n"
            "The First Lighthouse\n\nThe Pharos of Alexandria was built in the\n\n"
            "Fresnel Lenses\n\nA Fresnel lens lets a small lamp be seen from far away.\n\n"
            "1. What is a lighthouse?\n\nAnswer: A tower with a light that guides ships.\n")
    parsed = parse_article(text)
    assert [fact.heading for fact in parsed.facts] == ["The First Lighthouse", "Fresnel Lenses"]
    assert looks_cut_off(parsed.facts[0].text)
