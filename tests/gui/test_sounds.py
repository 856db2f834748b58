"""Cards with sounds: each side's sounds play when it shows, R plays them again, and they stop when
the card goes. A fake player stands in for the speakers; the real one is checked against a fake
player program that only writes down what it was asked to play."""

from __future__ import annotations

import stat
import wave
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from flashcards.core.deck import Card, Deck
from flashcards.core.importing import ImportedDecks
from flashcards.gui import audio

pytestmark = pytest.mark.gui


class FakePlayer:
    """Stands in for SoundPlayer: remembers what it was asked to play, and what still plays."""

    def __init__(self, available: bool = True) -> None:
        self.available = available
        self.plays: list[list[str]] = []
        self.playing: list[str] = []

    def play(self, paths) -> None:
        self.plays.append([Path(path).name for path in paths])
        self.playing = self.plays[-1]

    def stop(self) -> None:
        self.playing = []


LISTENING = Deck(id="listening", name="Listening", cards=[
    Card("hello", "Listen: [sound:hello.mp3]", "bonjour [sound:bonjour.mp3] [sound:salut.mp3]"),
    Card("quiet", "A card without sounds", "still quiet"),
])
MEDIA = {name: b"ID3 not really a sound" for name in ("hello.mp3", "bonjour.mp3", "salut.mp3")}


@pytest.fixture
def player(monkeypatch) -> FakePlayer:
    fake = FakePlayer()
    monkeypatch.setattr(audio, "SoundPlayer", lambda parent=None: fake)
    return fake


@pytest.fixture
def sound_window(player, open_collection, make_window):
    collection = open_collection()
    collection.import_decks(ImportedDecks(decks=[LISTENING], media=MEDIA))
    return make_window(collection)


def card_text(window) -> str:
    """The card's text as it reads, line by line: each speaker is an image, so it is left out."""
    lines = window.review_page.card_view.toPlainText().replace("\ufffc", "").splitlines()
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def test_showing_the_question_plays_the_fronts_sounds(sound_window, player, press):
    press(sound_window, Qt.Key.Key_Return)
    assert player.playing == ["hello.mp3"]
    assert card_text(sound_window) == "Listen: hello.mp3"


def test_space_plays_the_backs_sounds_in_order(sound_window, player, press):
    press(sound_window, Qt.Key.Key_Return)
    press(sound_window, Qt.Key.Key_Space)
    assert player.playing == ["bonjour.mp3", "salut.mp3"]
    assert "[sound:" not in card_text(sound_window)
    assert card_text(sound_window) == "Listen: hello.mp3\nbonjour bonjour.mp3 salut.mp3"


def test_r_plays_the_sounds_on_screen_again(sound_window, player, press):
    press(sound_window, Qt.Key.Key_Return)
    press(sound_window, Qt.Key.Key_R)
    assert player.plays == [["hello.mp3"], ["hello.mp3"]]
    press(sound_window, Qt.Key.Key_Space)
    press(sound_window, Qt.Key.Key_R)
    assert player.playing == ["hello.mp3", "bonjour.mp3", "salut.mp3"]


def test_moving_on_stops_the_sound(sound_window, player, press):
    press(sound_window, Qt.Key.Key_Return)
    press(sound_window, Qt.Key.Key_Space)
    press(sound_window, Qt.Key.Key_4)
    assert card_text(sound_window) == "A card without sounds"
    assert player.playing == []
    press(sound_window, Qt.Key.Key_R)
    assert player.playing == []


def test_leaving_the_review_or_closing_the_window_stops_the_sound(sound_window, player, press):
    press(sound_window, Qt.Key.Key_Return)
    press(sound_window, Qt.Key.Key_Escape)
    assert player.playing == []
    press(sound_window, Qt.Key.Key_Return)
    assert player.playing == ["hello.mp3"]
    sound_window.close()
    assert player.playing == []


def test_without_a_player_the_card_says_what_to_install(player, sound_window, press):
    player.available = False
    press(sound_window, Qt.Key.Key_Return)
    assert card_text(sound_window).splitlines() == ["Listen: hello.mp3", audio.NO_PLAYER_NOTE]
    press(sound_window, Qt.Key.Key_Space)
    press(sound_window, Qt.Key.Key_4)
    assert audio.NO_PLAYER_NOTE not in card_text(sound_window)


