"""Light and dark looks: the Fusion style, a palette, and a style sheet from resources/.

Which look is used, and the size of card text, are chosen in Preferences (preferences.py): the
look follows the system's light or dark scheme unless light or dark is chosen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from flashcards.install_paths import shipped_folder

from . import preferences

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
    """Apply the chosen look now; while it is the system's, follow the system whenever the person
    switches between light and dark."""
    apply_preferred_theme(app)
    QGuiApplication.styleHints().colorSchemeChanged.connect(
        lambda _scheme: apply_preferred_theme(app))


def preferred_theme_name() -> str:
    """"light" or "dark": the one chosen in Preferences, or the system's."""
    chosen = preferences.theme()
    return system_scheme_name() if chosen == "system" else chosen


def apply_preferred_theme(app: QApplication) -> None:
    apply_theme(app, preferred_theme_name())


def style_sheet(name: str) -> str:
    """The look's style sheet, with card text at the size chosen in Preferences."""
    path = RESOURCES / f"{name}.qss"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return text + f"\n#cardView {{ font-size: {preferences.card_font_size()}pt; }}\n"


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
