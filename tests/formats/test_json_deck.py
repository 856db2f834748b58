"""Our JSON deck file: what goes out comes back, and a bad file is refused with a clear reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.core.deck import Card, Deck, DeckKind
from flashcards.core.importing import ImportedDecks
from flashcards.formats import FormatError
from flashcards.formats import article, json_deck
from flashcards.formats.html import clean_html, text_to_html


BUNDLED = Path(__file__).resolve().parents[2] / "decks"
SOURCE_ARTICLE = Path(__file__).resolve().parent / "articles" / "the-400-blows.txt"


def _deck() -> Deck:
    return Deck(
        id="rivers-faq",
        name="Rivers: FAQ",
        kind=DeckKind.FAQ,
        revision=3,
        description="Questions about rivers – “long” and short.",
        cards=[
            Card("rivers-faq-longest", "Which is the longest river?", "The <b>Nile</b>, by most counts.",
                 tags=("africa", "records")),
            Card("rivers-faq-amazon", "Which river carries most water?", "The Amazon &amp; its tributaries.",
                 warning="check the figure"),
            Card("rivers-faq-ganges", "Where does the Ganges rise?", "In the Gangotri Glacier<br>(Himalaya)."),
        ],
    )


def _document() -> dict:
    return json.loads(json_deck.dump(_deck()))


def _write(tmp_path: Path, content: str | bytes | dict) -> Path:
    path = tmp_path / "deck.json"
    if isinstance(content, dict):
        content = json.dumps(content)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def _refusal(tmp_path: Path, content) -> str:
    with pytest.raises(FormatError) as caught:
        json_deck.read(_write(tmp_path, content))
    message = str(caught.value)
    assert message.startswith("deck.json") and "\n" not in message
    return message


# What goes out comes back


def test_a_written_deck_reads_back_unchanged(tmp_path):
    path = tmp_path / "rivers.json"
    json_deck.write([_deck()], path)
    imported = json_deck.read(path)
    assert imported.decks == [_deck()]


def test_written_file_is_readable_utf8_with_a_final_newline(tmp_path):
    path = tmp_path / "rivers.json"
    json_deck.write([_deck()], path)
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert "“long”" in text  # not \u escapes
    assert text.startswith('{\n  "format": "flashcards-deck",\n  "version": 1,\n')


def test_writing_what_was_read_gives_the_same_file(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    json_deck.write([_deck()], first)
    json_deck.write(json_deck.read(first).decks, second)
    assert first.read_bytes() == second.read_bytes()


def test_optional_fields_are_left_out_when_empty():
    deck = Deck(id="d", name="D", cards=[Card("d-1", "Q", "A")])
    document = json.loads(json_deck.dump(deck))
    assert "description" not in document
    assert document["cards"] == [{"id": "d-1", "front": "Q", "back": "A"}]


def test_defaults_apply_when_optional_fields_are_missing(tmp_path):
    document = {"format": "flashcards-deck", "version": 1, "id": "d", "name": "D",
                "cards": [{"id": "d-1", "front": "Q", "back": "A"}]}
    deck = json_deck.read(_write(tmp_path, document)).decks[0]
    assert (deck.kind, deck.revision, deck.description) == (DeckKind.BASIC, 1, "")
    assert deck.cards[0].tags == () and deck.cards[0].warning is None


def test_deck_name_replaces_the_name_in_the_file(tmp_path):
    path = tmp_path / "rivers.json"
    json_deck.write([_deck()], path)
    deck = json_deck.read(path, deck_name="My rivers").decks[0]
    assert deck.name == "My rivers"
    assert deck.id == "rivers-faq"


def test_flagged_cards_are_mentioned_in_the_warnings(tmp_path):
    path = tmp_path / "rivers.json"
    json_deck.write([_deck()], path)
    warnings = json_deck.read(path).warnings
    assert len(warnings) == 1 and "flagged" in warnings[0]


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = _write(tmp_path, b"\xef\xbb\xbf" + json_deck.dump(_deck()).encode("utf-8"))
    assert json_deck.read(path).decks == [_deck()]


def test_unknown_keys_are_ignored(tmp_path):
    document = _document()
    document["colour"] = "blue"
    document["cards"][0]["hint"] = "think of Egypt"
    assert json_deck.read(_write(tmp_path, document)).decks == [_deck()]


def test_only_one_deck_goes_in_a_file(tmp_path):
    with pytest.raises(FormatError, match="exactly one deck"):
        json_deck.write([_deck(), _deck()], tmp_path / "two.json")
    assert not list(tmp_path.iterdir())


# Card text is sanitised on the way in


def test_scripts_and_handlers_are_stripped_from_cards(tmp_path):
    document = _document()
    document["cards"][0]["front"] = 'Nile<script>alert("x")</script> <b onclick="steal()">river</b>'
    document["cards"][0]["back"] = '<img src="nile.png" onerror="steal()"><img src="https://tracker/x.png">'
    card = json_deck.read(_write(tmp_path, document)).decks[0].cards[0]
    assert card.front == "Nile <b>river</b>"
    assert card.back == '<img src="nile.png"><img>'


def test_a_card_with_nothing_left_on_its_front_is_refused(tmp_path):
    document = _document()
    document["cards"][1]["front"] = "<script>alert(1)</script>"
    assert "Card 2" in _refusal(tmp_path, document)


# Bad files are refused with a telling one-line message


def test_empty_file(tmp_path):
    assert "empty" in _refusal(tmp_path, b"")
    assert "empty" in _refusal(tmp_path, b"  \n\t\n")


def test_not_json(tmp_path):
    assert "Not JSON" in _refusal(tmp_path, "front,back\nQ,A\n")


def test_truncated_json_names_the_line(tmp_path):
    text = json_deck.dump(_deck())
    message = _refusal(tmp_path, text[: len(text) // 2])
    assert "Not JSON" in message and "line" in message


def test_invalid_utf8(tmp_path):
    assert "not UTF-8" in _refusal(tmp_path, b'{"format": "flashcards-deck", "name": "caf\xe9"}')


def test_json_that_is_not_an_object(tmp_path):
    assert "expected a JSON object" in _refusal(tmp_path, "[1, 2, 3]")


def test_wrong_format(tmp_path):
    document = _document()
    document["format"] = "anki-deck"
    assert '"anki-deck"' in _refusal(tmp_path, document)


def test_missing_format(tmp_path):
    document = _document()
    del document["format"]
    assert "Not a Flashcards deck file" in _refusal(tmp_path, document)


def test_a_newer_version_is_refused(tmp_path):
    document = _document()
    document["version"] = 2
    assert "made by a newer version of Flashcards" in _refusal(tmp_path, document)


@pytest.mark.parametrize("version", [None, "1", 0, 1.5, True])
def test_a_version_that_is_not_a_whole_number_is_refused(tmp_path, version):
    document = _document()
    document["version"] = version
    assert "version" in _refusal(tmp_path, document)


@pytest.mark.parametrize("key", ["id", "name", "cards"])
def test_a_missing_deck_field_is_named(tmp_path, key):
    document = _document()
    del document[key]
    assert f'"{key}"' in _refusal(tmp_path, document)


@pytest.mark.parametrize("key, value", [("id", 7), ("name", ["x"]), ("cards", {}), ("description", 1),
                                        ("revision", "2"), ("revision", 0)])
def test_an_ill_typed_deck_field_is_named(tmp_path, key, value):
    document = _document()
    document[key] = value
    assert f'"{key}"' in _refusal(tmp_path, document)


def test_unknown_kind(tmp_path):
    document = _document()
    document["kind"] = "poem"
    message = _refusal(tmp_path, document)
    assert "unknown kind" in message and '"poem"' in message


@pytest.mark.parametrize("key", ["id", "front", "back"])
def test_a_missing_card_field_names_the_card_and_field(tmp_path, key):
    document = _document()
    del document["cards"][2][key]
    message = _refusal(tmp_path, document)
    assert "Card 3" in message and f'"{key}"' in message


@pytest.mark.parametrize("key, value", [("id", 3), ("front", None), ("back", ["A"]), ("tags", "africa"),
                                        ("flag", 1)])
def test_an_ill_typed_card_field_names_the_card_and_field(tmp_path, key, value):
    document = _document()
    document["cards"][1][key] = value
    message = _refusal(tmp_path, document)
    assert "Card 2" in message and f'"{key}"' in message


def test_a_tag_that_is_not_text_names_the_card(tmp_path):
    document = _document()
    document["cards"][0]["tags"] = ["africa", 5]
    assert "Card 1" in _refusal(tmp_path, document)


def test_a_card_that_is_not_an_object_is_named(tmp_path):
    document = _document()
    document["cards"][1] = "Which river? / The Nile"
    assert "Card 2" in _refusal(tmp_path, document)


def test_duplicate_card_ids_name_both_cards(tmp_path):
    document = _document()
    document["cards"][2]["id"] = document["cards"][0]["id"]
    message = _refusal(tmp_path, document)
    assert "Card 3" in message and "card 1" in message and "rivers-faq-longest" in message


def test_deeply_nested_json_is_refused(tmp_path):
    assert "Not" in _refusal(tmp_path, "[" * 100_000 + "]" * 100_000)


# The decks that ship with Flashcards


def _balanced_quotes(text: str) -> bool:
    depth = 0
    for mark in text:
        depth += {"“": 1, "”": -1}.get(mark, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("file_name, name, kind, count, revision", [
    ("the-400-blows-facts.json", "The 400 Blows: Facts", DeckKind.FACT, 30, 2),
    ("the-400-blows-faq.json", "The 400 Blows: FAQ", DeckKind.FAQ, 8, 1),
])
def test_bundled_deck_loads_clean(file_name, name, kind, count, revision):
    """Revision 2 of the facts turned each into a card to recall (a cloze or a question)."""
    imported = json_deck.read(BUNDLED / file_name)
    [deck] = imported.decks
    assert (deck.name, deck.kind, len(deck.cards), deck.revision) == (name, kind, count, revision)
    assert deck.description and imported.warnings == []
    assert [card.warning for card in deck.cards] == [None] * count
    for card in deck.cards:
        assert _balanced_quotes(card.front) and _balanced_quotes(card.back), card.id
        assert card.back.rstrip("”").endswith((".", "?", "!")), card.id


def test_bundled_decks_keep_the_ids_the_article_reader_gives():
    """So that making the decks again from the article keeps everyone's progress."""
    from_article = article.read(SOURCE_ARTICLE).decks
    bundled = [json_deck.read(BUNDLED / f"{deck.id}.json").decks[0] for deck in from_article]
    for made, shipped in zip(from_article, bundled):
        assert [card.id for card in shipped.cards] == [card.id for card in made.cards]


