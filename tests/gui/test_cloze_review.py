"""Studying the bundled facts: each is a cloze, [...] on the front, the hidden words filled in on
the back, in bold and a colour that reads well in both looks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QTextCharFormat

from flashcards.core.review import Screen
from flashcards.gui import theme

pytestmark = pytest.mark.gui

FRONT = "The movie “The 400 Blows” is a French film released in [...]."
BACK = "The movie “The 400 Blows” is a French film released in 1959."


@pytest.fixture
def bundled_window(make_window, tmp_path, clock):
    """The window on a first start: the bundled decks, the facts first."""
    from flashcards.app import open_collection

    collection = open_collection(tmp_path / "first-start", clock=clock)
    yield make_window(collection)
    collection.close()


@pytest.fixture(params=["light", "dark"])
def look(request, qapp):
    theme.apply_theme(qapp, request.param)
    yield request.param
    theme.apply_theme(qapp, "light")


def _shown(window) -> str:
    return window.review_page.card_view.toPlainText()


def _format_of(window, words: str) -> QTextCharFormat:
    """How the card shows `words`: the format of the text fragment that holds them."""
    document = window.review_page.card_view.document()
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if words in fragment.text():
                return fragment.charFormat()
            iterator += 1
        block = block.next()
    raise AssertionError(f"{words!r} is not shown")


def _luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def _contrast(one: QColor, other: QColor) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _background(window) -> QColor:
    """The colour behind the card text, as painted."""
    view = window.review_page.card_view
    return view.grab().toImage().pixelColor(4, view.height() - 4)


def test_a_fact_shows_its_key_words_hidden_then_filled_in_after_space(bundled_window, press):
    press(bundled_window, Qt.Key.Key_Return)  # the facts deck is first
    page = bundled_window.review_page
    assert page.deck_label.text() == "The 400 Blows: Facts"
    assert _shown(bundled_window) == FRONT
    press(bundled_window, Qt.Key.Key_Space)
    assert page.screen is Screen.ANSWER
    assert _shown(bundled_window) == BACK, "the answer takes the question's place, as in Anki"


def test_a_question_card_still_shows_its_answer_under_the_question(bundled_window, press):
    press(bundled_window, Qt.Key.Key_Down)
    press(bundled_window, Qt.Key.Key_Return)  # the FAQ deck
    question = _shown(bundled_window)
    press(bundled_window, Qt.Key.Key_Space)
    assert _shown(bundled_window).startswith(question + "\n")


def test_hidden_words_stand_out_in_bold_and_a_readable_colour(look, bundled_window, press):
    press(bundled_window, Qt.Key.Key_Return)
    background = _background(bundled_window)
    text_color = bundled_window.review_page.card_view.palette().color(
        bundled_window.review_page.card_view.foregroundRole())
    for side, words, plain in (("front", "[...]", "released in"), ("back", "1959", "released in")):
        hidden, around = _format_of(bundled_window, words), _format_of(bundled_window, plain)
        color = hidden.foreground().color()
        assert hidden.fontWeight() >= QFont.Weight.Bold, (look, side)
        assert around.fontWeight() < QFont.Weight.Bold, (look, side)
        assert color != text_color and color != around.foreground().color(), (look, side)
        assert _contrast(color, background) >= 4.5, (look, side, color.name(), background.name())
        if side == "front":
            press(bundled_window, Qt.Key.Key_Space)
