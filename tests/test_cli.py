"""The command line, used as a script would use it."""

import json
import os
import stat
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from flashcards.cli import main


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def folder_state(folder: Path) -> dict:
    """Every file and folder under `folder`: its bytes (files) and modification time."""
    state = {".": folder.stat().st_mtime_ns}
    for path in sorted(folder.rglob("*")):
        state[str(path.relative_to(folder))] = (path.read_bytes() if path.is_file() else None,
                                                path.stat().st_mtime_ns)
    return state


def used_folder(tmp_path, capsys) -> Path:
    """A data folder in use: the bundled decks, an imported deck, a grade, a snapshot, a backup."""
    from flashcards.app import open_collection
    from flashcards.core.progress import Rating

    data = tmp_path / "data"
    deck = tmp_path / "capitals.csv"
    deck.write_text("France,Paris\nItaly,Rome\n", encoding="utf-8")
    assert run(capsys, "--data-dir", str(data), "import", str(deck), "--deck", "Capitals")[0] == 0
    with open_collection(data) as collection:
        collection.grade(collection.next_card("the-400-blows-faq").id, Rating.GOOD)
    return data


def test_decks_lists_the_bundled_decks_with_todays_counts(tmp_path, capsys):
    status, out, _ = run(capsys, "--data-dir", str(tmp_path), "decks", "--json")
    assert status == 0
    decks = {d["name"]: d for d in json.loads(out)}
    assert decks["The 400 Blows: Facts"] == {
        "id": "the-400-blows-facts", "name": "The 400 Blows: Facts", "kind": "fact",
        "cards": 30, "new": 20, "learning": 0, "due": 0}
    assert decks["The 400 Blows: FAQ"]["cards"] == 8
    assert decks["The 400 Blows: FAQ"]["new"] == 8


def test_decks_prints_a_table(tmp_path, capsys):
    status, out, _ = run(capsys, "--data-dir", str(tmp_path), "decks")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "CARDS", "NEW", "LEARNING", "DUE"]
    assert any("The 400 Blows: FAQ" in line and line.split()[-4:] == ["8", "8", "0", "0"]
               for line in lines)


def test_a_parent_decks_cards_include_its_subdecks_as_its_counts_do(tmp_path, capsys):
    data = str(tmp_path)
    for deck, front in (("Lang::Fr", "chat"), ("Lang::Fr", "chien"), ("Lang::De", "Katze")):
        assert run(capsys, "--data-dir", data, "add", "--deck", deck, "--front", front,
                   "--back", "cat")[0] == 0
    decks = {d["name"]: d for d in json.loads(run(capsys, "--data-dir", data, "decks", "--json")[1])}
    assert [(decks[name]["cards"], decks[name]["new"]) for name in ("Lang", "Lang::Fr", "Lang::De")
            ] == [(3, 3), (2, 2), (1, 1)]


