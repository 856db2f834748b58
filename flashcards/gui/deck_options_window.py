"""A deck's options, as Anki shows them: the preset it uses (chosen, added, renamed, removed)
and that preset's limits and scheduling. Every change is saved at once, as its own operation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from flashcards.core.changes import Changes
from flashcards.core.collection import Collection
from flashcards.core.deck_options import (DEFAULT_PRESET, DeckOptions, format_parameters,
                                          format_steps, parse_parameters, parse_steps)
from flashcards.core.store import StoreError

from . import accessibility, dialogs

_LEECH_ACTIONS = {"suspend": "Suspend card", "tag": "Tag only"}


def _spin_box(low: int, high: int, suffix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    box.setKeyboardTracking(False)  # saved when the person is done typing, not at each digit
    return box


def sectioned_form(sections: list[tuple[str, list[tuple[str, QWidget]]]]) -> QFormLayout:
    """One form, so that every field lines up, with a heading over each section."""
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    for title, rows in sections:
        heading = QLabel(title)
        heading.setObjectName("optionsSection")
        form.addRow(heading)
        for label, widget in rows:
            form.addRow(label, widget)
    return form


class DeckOptionsWindow(QDialog):
    """Options of one deck; `options_changed` carries the Changes of each saved edit."""

    options_changed = Signal(object)

    def __init__(self, collection: Collection, deck_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deckOptionsWindow")
        self._collection, self._deck_id = collection, deck_id
        self._loading = False

        self.preset_box = QComboBox()
        self.preset_box.setObjectName("presetChooser")
        # Said with what they act on: a screen reader reaches them one at a time.
        self.add_button = accessibility.name(QPushButton("Add…"), "Add preset")
        self.rename_button = accessibility.name(QPushButton("Rename…"), "Rename preset")
        self.remove_button = accessibility.name(QPushButton("Remove"), "Remove preset")
        preset_label = QLabel("Preset")
        preset_label.setBuddy(self.preset_box)
        presets = QHBoxLayout()
        presets.addWidget(preset_label)
        presets.addWidget(self.preset_box, 1)
        for button in (self.add_button, self.rename_button, self.remove_button):
            button.setAutoDefault(False)  # Enter in a field saves it, and keeps the window open
            presets.addWidget(button)

        self.new_per_day = _spin_box(0, 9999)
        self.reviews_per_day = _spin_box(0, 99999)
        self.learning_steps = QLineEdit()
        self.relearning_steps = QLineEdit()
        for steps in (self.learning_steps, self.relearning_steps):
            steps.setPlaceholderText("none: straight to review")
            steps.setToolTip("Steps like 1m 10m 1h 1d (s, m, h or d)")
        self.leech_threshold = _spin_box(1, 99, " lapses")
        self.leech_action = QComboBox()
        for action, text in _LEECH_ACTIONS.items():
            self.leech_action.addItem(text, action)
        self.desired_retention = QDoubleSpinBox()
        self.desired_retention.setRange(0.70, 0.99)
        self.desired_retention.setSingleStep(0.01)
        self.desired_retention.setDecimals(2)
        self.desired_retention.setKeyboardTracking(False)
        self.maximum_interval = _spin_box(1, 36500, " days")
        self.parameters = QLineEdit()
        self.parameters.setMinimumWidth(320)
        self.parameters.setPlaceholderText("empty: the fitted parameters, or FSRS's defaults")
        self.error_label = QLabel()
        self.error_label.setObjectName("optionsError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(presets)
        layout.addLayout(sectioned_form([
            ("Daily limits", [("New cards/day", self.new_per_day),
                              ("Maximum reviews/day", self.reviews_per_day)]),
            ("Steps", [("Learning steps", self.learning_steps),
                       ("Relearning steps", self.relearning_steps)]),
            ("Lapses", [("Leech threshold", self.leech_threshold),
                        ("Leech action", self.leech_action)]),
            ("FSRS", [("Desired retention", self.desired_retention),
                      ("Maximum interval", self.maximum_interval),
                      ("FSRS parameters", self.parameters)]),
        ]))
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self._connect_fields()
        self.reload()

    def _connect_fields(self) -> None:
        def saving(name: str, read: Callable[[], object]) -> Callable[..., None]:
            return lambda *_args: self._save(name, read)

        self.new_per_day.valueChanged.connect(saving("new_per_day", self.new_per_day.value))
        self.reviews_per_day.valueChanged.connect(
            saving("reviews_per_day", self.reviews_per_day.value))
        self.learning_steps.editingFinished.connect(
            saving("learning_steps", lambda: parse_steps(self.learning_steps.text())))
        self.relearning_steps.editingFinished.connect(
            saving("relearning_steps", lambda: parse_steps(self.relearning_steps.text())))
        self.leech_threshold.valueChanged.connect(
            saving("leech_threshold", self.leech_threshold.value))
        self.leech_action.activated.connect(saving("leech_action", self.leech_action.currentData))
        self.desired_retention.valueChanged.connect(
            saving("desired_retention", lambda: round(self.desired_retention.value(), 2)))
        self.maximum_interval.valueChanged.connect(
            saving("maximum_interval_days", self.maximum_interval.value))
        self.parameters.editingFinished.connect(
            saving("parameters", lambda: parse_parameters(self.parameters.text())))
        self.preset_box.activated.connect(self._on_preset_box_activated)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.rename_button.clicked.connect(self._on_rename_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)

    # -- showing the options ----------------------------------------------------------------------
    def reload(self) -> None:
        """Show the deck's preset and options as the collection has them now (after an undo too)."""
        if not self._collection.has_deck(self._deck_id):
            self.close()  # the deck was deleted, or its creation undone
            return
        self._loading = True
        try:
            self.setWindowTitle(f"Options for {self._collection.deck(self._deck_id).name}")
            preset_id, options = self._collection.deck_options(self._deck_id)
            self.preset_box.clear()
            for preset, preset_options in self._collection.presets().items():
                users = len(self._collection.decks_using(preset))
                self.preset_box.addItem(
                    f"{preset_options.name} (used by {users} deck{'s' if users != 1 else ''})",
                    preset)
            self.preset_box.setCurrentIndex(self.preset_box.findData(preset_id))
            self.rename_button.setEnabled(True)
            self.remove_button.setEnabled(preset_id != DEFAULT_PRESET)
            self._show(options)
        finally:
            self._loading = False

    def _show(self, options: DeckOptions) -> None:
        self.new_per_day.setValue(options.new_per_day)
        self.reviews_per_day.setValue(options.reviews_per_day)
        self.learning_steps.setText(format_steps(options.learning_steps))
        self.relearning_steps.setText(format_steps(options.relearning_steps))
        self.leech_threshold.setValue(options.leech_threshold)
        self.leech_action.setCurrentIndex(self.leech_action.findData(options.leech_action))
        self.desired_retention.setValue(options.desired_retention)
        self.maximum_interval.setValue(options.maximum_interval_days)
        self.parameters.setText(format_parameters(options.parameters))

    # -- changing them ----------------------------------------------------------------------------
    def _save(self, name: str, read: Callable[[], object]) -> None:
        if self._loading:
            return
        preset_id, options = self._collection.deck_options(self._deck_id)
        self._run(lambda: self._collection.save_preset(preset_id,
                                                       replace(options, **{name: read()})))

    def _on_preset_box_activated(self, _row: int) -> None:
        preset = self.preset_box.currentData()
        self._run(lambda: self._collection.use_preset([self._deck_id], preset))
        self.reload()

    def _on_add_button_clicked(self) -> None:
        name = dialogs.ask_text(self, "Add preset", "Name of the new preset:")
        if not name:
            return
        changes = self._run(lambda: self._collection.save_preset(None, DeckOptions(name=name)))
        if changes:
            self._run(lambda: self._collection.use_preset([self._deck_id], changes.created[0]))
        self.reload()

    def _on_rename_button_clicked(self) -> None:
        preset_id, options = self._collection.deck_options(self._deck_id)
        name = dialogs.ask_text(self, "Rename preset", "New name of the preset:", options.name)
        if name:
            self._run(lambda: self._collection.save_preset(preset_id,
                                                           replace(options, name=name)))
        self.reload()

    def _on_remove_button_clicked(self) -> None:
        preset_id, options = self._collection.deck_options(self._deck_id)
        users = len(self._collection.decks_using(preset_id))
        decks = f"{users} deck{'s' if users != 1 else ''}"
        if dialogs.ask_confirmation(
                self, "Remove preset",
                f"Remove the preset “{options.name}”? The {decks} using it will use Default."):
            self._run(lambda: self._collection.remove_preset(preset_id))
        self.reload()

    def _run(self, operation: Callable[[], Changes]) -> Changes | None:
        """Save one change and publish it; a value refused stays on screen with the reason."""
        try:
            changes = operation()
        except (ValueError, StoreError) as error:
            self.error_label.setText(str(error))
            self.error_label.show()
            return None
        self.error_label.hide()
        if changes:
            self.options_changed.emit(changes)
        return changes
