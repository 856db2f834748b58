"""Light and dark looks: the Fusion style, a palette, and a style sheet from resources/."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from flashcards.install_paths import shipped_folder

RESOURCES = shipped_folder("resources")

_PALETTES = {
    "light": {
        QPalette.ColorRole.Window: "#f4f4f6",
        QPalette.ColorRole.WindowText: "#1d1d1f",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f0f0f3",
        QPalette.ColorRole.Text: "#1d1d1f",
        QPalette.ColorRole.PlaceholderText: "#8a8a90",
        QPalette.ColorRole.Button: "#ffffff",
        QPalette.ColorRole.ButtonText: "#1d1d1f",
        QPalette.ColorRole.Highlight: "#2f6fd6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#ffffff",
        QPalette.ColorRole.ToolTipText: "#1d1d1f",
        QPalette.ColorRole.Link: "#2f6fd6",
        QPalette.ColorRole.Mid: "#c8c8ce",
        QPalette.ColorRole.Dark: "#a0a0a8",
        QPalette.ColorRole.Light: "#ffffff",
        QPalette.ColorRole.Midlight: "#e6e6ea",
        QPalette.ColorRole.Shadow: "#707078",
    },
    "dark": {
        QPalette.ColorRole.Window: "#1f1f22",
        QPalette.ColorRole.WindowText: "#e6e6e9",
        QPalette.ColorRole.Base: "#2a2a2e",
        QPalette.ColorRole.AlternateBase: "#303035",
        QPalette.ColorRole.Text: "#e6e6e9",
        QPalette.ColorRole.PlaceholderText: "#8d8d95",
        QPalette.ColorRole.Button: "#34343a",
        QPalette.ColorRole.ButtonText: "#e6e6e9",
        QPalette.ColorRole.Highlight: "#3d7be0",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#34343a",
        QPalette.ColorRole.ToolTipText: "#e6e6e9",
        QPalette.ColorRole.Link: "#7aa7f0",
        QPalette.ColorRole.Mid: "#4a4a52",
        QPalette.ColorRole.Dark: "#151517",
        QPalette.ColorRole.Light: "#45454c",
        QPalette.ColorRole.Midlight: "#3a3a40",
        QPalette.ColorRole.Shadow: "#000000",
    },
}

# The review counters, coloured like Anki's: new blue, learning red, due green.
_COUNT_COLORS = {
    "light": {"new": "#1a5fd0", "learning": "#c62828", "due": "#2e7d32", "none": "#9a9aa2"},
    "dark": {"new": "#6ea8ff", "learning": "#ff7a7a", "due": "#6fcf75", "none": "#6a6a72"},
}


def scheme_name(scheme: Qt.ColorScheme) -> str:
    """"dark" for a dark system scheme; "light" for light or unknown."""
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def system_scheme_name() -> str:
    return scheme_name(QGuiApplication.styleHints().colorScheme())


def apply_theme(app: QApplication, name: str) -> None:
    """Give the whole application the light or dark look."""
    app.setStyle("Fusion")
    palette = QPalette()
    for role, color in _PALETTES[name].items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(_COUNT_COLORS[name]["none"]))
    app.setPalette(palette)
    app.setStyleSheet(style_sheet(name))


def follow_system_scheme(app: QApplication) -> None:
    """Apply the system's look now and whenever the person switches between light and dark."""
    hints = QGuiApplication.styleHints()
    apply_theme(app, scheme_name(hints.colorScheme()))
    hints.colorSchemeChanged.connect(lambda scheme: apply_theme(app, scheme_name(scheme)))


def style_sheet(name: str) -> str:
    path = RESOURCES / f"{name}.qss"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def card_style_sheet() -> str:
    """The CSS for card text (question and answer), shared by both looks."""
    path = RESOURCES / "card.css"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def app_icon() -> QIcon:
    icon = QIcon()
    for name in ("flashcards.svg", "flashcards.png"):
        path = RESOURCES / name
        if path.exists():
            icon.addFile(str(path))
    return icon


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def count_color(kind: str, value: int) -> QColor:
    """The colour of a New/Learning/Due count; zero is greyed out, as in Anki."""
    colors = _COUNT_COLORS["dark" if is_dark() else "light"]
    return QColor(colors[kind] if value else colors["none"])
