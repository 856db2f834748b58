"""Where the files that ship beside the package are: the bundled decks and the window's resources.

In a source checkout (and an editable install) they sit at the top of the repository; an installed
wheel puts them under <prefix>/share/flashcards (see [tool.setuptools.data-files]).
"""

from __future__ import annotations

import sys
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def shipped_folder(name: str) -> Path:
    """The folder `name` ("decks" or "resources") from the checkout, else from the install prefix."""
    for base in (_CHECKOUT, Path(sys.prefix) / "share" / "flashcards"):
        if (base / name).is_dir():
            return base / name
    return _CHECKOUT / name
