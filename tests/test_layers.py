"""The core and the file formats must stay usable without Qt."""

import subprocess
import sys


def test_core_and_formats_load_without_qt():
    probe = (
        "import sys, pkgutil, importlib, flashcards.core, flashcards.formats\n"
        "for pkg in (flashcards.core, flashcards.formats):\n"
        "    for info in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(f'{pkg.__name__}.{info.name}')\n"
        "import flashcards.transfer, flashcards.app, flashcards.cli\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
