"""Tools > Desired retention…: a year's reviews a day at 80, 85, 90 and 95 %, totals in the
legend, and the choice of one, undoable."""

from __future__ import annotations

import gc
import subprocess
import sys
from datetime import timedelta

import pytest
from learner_history import add_learner_history
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from flashcards.gui import theme
from flashcards.gui.retention_dialog import RetentionDialog

pytestmark = pytest.mark.gui

DONE_MS = 20_000


@pytest.fixture
def studied(collection, clock):
    add_learner_history(collection, clock.now() - timedelta(days=120), days=118)
    return collection


def open_dialog(qtbot, collection) -> RetentionDialog:
    dialog = RetentionDialog(collection)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.forecast_shown, timeout=DONE_MS):
        dialog.show()
    return dialog


def legend_texts(dialog) -> list[str]:
    return [label.text for _sample, label in dialog.plot.plotItem.legend.items]


def test_the_plot_compares_four_retentions_with_their_totals_in_the_legend(studied, qtbot):
    dialog = open_dialog(qtbot, studied)
    totals = dialog.totals
    assert list(totals) == [0.80, 0.85, 0.90, 0.95]
    assert legend_texts(dialog) == [f"{percent} %: {totals[r]:,} reviews"
                                    for percent, r in zip((80, 85, 90, 95), totals)]
    # Remembering more takes more reviews.
    assert totals[0.80] < totals[0.90] < totals[0.95]
    curves = dialog.plot.plotItem.listDataItems()
    assert len(curves) == 4 and all(len(curve.xData) == 365 for curve in curves)
    assert gc.isenabled()  # held off the simulation's thread only while it ran


def test_the_retention_in_use_is_chosen_and_drawn_thicker(studied, qtbot):
    dialog = open_dialog(qtbot, studied)
    assert dialog.choice_buttons[0.90].isChecked()
    widths = [curve.opts["pen"].widthF() for curve in dialog.plot.plotItem.listDataItems()]
    assert widths[2] > max(widths[:2] + widths[3:])
    qtbot.mouseClick(dialog.choice_buttons[0.85], Qt.MouseButton.LeftButton)
    widths = [curve.opts["pen"].widthF() for curve in dialog.plot.plotItem.listDataItems()]
    assert widths[1] > max(widths[:1] + widths[2:])


def test_ok_returns_the_retention_clicked(studied, qtbot):
    dialog = open_dialog(qtbot, studied)
    qtbot.mouseClick(dialog.choice_buttons[0.85], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.chosen_retention() == 0.85


def test_a_retention_set_elsewhere_stays_on_offer(studied, qtbot):
    studied.change_setting("desired_retention", 0.87)
    dialog = open_dialog(qtbot, studied)
    assert list(dialog.choice_buttons) == [0.80, 0.85, 0.90, 0.95, 0.87]
    assert dialog.choice_buttons[0.87].isChecked() and dialog.choice_buttons[0.87].text() == "87 %"


def test_choosing_a_retention_sets_it_and_undo_takes_it_back(window, collection, qtbot,
                                                             monkeypatch):
    monkeypatch.setattr(RetentionDialog, "ask", classmethod(lambda cls, c, parent=None: 0.85))
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tools")
    next(a for a in tools.actions() if a.text() == "Desired &retention…").trigger()
    assert collection.settings.desired_retention == 0.85
    assert window.statusBar().currentMessage() == "Desired retention set to 85 %."
    assert window.undo_action.text() == "&Undo Change setting"
    window.undo_action.trigger()
    assert collection.settings.desired_retention == 0.9


def test_without_scipy_the_choice_still_works(studied, qtbot, monkeypatch):
    monkeypatch.setitem(sys.modules, "scipy.optimize", None)  # as if scipy were not installed
    dialog = open_dialog(qtbot, studied)
    assert "pip install 'flashcards[optimise]'" in dialog.status_label.text()
    assert dialog.status_label.isVisible() and not dialog.plot.isVisible()
    qtbot.mouseClick(dialog.choice_buttons[0.95], Qt.MouseButton.LeftButton)
    assert dialog.chosen_retention() == 0.95


@pytest.mark.parametrize("look", ["light", "dark"])
def test_the_curves_and_legend_stand_out_from_the_plot_in_either_look(studied, qtbot, look):
    app = QApplication.instance()
    old_palette, old_sheet = app.palette(), app.styleSheet()
    theme.apply_theme(app, look)
    try:
        dialog = open_dialog(qtbot, studied)
        background = dialog.plot.backgroundBrush().color()
        for curve in dialog.plot.plotItem.listDataItems():
            assert _contrast(curve.opts["pen"].color(), background) >= 3.0
        legend_text = QColor(dialog.plot.plotItem.legend.opts["labelTextColor"])
        assert _contrast(legend_text, background) >= 4.5
        assert _contrast(dialog.plot.getAxis("left").textPen().color(), background) >= 4.5
    finally:
        app.setPalette(old_palette)
        app.setStyleSheet(old_sheet)


def _contrast(a: QColor, b: QColor) -> float:
    """WCAG's contrast ratio: 4.5 is what normal text needs, 3 large text and lines."""
    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
        return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
                + 0.0722 * channel(colour.blueF()))
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_plotting_library_loads_only_when_the_dialog_opens(tmp_path):
    script = (
        "import sys; from PySide6.QtWidgets import QApplication; "
        "from flashcards.core.collection import Collection; "
        "from flashcards.gui.main_window import MainWindow; "
        "app = QApplication([]); "
        f"c = Collection.open({str(tmp_path / 'data')!r}, 'test'); w = MainWindow(c); "
        "print('pyqtgraph' in sys.modules); c.close()")
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True, env={**__import__("os").environ,
                                            "QT_QPA_PLATFORM": "offscreen"})
    assert found.stdout.strip() == "False"


def test_the_plot_takes_the_app_palettes_base_colour(studied, qtbot):
    dialog = open_dialog(qtbot, studied)
    assert dialog.plot.backgroundBrush().color() == (
        QApplication.palette().color(QPalette.ColorRole.Base))
