"""The layers: the core needs nothing but itself, the formats only the core, and neither needs Qt.

Checked twice: by reading every import statement in the source (so an import tucked inside a
function is caught too), and by loading every module in a fresh interpreter.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "flashcards"
QT = ("PySide6", "shiboken6")
# What each layer may import from the app itself.
ALLOWED = {"core": ("flashcards.core",), "formats": ("flashcards.core", "flashcards.formats")}


def imported_names(path: Path) -> list[tuple[int, str]]:
    """Every module an import statement in the file names, absolute, with its line."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names.append((node.lineno, module))
    return names


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_only_what_it_may(layer):
    wrong = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for line, name in imported_names(path):
            top = name.split(".")[0]
            own_but_not_allowed = top == "flashcards" and not name.startswith(ALLOWED[layer])
            if top in QT or own_but_not_allowed:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}")
    assert wrong == []


def test_the_check_sees_an_import_inside_a_function(tmp_path, monkeypatch):
    module = tmp_path / "flashcards" / "core" / "sneaky.py"
    module.parent.mkdir(parents=True)
    module.write_text("def show():\n    from PySide6.QtWidgets import QLabel\n"
                      "    from ..gui import dialogs\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "flashcards")
    assert [name for _, name in imported_names(module)] == ["PySide6.QtWidgets",
                                                             "flashcards.gui"]


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
