"""A card's sounds: shown as a small speaker with the file's name, played one after another.

Sounds play as Anki plays them, through a player program found on the PATH (mpv first), each file
in a child process that shows no window. Without one, QtMultimedia plays them if it is installed
(the `audio` extra). The window never waits for a player: processes start and end in the
background, and a sound still playing stops when the card changes or the review page closes.
"""

from __future__ import annotations

import base64
import html
import re
import shutil
from collections.abc import Callable, Hashable, Sequence
from functools import partial
from importlib.util import find_spec
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QUrl, Signal

from flashcards.formats.html import SOUND, sound_names

NO_PLAYER_NOTE = "No audio player: install mpv to hear this card's sound."

# Each plays one file and exits, with no window and no keyboard: a video plays its sound only.
# paplay is left out: it needs a PulseAudio server and many systems' libsndfile cannot decode mp3,
# so it would fail in silence where the note above tells the person what to do.
PLAYER_PROGRAMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mpv", ("--no-video", "--no-terminal", "--force-window=no", "--audio-display=no",
             "--keep-open=no")),
    ("ffplay", ("-nodisp", "-autoexit", "-loglevel", "quiet")),
    ("afplay", ()),  # part of macOS
)

_SPEAKER_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
                b'<path fill="#8e8e96" d="M2 6h3l4-3v10l-4-3H2z"/><path fill="none" '
                b'stroke="#8e8e96" stroke-width="1.5" stroke-linecap="round" '
                b'd="M11 5.5a3.5 3.5 0 0 1 0 5M12.5 3.5a6 6 0 0 1 0 9"/></svg>')
# Drawn, not a character: no font is sure to have a speaker, and a missing glyph shows as a box.
_SPEAKER = "data:image/svg+xml;base64," + base64.b64encode(_SPEAKER_SVG).decode("ascii")


def find_player_program() -> list[str] | None:
    """The command line, short of the file, of the first player program on the PATH."""
    for name, options in PLAYER_PROGRAMS:
        program = shutil.which(name)
        if program:
            return [program, *options]
    return None


def label_sounds(card_html: str) -> str:
    """Card HTML with each `[sound:name]` marker shown as a speaker and the file's name."""
    if "[sound:" not in card_html:
        return card_html
    return SOUND.sub(_sound_label, card_html)


def _sound_label(match: re.Match) -> str:
    name = html.escape(html.unescape(match.group(1)))
    return (f'<span class="sound" title="{name}"><img src="{_SPEAKER}" width="18" height="18" '
            f'align="middle" alt="sound">&nbsp;{name}</span>')


class SoundPlayer(QObject):
    """Plays sound files one after another; play() and stop() return at once.

    `command` is a player program's command line short of the file, found on the PATH when not
    given (an empty one: no program); with no program, QtMultimedia plays if `qt_multimedia`
    allows it and it is installed.
    """

    # The last file of a play() ended by itself.
    finished = Signal()

    def __init__(self, parent: QObject | None = None, *,
                 command: Sequence[str] | None = None, qt_multimedia: bool = True) -> None:
        super().__init__(parent)
        command = find_player_program() if command is None else list(command)
        self._backend: _ProgramBackend | _QtMultimediaBackend | None = None
        if command:
            self._backend = _ProgramBackend(self, command, self._play_next)
        self._qt_multimedia = qt_multimedia and not command and \
            find_spec("PySide6.QtMultimedia") is not None
        self._queue: list[Path] = []

    @property
    def available(self) -> bool:
        return self._backend is not None or self._qt_multimedia

    @property
    def playing(self) -> bool:
        return self._backend is not None and self._backend.playing

    def play(self, paths: Sequence[Path]) -> None:
        """Play these files in order, after stopping whatever plays now."""
        self.stop()
        if not paths or not self.available:
            return
        if self._backend is None:
            self._backend = _QtMultimediaBackend(self, self._play_next)
        # Absolute, so no name is taken for an option by the player program.
        self._queue = [Path(path).absolute() for path in paths]
        self._play_next()

    def stop(self) -> None:
        self._queue = []
        if self._backend is not None:
            self._backend.stop()

    def _play_next(self) -> None:
        if not self._queue:
            self.finished.emit()
            return
        self._backend.start(self._queue.pop(0))