def test_bundled_deck_files_are_as_flashcards_writes_them():
    for path in sorted(BUNDLED.glob("*.json")):
        assert json_deck.dump(json_deck.read(path).decks[0]) == path.read_text(encoding="utf-8"), path.name


def test_the_first_fact_is_completed_in_the_bundled_deck():
    deck = json_deck.read(BUNDLED / "the-400-blows-facts.json").decks[0]
    assert deck.cards[0].back == 'The movie “The 400 Blows” is a French film released in <span class="cloze">1959</span>.'
    assert deck.cards[0].front == 'The movie “The 400 Blows” is a French film released in <span class="cloze">[...]</span>.'


# Whatever the bytes, the only failure is FormatError

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
_card_like = st.fixed_dictionaries(
    {"id": st.text(max_size=6) | st.integers()},
    optional={"front": st.text(max_size=20) | _json_values, "back": st.text(max_size=20) | _json_values,
              "tags": st.lists(st.text(max_size=5)) | _json_values, "flag": st.text(max_size=5) | _json_values},
)
_deck_like = st.fixed_dictionaries(
    {"format": st.just("flashcards-deck") | _json_values, "version": st.just(1) | _json_values},
    optional={"id": st.text(max_size=6) | _json_values, "name": st.text(max_size=6) | _json_values,
              "kind": st.sampled_from(["fact", "faq", "basic", "other"]) | _json_values,
              "revision": st.integers() | _json_values, "description": st.text(max_size=6) | _json_values,
              "cards": st.lists(_card_like | _json_values, max_size=4) | _json_values},
)

