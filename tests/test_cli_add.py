"""`flashcards add`: one card from a script, into a deck named (made when missing)."""

import json
import subprocess
import sys

import pytest

from flashcards.cli import main


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def cards(capsys, data, search=""):
    status, out, _ = run(capsys, "--data-dir", str(data), "cards", search, "--json")
    assert status == 0
    return json.loads(out)


def test_a_card_added_to_a_new_deck_prints_its_id(tmp_path, capsys):
    status, out, err = run(capsys, "--data-dir", str(tmp_path), "add", "--deck", "French words",
                           "--front", "le chat", "--back", "the cat", "--tags", "animals  nouns")
    assert status == 0 and err == ""
    card_id = out.strip()
    (card,) = cards(capsys, tmp_path, 'deck:"French words"')
    assert card["id"] == card_id and card["state"] == "new"
    assert (card["front"], card["back"], card["tags"]) == ("le chat", "the cat",
                                                          ["animals", "nouns"])


def test_a_second_card_joins_the_deck_of_that_name_whatever_its_case(tmp_path, capsys):
    for deck, front in (("Verbs", "aller"), ("verbs", "venir")):
        assert run(capsys, "--data-dir", str(tmp_path), "add", "--deck", deck, "--front", front,
                   "--back", "…")[0] == 0
    assert [card["front"] for card in cards(capsys, tmp_path, "deck:verbs")] == ["aller", "venir"]
    status, out, _ = run(capsys, "--data-dir", str(tmp_path), "decks", "--json")
    assert [deck["name"] for deck in json.loads(out)].count("Verbs") == 1


def test_card_html_is_cleaned_on_the_way_in(tmp_path, capsys):
    run(capsys, "--data-dir", str(tmp_path), "add", "--deck", "Safe", "--front",
        '<b>bold</b><script>alert(1)</script><img src="https://example.com/x.png">',
        "--back", "<i>fine</i>")
    (card,) = cards(capsys, tmp_path, "deck:safe")
    assert card["front"] == "<b>bold</b><img>" and card["back"] == "<i>fine</i>"


@pytest.mark.parametrize("args, words", [
    (["--deck", "Verbs", "--front", "  ", "--back", "x"], "front"),
    (["--deck", " ", "--front", "aller", "--back", "x"], "name"),
])
def test_an_error_is_one_line_and_adds_nothing(tmp_path, capsys, args, words):
    before = cards(capsys, tmp_path)
    status, out, err = run(capsys, "--data-dir", str(tmp_path), "add", *args)
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("flashcards: ") and words in err
    assert cards(capsys, tmp_path) == before


def test_adding_while_the_window_has_the_folder_open_says_so(tmp_path, capsys):
    from flashcards.app import open_collection

    run(capsys, "--data-dir", str(tmp_path), "decks")
    with open_collection(tmp_path):
        status, out, err = run(capsys, "--data-dir", str(tmp_path), "add", "--deck", "Verbs",
                               "--front", "aller", "--back", "to go")
    assert status == 1 and out == "" and "already open" in err and err.count("\n") == 1


def test_add_explains_itself():
    result = subprocess.run([sys.executable, "-m", "flashcards", "add", "--help"],
                            capture_output=True, text=True, check=True)
    assert "--deck NAME" in result.stdout and "--tags" in result.stdout
