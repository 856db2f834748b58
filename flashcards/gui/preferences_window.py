"""Tools › Preferences: when the study day starts (kept in the collection, so every computer
that syncs it agrees), and the look on this computer (theme and card text size)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QDialogButtonBox, QSpinBox,
                               QVBoxLayout, QWidget)

from flashcards.core.collection import Collection
from flashcards.core.store import StoreError

from . import dialogs, preferences, theme
from .deck_options_window import sectioned_form

THEME_NAMES = {"system": "Follow the system", "light": "Light", "dark": "Dark"}


class PreferencesWindow(QDialog):
    """Each choice applies at once; `settings_changed` carries the Changes of a collection
    setting."""

    settings_changed = Signal(object)

    def __init__(self, collection: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesWindow")
        self.setWindowTitle("Preferences")
        self._collection = collection

        self.day_start = QSpinBox()
        self.day_start.setRange(0, 23)
        self.day_start.setSuffix(" hours past midnight")
        self.day_start.setKeyboardTracking(False)
        self.day_start.setValue(collection.settings.rollover_hour)
        self.theme_box = QComboBox()
        for name, text in THEME_NAMES.items():
            self.theme_box.addItem(text, name)
        self.theme_box.setCurrentIndex(self.theme_box.findData(preferences.theme()))
        self.card_font_size = QSpinBox()
        self.card_font_size.setRange(min(preferences.CARD_FONT_SIZES),
                                     max(preferences.CARD_FONT_SIZES))
        self.card_font_size.setSuffix(" pt")
        self.card_font_size.setKeyboardTracking(False)
        self.card_font_size.setValue(preferences.card_font_size())

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(sectioned_form([
            ("Studying", [("Next day starts at", self.day_start)]),
            ("Appearance", [("Theme", self.theme_box), ("Card text size", self.card_font_size)]),
        ]))
        layout.addWidget(buttons)

        self.day_start.valueChanged.connect(self._on_day_start_value_changed)
        self.theme_box.activated.connect(self._on_theme_box_activated)
        self.card_font_size.valueChanged.connect(self._on_card_font_size_value_changed)

    def _on_day_start_value_changed(self, hour: int) -> None:
        try:
            changes = self._collection.change_setting("rollover_hour", hour)
        except (ValueError, StoreError) as error:
            dialogs.show_error(self, "Could not change when the day starts", str(error))
            return
        self.settings_changed.emit(changes)

    def _on_theme_box_activated(self, _row: int) -> None:
        preferences.remember_theme(self.theme_box.currentData())
        self._apply_look()

    def _on_card_font_size_value_changed(self, size: int) -> None:
        preferences.remember_card_font_size(size)
        self._apply_look()

    @staticmethod
    def _apply_look() -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_preferred_theme(app)