def test_the_data_folder_can_come_from_the_environment(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FLASHCARDS_DATA_DIR", str(tmp_path / "cards"))
    deck = tmp_path / "capitals.csv"
    deck.write_text("France,Paris\n", encoding="utf-8")
    assert run(capsys, "import", str(deck))[0] == 0
    assert any((tmp_path / "cards").glob("journal-*.jsonl"))
    _, out, _ = run(capsys, "decks", "--json")
    assert "capitals" in [d["name"] for d in json.loads(out)]


@pytest.mark.parametrize("command", [["decks", "--json"], ["backups", "--json"],
                                     ["cards", "--json"], ["cards", "deck:capitals", "--json"]])
def test_the_data_folder_can_come_before_or_after_the_command(tmp_path, capsys, command):
    data = str(used_folder(tmp_path, capsys))
    before = run(capsys, "--data-dir", data, *command)
    after = run(capsys, *command, "--data-dir", data)
    assert before == after and before[0] == 0 and json.loads(before[1])


def test_an_export_takes_the_data_folder_after_its_options(tmp_path, capsys):
    data = str(used_folder(tmp_path, capsys))
    target = tmp_path / "capitals.json"
    status, _, _ = run(capsys, "export", "capitals", "--to", str(target), "--data-dir", data)
    assert status == 0 and "Paris" in target.read_text(encoding="utf-8")


def test_export_then_import_under_a_new_name(tmp_path, capsys):
    data = str(tmp_path / "data")
    target = tmp_path / "faq.json"
    status, out, _ = run(capsys, "--data-dir", data, "export", "the-400-blows-faq", "--to", str(target))
    assert status == 0 and target.exists()

    status, out, _ = run(capsys, "--data-dir", data, "import", str(target), "--json")
    assert status == 0
    assert json.loads(out) == {"decks": [{"id": "the-400-blows-faq", "name": "The 400 Blows: FAQ",
                                          "kind": "faq", "added": 0, "updated": 0, "skipped": 8}]}


def test_importing_the_same_file_twice_says_nothing_is_new(tmp_path, capsys):
    data = str(tmp_path / "data")
    deck = tmp_path / "capitals.csv"
    deck.write_text("France,Paris\nItaly,Rome\n", encoding="utf-8")
    status, out, _ = run(capsys, "--data-dir", data, "import", str(deck))
    assert status == 0 and "2 added" in out
    status, out, _ = run(capsys, "--data-dir", data, "import", str(deck))
    assert status == 0 and "nothing new" in out


@pytest.mark.parametrize("name, content", [
    ("empty.json", b""),
    ("not-a-deck.apkg", b"this is not a zip file"),
    ("broken.json", b"{\"format\": \"flashcards-deck\", "),
])
def test_a_bad_file_gets_one_line_and_changes_nothing(tmp_path, capsys, name, content):
    data = used_folder(tmp_path, capsys)
    before = folder_state(data)
    bad = tmp_path / name
    bad.write_bytes(content)
    status, out, err = run(capsys, "--data-dir", str(data), "import", str(bad))
    assert status == 1
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert folder_state(data) == before


def test_decks_on_a_folder_never_used_lists_the_bundled_decks_and_makes_nothing(tmp_path, capsys):
    from flashcards.app import open_collection

    data = tmp_path / "data"
    status, out, _ = run(capsys, "--data-dir", str(data), "decks", "--json")
    assert status == 0
    assert [d["name"] for d in json.loads(out)] == ["The 400 Blows: Facts", "The 400 Blows: FAQ"]
    assert not data.exists()
    open_collection(data).close()  # the window's first start
    assert run(capsys, "--data-dir", str(data), "decks", "--json")[1] == out


def test_looking_works_while_the_window_has_the_folder_open(tmp_path, capsys):
    from flashcards.app import open_collection
    from flashcards.core.progress import Rating

    data = used_folder(tmp_path, capsys)
    deck = tmp_path / "more.csv"
    deck.write_text("Spain,Madrid\n", encoding="utf-8")
    with open_collection(data) as window:
        window.grade(window.next_card("the-400-blows-faq").id, Rating.GOOD)
        status, out, err = run(capsys, "--data-dir", str(data), "decks", "--json")
        assert status == 0 and err == ""
        assert {d["name"]: d["new"] for d in json.loads(out)}["The 400 Blows: FAQ"] == 6
        status, out, err = run(capsys, "--data-dir", str(data), "cards", "--json")
        assert status == 0 and err == ""
        assert sum(c["reviews"] for c in json.loads(out)) == 2
        target = tmp_path / "faq.json"
        status, _, err = run(capsys, "--data-dir", str(data), "export", "the-400-blows-faq",
                             "--to", str(target))
        assert status == 0 and err == "" and target.exists()
        status, _, err = run(capsys, "--data-dir", str(data), "import", str(deck))
        assert status == 1 and "already open" in err


def test_looking_works_while_another_process_has_the_folder_open(tmp_path, capsys):
    data = used_folder(tmp_path, capsys)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from flashcards.app import open_collection; "
         "c = open_collection(sys.argv[1]); print('open', flush=True); sys.stdin.read(); c.close()",
         str(data)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "open\n"
        status, out, _ = run(capsys, "--data-dir", str(data), "decks", "--json")
        assert status == 0 and "Capitals" in [d["name"] for d in json.loads(out)]
        status, _, err = run(capsys, "--data-dir", str(data), "restore", "2000-01-01")
        assert status == 1 and "already open" in err
    finally:
        holder.communicate("")
    assert holder.returncode == 0


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664)],
                         ids=["umask-022", "umask-002"])
