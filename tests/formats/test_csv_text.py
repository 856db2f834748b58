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
    assert any("line 3" in warning and "line 1" in warning for warning in imported.warnings)


# -- files that cannot be read --------------------------------------------------------------------

def test_invalid_utf8_names_the_encoding_and_where(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("caf\u00e9,coffee\n".encode("latin-1"))

    with pytest.raises(FormatError, match=r"not UTF-8.*offset 3.*save it as UTF-8"):
        read(path)


def test_short_row_is_reported_by_its_line_number(tmp_path):
    path = write_text(tmp_path / "short.csv",
                      "#separator:comma\n#html:false\nH,hydrogen\nHe,helium\n\nLi,lithium\nBe\n")

    with pytest.raises(FormatError, match="line 7 has 1 field, expected at least 2"):
        read(path)


def test_several_short_rows_are_all_listed(tmp_path):
    path = write_text(tmp_path / "short.tsv", "H\thydrogen\nHe\nLi\tlithium\nBe\n")

    with pytest.raises(FormatError, match="lines 2, 4 have fewer than 2 fields"):
        read(path)


def test_rows_shorter_than_the_declared_columns_are_reported(tmp_path):
    path = write_text(tmp_path / "guid.csv", "#guid column:3\nH,hydrogen,g1\nHe,helium\n")

    with pytest.raises(FormatError, match="line 3 has 2 fields, expected at least 3"):
        read(path)


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


def test_quote_that_is_never_closed_is_reported_where_it_opens(tmp_path):
    path = write_text(tmp_path / "open.csv", 'H,hydrogen\nHe,"helium\nLi,lithium\n')

    with pytest.raises(FormatError, match="line 2: a quoted field is never closed"):
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
