"""Anki card templates and cloze deletions, as the cards they become here."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from flashcards.formats.anki_templates import (card_renderer, cloze_answers, cloze_numbers,
                                               render_card, render_cloze)

BASIC_BACK = "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"


def test_back_is_the_answer_without_the_question_again():
    assert render_card("{{Front}}", BASIC_BACK, {"Front": "q", "Back": "a"}, 1) == ("q", "a")


def test_back_without_answer_rule_drops_the_front_side():
    front, back = render_card("{{Front}}", "{{FrontSide}} {{Back}}",
                              {"Front": "q", "Back": "a"}, 1)
    assert (front, back) == ("q", "a")


def test_typed_answer_shows_no_box_and_the_expected_answer_after():
    front, back = render_card("{{Front}}\n\n{{type:Back}}",
                              "{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}",
                              {"Front": "capital of Peru?", "Back": "Lima"}, 1)
    assert (front, back) == ("capital of Peru?", "Lima")


def test_sections_follow_whether_a_field_is_filled():
    template = ("{{Word}}{{#Example}}<br>e.g. {{Example}}{{/Example}}"
                "{{^Example}} (no example){{/Example}}")
    with_example = render_card(template, "x", {"Word": "run", "Example": "I run"}, 1)[0]
    without = render_card(template, "x", {"Word": "run", "Example": "<br>"}, 1)[0]
    assert with_example == "run<br>e.g. I run"
    assert without == "run (no example)"


def test_filters():
    fields = {"F": "<i>word</i>", "J": "日本[にほん]語"}
    assert render_card("{{text:F}}", "", fields, 1)[0] == "word"
    assert render_card("{{hint:F}}", "", fields, 1)[0] == "<i>word</i>"
    assert render_card("{{furigana:J}}", "", fields, 1)[0] == "<ruby>日本<rt>にほん</rt></ruby>語"
    assert render_card("{{kana:J}}", "", fields, 1)[0] == "にほん語"
    assert render_card("{{kanji:J}}", "", fields, 1)[0] == "日本語"


def test_unknown_fields_leave_nothing_behind():
    front, _ = render_card("{{Missing}}{{Front}}<br>", "", {"Front": "hi"}, 1)
    assert front == "hi"


def test_sounds_stay_on_the_side_the_template_puts_them():
    fields = {"Front": "hi [sound:hi.mp3]", "Back": "[sound:bye.mp3]", "Audio": "[sound:a b.ogg]"}
    front, back = render_card("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}<br>{{Audio}}",
                              fields, 1)
    assert front == "hi [sound:hi.mp3]"
    assert back == "[sound:bye.mp3]<br>[sound:a b.ogg]"


def test_furigana_leaves_a_sound_as_it_is():
    fields = {"J": "日本[にほん] [sound:nihon.mp3]"}
    assert render_card("{{kana:J}}", "", fields, 1)[0] == "にほん [sound:nihon.mp3]"
    assert render_card("{{furigana:J}}", "", fields, 1)[0] == \
        "<ruby>日本<rt>にほん</rt></ruby> [sound:nihon.mp3]"


def test_cloze_front_hides_only_its_own_deletion():
    text = "{{c1::Paris}} is the capital of {{c2::France::country}}"
    assert render_cloze(text, 1, reveal=False) == "<b>[...]</b> is the capital of France"
    assert render_cloze(text, 2, reveal=False) == "Paris is the capital of <b>[country]</b>"
    assert render_cloze(text, 2, reveal=True) == "Paris is the capital of <b>France</b>"


def test_cloze_card_from_the_stock_template():
    fields = {"Text": "{{c1::H2O}} is water", "Back Extra": ""}
    front, back = render_card("{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}", fields, 1)
    assert (front, back) == ("<b>[...]</b> is water", "<b>H2O</b> is water")


def test_nested_and_shared_deletions():
    text = "{{c1::a {{c2::b}} c}} and {{c1,3::d}}"
    assert cloze_numbers(text) == {1, 2, 3}
    assert render_cloze(text, 2, reveal=False) == "a <b>[...]</b> c and d"
    assert render_cloze(text, 3, reveal=False) == "a b c and <b>[...]</b>"
    assert cloze_answers(text, 1) == ["a b c", "d"]


def test_unfinished_deletion_is_shown_as_typed():
    assert render_cloze("{{c1::open and {{c2::shut}}", 2, reveal=False) == \
        "{{c1::open and <b>[...]</b>"


@given(st.text(alphabet="{}:c12 ab#^/", max_size=80))
def test_any_text_renders(text):
    render_card(text, text, {"a": text, "b": ""}, 1)
    render_cloze(text, 1, reveal=False)


_NAMES = st.lists(st.sampled_from(["Front", "Back", "front", "BACK", "Tags", ""]), max_size=5)
_TEMPLATE_TEXT = st.lists(st.sampled_from(
    ["{{", "}}", "Front", "front", "Back", "FrontSide", "#", "^", "/", ":", "text:", "cloze:",
     "<hr id=answer>", "&nbsp;", "<br>", " ", "x", "{", "}", "{0}", "c1::"]), max_size=20).map("".join)


@given(_TEMPLATE_TEXT, _TEMPLATE_TEXT, _NAMES, st.lists(_TEMPLATE_TEXT, min_size=5, max_size=5))
def test_a_prepared_renderer_reads_names_as_a_dict_would(front, back, names, values):
    """A name given twice means its last value; unknown names fall back to any case."""
    renderer = card_renderer(front, back, tuple(names))
    expected = render_card(front, back, dict(zip(names, values)), 1)
    assert renderer(tuple(values[:len(names)]), 1) == expected
    assert renderer.width <= len(names)


def test_a_plain_template_reads_only_the_fields_it_shows():
    assert card_renderer("{{B}}", BASIC_BACK, ("A", "B", "Front", "Back")).width == 4
    assert card_renderer("{{A}}", "{{FrontSide}}<hr id=answer>{{a}}", ("A", "B")).width == 1