def test_every_file_written_gets_the_ordinary_permission(tmp_path, capsys, umask, mode):
    old = os.umask(umask)
    try:
        data = used_folder(tmp_path, capsys)
        written = [data / "snapshot-test-device.json", data / "journal-test-device.jsonl",
                   *(data / "backups").iterdir()]
        for name in ("faq.json", "faq.csv", "faq.tsv", "faq.apkg"):
            assert run(capsys, "--data-dir", str(data), "export", "the-400-blows-faq", "--to",
                       str(tmp_path / name))[0] == 0
            written.append(tmp_path / name)
    finally:
        os.umask(old)
    assert len(written) == 7
    assert {path.name: oct(stat.S_IMODE(path.stat().st_mode)) for path in written} == {
        path.name: oct(mode) for path in written}


@pytest.mark.parametrize("command", [
    ["decks"], ["decks", "--json"], ["backups"], ["backups", "--json"],
    ["cards"], ["cards", "--json"], ["cards", "deck:Capitals", "--json"],
    ["export", "the-400-blows-faq", "--to", "{out}/faq.json"],
    ["export", "capitals", "--to", "{out}/capitals.apkg"],
])
def test_commands_that_only_look_leave_every_file_as_it_was(tmp_path, capsys, command):
    data = used_folder(tmp_path, capsys)
    (tmp_path / "out").mkdir()
    command = [part.format(out=tmp_path / "out") for part in command]
    before = folder_state(data)
    for _ in range(2):
        status, _, err = run(capsys, "--data-dir", str(data), *command)
        assert status == 0 and err == ""
        assert folder_state(data) == before


@pytest.mark.parametrize("name", ["deck.json", "deck.csv", "deck.apkg"])
def test_an_export_to_a_folder_that_does_not_exist_says_so_in_one_line(tmp_path, capsys, name):
    target = tmp_path / "no" / "such" / name
    status, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "export",
                           "the-400-blows-faq", "--to", str(target))
    assert status == 1 and out == ""
    assert err.splitlines() == [f"flashcards: Cannot export to {target}: the folder "
                                f"{target.parent} does not exist."]
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("name", ["notes.txt", "notes"])
def test_an_export_whose_name_names_no_format_changes_no_file(tmp_path, capsys, name):
    target = tmp_path / name
    target.write_text("#separator:tab\n#html:true\nQuestion\tAnswer\n", encoding="utf-8")
    before = target.read_bytes()
    status, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "export",
                         "the-400-blows-faq", "--to", str(target))
    assert status == 1 and len(err.splitlines()) == 1
    assert target.read_bytes() == before


def test_an_unknown_deck_is_named_in_the_error(tmp_path, capsys):
    status, _, err = run(capsys, "--data-dir", str(tmp_path), "export", "nope", "--to",
                         str(tmp_path / "x.json"))
    assert status == 1 and "nope" in err


@pytest.mark.parametrize("command", [[], ["decks"], ["cards"], ["import"], ["export"]])
def test_every_command_explains_itself(command):
    result = subprocess.run([sys.executable, "-m", "flashcards", *command, "--help"],
                            capture_output=True, text=True, check=True)
    assert "usage: flashcards" in result.stdout


def test_a_deck_name_with_bytes_the_terminal_could_not_decode_is_still_saved(tmp_path, capsys):
    deck = tmp_path / "capitals.csv"
    deck.write_text("France,Paris\n", encoding="utf-8")
    status, out, _ = run(capsys, "--data-dir", str(tmp_path / "data"), "import", str(deck),
                         "--deck", "Caf\udce9")
    assert status == 0 and "Caf?: 1 added" in out


def test_an_exported_anki_package_imports_back_without_duplicates(tmp_path, capsys):
    data = str(tmp_path / "data")
    package = tmp_path / "faq.apkg"
    assert run(capsys, "--data-dir", data, "export", "the-400-blows-faq", "--to", str(package))[0] == 0
    status, out, _ = run(capsys, "--data-dir", data, "import", str(package))
    assert status == 0 and "nothing new" in out
    _, out, _ = run(capsys, "--data-dir", data, "decks", "--json")
    assert [d["name"] for d in json.loads(out)].count("The 400 Blows: FAQ") == 1


