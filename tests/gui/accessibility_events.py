"""What a screen reader is sent: every accessibility event Qt hands to the platform, caught where
the platform's bridge (AT-SPI, UI Automation, NSAccessibility) would receive it.

Qt's C++ API has a hook for this, QAccessible::installUpdateHandler, which PySide6 does not
wrap. It is reached here through ctypes in the Qt library PySide6 loaded, so the events caught
are those Qt itself sends (a label's text changing, a widget's name changing) as well as the
app's announcements, not calls a test intercepted on their way in.
"""

from __future__ import annotations

import ctypes
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QLibraryInfo, QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent

Event = QAccessible.Event
# The events a screen reader speaks from.
SPOKEN = {Event.Announcement, Event.NameChanged, Event.DescriptionChanged, Event.ValueChanged}
# QAccessible::installUpdateHandler(void (*)(QAccessibleEvent *)), as the Itanium C++ ABI names
# it (Linux; macOS adds a leading underscore, which dlsym takes care of).
_INSTALL = "_ZN11QAccessible20installUpdateHandlerEPFvP16QAccessibleEventE"
_Handler = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


@dataclass(frozen=True)
class Sent:
    kind: QAccessible.Event
    # The accessible id of what sent it, as a screen reader knows it. Not the object itself:
    # a Python wrapper made here for an object Qt made (a form's label) would outlive it.
    source: int
    message: str  # an announcement's text ("" for the other events)


def accessible_id(widget: QObject) -> int:
    return QAccessible.uniqueId(QAccessible.queryAccessibleInterface(widget))


def _qt_gui_library() -> ctypes.CDLL:
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath))
    names = {"linux": ["libQt6Gui.so.6"], "darwin": ["QtGui.framework/QtGui"]}
    for name in names.get(sys.platform, []):
        if (folder / name).exists():
            return ctypes.CDLL(str(folder / name))
    pytest.skip(f"no Qt GUI library found to hook into on {sys.platform}")


class EventLog:
    """The events sent while installed, in order."""

    def __init__(self) -> None:
        library = _qt_gui_library()
        try:
            self._install = getattr(library, _INSTALL)
        except AttributeError:
            pytest.skip("this Qt build does not export QAccessible::installUpdateHandler")
        self._install.restype = ctypes.c_void_p
        self._install.argtypes = [ctypes.c_void_p]
        self.sent: list[Sent] = []
        self._handler = _Handler(self._on_event)  # kept: Qt holds only the pointer
        self._previous = None

    def install(self) -> None:
        self._previous = self._install(ctypes.cast(self._handler, ctypes.c_void_p))

    def uninstall(self) -> None:
        self._install(self._previous)

    def _on_event(self, address: int) -> None:
        # The event lives on Qt's stack for this call only: its wrappers must not outlive it.
        event = shiboken6.wrapInstance(address, QAccessibleEvent)
        try:
            kind = event.type()
            if kind in SPOKEN:
                self.sent.append(Sent(kind, event.uniqueId(), _message(address, kind)))
        finally:
            shiboken6.invalidate(event)

    def announcements(self, source: QObject | None = None) -> list[str]:
        """What was announced, by `source` or by anything."""
        return [sent.message for sent in self.sent if sent.kind == Event.Announcement
                and (source is None or sent.source == accessible_id(source))]

    def changed(self, kind: QAccessible.Event, source: QObject) -> bool:
        return any(sent.kind == kind and sent.source == accessible_id(source)
                   for sent in self.sent)

    def clear(self) -> None:
        self.sent.clear()


def _message(address: int, kind: QAccessible.Event) -> str:
    if kind != Event.Announcement:
        return ""
    announcement = shiboken6.wrapInstance(address, QAccessibleAnnouncementEvent)
    try:
        return announcement.message()
    finally:
        shiboken6.invalidate(announcement)
