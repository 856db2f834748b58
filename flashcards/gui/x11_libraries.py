"""The system libraries Qt's X11 platform plugin needs, looked for before Qt looks.

When one is missing, Qt aborts the whole process with a message that names only one of them
(libxcb-cursor0, whichever is absent) and calls it a plugin that "could not be initialized";
a minimal Debian or Ubuntu lacks several. Finding them first lets the command say which
packages to install, all at once, and exit cleanly. Nothing here imports Qt.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

# Each library the plugin links to (libqxcb.so and libQt6XcbQpa.so) that a desktop without Qt
# programs may lack, with the Debian and Ubuntu package that ships it.
PACKAGE_OF_LIBRARY = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def uses_x11(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt will draw the window through X11 here: on Linux, unless told to use another
    platform or started in a Wayland session (where Qt 6 picks Wayland)."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0].split(";")[0] == "xcb"
    return not (environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland")


def missing_libraries(load: Callable[[str], object] = ctypes.CDLL) -> list[str]:
    """The libraries of PACKAGE_OF_LIBRARY that the system cannot load."""
    missing = []
    for library in PACKAGE_OF_LIBRARY:
        try:
            load(library)
        except OSError:
            missing.append(library)
    return missing


def missing_libraries_message(missing: list[str]) -> str:
    packages = " ".join(PACKAGE_OF_LIBRARY[library] for library in missing)
    return (f"The window cannot open: the X11 libraries Qt needs are missing "
            f"({', '.join(missing)}). On Debian or Ubuntu: sudo apt install {packages}")