def test_importing_into_an_existing_deck_adds_and_keeps(tmp_path, capsys):
    data = str(tmp_path / "data")
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("France,Paris\nItaly,Rome\n", encoding="utf-8")
    second.write_text("France,Paris\nSpain,Madrid\n", encoding="utf-8")
    run(capsys, "--data-dir", data, "import", str(first), "--deck", "Capitals")
    status, out, _ = run(capsys, "--data-dir", data, "import", str(second), "--deck", "Capitals")
    assert status == 0 and "1 added" in out
    _, out, _ = run(capsys, "--data-dir", data, "decks", "--json")
    assert {d["name"]: d["cards"] for d in json.loads(out)}["Capitals"] == 3


def test_restore_brings_back_the_days_backup_and_keeps_the_history(tmp_path, capsys):
    from flashcards.app import open_collection
    from flashcards.core.progress import Rating

    data = str(tmp_path / "data")
    open_collection(data).close()  # the first start adds the bundled decks and keeps a backup
    with open_collection(data) as collection:
        for _ in range(3):
            card = collection.next_card("the-400-blows-faq")
            collection.grade(card.id, Rating.EASY)
    status, out, _ = run(capsys, "--data-dir", data, "backups", "--json")
    [backup] = json.loads(out)  # the study day's, named by its date

    status, out, _ = run(capsys, "--data-dir", data, "restore", backup["day"])
    assert status == 0 and "Restored" in out
    _, out, _ = run(capsys, "--data-dir", data, "decks", "--json")
    assert {d["name"]: d["new"] for d in json.loads(out)}["The 400 Blows: FAQ"] == 8
    with open_collection(data) as collection:
        assert len(collection.reviews()) == 3


@pytest.mark.parametrize("command", [["backups"], ["restore"]])
def test_the_backup_commands_explain_themselves(command):
    result = subprocess.run([sys.executable, "-m", "flashcards", *command, "--help"],
                            capture_output=True, text=True, check=True)
    assert "backup" in result.stdout


# -- cards ----------------------------------------------------------------------------------------
CARD_KEYS = ["id", "deck", "front", "back", "tags", "state", "due", "reviews", "lapses",
             "stability", "difficulty", "suspended", "buried", "flag"]
STUDIED_AT = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)


def studied_folder(tmp_path, capsys) -> Path:
    """Capitals (HTML questions, one long, with tags) and French words with a subdeck, beside the
    bundled decks; France graded three times (Again, Good, Good), Italy once (Easy)."""
    from flashcards.app import open_collection
    from flashcards.core.clock import FakeClock
    from flashcards.core.progress import Rating

    data = tmp_path / "data"
    capitals = tmp_path / "capitals.csv"
    capitals.write_text("#html:true\n#tags column:3\n"
                        "<b>France</b>,Paris,europe\n"
                        "\"Italy<br>\n(the  country)\",Rome,europe south\n"
                        f"{'A question far too long to show whole in a table ' * 3},Answer,\n",
                        encoding="utf-8")
    words = tmp_path / "words.csv"
    words.write_text("le chat,the cat\n", encoding="utf-8")
    verbs = tmp_path / "verbs.csv"
    verbs.write_text("manger,to eat\n", encoding="utf-8")
    for path, name in ((capitals, "Capitals"), (words, "French words"),
                       (verbs, "French words::Verbs")):
        assert run(capsys, "--data-dir", str(data), "import", str(path), "--deck", name)[0] == 0
    clock = FakeClock(STUDIED_AT)
    with open_collection(data, clock=clock) as collection:
        france, italy = (card.id for _deck, card in collection.find_cards("deck:Capitals")[:2])
        for rating in (Rating.AGAIN, Rating.GOOD, Rating.GOOD):
            collection.grade(france, rating)
            clock.advance(minutes=30)
        collection.grade(italy, Rating.EASY)
    return data


def cards_json(capsys, data, *search) -> list[dict]:
    status, out, err = run(capsys, "--data-dir", str(data), "cards", *search, "--json")
    assert status == 0 and err == ""
    return json.loads(out)


def test_cards_json_gives_every_card_with_the_same_keys(tmp_path, capsys):
    cards = cards_json(capsys, studied_folder(tmp_path, capsys))
    assert [list(card) for card in cards] == [CARD_KEYS] * len(cards)
    assert [card["deck"] for card in cards] == (
        ["Capitals"] * 3 + ["French words", "French words::Verbs"]
        + ["The 400 Blows: Facts"] * 30 + ["The 400 Blows: FAQ"] * 8)
    assert len({card["id"] for card in cards}) == len(cards)


