"""Tools > Plan a break… and Tools > Spread backlog…: a plan worked out as the person picks the
days, shown in words, and handed back on Apply for the collection to record.

The plans come from the collection (plan_break, spread_backlog) and change nothing; `ask` returns
the plan to apply, or None.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QFrame,
                               QLabel, QSpinBox, QVBoxLayout, QWidget)

from flashcards.core.collection import Collection
from flashcards.core.memory_tools import day_name
from flashcards.core.workload import BacklogPlan, BreakPlan

# A week away, a week from now: what the dialog proposes before the person picks.
_BREAK_STARTS_IN = timedelta(days=7)
_USUAL_BREAK = timedelta(days=6)
DEFAULT_BACKLOG_DAYS = 7
MAX_BACKLOG_DAYS = 60


class _PlanDialog(QDialog):
    """A form on top, the plan's figures below it (or why there is no plan), Apply and Cancel."""

    # The plan on show was worked out again (after a change to the form).
    plan_shown = Signal()

    def __init__(self, collection: Collection, title: str, intro: str,
                 figures: tuple[str, ...], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(540)
        self._collection = collection
        # Read once: planning again after each pick then costs the plan alone (see
        # Collection.studied_progress).
        self._cards = collection.studied_progress()
        self.plan: BreakPlan | BacklogPlan | None = None
        self.form = QFormLayout()
        self.figures: dict[str, QLabel] = {}
        figures_form = QFormLayout()
        for name in figures:
            self.figures[name] = value = _plain_label("")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            figures_form.addRow(f"{name}:", value)
        self.problem_label = _plain_label("")
        self.problem_label.setObjectName("planProblem")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(_plain_label(intro))
        layout.addLayout(self.form)
        layout.addWidget(_rule())
        layout.addLayout(figures_form)
        layout.addWidget(self.problem_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        # Typing a date changes it once per key: the plan is worked out once they settle.
        self._replan = QTimer(self, singleShot=True, interval=0)
        self._replan.timeout.connect(self._show_plan)

    def _on_form_changed(self, *_args) -> None:
        self._replan.start()

    def _show_plan(self) -> None:
        try:
            self.plan = self._make_plan()
        except ValueError as error:
            self.plan = None
            self.problem_label.setText(f"{str(error)[:1].upper()}{str(error)[1:]}.")
            for value in self.figures.values():
                value.setText("–")
        else:
            self.problem_label.setText("")
            for name, text in self._figures(self.plan).items():
                self.figures[name].setText(text)
        self.problem_label.setVisible(bool(self.problem_label.text()))
        self.apply_button.setEnabled(bool(self.plan and self.plan.moves))
        self.plan_shown.emit()

    def _make_plan(self):
        raise NotImplementedError

    def _figures(self, plan) -> dict[str, str]:
        raise NotImplementedError

    @classmethod
    def ask(cls, collection: Collection, parent: QWidget | None = None):
        """The plan to apply, or None when cancelled."""
        dialog = cls(collection, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.plan


class BreakDialog(_PlanDialog):
    """Two days, the first and last away; the reviews due between them, before or after."""

    def __init__(self, collection: Collection, parent: QWidget | None = None) -> None:
        super().__init__(collection, "Plan a break", (
            "Reviews due while you are away move to the days before the break or after it, "
            "whichever loses less of what you remember, with no day busier than your usual "
            "ones. Learning cards wait for your return."), BREAK_FIGURES, parent)
        today = collection.today()
        self.first_day = _date_edit(today, today + _BREAK_STARTS_IN)
        self.last_day = _date_edit(today, today + _BREAK_STARTS_IN + _USUAL_BREAK)
        self.form.addRow("First day away:", self.first_day)
        self.form.addRow("Last day away:", self.last_day)
        self.first_day.dateChanged.connect(self._on_first_day_changed)
        self.last_day.dateChanged.connect(self._on_form_changed)
        self._show_plan()

    def _on_first_day_changed(self, first: QDate) -> None:
        if self.last_day.date() < first:
            self.last_day.setDate(first)  # a break of one day, rather than a backwards one
        self._on_form_changed()

    def _make_plan(self) -> BreakPlan:
        return self._collection.plan_break(self.first_day.date().toPython(),
                                           self.last_day.date().toPython(), self._cards)

    def _figures(self, plan: BreakPlan) -> dict[str, str]:
        return {"Reviews due while away": f"{len(plan.moves):,}",
                "Brought before the break": _days_text(plan.due_before),
                "Moved after it": _days_text(plan.due_after),
                "Extra reviews expected": f"about {plan.extra_reviews_expected:.1f}, for cards "
                                          "forgotten while they wait",
                "Learning cards waiting": f"{plan.learning_left:,}"}


BREAK_FIGURES = ("Reviews due while away", "Brought before the break", "Moved after it",
                 "Extra reviews expected", "Learning cards waiting")


class BacklogDialog(_PlanDialog):
    """How many days to spread the overdue reviews over."""

    def __init__(self, collection: Collection, parent: QWidget | None = None) -> None:
        super().__init__(collection, "Spread backlog", (
            "Reviews overdue from before today are spread over the next days, today included, "
            "the ones you are most likely to have forgotten first, so you are not met by all of "
            "them at once."), BACKLOG_FIGURES, parent)
        self.days = QSpinBox()
        self.days.setRange(1, MAX_BACKLOG_DAYS)
        self.days.setValue(DEFAULT_BACKLOG_DAYS)
        self.days.setSuffix(" days")
        self.form.addRow("Spread over:", self.days)
        self.days.valueChanged.connect(self._on_form_changed)
        self._show_plan()

    def _make_plan(self) -> BacklogPlan:
        return self._collection.spread_backlog(self.days.value(), self._cards)

    def _figures(self, plan: BacklogPlan) -> dict[str, str]:
        overdue = sum(plan.per_day.values())
        return {"Overdue reviews": f"{overdue:,}",
                "Each day": _days_text({day: n for day, n in plan.per_day.items() if n})}


BACKLOG_FIGURES = ("Overdue reviews", "Each day")


def _days_text(counts: dict[date, int]) -> str:
    """"12 (Mon 3 Mar: 5 · Tue 4 Mar: 7)", or "none"."""
    if not counts:
        return "none"
    return (f"{sum(counts.values()):,} ("
            + " · ".join(f"{day_name(day)}: {count:,}" for day, count in counts.items()) + ")")


def _rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def _date_edit(earliest: date, shown: date) -> QDateEdit:
    edit = QDateEdit(QDate(shown.year, shown.month, shown.day))
    edit.setCalendarPopup(True)
    edit.setMinimumDate(QDate(earliest.year, earliest.month, earliest.day))
    edit.setDisplayFormat("ddd d MMM yyyy")
    return edit


def _plain_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label
