"""CSV and TSV files in Anki's text conventions: what a person gets importing or exporting them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck, DeckKind
from flashcards.core.importing import ImportedDecks
from flashcards import formats
from flashcards.formats import FormatError, guess_format
from flashcards.formats.csv_text import read, write
from flashcards.transfer import import_file

SAMPLES = Path(__file__).parent / "csv_samples"
ARTICLES = Path(__file__).parent / "articles"
# Made by Anki (File > Export > Notes in Plain Text, with HTML, tags, deck, note type and guid).
ANKI_NOTES = SAMPLES / "anki_notes_export.txt"


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


# -- Anki's "Notes in Plain Text" export (.txt) --------------------------------------------------

def test_anki_notes_export_is_told_from_an_article_by_its_first_line():
    assert guess_format(ANKI_NOTES) == "tsv"
    for article in sorted(ARTICLES.glob("*.txt")):
        assert guess_format(article) == "article", article.name


@pytest.mark.parametrize("text, expected", [
    ("#separator:tab\n#html:true\nhola\thello\n", "tsv"),
    ("#separator:Comma\n#html:false\nhola,hello\n", "csv"),
    ("#separator:;\nhola;hello\n", "csv"),
    ("#html:true\nhola\thello\n", "tsv"),
    ("#html:true\nhola,hello\n", "csv"),
    ("#Deck Column:1\n#separator:tab\nSpanish\thola\thello\n", "tsv"),
    ("\ufeff#separator:tab\nhola\thello\n", "tsv"),
    ("\n\n#separator:tab\nhola\thello\n", "tsv"),
    # Anki's older export: no header, a tab between front, back and tags.
    ("hola\thello\tgreetings\nadiós\tgoodbye\t\n", "tsv"),
    ("# The 400 Blows\n\nDirected by Truffaut\n\nThe film was directed by Truffaut.\n", "article"),
    ("#1: a fact\n\nSome text.\n", "article"),
    ("Directed by Truffaut\n\n\tThe film was directed by Truffaut.\n\n\tIt won a prize.\n",
     "article"),
    ("Ratings\n\nIMDb\t8.1\nThe film is loved.\nIt won prizes.\nIt is French.\nIt is old.\n",
     "article"),
])
def test_a_txt_is_read_as_a_text_export_only_when_its_start_says_so(tmp_path, text, expected):
    path = write_text(tmp_path / "notes.txt", text)

    assert guess_format(path) == expected


def test_a_txt_that_is_not_there_yet_is_an_article(tmp_path):
    assert guess_format(tmp_path / "nowhere.txt") == "article"


def test_only_the_start_of_a_txt_is_read_to_tell_what_it_is(tmp_path, monkeypatch):
    path = write_text(tmp_path / "long.txt", "#separator:tab\n" + "hola\thello\n" * 100_000)
    read_sizes = []
    real_open = open

    class Spy:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def read(self, size=-1):
            data = self.handle.read(size)
            read_sizes.append(len(data))
            return data

    monkeypatch.setattr(formats, "open", lambda *a, **k: Spy(real_open(*a, **k)), raising=False)

    assert guess_format(path) == "tsv"
    assert 0 < sum(read_sizes) <= 8192


def test_header_after_blank_lines_still_counts(tmp_path):
    path = write_text(tmp_path / "blank.txt",
                      "\n\n#separator:comma\n#deck:Greetings\nhola,hello\nadiós\n")

    imported = read(path)

    assert only_deck(imported).name == "Greetings"
    assert [card.front for card in imported.decks[0].cards] == ["hola"]
    assert imported.warnings == ["line 6: 1 field, expected 2; skipped"]


def test_anki_notes_export_keeps_decks_fields_and_tags_and_ignores_the_note_type():
    imported = read(ANKI_NOTES)

    decks = {deck.name: deck for deck in imported.decks}
    assert {name: deck.id for name, deck in decks.items()} == {
        "Spanish::Verbs": "spanish-verbs", "Spanish::Nouns": "spanish-nouns", "Spanish": "spanish"}
    assert [(c.front, c.back) for c in decks["Spanish::Verbs"].cards] == [
        ("<b>hablar</b>", "to speak"),
        ("comer", "to eat<br>(also: to have lunch)"),
        ("vivir", "to live\tto be alive")]
    assert [(c.front, c.back) for c in decks["Spanish::Nouns"].cards] == [
        ("el perro", 'the dog, "man\'s best friend"'), ("la casa", "the house"),
        ("el gato", "the cat")]
    assert [(c.front, c.back) for c in decks["Spanish"].cards] == [
        ("¿Qué tal?", "How are you?\nHow's it going?")]
    assert decks["Spanish::Verbs"].cards[0].tags == ("ar-verbs", "verbs")
    assert decks["Spanish::Nouns"].cards[1].tags == ()
    assert imported.warnings == []


def test_anki_guid_gives_the_card_its_id():
    cards = {card.front: card for deck in read(ANKI_NOTES).decks for card in deck.cards}

    assert cards["<b>hablar</b>"].id == "spanish-verbs-L/zWk<8>|@"
    # Anki quotes a guid that holds a `#`.
    assert cards["el gato"].id == "spanish-nouns-b#Q4&nE)pV"


def test_anki_guid_keeps_the_id_when_the_note_is_edited(tmp_path):
    edited = write_text(tmp_path / "edited.txt", ANKI_NOTES.read_text(encoding="utf-8").replace(
        "\tcomer\t", "\tcomer (v.)\t"))

    before = {card.back: card.id for deck in read(ANKI_NOTES).decks for card in deck.cards}
    after = {card.back: card.id for deck in read(edited).decks for card in deck.cards}

    assert after == before


def anki_export(tmp_path: Path, rows: list[str]) -> Path:
    header = ("#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n"
              "#tags column:6\n")
    return write_text(tmp_path / "export.txt", header + "".join(row + "\n" for row in rows))


def test_bad_lines_of_an_anki_export_are_counted_with_its_header(tmp_path):
    path = anki_export(tmp_path, [
        "g1\tBasic\tSpanish\thola\thello\tgreetings",      # line 7
        "g2\tBasic\tSpanish\tadiós",                         # line 8
        "g3\tBasic\tSpanish\t\tnothing in front\t",         # line 9
        "g4\tBasic\tSpanish\tsí\tyes\t\tstray",            # line 10
        "g1\tBasic\tSpanish\tbuenas\tgood evening\t",        # line 11
        "g5\tBasic\tSpanish\thola\thello\t",                # line 12
        "g6\tBasic\tSpanish\tgracias\tthank you\t",         # line 13
    ])

    imported = read(path)

    assert [card.front for card in only_deck(imported).cards] == ["hola", "gracias"]
    assert imported.warnings == [
        "line 8: 4 fields, expected at least 5; skipped",
        "line 9: the front is empty; skipped",
        "line 10: 7 fields, expected 6; skipped",
        "line 11: the same guid as line 7; skipped",
        "line 12: the same card as line 7; skipped",
    ]


@pytest.fixture
def collection(tmp_path):
    with Collection.open(tmp_path / "data", "laptop") as opened:
        yield opened


def test_anki_notes_export_imports_once_and_then_adds_nothing(collection, tmp_path):
    copy = tmp_path / "Spanish.txt"
    shutil.copy(ANKI_NOTES, copy)

    first = import_file(collection, ANKI_NOTES)
    again = import_file(collection, copy)

    assert {(r.name, r.added, r.updated) for r in first.decks} == {
        ("Spanish::Verbs", 3, 0), ("Spanish::Nouns", 3, 0), ("Spanish", 1, 0)}
    assert first.warnings == []
    assert {(r.name, r.added, r.updated, r.skipped) for r in again.decks} == {
        ("Spanish::Verbs", 0, 0, 3), ("Spanish::Nouns", 0, 0, 3), ("Spanish", 0, 0, 1)}
    assert len(collection.deck("spanish-verbs").cards) == 3


def test_an_edited_anki_export_updates_its_cards_instead_of_adding_them(collection, tmp_path):
    edited = write_text(tmp_path / "Spanish.txt", ANKI_NOTES.read_text(encoding="utf-8")
                        .replace("\tcomer\t", "\tcomer (v.)\t")
                        .replace("\tto speak\t", "\tto speak, to talk\t"))
    import_file(collection, ANKI_NOTES)
    ids = [card.id for card in collection.deck("spanish-verbs").cards]

    summary = import_file(collection, edited)

    verbs = collection.deck("spanish-verbs")
    assert {(r.name, r.added, r.updated) for r in summary.decks if r.name == "Spanish::Verbs"} == {
        ("Spanish::Verbs", 0, 2)}
    assert [card.id for card in verbs.cards] == ids
    assert [(card.front, card.back) for card in verbs.cards][:2] == [
        ("<b>hablar</b>", "to speak, to talk"), ("comer (v.)", "to eat<br>(also: to have lunch)")]


def test_bad_lines_reach_the_import_summary(collection, tmp_path):
    path = write_text(tmp_path / "capitals.csv", "France,Paris\nItaly\nSpain,Madrid\n")

    summary = import_file(collection, path)

    assert [(r.name, r.added) for r in summary.decks] == [("capitals", 2)]
    assert summary.warnings == ["line 2: 1 field, expected 2; skipped"]


def test_a_file_without_a_usable_line_changes_nothing(collection, tmp_path):
    path = write_text(tmp_path / "capitals.csv", "France\nItaly\n")
    before = [deck.id for deck in collection.decks()]

    with pytest.raises(FormatError, match="capitals.csv has no usable line: line 1: 1 field"):
        import_file(collection, path)

    assert [deck.id for deck in collection.decks()] == before


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
        assert not any("\n" in warning for warning in result.warnings)
        assert len(result.warnings) <= 11


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), _CSV_ISH))
def test_any_txt_is_told_to_be_an_article_or_a_text_export(tmp_path, data):
    path = tmp_path / "anything.txt"
    path.write_bytes(data)

    assert guess_format(path) in ("article", "tsv", "csv")