class _ProgramBackend:
    """One child process of the player program per file; `done` is called as each one ends."""

    def __init__(self, parent: QObject, command: list[str], done: Callable[[], None]) -> None:
        self._parent, self._command, self._done = parent, command, done
        self._process: QProcess | None = None

    @property
    def playing(self) -> bool:
        return self._process is not None

    def start(self, path: Path) -> None:
        process = QProcess(self._parent)
        process.setProgram(self._command[0])
        process.setArguments([*self._command[1:], str(path)])
        process.setStandardInputFile(QProcess.nullDevice())
        process.setStandardOutputFile(QProcess.nullDevice())
        process.setStandardErrorFile(QProcess.nullDevice())
        process.finished.connect(partial(self._on_process_finished, process))
        process.errorOccurred.connect(partial(self._on_process_error_occurred, process))
        self._process = process
        process.start()

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.state() != QProcess.ProcessState.NotRunning:
            process.kill()

    def _on_process_finished(self, process: QProcess, *_status) -> None:
        process.deleteLater()
        if process is self._process:
            self._process = None
            self._done()

    def _on_process_error_occurred(self, process: QProcess, error: QProcess.ProcessError) -> None:
        # A process that never started sends no `finished`; one that did will send it.
        if error == QProcess.ProcessError.FailedToStart:
            self._on_process_finished(process)


class _QtMultimediaBackend:
    """QtMultimedia's player, imported the first time a sound plays without a player program."""

    def __init__(self, parent: QObject, done: Callable[[], None]) -> None:
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

        self._ended = (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia)
        self._player = QMediaPlayer(parent)
        self._player.setAudioOutput(QAudioOutput(parent))
        self._player.mediaStatusChanged.connect(self._on_player_media_status_changed)
        self.playing = False
        self._done = done

    def start(self, path: Path) -> None:
        self.playing = True
        self._player.setSource(QUrl.fromLocalFile(str(path)))
        self._player.play()

    def stop(self) -> None:
        self.playing = False
        self._player.stop()

    def _on_player_media_status_changed(self, status) -> None:
        if self.playing and status in self._ended:
            self.playing = False
            self._done()


class CardSounds:
    """The sounds of the card on screen: a side's play once when it first shows, `replay` plays
    every sound on screen again, and a new side or `stop` silences what still plays."""

    def __init__(self, media_folder: Path, player: SoundPlayer) -> None:
        self.media_folder = Path(media_folder).resolve()
        self.player = player
        self._side: Hashable | None = None
        self._on_screen: list[Path] = []

    def show(self, side: Hashable, sides: Sequence[str]) -> None:
        """`sides` are on screen, the last one just shown; `side` tells it from any other."""
        if side == self._side:
            return
        self.player.stop()
        self._side = side
        self._on_screen = self._files(" ".join(sides))
        newest = self._files(sides[-1]) if sides else []
        if newest:
            self.player.play(newest)

    def replay(self) -> None:
        if self._on_screen:
            self.player.play(self._on_screen)

    def stop(self) -> None:
        """Silence, and play the side again when it shows next."""
        self._side = None
        self.player.stop()

    def note(self, sides: Sequence[str]) -> str:
        """HTML telling the person there is nothing to play sounds with, when the sides have any."""
        if self.player.available or not any("[sound:" in side for side in sides):
            return ""
        return f'<p class="soundNote">{html.escape(NO_PLAYER_NOTE)}</p>'

    def _files(self, card_html: str) -> list[Path]:
        """The sound files the HTML plays that are in the media folder; others are left out."""
        files = []
        for name in sound_names(card_html):
            path = (self.media_folder / name).resolve()
            if Path(name).name == name and path.is_relative_to(self.media_folder) and \
                    path.is_file():
                files.append(path)
        return files