def test_only_files_in_the_media_folder_play(player, open_collection, make_window, press,
                                             data_dir):
    (data_dir.parent / "secret.mp3").write_bytes(b"not for a card")
    collection = open_collection()
    collection.import_deck(Deck(id="sly", name="Sly", cards=[
        Card("sly", "[sound:../../secret.mp3][sound:gone.mp3][sound:media]", "x")]))
    window = make_window(collection)
    press(window, Qt.Key.Key_Return)
    assert player.plays == []


# -- the real player, with a fake player program ---------------------------------------------------
def fake_program(folder: Path, name: str, body: str) -> Path:
    """An executable shell script called `name`, standing in for a player program."""
    folder.mkdir(exist_ok=True)
    script = folder / name
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_the_player_plays_each_file_in_turn_through_the_program(qtbot, tmp_path):
    log = tmp_path / "played.txt"
    program = fake_program(tmp_path / "bin", "mpv", f'echo "$@" >> "{log}"')
    player = audio.SoundPlayer(command=[str(program), "--no-video"])
    assert player.available
    with qtbot.waitSignal(player.finished):
        player.play([tmp_path / "a.mp3", tmp_path / "b c.ogg"])
    assert not player.playing
    assert log.read_text().splitlines() == [f"--no-video {tmp_path / 'a.mp3'}",
                                            f"--no-video {tmp_path / 'b c.ogg'}"]


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to see the process")
def test_stopping_ends_the_program_and_plays_nothing_more(qtbot, tmp_path):
    log = tmp_path / "played.txt"
    program = fake_program(tmp_path / "bin", "mpv", f'echo "$$ $1" >> "{log}"; exec sleep 60')
    player = audio.SoundPlayer(command=[str(program)])
    player.play([tmp_path / "long.mp3", tmp_path / "next.mp3"])
    qtbot.waitUntil(log.exists)
    pid = int(log.read_text().split()[0])
    assert player.playing
    with qtbot.assertNotEmitted(player.finished):
        player.stop()
        assert not player.playing
        qtbot.waitUntil(lambda: not _running(pid))
    assert not player.playing
    assert [line.split()[1] for line in log.read_text().splitlines()] == [
        str(tmp_path / "long.mp3")]


def test_a_program_that_cannot_start_plays_nothing_and_fails_nothing(qtbot, tmp_path):
    player = audio.SoundPlayer(command=[str(tmp_path / "no-such-player")])
    with qtbot.waitSignal(player.finished):
        player.play([tmp_path / "a.mp3", tmp_path / "b.mp3"])


def test_mpv_is_chosen_first_then_ffplay(monkeypatch, tmp_path):
    folder = tmp_path / "bin"
    ffplay = fake_program(folder, "ffplay", "exit 0")
    monkeypatch.setenv("PATH", str(folder))
    assert audio.find_player_program() == [str(ffplay), "-nodisp", "-autoexit", "-loglevel",
                                           "quiet"]
    mpv = fake_program(folder, "mpv", "exit 0")
    assert audio.find_player_program()[0] == str(mpv)
    assert "--no-video" in audio.find_player_program()


def test_with_no_program_and_no_qt_multimedia_nothing_is_available(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    player = audio.SoundPlayer(qt_multimedia=False)
    assert not player.available
    player.play([tmp_path / "a.mp3"])  # does nothing, and fails nothing
    player.stop()


def test_a_sound_marker_shows_as_a_speaker_and_its_file_name():
    shown = audio.label_sounds("say [sound:a &amp; b.mp3]")
    assert "[sound:" not in shown
    assert shown.startswith('say <span class="sound" title="a &amp; b.mp3"><img src="data:')
    assert shown.endswith(">&nbsp;a &amp; b.mp3</span>")


def test_qt_multimedia_plays_each_file_in_turn_where_no_program_is_found(qtbot, tmp_path):
    pytest.importorskip("PySide6.QtMultimedia", reason="the audio extra is not installed")
    sound = tmp_path / "beep.wav"
    with wave.open(str(sound), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(bytes(1600))
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"not a sound")
    player = audio.SoundPlayer(command=[], qt_multimedia=True)
    assert player.available
    with qtbot.waitSignal(player.finished, timeout=10_000):
        player.play([sound, broken, sound])
    assert not player.playing
