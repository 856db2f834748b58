"""CSV and TSV files in Anki's text conventions: what a person gets importing or exporting them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.core.deck import Card, Deck, DeckKind
from flashcards.core.importing import ImportedDecks
from flashcards.formats import FormatError
from flashcards.formats.csv_text import read, write

SAMPLES = Path(__file__).parent / "csv_samples"


def write_text(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def only_deck(imported: ImportedDecks) -> Deck:
    assert len(imported.decks) == 1
    return imported.decks[0]


def cards_by_front(deck: Deck) -> dict[str, Card]:
    return {card.front: card for card in deck.cards}


# -- Anki's header conventions --------------------------------------------------------------------

def test_anki_export_gives_its_deck_html_and_tags():
    deck = only_deck(read(SAMPLES / "anki_export.tsv"))

    assert deck.name == "Spanish::Verbs"
    assert deck.id == "spanish-verbs"
    assert deck.kind is DeckKind.BASIC
    cards = cards_by_front(deck)
    assert list(cards) == ["<b>hablar</b>", "comer", "vivir", "escribir"]
    assert cards["<b>hablar</b>"].tags == ("verbs", "ar-verbs")
    assert cards["comer"].back == "to eat<br>(also: to have lunch)"
    assert cards["vivir"].back == 'to live "fully"'
    assert cards["vivir"].tags == ()


def test_html_true_strips_scripts_and_event_handlers(tmp_path):
    path = write_text(tmp_path / "unsafe.csv",
                      "#html:true\n"
                      '<b onclick="steal()">bold</b>,<img src="cat.png" onerror="alert(1)">'
                      "<script>alert('x')</script>\n")

    card = only_deck(read(path)).cards[0]

    assert card.front == "<b>bold</b>"
    assert "cat.png" in card.back
    for unsafe in ("script", "alert", "onerror", "onclick"):
        assert unsafe not in card.front + card.back


def test_without_html_header_markup_is_shown_as_text(tmp_path):
    path = write_text(tmp_path / "plain.csv", "<b>not bold</b>,a & b\n")

    card = only_deck(read(path)).cards[0]

    assert card.front == "&lt;b&gt;not bold&lt;/b&gt;"
    assert card.back == "a &amp; b"


def test_html_false_header_means_plain_text(tmp_path):
    path = write_text(tmp_path / "plain.csv", "#html:false\n<i>x</i>,y\n")

    assert only_deck(read(path)).cards[0].front == "&lt;i&gt;x&lt;/i&gt;"


def test_columns_header_finds_question_and_answer_by_name():
    deck = only_deck(read(SAMPLES / "named_columns.csv"))

    cards = cards_by_front(deck)
    assert cards["Capital of France?"].back == "Paris"
    assert cards["Capital of Japan?"].back == "Tokyo"
    assert cards["Capital of Japan?"].tags == ("geography", "asia")


def test_quoted_fields_keep_quotes_commas_and_line_breaks():
    deck = only_deck(read(SAMPLES / "quoted.csv"))

    cards = cards_by_front(deck)
    assert cards['What does "CSV" stand for?'].back == "Comma-separated values"
    assert cards["A haiku, in two lines"].back == "An old silent pond<br>A frog jumps into the pond"
    assert cards["Plain front"].back == "plain back with &lt;angle&gt; &amp; ampersand"
    assert len(deck.cards) == 3


def test_semicolon_separator_is_guessed_without_a_header():
    deck = only_deck(read(SAMPLES / "semicolon.csv"))

    cards = cards_by_front(deck)
    assert cards["Hund"].back == "dog, hound"
    assert cards["Uhrzeit"].back == "time of day, e.g. 10:30"
    assert len(deck.cards) == 4


def test_tab_separator_is_guessed_in_a_csv_named_file(tmp_path):
    path = write_text(tmp_path / "tabs.csv", "one, two\tuno, dos\nthree\ttres\n")

    cards = cards_by_front(only_deck(read(path)))

    assert cards["one, two"].back == "uno, dos"


def test_byte_order_mark_does_not_hide_the_header():
    deck = only_deck(read(SAMPLES / "bom.csv"))

    assert deck.name == "Café"
    assert [card.front for card in deck.cards] == ["café", "thé"]


def test_deck_column_sends_cards_to_their_decks_and_guids_become_ids():
    imported = read(SAMPLES / "deck_column.tsv")

    decks = {deck.name: deck for deck in imported.decks}
    assert set(decks) == {"Languages::French", "Languages::German"}
    assert [card.front for card in decks["Languages::French"].cards] == ["chat", "chien"]
    assert decks["Languages::German"].cards[0].id == "languages-german-Qb9/Zz"
    assert decks["Languages::French"].cards[0].tags == ("animals",)


def test_deck_name_chosen_at_import_wins_over_the_file(tmp_path):
    assert only_deck(read(SAMPLES / "anki_export.tsv", deck_name="My verbs")).name == "My verbs"
    imported = read(SAMPLES / "deck_column.tsv", deck_name="Everything")
    assert only_deck(imported).name == "Everything"
    assert len(imported.decks[0].cards) == 3


def test_deck_is_named_after_the_file_when_nothing_else_names_it(tmp_path):
    path = write_text(tmp_path / "Chemistry basics.csv", "H,hydrogen\n")

    deck = only_deck(read(path))

    assert (deck.name, deck.id) == ("Chemistry basics", "chemistry-basics")


def test_tags_header_is_added_to_every_card(tmp_path):
    path = write_text(tmp_path / "t.csv",
                      "#tags:chem exam\n#tags column:3\nH,hydrogen,gas exam\nFe,iron\n")

    cards = cards_by_front(only_deck(read(path)))

    assert cards["H"].tags == ("chem", "exam", "gas")
    assert cards["Fe"].tags == ("chem", "exam")


def test_unknown_header_keys_and_blank_lines_are_ignored(tmp_path):
    path = write_text(tmp_path / "t.csv",
                      "#notetype:Basic\n#colour:blue\n\nH,hydrogen\n\n\nHe,helium\n")

    assert [card.front for card in only_deck(read(path)).cards] == ["H", "He"]


def test_separator_given_by_the_caller_is_used_when_the_file_has_none(tmp_path):
    path = write_text(tmp_path / "t.txt", "a,b|c\n")

    assert only_deck(read(path, separator="|")).cards[0].front == "a,b"


# -- ids and duplicates ---------------------------------------------------------------------------

def test_reading_the_same_file_again_gives_the_same_card_ids(tmp_path):
    copy = tmp_path / "quoted.csv"
    shutil.copy(SAMPLES / "quoted.csv", copy)

    first = [card.id for card in only_deck(read(SAMPLES / "quoted.csv")).cards]
    again = [card.id for card in only_deck(read(copy)).cards]

    assert first == again
    assert len(set(first)) == len(first)


def test_repeated_front_keeps_the_first_card_and_warns(tmp_path):
    path = write_text(tmp_path / "dup.csv", "H,hydrogen\nHe,helium\nH,something else\n")

    imported = read(path)

    assert cards_by_front(only_deck(imported))["H"].back == "hydrogen"
    assert len(imported.decks[0].cards) == 2
    assert imported.warnings == ["line 3: the same front as line 1 but another back; skipped"]


def test_the_same_card_in_two_decks_is_no_duplicate(tmp_path):
    path = write_text(tmp_path / "two.tsv",
                      "#deck column:1\nFrench\tchat\tcat\nItalian\tchat\tcat\n")

    imported = read(path)

    assert {deck.name: len(deck.cards) for deck in imported.decks} == {"French": 1, "Italian": 1}
    assert imported.warnings == []


# -- bad lines: the good ones are imported, each bad one is named by its line -------------------

def test_bad_lines_are_skipped_and_named_by_their_line_in_the_file(tmp_path):
    path = write_text(tmp_path / "elements.csv",
                      "#separator:comma\n"          # 1
                      "#html:false\n"               # 2
                      "H,hydrogen\n"                # 3
                      "He,helium\n"                 # 4
                      "\n"                          # 5
                      "Li,lithium,metal\n"          # 6
                      "Be\n"                        # 7
                      ",boron\n"                    # 8
                      "C,carbon\n"                  # 9
                      "He,helium\n"                 # 10
                      "N,nitrogen,,\n")             # 11

    imported = read(path)

    assert [(card.front, card.back) for card in only_deck(imported).cards] == [
        ("H", "hydrogen"), ("He", "helium"), ("C", "carbon"), ("N", "nitrogen")]
    assert imported.warnings == [
        "line 6: 3 fields, expected 2; skipped",
        "line 7: 1 field, expected 2; skipped",
        "line 8: the front is empty; skipped",
        "line 10: the same card as line 4; skipped",
    ]


def test_a_consistent_extra_column_is_not_a_bad_line(tmp_path):
    path = write_text(tmp_path / "notes.csv",
                      "H,hydrogen,lightest\nHe,helium,noble\nLi,lithium,\nBe,beryllium\n")

    imported = read(path)

    assert [card.front for card in only_deck(imported).cards] == ["H", "He", "Li", "Be"]
    assert imported.warnings == []


def test_a_field_beyond_the_named_columns_is_one_too_many(tmp_path):
    path = write_text(tmp_path / "named.csv",
                      "#columns:Front,Back\nH,hydrogen\nHe,helium,noble gas\nLi,lithium,\n")

    imported = read(path)

    assert [card.front for card in only_deck(imported).cards] == ["H", "Li"]
    assert imported.warnings == ["line 3: 3 fields, expected 2; skipped"]


def test_a_row_without_a_declared_column_is_skipped(tmp_path):
    path = write_text(tmp_path / "guid.csv", "#guid column:3\nH,hydrogen,g1\nHe,helium\n")

    imported = read(path)

    assert [card.front for card in only_deck(imported).cards] == ["H"]
    assert imported.warnings == ["line 3: 2 fields, expected 3; skipped"]


def test_bad_lines_of_a_tsv_are_named_too(tmp_path):
    path = write_text(tmp_path / "short.tsv", "H\thydrogen\nHe\nLi\tlithium\nBe\n")

    imported = read(path)

    assert [card.front for card in only_deck(imported).cards] == ["H", "Li"]
    assert imported.warnings == ["line 2: 1 field, expected 2; skipped",
                                 "line 4: 1 field, expected 2; skipped"]


def test_quote_that_is_never_closed_skips_only_the_line_where_it_opens(tmp_path):
    path = write_text(tmp_path / "open.csv", 'H,hydrogen\nHe,"helium\nLi,lithium\n')

    imported = read(path)

    assert [card.front for card in only_deck(imported).cards] == ["H", "Li"]
    assert imported.warnings == ["line 2: a quoted field is never closed; skipped"]


def test_badly_quoted_line_is_skipped(tmp_path):
    path = write_text(tmp_path / "quotes.csv", 'H,hydrogen\nHe,"hel"ium\nLi,lithium\n')

    imported = read(path)

    assert [card.front for card in only_deck(imported).cards] == ["H", "Li"]
    assert len(imported.warnings) == 1
    assert imported.warnings[0].startswith("line 2: badly quoted field")


def test_many_bad_lines_list_the_first_ten_then_count_the_rest(tmp_path):
    path = write_text(tmp_path / "many.csv",
                      "H,hydrogen\n" + "".join(f"lonely {n}\n" for n in range(2, 27)))

    imported = read(path)

    assert [card.front for card in only_deck(imported).cards] == ["H"]
    assert imported.warnings == [f"line {n}: 1 field, expected 2; skipped" for n in range(2, 12)] + [
        "15 more bad lines were skipped"]


# -- files that cannot be read --------------------------------------------------------------------

def test_invalid_utf8_names_the_encoding_and_where(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("caf\u00e9,coffee\n".encode("latin-1"))

    with pytest.raises(FormatError, match=r"not UTF-8.*offset 3.*save it as UTF-8"):
        read(path)


def test_file_without_a_usable_line_is_refused_with_each_problem(tmp_path):
    path = write_text(tmp_path / "cards.csv", "#separator:comma\nBe\n,boron\n")

    with pytest.raises(FormatError) as error:
        read(path)

    assert str(error.value) == ("cards.csv has no usable line: line 2: 1 field, expected 2; "
                                "line 3: the front is empty.")


def test_file_of_many_bad_lines_is_refused_in_one_line(tmp_path):
    path = write_text(tmp_path / "cards.csv", "".join(f"lonely {n}\n" for n in range(1, 31)))

    with pytest.raises(FormatError) as error:
        read(path)

    message = str(error.value)
    assert "\n" not in message
    assert message.startswith("cards.csv has no usable line: line 1: 1 field, expected 2; line 2:")
    assert message.endswith("line 10: 1 field, expected 2; and 20 more bad lines.")


@pytest.mark.parametrize("text", ["", "\n\n  \n", "#separator:tab\n#html:true\n"])
def test_file_without_cards_is_refused(tmp_path, text):
    path = write_text(tmp_path / "empty.csv", text)

    with pytest.raises(FormatError, match="empty|no cards"):
        read(path)


@pytest.mark.parametrize("header, problem", [
    ("#separator:dash", "not a separator"),
    ("#html:maybe", "html:maybe"),
    ("#tags column:9", "out of range"),
    ("#deck column:0", "counted from 1"),
    ("#guid column:two", "counted from 1"),
])
def test_header_that_makes_no_sense_is_named(tmp_path, header, problem):
    path = write_text(tmp_path / "bad.csv", f"{header}\nH,hydrogen\n")

    with pytest.raises(FormatError, match=problem):
        read(path)


def test_missing_file_is_a_format_error(tmp_path):
    with pytest.raises(FormatError, match="Cannot read"):
        read(tmp_path / "nowhere.csv")


# -- writing --------------------------------------------------------------------------------------

TRICKY_CARDS = [
    Card("a", "What is <b>2 + 2</b>?", "4", ("math", "easy")),
    Card("b", 'Say "hello", in French', "bonjour<br>salut"),
    Card("c", "#hashtag at the start", "tab\there; semi; colon: pipe|", ("social",)),
    Card("d", "Line one\nline two", "&lt;not a tag&gt; &amp; more"),
]


def fields_of(deck: Deck) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(card.front, card.back, card.tags) for card in deck.cards]


@pytest.mark.parametrize("file_name", ["deck.tsv", "deck.csv"])
def test_round_trip_keeps_fronts_backs_and_tags(tmp_path, file_name):
    deck = Deck("tricky", "Tricky::Cards", cards=TRICKY_CARDS)
    path = tmp_path / file_name

    write([deck], path)
    again = only_deck(read(path))

    assert again.name == "Tricky::Cards"
    assert fields_of(again) == fields_of(deck)


def test_round_trip_with_several_decks_keeps_each_card_in_its_deck(tmp_path):
    decks = [Deck("one", "One", cards=TRICKY_CARDS[:2]), Deck("two", "Two", cards=TRICKY_CARDS[2:])]
    path = tmp_path / "both.tsv"

    write(decks, path)
    again = {deck.name: deck for deck in read(path).decks}

    assert fields_of(again["One"]) == fields_of(decks[0])
    assert fields_of(again["Two"]) == fields_of(decks[1])


def test_export_uses_ankis_header_lines(tmp_path):
    deck = Deck("chem", "Chemistry",
                cards=[Card("h", "H", "hydrogen", ("gas",)), Card("fe", "Fe", "iron")])

    write([deck], tmp_path / "chem.tsv")
    write([deck], tmp_path / "chem.csv")

    assert (tmp_path / "chem.tsv").read_text(encoding="utf-8") == (
        "#separator:tab\n#html:true\n#deck:Chemistry\n#tags column:3\n"
        "H\thydrogen\tgas\nFe\tiron\t\n")
    assert (tmp_path / "chem.csv").read_text(encoding="utf-8").startswith(
        "#separator:comma\n#html:true\n#deck:Chemistry\n#tags column:3\nH,hydrogen,gas\n")


def test_export_without_tags_has_no_tags_column(tmp_path):
    deck = Deck("chem", "Chemistry", cards=[Card("h", "H", "hydrogen")])

    write([deck], tmp_path / "chem.txt", separator=";")

    assert (tmp_path / "chem.txt").read_text(encoding="utf-8") == (
        "#separator:semicolon\n#html:true\n#deck:Chemistry\nH;hydrogen\n")


# -- anything at all ------------------------------------------------------------------------------

_CSV_ISH = st.text(alphabet='#:,;\t|" \n\r\ufeffab\u00e9<>', max_size=200).map(str.encode)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), _CSV_ISH))
def test_any_bytes_give_decks_or_a_format_error(tmp_path, data):
    path = tmp_path / "anything.csv"
    path.write_bytes(data)

    try:
        result = read(path)
    except FormatError as error:
        assert "\n" not in str(error)
    else:
        assert isinstance(result, ImportedDecks)
        assert all(deck.cards for deck in result.decks)