def test_a_new_card_has_no_due_date_no_lapses_and_no_memory_figures(tmp_path, capsys):
    cards = cards_json(capsys, studied_folder(tmp_path, capsys), 'deck:"French words"')
    assert cards[0] == {
        "id": cards[0]["id"], "deck": "French words", "front": "le chat", "back": "the cat",
        "tags": [], "state": "new", "due": None, "reviews": 0, "lapses": 0, "stability": None,
        "difficulty": None, "suspended": False, "buried": False, "flag": 0}


def test_a_studied_card_has_its_state_due_time_and_memory_figures(tmp_path, capsys):
    from flashcards.app import open_collection

    data = studied_folder(tmp_path, capsys)
    france, italy, _long = cards_json(capsys, data, "deck:Capitals")
    assert (france["front"], france["back"]) == ("<b>France</b>", "Paris")
    assert france["tags"] == ["europe"]
    assert italy["tags"] == ["europe", "south"]
    assert (france["state"], france["reviews"]) == ("review", 3)
    assert (italy["state"], italy["reviews"]) == ("review", 1)
    for card in (france, italy):
        due = datetime.strptime(card["due"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        assert due > STUDIED_AT
        assert type(card["lapses"]) is int
        assert type(card["stability"]) is float and type(card["difficulty"]) is float
        assert (card["suspended"], card["buried"], card["flag"]) == (False, False, 0)
    with open_collection(data, read_only=True) as collection:
        progress = collection.progress(france["id"])
        assert france["due"] == progress.due.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert (france["lapses"], france["stability"], france["difficulty"]) == (
            progress.lapses, progress.stability, progress.difficulty)


def test_an_importers_note_on_a_card_is_not_its_flag(tmp_path, capsys):
    from flashcards.app import open_collection

    article = tmp_path / "article.txt"
    article.write_text("Paris\n\nParis is the capital and largest city of", encoding="utf-8")
    data = tmp_path / "data"
    status, _, err = run(capsys, "--data-dir", str(data), "import", str(article), "--deck", "Paris")
    assert status == 0
    with open_collection(data, read_only=True) as collection:
        flagged = [card for _deck, card in collection.find_cards() if card.warning]
    assert flagged, "the article importer flags a fact that looks cut off"
    by_id = {card["id"]: card for card in cards_json(capsys, data)}
    assert {by_id[card.id]["flag"] for card in flagged} == {0}


def test_reviews_count_every_grade_in_the_history(tmp_path, capsys):
    from flashcards.app import open_collection
    from flashcards.core.progress import Rating

    data = studied_folder(tmp_path, capsys)
    with open_collection(data) as collection:  # today, on the system clock: a later grade
        verb = collection.find_cards('deck:"French words::Verbs"')[0][1]
        collection.grade(verb.id, Rating.HARD)
        history = collection.reviews()
    counts = {card["front"]: card["reviews"] for card in cards_json(capsys, data)
              if card["reviews"]}
    assert counts == {"<b>France</b>": 3, "Italy<br>\n(the  country)": 1, "manger": 1}
    assert sum(counts.values()) == len(history)


@pytest.mark.parametrize("search", [
    'deck:"French words"', '"deck:French words"', 'deck:"FRENCH WORDS"',
    '  deck:"french words"  ', "deck:french*", "Deck:*words",
])
def test_a_deck_search_takes_the_deck_and_its_subdecks_ignoring_case(tmp_path, capsys, search):
    cards = cards_json(capsys, studied_folder(tmp_path, capsys), search)
    assert [(c["deck"], c["front"]) for c in cards] == [("French words", "le chat"),
                                                        ("French words::Verbs", "manger")]


@pytest.mark.parametrize("search, decks", [
    ("deck:French", []),
    ("deck:words", []),
    ('deck:"French words::verbs"', ["French words::Verbs"]),
    ('deck:"the 400 blows*"', ["The 400 Blows: FAQ", "The 400 Blows: Facts"]),
    ("deck:*", ["Capitals", "French words", "French words::Verbs", "The 400 Blows: FAQ",
                "The 400 Blows: Facts"]),
    ("", ["Capitals", "French words", "French words::Verbs", "The 400 Blows: FAQ",
          "The 400 Blows: Facts"]),
])
def test_a_deck_search_matches_whole_names(tmp_path, capsys, search, decks):
    cards = cards_json(capsys, studied_folder(tmp_path, capsys), search)
    assert sorted({card["deck"] for card in cards}) == decks


@pytest.mark.parametrize("search, says", [
    ("(France", "Unclosed parenthesis."),
    ("is:soon", "is:soon is not a known state: use is:new, is:learn, is:review, is:due, "
                "is:suspended or is:buried."),
    ("deck:", 'deck: needs a deck name, as in deck:French or deck:"French words".'),
    ('deck:"French words', 'Unclosed quote: a " needs another " after the text.'),
])
def test_a_search_that_cannot_be_read_gets_one_line_and_changes_nothing(tmp_path, capsys, search,
                                                                        says):
    data = studied_folder(tmp_path, capsys)
    before = folder_state(data)
    for options in ([], ["--json"]):
        status, out, err = run(capsys, "--data-dir", str(data), "cards", search, *options)
        assert (status, out, err) == (1, "", f"flashcards: {says}\n")
    assert folder_state(data) == before


def test_cards_prints_a_table_of_plain_text(tmp_path, capsys):
    data = studied_folder(tmp_path, capsys)
    [france] = [c for c in cards_json(capsys, data, "deck:capitals") if c["reviews"] == 3]
    status, out, err = run(capsys, "--data-dir", str(data), "cards", "deck:capitals")
    assert status == 0 and err == ""
    lines = out.splitlines()
    local_day = datetime.fromisoformat(france["due"]).astimezone().date().isoformat()
    assert [line.split() for line in lines[:3]] == [
        ["DECK", "FRONT", "STATE", "DUE", "REVIEWS"],
        ["Capitals", "France", "review", local_day, "3"],
        ["Capitals", "Italy", "(the", "country)", "review", lines[2].split()[-2], "1"],
    ]
    assert lines[3].split() == ["Capitals", "A", "question", "far", "too", "long", "to", "show",
                                "whole", "i…", "new", "new", "0"]
    assert "  A question far too long to show whole i…  " in lines[3]
    assert len(lines) == 4
    # The columns line up, the count to the right.
    assert len({line.index(line.split()[1]) for line in lines}) == 1
    assert len({len(line) for line in lines}) == 1


def test_cards_says_so_when_no_card_matches(tmp_path, capsys):
    data = studied_folder(tmp_path, capsys)
    status, out, err = run(capsys, "--data-dir", str(data), "cards", "deck:Spanish")
    assert (status, out, err) == (0, "No card matches deck:Spanish.\n", "")
    assert cards_json(capsys, data, "deck:Spanish") == []


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    for command in (["cards"], ["cards", "--json"]):
        listing = subprocess.Popen([sys.executable, "-m", "flashcards", "--data-dir",
                                    str(tmp_path / "data"), *command],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        listing.stdout.close()  # as `| head` does, here before the first line
        _, err = listing.communicate(timeout=60)
        assert err == b"" and listing.returncode == 1


def test_cards_on_a_folder_never_used_lists_the_bundled_cards_and_makes_nothing(tmp_path, capsys):
    data = tmp_path / "data"
    cards = cards_json(capsys, data)
    assert len(cards) == 38 and {card["state"] for card in cards} == {"new"}
    assert not data.exists()


def test_a_missing_x11_library_is_named_with_its_package_and_nothing_opens(tmp_path, capsys,
                                                                           monkeypatch):
    from flashcards.gui import x11_libraries

    # A library no system has stands for one a minimal Debian lacks: the real loader looks for it.
    monkeypatch.setitem(x11_libraries.PACKAGE_OF_LIBRARY, "libflashcards-absent.so.9",
                        "libflashcards-absent9")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    data = tmp_path / "data"
    status, _out, err = run(capsys, "--data-dir", str(data))
    assert status == 1
    assert "libflashcards-absent.so.9" in err
    assert "sudo apt install" in err and "libflashcards-absent9" in err
    assert not data.exists()


@pytest.mark.parametrize("environ, platform, expected", [
    ({}, "linux", True),
    ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
    ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "linux", False),
    ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}, "linux", True),
    ({}, "darwin", False),
    ({}, "win32", False),
])
def test_the_x11_libraries_are_looked_for_only_where_qt_draws_through_x11(environ, platform,
                                                                          expected):
    from flashcards.gui.x11_libraries import uses_x11

    assert uses_x11(environ, platform) is expected