_examples = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _read_or_refuse(path: Path) -> None:
    try:
        result = json_deck.read(path)
    except FormatError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert isinstance(result, ImportedDecks) and len(result.decks) == 1


@_examples
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_a_deck_or_a_format_error(tmp_path, data):
    _read_or_refuse(_write(tmp_path, data))


@_examples
@given(_json_values | _deck_like)
def test_arbitrary_json_gives_a_deck_or_a_format_error(tmp_path, value):
    _read_or_refuse(_write(tmp_path, json.dumps(value)))


@_examples
@given(st.lists(st.tuples(st.text(min_size=1, max_size=30).filter(str.strip), st.text(max_size=30)),
                max_size=6, unique_by=lambda pair: pair[0]))
def test_any_plain_text_cards_survive_a_round_trip(tmp_path, pairs):
    cards = [Card(f"d-{index}", clean_html(text_to_html(front)), clean_html(text_to_html(back)))
             for index, (front, back) in enumerate(pairs)]
    cards = [card for card in cards if card.front]
    deck = Deck(id="d", name="D", kind=DeckKind.FACT, cards=cards)
    path = tmp_path / "d.json"
    json_deck.write([deck], path)
    assert json_deck.read(path).decks == [deck]


def test_a_lone_surrogate_escape_is_refused_but_an_escaped_emoji_is_read(tmp_path):
    deck = '{"format": "flashcards-deck", "version": 1, "id": "d", "name": "%s", "cards": []}'
    assert "broken character escape" in _refusal(tmp_path, deck % "caf\\ud800")
    read_back = json_deck.read(_write(tmp_path, deck % "smile \\ud83d\\ude00")).decks[0]
    assert read_back.name == "smile \U0001F600"
